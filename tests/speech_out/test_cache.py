"""The phrase cache: hits by identity and counter, disk copies, warming."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pytest

from coach.audio.wavfile import read_wav
from coach.speech_out.cache import PhraseCache
from coach.speech_out.voices import Voices


def test_second_get_is_the_same_array_from_memory(renderer: Voices, tmp_path: Path) -> None:
    cache = PhraseCache(renderer, tmp_path)
    first = cache.get("Lower.", "en-us", 150)
    before = renderer.renders
    second = cache.get("Lower.", "en-us", 150)
    assert second is first
    assert (cache.hits, cache.misses) == (1, 1)
    assert renderer.renders == before
    assert cache.get("Lower.", "en-us", 170) is not first  # another rate is another phrase
    assert cache.misses == 2


def test_kept_phrases_survive_on_disk_owner_only(renderer: Voices, tmp_path: Path) -> None:
    folder = tmp_path / "phrases"
    first = PhraseCache(renderer, folder)
    first.warm(["Hold.", "Relax.", "Hold."], "en-us", 150)
    assert first.misses == 2
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert all(stat.S_IMODE(os.stat(f).st_mode) == 0o600 for f in folder.iterdir())
    second = PhraseCache(renderer, folder)
    before = renderer.renders
    again = second.get("Hold.", "en-us", 150)
    assert second.disk_hits == 1 and second.misses == 0 and renderer.renders == before
    assert (again == first.get("Hold.", "en-us", 150)).all()
    assert second.get("Hold.", "en-us", 150) is again  # and then from memory
    assert second.cached("Relax.", "en-us", 150) and not second.cached("Lift.", "en-us", 150)


def test_lines_are_not_written_to_disk(renderer: Voices, tmp_path: Path) -> None:
    cache = PhraseCache(renderer, tmp_path / "phrases")
    cache.get("My knee hurts seven out of ten.", "en-us", 150)
    assert not (tmp_path / "phrases").exists()


def test_a_damaged_disk_entry_is_rendered_again(renderer: Voices, tmp_path: Path) -> None:
    folder = tmp_path / "phrases"
    PhraseCache(renderer, folder).warm(["Rest."], "en-us", 150)
    (entry,) = folder.iterdir()
    entry.write_bytes(b"not a wav file")
    cache = PhraseCache(renderer, folder)
    assert len(cache.get("Rest.", "en-us", 150, keep=True)) > 1000
    assert cache.misses == 1 and cache.disk_hits == 0


def test_memory_is_bounded(renderer: Voices, tmp_path: Path) -> None:
    cache = PhraseCache(renderer, tmp_path, memory_limit_samples=20000)
    for word in ("One.", "Two.", "Three.", "Four.", "Five."):
        cache.get(word, "en-us", 150)
    assert not cache.cached("One.", "en-us", 150)
    assert cache.cached("Five.", "en-us", 150)


def test_warm_later_finishes_in_the_background(renderer: Voices, tmp_path: Path) -> None:
    cache = PhraseCache(renderer, tmp_path)
    cache.warm_later([str(n) for n in range(1, 11)], "en-us", 200).result(timeout=120)
    assert all(cache.cached(str(n), "en-us", 200) for n in range(1, 11))


def test_the_bundled_routine_warms_counts_and_cue_words(renderer: Voices,
                                                        tmp_path: Path) -> None:
    from coach.program.loader import load_bundled
    from coach.program.model import Side
    from coach.speech_out.warmup import recurring_phrases

    program = load_bundled()
    wanted = recurring_phrases(program, Side.LEFT, count_up_to=12)
    cues = {p.cue for ex in program.exercises for p in ex.dose.phases}
    assert wanted[:12] == [str(n) for n in range(1, 13)]
    assert cues <= set(wanted) and len(wanted) == len(set(wanted))
    cache = PhraseCache(renderer, tmp_path)
    cache.warm(wanted, "en-us", 150)
    before = renderer.renders
    for text in wanted:
        cache.get(text, "en-us", 150)
    assert renderer.renders == before and cache.hits == len(wanted)


def _warmed(renderer: Voices, folder: Path, texts: list[str]) -> list[Path]:
    PhraseCache(renderer, folder).warm(texts, "en-us", 150)
    return sorted(folder.iterdir())


def test_entries_cut_by_one_byte_are_rendered_again_and_replaced(
    renderer: Voices, tmp_path: Path
) -> None:
    """A one-byte disk error made every later start crash at the first phrase."""
    folder = tmp_path / "phrases"
    entries = _warmed(renderer, folder, ["Lift.", "Lower.", "3"])
    for entry in entries:
        os.truncate(entry, entry.stat().st_size - 1)
    cache = PhraseCache(renderer, folder)
    cache.warm_later(["Lift.", "Lower.", "3"], "en-us", 150).result(timeout=120)
    assert cache.misses == 3 and cache.disk_hits == 0
    assert sorted(folder.iterdir()) == entries  # replaced, nothing left beside them
    assert all(read_wav(entry).seconds > 0.1 for entry in entries)
    again = PhraseCache(renderer, folder)
    again.warm(["Lift.", "Lower.", "3"], "en-us", 150)
    assert again.disk_hits == 3 and again.misses == 0


def test_an_entry_that_is_a_folder_is_a_miss(renderer: Voices, tmp_path: Path) -> None:
    """An empty folder in an entry's place is replaced; one with things in it is left alone."""
    folder = tmp_path / "phrases"
    (entry,) = _warmed(renderer, folder, ["Rest."])
    entry.unlink()
    entry.mkdir()
    cache = PhraseCache(renderer, folder)
    assert len(cache.get("Rest.", "en-us", 150, keep=True)) > 1000
    assert cache.misses == 1 and entry.is_file()
    entry.unlink()
    entry.mkdir()
    (entry / "inside").write_bytes(b"")
    for _ in range(2):
        again = PhraseCache(renderer, folder)
        assert len(again.get("Rest.", "en-us", 150, keep=True)) > 1000
        assert again.misses == 1 and (entry / "inside").exists()


def test_folders_the_cache_makes_are_owner_only_whatever_the_umask(
    renderer: Voices, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under umask 000 the folders made on the way were 0777, and ~/.cache/coach 0755 always."""
    cache_home = tmp_path / "fresh" / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    before = os.umask(0)
    try:
        PhraseCache(renderer).warm(["Ready."], "en-us", 150)
    finally:
        os.umask(before)
    made = [tmp_path / "fresh", cache_home, cache_home / "coach", cache_home / "coach" / "phrases"]
    assert {str(p): oct(stat.S_IMODE(os.stat(p).st_mode)) for p in made} == {
        str(p): oct(0o700) for p in made
    }


def test_an_existing_app_cache_folder_is_made_owner_only(
    renderer: Voices, private_home: Path
) -> None:
    app = private_home / "cache" / "coach"
    app.mkdir(mode=0o755)
    os.chmod(app, 0o755)
    PhraseCache(renderer).warm(["Ready."], "en-us", 150)
    assert stat.S_IMODE(os.stat(app).st_mode) == 0o700


def test_the_demo_runs_again_after_its_cache_was_damaged(private_home: Path) -> None:
    """The tester's case: every entry cut by a byte, one turned into a folder, then run again."""
    import subprocess
    import sys

    def demo() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "coach", "demo", "--typed", "--no-history"],
                              capture_output=True, text=True, timeout=300, check=False,
                              env={**os.environ, "HOME": str(private_home)})

    assert demo().returncode == 0
    entries = sorted((private_home / "cache" / "coach" / "phrases").iterdir())
    assert len(entries) > 5
    for entry in entries:
        os.truncate(entry, entry.stat().st_size - 1)
    entries[0].unlink()
    entries[0].mkdir()
    again = demo()
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr and "Exception in thread" not in again.stderr
    assert all(read_wav(entry).seconds > 0.1 for entry in entries)


def test_a_line_said_first_and_kept_later_reaches_the_disk(renderer: Voices, tmp_path: Path) -> None:
    """The welcome is said as a line, then kept by the warm-up: the next launch finds it."""
    folder = tmp_path / "phrases"
    first = PhraseCache(renderer, folder)
    said = first.get("Hello. Let's begin.", "en-us", 150)
    assert list(folder.glob("*.wav")) == []
    assert first.get("Hello. Let's begin.", "en-us", 150, keep=True) is said
    second = PhraseCache(renderer, folder)
    again = second.get("Hello. Let's begin.", "en-us", 150)
    assert second.disk_hits == 1 and second.misses == 0 and np.array_equal(again, said)

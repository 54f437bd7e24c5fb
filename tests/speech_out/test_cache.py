"""The phrase cache: hits by identity and counter, disk copies, warming."""

from __future__ import annotations

import os
import stat

import numpy as np
from pathlib import Path

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

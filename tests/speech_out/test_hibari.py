"""The neural voice (hibari's bundled voice), for real: checked files, fit for the beat, fallback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from coach.audio.format import RATE_HZ
from coach.speech_out.cache import PhraseCache, PhraseKey
from coach.speech_out.hibari_files import (
    PINNED_SHA256,
    VoiceFilesChanged,
    assets_folder,
    read_voice_files,
)
from coach.speech_out.synthesis import LEAD_SECONDS, TAIL_SECONDS, TRIM_LEVEL, prepare, speech_level_db
from coach.speech_out.voices import NeuralVoice, Voices

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def changed_assets(tmp_path: Path) -> Path:
    """A copy of the voice's files with one byte of the model changed."""
    source = assets_folder()
    assert source is not None, "hibari-tts is not installed: run scripts/setup"
    folder = tmp_path / "assets"
    folder.mkdir()
    for name in PINNED_SHA256:
        shutil.copyfile(source / name, folder / name)
    model = bytearray((folder / "hibari.onnx").read_bytes())
    model[len(model) // 2] ^= 0x01
    (folder / "hibari.onnx").write_bytes(bytes(model))
    return folder


def test_the_bundled_voice_files_are_the_pinned_ones() -> None:
    files = read_voice_files()
    assert set(files.contents) == set(PINNED_SHA256)
    assert 7_000_000 < len(files["hibari.onnx"]) < 9_000_000


def test_a_changed_file_is_refused_with_its_digest(changed_assets: Path) -> None:
    with pytest.raises(VoiceFilesChanged, match=r"hibari\.onnx has changed: its SHA-256 is [0-9a-f]{64}"):
        read_voice_files(changed_assets)


def test_a_missing_file_is_refused(changed_assets: Path) -> None:
    source = assets_folder()
    assert source is not None
    shutil.copyfile(source / "hibari.onnx", changed_assets / "hibari.onnx")  # only this one is off
    (changed_assets / "tagger.json.gz").unlink()
    with pytest.raises(VoiceFilesChanged, match=r"tagger\.json\.gz is missing"):
        read_voice_files(changed_assets)


def test_a_refused_voice_falls_back_to_espeak_and_says_why(changed_assets: Path, espeak: object,
                                                          tmp_path: Path) -> None:
    voices = Voices(NeuralVoice(folder=changed_assets), espeak=espeak)
    cache = PhraseCache(voices, tmp_path / "phrases")
    samples = cache.get("Hold.", "heart", 150, keep=True)
    assert len(samples) > 0.2 * RATE_HZ  # spoken all the same, by espeak-ng
    assert voices.refusal is not None and "has changed" in voices.refusal
    assert voices.engine_of("heart") == "espeak-ng"
    assert voices.version("heart").startswith("espeak-ng en-us")
    # kept under the fallback's key: the real neural voice will not find it later
    assert (tmp_path / "phrases" / PhraseKey("Hold.", "heart", 150, voices.version("heart"))
            .file_name()).exists()


def test_phrases_are_trimmed_to_a_few_ms_and_play_ready(renderer: Voices) -> None:
    raw = renderer.render("Lift.", "heart", 150)
    assert raw.sample_rate_hz == 24000
    loud = np.flatnonzero(np.abs(raw.samples.astype(np.int32)) >= TRIM_LEVEL)
    assert loud[0] / 24000 > 0.1  # hibari leaves a pause before the word...
    ready = prepare(raw)
    loud = np.flatnonzero(np.abs(ready.astype(np.int32)) >= TRIM_LEVEL)
    assert loud[0] <= LEAD_SECONDS * RATE_HZ + 1  # ...which the coach trims to 3 ms
    assert len(ready) - 1 - loud[-1] <= TAIL_SECONDS * RATE_HZ + 1


def test_renders_are_identical_every_time(renderer: Voices) -> None:
    first = renderer.render("Straighten your knee.", "heart", 150).samples
    second = renderer.render("Straighten your knee.", "heart", 150).samples
    assert np.array_equal(first, second)


def test_the_rate_setting_changes_the_neural_voice_too(renderer: Voices) -> None:
    slow = prepare(renderer.render("Tighten your thigh slowly.", "heart", 110))
    fast = prepare(renderer.render("Tighten your thigh slowly.", "heart", 190))
    assert len(slow) > 1.4 * len(fast)


def test_both_voices_speak_at_the_same_level(renderer: Voices) -> None:
    lines = ["Lift.", "Hold.", "Lower.", "Rest for 30 seconds.", "Please say yes or no.", "7"]
    gaps = [speech_level_db(prepare(renderer.render(t, "heart", 150)))
            - speech_level_db(prepare(renderer.render(t, "en-us", 150))) for t in lines]
    assert abs(float(np.median(gaps))) <= 2.0, gaps


def test_the_cache_key_names_the_voice_version(renderer: Voices) -> None:
    version = renderer.version("heart")
    assert version.startswith("hibari-tts 0.2.1 heart")
    neural = PhraseKey("Lift.", "heart", 150, version).file_name()
    assert neural != PhraseKey("Lift.", "heart", 150, "hibari-tts 0.2.2").file_name()
    assert PhraseKey("Lift.", "en-us", 150).file_name() != neural


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare")
def test_speaks_with_no_network_and_downloads_nothing(tmp_path: Path) -> None:
    """In a network namespace of its own, with hibari's download folder empty."""
    if subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode != 0:
        pytest.skip("this system does not allow a network namespace")
    home = tmp_path / "hibari-home"
    home.mkdir()
    code = ("from coach.speech_out.voices import Voices; from coach.speech_out.synthesis import prepare;"
            "v = Voices(); s = prepare(v.render('Lift your foot.', 'heart', 150));"
            "assert v.refusal is None and len(s) > 8000, v.refusal; print('ok')")
    env = dict(os.environ, HIBARI_HOME=str(home))
    done = subprocess.run(["unshare", "-rn", sys.executable, "-c", code], capture_output=True,
                          text=True, env=env, cwd=REPO, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]
    assert list(home.iterdir()) == []


def test_pronunciations_reach_the_neural_voice_only(renderer: Voices) -> None:
    """"Lift." said with a longer vowel, a final "no." as no (not "number"), counts whole."""
    rules = renderer.pronunciations
    assert rules.spoken("Lift.", "hibari") == "[Lift](/lˈɪːft/)."
    assert rules.spoken("Lift.", "espeak-ng") == "Lift."
    assert rules.spoken("6", "hibari") == "6." and rules.spoken("2", "hibari") == "2"
    assert rules.spoken("16", "hibari") == "16"
    assert rules.spoken("Hold.", "espeak-ng") == "Holt."  # espeak-ng's own: heard as "Oh"
    assert rules.spoken("Hold for 5 seconds.", "espeak-ng") == "Hold for 5 seconds."
    engine = renderer.neural.engine()._tts  # hibari's own reading of what it is given
    spoken = rules.spoken("Please say yes or no.", "hibari")
    assert engine.phonemize("Please say yes or no.")[0].endswith("nˈʌmbəɹ.")
    assert engine.phonemize(spoken)[0].endswith("nˈO.")
    assert engine.phonemize(rules.spoken("Lift.", "hibari")) == ["lˈɪːft."]


def test_a_pronunciation_rule_that_is_not_valid_is_named(tmp_path: Path) -> None:
    from coach.speech_out.pronounce import PronunciationError, Pronunciations

    bad = tmp_path / "pronounce.yaml"
    bad.write_text("hibari:\n  - match: '(['\n    say: x\n", encoding="utf-8")
    with pytest.raises(PronunciationError, match=r"pronounce\.yaml: hibari\[0\]\.match: not a regular"):
        Pronunciations.read(bad)
    bad.write_text("hibari:\n  - say: x\n", encoding="utf-8")
    with pytest.raises(PronunciationError, match=r"hibari\[0\]: expected 'match' and 'say'"):
        Pronunciations.read(bad)


def test_espeak_stands_in_while_the_neural_voice_loads_and_nothing_of_it_is_kept(
        espeak: object, tmp_path: Path) -> None:
    """The live coach's first launch: what cannot wait is said at once, by espeak-ng."""
    voices = Voices(NeuralVoice(start=False), espeak=espeak, stand_in=True)
    cache = PhraseCache(voices, tmp_path / "phrases")
    early = cache.get("Lift your foot.", "heart", 150, keep=True)
    assert voices.stood_in() and len(early) > 0.3 * RATE_HZ
    assert not (tmp_path / "phrases").exists() and not cache.cached("Lift your foot.", "heart", 150)
    voices.neural.start()
    voices.neural.engine()  # loaded
    later = cache.get("Lift your foot.", "heart", 150, keep=True)
    assert not voices.stood_in() and not np.array_equal(early, later)
    assert cache.cached("Lift your foot.", "heart", 150)

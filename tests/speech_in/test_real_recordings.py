"""Real human recordings (../shared/audio): floors on a small fixed subset.

The subset is the first files of each word in the manifest's order, so it is
the same every run. The floors sit a little under what the current decision
rule measures here (see scripts/bench_recognition.py for the full figures);
they catch regressions, they are not the product's targets.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coach.speech_in.listener import Listener
from coach.speech_in.scripted import AudioTrack, stream

pytestmark = pytest.mark.slow

COMMANDS = {"stop": "stop", "go": "go", "yes": "yes", "no": "no", "left": "left", "right": "right"}


def rows(shared: Path) -> list[dict[str, str]]:
    with open(shared / "manifest.csv", newline="") as f:
        return list(csv.DictReader(f))


def first(shared: Path, word: str, n: int) -> list[Path]:
    return [shared / r["path"] for r in rows(shared) if r["word"] == word][:n]


def heard(listener: Listener, path: Path) -> list[str]:
    tl = AudioTrack(0.5 + 1.0)
    seconds = tl.place_file(path, 0.5)
    if seconds > 0.5:
        tl = AudioTrack(0.5 + seconds + 1.0)
        tl.place_file(path, 0.5)
    listener.reset()
    return [r.heard.intent.value for r in stream(listener, tl.pcm())]


def test_command_words_clean(shared_audio: Path, sphinx_listener: Listener) -> None:
    total = good = 0
    for word, intent in COMMANDS.items():
        for path in first(shared_audio, word, 6):
            total += 1
            good += heard(sphinx_listener, path) == [intent]
    assert total == 36
    assert good / total >= 0.45, f"{good}/{total} command words accepted correctly"


def test_non_command_words_are_mostly_rejected(shared_audio: Path, sphinx_listener: Listener) -> None:
    words = ["bed", "bird", "cat", "dog", "happy", "house", "marvin", "sheila", "tree", "wow", "follow", "learn"]
    paths = [p for w in words for p in first(shared_audio, w, 1)]
    accepted = [p.name for p in paths if heard(sphinx_listener, p)]
    assert len(paths) == 12
    assert len(accepted) <= 5, accepted


def test_background_sentences_and_noise_give_nothing(shared_audio: Path, sphinx_listener: Listener) -> None:
    libri = sorted((shared_audio / "librispeech" / "test-other").glob("*.flac"))[:3]
    noise = first(shared_audio, "_silence_", 6)
    assert len(libri) == 3 and len(noise) == 6
    for path in libri + noise:
        assert heard(sphinx_listener, path) == [], path.name

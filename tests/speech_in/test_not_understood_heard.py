"""Real recordings through the real recogniser: what it does not take becomes a
``NotUnderstood`` with speech only where it wrote words down, never for noise."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coach.core.expect import expected_intents
from coach.core.states import State
from coach.speech_in.listener import Listener
from coach.speech_in.not_understood import not_understood
from coach.speech_in.scripted import AudioTrack, stream

pytestmark = pytest.mark.slow

ASK_PAIN = "How is your knee, from zero to ten?"


def first(shared: Path, word: str, n: int) -> list[Path]:
    with open(shared / "manifest.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["word"] == word and r["dataset"] == "speech_commands"]
    return [shared / r["path"] for r in rows[:n]]


def events(listener: Listener, path: Path, moment: State, question: str = ""):  # type: ignore[no-untyped-def]
    track = AudioTrack(0.5 + 1.0 + 1.0)
    track.place_file(path, 0.5)
    listener.expect(expected_intents(moment), question)
    listener.reset()
    listener.decisions.clear()
    accepted = stream(listener, track.pcm())
    return accepted, [e for d in listener.decisions if (e := not_understood(d)) is not None]


def test_words_that_are_no_command_had_speech(shared_audio: Path, whisper: Listener) -> None:
    paths = [p for w in ("cat", "bird", "house", "marvin") for p in first(shared_audio, w, 2)]
    rejected = with_speech = 0
    for path in paths:
        accepted, missed = events(whisper, path, State.ASK_PAIN, ASK_PAIN)
        if accepted:  # taken as a command (a false accept, counted elsewhere)
            continue
        rejected += 1
        with_speech += any(e.had_speech for e in missed)
    assert rejected >= 6
    assert with_speech >= rejected - 1, f"{with_speech} of {rejected} rejected words heard as speech"


def test_no_at_the_pain_question_is_a_command_not_expected(shared_audio: Path, whisper: Listener) -> None:
    found = []
    for path in first(shared_audio, "no", 4):
        _, missed = events(whisper, path, State.ASK_PAIN, ASK_PAIN)
        found += [(e.reason, e.intent) for e in missed if e.had_speech]
    assert any(reason == "not-expected" for reason, _ in found), found


def test_noise_never_has_speech(shared_audio: Path, whisper: Listener) -> None:
    for path in first(shared_audio, "_silence_", 6):
        for moment, question in ((State.WORKING, ""), (State.ASK_PAIN, ASK_PAIN)):
            accepted, missed = events(whisper, path, moment, question)
            assert not accepted and not any(e.had_speech for e in missed), path.name

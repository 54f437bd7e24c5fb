"""Over the coach's voice, what follows a word does not hold the utterance open.

While the coach speaks, the energy VAD decides which frames are speech, each
asked to stand above the coach's echo (``coach.speech_in.voice_activity``).
A fan or a room after "stop" stands above the echo too, and held the
utterance open until it faded: the coach's voice was cut that much later.
A frame ``tail_db`` under the loudest of the word no longer extends it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from coach.audio.format import RATE_HZ
from coach.commands.intents import Intent
from coach.core.expect import expected_intents
from coach.core.states import State
from coach.speech_in.echo import levels
from coach.speech_in.listener import Listener
from coach.speech_in.scripted import AudioTrack, stream, synthesize

WORD_AT = 3.0  # s into the coach's line: the echo's level has been learnt
ECHO_GAIN = 0.1
HISS_UNDER_DB = 32.0  # the hiss's speech-band level under the word's loudest frame
HISS_SECONDS = 0.5


@pytest.fixture(scope="module")
def scene() -> tuple[np.ndarray, np.ndarray, float]:
    """The microphone (the coach's echo, "stop", then a steady hiss), what the
    coach played, and where the word ends (s)."""
    from coach.runtime.person_voice import PersonVoice

    line = synthesize("Breathe out as you lift, and hold it there for a count of five, "
                      "then lower it slowly.")
    word = PersonVoice()("stop", 1)  # Flite: a voice unlike the coach's own
    loud = np.flatnonzero(np.abs(word.astype(np.int32)) > 300)
    word = word[loud[0] : loud[-1] + 1].astype(np.float64)
    word *= 12000 / np.abs(word).max()
    played = AudioTrack(line.size / RATE_HZ + 1.0)
    played.place(line, 0.0)
    reference = played.pcm()
    mic = ECHO_GAIN * reference.astype(np.float64)
    start = int(WORD_AT * RATE_HZ)
    mic[start : start + word.size] += word
    hiss = np.random.default_rng(7).normal(0.0, 1.0, int(HISS_SECONDS * RATE_HZ))
    peak_db = float(levels(word[: word.size - word.size % 160]).max())
    hiss_db = float(np.mean(levels(hiss[: hiss.size - hiss.size % 160])))
    hiss *= 10 ** ((peak_db - HISS_UNDER_DB - hiss_db) / 20)
    mic[start + word.size : start + word.size + hiss.size] += hiss
    word_end = WORD_AT + word.size / RATE_HZ
    assert line.size / RATE_HZ > word_end + HISS_SECONDS  # all of it over the coach's voice
    pcm = np.clip(np.round(mic), -32768, 32767).astype(np.int16)
    return pcm, reference, word_end


def stop_heard(listener: Listener, scene) -> tuple[float, float]:
    """(the end of speech the listener found, when it could act), for the one "stop"."""
    mic, reference, _ = scene
    listener.expect(expected_intents(State.WORKING))
    listener.reset()
    out = stream(listener, mic, block_samples=320, reference=reference)
    stops = [r.heard for r in out if r.heard.intent is Intent.STOP]
    assert len(stops) == 1, [d.reason for d in listener.decisions]
    decided = [d for d in listener.decisions if d.heard is not None]
    assert len(decided) == 1
    return stops[0].at, decided[0].answered_at


def test_the_hiss_after_stop_does_not_hold_the_utterance_open(whisper: Listener, scene) -> None:
    word_end = scene[2]
    assert whisper.config.tail_db is not None
    end, answered = stop_heard(whisper, scene)
    assert end <= word_end + 0.03, (end, word_end)  # the plosive's release may read as quiet
    assert answered - word_end < 0.2, answered - word_end


def test_without_the_rule_the_hiss_holds_it_open(whisper: Listener, scene) -> None:
    """The same scene with the rule off: what the rule is there for. (The decode
    at a pause is off too: a "stop" recognised from its first part at the gap
    before the "p" would be acted on before the hiss, and say nothing of where
    the utterance ends.)"""
    word_end = scene[2]
    off = Listener(whisper.engine, whisper.vocabulary,
                   replace(whisper.config, tail_db=None, quiet_seconds=None))
    end, answered = stop_heard(off, scene)
    assert end - word_end > 0.15, (end, word_end)
    assert answered - word_end > 0.25, answered - word_end


def test_a_phrase_said_over_the_coach_is_still_heard_whole(whisper: Listener, scene) -> None:
    """The rule ends a word's tail, not a phrase: "how many left" over the coach."""
    from coach.runtime.person_voice import PersonVoice

    _, reference, _ = scene
    phrase = PersonVoice()("how many left", 1).astype(np.float64)
    phrase *= 12000 / np.abs(phrase).max()
    mic = ECHO_GAIN * reference.astype(np.float64)
    start = int(WORD_AT * RATE_HZ)
    mic[start : start + phrase.size] += phrase
    whisper.expect(expected_intents(State.WORKING))
    whisper.reset()
    out = stream(whisper, np.clip(np.round(mic), -32768, 32767).astype(np.int16),
                 block_samples=320, reference=reference)
    assert [r.heard.intent for r in out] == [Intent.STATUS], [d.reason for d in whisper.decisions]

"""Decoding at the first pause: "stop" acts at once, everything else when the
utterance has ended, and a decode overtaken by more speech is dropped."""

from __future__ import annotations

import numpy as np
import pytest

from coach.commands.intents import Intent
from coach.core.expect import expected_intents
from coach.core.states import State
from coach.speech_in.listener import Listener
from coach.speech_in.scripted import AudioTrack, stream

HANGOVER = 0.25
QUIET = 0.1


@pytest.fixture(scope="module")
def words() -> dict[str, np.ndarray]:
    from coach.runtime.person_voice import PersonVoice

    person = PersonVoice()  # Flite: a voice unlike the coach's own
    return {w: trimmed(person(w, 1)) for w in ("stop", "next", "pause")}


def trimmed(pcm: np.ndarray) -> np.ndarray:
    """The word without the synthesiser's silence around it, so gaps are exact."""
    loud = np.flatnonzero(np.abs(pcm.astype(np.int32)) > 300)
    return pcm[loud[0] : loud[-1] + 1]


def heard(listener: Listener, *parts: tuple[np.ndarray, float]) -> list:
    track = AudioTrack(max(at + pcm.size / 16000 for pcm, at in parts) + 1.0)
    for pcm, at in parts:
        track.place(pcm, at)
    listener.expect(expected_intents(State.WORKING))
    listener.reset()
    return stream(listener, track.pcm(), block_samples=160)


def test_stop_is_decided_at_the_first_pause(sphinx_listener: Listener, words) -> None:
    assert sphinx_listener.config.quiet_seconds == QUIET
    assert sphinx_listener.config.end_seconds == HANGOVER
    out = heard(sphinx_listener, (words["stop"], 0.5))
    assert [r.heard.intent for r in out] == [Intent.STOP]
    waited = out[0].decided_at - out[0].heard.at
    assert QUIET - 1e-6 <= waited < QUIET + 0.03, waited


def test_other_commands_wait_for_the_end_of_the_utterance(sphinx_listener: Listener, words) -> None:
    out = heard(sphinx_listener, (words["next"], 0.5))
    assert [r.heard.intent for r in out] == [Intent.NEXT]
    waited = out[0].decided_at - out[0].heard.at
    assert HANGOVER - 1e-6 <= waited < HANGOVER + 0.03, waited
    decision = sphinx_listener.decisions[-1]
    assert decision.reason == "accepted" and len(sphinx_listener.decisions) == 1


def test_a_decode_at_a_pause_is_dropped_when_the_person_goes_on(
    sphinx_listener: Listener, words
) -> None:
    """"next ... next" with a pause shorter than the hangover is one utterance:
    the decode of the first half must not count on its own."""
    first = words["next"]
    gap = 0.15  # longer than QUIET, shorter than HANGOVER
    out = heard(sphinx_listener, (first, 0.5), (first, 0.5 + first.size / 16000 + gap))
    assert len(out) == 1 and out[0].heard.intent is Intent.NEXT
    assert out[0].heard.at > 0.5 + first.size / 16000 + gap  # the end of the second "next"
    assert len(sphinx_listener.decisions) == 1


def test_speech_after_an_early_stop_changes_nothing(sphinx_listener: Listener, words) -> None:
    stop, pause = words["stop"], words["pause"]
    out = heard(sphinx_listener, (stop, 0.5), (pause, 0.5 + stop.size / 16000 + 0.15))
    assert [r.heard.intent for r in out] == [Intent.STOP]
    assert len(sphinx_listener.decisions) == 1

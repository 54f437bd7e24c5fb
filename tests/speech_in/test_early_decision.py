"""Decoding at the first pause: "stop" acts at once, everything else when the
utterance has ended, and a decode overtaken by more speech is dropped."""

from __future__ import annotations

import numpy as np
import pytest
from edge_engine import Counting

from coach.commands.intents import Intent
from coach.core.expect import listening
from coach.core.states import State
from coach.runtime.listen_for import tell
from coach.speech_in.engine import Hypothesis
from coach.speech_in.listener import Listener
from coach.speech_in.scripted import AudioTrack, stream

HANGOVER = 0.25
QUIET = 0.1


@pytest.fixture(scope="module")
def words() -> dict[str, np.ndarray]:
    from coach.runtime.person_voice import PersonVoice

    person = PersonVoice()  # Flite: a voice unlike the coach's own
    return {w: trimmed(person(w, 1)) for w in ("stop", "next", "pause", "it hurts")}


def trimmed(pcm: np.ndarray) -> np.ndarray:
    """The word without the synthesiser's silence around it, so gaps are exact."""
    loud = np.flatnonzero(np.abs(pcm.astype(np.int32)) > 300)
    return pcm[loud[0] : loud[-1] + 1]


def heard(listener: Listener, *parts: tuple[np.ndarray, float]) -> list:
    """``parts`` (audio, start) said while a set is counted, the listener told
    what the session tells it then (the sound-alike spellings of stop included)."""
    track = AudioTrack(max(at + pcm.size / 16000 for pcm, at in parts) + 1.0)
    for pcm, at in parts:
        track.place(pcm, at)
    tell(listener, listening(State.WORKING))
    listener.reset()
    return stream(listener, track.pcm(), block_samples=160)


def test_stop_is_decided_at_the_first_pause(sphinx_listener: Listener, words) -> None:
    assert sphinx_listener.config.quiet_seconds == QUIET
    assert sphinx_listener.config.end_seconds == HANGOVER
    out = heard(sphinx_listener, (words["stop"], 0.5))
    assert [r.heard.intent for r in out] == [Intent.STOP]
    waited = out[0].decided_at - out[0].heard.at
    assert QUIET - 1e-6 <= waited < QUIET + 0.03, waited


def test_it_hurts_is_decided_at_the_first_pause_like_stop(sphinx_listener: Listener, words) -> None:
    out = heard(sphinx_listener, (words["it hurts"], 0.5))
    assert [r.heard.intent for r in out] == [Intent.PAIN]
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


class ByLength(Counting):
    """An engine at the edge that answers ``short`` for the audio up to the
    pause (its first decode), and ``whole`` for a decode given more of the
    utterance: the soft ending the VAD does not count as speech."""

    name = "by-length"

    def __init__(self, short: Hypothesis, whole: Hypothesis) -> None:
        super().__init__()
        self.short, self.whole = short, whole

    def finish(self) -> Hypothesis:
        return self.whole if self.given[-1] > self.given[0] else self.short


def said_with_a_soft_end(words) -> np.ndarray:
    """"pause" followed by 0.2 s of faint hiss: below the VAD's speech level,
    so the decode at the pause ends before it, but inside the hangover."""
    tail = (np.random.default_rng(1).normal(0, 60, 3200)).astype(np.int16)
    return np.concatenate([words["pause"], tail])


def test_words_at_a_pause_that_are_no_command_are_decoded_again_whole(words) -> None:
    engine = ByLength(short=Hypothesis("Power.", 0.9, True), whole=Hypothesis("Pause.", 0.9, True))
    listener = Listener(engine)
    out = heard(listener, (said_with_a_soft_end(words), 0.5))
    assert [r.heard.intent for r in out] == [Intent.PAUSE]
    assert len(engine.given) == 2 and engine.given[1] > engine.given[0]
    assert [d.reason for d in listener.decisions] == ["accepted"]


def test_a_rejection_at_a_pause_that_heard_no_words_stands(words) -> None:
    """A grammar engine's garbage path is not asked again on more audio."""
    engine = ByLength(short=Hypothesis("", 0.2, False), whole=Hypothesis("pause", 0.9, True))
    listener = Listener(engine)
    out = heard(listener, (said_with_a_soft_end(words), 0.5))
    assert out == []
    assert len(engine.given) == 1
    assert [d.reason for d in listener.decisions] == ["garbage"]



@pytest.mark.parametrize(("written", "waited"), [("So", HANGOVER), ("Start.", QUIET)])
def test_a_spelling_that_may_begin_a_sentence_waits_for_the_end(words, written: str,
                                                                 waited: float) -> None:
    """A lone "So" (Whisper's spelling of a "stop" across a room) stops the set,
    but not at the pause, as "stop" itself does: only once nothing follows.
    "Start." (a "stop" Whisper did not catch whole) begins no sentence, so it
    acts at the pause; only spellings made of words that begin sentences (the
    vocabulary's fillers, as "so") wait."""
    engine = ByLength(short=Hypothesis(written, 0.6, True), whole=Hypothesis(written, 0.6, True))
    listener = Listener(engine)
    out = heard(listener, (words["stop"], 0.5))
    assert [r.heard.intent for r in out] == [Intent.STOP]
    took = out[0].decided_at - out[0].heard.at
    assert waited - 1e-6 <= took < waited + 0.03, took
    assert [d.reason for d in listener.decisions] == ["sound-alike"]


def test_so_at_a_pause_that_begins_a_sentence_stops_nothing(words) -> None:
    """"So ... what next" with a pause shorter than the hangover: the decode at
    the pause wrote "So", and the person went on."""
    first = words["stop"]
    engine = ByLength(short=Hypothesis("So", 0.6, True),
                      whole=Hypothesis("So, what is next?", 0.6, True))
    listener = Listener(engine)
    out = heard(listener, (first, 0.5), (words["next"], 0.5 + first.size / 16000 + 0.15))
    assert out == []
    assert [d.reason for d in listener.decisions] == ["not-a-command"]

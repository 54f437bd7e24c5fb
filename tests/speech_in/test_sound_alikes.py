"""A "stop" Whisper writes as "Start." while a set is counted is taken as stop,
and only there: at "Say go" or in a rest the same spelling stops nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from recorded import heard

from coach.commands.intents import Intent
from coach.commands.parser import load_vocabulary, vocabulary_from_data
from coach.core.expect import SOUND_ALIKES, listening
from coach.core.states import State
from coach.errors import CoachError
from coach.runtime.listen_for import tell
from coach.runtime.person_voice import PersonVoice
from coach.speech_in.decision import Judge
from coach.speech_in.decoding import Utterance
from coach.speech_in.engine import Hypothesis
from coach.speech_in.listener import Listener
from coach.speech_in.scripted import hear_recording

VOCAB = load_vocabulary()


def verdict(text: str, state: State) -> tuple[str | None, str]:
    """What the decision makes of the transcript ``text`` said in ``state``."""
    listen = listening(state)
    utt = Utterance(np.zeros(1600, np.int16), 0.0, 0.1, 0.2, listen.intents, None, "", 0,
                    decisive=listen.decisive, sound_alikes=listen.sound_alikes)
    heard, reason = Judge(VOCAB).verdict(utt, Hypothesis(text, 0.9, True))
    return (heard.intent.value if heard else None), reason


@pytest.mark.parametrize("text", ["Start.", "start", "Star", "Stars.", "star star star star",
                                  "Okay, start.", "So", "So...", "So, so, so,"])
def test_while_counting_stop_s_usual_misspellings_stop_the_set(text: str) -> None:
    assert verdict(text, State.WORKING) == ("stop", "sound-alike")


def test_stop_said_as_itself_is_accepted_as_itself() -> None:
    assert verdict("Stop.", State.WORKING) == ("stop", "accepted")


@pytest.mark.parametrize("state", [s for s in State if s not in SOUND_ALIKES])
def test_anywhere_else_they_are_nothing(state: State) -> None:
    """At "Say go", in a rest or paused, "start" could mean go: it is not taken for stop."""
    assert verdict("Start.", state)[0] is None


@pytest.mark.parametrize("text", ["Let's start.", "start the set", "the stars", "So, I...",
                                  "So what?", "Okay, so."])
def test_a_misspelling_inside_other_words_is_no_command(text: str) -> None:
    assert verdict(text, State.WORKING) == (None, "not-a-command")


def test_only_the_set_takes_them() -> None:
    assert SOUND_ALIKES == {State.WORKING: frozenset({Intent.STOP})}
    assert listening(State.WORKING).sound_alikes == {Intent.STOP}
    assert listening(State.READY).sound_alikes == frozenset()


def test_the_spellings_are_data_and_none_is_a_spoken_command() -> None:
    assert VOCAB.sound_alike(["start"], {Intent.STOP}) is Intent.STOP
    assert VOCAB.sound_alike(["start"], set()) is None
    base = {"intents": {"stop": ["stop"], "go": ["go", "start"]}, "not_spoken": ["start"]}
    ok = vocabulary_from_data({**base, "heard_as": {"stop": ["start", "star"]}})
    assert ok.sound_alike(["star"], {Intent.STOP}) is Intent.STOP
    with pytest.raises(CoachError, match=r"heard_as.stop: 'go' is already a spoken command"):
        vocabulary_from_data({**base, "heard_as": {"stop": ["go"]}})
    with pytest.raises(CoachError, match=r"heard_as.halt: unknown intent"):
        vocabulary_from_data({**base, "heard_as": {"halt": ["start"]}})
    with pytest.raises(CoachError, match=r"heard_as: expected intent names"):
        vocabulary_from_data({**base, "heard_as": ["start"]})


@pytest.mark.slow
def test_a_recorded_stop_written_start_stops_the_set_and_nothing_else(
        shared_audio: Path, whisper: Listener) -> None:
    """Real recordings of "stop" that Whisper writes as "start" (two speakers):
    while counting the spelling stops the set; in a rest it does not. There
    only the choice, scoring the sound itself against the answers of the
    moment, may still find the stop (it does for one of them: it was one)."""
    clips = [shared_audio / "speech_commands" / "stop" / name
             for name in ("47d01978_nohash_0.wav", "7192fddc_nohash_0.wav")]
    for clip in clips:
        tell(whisper, listening(State.WORKING))
        assert heard(whisper, clip) == [("stop", None)], clip.name
        decision = whisper.decisions[-1]
        assert decision.hypothesis.text.strip(" .").lower() == "start"
        assert decision.reason == "sound-alike" and not decision.hypothesis.rescued
        tell(whisper, listening(State.RESTING))
        got = heard(whisper, clip)
        decision = whisper.decisions[-1]
        if got:
            assert got == [("stop", None)] and decision.hypothesis.rescued, clip.name
            assert decision.hypothesis.text == "stop"  # the choice's phrase, not the spelling
        else:
            assert decision.hypothesis.text.strip(" .").lower() == "start", clip.name


@pytest.mark.slow
def test_start_said_in_a_rest_stops_nothing(whisper: Listener) -> None:
    """"start" said in a rest (four stand-in voices) is no stop: neither its
    spelling nor the choice, which may find a stop there, takes it for one."""
    person = PersonVoice()
    for voice in range(1, 5):
        tell(whisper, listening(State.RESTING))
        assert hear_recording(whisper, person("start", voice)) == [], voice


@pytest.mark.parametrize(("text", "state", "at_pause"), [
    ("Stop.", State.WORKING, True), ("Start.", State.WORKING, True), ("star star", State.WORKING, True),
    ("So", State.WORKING, False), ("So...", State.WORKING, False), ("Next.", State.WORKING, False),
    ("It hurts.", State.RESTING, True)])
def test_what_is_acted_on_at_the_first_pause(text: str, state: State, at_pause: bool) -> None:
    """A lone "So" may begin a sentence: taken for stop, it waits for the end."""
    listen = listening(state)
    utt = Utterance(np.zeros(1600, np.int16), 0.0, 0.1, 0.2, listen.intents, None, "", 0,
                    decisive=listen.decisive, sound_alikes=listen.sound_alikes)
    judge = Judge(VOCAB)
    verdict = judge.verdict(utt, Hypothesis(text, 0.9, True))
    assert verdict[0] is not None
    assert judge.at_first_pause(verdict) is at_pause

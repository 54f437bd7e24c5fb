"""A closed question answered as a choice: what the transcript missed is chosen,
what was not an answer is not, and the model is data that loads."""

from __future__ import annotations

from pathlib import Path

import pytest
from recorded import heard

from coach.commands.parser import load_vocabulary
from coach.core.expect import expected_intents, focus_intents
from coach.core.states import State
from coach.errors import CoachError
from coach.speech_in.choice import (
    GROUPS,
    UNASKED,
    ChoiceModel,
    closed_answers,
    load_choice_model,
    nearness,
    parse_choice_model,
)
from coach.speech_in.listener import Listener

ASK_PAIN = "How is your knee, from zero to ten?"
SAY_GO = "Say go when you are ready."


def test_sound_alikes_are_near_and_others_far() -> None:
    assert nearness("File.", "five") > nearness("Bye.", "five")
    assert nearness("Lift.", "left") == 1.0  # "i" and "e" fold together
    assert nearness("for", "four") == 1.0
    assert nearness("Cat.", "four") < 0.5
    assert nearness("", "five") == 0.0


def test_the_shipped_model_loads_with_a_threshold_for_each_kind_of_answer() -> None:
    model = load_choice_model()
    assert model is not None
    assert len(model.weights) == len(model.mean) == len(model.scale) == 7
    assert set(model.thresholds) == set(GROUPS.values())
    # Never less likely said than not; "yes" can end the session, so it is held
    # higher, and so is any kind of answer without a threshold of its own.
    assert all(0.5 <= t < 1.0 for t in model.thresholds.values())
    assert model.threshold_for("yes") >= 0.75
    assert model.threshold_for("a kind it does not know") == model.threshold >= 0.75
    assert model.threshold_for(None) == model.threshold


def test_each_closed_answer_has_its_kind_and_nothing_else_is_one() -> None:
    answers = closed_answers(load_vocabulary())
    assert answers["five"] == answers["zero"] == "number"
    assert answers["yes"] == answers["yeah"] == "yes"
    assert answers["no"] == answers["nope"] == "no"
    assert answers["left"] == answers["right"] == "side"
    assert answers["go"] == answers["ready"] == "go"
    # Stop is chosen too, but only when nothing was asked (a set, a rest).
    assert answers["stop"] == answers["enough"] == "stop" and "stop" in UNASKED
    # Phrases of several words, and words not listened for ("start"), are not chosen among.
    assert "left knee" not in answers and "start" not in answers
    assert "next" not in answers and "repeat" not in answers


def test_a_model_without_thresholds_per_kind_uses_its_one_threshold() -> None:
    """A choice.yaml written before the thresholds per kind still loads and decides."""
    old = ChoiceModel(weights=(0.0,) * 7, bias=0.0, mean=(0.0,) * 7, scale=(1.0,) * 7,
                      threshold=0.8)
    assert old.threshold_for("side") == old.threshold_for("number") == 0.8


@pytest.mark.slow
def test_a_rating_the_transcript_missed_is_chosen_and_said_back(
        shared_audio: Path, whisper: Listener) -> None:
    """A tightly cut "eight" (its first sound clipped) is not written down as a
    number; scored as one of the eleven answers, it is eight."""
    whisper.expect(expected_intents(State.ASK_PAIN), ASK_PAIN, focus_intents(State.ASK_PAIN))
    got = heard(whisper, shared_audio / "fsdd" / "eight" / "8_george_0.wav")
    assert got == [("number", 8)]
    assert whisper.decisions[-1].hypothesis.rescued


@pytest.mark.slow
def test_a_go_the_transcript_missed_is_chosen_and_other_words_are_not(
        shared_audio: Path, whisper: Listener) -> None:
    """At "Say go when you are ready." few words sound like "go", and the choice
    takes a "go" at a lower probability than a number (0.5 in the shipped model):
    a "go" the free transcript did not write as one is chosen, while other words
    said there, "on" and "off" among them, still give nothing."""
    whisper.expect(expected_intents(State.READY), SAY_GO, focus_intents(State.READY))
    assert heard(whisper, shared_audio / "speech_commands" / "go" / "3b4f8f24_nohash_0.wav") \
        == [("go", None)]
    decision = whisper.decisions[-1]
    assert decision.hypothesis.rescued
    model = load_choice_model()
    assert model is not None and decision.hypothesis.confidence >= model.threshold_for("go")
    others = [p for w in ("up", "down", "off", "on", "house", "bird", "marvin")
              for p in sorted((shared_audio / "speech_commands" / w).glob("*.wav"))[:4]]
    assert len(others) == 28
    for path in others:
        assert heard(whisper, path) == [], path.name


@pytest.mark.slow
def test_a_stop_written_as_another_word_while_counting_is_chosen_and_nowhere_else(
        shared_audio: Path, whisper: Listener) -> None:
    """A recorded "stop" Whisper writes "Start." while counting: scored as one of
    the set's answers, it is stop, from a threshold measured mid-set. The same
    recording at "Say go" ("Start. Start. Start.") is no answer there: at a
    question stop is left to the transcript. Other words said while counting
    still stop nothing. (The clip was one written "step."; since loud frames are
    speech while counting, Whisper is given more of it, and its second try,
    after the set's commands, writes "Stop.")"""
    step = shared_audio / "speech_commands" / "stop" / "47d01978_nohash_0.wav"
    whisper.expect(expected_intents(State.WORKING), "", focus_intents(State.WORKING))
    assert heard(whisper, step) == [("stop", None)]
    decision = whisper.decisions[-1]
    assert decision.hypothesis.rescued and decision.hypothesis.text == "stop"
    model = load_choice_model()
    assert model is not None
    assert model.threshold_for("stop") <= decision.hypothesis.confidence < model.threshold
    whisper.expect(expected_intents(State.READY), SAY_GO, focus_intents(State.READY))
    assert heard(whisper, step) == []
    whisper.expect(expected_intents(State.WORKING), "", focus_intents(State.WORKING))
    others = [p for w in ("up", "down", "cat", "bed", "off", "on", "house")
              for p in sorted((shared_audio / "speech_commands" / w).glob("*.wav"))[:4]]
    assert len(others) == 28
    for path in others:
        assert heard(whisper, path) == [], path.name


@pytest.mark.parametrize("text", [
    "threshold: [0.7\n",  # not YAML
    "- a list\n",
    "weights: {best: 1.0}\nbias: 0\n",  # features missing
    (Path(__file__).resolve().parents[2] / "coach" / "speech_in" / "choice.yaml").read_text()
    .replace("threshold: ", "threshold: 7", 1),  # a threshold outside 0-1
    (Path(__file__).resolve().parents[2] / "coach" / "speech_in" / "choice.yaml").read_text()
    .replace("  best: ", "  best: .nan #", 1),  # a weight that is no number
])
def test_a_damaged_model_is_a_clear_error_not_a_traceback(text: str) -> None:
    with pytest.raises(CoachError, match="damaged.*Reinstall coach"):
        parse_choice_model(text, "choice.yaml")


def test_an_empty_model_makes_no_choice() -> None:
    assert parse_choice_model("") is None
    assert parse_choice_model("# nothing fitted yet\n") is None


@pytest.mark.slow
def test_each_kind_s_threshold_holds_only_at_a_question(shared_audio: Path, whisper: Listener) -> None:
    """The thresholds per kind of answer were measured at the coach's questions;
    while counting (nothing asked) a choice needs the model's default. With "go"
    let through at any probability at a question, a "down" said at "Say go"
    is taken for go, and the same "down" said while counting is not."""
    from dataclasses import replace

    engine = whisper.engine
    shipped = engine.choice_model
    assert shipped is not None
    engine.choice_model = replace(shipped, threshold=0.999, thresholds={"go": 0.0})
    try:
        down = shared_audio / "speech_commands" / "down" / "37dca74f_nohash_3.wav"
        whisper.expect(expected_intents(State.READY), SAY_GO, focus_intents(State.READY))
        assert heard(whisper, down) == [("go", None)]
        assert whisper.decisions[-1].hypothesis.rescued
        whisper.expect(expected_intents(State.WORKING), "", focus_intents(State.WORKING))
        assert heard(whisper, down) == []
    finally:
        engine.choice_model = shipped


SIDE_ASKED = "Which knee hurts, left or right?"
# Other words the told prompt ("Left or right?") alone made a side of: "Left." for
# an "up", an "off" or a "down". After the question as said, Whisper wrote them down
# as themselves ("Up.", "Off. Off. Off.", "That's it."), so the side does not stand.
NOT_A_SIDE = ["up/2aa787cf_nohash_1", "up/4c6167ca_nohash_0", "up/7dc95912_nohash_0",
              "off/7257420c_nohash_0", "down/3659fc1c_nohash_0", "up/27c30960_nohash_0"]


@pytest.mark.slow
def test_a_side_heard_after_the_told_words_is_checked_against_the_question_as_said(
        shared_audio: Path, whisper: Listener) -> None:
    """At "Which knee?" Whisper is told "Left or right?" (the vocabulary's
    question_prompts), and writes "Left." for some other words; each such
    answer is decoded again after the question as said, and does not stand
    when that decode writes a word that sounds nothing like it."""
    assert load_vocabulary().question_prompts[SIDE_ASKED] == "Left or right?"
    for clip in NOT_A_SIDE:
        whisper.expect(expected_intents(State.ASK_SIDE), SIDE_ASKED, focus_intents(State.ASK_SIDE))
        got = heard(whisper, shared_audio / "speech_commands" / f"{clip}.wav")
        assert got == [], (clip, whisper.decisions[-1].hypothesis.text)
        assert not whisper.decisions[-1].hypothesis.text.lower().startswith(("left", "right"))
    # A real "left" still is one: the check lets a side stand.
    whisper.expect(expected_intents(State.ASK_SIDE), SIDE_ASKED, focus_intents(State.ASK_SIDE))
    assert heard(whisper, shared_audio / "speech_commands" / "left" / "022cd682_nohash_0.wav") == [
        ("left", None)]

"""The decision stage on its own: the word rules and the same-word rule, with
the real vocabulary and parser (no engine, no audio: the words are given).

One word is taken once: a command (the same intent and number) whose utterance
begins less than ``SAME_WORD_SECONDS`` after the last one ended is taken as the
same word heard again (live, one "stop" said over the coach was heard twice, 0.2
s apart, and the second answered "End the session?" with yes; in the spoken soak
a rating said across the room was heard again from its own echo); said again
later, it counts.
"""

from __future__ import annotations

import numpy as np
import pytest

from coach.commands.intents import Intent
from coach.commands.parser import load_vocabulary
from coach.core.events import Heard
from coach.speech_in.decision import KEPT, SAME_WORD_SECONDS, Decision, Judge, cut_short
from coach.speech_in.decoding import Utterance
from coach.speech_in.engine import Hypothesis
from coach.speech_in.listener import Listener
from coach.speech_in.not_understood import not_understood

RATING = frozenset({Intent.NUMBER, Intent.PAIN, Intent.STOP})


def utterance(expected: frozenset[Intent] | None = None, question: str = "") -> Utterance:
    return Utterance(np.zeros(1600, np.int16), 1.0, 1.4, 1.65, expected, None, question, 1)


@pytest.fixture(scope="module")
def judge() -> Judge:
    return Judge(load_vocabulary(), min_confidence=0.5, max_no_speech=0.8)


@pytest.mark.parametrize("hyp, expected, reason", [
    (Hypothesis("", 0.9, True), None, "garbage"),
    (Hypothesis("[unk]", 0.9, False), None, "garbage"),
    (Hypothesis("stop", 0.9, True, no_speech=0.95), None, "no-speech"),
    (Hypothesis("stop", 0.3, True), None, "low-confidence"),
    (Hypothesis("the weather is nice today", 0.9, True), None, "not-a-command"),
    (Hypothesis("harder", 0.9, True), RATING, "not-expected"),
    (Hypothesis("Stop.", 0.9, True), None, "accepted"),
    (Hypothesis("Seven.", 0.9, True), RATING, "accepted"),
    # One word whose sound the engine says is surely no number ("One." for an "on"):
    # the number is not taken; any other command is.
    (Hypothesis("One.", 0.9, True, no_number=True), RATING, "not-a-number"),
    (Hypothesis("three", 0.9, True, rescued=True, no_number=True), RATING, "not-a-number"),
    (Hypothesis("Stop.", 0.9, True, no_number=True), RATING, "accepted"),
])
def test_each_word_rule_gives_its_reason(judge: Judge, hyp: Hypothesis,
                                         expected: frozenset[Intent] | None, reason: str) -> None:
    heard, why = judge.verdict(utterance(expected), hyp)
    assert why == reason
    assert (heard is not None) == (reason == "accepted")
    assert judge.accepts(utterance(expected), hyp) == (reason == "accepted")


def test_an_answer_that_ends_the_session_is_taken_only_when_the_engine_is_sure() -> None:
    """Live, the coach's own "Stopping." reached Whisper as "Yeah." (0.04) and ended
    the session: a decisive answer needs ``decisive_confidence``; other words do not."""
    judge = Judge(load_vocabulary(), decisive_confidence=0.1)
    asked = Utterance(np.zeros(1600, np.int16), 1.0, 1.4, 1.65,
                      frozenset({Intent.YES, Intent.NO, Intent.STOP}), None, "End the session?", 1,
                      decisive=frozenset({Intent.YES, Intent.STOP}))
    assert judge.verdict(asked, Hypothesis("Yeah.", 0.04, True)) == (None, "low-confidence")
    assert judge.verdict(asked, Hypothesis("Stop.", 0.09, True)) == (None, "low-confidence")
    assert judge.verdict(asked, Hypothesis("No.", 0.04, True))[1] == "accepted"  # carries on
    heard, why = judge.verdict(asked, Hypothesis("Yes.", 0.17, True))  # the least sure real yes
    assert why == "accepted" and heard is not None and heard.intent is Intent.YES
    assert judge.verdict(utterance(), Hypothesis("Yeah.", 0.04, True))[1] == "accepted"


def test_an_accepted_word_is_dated_at_the_end_of_its_speech(judge: Judge) -> None:
    heard, _ = judge.verdict(utterance(RATING), Hypothesis("Seven.", 0.9, True))
    assert heard is not None
    assert (heard.intent, heard.number, heard.at) == (Intent.NUMBER, 7, 1.4)


def test_only_words_that_are_no_command_may_be_decoded_again() -> None:
    assert cut_short((None, "not-a-command"))
    for reason in ("garbage", "no-speech", "low-confidence", "not-expected"):
        assert not cut_short((None, reason))
    assert not cut_short((Heard(Intent.STOP, "stop", 0.9, 1.0), "accepted"))


def test_every_decision_is_kept_newest_last_up_to_a_limit() -> None:
    judge = Judge(load_vocabulary())
    for i in range(KEPT + 5):
        judge.decide(None, Hypothesis("", 0.0, False), "too-short", i, i + 0.1, i + 0.3)
    assert len(judge.decisions) == KEPT
    assert judge.decisions[-1].speech_start == KEPT + 4
    assert judge.last_decision_at == pytest.approx(KEPT + 4.3)


class NoEngine:
    """The edge: this is about which decisions are taken, never about words."""

    name = "none"
    description = "none"

    def decode(self, *_args: object, **_kwargs: object) -> Hypothesis:
        return Hypothesis("", 0.0, False)


def decide(judge: Judge, intent: Intent, start: float, end: float) -> Heard | None:
    heard = Heard(intent, intent.value, 0.9, end)
    return judge.decide(heard, Hypothesis(intent.value, 0.9, True), "accepted", start, end, end)


def test_a_stop_begun_right_after_the_last_one_is_the_same_word() -> None:
    judge = Judge(load_vocabulary())
    assert decide(judge, Intent.STOP, 1.0, 1.4) is not None
    assert decide(judge, Intent.STOP, 1.4 + SAME_WORD_SECONDS / 2, 2.2) is None
    assert judge.decisions[-1].reason == "same-word"


def number(judge: Judge, value: int, start: float, end: float) -> Heard | None:
    heard = Heard(Intent.NUMBER, str(value), 0.9, end, value)
    return judge.decide(heard, Hypothesis(str(value), 0.9, True), "accepted", start, end, end)


def test_a_rating_heard_again_from_its_own_tail_is_taken_once() -> None:
    judge = Judge(load_vocabulary())
    assert number(judge, 2, 3038.24, 3038.61) is not None  # the soak's figures
    assert number(judge, 2, 3038.82, 3039.29) is None
    assert judge.decisions[-1].reason == "same-word"
    assert number(judge, 6, 3039.40, 3039.70) is not None  # another number: a correction
    assert number(judge, 6, 3041.0, 3041.3) is not None  # the same, said again later


def test_said_again_later_or_another_word_counts() -> None:
    judge = Judge(load_vocabulary())
    assert decide(judge, Intent.STOP, 1.0, 1.4) is not None
    assert decide(judge, Intent.PAIN, 1.5, 1.9) is not None  # "it hurts" right after: taken
    assert decide(judge, Intent.STOP, 4.0, 4.4) is not None  # a moment later: taken
    assert decide(judge, Intent.STOP, 4.4 + SAME_WORD_SECONDS * 2, 5.6) is not None


def test_a_new_stream_forgets_the_last_word() -> None:
    listener = Listener(NoEngine())  # type: ignore[arg-type]
    assert decide(listener._judge, Intent.STOP, 1.0, 1.4) is not None
    listener.reset()
    assert listener.decisions == []
    assert decide(listener._judge, Intent.STOP, 1.0, 1.4) is not None


def test_a_word_told_by_its_sound_gives_only_the_questions_own_answer(judge: Judge) -> None:
    """At "Say go" a side may be said in words (the knee is still open), but a word
    told by its sound alone gives only go there: a synthetic "last session",
    written "Blast session.", was once told "left"."""
    ready = frozenset({Intent.GO, Intent.NEXT, Intent.LEFT, Intent.RIGHT, Intent.STOP})
    said = Utterance(np.zeros(1600, np.int16), 1.0, 1.4, 1.65, ready, None,
                     "Say go when you are ready.", 1, answers=frozenset({Intent.GO, Intent.NEXT}))
    by_sound = dict(rescued=True, by_sound=True)
    assert judge.verdict(said, Hypothesis("left", 0.65, True, **by_sound))[1] == "not-expected"
    assert judge.verdict(said, Hypothesis("go", 0.65, True, **by_sound))[1] == "accepted"
    assert judge.verdict(said, Hypothesis("Left.", 0.65, True))[1] == "accepted"  # in words
    # With nothing asked (a set), "stop" told by its sound is the engine's to limit.
    counting = Utterance(np.zeros(1600, np.int16), 1.0, 1.4, 1.65, None, None, "", 1)
    assert judge.verdict(counting, Hypothesis("stop", 0.65, True, **by_sound))[1] == "accepted"
    # At the rating question a number told by its sound is its own answer.
    rating = Utterance(np.zeros(1600, np.int16), 1.0, 1.4, 1.65, None, None,
                       "How is your knee, from zero to ten?", 1,
                       answers=frozenset({Intent.NUMBER}))
    heard, reason = judge.verdict(rating, Hypothesis("five", 0.65, True, **by_sound))
    assert reason == "accepted" and heard is not None and heard.number == 5
    assert judge.verdict(said, Hypothesis("five", 0.65, True, **by_sound))[1] == "not-expected"


def test_a_word_told_by_its_sound_is_not_taken_where_its_spelling_means_another(
        judge: Judge) -> None:
    """"start" said in a rest means the set: written "Start. Start.", its sound told
    as a stop is not taken there; while counting, where "Start." is a stop, it is,
    and so is a stop told from words that are no spelling of it ("step")."""
    resting = Utterance(np.zeros(1600, np.int16), 1.0, 1.4, 1.65, None, None, "", 1)
    counting = Utterance(np.zeros(1600, np.int16), 1.0, 1.4, 1.65, None, None, "", 1,
                         sound_alikes=frozenset({Intent.STOP}))
    for written in ("Start. Start.", "Star", "Start, start, start,"):
        told = Hypothesis("stop", 0.98, True, rescued=True, by_sound=True, written=written)
        assert judge.verdict(resting, told)[1] == "not-expected", written
        assert judge.verdict(counting, told)[1] == "accepted", written
    for written in ("step", "Store."):
        told = Hypothesis("stop", 0.98, True, rescued=True, by_sound=True, written=written)
        assert judge.verdict(resting, told)[1] == "accepted", written
    # The words themselves, in a rest: no command, as before.
    assert judge.verdict(resting, Hypothesis("Start. Start.", 0.6, True))[1] == "not-a-command"


def test_an_answer_is_not_taken_from_a_word_whose_sound_is_surely_another(judge: Judge) -> None:
    """Across a room Whisper writes "No." for a "down" after "End the session?": a
    question's own answer the keyword model knows is refused from a short
    utterance whose sound it finds surely another word; other commands, and any
    command when nothing was asked, are not."""
    confirm = Utterance(np.zeros(1600, np.int16), 1.0, 1.4, 1.65, None, None,
                        "End the session?", 1,
                        answers=frozenset({Intent.YES, Intent.NO, Intent.STOP}))
    other = {"other_word": True}
    for said in ("No.", "Yeah.", "Stop!"):
        assert judge.verdict(confirm, Hypothesis(said, 0.9, True, **other))[1] == "not-an-answer"
        assert judge.verdict(confirm, Hypothesis(said, 0.9, True))[1] == "accepted"
    assert judge.verdict(confirm, Hypothesis("no", 0.9, True, rescued=True, **other))[1] == (
        "not-an-answer")  # chosen among the answers: the same
    assert judge.verdict(confirm, Hypothesis("Repeat.", 0.9, True, **other))[1] == "accepted"
    ready = Utterance(np.zeros(1600, np.int16), 1.0, 1.4, 1.65, None, None,
                      "Say go when you are ready.", 1, answers=frozenset({Intent.GO, Intent.NEXT}))
    assert judge.verdict(ready, Hypothesis("Go.", 0.9, True, **other))[1] == "not-an-answer"
    assert judge.verdict(ready, Hypothesis("Next.", 0.9, True, **other))[1] == "accepted"  # unknown
    assert judge.verdict(ready, Hypothesis("Stop.", 0.9, True, **other))[1] == "accepted"  # no answer
    counting = Utterance(np.zeros(1600, np.int16), 1.0, 1.4, 1.65, None, None, "", 1)
    assert judge.verdict(counting, Hypothesis("Stop.", 0.9, True, **other))[1] == "accepted"
    # Refused so, the words were heard: the coach says what to say, as for any answer missed.
    refused = Decision(None, Hypothesis("No.", 0.9, True, **other), "not-an-answer", 1.0, 1.4, 1.65)
    event = not_understood(refused)
    assert event is not None and event.had_speech and event.reason == "not-an-answer"


def test_a_yes_is_not_taken_from_a_word_whose_sound_is_surely_no_yes(judge: Judge) -> None:
    """A yes ends the session at "End the session?": across a room Whisper writes
    "Yeah." for a "cat" whose sound the keyword model finds less than 1% a yes,
    and that yes is refused; a no from the same sound is taken (it carries on),
    and so is a yes the sound does not rule out, or one that does not end the
    session ("Carry on from there?", when resuming)."""
    confirm = Utterance(np.zeros(1600, np.int16), 1.0, 1.4, 1.65, None, None,
                        "End the session?", 1,
                        answers=frozenset({Intent.YES, Intent.NO, Intent.STOP}),
                        decisive=frozenset({Intent.YES, Intent.STOP}))
    for said in ("Yeah.", "Yes. Yes.", "yes"):
        assert judge.verdict(confirm, Hypothesis(said, 0.9, True, not_yes=True))[1] == (
            "not-an-answer"), said
        assert judge.verdict(confirm, Hypothesis(said, 0.9, True))[1] == "accepted", said
    assert judge.verdict(confirm, Hypothesis("yes", 0.9, True, rescued=True, not_yes=True))[1] == (
        "not-an-answer")  # chosen among the answers: the same
    for said in ("No.", "Stop.", "Repeat."):
        assert judge.verdict(confirm, Hypothesis(said, 0.9, True, not_yes=True))[1] == "accepted"
    resume = Utterance(np.zeros(1600, np.int16), 1.0, 1.4, 1.65, None, None,
                       "You stopped during the squats, set 2. Carry on from there?", 1,
                       answers=frozenset({Intent.YES, Intent.NO}))
    assert judge.verdict(resume, Hypothesis("Yeah.", 0.9, True, not_yes=True))[1] == "accepted"
    refused = Decision(None, Hypothesis("Yeah.", 0.9, True, not_yes=True), "not-an-answer",
                       1.0, 1.4, 1.65)
    event = not_understood(refused)
    assert event is not None and event.had_speech and event.reason == "not-an-answer"

"""What Whisper writes down, turned into the words of a command (or not)."""

from __future__ import annotations

import pytest

from coach.commands.intents import Intent
from coach.commands.parser import load_vocabulary, parse
from coach.speech_in.transcript import command_text

VOCAB = load_vocabulary()
ASK_PAIN = "How is your knee, from zero to ten?"


def heard(text: str, *, question: str = "", rating: bool = False, truncated: bool = False):
    words = command_text(text, VOCAB, question=question, number_expected=rating, truncated=truncated)
    return parse(words, VOCAB, spoken=True)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Stop. Stop. Stop.", Intent.STOP),
        ("GO GO GO GO GO GO", Intent.GO),
        ("Yes? Yes? Yes? Yes?", Intent.YES),
        ("Left, left, left, left, left,", Intent.LEFT),
        ("How many left? How many left?", Intent.STATUS),
        ("Next.", Intent.NEXT),
    ],
)
def test_repeats_count_once(text: str, intent: Intent) -> None:
    got = heard(text)
    assert got is not None and got.intent is intent


def test_a_repeat_cut_off_by_the_length_limit_is_dropped() -> None:
    assert heard("Pause. Pause. Pause. Pau", truncated=True).intent is Intent.PAUSE  # type: ignore[union-attr]
    assert heard("Pause. Pause. Pause. Pau", truncated=False) is None


@pytest.mark.parametrize("text", ["Let's go. Let's", "I will stop. I will", "Okay. Go on and"])
def test_a_transcript_cut_off_that_is_not_a_repetition_is_no_command(text: str) -> None:
    """Said over "stop", Whisper wrote "Let's go. Let's": cut off by the limit, it
    cannot be told apart from a longer sentence."""
    assert heard(text, truncated=True) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [("Seven. Seven. Seven.", 7), ("7", 7), ("6th", 6), ("Sixth.", 6), ("for", 4), ("Four.", 4),
     ("to", 2), ("Too.", 2), ("Won.", 1), ("ate", 8), ("10", 10), ("Zero.", 0), ("7/10", 7),
     ("Seven out of ten.", 7)],
)
def test_numbers_at_the_rating_question(text: str, number: int) -> None:
    got = heard(text, question=ASK_PAIN, rating=True)
    assert got is not None and got.intent is Intent.NUMBER and got.number == number


@pytest.mark.parametrize("text", ["for", "to", "too", "won", "ate"])
def test_sound_alikes_are_not_numbers_when_no_rating_was_asked(text: str) -> None:
    assert heard(text) is None


@pytest.mark.parametrize("text", ["Fine.", "Tree.", "A.", "A. A. A."])
def test_near_sound_alikes_are_no_ratings(text: str) -> None:
    """Whisper writes "A." for an "eight" across a room, and for an "off" said
    close as often: taken for eight, other words gave a rating twice as often."""
    assert heard(text, question=ASK_PAIN, rating=True) is None


@pytest.mark.parametrize(
    "text",
    ["you", "You", "Thank you.", "Thanks for watching!", "Bye.", "Bye-bye.", "Okay.", "Oh.", "Hmm.",
     "[BLANK_AUDIO]", "(music)", "...", "", "So.", "Please subscribe.", "I'm sorry."],
)
def test_what_whisper_writes_for_non_speech_is_never_a_command(text: str) -> None:
    for rating in (False, True):
        for question in ("", ASK_PAIN, "Stopping. End the session?", "Say go when you are ready."):
            assert heard(text, question=question, rating=rating) is None, (text, question)


@pytest.mark.parametrize(
    "text", ["What?", "More.", "Less.", "Too loud.", "Ow!", "Hurts.", "Start.", "End."])
def test_look_alikes_are_never_taken_from_speech(text: str) -> None:
    assert heard(text) is None


def test_a_long_phrase_cut_off_in_its_second_copy_counts() -> None:
    got = heard("How many left? How many", truncated=True)
    assert got is not None and got.intent is Intent.STATUS

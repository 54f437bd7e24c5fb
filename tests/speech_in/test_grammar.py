"""What the recogniser grammars are built from: the vocabulary, less its look-alikes."""

from __future__ import annotations

from coach.commands.intents import Intent
from coach.commands.parser import load_vocabulary, parse
from coach.core.expect import ALWAYS, ANSWERS, COMMANDS, QUESTIONS, expected_intents, focus_intents
from coach.core.states import State
from coach.speech_in.grammar import command_phrases, pick_garbage_words


def test_not_spoken_phrases_are_typed_but_never_listened_for() -> None:
    vocab = load_vocabulary()
    phrases = command_phrases(vocab)
    assert vocab.not_spoken and not vocab.not_spoken & set(phrases)
    for phrase in vocab.not_spoken:
        assert parse(phrase, vocab) is not None  # still a command when typed
    # every intent keeps something to say
    by_intent = vocab.phrases()
    for intent, said in by_intent.items():
        assert set(said) - vocab.not_spoken, intent


def test_garbage_words_keep_away_from_command_sounds() -> None:
    pron = {"stop": "S T AA P", "staat": "S T AA T", "stopped": "S T AA P T",
            "top": "T AA P", "cat": "K AE T", "house": "HH AW S", "bed": "B EH D"}
    picked = pick_garbage_words(pron, {"stop"}, 10)
    assert set(picked) == {"cat", "house", "bed"}  # one sound from "stop": left out


def test_each_question_listens_for_its_answers_and_the_commands_that_always_work() -> None:
    # The focus (a grammar engine's whole grammar): the answers and what always works.
    assert focus_intents(State.ASK_PAIN) == {Intent.NUMBER} | ALWAYS
    assert focus_intents(State.CONFIRM_STOP) == {Intent.YES, Intent.NO} | ALWAYS
    assert focus_intents(State.ASK_SIDE) == {Intent.LEFT, Intent.RIGHT} | ALWAYS
    # Accepted besides: every command, so one that is no answer is told what to say.
    assert expected_intents(State.ASK_PAIN) == {Intent.NUMBER} | COMMANDS
    assert expected_intents(State.ASK_SIDE) == {Intent.LEFT, Intent.RIGHT} | COMMANDS
    assert not expected_intents(State.WORKING) & ANSWERS
    assert {Intent.LEFT, Intent.RIGHT} <= expected_intents(State.OPENING)
    # once the knee is settled, left and right are no longer listened for
    assert not {Intent.LEFT, Intent.RIGHT} & expected_intents(State.OPENING, side_open=False)
    for state in State:
        assert Intent.STOP in expected_intents(state)  # stop is always heard
        assert Intent.HELP in expected_intents(state)  # and help says what fits
    assert set(QUESTIONS) <= set(State) and COMMANDS | ANSWERS == set(Intent)


def test_phrases_only_whisper_listens_for_leave_the_grammars_as_they_were() -> None:
    """PocketSphinx's rejections were measured with its garbage sample: phrases
    heard by Whisper alone change neither the grammar's phrases nor that sample."""
    from dataclasses import replace

    vocab = load_vocabulary()
    assert "simple voice" in vocab.phrases()[Intent.SIMPLE_VOICE]
    phrases = command_phrases(vocab)
    assert not set(phrases) & vocab.not_in_grammars
    without = replace(vocab, intent_phrases={
        i: tuple(p for p in ps if " ".join(p) not in vocab.not_in_grammars)
        for i, ps in vocab.intent_phrases.items()}, not_in_grammars=frozenset())
    assert command_phrases(without) == phrases
    assert vocab.words() == without.words()

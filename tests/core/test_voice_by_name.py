"""The voice by name, verbosity and tones, by voice: answered in the new state,
logged to be saved, and never during a set."""

from __future__ import annotations

from dataclasses import replace

from core_harness import drive

from coach.commands.intents import Intent
from coach.commands.parser import load_vocabulary, parse
from coach.core.actions import ChangeVoice, Cue, Say
from coach.core.records import SettingsChanged
from coach.core.states import State
from coach.program.model import Side
from coach.settings import CountWith, Settings, Verbosity


def _said(actions: list) -> list[str]:  # type: ignore[type-arg]
    return [a.text for a in actions if isinstance(a, Say)]


def test_the_phrases_are_their_intents() -> None:
    vocab = load_vocabulary()
    for text, intent in (("simple voice", Intent.SIMPLE_VOICE), ("robot voice", Intent.SIMPLE_VOICE),
                         ("Natural voice.", Intent.NATURAL_VOICE), ("talk less", Intent.TALK_LESS),
                         ("shorter instructions", Intent.TALK_LESS),
                         ("more detail", Intent.MORE_DETAIL), ("Tones on.", Intent.TONES_ON),
                         ("tones off", Intent.TONES_OFF), ("less", Intent.EASIER),
                         ("left", Intent.LEFT)):
        command = parse(text, vocab)
        assert command is not None and command.intent is intent, text


def test_simple_voice_changes_the_voice_before_it_is_said_and_is_logged() -> None:
    d = drive(side=Side.LEFT, settings=Settings(voice="heart", rate_wpm=130)).start()
    out = d.hear("simple voice")
    changes = [a for a in out if isinstance(a, ChangeVoice)]
    assert changes == [ChangeVoice(130, 0.8, "en-us")]
    # The change comes first: "Simple voice." is said in the new voice.
    assert out.index(changes[0]) < next(i for i, a in enumerate(out) if isinstance(a, Say))
    assert _said(out) == ["Simple voice."]
    assert d.session.settings.voice == "en-us"
    assert replace(d.logs(SettingsChanged)[-1], at=0) == SettingsChanged(0, 130, 0.8, voice="en-us")
    assert _said(d.hear("robot voice")) == ["This is already the simple voice."]
    out = d.hear("natural voice")
    assert [a for a in out if isinstance(a, ChangeVoice)] == [ChangeVoice(130, 0.8, "heart")]
    assert _said(out) == ["Natural voice."]


def test_another_simple_voice_already_chosen_is_kept() -> None:
    d = drive(side=Side.LEFT, settings=Settings(voice="en-gb")).start()
    out = d.hear("simple voice")
    assert _said(out) == ["This is already the simple voice."]
    assert not [a for a in out if isinstance(a, ChangeVoice)]


def test_talk_less_gives_the_one_line_reminder_and_more_detail_every_step() -> None:
    d = drive(side=Side.LEFT).start()
    assert _said(d.hear("talk less")) == ["Shorter instructions."]
    assert d.session.settings.verbosity is Verbosity.SHORT
    assert d.logs(SettingsChanged)[-1].verbosity == "short"
    d.until_said("First:")
    d.until_state(State.READY)
    assert "Lift your left leg." in d.said()  # the exercise's one-line reminder
    assert "raise step one, left leg." not in d.said()
    assert _said(d.hear("more detail")) == ["Full instructions."]
    assert _said(d.hear("more detail")) == ["The instructions are already full."]
    assert d.logs(SettingsChanged)[-1].verbosity == "full"


def test_tones_on_counts_the_next_set_with_tones() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    assert _said(d.hear("tones on")) == ["Counting with tones, from the next set."]
    assert d.session.settings.count_with is CountWith.TONES
    mark = len(d.actions)
    d.hear("go")
    d.until_state(State.RESTING)
    beats = [a for _, a in d.actions[mark:] if isinstance(a, Cue)]
    assert beats and not [s for s in d.said(mark) if s in ("1", "2", "3")]
    assert _said(d.hear("tones off")) == ["Counting aloud, from the next set."]
    assert d.logs(SettingsChanged)[-1].count_with == "voice"


def test_during_a_set_each_is_said_again_after_it_and_nothing_changes() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    before = d.session.settings
    for text in ("simple voice", "natural voice", "talk less", "more detail", "tones on",
                 "tones off"):
        out = d.hear(text)
        assert _said(out) == ["Say that again after this set."], text
        assert not [a for a in out if isinstance(a, ChangeVoice)]
    assert d.session.settings == before and d.state is State.WORKING
    assert d.logs(SettingsChanged) == []
    d.until_state(State.RESTING)
    assert _said(d.hear("simple voice")) == ["Simple voice."]  # in the rest it applies


def test_at_the_pain_question_the_question_still_waits() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.ASK_PAIN, limit=900)
    assert _said(d.hear("tones on")) == ["Counting with tones, from the next set."]
    assert d.state is State.ASK_PAIN

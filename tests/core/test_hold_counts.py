"""Holds counted down: the rep number after a countdown is a word, and holds are called holds."""

from __future__ import annotations

from core_harness import drive, exercise, program

from coach.core.actions import SayKind
from coach.program.model import Phase, Side

HOLD = (Phase("Lift your foot.", 2.0), Phase("Hold.", 6.0, True), Phase("Foot down.", 2.0))


def _balance():  # type: ignore[no-untyped-def]
    d = drive(program(exercise(sets=1, reps=2, phases=HOLD)), side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    return d


def test_a_countdown_is_followed_by_a_worded_rep_number() -> None:
    d = _balance()
    d.until_said("That's 2.")
    beats = [s.text for s in d.says() if s.at is not None and s.kind is not SayKind.LINE]
    first = beats.index("Foot down.")
    assert beats[first - 2: first + 2] == ["2", "1", "Foot down.", "That's 1."]


def test_holds_are_announced_and_counted_as_holds() -> None:
    d = _balance()
    assert "Set 1 of 1, 2 holds." in d.said()
    d.until_said("Hold.")
    d.hear("how many left")
    assert d.said()[-1] == "Set 1 of 1, 2 holds to go."


def test_reps_with_a_short_hold_stay_reps() -> None:
    d = drive(program(exercise(sets=1, reps=2)), side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lower.")
    assert "Set 1 of 1, 2 reps." in d.said()
    d.until_said("1")
    assert "That's 1." not in d.said()

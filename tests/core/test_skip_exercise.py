""" "skip this exercise" leaves the whole exercise at once, wherever it is."""

from __future__ import annotations

from core_harness import drive, exercise, program

from coach.core.records import ExerciseSkipped, SetDone
from coach.core.states import State
from coach.program.model import Side
from coach.speech_in.typed import TypedText


def _two():  # type: ignore[no-untyped-def]
    return drive(program(exercise("a"), exercise("b")), side=Side.LEFT).start()


def test_skip_this_exercise_during_its_steps_skips_it_at_once() -> None:
    d = _two()
    d.until_said("a step one")
    d.hear("skip this exercise")
    assert d.said()[-2:] == ["Skipping the a exercise.", "Next: b exercise."]
    assert [r.exercise for r in d.logs(ExerciseSkipped)] == ["a"]


def test_skip_this_exercise_during_a_set_keeps_the_set_as_partial() -> None:
    d = _two()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    d.hear("skip this exercise")
    assert d.state is State.INTRO
    assert [r.exercise for r in d.logs(ExerciseSkipped)] == ["a"]
    assert [(s.exercise, s.complete) for s in d.logs(SetDone)] == [("a", False)]


def test_the_phrases_are_understood() -> None:
    typed = TypedText()
    for text in ("skip this exercise", "skip exercise", "next exercise"):
        heard = typed.heard(text, 0.0)
        assert heard is not None and heard.intent.value == "skip-exercise", text

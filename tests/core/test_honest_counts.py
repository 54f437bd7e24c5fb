"""What the summary and the history say was done: only the work that was done."""

from __future__ import annotations

import dataclasses
import json

import pytest
from core_harness import drive, exercise, program

from coach.core.records import ExerciseDone, ExerciseSkipped, SetDone
from coach.core.states import State
from coach.program.model import Side


def test_a_set_ended_at_its_first_cue_is_not_counted_as_done() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    d.hear("next")
    d.until_state(State.RESTING)
    d.hear("stop")
    d.hear("yes")
    d.until_said("Goodbye.")
    summary = d.session.summary()
    assert summary.sets_done == 0
    assert summary.sets_partial == 1
    said = d.said()
    assert "You did 0 exercises and 0 sets." in said
    assert "1 set was ended early." in said
    logged = d.logs(SetDone)[0]
    assert logged.reps == 0 and logged.reps_planned == 3 and not logged.complete


def test_every_set_ended_early_leaves_the_exercise_not_done() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    for _ in range(2):
        d.hear("go") if d.state is State.READY else None
        d.until_said("Lift.")
        d.hear("next")
    d.until_state(State.ASK_PAIN)
    d.hear("zero")
    d.until_said("Goodbye.")
    said = d.said()
    assert "You did 0 exercises and 0 sets." in said
    assert "2 sets were ended early." in said
    done = d.logs(ExerciseDone)[0]
    assert done.sets_done == 0


def test_a_set_with_most_of_its_reps_counts_as_done() -> None:
    """Four fifths of the planned reps make a set done: 3 reps of 3 here, and
    with 5 reps, 4 of them."""
    prog = program(exercise(sets=1, reps=5))
    d = drive(prog, side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("4")  # the fourth rep's number
    d.hear("next")
    d.until_state(State.ASK_PAIN)
    assert d.logs(SetDone)[0].complete
    assert d.session.summary().sets_done == 1


def test_skipped_exercises_are_named_in_the_summary() -> None:
    prog = program(exercise("raise"), exercise("squat"), exercise("bridge"))
    d = drive(prog, side=Side.LEFT).start()
    d.to_ready()
    d.hear("next")  # the raise skipped at its start prompt
    d.until_state(State.READY)
    d.hear("next")  # and the squat
    d.until_state(State.READY)
    d.hear("stop")
    d.hear("yes")
    d.until_said("Goodbye.")
    assert "You skipped the raise exercise and the squat exercise." in d.said()
    assert [s.exercise for s in d.logs(ExerciseSkipped)] == ["raise", "squat"]


def test_a_summary_handed_out_never_changes_afterwards() -> None:
    """The summary read while it is being said is a value: the session's end
    makes a new one (dated later) and leaves the first as it was."""
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    d.hear("stop")
    d.hear("yes")
    d.until_state(State.SUMMARY)
    said = d.session.summary()
    ended_at = said.ended_at
    d.until(lambda: d.runner.ended, limit=60)
    final = d.runner.summary
    assert final is not None and final is not said
    assert said.ended_at == ended_at  # not changed by the end
    assert final.ended_at > ended_at and final.duration_seconds == said.duration_seconds
    with pytest.raises(dataclasses.FrozenInstanceError):
        said.completed = True  # type: ignore[misc]


def test_the_summary_keeps_the_history_files_format() -> None:
    """``as_json`` is what the history file and ``--json`` have always held:
    the same keys, in the same order."""
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    d.hear("harder")
    d.hear("it hurts")
    d.hear("two")
    d.hear("stop")
    d.hear("yes")
    d.until(lambda: d.runner.ended, limit=120)
    assert d.runner.summary is not None
    kept = d.runner.summary.as_json()
    assert list(kept) == ["program", "side", "completed", "started_at", "ended_at",
                          "duration_seconds", "exercises", "exercises_done", "sets_done",
                          "sets_partial", "skipped", "pain", "level_changes", "levels"]
    assert list(kept["exercises"][0]) == ["id", "name", "sets_done", "sets_partial",
                                          "sets_planned", "done", "skipped", "level",
                                          "level_id"]
    assert [list(p) for p in kept["pain"]] == [["exercise", "rating", "when", "at"]]
    assert kept["pain"][0]["rating"] == 2 and kept["pain"][0]["when"] == "during"
    assert [list(c) for c in kept["level_changes"]] == [["exercise", "from", "to", "at"]]
    assert kept["side"] == "left" and kept["completed"] is False
    assert json.loads(json.dumps(kept)) == kept

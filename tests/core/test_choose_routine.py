"""Choosing today's routine by voice, before the first set: hear which there are,
choose one by name, hear it confirmed; kept out of the way once the work has begun."""

from __future__ import annotations

from core_harness import drive

from coach.core.actions import Say
from coach.core.records import RoutineChosen
from coach.core.states import State
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.spoken_text import load_lines


def _said(actions: list) -> list[str]:  # type: ignore[type-arg]
    return [a.text for a in actions if isinstance(a, Say)]


def _session():  # type: ignore[no-untyped-def]
    knee = load_bundled("medial-knee")
    return drive(knee, side=Side.LEFT, choices=(knee,)).start()


def test_which_routines_lists_the_routine_and_its_conditions() -> None:
    d = _session()
    said = _said(d.hear("which routines"))
    assert said == ["You can choose the medial knee routine, or only its exercises for "
                    "osteoarthritis, meniscus tear, MCL sprain, kneecap subluxation or "
                    "pes anserine bursitis. Say the one you want."]


def test_a_condition_chosen_at_the_opening_makes_today_its_exercises() -> None:
    d = _session()
    said = _said(d.hear("the pes anserine bursitis exercises"))
    assert said[0] == "The exercises for pes anserine bursitis."
    d.until_said("Today there are 4 exercises")  # after the routine's safety lines
    chosen = d.logs(RoutineChosen)
    assert [c.exercises for c in chosen] == [("straight-leg-raise", "seated-knee-extension",
                                              "resisted-side-stepping", "wall-squat")]
    assert chosen[0].conditions == ("pes-anserine",)
    d.until_state(State.READY)
    assert d.session.exercise is not None and d.session.exercise.id == "straight-leg-raise"
    assert len(d.session.program.exercises) == 4


def test_the_whole_routine_by_its_spoken_name_at_the_start_prompt() -> None:
    d = _session()
    d.hear("pes anserine")
    d.until_state(State.READY)
    said = _said(d.hear("the medial knee routine"))
    assert said[0] == "The medial knee routine."
    assert said[1].startswith("Today there are 6 exercises")


def test_the_same_routine_again_is_said_to_be_today_s() -> None:
    d = _session()
    assert _said(d.hear("medial knee routine")) == ["That is already today's routine."]
    assert _said(d.hear("meniscus tear")) == ["All of today's exercises help with meniscus tear."]
    assert d.logs(RoutineChosen) == []


def test_out_of_the_way_during_a_set_and_too_late_after_the_first() -> None:
    d = _session()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    assert _said(d.hear("meniscus tear")) == ["That does not work during a set."]
    assert _said(d.hear("which routines")) == ["That does not work during a set."]
    d.hear("pause")
    said = _said(d.hear("meniscus tear"))
    assert said == ["The routine can be chosen before the first set. "
                    "To change it, stop and start a new session."]
    assert d.logs(RoutineChosen) == []


def test_help_at_the_opening_tells_of_it_and_not_during_a_set() -> None:
    d = _session()
    said = _said(d.hear("help"))
    assert "what can I choose" in said[0] and "what do I need" in said[0]
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    said = _said(d.hear("help"))
    assert not any("routines" in line or "need" in line for line in said)


def test_a_condition_no_exercise_helps_is_not_offered() -> None:
    from dataclasses import replace

    from coach.program.model import Condition

    knee = load_bundled("medial-knee")
    knee = replace(knee, conditions=(*knee.conditions, Condition("gout", "gout", ("gout",))))
    d = drive(knee, side=Side.LEFT, choices=(knee,)).start()
    assert "gout" not in _said(d.hear("which routines"))[0]
    assert _said(d.hear("meniscus tear")) == ["All of today's exercises help with meniscus tear."]


def test_a_routine_chosen_keeps_when_the_session_began() -> None:
    """The summary of a session whose routine was chosen by voice still counts
    its time from the session's start, not from zero."""
    from coach.commands.parser import load_vocabulary, parse
    from coach.core.events import Heard
    from coach.core.session import Session
    from coach.settings import Settings

    knee = load_bundled("medial-knee")
    session = Session(knee, settings=Settings(), side=Side.LEFT, choices=(knee,), lines=load_lines())
    session.start(100.0)
    parsed = parse("the pes anserine bursitis exercises", load_vocabulary())
    assert parsed is not None
    session.handle(Heard(parsed.intent, parsed.text, 1.0, 101.0, parsed.number))
    assert len(session.program.exercises) == 4  # the routine was chosen
    assert session.summary().started_at == 100.0

"""The forward path of a session: opening, plan, exercises, sets, rests, pain.

Functions here move a session on when something finishes (a narration, a
timeline) or when an answer arrives. They are the only place that decides
what comes next, so the order of a session can be read top to bottom.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.core import interrupt, rating
from coach.core.count_plan import STEP_GAP_SECONDS, rest_plan, work_plan
from coach.core.pain import PainWhen
from coach.core.records import ExerciseDone, ExerciseSkipped, SetDone, SideChosen
from coach.core.states import State
from coach.program.model import Exercise
from coach.settings import CountWith

if TYPE_CHECKING:
    from coach.core.session import Session


def _interrupt():
    from coach.core import interrupt

    return interrupt


def tones(s: Session) -> bool:
    return s.settings.count_with is CountWith.TONES


# --------------------------------------------------------------- opening


def narration_done(s: Session) -> None:
    if s.state is State.OPENING:
        after_opening(s)
    elif s.state is State.PLAN:
        start_exercise(s)
    elif s.state is State.INTRO:
        s._ask(State.READY, s.lines.get("start_prompt"))
    elif s.state is State.SUMMARY:
        interrupt.finish(s)


def resume_exercise(s: Session) -> Exercise | None:
    if s.resume is None:
        return None
    for ex in s.program.exercises:
        if ex.id == s.resume.exercise_id:
            return ex
    return None


def after_opening(s: Session) -> None:
    ex = resume_exercise(s)
    if ex is not None and s.resume is not None:
        text = s.lines.get("resume_offer", exercise=ex.name, set=s.resume.set_number)
        s._ask(State.ASK_RESUME, text)
    else:
        side_or_plan(s)


def answer_resume(s: Session, yes: bool) -> None:
    ex = resume_exercise(s)
    if yes and ex is not None and s.resume is not None:
        s._ex_index = s.program.exercises.index(ex)
        s._set_number = min(max(1, s.resume.set_number), s._dose(ex).sets)
        if s.side is None and s.resume.side is not None:
            s.side = s.resume.side
            s._log(SideChosen(s._now, s.side))
        s._say(s.lines.get("resume_yes", exercise=ex.name, set=s._set_number))
    else:
        s._say(s.lines.get("resume_no"))
    side_or_plan(s)


def side_or_plan(s: Session) -> None:
    if s.side is None:
        s._ask(State.ASK_SIDE, s.lines.get("ask_side"))
    else:
        plan(s)


def plan(s: Session) -> None:
    s._to(State.PLAN)
    s.side_open = False  # from here on, the leg is settled
    remaining = s.program.exercises[s._ex_index :]
    seconds = sum(planned_seconds(s, ex) for ex in remaining)
    minutes = s.lines.count("n_minutes", max(1, round(seconds / 60)))
    if len(remaining) == 1:
        s._narrate([s.lines.get("plan_one", minutes=minutes)])
    else:
        s._narrate([s.lines.get("plan", count=len(remaining), minutes=minutes)])


def planned_seconds(s: Session, ex: Exercise) -> float:
    """About how long an exercise takes: its steps read out, its sets as
    counted (from the same timeline the count uses), and the rests between."""
    dose = s._dose(ex)
    work = work_plan(dose, s.side, s.lines, s.settings.count_with, announce="").end
    words = sum(len(step.text.split()) for step in ex.steps) + len(ex.why.split())
    talk = words * 60.0 / max(1, s.settings.rate_wpm) + STEP_GAP_SECONDS * len(ex.steps)
    return talk + dose.sets * work + max(0, dose.sets - 1) * dose.rest_seconds


# ------------------------------------------------------------- exercises


def intro_lines(s: Session, ex: Exercise, *, full: bool) -> list[str]:
    key = "exercise_first" if s._ex_index == 0 else "exercise_intro"
    lines = [s.lines.get(key, name=ex.name)]
    if full:
        lines.append(ex.why)
        lines.extend(step.text for step in ex.steps)
    else:
        lines.append(ex.short_cue)
    lines.extend(ex.safety)
    return [x for x in lines if x]  # templates: ``Session._say`` fills in the side


def start_exercise(s: Session) -> None:
    """Introduce the current exercise, or end the session when none is left."""
    ex = s.exercise
    if ex is None:
        interrupt.end(s, completed=True)
        return
    s._to(State.INTRO)
    s.progress.record(ex.id).sets_planned = s._dose(ex).sets
    s._reps_done = 0
    full = not s._short_intro(ex)
    s._narr_full = full
    s._narrate(intro_lines(s, ex, full=full))


def full_instructions(s: Session, index: int = 0) -> None:
    ex = s.exercise
    if ex is None:
        return
    s._to(State.INTRO)
    s._narr_full = True
    lines = intro_lines(s, ex, full=True)
    s._narrate(lines, min(max(index, 0), len(lines) - 1))


def set_announcement(s: Session, ex: Exercise) -> str:
    sets = s._dose(ex).sets
    text = s.lines.get("set_of", set=s._set_number, sets=sets)
    if s._set_number == sets and sets > 1:
        text = f"{text} {s.lines.get('last_set')}"
    return text


def start_set(s: Session, at: float, *, announce: bool = True) -> None:
    ex = s.exercise
    if ex is None:
        interrupt.end(s, completed=True)
        return
    s._to(State.WORKING)
    s._reps_done = 0
    text = set_announcement(s, ex) if announce else None
    tl = work_plan(s._dose(ex), s.side, s.lines, s.settings.count_with, announce=text)
    s._run_timeline(tl, at)


def timeline_done(s: Session, end: float) -> None:
    """A set or a rest reached its end deadline ``end`` (exact, not the tick)."""
    if s.state is State.RESTING:
        start_set(s, end, announce=False)
    elif s.state is State.WORKING:
        set_done(s, end)


def set_done(s: Session, at: float) -> None:
    ex = s.exercise
    assert ex is not None
    dose = s._dose(ex)
    rec = s.progress.record(ex.id)
    rec.sets_done += 1
    rec.sets_planned = dose.sets
    s._log(
        SetDone(
            at,
            exercise=ex.id,
            set_number=s._set_number,
            of_sets=dose.sets,
            reps=s._reps_done,
            level=s.levels[ex.id],
            side=s.side,
        )
    )
    if s._set_number >= dose.sets:
        exercise_done(s, at)
        return
    s._set_number += 1
    if dose.rest_seconds <= 0:
        start_set(s, at)
        return
    s._to(State.RESTING)
    tl = rest_plan(
        dose.rest_seconds, s.lines, s.settings.count_with, announce=set_announcement(s, ex)
    )
    s._run_timeline(tl, at)


def exercise_done(s: Session, at: float) -> None:
    ex = s.exercise
    assert ex is not None
    rec = s.progress.record(ex.id)
    rec.done = True
    s._log(ExerciseDone(at, ex.id, sets_done=rec.sets_done, sets_planned=rec.sets_planned))
    s._say(s.lines.get("exercise_done", name=ex.name))
    rating.ask_pain(s, PainWhen.AFTER_EXERCISE)


def next_exercise(s: Session) -> None:
    s._ex_index += 1
    s._set_number = 1
    start_exercise(s)


def skip_exercise(s: Session, reason: str) -> None:
    ex = s.exercise
    if ex is not None:
        s.progress.record(ex.id).skipped = reason
        s._log(ExerciseSkipped(s._now, ex.id, reason))
        s._say(s.lines.get("skipped", name=ex.name))
    s._frozen = None
    s._tl = None
    next_exercise(s)

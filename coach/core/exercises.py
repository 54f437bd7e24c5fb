"""Each exercise: its introduction, its sets and rests, and what ends it.

Functions here move the session through one exercise and on to the next;
they are the only place that decides what comes next within the routine,
so its order can be read top to bottom.
"""

from __future__ import annotations

from coach.core import closing, prompts
from coach.core.context import Context
from coach.core.count_plan import (
    ANNOUNCE_SECONDS,
    announce_room,
    counts_holds,
    rest_plan,
    work_plan,
)
from coach.core.pain import PainWhen
from coach.core.progress import set_complete
from coach.core.records import ExerciseDone, ExerciseSkipped, SetDone
from coach.core.states import State
from coach.program.model import Exercise, Pattern
from coach.settings import Verbosity


# How the first set's size is said, for each way a set is split between legs.
SET_SIZE = {
    Pattern.ONE_SIDE: "set_size_one_side",
    Pattern.PER_SIDE: "set_size_per_side",
    Pattern.ALTERNATING: "set_size_alternating",
    Pattern.EACH_DIRECTION: "set_size_each_direction",
    Pattern.BOTH: "set_size_both",
}

def intro_lines(ctx: Context, ex: Exercise, *, full: bool) -> list[str]:
    """The exercise's name, then every step (``full``) or its one-line reminder, then safety."""
    key = "exercise_first" if ctx.routine.index == 0 else "exercise_intro"
    lines = [ctx.lines.get(key, name=ex.name)]
    if full:
        lines.append(ex.why)
        lines.extend(step.text for step in ex.steps)
    else:
        lines.append(ex.short_cue)
    lines.extend(ex.safety)
    return [line for line in lines if line]  # templates: ``Context.say`` fills in the side


def short_intro(ctx: Context, ex: Exercise) -> bool:
    """Whether ``ex`` is introduced by its one-line reminder instead of every step."""
    if not ex.short_cue:
        return False
    verbosity = ctx.settings.verbosity
    return verbosity is Verbosity.SHORT or (verbosity is Verbosity.AUTO and ex.id in ctx.familiar)


def start_exercise(ctx: Context) -> None:
    """Introduce the current exercise, or end the session when none is left."""
    ex = ctx.exercise
    if ex is None:
        closing.end(ctx, completed=True)
        return
    ctx.go(State.INTRO)
    ctx.progress.plan_sets(ex.id, ctx.dose(ex).sets)
    ctx.counting.new_set()
    full = not short_intro(ctx, ex)
    ctx.narration.read_in_full(full)
    ctx.narrate(intro_lines(ctx, ex, full=full))


def full_instructions(ctx: Context, index: int = 0) -> None:
    """Every step of the current exercise, read from line ``index``."""
    ex = ctx.exercise
    if ex is None:
        return
    ctx.go(State.INTRO)
    ctx.narration.read_in_full(True)
    lines = intro_lines(ctx, ex, full=True)
    ctx.narrate(lines, min(max(index, 0), len(lines) - 1))


def set_announcement(ctx: Context, ex: Exercise) -> str:
    """ "Set 2 of 3.", and "Last set." on the last of several; the first set says
    how many reps: "Set 1 of 3, 10 reps." (on each leg, each way...)."""
    dose = ctx.dose(ex)
    sets = dose.sets
    set_number = ctx.routine.set_number
    if set_number == 1:
        reps = ctx.lines.count("n_holds" if counts_holds(dose) else "n_reps", dose.reps)
        size = ctx.lines.get(SET_SIZE[dose.pattern], reps=reps)
        text = ctx.lines.get("set_first", set=set_number, sets=sets, size=size)
    elif set_number == sets:  # the last of several
        text = ctx.lines.get("set_last", set=set_number, sets=sets)
    else:
        text = ctx.lines.get("set_of", set=set_number, sets=sets)
    return text


def start_set(ctx: Context, at: float, *, announce: bool = True) -> None:
    """Count the next set from ``at`` (s): announced with a "3, 2, 1", or straight
    after a rest whose countdown was its lead-in."""
    ex = ctx.exercise
    assert ex is not None, "a set needs an exercise"
    ctx.go(State.WORKING)
    ctx.first_set()  # from the first set on, the knee and the routine are the session's
    ctx.counting.new_set()
    text = set_announcement(ctx, ex) if announce else None
    room = announce_room(text, ctx.settings.rate_wpm) if text else ANNOUNCE_SECONDS
    plan = work_plan(ctx.dose(ex), ctx.side, ctx.lines, ctx.settings.count_with, announce=text,
                     announce_seconds=room)
    ctx.count(plan, at)


def set_done(ctx: Context, at: float) -> None:
    """A set ended at ``at`` (its end deadline, or when "next" ended it): rest, or finish."""
    ex = ctx.exercise
    assert ex is not None, "a set needs an exercise"
    dose = ctx.dose(ex)
    record_set(ctx, at)
    if ctx.routine.set_number >= dose.sets:
        exercise_done(ctx, at)
        return
    ctx.routine.next_set()
    if dose.rest_seconds <= 0:
        start_set(ctx, at)
        return
    ctx.go(State.RESTING)
    announce = set_announcement(ctx, ex)
    plan = rest_plan(dose.rest_seconds, ctx.lines, ctx.settings.count_with, announce=announce)
    ctx.count(plan, at)


def record_set(ctx: Context, at: float) -> None:
    """The set under way ended at ``at``: counted done, or kept as partial, and logged."""
    ex = ctx.exercise
    assert ex is not None, "a set needs an exercise"
    dose = ctx.dose(ex)
    reps, planned = ctx.counting.reps_done, ctx.counting.reps_planned
    complete = set_complete(reps, planned)
    ctx.progress.set_ended(ex.id, complete=complete, sets_planned=dose.sets)
    ctx.log(
        SetDone(
            at,
            exercise=ex.id,
            set_number=ctx.routine.set_number,
            of_sets=dose.sets,
            reps=reps,
            level=ctx.routine.levels[ex.id],
            side=ctx.side,
            reps_planned=planned,
            complete=complete,
        )
    )


def exercise_done(ctx: Context, at: float) -> None:
    ex = ctx.exercise
    assert ex is not None, "an exercise was under way"
    tally = ctx.progress.exercise_done(ex.id)
    ctx.log(ExerciseDone(at, ex.id, sets_done=tally.sets_done, sets_planned=tally.sets_planned))
    ctx.say(ctx.lines.get("exercise_done", name=ex.name))
    prompts.ask_pain(ctx, PainWhen.AFTER_EXERCISE)


def next_exercise(ctx: Context) -> None:
    ctx.routine.next_exercise()
    start_exercise(ctx)


def skip_exercise(ctx: Context, reason: str) -> None:
    """Leave the current exercise ("asked": the person said next; "pain") and go to the next."""
    ex = ctx.exercise
    if ex is not None:
        ctx.progress.skipped(ex.id, reason)
        ctx.log(ExerciseSkipped(ctx.now, ex.id, reason))
        ctx.say(ctx.lines.get("skipped", name=ex.name))
    ctx.abandon_activity()
    next_exercise(ctx)

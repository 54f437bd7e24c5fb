"""The opening's questions and the plan: carry on from last time?, which knee?, what today holds."""

from __future__ import annotations


from coach.core import prompts
from coach.core.context import Context
from coach.core.events import Heard
from coach.core.count_plan import work_plan
from coach.core.parts.narration import STEP_GAP_SECONDS
from coach.core.records import SideChosen
from coach.core.states import State
from coach.program.model import Exercise
from coach.spoken_text import speaking_seconds


def resume_exercise(ctx: Context) -> Exercise | None:
    """The exercise an interrupted session stopped in, if this program still has it."""
    if ctx.resume is None:
        return None
    for ex in ctx.program.exercises:
        if ex.id == ctx.resume.exercise_id:
            return ex
    return None


def after_opening(ctx: Context) -> None:
    """The opening's lines are said: offer to carry on, or go on to the knee and the plan."""
    if resume_exercise(ctx) is not None:
        offer_resume(ctx)
    else:
        side_or_plan(ctx)


def offer_resume(ctx: Context) -> None:
    """ "Carry on from there?": the set it stopped at, on the knee it was for.

    When the knee named for today is the other one, carrying on means that
    exercise again from its first set, on this knee: set 2 on the right leg
    would follow set 1 done on the left, and the history would no longer
    tell one story.
    """
    ex = resume_exercise(ctx)
    resume = ctx.resume
    assert ex is not None and resume is not None
    if resume.side is not None and ctx.side is not None and ctx.side is not resume.side:
        ctx.resume_from_first_set(ctx.side)
        text = ctx.lines.get("resume_offer_other_side", exercise=ex.name, side=ctx.side.value)
    else:
        text = ctx.lines.get("resume_offer", exercise=ex.name, set=resume.set_number)
    ctx.ask(State.ASK_RESUME, text)


def answer_resume(ctx: Context, yes: bool) -> None:
    ex = resume_exercise(ctx)
    if yes and ex is not None and ctx.resume is not None:
        ctx.routine.go_to(ex, ctx.resume.set_number)
        if ctx.resume.side is not None and ctx.side_choice.default_to(ctx.resume.side):
            ctx.log(SideChosen(ctx.now, ctx.resume.side))
        ctx.say(ctx.lines.get("resume_yes", exercise=ex.name, set=ctx.routine.set_number))
    else:
        ctx.say(ctx.lines.get("resume_no"))
    side_or_plan(ctx)


def side_or_plan(ctx: Context) -> None:
    if ctx.side is None:
        prompts.ask_side(ctx)
    else:
        plan(ctx)


def plan(ctx: Context) -> None:
    """ "Today there are 6 exercises, about 39 minutes in all."

    A knee remembered from last time may still be changed until the first
    set starts (``exercises.start_set`` settles it).
    """
    ctx.go(State.PLAN)
    remaining = ctx.routine.remaining
    seconds = sum(planned_seconds(ctx, ex) for ex in remaining)
    minutes = ctx.lines.count("n_minutes", max(1, round(seconds / 60)))
    if len(remaining) == 1:
        ctx.narrate([ctx.lines.get("plan_one", minutes=minutes)])
    else:
        ctx.narrate([ctx.lines.get("plan", count=len(remaining), minutes=minutes)])


def planned_seconds(ctx: Context, ex: Exercise) -> float:
    """About how long an exercise takes: its steps read out, its sets as
    counted (from the same plan the count uses), and the rests between."""
    dose = ctx.dose(ex)
    work = work_plan(dose, ctx.side, ctx.lines, ctx.settings.count_with, announce="").end
    words = sum(len(step.text.split()) for step in ex.steps) + len(ex.why.split())
    talk = speaking_seconds(words, ctx.settings.rate_wpm) + STEP_GAP_SECONDS * len(ex.steps)
    return talk + dose.sets * work + max(0, dose.sets - 1) * dose.rest_seconds


def accept_resume(ctx: Context, heard: Heard) -> None:
    """ "yes" to "Carry on from there?"."""
    answer_resume(ctx, True)


def decline_resume(ctx: Context, heard: Heard) -> None:
    """ "no" to "Carry on from there?": from the beginning."""
    answer_resume(ctx, False)

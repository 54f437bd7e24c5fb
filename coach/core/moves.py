"""Commands that move through the routine: pause, go, next, back, repeat, harder, easier.

Each function is what one command does in the states ``dispatch.TABLE``
gives it; the table, not the function, decides where a command applies.
"""

from __future__ import annotations

from collections.abc import Callable

from coach.core import exercises, flow, interrupt, prompts, replies
from coach.core.context import Context
from coach.core.events import Heard
from coach.core.records import LevelChanged, Paused, Resumed
from coach.core.states import State


def pause(ctx: Context, heard: Heard) -> None:
    """Hold everything where it is until "go"."""
    ctx.stop_speaking(at_once=True)
    interrupt.freeze(ctx)
    ctx.pain.pause_ended()
    ctx.log(Paused(ctx.now))
    prompts.ask_paused(ctx)


def resume(ctx: Context, heard: Heard) -> None:
    """ "go" when paused: carry on exactly where it stopped."""
    ctx.pain.pause_ended()
    ctx.log(Resumed(ctx.now))
    ctx.say(ctx.lines.get("resuming"))
    if ctx.detour.frozen is not None:
        interrupt.thaw(ctx)
    else:
        exercises.start_exercise(ctx)


def start_set(ctx: Context, heard: Heard) -> None:
    """ "go" at the start prompt."""
    exercises.start_set(ctx, heard.at)


def skip_to_set(ctx: Context, heard: Heard) -> None:
    """ "go" during the instructions: straight to the set."""
    ctx.stop_speaking()
    exercises.start_set(ctx, heard.at)


def end_set(ctx: Context, heard: Heard) -> None:
    """ "next" during a set: it ends now (done, or partial: ``exercises.set_done``)."""
    ctx.stop_speaking()
    ctx.counting.stop()
    if ctx.detour.reply_hold:  # held for a reply: nothing to carry on now
        ctx.detour.drop()
    exercises.set_done(ctx, heard.at)


def end_rest(ctx: Context, heard: Heard) -> None:
    """ "go" or "next" during a rest: the next set begins now, the rest's lines are moot."""
    ctx.stop_speaking()
    ctx.counting.stop()
    exercises.start_set(ctx, heard.at)


def skip_exercise(ctx: Context, heard: Heard) -> None:
    """ "next" at the start prompt: the whole exercise is skipped."""
    exercises.skip_exercise(ctx, "asked")


def skip_whole_exercise(ctx: Context, heard: Heard) -> None:
    """ "skip this exercise": at once, from its steps, its start prompt or a set
    (the set under way is kept as partial, with its reps)."""
    ctx.stop_speaking()
    if ctx.state is State.WORKING and ctx.counting.running:
        ctx.counting.stop()
        exercises.record_set(ctx, heard.at)
    exercises.skip_exercise(ctx, "asked")


def skip_for_pain(ctx: Context, heard: Heard) -> None:
    """ "next" after a rating above 5: the exercise is skipped because of pain."""
    exercises.skip_exercise(ctx, "pain")


def next_line(ctx: Context, heard: Heard) -> None:
    ctx.stop_speaking()
    ctx.narration.forward()
    flow.say_line(ctx)


def previous_line(ctx: Context, heard: Heard) -> None:
    ctx.stop_speaking()
    ctx.narration.backward()
    flow.say_line(ctx)


def repeat_line(ctx: Context, heard: Heard) -> None:
    ctx.stop_speaking()
    ctx.narration.hold()
    flow.say_line(ctx)


def repeat_intro(ctx: Context, heard: Heard) -> None:
    """ "repeat" during a one-line reminder gives the full version, from the why."""
    if ctx.narration.in_full():
        repeat_line(ctx, heard)
        return
    ctx.stop_speaking()
    exercises.full_instructions(ctx, 1)


def last_step_again(ctx: Context, heard: Heard) -> None:
    """ "back" at the start prompt: the last step of the instructions."""
    ex = ctx.exercise
    if ex is not None:
        last = len(exercises.intro_lines(ctx, ex, full=True)) - 1
        exercises.full_instructions(ctx, last)


def instructions_again(ctx: Context, heard: Heard) -> None:
    """ "repeat" at the start prompt: every step again, from the why."""
    exercises.full_instructions(ctx, 1)


def cue_again(ctx: Context, heard: Heard) -> None:
    """ "repeat" during a set: the exercise's reminder, while the count goes on."""
    ex = ctx.exercise
    if ex is not None:
        ctx.say(ex.short_cue or (ex.steps[0].text if ex.steps else ex.name))


def ask_again(ctx: Context, heard: Heard) -> None:
    """ "repeat" at a question: the question once more."""
    if ctx.question.is_open:
        ctx.ask(ctx.state, ctx.question.text)


def rest_status(ctx: Context, heard: Heard) -> None:
    """ "repeat" during a rest: how long it has left."""
    replies.status(ctx, heard)


def level(step: int) -> Callable[[Context, Heard], None]:
    """ "harder" (+1) or "easier" (-1): one step along the exercise's levels.

    During a set or a rest the change starts with the next set, or, in the
    last set, next session (said so, truthfully); during a set it is said in
    one short line over the count. After a rating above 5, "easier" is the
    way on (to the start prompt).
    """

    def change(ctx: Context, heard: Heard) -> None:
        ex = ctx.exercise
        if ex is None:
            return
        old = ctx.routine.levels[ex.id]
        new = ctx.routine.change_level(ex, step)
        if new is None:
            ctx.say(ctx.lines.get("level_hardest" if step > 0 else "level_easiest"))
            return
        new_level = ex.levels[new]
        changed = LevelChanged(ctx.now, ex.id, from_level=old, to_level=new,
                               level_id=new_level.id)
        ctx.progress.level_changed(changed)
        ctx.log(changed)
        named = ctx.lines.get("level_harder" if step > 0 else "level_easier", level=new_level.name)
        dose = ctx.dose(ex)
        ctx.progress.plan_sets(ex.id, dose.sets)
        frozen = ctx.detour.frozen
        activity = frozen.state if frozen is not None else ctx.state
        if ctx.state is State.PAIN_STOPPED:
            ctx.routine.keep_set_within(dose.sets)
        when = None  # outside a count the change applies at once
        if activity is State.RESTING or (
            activity is State.WORKING and ctx.routine.set_number < dose.sets
        ):
            when = ctx.lines.get("level_next_set")
        elif activity is State.WORKING:  # the last set: none of it is left today
            when = ctx.lines.get("level_next_session")
        if ctx.state is State.WORKING and when is not None:
            ctx.say(f"{named} {when}")  # one short line over the count
        else:
            ctx.say(named)
            if new_level.cue and when != ctx.lines.get("level_next_session"):
                ctx.say(new_level.cue)  # not for next time: it would say do it now
            if when is not None:
                ctx.say(when)
        if ctx.state is State.PAIN_STOPPED:
            prompts.ask_ready(ctx)

    return change


harder = level(+1)
easier = level(-1)

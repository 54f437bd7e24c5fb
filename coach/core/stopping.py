"""Stopping: "stop" asks "End the session?"; yes ends it with the summary, no carries on.

Each function is what one command does in the states ``dispatch.TABLE``
gives it; the table, not the function, decides where a command applies.
"""

from __future__ import annotations

from coach.core import closing, exercises, interrupt, rating
from coach.core.actions import Priority
from coach.core.context import Context
from coach.core.events import Heard
from coach.core.pain import PainWhen
from coach.core.states import State


def ask_to_stop(ctx: Context, heard: Heard) -> None:
    """ "stop": silence at once, hold everything, and ask whether to end the session."""
    ctx.stop_speaking(at_once=True)
    interrupt.freeze(ctx)
    ctx.detour.stop_asked(ctx.state)
    ctx.pain.stop_asked()
    ctx.ask(State.CONFIRM_STOP, ctx.lines.get("stop_confirm"), priority=Priority.URGENT)


def end_session(ctx: Context, heard: Heard) -> None:
    """ "yes" (or "stop" again) to "End the session?": the summary, stopped early."""
    closing.end(ctx, completed=False)


def finish_now(ctx: Context, heard: Heard) -> None:
    """ "stop" during the summary: no more of it."""
    ctx.stop_speaking()
    closing.finish(ctx)


def carry_on(ctx: Context, heard: Heard) -> None:
    """ "no" to "End the session?": back exactly where it was; after advice to stop
    for today, the exercise that hurt is skipped instead."""
    if ctx.pain.take_stop_advice():
        ctx.say(ctx.lines.get("pain_skip_instead"))
        if ctx.pain.when is PainWhen.DURING:
            exercises.skip_exercise(ctx, "pain")
        else:
            exercises.next_exercise(ctx)
        return
    ctx.say(ctx.lines.get("stop_no"))
    back = ctx.detour.take_back_after_stop()
    frozen = ctx.detour.frozen
    if frozen is not None and back is frozen.state:
        interrupt.thaw(ctx)
    else:
        rating.reask(ctx, back)

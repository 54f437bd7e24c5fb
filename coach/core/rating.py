"""What a pain rating leads to, and going back to a question it interrupted.

The rules themselves (bands, the per-session limit) are in ``pain``; this
module applies them to the session: carry on, pause with an offer of the
easier level, stop the exercise, or advise stopping for today.
"""

from __future__ import annotations

from coach.core import exercises, interrupt, opening, prompts
from coach.core.actions import Priority
from coach.core.context import Context
from coach.core.pain import HIGH_PER_SESSION_LIMIT, PainBand, PainWhen, band
from coach.core.records import PainRated
from coach.core.states import State


def apply_rating(ctx: Context, value: int) -> None:
    """Apply the pain model to a rating of ``value`` (0..10)."""
    ex = ctx.exercise
    when = ctx.pain.when
    ctx.progress.pain.append(
        {"exercise": ex.id if ex else None, "rating": value, "when": when.value, "at": ctx.now}
    )
    ctx.log(PainRated(ctx.now, ex.id if ex else None, value, when))
    level = band(value)
    if level is PainBand.TOO_MUCH and ctx.progress.high_pain_count() >= HIGH_PER_SESSION_LIMIT:
        ctx.pain.advise_stop()
        ctx.detour.back_after_stop = None
        ctx.abandon_activity()
        ctx.ask(State.CONFIRM_STOP, ctx.lines.get("pain_twice"), priority=Priority.URGENT)
        return
    if when is PainWhen.AFTER_EXERCISE:
        key = {PainBand.SAFE: "pain_safe", PainBand.ACCEPTABLE: "pain_ok"}.get(
            level, "pain_high_after"
        )
        ctx.say(ctx.lines.get(key))
        exercises.next_exercise(ctx)
        return
    if level is PainBand.TOO_MUCH:
        ctx.abandon_activity()
        ctx.say(ctx.lines.get("pain_high"), priority=Priority.URGENT)
        prompts.ask_pain_choice(ctx)
        return
    back = ctx.detour.take_back_after_pain()
    if level is PainBand.SAFE:
        ctx.say(ctx.lines.get("pain_safe"))
        if ctx.detour.frozen is not None:
            interrupt.thaw(ctx)
        else:
            reask(ctx, back)
        return
    if ctx.detour.frozen is not None:
        ex_now = ctx.exercise
        can_ease = ex_now is not None and ctx.routine.levels[ex_now.id] > 0
        ctx.ask(State.PAUSED, ctx.lines.get("pain_ok_easier" if can_ease else "pain_ok_during"))
    else:
        ctx.say(ctx.lines.get("pain_ok"))
        reask(ctx, back)


def reask(ctx: Context, state: State | None) -> None:
    """Go back to a question that was interrupted, and ask it again."""
    if state is State.ASK_RESUME:
        opening.after_opening(ctx)
    elif state is State.ASK_SIDE:
        prompts.ask_side(ctx)
    elif state is State.ASK_PAIN:
        prompts.ask_pain(ctx, ctx.pain.when)
    elif state is State.PAIN_STOPPED:
        prompts.ask_pain_choice(ctx)
    elif state is State.PAUSED:
        prompts.ask_paused(ctx)
    elif state is State.READY:
        prompts.ask_ready(ctx)
    elif ctx.detour.frozen is not None:
        interrupt.thaw(ctx)
    else:
        exercises.start_exercise(ctx)

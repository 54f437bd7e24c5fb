"""Answers and reports: yes, no, left, right, stop, "it hurts", a pain rating.

Each function is what one command does in the states ``dispatch.TABLE``
gives it; the table, not the function, decides where a command applies.
"""

from __future__ import annotations

from collections.abc import Callable

from coach.commands.intents import Intent
from coach.core import closing, exercises, interrupt, opening, prompts, rating
from coach.core.actions import Priority
from coach.core.context import Context
from coach.core.events import Heard
from coach.core.pain import PainWhen
from coach.core.records import SideChosen
from coach.core.states import State
from coach.program.model import Side


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


def accept_resume(ctx: Context, heard: Heard) -> None:
    opening.answer_resume(ctx, True)


def decline_resume(ctx: Context, heard: Heard) -> None:
    opening.answer_resume(ctx, False)


def take_side(side: Side) -> Callable[[Context, Heard], None]:
    """Left or right while the knee may still be chosen: it is taken (and not asked for)."""

    def take(ctx: Context, heard: Heard) -> None:
        if ctx.side_choice.open:
            _take(ctx, side)

    return take


def keep_side(side: Side) -> Callable[[Context, Heard], None]:
    """The other knee once one is chosen: the coach says how to change it, and keeps it."""

    def keep(ctx: Context, heard: Heard) -> None:
        if ctx.side is None:
            return
        key = "side_same" if side is ctx.side else "side_kept"
        ctx.say(ctx.lines.get(key, side=ctx.side.value))

    return keep


def take_or_keep_side(side: Side) -> Callable[[Context, Heard], None]:
    """Left or right before the first set: taken while the knee may still be
    chosen (none known, or only last time's), else kept."""
    take, keep = take_side(side), keep_side(side)

    def choose(ctx: Context, heard: Heard) -> None:
        (take if ctx.side_choice.open else keep)(ctx, heard)

    return choose


def _take(ctx: Context, side: Side) -> None:
    ctx.side_choice.take(side)
    ctx.log(SideChosen(ctx.now, side))
    ctx.say(ctx.lines.get("side_chosen", side=side.value))
    if ctx.state is State.ASK_SIDE:
        opening.plan(ctx)
    elif ctx.state is State.ASK_RESUME:
        opening.offer_resume(ctx)  # still waiting for yes or no, for this knee


def pain_reported(ctx: Context, heard: Heard) -> None:
    """ "it hurts": stop at once, hold everything, and ask how much."""
    ctx.stop_speaking(at_once=True)
    interrupt.freeze(ctx)
    ctx.detour.pain_asked(ctx.state)
    prompts.ask_pain(ctx, PainWhen.DURING)


def ask_pain_again(ctx: Context, heard: Heard) -> None:
    """ "it hurts" while the rating is asked for: the same question again."""
    prompts.ask_pain(ctx, ctx.pain.when)


def pain_choice_again(ctx: Context, heard: Heard) -> None:
    """ "go" or "harder" after a rating above 5: never push through pain."""
    prompts.ask_pain_choice(ctx)


def rate_pain(ctx: Context, heard: Heard) -> None:
    """A number when the rating was asked for."""
    value = heard.number
    if value is None or not 0 <= value <= 10:
        ctx.say(ctx.lines.get("number_range"))
        return
    rating.apply_rating(ctx, value)


def rating_unasked(ctx: Context, heard: Heard) -> None:
    """ "pain seven" in the middle of an exercise: a rating given without being asked."""
    value = heard.number
    if value is None or not 0 <= value <= 10:
        ctx.say(ctx.lines.get("number_range"))
        return
    ctx.stop_speaking()
    interrupt.freeze(ctx)
    ctx.detour.pain_asked(ctx.state)
    ctx.pain.asked(PainWhen.DURING)
    rating.apply_rating(ctx, value)


# What to say at each question that takes only its answers, to any other command.
ANSWERS_HINT = {
    State.ASK_SIDE: "answer_side",
    State.ASK_RESUME: "answer_yes_no",
    State.CONFIRM_STOP: "answer_yes_no",
    State.ASK_PAIN: "number_range",
}


def say_what_answers(state: State) -> Callable[[Context, Heard], None]:
    """A command that is not an answer to the question open in ``state``."""
    key = ANSWERS_HINT[state]

    def hint(ctx: Context, heard: Heard) -> None:
        ctx.say(ctx.lines.get(key))

    return hint


# What to say to a command that does nothing at this moment, by where the session is.
NOT_NOW = {State.WORKING: "not_now_set", State.RESTING: "not_now_rest"}


def not_now(ctx: Context, heard: Heard) -> None:
    """A command that means nothing at this moment: said so, never met with silence."""
    if heard.intent is Intent.NUMBER and (heard.number is None or not 0 <= heard.number <= 10):
        ctx.say(ctx.lines.get("number_range"))
        return
    ctx.say(ctx.lines.get(NOT_NOW.get(ctx.state, "not_now")))

"""Pain ratings: "it hurts", a number (asked for or not), what it leads to,
its correction, and going back to a question it interrupted.

The rules themselves (bands, the per-session limit) are in ``pain``; this
module applies them to the session: carry on, pause with an offer of the
easier level, stop the exercise, or advise stopping for today.

A rating may have been misheard, and it decides what happens next, so the
coach says the number back in the same breath ("Seven. That is too much.")
and a correction said right after ("no", or the right number) undoes it
(``correct``): the session goes back to where the rating found it, the
history is told, and the right rating is taken or asked for.
"""

from __future__ import annotations

from coach.commands.intents import Intent
from coach.core import exercises, interrupt, opening, prompts
from coach.core.actions import Priority
from coach.core.context import Context
from coach.core.events import Heard
from coach.core.pain import HIGH_PER_SESSION_LIMIT, PainBand, PainWhen, band
from coach.core.parts.rating_check import RatingTaken
from coach.core.records import PainCorrected, PainRated
from coach.core.states import State

# Questions "no" answers: there it is the answer, not a correction of a rating.
YES_NO = frozenset({State.CONFIRM_STOP, State.ASK_RESUME})


# The rating said back as a word, a line for each (0 to 10).
NUMBER_WORDS = ("number_0", "number_1", "number_2", "number_3", "number_4", "number_5",
                "number_6", "number_7", "number_8", "number_9", "number_10")

def apply_rating(ctx: Context, value: int) -> None:
    """Apply the pain model to a rating of ``value`` (0..10), saying the number back."""
    ex = ctx.exercise
    when = ctx.pain.when
    ctx.rating_check.take(
        RatingTaken(value, ex.id if ex else None, when, ctx.now, ctx.snapshot()))
    rated = PainRated(ctx.now, ex.id if ex else None, value, when)
    ctx.progress.pain_rated(rated)
    ctx.log(rated)
    heard = ctx.lines.get("rating_heard", rating=ctx.lines.get(NUMBER_WORDS[value]))

    def said(key: str) -> str:
        return f"{heard} {ctx.lines.get(key)}"

    level = band(value)
    if level is PainBand.TOO_MUCH and ctx.progress.high_pain_count() >= HIGH_PER_SESSION_LIMIT:
        ctx.pain.advise_stop()
        ctx.detour.forget_stop()
        ctx.abandon_activity()
        ask = ctx.lines.get("pain_twice_ask")
        ctx.ask(State.CONFIRM_STOP, f"{said('pain_twice')} {ask}", priority=Priority.URGENT,
                question=ask)
        return
    if when is PainWhen.AFTER_EXERCISE:
        key = {PainBand.SAFE: "pain_safe", PainBand.ACCEPTABLE: "pain_ok"}.get(
            level, "pain_high_after"
        )
        ctx.say(said(key))
        exercises.next_exercise(ctx)
        return
    if level is PainBand.TOO_MUCH:
        ctx.abandon_activity()
        ctx.say(said("pain_high"), priority=Priority.URGENT)
        prompts.ask_pain_choice(ctx)
        return
    back = ctx.detour.take_back_after_pain()
    if level is PainBand.SAFE:
        ctx.say(said("pain_safe"))
        if ctx.detour.frozen is not None:
            interrupt.thaw(ctx)
        else:
            reask(ctx, back)
        return
    if ctx.detour.frozen is not None:
        ex_now = ctx.exercise
        can_ease = ex_now is not None and ctx.routine.levels[ex_now.id] > 0
        ctx.pain.pause_for_pain()
        ask = ctx.lines.get("pain_ok_easier" if can_ease else "pain_ok_during")
        # Said back once; the silence after it brings the question alone again.
        ctx.ask(State.PAUSED, f"{said('pain_ok_paused')} {ask}", question=ask)
    else:
        ctx.say(said("pain_ok"))
        reask(ctx, back)


def correction(ctx: Context, heard: Heard) -> bool:
    """Whether ``heard`` corrects the rating just taken: "no", or another number.

    "no" is a correction except where it answers the question now open (the
    advice to stop after a second high rating asks "Shall we stop?").
    """
    taken = ctx.rating_check.open_at(ctx.now)
    if taken is None:
        return False
    if heard.intent is Intent.NUMBER:
        return heard.number is not None and 0 <= heard.number <= 10 and heard.number != taken.rating
    return heard.intent is Intent.NO and ctx.state not in YES_NO


def correct(ctx: Context, heard: Heard) -> None:
    """Undo the rating just taken, then take the right one, or ask for it again."""
    taken = ctx.rating_check.open_at(ctx.now)
    assert taken is not None
    ctx.rating_check.close()
    ctx.restore(taken.before)
    ctx.log(PainCorrected(ctx.now, taken.exercise, taken.rating))
    if heard.intent is Intent.NUMBER and heard.number is not None:
        apply_rating(ctx, heard.number)
        return
    ctx.say(ctx.lines.get("rating_misheard"))
    prompts.ask_pain(ctx, taken.when)


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


# -- what the person says about pain ("it hurts", a number) ------------------


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
    apply_rating(ctx, value)


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
    apply_rating(ctx, value)

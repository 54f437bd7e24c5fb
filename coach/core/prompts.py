"""The questions the coach asks, each asked the same way from wherever it comes up."""

from __future__ import annotations

from coach.core.actions import Priority
from coach.core.context import Context
from coach.core.pain import PainWhen
from coach.core.states import State


def ask_ready(ctx: Context) -> None:
    ctx.ask(State.READY, ctx.lines.get("start_prompt"))


def ask_side(ctx: Context) -> None:
    ctx.ask(State.ASK_SIDE, ctx.lines.get("ask_side"))


def ask_paused(ctx: Context) -> None:
    ctx.ask(State.PAUSED, ctx.lines.get("paused"))


def ask_pain(ctx: Context, when: PainWhen) -> None:
    """ "How is your knee?": after an exercise, or urgently, having stopped, during one."""
    ctx.pain.asked(when)
    if when is PainWhen.DURING:
        ctx.ask(State.ASK_PAIN, ctx.lines.get("ask_pain_now"), priority=Priority.URGENT)
    else:
        ctx.ask(State.ASK_PAIN, ctx.lines.get("ask_pain"))


def pain_choice(ctx: Context) -> str:
    """After a rating above 5: the easier level (if there is one) or skipping the exercise."""
    ex = ctx.exercise
    if ex is not None and ctx.routine.levels[ex.id] > 0:
        return ctx.lines.get("pain_high_choice")
    return ctx.lines.get("pain_high_skip")


def ask_pain_choice(ctx: Context) -> None:
    """The choice again: "go" and "harder" never push through pain."""
    ctx.ask(State.PAIN_STOPPED, pain_choice(ctx))

"""Left or right: the knee taken while it may still be chosen, kept once it is.

Each function makes the handler for one side; ``dispatch.TABLE`` decides
where each applies.
"""

from __future__ import annotations

from collections.abc import Callable

from coach.core import opening
from coach.core.context import Context
from coach.core.events import Heard
from coach.core.records import SideChosen
from coach.core.states import State
from coach.program.model import Side


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

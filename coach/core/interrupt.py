"""Interruptions: hold an activity exactly where it is, and carry on from there.

Pause, stop (while the person decides) and a pain question all freeze what
was going on: a set or a rest keeps its elapsed time and its next beat, a
narration keeps its line. Thawing resumes it: a set behind a fresh "3, 2, 1"
(a hold paused at 7 s goes on at 7 s), a rest where it was, a line re-read.
"""

from __future__ import annotations

from coach.core import prompts
from coach.core.context import Context
from coach.core.parts.detour import FrozenPoint
from coach.core.states import FREEZABLE, NARRATION, State

RESUME_GAP_SECONDS = 1.5  # room for "Carrying on." before the "3, 2, 1" or the rest's next line


def freeze(ctx: Context) -> None:
    """Hold the current activity exactly where it is (its count, or its line)."""
    ctx.pacing.forget()
    ctx.narration.hold()
    if ctx.detour.frozen is not None or ctx.state not in FREEZABLE:
        return
    plan = ctx.counting.plan
    if ctx.state in (State.WORKING, State.RESTING) and plan is not None:
        elapsed = ctx.counting.elapsed(ctx.now)
        ctx.detour.hold(FrozenPoint(ctx.state, elapsed, ctx.counting.next_index, plan))
        ctx.counting.stop()
    else:
        ctx.detour.hold(FrozenPoint(ctx.state, 0.0, ctx.narration.index))


def thaw(ctx: Context) -> None:
    """Carry on from the frozen point: a count resumes exactly where it stopped."""
    point = ctx.detour.release()
    if point is None:
        return
    ctx.go(point.state)
    if point.state is State.WORKING and point.plan is not None:
        plan = point.plan.resumed(point.index, point.elapsed, ctx.lines, ctx.tones)
        ctx.count(plan, ctx.now + RESUME_GAP_SECONDS)
    elif point.state is State.RESTING and point.plan is not None:
        # The rest left, after room for "Carrying on." (its countdown is the lead-in)
        ctx.count(point.plan, ctx.now + RESUME_GAP_SECONDS - point.elapsed, point.index)
    elif point.state is State.READY:
        prompts.ask_ready(ctx)
    elif point.state in NARRATION:
        ctx.narrate(ctx.narration.lines, point.index)

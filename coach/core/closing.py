"""The end of a session: the summary read aloud, then the record and the done tone."""

from __future__ import annotations

from typing import Any

from coach.core.actions import CueKind, SessionEnded
from coach.core.context import Context
from coach.core.interrupt import freeze
from coach.core.records import SessionFinished
from coach.core.states import State


def end(ctx: Context, *, completed: bool) -> None:
    """Read the summary aloud; ``finish`` follows when it has been said."""
    ctx.completed = completed
    freeze(ctx)  # silences what was paced: the summary comes next
    ctx.abandon_activity()
    summary = summary_now(ctx)
    ctx.go(State.SUMMARY)
    ctx.final_summary = summary
    ctx.narrate(ctx.progress.spoken(summary, ctx.lines))


def finish(ctx: Context) -> None:
    """The session is over: log it, sound the done tone, end.

    The done tone closes the summary rather than opening it: here the voice is
    known to be quiet (the summary's last line has ended), while at ``end``
    a reply or "Stopping." may still be playing, and the tone would be mixed
    over its words.
    """
    summary = ctx.final_summary if ctx.final_summary is not None else summary_now(ctx)
    summary["ended_at"] = ctx.now
    ctx.final_summary = summary
    ctx.log(SessionFinished(ctx.now, ctx.completed, summary))
    ctx.cue(CueKind.DONE, at=ctx.now)
    ctx.outbox.add(SessionEnded(summary))
    ctx.go(State.ENDED)


def summary_now(ctx: Context) -> dict[str, Any]:
    """What was done so far, machine-readable (the dict SessionEnded carries)."""
    return ctx.progress.summary(
        side=ctx.side, levels=ctx.routine.levels, completed=ctx.completed, ended_at=ctx.now
    )

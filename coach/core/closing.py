"""The end of a session: the summary read aloud, then the record and the done tone."""

from __future__ import annotations

from coach.core.actions import CueKind
from coach.core.context import Context
from coach.core.interrupt import freeze
from coach.core.records import SessionFinished, SessionSummary
from coach.core.states import State
from coach.program.model import Program
from coach.spoken_text import Lines


def end(ctx: Context, *, completed: bool) -> None:
    """Read the summary aloud; ``finish`` follows when it has been said."""
    freeze(ctx)  # silences what was paced: the summary comes next
    ctx.abandon_activity()
    summary = summary_now(ctx, completed=completed)
    ctx.go(State.SUMMARY)
    ctx.keep_summary(summary)
    ctx.narrate(spoken(summary, ctx.program, ctx.lines))


def finish(ctx: Context) -> None:
    """The session is over: log it, sound the done tone, end.

    The done tone closes the summary rather than opening it: here the voice is
    known to be quiet (the summary's last line has ended), while at ``end``
    a reply or "Stopping." may still be playing, and the tone would be mixed
    over its words.
    """
    said = ctx.final_summary if ctx.final_summary is not None else summary_now(ctx)
    summary = said.ended(ctx.now)  # a new value: the one handed out stays as it was
    ctx.keep_summary(summary)
    ctx.log(SessionFinished(ctx.now, summary.completed, summary))
    ctx.cue(CueKind.DONE, at=ctx.now)
    ctx.end_session(summary)
    ctx.go(State.ENDED)


def summary_now(ctx: Context, *, completed: bool = False) -> SessionSummary:
    """What was done so far (what SessionEnded carries at the end); ``completed``:
    the session ran to its end."""
    return ctx.progress.summary(
        side=ctx.side, levels=ctx.routine.levels, completed=completed, ended_at=ctx.now
    )


def spoken(summary: SessionSummary, program: Program, lines: Lines) -> list[str]:
    """The summary read aloud: done or stopped, counts, pain, level changes."""
    out = [lines.get("summary_done" if summary.completed else "summary_stopped")]
    out.append(
        lines.get(
            "summary_counts",
            exercises=lines.count("n_exercises", summary.exercises_done),
            sets=lines.count("n_sets", summary.sets_done),
        )
    )
    if summary.sets_partial:
        out.append(lines.count("summary_partial", summary.sets_partial))
    skipped = [
        lines.get("summary_skipped_name", name=program.exercise(ex_id).name)
        for ex_id in summary.skipped
    ]
    if skipped:
        out.append(lines.get("summary_skipped", names=lines.listing(skipped)))
    if summary.pain:
        ratings = [str(rating.rating) for rating in summary.pain]
        out.append(lines.count("summary_pain", len(ratings), ratings=lines.listing(ratings)))
    if summary.level_changes:
        changes = [
            lines.get(
                "summary_level_change",
                name=program.exercise(change.exercise).name,
                direction=lines.get(
                    "summary_harder" if change.to_level > change.from_level else "summary_easier"
                ),
            )
            for change in summary.level_changes
        ]
        out.append(lines.get("summary_levels", changes=lines.listing(changes)))
    out.append(lines.get("goodbye"))
    return out

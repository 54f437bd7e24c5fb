"""What the session does by itself: the next line, a question asked again, a count run out.

Time and the voice move a session on without anyone speaking: a line
ending lets the next one follow, a silence after a question brings it once
more, a count's last beat ends the set or the rest. ``ON_ITS_OWN`` lists
where each state can go that way; ``transitions`` joins it with the
commands' table.
"""

from __future__ import annotations

from collections.abc import Mapping

from coach.core import closing, exercises, interrupt, opening, prompts
from coach.core.context import Context
from coach.core.events import SpeechDone
from coach.core.states import NARRATION, TIMED, State

# Where each state goes when what it was doing ends: its lines said, its count run out.
NARRATION_ENDS: Mapping[State, frozenset[State]] = {
    State.OPENING: frozenset({State.ASK_RESUME, State.ASK_SIDE, State.PLAN}),
    State.PLAN: frozenset({State.INTRO, State.SUMMARY}),  # SUMMARY: no exercise to do
    State.INTRO: frozenset({State.READY}),
    State.SUMMARY: frozenset({State.ENDED}),
}
ON_ITS_OWN: Mapping[State, frozenset[State]] = {
    **NARRATION_ENDS,
    State.WORKING: frozenset({State.RESTING, State.ASK_PAIN}),  # or the next set, with no rest
    State.RESTING: frozenset({State.WORKING}),
}
COUNT_LIMIT = 10_000  # counts ended in one tick; a finished one may start the next


def narration_done(ctx: Context) -> None:
    """Every line was said: what the lines were leading up to comes next."""
    if ctx.state is State.OPENING:
        opening.after_opening(ctx)
    elif ctx.state is State.PLAN:
        exercises.start_exercise(ctx)
    elif ctx.state is State.INTRO:
        prompts.ask_ready(ctx)
    elif ctx.state is State.SUMMARY:
        closing.finish(ctx)


def say_line(ctx: Context) -> None:
    """Say the narration's current line, or move on when none is left."""
    line = ctx.narration.current
    if line is not None:
        ctx.say_awaited(line)
    else:
        narration_done(ctx)


def count_done(ctx: Context, end: float) -> None:
    """A set or a rest reached its end deadline ``end`` (exact, not the tick)."""
    if ctx.state is State.RESTING:
        exercises.start_set(ctx, end, announce=False)
    elif ctx.state is State.WORKING:
        exercises.set_done(ctx, end)


def speech_done(ctx: Context, event: SpeechDone) -> None:
    """A line ended: the next line is due after a gap, or a question's silence starts."""
    if not ctx.pacing.ended(event.utterance_id):
        return
    if ctx.state in NARRATION:
        ctx.narration.line_ended(event.at)
    elif ctx.question.is_open:
        ctx.question.said(event.at)
    elif ctx.state is State.WORKING and ctx.detour.reply_hold:
        interrupt.thaw(ctx, interrupt.REPLY_RESUME_GAP_SECONDS)  # the reply was said


def tick(ctx: Context, at: float) -> None:
    """Time passed to ``at``: the next line, a question once more, the count's beats."""
    if ctx.state in NARRATION and ctx.narration.due(at):
        ctx.narration.forward()
        say_line(ctx)
    elif ctx.question.reprompt_due(at):
        ctx.say_awaited(ctx.question.text)
        ctx.pacing.forget()  # after the one re-prompt, wait quietly
    if ctx.state in TIMED and not ctx.counting.waiting(at):
        advance_count(ctx, at)


def advance_count(ctx: Context, at: float) -> None:
    """Say every beat due by ``at``; a count that has ended leads on to what follows it."""
    for _ in range(COUNT_LIMIT):
        if not ctx.counting.running or ctx.state not in TIMED:
            return
        ctx.say_due_beats(at)
        end = ctx.counting.over(at)
        if end is None:
            return
        ctx.counting.stop()
        count_done(ctx, end)

"""Interruptions: hold an activity exactly where it is, and carry on from there.

Pause, stop (while the person decides) and a pain question all freeze what
was going on: a set or a rest keeps its elapsed time and its next beat, a
narration keeps its line. Thawing resumes it: a set behind a fresh "3, 2, 1"
(a hold paused at 7 s goes on at 7 s), a rest where it was, a line re-read.
"""

from __future__ import annotations

from coach.core import prompts
from coach.core.actions import Say
from coach.core.context import Context
from coach.core.parts.detour import FrozenPoint
from coach.core.states import FREEZABLE, NARRATION, State
from coach.settings import CountWith
from coach.spoken_text import speaking_seconds

RESUME_GAP_SECONDS = 1.5  # room for "Carrying on." before the "3, 2, 1" or the rest's next line
REPLY_RESUME_GAP_SECONDS = 0.5  # after a reply the count held for, before its "3, 2, 1"
# A reply fits before the next beat when its estimate, this much longer and
# with this margin, ends before it (a voice may speak slower than estimated).
REPLY_ESTIMATE_FACTOR = 1.25
REPLY_MARGIN_SECONDS = 0.3


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


def hold_for_reply(ctx: Context, replies: list[Say]) -> None:
    """A reply during a set (help, how many left, harder...) never talks over the count.

    Said at once when it fits before the next beat; else the count is held
    where it is while the reply is said, and goes on behind a fresh "3, 2,
    1" when its last line ends (``flow.speech_done``). A reply while the
    count is already held for one extends the hold to its end.
    """
    if not replies or ctx.state is not State.WORKING:
        return
    text = " ".join(reply.text for reply in replies)
    last = replies[-1].id
    if ctx.detour.reply_hold:
        ctx.pacing.wait_for(last, text, ctx.now, ctx.settings.rate_wpm)
        return
    next_at = ctx.counting.next_deadline()
    if ctx.detour.frozen is not None or next_at is None:
        return
    rate = ctx.settings.rate_wpm
    seconds = speaking_seconds(len(text.split()), rate)
    # The voice says a beat already handed to it before the reply (the playout
    # never drops a planned beat for a line): the reply starts after it.
    last_beat = ctx.counting.last_beat_ends(rate)
    starts = ctx.now if last_beat is None else max(ctx.now, last_beat)
    if next_at - starts >= seconds * REPLY_ESTIMATE_FACTOR + REPLY_MARGIN_SECONDS:
        return
    plan = ctx.counting.plan
    assert plan is not None
    ctx.detour.hold_for_reply(
        FrozenPoint(State.WORKING, ctx.counting.elapsed(ctx.now), ctx.counting.next_index, plan))
    ctx.counting.stop()
    ctx.pacing.wait_for(last, text, ctx.now, ctx.settings.rate_wpm)


def thaw(ctx: Context, gap_seconds: float = RESUME_GAP_SECONDS) -> None:
    """Carry on from the frozen point: a count resumes exactly where it stopped,
    ``gap_seconds`` from now (room for "Carrying on.")."""
    point = ctx.detour.release()
    if point is None:
        return
    ctx.go(point.state)
    if point.state is State.WORKING and point.plan is not None:
        tones = ctx.settings.count_with is CountWith.TONES
        plan = point.plan.resumed(point.index, point.elapsed, ctx.lines, tones)
        ctx.count(plan, ctx.now + gap_seconds)
    elif point.state is State.RESTING and point.plan is not None:
        # The rest left, after room for "Carrying on." (its countdown is the lead-in)
        ctx.count(point.plan, ctx.now + gap_seconds - point.elapsed, point.index)
    elif point.state is State.READY:
        prompts.ask_ready(ctx)
    elif point.state in NARRATION:
        ctx.narrate(ctx.narration.lines, point.index)

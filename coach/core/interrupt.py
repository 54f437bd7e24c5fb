"""Interruptions: hold an activity exactly where it is, and carry on from there.

Pause, stop (while the person decides) and a pain question all freeze what
was going on: a set or a rest keeps its elapsed time and its next beat, a
narration keeps its line. Thawing resumes it: a set behind a fresh "3, 2, 1"
(a hold paused at 7 s goes on at 7 s), a rest where it was, a line re-read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.core import flow
from coach.core.actions import Cue, CueKind, SessionEnded
from coach.core.records import SessionFinished
from coach.core.states import State

if TYPE_CHECKING:
    from coach.core.session import Session

RESUME_GAP_SECONDS = 1.5  # room for "Carrying on." before the "3, 2, 1" or the rest's next line
NARRATION = frozenset({State.OPENING, State.PLAN, State.INTRO, State.SUMMARY})
TIMED = frozenset({State.WORKING, State.RESTING})


@dataclass(frozen=True)
class Frozen:
    """Where an interrupted activity stood: the timeline position or the line."""

    state: State
    elapsed: float = 0.0  # s into the timeline
    index: int = 0  # next beat, or the current narration line


def freeze(s: Session) -> None:
    """Hold the current activity exactly where it is (timers and lines)."""
    s._await_id = None
    s._await_deadline = math.inf
    s._next_line_at = math.inf
    if s._frozen is not None or s.state not in NARRATION | TIMED | {State.READY}:
        return
    if s.state in TIMED:
        s._frozen = Frozen(s.state, s._now - s._tl_start, s._tl_index)
    else:
        s._frozen = Frozen(s.state, 0.0, s._narr_index)


def thaw(s: Session) -> None:
    """Carry on from the frozen point: timers resume exactly where they stopped."""
    frozen, s._frozen = s._frozen, None
    if frozen is None:
        return
    s._to(frozen.state)
    if frozen.state is State.WORKING and s._tl is not None:
        tl = s._tl.resumed(frozen.index, frozen.elapsed, s.lines, flow.tones(s))
        s._run_timeline(tl, s._now + RESUME_GAP_SECONDS)
    elif frozen.state is State.RESTING and s._tl is not None:
        # The rest left, after room for "Carrying on." (its countdown is the lead-in)
        s._run_timeline(s._tl, s._now + RESUME_GAP_SECONDS - frozen.elapsed, frozen.index)
    elif frozen.state is State.READY:
        s._ask(State.READY, s.lines.get("start_prompt"))
    elif frozen.state in NARRATION:
        s._narrate(s._narr, frozen.index)
    else:
        flow.start_exercise(s)


def end(s: Session, completed: bool) -> None:
    """Read the summary aloud; ``finish`` follows when it has been said."""
    s._completed = completed
    freeze(s)
    s._frozen = None
    s._tl = None
    summary = dict(s.summary())
    s._to(State.SUMMARY)
    s._summary = summary
    s._narrate(s.progress.spoken(summary, s.lines))


def finish(s: Session) -> None:
    """The session is over: log it, sound the done tone, end.

    The done tone closes the summary rather than opening it: here the voice is
    known to be quiet (the summary's last line has ended), while at ``end``
    a reply or "Stopping." may still be playing, and the tone would be mixed
    over its words.
    """
    summary = s._summary if s._summary is not None else dict(s.summary())
    summary["ended_at"] = s._now
    s._summary = summary
    s._log(SessionFinished(s._now, s._completed, summary))
    s._out.append(Cue(CueKind.DONE, at=s._now))
    s._out.append(SessionEnded(summary))
    s._to(State.ENDED)

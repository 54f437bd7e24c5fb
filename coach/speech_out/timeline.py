"""Where each phrase goes on the speech timeline: pure sample arithmetic.

One voice speaks at a time, so phrases never overlap; when two would, the
rules below decide, always in whole samples (no clock, no audio):

- A phrase with a beat (``fixed``) starts exactly on its sample. Beats never
  move: nothing pushes them later.
- A phrase without a beat goes as soon as the voice is free, after every
  phrase asked for before it (first come, first spoken), in the first gap
  where no phrase of equal or higher priority is planned.
- When two overlap, the lower priority loses. Between equals, a beat beats
  an "as soon as possible" phrase, and the later beat beats the earlier one
  (the previous count is faded out so the next lands on its beat).
- One exception: an "as soon as possible" phrase never drops a beat already
  planned that has not started; it goes after it. The session hands a beat
  over a little before it is due, and holds the count for a reply
  (``coach.core.interrupt``); a beat handed over just before the reply was
  asked for would otherwise be lost (a count missing from the set). A move
  that makes the count stale stops the voice first, which drops it.
- A loser that is already playing is faded out where the winner starts; one
  not yet started is shortened if most of it still fits, otherwise dropped;
  a loser without a beat is moved after the winner instead.
- URGENT cuts whatever is playing (a ``FADE`` long fade) and starts right
  after the fade; StopSpeaking cuts what plays and drops all the rest.
- DropLines drops the phrases it names that have not started (stale
  replies); one already playing ends as it would.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from coach.audio.format import RATE_HZ
from coach.core.actions import Priority, Say

FADE = int(0.010 * RATE_HZ)  # samples: a cut fades out over 10 ms, short enough for any urgency
MIN_KEEP_FRACTION = 0.6  # a not-yet-started phrase shorter than this after a cut is dropped


@dataclass(eq=False)
class ScheduledPhrase:
    """One phrase placed on the timeline (internal, mutable while it is planned)."""

    say: Say
    pcm: np.ndarray  # int16, RATE_HZ
    seq: int  # submission order
    fixed: bool  # has a beat: its start never moves
    start: int = 0  # sample of the first sample
    end: int = 0  # sample just after the last one (earlier than start + len when cut)
    fade: int = 0  # samples of fade-out before ``end``; 0 = plays to its natural end
    started_reported: bool = field(default=False)

    @property
    def priority(self) -> Priority:
        return self.say.priority

    @property
    def length(self) -> int:
        return len(self.pcm)

    def started(self, played_to: int) -> bool:
        return self.start < played_to

    def beats(self, other: ScheduledPhrase) -> bool:
        """True if this phrase wins when it overlaps ``other``."""
        if self.priority != other.priority:
            return self.priority > other.priority
        if self.fixed != other.fixed:
            return self.fixed
        return self.start > other.start if self.fixed else self.seq < other.seq


class PhraseTimeline:
    """The planned and playing phrases, sorted by start, never overlapping."""

    def __init__(self) -> None:
        self.segments: list[ScheduledPhrase] = []

    # -- adding ---------------------------------------------------------------
    def add_fixed(self, seg: ScheduledPhrase, start: int, played_to: int) -> list[ScheduledPhrase]:
        """Place ``seg`` to start at ``start`` (>= played_to); returns dropped phrases."""
        seg.fixed = True
        seg.start, seg.end, seg.fade = start, start + seg.length, 0
        for other in self._overlapping(seg.start, seg.end):
            if other.beats(seg) and (other.start <= seg.start
                                     or not self._shorten(seg, other.start, played_to)):
                return [seg]
        dropped: list[ScheduledPhrase] = []
        # phrases without a beat that would overlap or follow are placed again after
        # it, in the order they were asked for
        postponed = [o for o in self.segments if not o.fixed and not o.started(played_to)
                     and (o.start >= seg.start or o.end > seg.start)]
        for other in postponed:
            self.segments.remove(other)
        for other in self._overlapping(seg.start, seg.end):
            if other.started(played_to) or other.start < seg.start:
                if not self._shorten(other, seg.start, played_to):
                    self.segments.remove(other)
                    dropped.append(other)
            else:
                self.segments.remove(other)
                dropped.append(other)
        self._insert(seg)
        for other in sorted(postponed, key=lambda s: s.seq):
            dropped += self.add_asap(other, played_to, played_to)
        return dropped

    def add_asap(self, seg: ScheduledPhrase, earliest: int, played_to: int) -> list[ScheduledPhrase]:
        """Place ``seg`` as soon as the voice is free; returns dropped phrases."""
        seg.fixed = False
        start = max(earliest, played_to)
        for other in self.segments:
            if other.started(played_to) or (not other.fixed and other.seq < seg.seq):
                start = max(start, other.end)
        while True:
            blocking = [o for o in self._overlapping(start, start + seg.length)
                        if o.beats(seg) or (o.fixed and not o.started(played_to))]
            if not blocking:
                break
            start = max(o.end for o in blocking)
        seg.start, seg.end, seg.fade = start, start + seg.length, 0
        dropped: list[ScheduledPhrase] = []
        for other in self._overlapping(seg.start, seg.end):
            self.segments.remove(other)
            if other.start < seg.start and self._shorten(other, seg.start, played_to):
                self._insert(other)
            else:
                dropped.append(other)
        self._insert(seg)
        return dropped

    def add_urgent(self, seg: ScheduledPhrase, at: int, played_to: int) -> list[ScheduledPhrase]:
        """Cut whatever plays at ``at`` and start ``seg`` right after the fade."""
        at = max(at, played_to)
        for other in self._overlapping(at, at + 1):
            if other.started(played_to) or other.start < at:
                self._shorten(other, min(other.end, at + FADE), played_to, force=True)
        return self.add_fixed(seg, at + FADE, played_to) if seg.length else [seg]

    # -- removing -------------------------------------------------------------
    def stop(self, at: int, played_to: int) -> list[ScheduledPhrase]:
        """Fade out what plays at ``at``, drop everything planned; returns the dropped."""
        at = max(at, played_to)
        dropped: list[ScheduledPhrase] = []
        for other in list(self.segments):
            if other.start < at or other.started(played_to):
                if other.end > at + FADE:
                    self._shorten(other, at + FADE, played_to, force=True)
            else:
                self.segments.remove(other)
                dropped.append(other)
        return dropped

    def drop(self, ids: frozenset[int], played_to: int) -> list[ScheduledPhrase]:
        """Remove the phrases in ``ids`` (Say ids) that have not started; returns them."""
        dropped = [s for s in self.segments if s.say.id in ids and not s.started(played_to)]
        if dropped:
            self.segments = [s for s in self.segments if s not in dropped]
        return dropped

    def finished(self, played_to: int) -> list[ScheduledPhrase]:
        """Remove and return the phrases whose last sample has been played."""
        done = [s for s in self.segments if s.end <= played_to]
        if done:
            self.segments = [s for s in self.segments if s.end > played_to]
        return done

    def take_unfinished(self) -> list[ScheduledPhrase]:
        """Remove and return every phrase not yet finished (for a fallback voice)."""
        taken, self.segments = self.segments, []
        return taken

    @property
    def end(self) -> int:
        """Sample after the last planned phrase (0 when nothing is planned)."""
        return max((s.end for s in self.segments), default=0)

    # -- helpers --------------------------------------------------------------
    def _overlapping(self, start: int, end: int) -> list[ScheduledPhrase]:
        return [s for s in self.segments if s.start < end and s.end > start]

    def _insert(self, seg: ScheduledPhrase) -> None:
        self.segments.append(seg)
        self.segments.sort(key=lambda s: (s.start, s.seq))

    @staticmethod
    def _shorten(seg: ScheduledPhrase, end: int, played_to: int, *, force: bool = False) -> bool:
        """End ``seg`` at ``end`` with a fade; False if too little would be left."""
        end = max(end, played_to, seg.start)
        if end >= seg.end:
            return True
        too_short = end - seg.start < MIN_KEEP_FRACTION * seg.length
        if not force and not seg.started(played_to) and too_short:
            return False
        seg.fade = min(FADE, end - max(played_to, seg.start))
        seg.end = end
        return True

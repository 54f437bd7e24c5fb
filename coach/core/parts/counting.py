"""The count under way: a set or a rest, beat by beat, each on an absolute deadline."""

from __future__ import annotations

from collections.abc import Iterator

from coach.core.count_plan import Beat, CountPlan
from coach.spoken_text import speaking_seconds

EPSILON_SECONDS = 1e-9  # a deadline this close to now is due now


class Counting:
    """A ``CountPlan`` running from ``start`` (s on the session clock).

    Each beat is due at ``start + beat.offset``, however late the tick that
    notices it, so a long session never drifts. ``reps_done`` is the last
    rep number said across the set (both sides), kept after the count stops
    so "how many left" can still be answered.
    """

    def __init__(self) -> None:
        self.plan: CountPlan | None = None  # None: nothing is being counted
        self.start = 0.0  # s
        self.next_index = 0  # the next beat of the plan to say
        self.reps_done = 0
        self.reps_planned = 0  # reps the set under way will count (0: none yet)

    @property
    def running(self) -> bool:
        return self.plan is not None

    def run(self, plan: CountPlan, start: float, next_index: int = 0) -> None:
        self.plan = plan
        if plan.reps_total:  # a set's plan, not a rest's
            self.reps_planned = plan.reps_total
        self.start = start
        self.next_index = next_index

    def stop(self) -> None:
        self.plan = None

    def new_set(self) -> None:
        self.reps_done = 0
        self.reps_planned = 0

    def elapsed(self, now: float) -> float:
        """Seconds into the plan at ``now``."""
        return now - self.start

    def due(self, at: float) -> Iterator[tuple[Beat, float]]:
        """The beats due by ``at``, each with its deadline, in order (they are then said)."""
        plan = self.plan
        if plan is None:
            return
        while self.next_index < len(plan.beats):
            beat = plan.beats[self.next_index]
            deadline = self.start + beat.offset
            if deadline > at + EPSILON_SECONDS:
                return
            self.next_index += 1
            if beat.done is not None:
                self.reps_done = beat.done
            yield beat, deadline

    def next_deadline(self) -> float | None:
        """When the next beat is due (s), or the plan's end; None when nothing is counted."""
        plan = self.plan
        if plan is None:
            return None
        if self.next_index < len(plan.beats):
            return self.start + plan.beats[self.next_index].offset
        return self.start + plan.end

    def last_beat_ends(self, rate_wpm: int) -> float | None:
        """When the beat said last would end, by its words at ``rate_wpm`` (a tone:
        at once); None before the first. A beat is handed to the voice a little
        before it is due, so one said just now may not have sounded yet."""
        plan = self.plan
        if plan is None or self.next_index == 0:
            return None
        beat = plan.beats[self.next_index - 1]
        words = 0 if beat.tone is not None else len(beat.text.split())
        return self.start + beat.offset + speaking_seconds(words, rate_wpm)

    def waiting(self, at: float) -> bool:
        """Nothing is due by ``at``: neither a beat nor the plan's end (most ticks)."""
        plan = self.plan
        if plan is None:
            return True
        if self.next_index < len(plan.beats):
            return self.start + plan.beats[self.next_index].offset > at + EPSILON_SECONDS
        return self.start + plan.end > at + EPSILON_SECONDS

    def over(self, at: float) -> float | None:
        """The plan's end deadline, when every beat was said and it has come by ``at``."""
        plan = self.plan
        if plan is None or self.next_index < len(plan.beats):
            return None
        end = self.start + plan.end
        return end if end <= at + EPSILON_SECONDS else None

"""Detours: pause, stop and a pain question hold what was going on, to carry on from it.

::

    activity ──pause / stop / "it hurts"──▶ frozen ──go / no / a rating──▶ the same activity
                                                    (a set behind a fresh "3, 2, 1")
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.core.count_plan import CountPlan
from coach.core.states import State


@dataclass(frozen=True)
class FrozenPoint:
    """Where an interrupted activity stood: the count's position, or the line."""

    state: State  # the activity: a narration, READY, WORKING or RESTING
    elapsed: float = 0.0  # s into the count
    index: int = 0  # the count's next beat, or the narration's current line
    plan: CountPlan | None = None  # the count held, for a set or a rest


class Detour:
    """What is held while the person pauses, decides about stopping, or rates pain."""

    def __init__(self) -> None:
        self._frozen: FrozenPoint | None = None
        # The state a stop question or a pain question interrupted, to go back to.
        self._back_after_stop: State | None = None
        self._back_after_pain: State | None = None
        self._reply_hold = False

    @property
    def frozen(self) -> FrozenPoint | None:
        """The activity held, to carry on from; None: nothing is held."""
        return self._frozen

    @property
    def reply_hold(self) -> bool:
        """The count is held only while a reply is said (``interrupt.hold_for_reply``)."""
        return self._reply_hold and self._frozen is not None

    def hold_for_reply(self, point: FrozenPoint) -> None:
        self.hold(point)
        self._reply_hold = True

    def hold(self, point: FrozenPoint) -> None:
        """Keep ``point``, unless an earlier detour already holds the activity."""
        if self._frozen is None:
            self._frozen = point

    def release(self) -> FrozenPoint | None:
        """The point to carry on from (and nothing is held any more)."""
        point, self._frozen = self._frozen, None
        self._reply_hold = False
        return point

    def drop(self) -> None:
        """The held activity will not be carried on (skipped, ended, stopped for pain)."""
        self._frozen = None
        self._reply_hold = False

    def stop_asked(self, state: State) -> None:
        """"End the session?" was asked in ``state``: "no" goes back to it."""
        self._back_after_stop = state

    def pain_asked(self, state: State) -> None:
        """The pain question was asked in ``state``: a rating goes back to it."""
        self._back_after_pain = state

    def forget_stop(self) -> None:
        """The stop question now asked comes from the coach (pain): nothing to go back to."""
        self._back_after_stop = None

    def take_back_after_stop(self) -> State | None:
        back, self._back_after_stop = self._back_after_stop, None
        return back

    def take_back_after_pain(self) -> State | None:
        back, self._back_after_pain = self._back_after_pain, None
        return back

"""Where the session stands with pain: when it was asked, and whether stopping was advised."""

from __future__ import annotations

from coach.core.pain import PainWhen


class PainCheck:
    def __init__(self) -> None:
        self.when = PainWhen.AFTER_EXERCISE  # what the open (or last) pain question asks about
        # A second rating above 5 advised stopping for today: "no" then skips
        # the exercise instead of carrying on with it.
        self.stop_advised = False
        # Paused by a rating of 3 to 5 during an exercise (easier was offered),
        # not by "pause": help then offers easier first.
        self.paused_for_pain = False

    def advise_stop(self) -> None:
        self.stop_advised = True

    def take_stop_advice(self) -> bool:
        """Whether stopping had been advised (and the advice is answered now)."""
        advised, self.stop_advised = self.stop_advised, False
        return advised

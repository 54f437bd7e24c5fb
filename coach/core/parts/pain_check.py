"""Where the session stands with pain: when it was asked, and whether stopping was advised."""

from __future__ import annotations

from coach.core.pain import PainWhen


class PainCheck:
    def __init__(self) -> None:
        self._when = PainWhen.AFTER_EXERCISE  # what the open (or last) pain question asks about
        # A second rating above 5 advised stopping for today: "no" then skips
        # the exercise instead of carrying on with it.
        self._stop_advised = False
        # Paused by a rating of 3 to 5 during an exercise (easier was offered),
        # not by "pause": help then offers easier first.
        self._paused_for_pain = False

    @property
    def when(self) -> PainWhen:
        return self._when

    @property
    def paused_for_pain(self) -> bool:
        return self._paused_for_pain

    def asked(self, when: PainWhen) -> None:
        """A rating is asked for (or given unasked) about ``when``."""
        self._when = when

    def pause_for_pain(self) -> None:
        self._paused_for_pain = True

    def pause_ended(self) -> None:
        """Paused or carried on by the person: no longer a pause for pain."""
        self._paused_for_pain = False

    def advise_stop(self) -> None:
        self._stop_advised = True

    def stop_asked(self) -> None:
        """The person said "stop": their question, not the coach's advice."""
        self._stop_advised = False

    def take_stop_advice(self) -> bool:
        """Whether stopping had been advised (and the advice is answered now)."""
        advised, self._stop_advised = self._stop_advised, False
        return advised

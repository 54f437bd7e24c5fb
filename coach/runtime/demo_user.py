"""The demo's virtual user: decides what to say, and speaks it into a microphone.

It behaves like a person who knows the commands: it says "go" when the coach
waits, moves through sets with "next", tries "harder", "repeat", "pause" and
"go" on the first exercises, answers the pain question, and on the last
exercise says "stop" and "yes". It watches only what a person could know (the
session's state, which a person hears, and how long it has lasted) and it
repeats itself when the coach did not react, as a person would.

Its voice is espeak-ng through the same renderer as the coach, in another
voice variant, mixed into the simulated microphone on top of the coach's own
voice leaking in (echo) and a little room noise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from coach.audio.format import RATE_HZ
from coach.commands.intents import Intent
from coach.core.events import Heard
from coach.core.session import Session
from coach.core.states import State

ECHO_GAIN = 0.18  # the coach's voice as the microphone hears it: 15 dB under the person, as in scripts/audio-server
# The simulated room returns the echo on the reference's own timeline: the live
# coach measures the real delay (coach.speech_in.echo_delay) and lines the
# microphone up the same way before the Listener sees it.
ECHO_DELAY_SECONDS = 0.0
NOISE_LEVEL = 5.0  # rms of the room noise, in int16 units (about -76 dBFS): a quiet room
USER_GAIN = 1.0
REPLY_SECONDS = 0.6  # a person answers this long after the coach stops asking
RETRY_SECONDS = 3.5  # no reaction this long after speaking: say it again
MAX_TRIES = 4
QUIET_SECONDS = 0.3  # the user waits for this much silence from the coach before speaking
GAP_START_SECONDS = 0.5  # in a set, speak no later than this into a pause
IMPATIENT_SECONDS = 12.0  # ...unless the coach has talked this long since things changed


@dataclass(frozen=True)
class Plan:
    """One thing to say: ``phrase`` in ``state``, after ``after_seconds`` in it."""

    state: State
    phrase: str
    intent: Intent
    after_seconds: float = 0.0
    exercise: int | None = None  # only on this exercise (index), None: any

    def _if(self, in_state: float) -> Plan | None:
        return self if in_state >= self.after_seconds else None


# Said once each, in order, when their moment comes; the first that fits wins.
SCRIPTED = (
    Plan(State.WORKING, "repeat", Intent.REPEAT, 9.0, exercise=0),
    Plan(State.WORKING, "pause", Intent.PAUSE, 3.0, exercise=0),
    Plan(State.PAUSED, "go", Intent.GO, 1.5, exercise=0),
    Plan(State.WORKING, "harder", Intent.HARDER, 5.0, exercise=1),
)
PAIN_WORDS = ("three", "one", "three", "one", "three", "one")


@dataclass
class Utterance:
    phrase: str
    intent: Intent
    start_sample: int
    pcm: np.ndarray
    tries: int = 1

    @property
    def end_sample(self) -> int:
        return self.start_sample + len(self.pcm)


@dataclass
class VirtualUser:
    """See the module docstring. ``voice(text)`` renders 16 kHz int16 speech."""

    voice: Callable[[str, int], np.ndarray]  # (phrase, try number) -> 16 kHz speech
    seed: int = 7
    said: list[tuple[float, str]] = field(default_factory=list)  # (s, phrase)
    _pending: list[Plan] = field(default_factory=lambda: list(SCRIPTED))
    _current: Utterance | None = None  # said, and not yet taken up by the coach
    _sounding: list[Utterance] = field(default_factory=list)  # still in the microphone
    spoken: list[Utterance] = field(default_factory=list)  # every utterance, in order
    _state: State | None = None
    _state_since: float = 0.0
    _ex: int = -1
    _stopped: bool = False
    _gave_up: list[str] = field(default_factory=list)
    _blocked: tuple[State, int] | None = None

    def __post_init__(self) -> None:
        self._rng = np.random.default_rng(self.seed)

    # -- what to say ------------------------------------------------------------
    def watch(self, session: Session, now: float, quiet_seconds: float = math.inf) -> None:
        """Look at the session (as a person listens to it) and maybe start speaking.

        ``quiet_seconds``: how long the coach has been silent. Like a polite
        person, the user waits for a pause in the coach's speech, unless it
        says "stop" (barge-in) or the coach has talked for a long while.
        """
        state, ex = session.state, session.exercise_index
        if state is not self._state or ex != self._ex:
            self._state, self._state_since, self._ex = state, now, ex
            self._current = None  # the coach moved on: what was said took effect
        current = self._current
        if current is not None:
            if now * RATE_HZ < current.end_sample + RETRY_SECONDS * RATE_HZ:
                return
            if current.tries >= MAX_TRIES:
                self._gave_up.append(current.phrase)
                self._current = None
                self._blocked = (state, ex)  # wait for the coach to move on by itself
                return
            if self._may_speak(current.phrase, quiet_seconds, now):
                self._speak(current.phrase, current.intent, now, current.tries + 1)
            return
        if self._blocked == (state, ex):
            return
        plan = self._choose(session, state, now - self._state_since)
        if plan is not None and self._may_speak(plan.phrase, quiet_seconds, now):
            self._speak(plan.phrase, plan.intent, now)

    def _may_speak(self, phrase: str, quiet_seconds: float, now: float) -> bool:
        if phrase == "stop":
            return True  # barge-in: said over the coach
        if self._state in (State.WORKING, State.RESTING):
            # The coach speaks on a beat: speak at the start of a gap, as a person
            # who has caught the rhythm does, so the next cue does not cover it.
            return QUIET_SECONDS / 2 <= quiet_seconds <= GAP_START_SECONDS
        return quiet_seconds >= QUIET_SECONDS or now - self._state_since >= IMPATIENT_SECONDS

    def _choose(self, session: Session, state: State, in_state: float) -> Plan | None:
        ex, last = session.exercise_index, len(session.program.exercises) - 1
        for plan in self._pending:
            if plan.state is state and plan.exercise in (None, ex) and in_state >= plan.after_seconds:
                return plan
        if state is State.READY:
            return Plan(state, "go", Intent.GO, REPLY_SECONDS)._if(in_state)
        if state is State.INTRO and ex > 0:
            return Plan(state, "go", Intent.GO, 2.0)._if(in_state)
        if state is State.WORKING and ex == last and not self._stopped:
            return Plan(state, "stop", Intent.STOP, 5.0)._if(in_state)
        if state is State.WORKING:
            wait = 14.0 if ex == 0 and not session.progress.tally(
                session.program.exercises[0].id).sets_done else 6.0
            return Plan(state, "next", Intent.NEXT, wait)._if(in_state)
        if state is State.RESTING:
            return Plan(state, "next", Intent.NEXT, 1.0)._if(in_state)
        if state is State.ASK_PAIN:
            word = PAIN_WORDS[ex % len(PAIN_WORDS)]
            return Plan(state, word, Intent.NUMBER, REPLY_SECONDS)._if(in_state)
        if state is State.CONFIRM_STOP:
            if self._stopped:
                return Plan(state, "yes", Intent.YES, REPLY_SECONDS)._if(in_state)
            return Plan(state, "no", Intent.NO, REPLY_SECONDS)._if(in_state)
        if state is State.PAUSED:
            return Plan(state, "go", Intent.GO, 1.5)._if(in_state)
        if state is State.ASK_SIDE:
            return Plan(state, "left", Intent.LEFT, REPLY_SECONDS)._if(in_state)
        if state is State.ASK_RESUME:
            return Plan(state, "no", Intent.NO, REPLY_SECONDS)._if(in_state)
        if state is State.PAIN_STOPPED:
            return Plan(state, "next", Intent.NEXT, REPLY_SECONDS)._if(in_state)
        return None

    def _speak(self, phrase: str, intent: Intent, now: float, tries: int = 1) -> None:
        start = round(now * RATE_HZ)
        self._current = Utterance(phrase, intent, start, self.voice(phrase, tries), tries)
        self._sounding.append(self._current)
        self.spoken.append(self._current)
        self.said.append((now, phrase))
        for plan in list(self._pending):
            if plan.phrase == phrase and plan.state is self._state:
                self._pending.remove(plan)
                break
        if phrase == "stop":
            self._stopped = True

    def heard(self, event: Heard) -> None:
        """The coach recognised something: if it is what was said, stop repeating it."""
        current = self._current
        if current is not None and event.intent is current.intent:
            self._current = None

    @property
    def gave_up(self) -> list[str]:
        return list(self._gave_up)

    # -- the microphone -----------------------------------------------------------
    def microphone(self, first_sample: int, echo: np.ndarray) -> np.ndarray:
        """The microphone block starting at ``first_sample``: the user, echo and noise.

        ``echo`` is what the speaker played ``ECHO_DELAY_SECONDS`` earlier, one
        block long: it reaches the microphone now.
        """
        n = len(echo)
        mic = self._rng.normal(0.0, NOISE_LEVEL, n) + ECHO_GAIN * echo.astype(np.float64)
        for u in self._sounding:
            lo, hi = max(first_sample, u.start_sample), min(first_sample + n, u.end_sample)
            if lo < hi:
                mic[lo - first_sample : hi - first_sample] += USER_GAIN * u.pcm[
                    lo - u.start_sample : hi - u.start_sample]
        self._sounding = [u for u in self._sounding if u.end_sample > first_sample + n]
        return np.clip(np.round(mic), -32768, 32767).astype(np.int16)

"""A virtual user: decides what to say, when a person would, and says it into a simulated room.

It behaves like a person who knows the commands. What it says comes from a
script (``DemoScript``: the demo's person says "go" when the coach waits,
does every set to its end, tries "repeat" in the first set, "pause" and "go"
in the first rest, which it then ends early with "next", and "harder" in the
balance, answers the
pain question, and on the last exercise says "stop", then "no" to carry on
to the end; the soak brings its own). How it says it is the same
for every script: it watches only what a person could know (the session's
state, which a person hears, and how long it has lasted), waits for a gap in
the coach's speech (except to say "stop"), and says it again, in another
voice, when the coach did not react, as a person would.

Its voice is another synthesiser than the coach's (coach.runtime.person_voice)
or a real recording, placed in the room (coach.runtime.simulated_room) on
top of the coach's own voice coming back and a little room noise.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from coach.audio.format import RATE_HZ
from coach.commands.intents import Intent
from coach.core.events import Heard
from coach.core.session import Session
from coach.core.states import State
from coach.runtime.simulated_room import SimulatedRoom, SpokenPhrase

REPLY_SECONDS = 0.6  # a person answers this long after the coach stops asking
RETRY_SECONDS = 3.5  # no reaction this long after speaking: say it again
MAX_TRIES = 4
QUIET_SECONDS = 0.3  # the user waits for this much silence from the coach before speaking
GAP_START_SECONDS = 0.5  # in a set, speak no later than this into a pause
IMPATIENT_SECONDS = 12.0  # ...unless the coach has talked this long since things changed


@dataclass(frozen=True)
class ToSay:
    """One thing to say: ``phrase`` in ``state``, after ``after_seconds`` in it."""

    state: State
    phrase: str
    intent: Intent
    after_seconds: float = 0.0
    exercise: int | None = None  # only on this exercise (index), None: any

    def when(self, in_state: float) -> ToSay | None:
        return self if in_state >= self.after_seconds else None


class Script(Protocol):
    """What a virtual user says, and when."""

    def choose(self, session: Session, in_state: float, now: float) -> ToSay | None:
        """What to say now, ``in_state`` seconds into the session's state (None: nothing)."""
        ...

    def said(self, phrase: str, state: State) -> None:
        """``phrase`` was just said, in ``state``."""
        ...


# Said once each, in order, when their moment comes; the first that fits wins.
SCRIPTED = (
    ToSay(State.WORKING, "repeat", Intent.REPEAT, 9.0, exercise=0),
    ToSay(State.RESTING, "hold on", Intent.PAUSE, 3.0, exercise=0),  # in the quiet of a rest
    ToSay(State.PAUSED, "go", Intent.GO, 1.5, exercise=0),
    ToSay(State.WORKING, "harder", Intent.HARDER, 5.0, exercise=1),
)
PAIN_WORDS = ("three", "one", "three", "one", "three", "one")


@dataclass
class DemoScript:
    """The demo's person: through the whole routine, trying the commands worth showing."""

    pending: list[ToSay] = field(default_factory=lambda: list(SCRIPTED))
    stopped: bool = False  # "stop" was said (once, and answered "no")

    def choose(self, session: Session, in_state: float, now: float) -> ToSay | None:
        state = session.state
        ex, last = session.exercise_index, len(session.program.exercises) - 1
        for plan in self.pending:
            if plan.state is state and plan.exercise in (None, ex) and in_state >= plan.after_seconds:
                return plan
        if state is State.READY:
            return ToSay(state, "go", Intent.GO, REPLY_SECONDS).when(in_state)
        if state is State.INTRO and ex > 0:
            return ToSay(state, "go", Intent.GO, 2.0).when(in_state)
        if state is State.WORKING and ex == last and not self.stopped:
            return ToSay(state, "stop", Intent.STOP, 5.0).when(in_state)
        if state is State.RESTING:  # every set is done to its end; a rest may be cut short
            return ToSay(state, "next", Intent.NEXT, 3.0).when(in_state)
        if state is State.ASK_PAIN:
            word = PAIN_WORDS[ex % len(PAIN_WORDS)]
            return ToSay(state, word, Intent.NUMBER, REPLY_SECONDS).when(in_state)
        if state is State.CONFIRM_STOP:  # only to show it: carry on to the end
            return ToSay(state, "no", Intent.NO, REPLY_SECONDS).when(in_state)
        if state is State.PAUSED:
            return ToSay(state, "go", Intent.GO, 1.5).when(in_state)
        if state is State.ASK_SIDE:
            return ToSay(state, "left", Intent.LEFT, REPLY_SECONDS).when(in_state)
        if state is State.ASK_RESUME:
            return ToSay(state, "no", Intent.NO, REPLY_SECONDS).when(in_state)
        if state is State.PAIN_STOPPED:
            return ToSay(state, "next", Intent.NEXT, REPLY_SECONDS).when(in_state)
        return None

    def said(self, phrase: str, state: State) -> None:
        for plan in list(self.pending):
            if plan.phrase == phrase and plan.state is state:
                self.pending.remove(plan)
                break
        if phrase == "stop":
            self.stopped = True


@dataclass
class VirtualUser:
    """See the module docstring. ``voice(phrase, try_number)`` renders 16 kHz int16 speech."""

    voice: Callable[[str, int], np.ndarray]  # (phrase, try number) -> speech at RATE_HZ
    room: SimulatedRoom = field(default_factory=SimulatedRoom)
    script: Script = field(default_factory=DemoScript)
    # After giving up, wait for the coach to move on by itself (None), or start
    # again after this many seconds, as a person who really means it would.
    try_again_seconds: float | None = None
    said: list[tuple[float, str]] = field(default_factory=list)  # (s, phrase)
    spoken: list[SpokenPhrase] = field(default_factory=list)  # every phrase said, in order
    _current: SpokenPhrase | None = None  # said, and not yet taken up by the coach
    _state: State | None = None
    _state_since: float = 0.0
    _ex: int = -1
    _gave_up: list[str] = field(default_factory=list)
    _blocked: tuple[State, int] | None = None
    _blocked_at = 0.0

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
                self._blocked, self._blocked_at = (state, ex), now  # wait for the coach to move on
                return
            if self._may_speak(current.phrase, quiet_seconds, now):
                self._speak(current.phrase, current.intent, now, current.tries + 1)
            return
        if self._blocked == (state, ex):
            if self.try_again_seconds is None or now - self._blocked_at < self.try_again_seconds:
                return
            self._blocked = None
        plan = self.script.choose(session, now - self._state_since, now)
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

    def _speak(self, phrase: str, intent: Intent, now: float, tries: int = 1) -> None:
        start = round(now * RATE_HZ)
        self._current = SpokenPhrase(phrase, intent, start, self.voice(phrase, tries), tries)
        self.room.say(self._current)
        self.spoken.append(self._current)
        self.said.append((now, phrase))
        assert self._state is not None
        self.script.said(phrase, self._state)

    def heard(self, event: Heard) -> None:
        """The coach recognised something: if it is what was said, stop repeating it."""
        current = self._current
        if current is not None and event.intent is current.intent:
            self._current = None

    @property
    def gave_up(self) -> list[str]:
        return list(self._gave_up)

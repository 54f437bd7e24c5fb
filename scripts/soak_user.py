"""The soak's scripted person: what they say and when; typed here, spoken in soak_voice.py.

They answer what the coach asks ("go" when it waits, a pain rating of two,
"no" to "End the session?", their left knee), and in a set now and then ask
"how many left" (every 97 s) and pause (every 5 minutes), then say "go".
Typed (``TypedPerson``), each command reaches the session the moment it is
due, as in keys mode.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from coach.core.events import Event
from coach.core.session import Session
from coach.core.states import State
from coach.speech_in.typed import TypedText

STATUS_EVERY_SECONDS = 97.0
PAUSE_EVERY_SECONDS = 300.0


@dataclass
class Asking:
    """When the person last asked how many are left, and last paused (session time, s)."""

    said_at: dict[str, float] = field(default_factory=lambda: {"status": 0.0, "pause": 0.0})

    def choose(self, state: State, in_state: float, now: float) -> str | None:
        """What to say in ``state``, ``in_state`` seconds into it (None: nothing yet)."""
        if state is State.READY and in_state >= 1.0:
            return "go"
        if state is State.ASK_PAIN and in_state >= 1.0:
            return "two"
        if state is State.PAUSED and in_state >= 2.0:
            return "go"
        if state is State.CONFIRM_STOP and in_state >= 1.0:
            return "no"
        if state is State.ASK_SIDE and in_state >= 1.0:
            return "left"
        if state is State.WORKING and in_state >= 5.0:
            if now - self.said_at["pause"] >= PAUSE_EVERY_SECONDS:
                return "pause"
            if now - self.said_at["status"] >= STATUS_EVERY_SECONDS:
                return "how many left"
        return None

    def said(self, phrase: str, now: float) -> None:
        if phrase == "pause":
            self.said_at["pause"] = now
        elif phrase == "how many left":
            self.said_at["status"] = now


class TypedPerson:
    """An input of the loop: the person's commands, typed the moment they are due."""

    def __init__(self, session: Session, asking: Asking, typed: TypedText) -> None:
        self.session = session
        self.asking = asking
        self.typed = typed
        self.commands = 0
        self._state = session.state
        self._since = 0.0

    def events(self, now: float) -> Iterator[Event]:
        session = self.session
        if session.state is State.ENDED:
            return
        if session.state is not self._state:
            self._state, self._since = session.state, now
        line = self.asking.choose(session.state, now - self._since, now)
        if line is None:
            return
        self.asking.said(line, now)
        heard = self.typed.heard(line, now)
        assert heard is not None, line
        self.commands += 1
        yield heard

"""The session's ``Listen`` actions handed to the command listener: what fits the moment."""

from __future__ import annotations

from coach.core.actions import Action, Listen
from coach.core.events import Event
from coach.speech_in.command_listener import CommandListener


class ListenFor:
    """A sink: the session's ``Listen`` actions tell the recogniser what fits the moment.

    The recogniser may come later (the live coach loads it while the welcome
    is spoken): the last ``Listen`` is kept and given to it when it arrives.
    """

    def __init__(self, listener: CommandListener | None = None) -> None:
        self.listener = listener
        self.last: Listen | None = None

    def __call__(self, action: Action, now: float) -> list[Event]:
        if isinstance(action, Listen):
            self.last = action
            if self.listener is not None:
                self.listener.expect(action.intents, action.question, action.focus,
                                     action.decisive)
        return []

    def attach(self, listener: CommandListener | None) -> None:
        """From now on tell ``listener`` (None: nobody); it hears the current moment at once."""
        self.listener = listener
        if listener is not None and self.last is not None:
            listener.expect(self.last.intents, self.last.question, self.last.focus,
                            self.last.decisive)

"""The session's ``Listen`` actions handed to the command listener: what fits the moment."""

from __future__ import annotations

from coach.core.actions import Action, Listen
from coach.core.events import Event
from coach.speech_in.command_listener import CommandListener


def tell(listener: CommandListener, listen: Listen) -> None:
    """Tell ``listener`` what fits the moment, all of ``listen``."""
    listener.expect(listen.intents, listen.question, listen.focus, listen.decisive,
                    listen.sound_alikes, listen.answers)


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
                tell(self.listener, action)
        return []

    def attach(self, listener: CommandListener | None) -> None:
        """From now on tell ``listener`` (None: nobody); it hears the current moment at once."""
        self.listener = listener
        if listener is not None and self.last is not None:
            tell(listener, self.last)

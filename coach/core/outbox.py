"""The actions an event leads to, in the order they were decided."""

from __future__ import annotations

from coach.core.actions import Action


class Outbox:
    """Collects actions while one event is handled; numbers the lines said.

    Line ids are unique within a session: the voice echoes them back in
    SpeechStarted/SpeechDone, which is how the session knows which line ended.
    """

    def __init__(self) -> None:
        self._actions: list[Action] = []
        self._next_line_id = 1

    def new_line_id(self) -> int:
        line_id = self._next_line_id
        self._next_line_id += 1
        return line_id

    def add(self, action: Action) -> None:
        self._actions.append(action)

    def insert(self, mark: int, action: Action) -> None:
        """Put ``action`` where the outbox was at ``mark``: ahead of what came after."""
        self._actions.insert(mark, action)

    def since(self, mark: int) -> list[Action]:
        """The actions collected after the first ``mark`` of them (``len(outbox)`` then)."""
        return self._actions[mark:]

    def __len__(self) -> int:
        return len(self._actions)

    def take(self) -> list[Action]:
        """Everything collected since the last take."""
        taken, self._actions = self._actions, []
        return taken

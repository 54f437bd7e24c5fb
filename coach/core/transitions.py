"""Every move the session may make, derived from the two tables that make them.

A command moves the session as its entry in ``dispatch.TABLE`` declares;
time and the voice move it as ``flow.ON_ITS_OWN`` declares. Nothing else
moves it, so this table is their union, never a third copy to keep in step.
The session checks each event against it: a move neither table declares is
a bug, reported with the event that caused it.
"""

from __future__ import annotations

from collections.abc import Mapping

from coach.core.dispatch import CORRECTION, TABLE, Entry
from coach.core.events import Event, Heard, Tick
from coach.core.flow import ON_ITS_OWN
from coach.core.states import State
from coach.errors import CoachError


def _derive() -> dict[State, frozenset[State]]:
    moves: dict[State, frozenset[State]] = {}
    for state in State:
        by_command = (entry.leads_to for entry in TABLE.get(state, {}).values())
        # A rating just taken may be corrected from wherever it led (not after the end).
        corrected = CORRECTION.leads_to if state is not State.ENDED else frozenset()
        moves[state] = frozenset().union(
            *by_command, ON_ITS_OWN.get(state, frozenset()), corrected)
    return moves


# state -> the states it may move to (staying put is always allowed).
TRANSITIONS: Mapping[State, frozenset[State]] = _derive()


def allowed(before: State, event: Event, entry: Entry | None = None) -> frozenset[State]:
    """Where ``event`` may take a session that was in ``before``; for a command,
    ``entry`` is what handled it (default: the table's entry)."""
    if isinstance(event, Heard):
        entry = entry if entry is not None else TABLE[before].get(event.intent)
        leads_to = entry.leads_to if entry is not None else frozenset()
    elif isinstance(event, Tick):
        leads_to = ON_ITS_OWN.get(before, frozenset())
    else:
        leads_to = frozenset()  # a line started or ended: lines follow on the next tick
    return leads_to | {before}


def check_move(before: State, after: State, event: Event, entry: Entry | None = None) -> None:
    """Refuse a move the tables do not declare for this event."""
    if after is before:  # staying put is always allowed
        return
    if after not in allowed(before, event, entry):
        what = event.intent.value if isinstance(event, Heard) else type(event).__name__
        raise CoachError(
            f"session: {what} cannot move the session from {before.value} to {after.value}. "
            "This is a bug in coach; please report it with the session log."
        )

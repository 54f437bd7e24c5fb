"""A coach killed mid-session (kill -9) loses nothing: the next start offers to carry on."""

from __future__ import annotations

import signal
from pathlib import Path

from e2e_harness import CoachProcess

from coach.history import HistoryStore


def test_killed_mid_session_then_resumed_from_the_next_set(
    quick_settings: Path, processes: list[CoachProcess]
) -> None:
    first = CoachProcess(["start", "--side", "left", "--no-listen"])
    processes.append(first)
    first.wait_for(r"Say go when you are ready")
    first.type("go")
    first.wait_for(r"^Lift\.$")
    first.type("next")  # set 1 done: written to the history there and then
    first.wait_for(r"Rest for")
    first.kill(signal.SIGKILL)

    store = HistoryStore.open()
    try:
        point = store.interrupted("medial-knee")
    finally:
        store.close()
    assert point is not None and point.exercise_id == "straight-leg-raise"
    assert point.set_number == 2

    second = CoachProcess(["start", "--no-listen"])
    processes.append(second)
    second.wait_for(r"You stopped during the straight leg raise, set 2")
    second.type("yes")
    mark = second.wait_for(r"Carrying on from the straight leg raise, set 2")
    second.wait_for(r"Say go when you are ready", since=mark)
    second.type("go")
    second.wait_for(r"Set 2 of 3", since=mark)
    second.type("stop")
    second.wait_for(r"End the session\?")
    second.type("yes")
    second.wait_for(r"Goodbye")
    assert second.finish() == 0

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


def test_ctrl_c_says_what_was_kept_and_exits_130(
    quick_settings: Path, processes: list[CoachProcess]
) -> None:
    """Nothing done yet: no offer will come next time, and the coach says so."""
    coach = CoachProcess(["start", "--side", "left", "--no-listen"])
    processes.append(coach)
    coach.wait_for(r"Say go when you are ready")
    coach.kill(signal.SIGINT)
    assert coach.finish() == 130
    coach.wait_for(r"No set was done yet, so next time starts from the beginning", who=None)


def test_a_history_that_cannot_be_used_is_said_aloud_once(
    quick_settings: Path, private_home: Path, processes: list[CoachProcess]
) -> None:
    history = private_home / "data" / "coach" / "history.sqlite3"
    history.parent.mkdir(parents=True, exist_ok=True)
    history.write_bytes(b"this is not a history file" * 100)
    coach = CoachProcess(["start", "--side", "left", "--no-listen"])
    processes.append(coach)
    coach.wait_for(r"I cannot use your history, so this session will not be kept", who="note")
    coach.wait_for(r"Say go when you are ready")
    notes = [x for x in coach.lines if "I cannot use your history" in x.text]
    assert len(notes) == 1
    coach.kill(signal.SIGINT)
    assert coach.finish() == 130
    coach.wait_for(r"This session was not recorded", who=None)

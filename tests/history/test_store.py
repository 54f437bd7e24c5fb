"""The history file itself: where it lives, who may read it, and what it refuses."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from history_helpers import T0, Scribe

from coach.core.actions import Log, Say
from coach.core.records import (
    ExerciseDone,
    ExerciseSkipped,
    Paused,
    Resumed,
    SessionStarted,
    SettingsChanged,
)
from coach.history import HistorySink, HistoryStore, HistoryUnavailable, default_path, schema


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_history_is_owner_only_and_in_the_data_dir(private_home: Path) -> None:
    store = HistoryStore.open()
    try:
        path = default_path()
        assert path == private_home / "data" / "coach" / "history.sqlite3"
        assert store.path == path
        assert _mode(path.parent) == 0o700
        assert _mode(path) == 0o600
        # While open in WAL mode, SQLite's side files exist and copy the file's mode.
        side_files = [Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert all(p.exists() for p in side_files)
        assert {_mode(p) for p in side_files} == {0o600}
        assert store.query("PRAGMA journal_mode") == [("wal",)]
        assert store.query("PRAGMA user_version") == [(schema.CURRENT_VERSION,)]
        assert store.query("PRAGMA application_id") == [(schema.APPLICATION_ID,)]
    finally:
        store.close()
    # No stray temporary file is left next to it.
    assert sorted(p.name for p in path.parent.iterdir()) == ["history.sqlite3"]


def test_a_loose_mode_on_our_own_file_is_tightened(private_home: Path) -> None:
    HistoryStore.open().close()
    os.chmod(default_path(), 0o644)
    HistoryStore.open().close()
    assert _mode(default_path()) == 0o600


def test_records_are_stored_as_they_arrive_and_read_back(
    scribe: Scribe, store: HistoryStore
) -> None:
    scribe.start(0, {"straight-leg-raise": 3, "wall-squat": 2}, levels={"wall-squat": 1})
    scribe.sets("straight-leg-raise", 1, 2)
    # Written already, before the session ends: a second connection sees it.
    other = HistoryStore.open()
    try:
        (running,) = other.sessions()
        assert running.completed is None
        assert running.sets_done == 2
    finally:
        other.close()
    scribe.sets("straight-leg-raise", 3, 3)
    scribe.log(ExerciseDone, exercise="straight-leg-raise", sets_done=3, sets_planned=3)
    scribe.pain("straight-leg-raise", 4)
    scribe.level("wall-squat", 1, 2, "longer hold")
    scribe.log(ExerciseSkipped, exercise="wall-squat", reason="pain")
    scribe.log(Paused)
    scribe.log(Resumed)
    scribe.end(completed=False)

    (session,) = store.sessions()
    assert session.program == "medial-knee"
    assert session.side == "left"
    assert session.started_wall == T0 + 1
    assert session.completed is False
    assert session.sets_done == 3 and session.sets_planned == 5
    assert session.exercises_done == 1
    assert [(e.exercise, e.status, e.reason) for e in session.exercises] == [
        ("straight-leg-raise", "done", None),
        ("wall-squat", "skipped", "pain"),
    ]
    assert [(p.rating, p.when) for p in session.pain] == [(4, "after-exercise")]
    assert [
        (c.exercise, c.from_level, c.to_level, c.level_name) for c in session.level_changes
    ] == [("wall-squat", 1, 2, "longer hold")]
    assert session.duration_seconds == scribe.at - 1.0
    # The journal keeps every record whole, the ones without a table too.
    kinds = [k for (k,) in store.query("SELECT kind FROM records ORDER BY id")]
    assert kinds.count("paused") == 1 and kinds[-1] == "session-ended"


def test_the_sink_ignores_actions_that_are_not_logs(store: HistoryStore) -> None:
    sink = HistorySink(store, wall_clock=lambda: T0)
    assert sink(Say("Hello.", id=1), 0.0) == []
    assert store.query("SELECT COUNT(*) FROM records") == [(0,)]
    sink(Log(SettingsChanged(at=0.5, rate_wpm=170, volume=0.8)), 0.5)
    # A record before any session is kept in the journal, tied to no session.
    assert store.query("SELECT session_id, kind FROM records") == [(None, "settings-changed")]


def _refused_untouched(path: Path) -> str:
    """Open ``path`` as history; it must be refused and left byte for byte as it was."""
    before = path.read_bytes()
    folder_before = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(HistoryUnavailable) as caught:
        HistoryStore.open(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == folder_before
    message = str(caught.value)
    assert str(path) in message and "left as it is" in message
    return message


def test_a_damaged_file_is_refused_and_left_untouched(private_home: Path) -> None:
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(os.urandom(8192))
    assert "not an SQLite database" in _refused_untouched(path)


def test_an_empty_file_is_refused_and_left_untouched(private_home: Path) -> None:
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    assert "is empty" in _refused_untouched(path)


def test_a_foreign_sqlite_file_is_refused_and_left_untouched(private_home: Path) -> None:
    path = default_path()
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE sessions (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO sessions (name) VALUES ('someone else''s data')")
    conn.commit()
    conn.close()
    assert "belongs to another program" in _refused_untouched(path)


def test_our_file_with_damaged_pages_is_refused_and_left_untouched(
    scribe: Scribe, store: HistoryStore
) -> None:
    for day in range(3):
        scribe.whole_session(day, pain=3)
    store.close()
    path = default_path()
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    assert len(data) > 3 * page_size
    data[page_size : 3 * page_size] = os.urandom(2 * page_size)  # pages 2 and 3: table data
    path.write_bytes(bytes(data))
    message = _refused_untouched(path)
    assert "damaged" in message or "cannot be used" in message


def test_a_file_from_a_newer_coach_is_refused_and_left_untouched(private_home: Path) -> None:
    HistoryStore.open().close()
    path = default_path()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.CURRENT_VERSION + 1}")
    conn.commit()
    conn.execute("PRAGMA journal_mode = DELETE")  # fold everything into the file itself
    conn.close()
    assert "newer version of coach" in _refused_untouched(path)


def test_a_file_held_by_another_process_is_reported_as_busy(private_home: Path) -> None:
    HistoryStore.open().close()
    holder = sqlite3.connect(default_path(), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # as a stuck writer would
    try:
        # Reading still works beside a writer (WAL); writing waits, then says why.
        store = HistoryStore.open(busy_timeout_seconds=0.0)
        try:
            assert store.sessions() == []
            sink = HistorySink(store, wall_clock=lambda: T0)
            start = SessionStarted(at=0.0, program="medial-knee", side=None, exercises=())
            with pytest.raises(HistoryUnavailable, match="is busy: another coach program"):
                sink(Log(start), 0.0)
        finally:
            store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()

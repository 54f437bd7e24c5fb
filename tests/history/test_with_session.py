"""The real session engine writing through HistorySink, and reading its past back.

A session runs on a manual clock up to the end of its first set, is cut off
(the store is closed with no session-ended record), and the next session is
built from what the history says."""

from __future__ import annotations

from pathlib import Path

from history_helpers import T0

from coach.core.resume_point import ResumePoint
from coach.core.session import Session
from coach.core.states import State
from coach.history import HistorySink, HistoryStore
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.settings import Settings
from coach.runtime.scripted_session import SessionHarness
from coach.spoken_text import load_lines


def drive(session: Session, store: HistoryStore) -> SessionHarness:
    """A session on the package's harness, writing through the history sink, started."""
    harness = SessionHarness(session)
    harness.runner.sinks.append(HistorySink(store, wall_clock=lambda: T0 + harness.now))
    return harness.start()


def _sets(store: HistoryStore) -> int:
    return int(store.query("SELECT COUNT(*) FROM sets")[0][0])


def test_a_cut_off_real_session_feeds_the_next_one() -> None:
    program = load_bundled("medial-knee")
    first_id = program.exercises[0].id
    store = HistoryStore.open()
    run = drive(Session(program, settings=Settings(), side=Side.LEFT, lines=load_lines()), store)
    run.until(lambda: run.session.state is State.READY, 900.0)
    run.hear("easier")
    run.hear("go")
    run.until(lambda: _sets(store) == 1, 900.0)
    store.close()  # cut off mid-session: no session-ended record

    store = HistoryStore.open()
    try:
        assert store.interrupted(program.id) == ResumePoint(first_id, 2, Side.LEFT)
        level = store.levels(program.id)[first_id]
        assert level == program.exercises[0].default_level - 1
        assert store.familiar(program.id) == frozenset({first_id})
        assert store.last_side(program.id) is Side.LEFT
        notes = store.opening_notes(program.id, T0 + 3600, program=program)
        lower = program.exercises[0].levels[level].name
        assert notes == [f"Last time you moved the {program.exercises[0].name} down to {lower}."]
        # A second session built from the history; starting it resolves the first.
        session = Session(
            program,
            settings=Settings(),
            side=store.last_side(program.id),
            levels=store.levels(program.id),
            familiar=store.familiar(program.id),
            resume=store.interrupted(program.id),
            notes=notes, lines=load_lines(),
        )
        drive(session, store)
        assert store.query("SELECT id, resolved_by, completed FROM sessions ORDER BY id") == [
            (1, 2, None),
            (2, None, None),
        ]
        (started,) = store.query(
            "SELECT body FROM records WHERE session_id = 2 AND kind = 'session-started'"
        )
        assert f'"{first_id}": {level}' in started[0]  # the carried-over level was used
    finally:
        store.close()


def test_a_corrected_rating_leaves_only_the_right_one_in_the_history(tmp_path: Path) -> None:
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    try:
        session = Session(load_bundled("medial-knee"), settings=Settings(), side=Side.LEFT, lines=load_lines())
        d = drive(session, store)
        d.until(lambda: session.state is State.READY)
        d.hear("go")
        d.until(lambda: session.state is State.ASK_PAIN)
        d.hear("nine")  # misheard
        d.hear("no")  # said right after: it was not nine
        assert session.state is State.ASK_PAIN  # asked again
        d.hear("three")
        assert store.query("SELECT rating FROM pain") == [(3,)]
        kinds = [k for (k,) in store.query("SELECT kind FROM records ORDER BY id")]
        assert kinds.count("pain") == 2 and kinds.count("pain-corrected") == 1  # kept, as said
    finally:
        store.close()

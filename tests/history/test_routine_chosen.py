"""A routine chosen by voice before the first set is what the history keeps:
its exercises, and where to carry on from when the session is cut off."""

from __future__ import annotations

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


def test_the_chosen_routine_replaces_the_planned_one_in_the_history() -> None:
    knee = load_bundled("medial-knee")
    store = HistoryStore.open()
    run = SessionHarness(Session(knee, settings=Settings(), side=Side.LEFT, choices=(knee,), lines=load_lines()))
    run.runner.sinks.append(HistorySink(store, wall_clock=lambda: T0 + run.now))
    run.start()
    run.hear("pes anserine")
    run.until(lambda: run.session.state is State.READY, 900.0)
    run.hear("skip this exercise")  # the straight leg raise, done before
    run.until(lambda: run.session.state is State.READY, 900.0)
    run.hear("go")
    run.until(lambda: int(store.query("SELECT COUNT(*) FROM sets")[0][0]) == 1, 900.0)
    store.close()  # cut off mid-session

    store = HistoryStore.open()
    try:
        rows = store.query("SELECT exercise FROM session_exercises ORDER BY position")
        assert [r[0] for r in rows] == ["straight-leg-raise", "seated-knee-extension",
                                        "resisted-side-stepping", "wall-squat"]
        assert store.interrupted(knee.id) == ResumePoint("seated-knee-extension", 2, Side.LEFT)
    finally:
        store.close()

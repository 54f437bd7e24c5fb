"""A real writer process for the history tests: records go through HistorySink.

    python writer.py crash          a session up to the middle of a set, then
                                    "in-set" on stdout, then wait for a signal
    python writer.py stream         start a session, say "writing", then write
                                    sets until stdin closes; end the session and
                                    print "wrote N"
    python writer.py fill BYTES     cap file sizes at BYTES (a full disk), write
                                    sets until the store refuses; print JSON
    python writer.py open [BYTES]   open the store (under a size cap if given); print
                                    "opened", "opened read-only, sessions: N" or the
                                    HistoryUnavailable message

The history file is the default one: the tests point XDG_DATA_HOME at their
private folder.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
import threading
from typing import Any

from coach.core.actions import Log
from coach.core.pain import PainWhen
from coach.core.records import (
    ExerciseDone,
    PainRated,
    Record,
    SessionFinished,
    SessionStarted,
    SetDone,
)
from coach.history import HistorySink, HistoryStore, HistoryUnavailable
from history_helpers import nothing_done
from coach.program.model import Side

PLANNED = {"straight-leg-raise": 3, "single-leg-balance": 2, "wall-squat": 3}


class Writer:
    def __init__(self, store: HistoryStore):
        self.sink = HistorySink(store)
        self.at = 0.0  # s, session clock

    def log(self, kind: type[Record], **fields: Any) -> None:
        self.at += 1.0
        self.sink(Log(kind(at=self.at, **fields)), self.at)

    def start(self, planned: dict[str, int]) -> None:
        self.log(
            SessionStarted,
            program="medial-knee",
            side=Side.LEFT,
            exercises=tuple(planned),
            planned_sets=planned,
            levels={},
        )

    def set_done(self, exercise: str, n: int, of: int) -> None:
        self.log(
            SetDone, exercise=exercise, set_number=n, of_sets=of, reps=10, level=1, side=Side.LEFT
        )


def crash() -> None:
    writer = Writer(HistoryStore.open())
    writer.start(PLANNED)
    for n in (1, 2, 3):
        writer.set_done("straight-leg-raise", n, 3)
    writer.log(ExerciseDone, exercise="straight-leg-raise", sets_done=3, sets_planned=3)
    writer.log(PainRated, exercise="straight-leg-raise", rating=3, when=PainWhen.AFTER_EXERCISE)
    writer.set_done("single-leg-balance", 1, 2)
    # Set 2 of the balance is in progress: nothing more is logged until it ends.
    print("in-set", flush=True)
    signal.pause()


def stream() -> None:
    writer = Writer(HistoryStore.open())
    many = 1_000_000
    writer.start({"straight-leg-raise": many})
    closed = threading.Event()

    def wait_for_stdin_to_close() -> None:
        sys.stdin.read()
        closed.set()

    threading.Thread(target=wait_for_stdin_to_close, daemon=True).start()
    writer.set_done("straight-leg-raise", 1, many)
    written = 1
    print("writing", flush=True)
    while not closed.is_set() and written < many:
        written += 1
        writer.set_done("straight-leg-raise", written, many)
    writer.log(SessionFinished, completed=False, summary=nothing_done(False))
    print(f"wrote {written}", flush=True)


def _cap(limit_bytes: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))


def fill(limit_bytes: int) -> None:
    store = HistoryStore.open()
    _cap(limit_bytes)
    writer = Writer(store)
    written, error = 0, ""
    try:
        writer.start({"wall-squat": 100_000})
        while written < 100_000:
            writer.set_done("wall-squat", written + 1, 100_000)
            written += 1
    except HistoryUnavailable as exc:
        error = str(exc)
    # After the one error, the sink stops writing and says nothing more.
    writer.set_done("wall-squat", written + 1, 100_000)
    print(json.dumps({"written": written, "error": error}), flush=True)


def open_store(limit_bytes: int | None) -> None:
    if limit_bytes is not None:
        _cap(limit_bytes)
    try:
        store = HistoryStore.open()
    except HistoryUnavailable as exc:
        print(f"unavailable: {exc}", flush=True)
        return
    try:
        if store.read_only:
            # A read-only store takes records without writing them, and without failing.
            Writer(store).start(PLANNED)
            print(f"opened read-only, sessions: {len(store.sessions())}", flush=True)
        else:
            print("opened", flush=True)
    finally:
        store.close()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "crash":
        crash()
    elif mode == "stream":
        stream()
    elif mode == "fill":
        fill(int(sys.argv[2]))
    elif mode == "open":
        open_store(int(sys.argv[2]) if len(sys.argv) > 2 else None)
    else:
        raise SystemExit(f"unknown mode {mode!r}")

"""``coach history --forget``: erase the history only on yes, only coach's own file,
never under a running session, and never the settings."""

from __future__ import annotations

import io
import os
import selectors
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from history_helpers import Scribe, WallClock

from coach.cli import main
from coach.history import HistorySink, HistoryStore, default_path
from coach.history.forget import ForgetRefused, erase, look, side_files
from coach.paths import write_private
from coach.settings import load_settings, settings_path

WRITER = Path(__file__).resolve().parent / "writer.py"
REPO = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 120.0  # a safety net against a hung child, not a measurement
SETTINGS = b"voice: en-gb\nrate_wpm: 170\nvolume: 0.6\n"
ASK = "Erase all of it? Type yes to erase, anything else keeps it."
KEPT_SETTINGS = "Your settings, such as the voice, rate and volume, are kept."


pytestmark = pytest.mark.usefixtures("utc")  # local time is UTC: the dates are known


def _history(days: int) -> Path:
    """A closed history file with one whole session on each of ``days`` days."""
    store = HistoryStore.open()
    try:
        wall = WallClock()
        scribe = Scribe(HistorySink(store, wall_clock=wall), wall)
        for day in range(days):
            scribe.whole_session(day, pain=4)
    finally:
        store.close()
    return default_path()


def _session_count() -> int:
    store = HistoryStore.open()
    try:
        return len(store.sessions())
    finally:
        store.close()


def _settings() -> Path:
    path = settings_path()
    write_private(path, SETTINGS)
    assert load_settings(path).voice == "en-gb"
    return path


def _coach(*args: str, answer: str | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI as a person runs it; ``answer`` None: stdin is empty (EOF)."""
    return subprocess.run(
        [sys.executable, "-m", "coach", *args],
        input=answer,
        stdin=subprocess.DEVNULL if answer is None else None,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


def _forget_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], answer: str
) -> tuple[int, list[str], str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer))
    code = main(["history", "--forget"])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err


def test_yes_erases_the_file_and_keeps_the_settings() -> None:
    path = _history(3)
    settings = _settings()
    done = _coach("history", "--forget", answer="yes\n")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        f"This erases your exercise history, the file {path}.",
        "It holds 3 sessions, from 2 March 2026 to 4 March 2026.",
        KEPT_SETTINGS,
        ASK,
        f"Erased. Removed {path}.",
    ]
    assert not path.exists()
    assert [p for p in side_files(path) if p.exists()] == []
    assert settings.read_bytes() == SETTINGS
    listed = _coach("history")
    assert (listed.returncode, listed.stdout) == (0, "No sessions recorded yet.\n")


@pytest.mark.parametrize("answer", ["YES\n", "  yes \n", "Yes"])
def test_yes_in_any_case_with_spaces_erases(
    answer: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _history(1)
    code, out, err = _forget_in_process(monkeypatch, capsys, answer)
    assert (code, err) == (0, "")
    assert out[1] == "It holds 1 session, on 2 March 2026."
    assert out[-1] == f"Erased. Removed {path}."
    assert not path.exists()


@pytest.mark.parametrize("answer", ["no\n", "\n", "y\n", "yes please\n", "yes yes\n", ""])
def test_any_other_answer_keeps_everything(
    answer: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _history(2)
    settings = _settings()
    code, out, err = _forget_in_process(monkeypatch, capsys, answer)
    assert (code, err) == (1, "")
    assert out[-2:] == [ASK, "Nothing was erased."]
    assert path.exists()
    assert _session_count() == 2
    assert settings.read_bytes() == SETTINGS


def test_no_stdin_keeps_everything() -> None:
    path = _history(2)
    done = _coach("history", "--forget", answer=None)
    assert done.returncode == 1
    assert done.stdout.splitlines()[-2:] == [ASK, "Nothing was erased."]
    assert path.exists()
    assert _session_count() == 2


def test_yes_flag_erases_without_asking(capsys: pytest.CaptureFixture[str]) -> None:
    path = _history(2)
    settings = _settings()
    assert main(["history", "--forget", "--yes"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert ASK not in out
    assert out[-1] == f"Erased. Removed {path}."
    assert not path.exists()
    assert settings.read_bytes() == SETTINGS


def test_an_empty_history_is_erased_too(capsys: pytest.CaptureFixture[str]) -> None:
    HistoryStore.open().close()
    assert main(["history", "--forget", "--yes"]) == 0
    assert "It holds no sessions." in capsys.readouterr().out.splitlines()
    assert not default_path().exists()


def test_sessions_on_one_day_are_said_so(capsys: pytest.CaptureFixture[str]) -> None:
    store = HistoryStore.open()
    try:
        wall = WallClock()
        scribe = Scribe(HistorySink(store, wall_clock=wall), wall)
        scribe.whole_session(0)
        scribe.whole_session(0.25)
    finally:
        store.close()
    assert main(["history", "--forget", "--yes"]) == 0
    assert "It holds 2 sessions, all on 2 March 2026." in capsys.readouterr().out.splitlines()


def test_no_history_file_is_said_and_nothing_is_made(capsys: pytest.CaptureFixture[str]) -> None:
    path = default_path()
    assert main(["history", "--forget"]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"There is no history to erase: {path} does not exist.\n"
    assert captured.err == ""
    assert not path.parent.exists()


def test_side_files_without_a_history_file_are_named_and_left(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = default_path()
    path.parent.mkdir(parents=True)
    wal = side_files(path)[0]
    wal.write_bytes(b"left behind")
    assert main(["history", "--forget", "--yes"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"There is no history to erase: {path} does not exist.",
        ("These SQLite side files have no history file with them, and were left as they "
         f"are: {wal}. Remove them by hand if you are sure."),
    ]
    assert wal.read_bytes() == b"left behind"


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(str(path))
    conn.execute("CREATE TABLE sessions (started_wall REAL)")  # even a look-alike table
    conn.execute("INSERT INTO sessions VALUES (1.0)")
    conn.commit()
    conn.close()


def _damaged_history(path: Path) -> None:
    _history(3)
    data = bytearray(path.read_bytes())
    page = 4096
    data[page : 3 * page] = b"\xa5" * (2 * page)  # coach's header, broken pages behind it
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("kind", "said"),
    [
        ("text", "is not an SQLite database"),
        ("empty", "is empty"),
        ("foreign", "belongs to another program"),
        ("damaged", "is damaged"),
        ("link", "is a link to"),
    ],
)
def test_a_file_that_is_not_coach_history_is_refused_and_left(
    kind: str, said: str, tmp_path: Path
) -> None:
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "text":
        path.write_bytes(b"my own notes, not a database\n" * 10)
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "foreign":
        _foreign_sqlite(path)
    elif kind == "damaged":
        _damaged_history(path)
    else:
        target = tmp_path / "elsewhere.sqlite3"
        _foreign_sqlite(target)
        path.symlink_to(target)
    before = sorted((p.name, p.read_bytes()) for p in path.parent.iterdir())
    done = _coach("history", "--forget", "--yes")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(f"coach: The file {path} ")
    assert said in done.stderr
    assert "remove it by hand" in done.stderr
    assert done.stderr.count("\n") == 1
    assert sorted((p.name, p.read_bytes()) for p in path.parent.iterdir()) == before
    assert path.exists()


def test_side_files_are_removed_with_it() -> None:
    """A session killed mid-set leaves its -wal and -shm files; a stale -journal too."""
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), "crash"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert proc.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            assert sel.select(TIMEOUT_SECONDS), "the writer printed nothing"
        assert proc.stdout.readline().strip() == "in-set"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    path = default_path()
    wal, shm, journal = side_files(path)
    journal.write_bytes(b"")  # an empty journal is never replayed: harmless, but erased too
    assert wal.exists() and shm.exists()
    done = _coach("history", "--forget", "--yes")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].startswith("It holds 1 session, on ")
    assert done.stdout.splitlines()[-1] == (
        f"Erased. Removed {path} and its side files "
        "history.sqlite3-wal, history.sqlite3-shm, history.sqlite3-journal."
    )
    assert list(path.parent.iterdir()) == []


def test_an_open_session_keeps_its_history(
    store: HistoryStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """A session resting between sets holds the file open: nothing is erased under it."""
    wall = WallClock()
    scribe = Scribe(HistorySink(store, wall_clock=wall), wall)
    scribe.start(0, {"straight-leg-raise": 3})
    scribe.sets("straight-leg-raise", 1, 1)
    assert main(["history", "--forget", "--yes"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"coach: The history file {default_path()} is in use by another coach program, "
        "perhaps a session that is running. Nothing was erased. Close the other coach "
        "program, then try again.\n"
    )
    scribe.sets("straight-leg-raise", 2, 3)  # the session carries on writing
    (session,) = store.sessions()
    assert session.sets_done == 3


def test_a_session_writing_in_another_process_is_not_disturbed() -> None:
    proc = subprocess.Popen(
        [sys.executable, str(WRITER), "stream"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            assert sel.select(TIMEOUT_SECONDS), "the writer printed nothing"
        assert proc.stdout.readline().strip() == "writing"
        done = _coach("history", "--forget", "--yes")
        proc.stdin.close()
        last = proc.stdout.readline().strip()
    finally:
        proc.wait(timeout=TIMEOUT_SECONDS)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert done.returncode == 1
    assert "is in use by another coach program" in done.stderr
    assert "Erased" not in done.stdout
    assert proc.returncode == 0
    written = int(last.split()[1])
    store = HistoryStore.open()
    try:
        (session,) = store.sessions()
        assert session.sets_done == written
    finally:
        store.close()


def test_a_session_saved_while_answering_stops_the_erase() -> None:
    path = _history(2)
    told = look(path)
    store = HistoryStore.open()  # a session saved between the question and the answer
    try:
        wall = WallClock()
        Scribe(HistorySink(store, wall_clock=wall), wall).whole_session(5)
    finally:
        store.close()
    with pytest.raises(ForgetRefused, match="The history changed while you were answering"):
        erase(path, told)
    assert _session_count() == 3


def test_yes_and_forget_go_together(capsys: pytest.CaptureFixture[str]) -> None:
    _history(1)
    assert main(["history", "--yes"]) == 1
    assert "--yes goes with --forget" in capsys.readouterr().err
    assert main(["history", "--forget", "--program", "medial-knee"]) == 1
    assert "--forget erases the whole history" in capsys.readouterr().err
    assert _session_count() == 1

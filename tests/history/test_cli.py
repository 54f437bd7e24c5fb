"""``coach history``: the table, JSON, CSV, the plot and the summary, run as the CLI."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from history_helpers import DAY, T0, Scribe

from coach.cli import main
from coach.history import HistoryStore, default_path

SQUAT = "wall-squat"
RAISE = "straight-leg-raise"


pytestmark = pytest.mark.usefixtures("utc")  # local time is UTC: the dates are known


def _three_days(scribe: Scribe) -> None:
    scribe.whole_session(0, pain=5)
    scribe.start(1, {RAISE: 3, SQUAT: 2})
    scribe.exercise(RAISE)
    scribe.level(SQUAT, 1, 2, "longer hold")
    scribe.exercise(SQUAT, sets=1)
    scribe.pain(SQUAT, 6, when="during")
    scribe.end(completed=False)
    scribe.start(2, {RAISE: 3, SQUAT: 2})
    scribe.sets(RAISE, 1, 2)  # cut off


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["history", *args]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def test_no_history_yet_creates_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys) == "No sessions recorded yet.\n"
    assert json.loads(_run(capsys, "--json")) == {"sessions": []}
    assert _run(capsys, "--csv").startswith("date,started_utc,minutes,")
    assert _run(capsys, "--summary") == "No sessions in the past week yet.\n"
    assert not default_path().exists()


def test_table_newest_first(scribe: Scribe, capsys: pytest.CaptureFixture[str]) -> None:
    _three_days(scribe)
    assert _run(capsys).splitlines() == [
        "Date              Minutes  Exercises  Sets    Max pain  Finished       Skipped  Level changes",
        "2026-03-04 09:00  0        0 of 2     2 of 5  none      cut off        none     none",
        "2026-03-03 09:00  0        2 of 2     4 of 5  6         stopped early  none     wall squat up to longer hold",
        "2026-03-02 09:00  0        2 of 2     5 of 5  5         yes            none     none",
    ]
    assert len(_run(capsys, "--limit", "1").splitlines()) == 2
    assert len(_run(capsys, "--limit", "0").splitlines()) == 4


def test_json_has_every_detail(scribe: Scribe, capsys: pytest.CaptureFixture[str]) -> None:
    _three_days(scribe)
    sessions = json.loads(_run(capsys, "--json"))["sessions"]
    assert [s["finished"] for s in sessions] == ["cut off", "stopped early", "yes"]
    middle = sessions[1]
    assert middle["started_utc"] == "2026-03-03T09:00:01+00:00"
    assert middle["completed"] is False
    assert (middle["sets_done"], middle["sets_planned"], middle["max_pain"]) == (4, 5, 6)
    assert middle["exercises"][1] == {
        "id": SQUAT,
        "planned_sets": 2,
        "sets_done": 1,
        "status": "done",
        "level_start": None,
        "reason": None,
    }
    assert middle["pain"] == [
        {"exercise": SQUAT, "rating": 6, "when": "during", "utc": "2026-03-03T09:00:09+00:00"}
    ]
    assert middle["level_changes"][0]["level"] == "longer hold"
    assert middle["duration_seconds"] == 9.0  # session clock: start at 1 s, end at 10 s


def test_csv_matches_the_table(scribe: Scribe, capsys: pytest.CaptureFixture[str]) -> None:
    _three_days(scribe)
    rows = list(csv.DictReader(io.StringIO(_run(capsys, "--csv"))))
    assert [r["date"] for r in rows] == ["2026-03-04 09:00", "2026-03-03 09:00", "2026-03-02 09:00"]
    assert rows[1]["level_changes"] == "wall squat up to longer hold"
    assert (rows[1]["sets_done"], rows[1]["sets_planned"], rows[1]["max_pain"]) == ("4", "5", "6")
    assert rows[0]["max_pain"] == ""
    assert rows[2]["finished"] == "yes"


def test_summary_speaks_the_past_week(scribe: Scribe, capsys: pytest.CaptureFixture[str]) -> None:
    # The CLI reads today's date: place the sessions in the past few days.
    now = time.time()
    for days_ago, pain in ((3, 6), (2, 5), (1, 4)):
        scribe.whole_session((now - T0) / DAY - days_ago, pain=pain)
    assert _run(capsys, "--summary") == (
        "This week: 3 sessions, 15 of 15 planned sets, pain down from 6 to 4.\n"
    )


def test_plot_writes_a_png(
    scribe: Scribe, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    _three_days(scribe)
    target = tmp_path / "progress.png"
    assert _run(capsys, "--plot", str(target)) == f"Wrote the plot of 3 sessions to {target}.\n"
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert target.stat().st_size > 10_000
    assert target.stat().st_mode & 0o777 == 0o600  # health data: owner only


def test_plot_without_matplotlib_says_how_to_install(
    scribe: Scribe,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _three_days(scribe)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    target = tmp_path / "progress.png"
    assert main(["history", "--plot", str(target)]) == 1
    err = capsys.readouterr().err
    assert "needs matplotlib, which is not installed" in err
    assert f"{sys.executable} -m pip install 'matplotlib>=3.7'" in err
    assert not target.exists()


def test_a_foreign_file_is_reported_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    path = default_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database at all, just some text" * 10)
    assert main(["history"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"coach: The history file {path} is not an SQLite database")
    assert err.count("\n") == 1
    assert path.read_bytes() == b"not a database at all, just some text" * 10


def test_the_cli_reads_beside_an_open_writer(
    scribe: Scribe, capsys: pytest.CaptureFixture[str]
) -> None:
    """The session's connection stays open mid-set; the CLI still reads what is written."""
    scribe.start(0, {RAISE: 3})
    scribe.sets(RAISE, 1, 1)
    (session,) = json.loads(_run(capsys, "--json"))["sessions"]
    assert (session["sets_done"], session["finished"]) == (1, "cut off")


def test_names_come_from_the_program_or_read_the_ids_as_words(
    scribe: Scribe, capsys: pytest.CaptureFixture[str]
) -> None:
    # The session logs level ids; the table names them from the bundled program.
    scribe.start(0, {"single-leg-balance": 2})
    scribe.level("single-leg-balance", 1, 2, "eyes-closed")
    scribe.end()
    scribe.start(1, {"hip-bridge": 2}, program="my-own-routine")
    scribe.level("hip-bridge", 0, 1, "single-leg")
    scribe.end()
    rows = list(csv.DictReader(io.StringIO(_run(capsys, "--csv"))))
    assert [r["level_changes"] for r in rows] == [
        "hip bridge up to single leg",
        "single-leg balance up to eyes closed",
    ]


DEMO = "medial-knee-demo"  # where coach demo records its sessions


def _a_real_and_a_demo_session(scribe: Scribe) -> None:
    """Today a session of the person's own (pain 3), and the demo's (pain 7) just before."""
    today = (time.time() - T0) / DAY
    scribe.start(today - 0.1, {RAISE: 3}, program=DEMO)
    scribe.exercise(RAISE)
    scribe.pain(RAISE, 7)
    scribe.end()
    scribe.start(today - 0.05, {RAISE: 3, SQUAT: 2})
    scribe.exercise(RAISE)
    scribe.exercise(SQUAT)
    scribe.pain(SQUAT, 3)
    scribe.end()


def test_the_demo_is_kept_apart_unless_asked_for(
    scribe: Scribe, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo's sessions counted in the summary: '2 sessions, pain down from 7 to 3'."""
    _a_real_and_a_demo_session(scribe)
    assert _run(capsys, "--summary") == (
        "This week: 1 session, 5 of 5 planned sets, pain 3 out of 10.\n"
    )
    mine = _run(capsys).splitlines()
    assert len(mine) == 2 and "Program" not in mine[0]  # one program: no program column
    assert [s["program"] for s in json.loads(_run(capsys, "--json"))["sessions"]] == [
        "medial-knee"
    ]
    for asked in (["--demo"], ["--program", DEMO], ["--demo", "--program", "medial-knee"]):
        (session,) = json.loads(_run(capsys, "--json", *asked))["sessions"]
        assert session["program"] == DEMO and session["max_pain"] == 7
        assert _run(capsys, "--summary", *asked) == (
            "This week: 1 session, 3 of 3 planned sets, pain 7 out of 10.\n"
        )


def test_only_demo_sessions_say_where_they_are(
    scribe: Scribe, capsys: pytest.CaptureFixture[str]
) -> None:
    scribe.whole_session(0, pain=2, planned={RAISE: 1})
    scribe.start(1, {RAISE: 1}, program=DEMO)
    scribe.end()
    with sqlite3.connect(default_path()) as conn:  # as if only the demo had been run
        conn.execute("DELETE FROM sessions WHERE program = 'medial-knee'")
    assert _run(capsys) == (
        "No sessions recorded yet. The demo's sessions are kept apart: add --demo to see them.\n"
    )
    assert len(_run(capsys, "--demo").splitlines()) == 2


def test_sessions_of_several_programs_are_told_apart_by_a_program_column(
    scribe: Scribe, capsys: pytest.CaptureFixture[str]
) -> None:
    scribe.whole_session(0, pain=2)
    scribe.start(1, {"hip-bridge": 2}, program="my-own-routine")
    scribe.end()
    lines = _run(capsys).splitlines()
    assert lines[0].split()[:3] == ["Date", "Program", "Minutes"]
    assert [line.split()[2] for line in lines[1:]] == ["my-own-routine", "medial-knee"]
    one = _run(capsys, "--program", "my-own-routine").splitlines()
    assert "Program" not in one[0] and len(one) == 2


def test_a_program_not_in_the_history_is_named_with_those_that_are(
    scribe: Scribe, capsys: pytest.CaptureFixture[str]
) -> None:
    _a_real_and_a_demo_session(scribe)
    assert main(["history", "--program", "bogus"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "coach: The history has no sessions of a program called 'bogus'. Programs in it: "
        "medial-knee, medial-knee-demo (the demo's, shown with --demo).\n"
    )


def test_a_plot_of_one_session_and_a_plot_file_that_is_not_png(
    scribe: Scribe, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    scribe.whole_session(0, pain=2)
    text = tmp_path / "h.txt"
    assert main(["history", "--plot", str(text)]) == 1
    assert capsys.readouterr().err == (
        f"coach: --plot {text}: this writes a PNG file; give a file name ending in .png, "
        "such as history.png.\n"
    )
    assert not text.exists()
    elsewhere = tmp_path / "no" / "such" / "folder" / "h.png"
    assert main(["history", "--plot", str(elsewhere)]) == 1
    assert "the folder" in capsys.readouterr().err and not elsewhere.parent.exists()
    pytest.importorskip("matplotlib")
    target = tmp_path / "one.png"
    assert _run(capsys, "--plot", str(target)) == f"Wrote the plot of 1 session to {target}.\n"


def test_a_damaged_file_is_said_in_plain_words(
    scribe: Scribe, store: HistoryStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite's own report ('btreeInitPage() returns error code 11') means nothing to a person."""
    for day in range(3):
        scribe.whole_session(day, pain=3)
    store.close()
    path = default_path()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page : 3 * page] = b"\xa5" * (2 * page)  # coach's header, broken pages behind it
    path.write_bytes(bytes(data))
    for args in ([], ["--forget", "--yes"]):
        assert main(["history", *args]) == 1
        err = capsys.readouterr().err
        assert f"{path} is damaged" in err
        assert not any(word in err.lower() for word in ("btree", "error code", "malformed", "page"))
    assert path.read_bytes() == bytes(data)


def test_a_week_of_one_planned_set_is_said_in_the_singular(
    scribe: Scribe, capsys: pytest.CaptureFixture[str]
) -> None:
    scribe.whole_session((time.time() - T0) / DAY - 1, pain=2, planned={RAISE: 1})
    assert _run(capsys, "--summary") == (
        "This week: 1 session, 1 of 1 planned set, pain 2 out of 10.\n"
    )


def test_partial_sets_are_not_counted_and_skipped_exercises_are_named(
    scribe: Scribe, capsys: pytest.CaptureFixture[str]
) -> None:
    from coach.core.records import ExerciseSkipped, SetDone
    from coach.program.model import Side

    scribe.start(0, {RAISE: 3, SQUAT: 2})
    scribe.log(SetDone, exercise=RAISE, set_number=1, of_sets=3, reps=1, level=1,
               side=Side.LEFT, reps_planned=10, complete=False)
    scribe.sets(RAISE, 2, 2)
    scribe.log(ExerciseSkipped, exercise=SQUAT, reason="asked")
    scribe.end(completed=False)
    lines = _run(capsys).splitlines()
    assert lines[0].split() == ["Date", "Minutes", "Exercises", "Sets", "Max", "pain",
                                "Finished", "Skipped", "Level", "changes"]
    assert "1 of 5" in lines[1]
    assert "wall squat" in lines[1]

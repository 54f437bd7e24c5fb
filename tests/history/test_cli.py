"""``coach history``: the table, JSON, CSV, the plot and the summary, run as the CLI."""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from pathlib import Path

import pytest
from history_helpers import DAY, T0, Scribe

from coach.cli import main
from coach.history import default_path

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
        "Date              Minutes  Exercises  Sets    Max pain  Finished       Level changes",
        "2026-03-04 09:00  0        0 of 2     2 of 5  none      cut off        none",
        "2026-03-03 09:00  0        2 of 2     4 of 5  6         stopped early  wall squat up to longer hold",
        "2026-03-02 09:00  0        2 of 2     5 of 5  5         yes            none",
    ]
    assert len(_run(capsys, "--limit", "1").splitlines()) == 2
    assert len(_run(capsys, "--limit", "0").splitlines()) == 4
    assert _run(capsys, "--program", "another") == "No sessions recorded yet.\n"


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

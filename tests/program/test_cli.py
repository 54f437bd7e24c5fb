"""``coach programs``, ``coach show`` and ``coach validate``: output and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main
from coach.program.loader import bundled_program_paths

BUNDLED = bundled_program_paths()["medial-knee"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_programs_lists_id_title_and_count(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["programs"], capsys)
    assert code == 0
    assert out == "medial-knee: Medial knee pain routine, 6 exercises\n"


def test_show_condition_and_side(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["show", "medial-knee", "--side", "left", "--condition", "pes-anserine"], capsys
    )
    assert code == 0
    names = [
        line.split(": ", 1)[1].split(" (")[0]
        for line in out.splitlines()
        if line.startswith("Exercise ") and " of 4: " in line
    ]
    assert names == [
        "straight leg raise",
        "seated knee extension",
        "resisted side-stepping",
        "wall squat",
    ]
    assert "Chosen for: pes anserine bursitis." in out and "Leg: left." in out
    assert "\x1b" not in out  # plain text: no colour or cursor codes


def test_show_a_file_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(BUNDLED.read_bytes())
    code, out, _ = run(["show", str(copy)], capsys)
    assert code == 0 and "Exercise 6 of 6: wall squat" in out and "your sore leg" in out


def test_show_unknown_condition_or_program(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["show", "medial-knee", "--condition", "gout"], capsys)
    assert (code, out) == (1, "")
    assert err.startswith("coach: Unknown condition 'gout'") and "pes-anserine" in err
    code, _, err = run(["show", "no-such-program"], capsys)
    assert code == 1 and "coach programs" in err


def test_validate_good_and_bad_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BUNDLED.read_text().replace("    short_cue: Lie down", "    shortcue: Lie down"))
    code, out, _ = run(["validate", str(BUNDLED)], capsys)
    assert (code, out) == (0, f"{BUNDLED}: ok\n")
    code, out, _ = run(["validate", str(BUNDLED), str(bad)], capsys)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"{BUNDLED}: ok"
    assert any(line.startswith(f"{bad}:") and "did you mean 'short_cue'?" in line for line in lines)
    assert lines[-1] == "1 of 2 files has problems."


def test_validate_in_a_fresh_process_prints_no_traceback(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text('a: &a ["x", "x"]\nb: [*a, *a]\n')
    tagged = tmp_path / "tagged.yaml"
    tagged.write_text("id: !!python/object/apply:os.system ['echo owned']\n")
    done = subprocess.run(
        [sys.executable, "-m", "coach", "validate", str(bomb), str(tagged)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr and "owned" not in done.stdout
    assert f"{bomb}:1: anchors (&name) are not allowed" in done.stdout
    assert f"{tagged}:1: the tag !!python/object/apply:os.system is not allowed" in done.stdout


def test_a_dose_beyond_the_limits_is_refused_by_validate_show_and_start(tmp_path: Path) -> None:
    """Before the limits, this file validated 'ok', 'show' said 'about 3e+19 minutes'
    and a session ended in an OverflowError traceback."""
    huge = tmp_path / "huge.yaml"
    text = BUNDLED.read_text()
    huge.write_text(text.replace("      reps: 10\n", "      reps: 100000000000000000000\n", 1))
    line = next(
        n for n, text in enumerate(huge.read_text().splitlines(), 1) if "reps: 1000" in text
    )
    message = (
        f"{huge}:{line}: exercises[0].dose.reps: expected a whole number from 1 to 100 "
        "(got 100000000000000000000)"
    )
    for command in (["validate"], ["show"], ["start", "--keys", "--no-history", "--program"]):
        done = subprocess.run(
            [sys.executable, "-m", "coach", *command, str(huge)],
            input="go\n",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 1, command
        assert message in done.stdout + done.stderr, command
        assert "Traceback" not in done.stderr and "minutes" not in done.stdout, command

"""Program text is plain text: control characters are refused, never printed.

Programs are shared between people and read aloud by screen readers. A cue
written as "Lower.\\n    9.99  coach: FAKE LINE" printed a forged transcript
line, and ESC ] 0 ; ... BEL in a name retitled the terminal.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coach.errors import ProgramError
from coach.program.loader import bundled_program_paths, load_program

BUNDLED = bundled_program_paths()["medial-knee"].read_text(encoding="utf-8")


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    assert old in BUNDLED, old
    path = tmp_path / "shared.yaml"
    path.write_text(BUNDLED.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def _problems(path: Path) -> list[str]:
    with pytest.raises(ProgramError) as caught:
        load_program(path)
    return caught.value.problems


def test_a_line_break_in_a_cue_is_refused_with_file_line_and_field(tmp_path: Path) -> None:
    path = _edited(tmp_path, "{cue: Lower., seconds: 2}",
                   '{cue: "Lower.\\n    9.99  coach: FAKE LINE", seconds: 2}')
    line = _line_of(path, "FAKE LINE")
    assert _problems(path) == [
        f"{path}:{line}: exercises[0].dose.phases[2].cue: holds a line break; write it on one "
        "line (a long text can be folded with '>-')"
    ]


@pytest.mark.parametrize(("escape", "shown"), [
    ("\\e]0;owned\\a", "the control character U+001B"), ("\\x07", "the control character U+0007"),
    ("\\t", "a tab"), ("\\x9b", "the control character U+009B"),
    ("\\u202e", "the control character U+202E"), ("\\r", "the control character U+000D"),
])
def test_other_control_characters_are_refused(tmp_path: Path, escape: str, shown: str) -> None:
    path = _edited(tmp_path, "name: straight leg raise", f'name: "straight{escape} leg raise"')
    (problem,) = _problems(path)
    line = _line_of(path, 'name: "straight')
    assert problem.startswith(f"{path}:{line}: exercises[0].name: holds {shown}; ")
    assert "\x1b" not in problem and "\x07" not in problem


def test_folded_and_literal_blocks_on_one_line_are_accepted(tmp_path: Path) -> None:
    """A block scalar ends with a line break of its own: that one is not the text's."""
    path = _edited(tmp_path, "title: Medial knee pain routine",
                   "title: >\n  Medial knee pain\n  routine")
    path.write_text(path.read_text().replace(
        "    name: straight leg raise", "    name: |\n      straight leg raise"), encoding="utf-8")
    program = load_program(path)
    assert program.title == "Medial knee pain routine"
    assert program.exercises[0].name == "straight leg raise"


def test_a_key_with_a_control_character_is_shown_escaped(tmp_path: Path) -> None:
    path = tmp_path / "keys.yaml"
    path.write_text('"x\\n    9.99  coach: FAKE\\e]0;owned\\a": 1\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "coach", "validate", str(path)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert not any(line.startswith("    9.99") for line in done.stdout.splitlines())
    assert "x\\n    9.99  coach: FAKE\\x1b]0;owned\\x07: unknown field" in done.stdout

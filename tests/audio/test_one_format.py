"""The audio format is written down once, in coach/audio/format.py.

Rate, block and sample type are facts every part of the coach shares: speech
out renders at the rate the speaker plays, the echo canceller lines the
microphone up with the speaker sample for sample, the recogniser decodes at
it. A module that writes the number down itself is one that would not follow
a change of format.
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FORMAT = REPO / "coach" / "audio" / "format.py"
RATE = re.compile(r"(?<![\d.])16_?000(?![\d.])")
# Lines where the number means something else: an example of a usual rate in a
# message about a recording's own rate.
OTHER_MEANINGS = ("such as 16000 or 44100 Hz",)


def places_writing_the_rate(files: list[Path], root: Path = REPO) -> list[str]:
    """``FILE:LINE: text`` for each line outside format.py that writes the rate down."""
    found = []
    for path in files:
        if path == FORMAT:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if RATE.search(line) and not any(other in line for other in OTHER_MEANINGS):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    return found


def test_the_rate_is_written_only_in_the_format_module() -> None:
    files = sorted((REPO / "coach").rglob("*.py")) + sorted((REPO / "scripts").glob("*.py"))
    found = places_writing_the_rate(files)
    assert not found, "import RATE_HZ from coach.audio.format instead:\n" + "\n".join(found)


def test_no_helper_of_the_tests_defines_a_rate_of_its_own() -> None:
    definition = re.compile(r"^\s*\w*RATE\w*\s*=\s*16_?000\b")
    found = [f"{path.relative_to(REPO)}:{n}: {line.strip()}"
             for path in sorted((REPO / "tests").rglob("*.py"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if definition.search(line)]
    assert not found, "import RATE_HZ from coach.audio.format instead:\n" + "\n".join(found)


def test_the_check_finds_a_rate_written_down(tmp_path: Path) -> None:
    module = tmp_path / "x.py"
    module.write_text("RATE = 16000\nsamples = 16_000 * 2\nrate = 160000\nlevel = 0.16000\n"
                      "print('record it at a rate such as 16000 or 44100 Hz')\n")
    assert places_writing_the_rate([module], tmp_path) == [
        "x.py:1: RATE = 16000", "x.py:2: samples = 16_000 * 2"]

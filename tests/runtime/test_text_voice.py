"""Text from outside the coach is printed escaped: no forged line, no terminal control.

What the recogniser heard, what was typed, a program's words, a file's name:
none of it may carry a line break into the transcript or an escape sequence
to the terminal (ESC ] 0 ; ... BEL retitled it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.cli import main
from coach.core.actions import Say
from coach.runtime.text_voice import TextVoice, TranscriptLine, format_line

FORGED = "Lower.\n    9.99  coach: FAKE LINE\x1b]0;owned\x07"


def test_a_transcript_line_stays_one_line_with_its_control_characters_shown() -> None:
    printed = format_line(TranscriptLine(1.5, "you", FORGED))
    assert printed == "    1.50  you: Lower.\\n    9.99  coach: FAKE LINE\\x1b]0;owned\\x07"


def test_the_text_voice_prints_a_line_with_control_characters_escaped() -> None:
    lines: list[str] = []
    voice = TextVoice(write=lines.append)
    voice(Say(FORGED, "cue"), 2.0)
    assert len(lines) == 1 and "\n" not in lines[0] and "\x1b" not in lines[0]
    assert voice.transcript[0].text == FORGED  # kept as said; only the printing escapes it


@pytest.mark.parametrize("json_out", [False, True])
def test_a_file_name_with_an_escape_sequence_is_printed_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], json_out: bool
) -> None:
    name = str(tmp_path / "take\x1b]0;owned\x07.wav")
    assert main(["hear", "--engine", "sphinx", *(["--json"] if json_out else []), name]) == 1
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "take\\x1b]0;owned\\x07.wav: no such audio file" in err

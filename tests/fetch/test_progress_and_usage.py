"""What the person hears from a screen reader: progress lines and usage errors."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fetch_voice_model.py"


def test_progress_is_plain_lines_every_tenth_when_run_as_a_command(
    script: Any, archives: Any, tmp_path: Path
) -> None:
    url, body = script.serve()
    dest = tmp_path / "models"
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--url",
            url,
            "--sha256",
            archives.sha256(body),
            "--dest",
            str(dest),
            archives.model,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr and "\x1b" not in done.stderr
    percent_lines = [line for line in done.stderr.splitlines() if "%" in line]
    assert [line.split("%")[0].split()[-1] for line in percent_lines] == [
        str(p) for p in range(10, 101, 10)
    ]
    assert (dest / archives.model / "am" / "final.mdl").is_file()
    assert done.stdout.strip() == f"Installed {archives.model} at {dest / archives.model}"


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["some-model"], "unknown model 'some-model'"),
        (["--url", "ftp://example.org/m.zip", "--sha256", "a" * 64], "http:// or https://"),
        (["--sha256", "xyz"], "64 hexadecimal digits"),
        (["../escape", "--url", "http://127.0.0.1/x.zip"], "use letters, digits"),
    ],
)
def test_bad_command_lines_exit_2(
    fetch: ModuleType, script: Any, argv: list[str], complaint: str
) -> None:
    code, _, err = script.run(*argv)
    assert code == 2 and complaint in err


def test_default_model_entry_is_the_official_small_english_model(fetch: ModuleType) -> None:
    known = fetch.KNOWN_MODELS[fetch.DEFAULT_MODEL]
    assert fetch.DEFAULT_MODEL == "vosk-model-small-en-us-0.15"
    assert known.url == "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"
    assert known.sha256 is not None and len(known.sha256) == 64
    assert known.size_bytes is not None and 30_000_000 < known.size_bytes < 60_000_000


class Terminal(io.StringIO):
    """A text stream that says it is a terminal, as stderr does interactively."""

    def isatty(self) -> bool:
        return True


def test_progress_lines_plain_on_a_pipe_with_a_text_bar_on_a_terminal(fetch: ModuleType) -> None:
    pipe, terminal = io.StringIO(), Terminal()
    for stream in (pipe, terminal):
        progress = fetch.Progress(stream, 1_000_000, 0)
        for done in range(0, 1_000_001, 1_000):  # a thousand updates...
            progress.update(done)
    assert pipe.getvalue().count("\n") == 10  # ...ten lines
    assert pipe.getvalue().splitlines()[4] == "  50% (0.5 MB of 1.0 MB)"
    assert terminal.getvalue().splitlines()[2] == "  [###-------] 30% (0.3 MB of 1.0 MB)"
    assert "\r" not in terminal.getvalue()


def test_progress_after_a_resume_starts_at_the_next_tenth(fetch: ModuleType) -> None:
    out = io.StringIO()
    progress = fetch.Progress(out, 1_000_000, 450_000)
    progress.update(1_000_000)
    assert [line.split("%")[0].strip() for line in out.getvalue().splitlines()] == [
        "50",
        "60",
        "70",
        "80",
        "90",
        "100",
    ]


def test_progress_of_unknown_size_counts_megabytes(fetch: ModuleType) -> None:
    out = io.StringIO()
    progress = fetch.Progress(out, None, 0)
    progress.update(12_000_000)
    assert out.getvalue() == "  5.0 MB downloaded\n  10.0 MB downloaded\n"

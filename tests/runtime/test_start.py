"""``coach start --keys``: typed commands in, plain coach lines out."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from coach.cli import main


def test_keys_mode_prints_plain_lines_and_ends_at_end_of_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("help\nnonsense words\n"))
    assert main(["start", "--keys", "--side", "left", "--no-times"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "coach: Hello. Let's do your knee exercises together."
    assert out[-1] == "End of input. Goodbye."
    assert "\x1b" not in "".join(out)


def test_keys_mode_records_history_in_the_private_folder(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], private_home
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["start", "--keys", "--side", "right", "--condition", "osteoarthritis"]) == 0
    files = list((private_home / "data").rglob("*.sqlite3"))
    assert files and oct(files[0].stat().st_mode & 0o777) == "0o600"


def test_voice_mode_without_devices_carries_on_in_text_and_says_what_to_do(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["start", "--no-history", "--output-device", "no such speaker",
            "--input-device", "no such microphone"]
    assert main(argv) == 0  # no speaker, no microphone, and stdin closed: a clean goodbye
    out = capsys.readouterr().out
    assert "No speaker found" in out
    assert "Type your commands" in out


def test_unknown_condition_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["start", "--keys", "--condition", "broken toe", "--no-history"]) == 1
    assert "Unknown condition" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["start", "--keys", "--no-history", "--speak-to"],
        ["start", "--no-history", "--speak-to"],
        ["start", "--no-history", "--record-mic"],
        ["demo", "--typed", "--no-history", "--speak-to"],
    ],
    ids=["keys speak-to", "speak-to", "record-mic", "demo speak-to"],
)
def test_a_file_in_a_missing_folder_is_refused_before_the_session(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The folders were made silently, for a slip of the keyboard."""
    target = tmp_path / "missing" / "dir" / "x.wav"
    assert main([*argv, str(target)]) == 1
    out, err = capsys.readouterr()
    assert out == ""  # the session never began
    assert err == (
        f"coach: {argv[-1]} {target}: the folder {target.parent} does not exist. Create it "
        "first, or choose a file in a folder that exists.\n"
    )
    assert not (tmp_path / "missing").exists()


def test_a_folder_given_as_the_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["start", "--keys", "--no-history", "--speak-to", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"coach: --speak-to {tmp_path}: is a folder; give a file name in it, such as "
        f"{tmp_path / 'session.wav'}.\n"
    )


def test_or_demo_runs_the_demo_when_there_is_no_sound_device(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from coach.cli import demo

    asked: list[demo.DemoOptions] = []
    monkeypatch.setattr("coach.audio.devices.has_any_device",
                        lambda: (False, "no sound card or sound server was found."))
    monkeypatch.setattr(demo, "play", lambda options: asked.append(options) or 0)
    assert main(["start", "--or-demo", "--side", "right"]) == 0
    assert capsys.readouterr().out == (
        "No sound device found on this computer, so here is the demo instead: "
        "no sound card or sound server was found.\n")
    assert asked == [demo.DemoOptions(side="right")]

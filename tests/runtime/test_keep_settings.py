"""Spoken voice changes are kept: "slower", "louder"... in ``coach start`` are
saved to the per-user settings file for the next session; the demo never
touches it; a settings file that cannot be written or read never ends a
session, and the person is told once."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main
from coach.commands.intents import Intent
from coach.core.events import Heard
from coach.core.session import Session
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.runtime.keep_settings import SettingsSink
from coach.runtime.messages import runtime_line
from coach.runtime.runner import Runner
from coach.runtime.scripted_session import SessionHarness
from coach.spoken_text import load_lines
from coach.settings import (
    CountWith,
    Settings,
    Verbosity,
    load_settings,
    save_settings,
    settings_path,
)

NOT_SAVED = runtime_line("settings_not_saved")


def start_keys(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
               typed: str, *extra: str) -> list[str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    assert main(["start", "--keys", "--side", "left", "--no-times", *extra]) == 0
    return capsys.readouterr().out.splitlines()


def test_slower_typed_in_keys_mode_is_saved_and_used_by_the_next_start(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert not settings_path().exists()
    out = start_keys(monkeypatch, capsys, "slower\nlouder\n", "--no-history")
    assert "coach: Speaking at 130 words a minute." in out
    assert "coach: Volume 95 percent." in out
    assert load_settings() == Settings(rate_wpm=130, volume=0.95)
    assert oct(settings_path().stat().st_mode & 0o777) == "0o600"
    assert not [p for p in settings_path().parent.iterdir() if p.name.endswith(".tmp")]
    # the next `coach start` begins at 130: one step slower is 110
    out = start_keys(monkeypatch, capsys, "slower\n", "--no-history")
    assert "coach: Speaking at 110 words a minute." in out
    assert load_settings().rate_wpm == 110
    assert not any(NOT_SAVED in line for line in out)


def test_slower_typed_in_voice_mode_is_saved_and_a_failure_is_told_once(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        private_home: Path) -> None:
    """``coach start`` without --keys: LiveRun, here with no speaker (text voice)."""
    voice_mode = ["start", "--no-history", "--no-listen", "--side", "left", "--no-times",
                  "--output-device", "no such speaker"]
    monkeypatch.setattr("sys.stdin", io.StringIO("slower\n"))
    assert main(voice_mode) == 0
    assert "No speaker found" in capsys.readouterr().out
    assert load_settings().rate_wpm == 130
    settings_path().unlink()
    settings_path().parent.rmdir()
    (private_home / "config" / "coach").write_text("not a folder\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("slower\nslower\n"))
    assert main(voice_mode) == 0
    out = capsys.readouterr().out.splitlines()
    assert len([line for line in out if NOT_SAVED in line]) == 1
    assert "coach: Speaking at 110 words a minute." in out  # the session went on


def test_saving_keeps_the_rest_of_the_file(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    chosen = Settings(voice="en-gb", rate_wpm=200, volume=0.5, verbosity=Verbosity.FULL,
                      count_with=CountWith.TONES, side="right")
    save_settings(chosen)
    start_keys(monkeypatch, capsys, "faster\nquieter\n")  # with history, too
    assert load_settings() == Settings(voice="en-gb", rate_wpm=220, volume=0.35,
                                       verbosity=Verbosity.FULL, count_with=CountWith.TONES,
                                       side="right")


def test_a_config_folder_that_cannot_be_written_never_ends_the_session(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        private_home: Path) -> None:
    # a file where the coach's config folder should be: no user, not even root, can save there
    (private_home / "config" / "coach").write_text("not a folder\n")
    out = start_keys(monkeypatch, capsys, "slower\nslower\nlouder\nhelp\n", "--no-history")
    notes = [line for line in out if NOT_SAVED in line]
    assert len(notes) == 1 and notes[0].startswith("note: ")  # told once
    # every change still held for this session, and the session went on
    assert "coach: Speaking at 130 words a minute." in out
    assert "coach: Speaking at 110 words a minute." in out
    assert "coach: Volume 95 percent." in out
    assert "coach: You can also say slower, faster, louder or quieter." in out
    assert out[-1] == "End of input. Goodbye."
    assert out.index("coach: Speaking at 130 words a minute.") < out.index(notes[0])


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_config_folder_never_ends_the_session(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        private_home: Path) -> None:
    config = private_home / "config"
    config.chmod(0o500)
    try:
        out = start_keys(monkeypatch, capsys, "slower\nfaster\n", "--no-history")
    finally:
        config.chmod(0o700)
    assert len([line for line in out if NOT_SAVED in line]) == 1
    assert "coach: Speaking at 150 words a minute." in out
    assert not settings_path().exists()


def test_a_broken_settings_file_is_left_alone_and_the_session_goes_on() -> None:
    """Runner level: the file was broken by a hand edit after the session began."""
    path = settings_path()
    save_settings(Settings())
    broken = path.read_text().replace("volume: 0.8", "volume: loud")
    path.write_text(broken)
    told: list[str] = []
    sink = SettingsSink(report=told.append)
    session = Session(load_bundled(), settings=Settings(), side=Side.LEFT, lines=load_lines())
    run = SessionHarness(session, sinks=[sink]).start()
    run.advance(1.0)
    run.hear("slower")
    run.advance(1.0)
    run.hear("quieter")
    run.advance(10.0)
    assert path.read_text() == broken  # not overwritten: the person's edit is theirs to fix
    assert len(told) == 1 and f"{path}:4: volume" in told[0]
    assert session.settings.rate_wpm == 130 and session.settings.volume == 0.65
    assert not run.ended
    said = [line.text for line in run.text.transcript if line.who == "coach"]
    assert "Speaking at 130 words a minute." in said and "Volume 65 percent." in said


def test_the_sink_saves_only_rate_and_volume_from_the_record(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "settings.yaml"
    sink = SettingsSink(path=path)
    session = Session(load_bundled(), settings=Settings(rate_wpm=100), side=Side.LEFT, lines=load_lines())
    runner = Runner(session, [sink])
    runner.start(0.0)
    runner.feed(Heard(Intent.FASTER, "faster", 1.0, 1.0))
    assert sink.saved == 1
    assert load_settings(path) == Settings(rate_wpm=120)
    assert not settings_path().exists()  # the per-user file was not touched


DEMO = r"""
from coach.commands.intents import Intent
from coach.core.events import Heard
from coach.core.records import SettingsChanged
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.runtime.demo_run import Demo
from coach.settings import load_settings

demo = Demo(load_bundled(), side=Side.LEFT, settings=load_settings(), typed=True)
try:
    demo.loop.start()
    for intent, text in ((Intent.SLOWER, "slower"), (Intent.LOUDER, "louder")):
        demo.loop.feed(Heard(intent, text, 1.0, demo.playout.next_sample_at()))
    demo.loop.run(limit_seconds=15.0)  # the demo's own loop, 15 s of session
    print(demo.session.settings.rate_wpm, demo.session.settings.volume)
    print(sum(isinstance(r, SettingsChanged) for r in demo.logs.records))
finally:
    demo.phrases.renderer.close()
"""


@pytest.mark.slow
def test_the_demo_never_changes_the_settings_file(private_home: Path) -> None:
    """The real demo (its own process: one speech engine per process), told
    "slower" and "louder", changes its voice but not the person's settings."""
    save_settings(Settings(rate_wpm=170, volume=0.5))
    before = settings_path().read_bytes(), settings_path().stat().st_mtime_ns
    env = dict(os.environ)  # XDG_* point at this test's private folders
    done = subprocess.run([sys.executable, "-c", DEMO], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    rate, volume, *_ = done.stdout.split()
    assert (int(rate), float(volume)) == (150, 0.65)  # the demo's voice did change
    assert done.stdout.split()[2] == "2"  # and it logged both changes
    assert (settings_path().read_bytes(), settings_path().stat().st_mtime_ns) == before
    assert [p.name for p in settings_path().parent.iterdir()] == ["settings.yaml"]


def test_the_settings_files_knee_is_used_when_history_is_off() -> None:
    from coach.cli import build_parser
    from coach.cli.start import session_for

    save_settings(Settings(side="right"))
    prepared = session_for(build_parser().parse_args(["start", "--keys", "--no-history"]), now=0.0)
    session = prepared.session
    assert session.side is Side.RIGHT and session.side_open  # a default, open to change until the first set
    run = SessionHarness(session).start()
    run.advance(60.0)  # the opening, on a simulated clock
    said = run.said()
    assert ("Your right knee, as last time. To change it, say left or right before the first set."
            in said)
    assert not any("Which knee hurts" in line for line in said)
    # --side on the command line wins over the settings file
    chosen = session_for(build_parser().parse_args(["start", "--keys", "--no-history", "--side", "left"]),
                         now=0.0)
    assert chosen.session.side is Side.LEFT and not chosen.session.side_open


def test_voice_verbosity_and_tones_chosen_by_name_are_saved_with_the_rest_kept(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    save_settings(Settings(voice="heart", rate_wpm=170, side="left"))
    out = start_keys(monkeypatch, capsys, "simple voice\ntalk less\ntones on\n", "--no-history")
    assert "coach: Simple voice." in out
    assert "coach: Shorter instructions." in out
    assert "coach: Counting with tones, from the next set." in out
    assert load_settings() == Settings(voice="en-us", rate_wpm=170, side="left",
                                       verbosity=Verbosity.SHORT, count_with=CountWith.TONES)
    start_keys(monkeypatch, capsys, "natural voice\nmore detail\ntones off\n", "--no-history")
    assert load_settings() == Settings(voice="heart", rate_wpm=170, side="left",
                                       verbosity=Verbosity.FULL, count_with=CountWith.VOICE)

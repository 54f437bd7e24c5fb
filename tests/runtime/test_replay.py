"""``coach replay``: scripts run on a manual clock, with a transcript and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coach.cli import main
from coach.commands.intents import Intent
from coach.core.events import Heard
from coach.errors import CoachError
from coach.runtime.replay import Replay, load_script, parse_script

SCRIPTS = Path(__file__).parent / "scripts"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "replay-first-set.yaml"


def test_full_session_script_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(SCRIPTS / "full-session.yaml")]) == 0
    out = capsys.readouterr().out
    assert "Replay passed" in out
    assert "you: Left." in out
    assert "coach: Your left knee. Thank you." in out
    lines = [line for line in out.splitlines() if "coach:" in line or "you:" in line]
    times = [float(line.split()[0]) for line in lines]
    assert times[0] == 0.0 and times[-1] > 25 * 60  # the full routine
    assert "\x1b" not in out  # plain text: no colour or cursor codes


def test_the_documented_example_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", "--no-times", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "coach: Set 1 of 3." in out
    assert out.splitlines()[0] == "coach: Hello. Let's do your knee exercises together."


def test_a_missed_expectation_exits_1_and_says_which_step(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["replay", str(SCRIPTS / "fails.yaml")]) == 1
    out = capsys.readouterr().out
    assert "FAILED:" in out and "step 2 (expect)" in out and "never says" in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", "--json", str(SCRIPTS / "fails.yaml")]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    assert data["transcript"][0] == {
        "at": 0.0,
        "who": "coach",
        "text": "Hello. Let's do your knee exercises together.",
    }


def test_wait_for_gives_up_after_its_limit() -> None:
    script = parse_script([{"wait_for": "never said", "within": 5}], source="inline")
    result = Replay(script).run()
    assert not result.ok
    assert "within 5 s" in result.failures[0]
    assert abs(result.ended_at - 5.0) < 1e-9


def test_replays_are_identical_every_run() -> None:
    script = load_script(SCRIPTS / "full-session.yaml")
    first = Replay(script).run()
    second = Replay(script).run()
    assert first.transcript == second.transcript
    assert first.summary == second.summary


def test_audio_steps_without_a_recogniser_say_what_to_do() -> None:
    with pytest.raises(CoachError, match="Use 'type:' steps"):
        Replay(load_script(SCRIPTS / "audio.yaml")).run()


def test_audio_hook_feeds_what_was_heard() -> None:
    heard_files: list[Path] = []

    def hear(path: Path, now: float) -> list[Heard]:
        heard_files.append(path)
        return [Heard(Intent.GO, "go", 0.9, now + 0.8)]

    result = Replay(load_script(SCRIPTS / "audio.yaml"), hear_audio=hear).run()
    assert heard_files == [SCRIPTS / "go.wav"]
    assert any(line.who == "you" and line.text == "go [go.wav]" for line in result.transcript)
    assert any(line.text == "Set 1 of 3." for line in result.transcript)


def test_typed_text_that_is_not_a_command_is_shown_and_ignored() -> None:
    script = parse_script(
        {"side": "left", "steps": [{"advance": 1}, {"type": "let's go to the shop"}]}
    )
    result = Replay(script).run()
    assert result.transcript[-1].text == "let's go to the shop (not a command)"


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ({"steps": [{"jump": 1}]}, "expected one of type, advance"),
        ({"steps": [{"advance": -1}]}, "advance: expected seconds >= 0"),
        ({"steps": [{"type": ""}]}, "type: expected text"),
        ({"steps": [], "sidee": "left"}, "unknown option sidee"),
        ({"steps": [], "side": "middle"}, "side: expected left or right"),
        ({"steps": [], "settings": {"speed": 3}}, "settings: unknown speed"),
        ({"steps": [], "settings": {"verbosity": "loud"}}, "settings:"),
        ({"program": "x"}, "expected 'steps:'"),
    ],
)
def test_bad_scripts_are_refused_with_the_field(raw: object, fragment: str) -> None:
    with pytest.raises(CoachError, match=fragment):
        parse_script(raw, source="bad.yaml")


def test_missing_script_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(tmp_path / "none.yaml")]) == 1
    assert "cannot read the replay script" in capsys.readouterr().err

"""``coach replay``: scripts run on a manual clock, with a transcript and exit codes."""

from __future__ import annotations

import json
import shutil
import wave
from pathlib import Path

import pytest

from coach.cli import main
from coach.commands.intents import Intent
from coach.core.events import Heard
from coach.errors import CoachError
from coach.runtime.replay_run import Replay, ScriptError, load_script, parse_script

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
    assert "coach: Set 1 of 3, 10 reps." in out
    assert out.splitlines()[0] == "coach: Hello. Let's do your knee exercises together."


def test_a_missed_expectation_exits_1_and_says_which_step(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["replay", str(SCRIPTS / "fails.yaml")]) == 1
    out = capsys.readouterr().out
    fails = SCRIPTS / "fails.yaml"
    assert f"FAILED: {fails}:4: steps[1].expect: no coach line since the last match" in out
    assert "never says" in out


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
    script = parse_script("- {wait_for: never said, within: 5}\n", source="inline")
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


def _silence(path: Path) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(bytes(3200))  # 0.1 s


def test_audio_hook_feeds_what_was_heard(tmp_path: Path) -> None:
    heard_files: list[Path] = []
    script = tmp_path / "audio.yaml"
    shutil.copy(SCRIPTS / "audio.yaml", script)
    _silence(tmp_path / "go.wav")

    def hear(path: Path, now: float) -> list[Heard]:
        heard_files.append(path)
        return [Heard(Intent.GO, "go", 0.9, now + 0.8)]

    result = Replay(load_script(script), hear_audio=hear).run()
    assert heard_files == [tmp_path / "go.wav"]
    assert any(line.who == "you" and line.text == "go [go.wav]" for line in result.transcript)
    assert any(line.text == "Set 1 of 3, 10 reps." for line in result.transcript)


def test_typed_text_that_is_not_a_command_is_shown_and_ignored() -> None:
    script = parse_script("side: left\nsteps:\n  - advance: 1\n  - type: let's go to the shop\n")
    result = Replay(script).run()
    assert result.transcript[-1].text == "let's go to the shop (not a command)"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("steps:\n  - jump: 1\n", "2: steps[0].jump: unknown field (expected one of: type,"),
        ("steps:\n  - jump: 1\n", "2: steps[0]: expected exactly one of type, advance,"),
        ("steps:\n  - {type: go, expect: Set}\n", "(got type, expect)"),
        ("steps:\n  - advance: -1\n", "2: steps[0].advance: expected a number from 0 to 86400"),
        ("steps:\n  - type: ''\n", "2: steps[0].type: must not be empty"),
        ("steps: []\nsidee: left\n", "2: sidee: unknown field (did you mean 'side'?)"),
        ("steps: []\nside: middle\n", "2: side: expected one of left, right (got 'middle')"),
        ("steps: []\nsettings: {speed: 3}\n", "2: settings.speed: unknown field"),
        ("steps: []\nsettings: {verbosity: loud}\n", "2: settings.verbosity: expected one of"),
        ("program: x\n", "1: steps: required field is missing"),
    ],
)
def test_bad_scripts_are_refused_with_the_line_and_field(text: str, message: str) -> None:
    with pytest.raises(ScriptError) as caught:
        parse_script(text, source="bad.yaml")
    assert any(p.startswith("bad.yaml:") and message in p for p in caught.value.problems), (
        caught.value.problems
    )


WRONG_TYPES = """\
tick_seconds: abc
levels: {straight-leg-raise: high}
resume: {set: two}
familiar: 5
notes: 5
settings: {rate_wpm: fast}
steps:
  - wait_for: Say go
    within: soon
  - run_to_end: forever
  - type: 7
"""


def test_fields_of_the_wrong_type_are_all_reported_by_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each of these ended in a traceback (ValueError, AttributeError, TypeError)."""
    script = tmp_path / "wrong.yaml"
    script.write_text(WRONG_TYPES)
    assert main(["replay", str(script)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"coach: {script}:1: tick_seconds: expected a number from 0.001 to 1 (got 'abc')",
        f"{script}:2: levels.straight-leg-raise: expected a whole number >= 0 (got 'high')",
        f"{script}:3: resume.exercise: required field is missing",
        f"{script}:3: resume.set: expected a whole number >= 1 (got 'two')",
        f"{script}:4: familiar: expected a list (got 5)",
        f"{script}:5: notes: expected a list (got 5)",
        f"{script}:6: settings.rate_wpm: expected a whole number from 80 to 260 (got 'fast')",
        f"{script}:9: steps[0].within: expected a number > 0 and <= 86400 (got 'soon')",
        f"{script}:10: steps[1].run_to_end: expected a number > 0 and <= 86400 (got 'forever')",
        (
            f"{script}:11: steps[2].type: expected text (got 7); put it in quotes if it is "
            "meant as text"
        ),
    ]


def test_a_script_that_is_not_utf8_or_not_yaml_is_named_by_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"steps:\n  - type: caf\xe9\n")
    assert main(["replay", str(latin)]) == 1
    assert capsys.readouterr().err == (
        f"coach: {latin}:2: the file is not UTF-8 text; save it as UTF-8\n"
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("steps:\n  - type: go\n - advance: 1\n")
    assert main(["replay", str(broken)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"coach: {broken}:3: YAML syntax: ")
    assert "<unicode string>" not in err


def test_missing_script_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none.yaml"
    assert main(["replay", str(missing)]) == 1
    assert capsys.readouterr().err == (
        f"coach: {missing}: no such file; check the name and the folder\n"
    )


AUDIO_LAST = """\
side: left
steps:
  - wait_for: "Say go when you are ready"
  - type: go
  - audio: stop.wav
  - audio: yes.wav
"""


def test_audio_steps_are_refused_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """They were refused only when the replay reached them, after the transcript so far."""
    script = tmp_path / "late-audio.yaml"
    script.write_text(AUDIO_LAST)
    assert main(["replay", str(script)]) == 1
    out, err = capsys.readouterr()
    assert out == ""  # not one line of a session that could not be finished
    lines = err.splitlines()
    assert lines[0].startswith(f"coach: {script}:5: steps[2].audio: ")
    assert lines[1].startswith(f"{script}:6: steps[3].audio: ")
    assert "Use 'type:' steps" in lines[0]


def test_missing_recordings_are_found_before_anything_runs(tmp_path: Path) -> None:
    script = tmp_path / "late-audio.yaml"
    script.write_text(AUDIO_LAST)
    _silence(tmp_path / "stop.wav")
    (tmp_path / "yes.wav").mkdir()
    called: list[Path] = []

    def hear(path: Path, now: float) -> list[Heard]:
        called.append(path)
        return []

    with pytest.raises(ScriptError) as caught:
        Replay(load_script(script), hear_audio=hear)
    assert caught.value.problems == [
        f"{script}:6: steps[3].audio: {tmp_path / 'yes.wav'} is not a regular file; "
        "give a WAV file, relative to the script's folder"
    ]
    (tmp_path / "yes.wav").rmdir()
    with pytest.raises(ScriptError) as caught:
        Replay(load_script(script), hear_audio=hear)
    assert caught.value.problems == [
        f"{script}:6: steps[3].audio: no such file: {tmp_path / 'yes.wav'}; "
        "give a WAV file, relative to the script's folder"
    ]
    assert called == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("levels: {straight-leg-rise: 1}",
         "1: levels.straight-leg-rise: not an exercise of this routine (did you mean "
         "'straight-leg-raise'?)"),
        ("levels: {straight-leg-raise: 2}",
         "1: levels.straight-leg-raise: expected a whole number from 0 to 1: the straight "
         "leg raise has 2 levels (got 2)"),
        ("levels: {wall-squat: 99999999999999999999}",
         "1: levels.wall-squat: expected a whole number from 0 to 4: the wall squat has 5 "
         "levels (got 99999999999999999999)"),
        ("familiar: [wall-squat, no-such]",
         "1: familiar[1]: not an exercise of this routine (its exercises: straight-leg-raise,"),
        ("resume: {exercise: no-such, set: 2}",
         "1: resume.exercise: not an exercise of this routine (its exercises: "),
        ("resume: {exercise: straight-leg-raise, set: 4}",
         "1: resume.set: expected a whole number from 1 to 3: the straight leg raise has 3 "
         "sets at the level it starts at (got 4)"),
        ("levels: {wall-squat: 0}\nresume: {exercise: wall-squat, set: 99999999999999999999}",
         "2: resume.set: expected a whole number from 1 to 2: the wall squat has 2 sets"),
        ("levels: {wall-squat: 0}\nresume: {exercise: wall-squat, set: 2}", None),
    ],
)
def test_levels_familiar_and_resume_are_checked_against_the_program(
    options: str, message: str | None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unknown ids and absurd numbers ran, ignored, or left the coach asking forever."""
    script = tmp_path / "carried.yaml"
    script.write_text(f"{options}\nside: left\nsteps:\n  - advance: 1\n")
    if message is None:  # at level 0 the wall squat has 2 sets: set 2 is there
        assert Replay(load_script(script)).run().ok
        return
    assert main(["replay", str(script)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"coach: {script}:{message}"), err


def test_everything_by_voice_before_a_set_and_not_in_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The history's sentences stated in the script, asked for by voice; the voice,
    verbosity and tones by name, answered in a set with "after this set"."""
    assert main(["replay", "--no-times", str(SCRIPTS / "by-voice.yaml")]) == 0, \
        capsys.readouterr().out
    out = capsys.readouterr().out.splitlines()
    # Counted with tones from the first set on: no spoken count in it.
    first_set = out[out.index("coach: Say go when you are ready."):out.index("you: natural voice")]
    assert "tone: beat" in first_set and "coach: 1" not in first_set

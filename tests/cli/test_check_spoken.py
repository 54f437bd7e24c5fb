"""``coach check`` says each problem aloud with what to do, and says clearly when all is well.

Run for real on a machine with no sound devices: the spoken lines are the
``coach:`` lines (printed too, for a screen reader), and each problem found
has one, not "the details are printed on the screen".
"""

from __future__ import annotations

import os
import subprocess
import sys

from coach.cli.check import Check, advice_lines
from coach.runtime.messages import runtime_line

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _no_sound_devices() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PULSE_SERVER", "ALSA_CONFIG_PATH", "PULSE_RUNTIME_PATH"):
        env.pop(name, None)
    return env


def test_check_without_devices_says_each_problem_and_what_to_do() -> None:
    done = subprocess.run([sys.executable, "-m", "coach", "check", "--engine", "sphinx"],
                          cwd=REPO, env=_no_sound_devices(), capture_output=True, text=True,
                          timeout=180, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    said = [line.removeprefix("coach: ") for line in done.stdout.splitlines()
            if line.startswith("coach: ")]
    assert runtime_line("check_no_speaker") in said
    assert runtime_line("check_no_microphone") in said
    assert not any("printed on the screen" in line for line in said), said
    assert said[-1] == runtime_line("check_failed_n", count="2 things"), said


def test_every_problem_has_one_short_spoken_line() -> None:
    check = Check()
    check.fail("voice", "refused", "run scripts/setup", advice="check_voice_refused")
    check.fail("speech recognition model", "broken", "reinstall", advice="check_model_fallback")
    lines = advice_lines(check)
    assert lines == [runtime_line("check_voice_refused"), runtime_line("check_model_fallback")]
    assert all(len(line.split()) <= 25 for line in lines)
    assert advice_lines(check) == []  # each said once


def test_all_well_is_said_plainly() -> None:
    assert runtime_line("check_passed") == "Everything works. You are ready to start."

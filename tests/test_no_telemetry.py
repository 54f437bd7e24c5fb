"""Nothing leaves the computer: ONNX Runtime's telemetry stays off.

ONNX Runtime (Silero VAD and the neural voice run on it) writes a device
identifier and telemetry events under ~/.cache/Microsoft on Linux, to send
them out later, unless it is told not to before it starts. Silero VAD is
run here for real, in a fresh process whose home is a new folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("onnxruntime")

RUN_SILERO = (
    "import numpy as np\n"
    "from coach.speech_in.silero import SileroVad\n"
    "print(int(SileroVad().speech_frames(np.zeros(4800, np.int16)).sum()))\n"
)
REPO = Path(__file__).resolve().parent.parent
# ONNX Runtime keeps no telemetry where one of these says it runs on a build
# server (CI itself among them): a person's computer has none of them, so the
# fresh process is given none either, or both tests would prove nothing in CI.
BUILD_SERVER = ("CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI", "CIRCLECI", "TRAVIS",
                "JENKINS_URL", "CODEBUILD_BUILD_ID", "BUILDKITE", "TEAMCITY_VERSION",
                "APPVEYOR", "BITBUCKET_BUILD_NUMBER")


def files_under(home: Path) -> list[Path]:
    return sorted(p.relative_to(home) for p in home.rglob("*") if p.is_file())


def run(home: Path, *, before: str = "") -> None:
    env = {k: v for k, v in os.environ.items()
           if k != "ORT_DISABLE_TELEMETRY" and k not in BUILD_SERVER}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", before + RUN_SILERO], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"  # the model ran: digital silence is no speech


def test_running_silero_in_coach_leaves_no_telemetry_behind(tmp_path: Path) -> None:
    run(tmp_path)
    assert not [p for p in files_under(tmp_path) if "Microsoft" in p.parts]


def test_the_runtime_on_its_own_would_have(tmp_path: Path) -> None:
    """The same run with the setting undone as coach is imported: the test above
    is not vacuous on this version of ONNX Runtime."""
    run(tmp_path, before="import os, coach\nos.environ.pop('ORT_DISABLE_TELEMETRY')\n")
    found = [p for p in files_under(tmp_path) if "Microsoft" in p.parts]
    if not found:
        pytest.skip("this ONNX Runtime keeps no telemetry on Linux (before 1.29)")
    assert any(p.name == "deviceid" for p in found)

"""Only regular files are read: a named pipe or a device is refused, never waited on.

A named pipe given as a program (``mkfifo f.yaml; coach validate f.yaml``)
made coach wait forever for a writer. Each case runs in a fresh process with
a time limit, so a coach that waits fails the test instead of stopping it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from coach.audio.wavfile import Pcm, WavFileError, read_wav
from coach.errors import ProgramError
from coach.yamldata import read_yaml


def _coach(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coach", *argv], capture_output=True,
                          text=True, timeout=60, check=False, env=os.environ.copy())


@pytest.fixture
def pipe(tmp_path: Path) -> Path:
    path = tmp_path / "f.yaml"
    os.mkfifo(path)
    return path


def test_a_named_pipe_as_a_program_is_refused(pipe: Path) -> None:
    done = _coach("validate", str(pipe))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{pipe}: is a named pipe, not a file; give the path of a saved file" in done.stdout


def test_a_named_pipe_as_a_replay_script_is_refused(pipe: Path) -> None:
    done = _coach("replay", str(pipe))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{pipe}: is a named pipe, not a file" in done.stdout + done.stderr


def test_a_named_pipe_as_a_replay_vocabulary_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "words.yaml")
    script = tmp_path / "script.yaml"
    script.write_text('program: medial-knee\nvocabulary: words.yaml\nsteps:\n  - type: "go"\n',
                      encoding="utf-8")
    done = _coach("replay", str(script))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{tmp_path / 'words.yaml'}: is a named pipe, not a file" in done.stdout + done.stderr


def test_a_named_pipe_as_the_settings_file_is_refused(private_home: Path) -> None:
    settings = private_home / "config" / "coach" / "settings.yaml"
    settings.parent.mkdir(parents=True)
    os.mkfifo(settings)
    done = _coach("voices")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{settings}: is a named pipe, not a file" in done.stderr


def test_a_named_pipe_as_audio_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "take.wav"
    os.mkfifo(path)
    done = _coach("hear", "--engine", "sphinx", str(path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{path}: is a named pipe, not a file" in done.stderr


def test_a_device_is_refused_in_process(tmp_path: Path) -> None:
    with pytest.raises(ProgramError, match="/dev/zero: is a device, not a file"):
        read_yaml("/dev/zero")
    with pytest.raises(WavFileError, match="/dev/zero: is a device, not a file"):
        read_wav("/dev/zero")
    good = tmp_path / "good.wav"
    from coach.audio.wavfile import write_wav

    write_wav(good, Pcm(np.zeros(160, np.int16), 16000))
    assert read_wav(good).samples.size == 160

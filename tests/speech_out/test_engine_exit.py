"""A process that ends while espeak-ng is still rendering phrases ends quietly.

The engine thread renders into a temporary folder removed as the process
exits. Removed under a phrase still being rendered, espeak-ng's driver
failed to write it and Python printed "Exception ignored" tracebacks at exit
(seen whenever the phrase cache could not be kept on disk, so the warm-up
was still rendering when the session ended).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from coach.speech_out.pyttsx3_renderer import FOLDER_PREFIX

EXIT_WHILE_RENDERING = """
import atexit, sys
from coach.speech_out.pyttsx3_renderer import Pyttsx3Renderer
futures = []
# other work as the process exits, after the renderer's own (exit handlers run last first):
# here, waiting for what became of the next phrase
atexit.register(lambda: futures[1].exception(timeout=60))
renderer = Pyttsx3Renderer()
renderer.render("Ready.", "en-us", 160)  # the engine is up
futures += [renderer.render_later(f"Phrase number {n}, said slowly and in full.", "en-us", 160)
            for n in range(40)]
futures[0].result(timeout=60)  # the queue is being served: the next phrase is under way
sys.exit(0)
"""


def test_exit_while_phrases_are_being_rendered_prints_nothing() -> None:
    done = subprocess.run([sys.executable, "-c", EXIT_WHILE_RENDERING],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0
    assert done.stderr == ""  # no "Exception ignored" from espeak-ng's driver


KILLED_WHILE_RENDERING = """
import os, signal, sys
from coach.speech_out.pyttsx3_renderer import Pyttsx3Renderer
import tempfile
from pathlib import Path
renderer = Pyttsx3Renderer()
renderer.render("Ready.", "en-us", 160)
print(*Path(tempfile.gettempdir()).glob(f"coach-tts-{os.getpid()}-*"), flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # no exit handler runs: the folder stays
"""


def test_a_folder_left_by_a_killed_process_is_removed_by_the_next(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    killed = subprocess.run([sys.executable, "-c", KILLED_WHILE_RENDERING], env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert killed.returncode == -signal.SIGKILL
    left = Path(killed.stdout.strip())
    assert left.parent == tmp_path and left.is_dir()
    (left / "phrase-9.wav").write_bytes(b"half a phrase")
    running = tmp_path / f"{FOLDER_PREFIX}{os.getppid()}-another"  # a coach still running
    running.mkdir()
    other = tmp_path / f"{FOLDER_PREFIX}notapid"
    other.mkdir()
    after = subprocess.run([sys.executable, "-c", EXIT_WHILE_RENDERING], env=env,
                           capture_output=True, text=True, timeout=120, check=False)
    assert after.returncode == 0, after.stderr
    assert not left.exists()
    assert running.is_dir() and other.is_dir()
    assert sorted(p.name for p in tmp_path.glob(FOLDER_PREFIX + "*")) == sorted(
        [running.name, other.name])

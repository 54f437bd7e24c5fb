"""Drive a real ``coach start`` process through the test audio server.

The server (scripts/audio-server, started by scripts/test) has a virtual
speaker ``coach_speaker`` whose monitor we record, and a virtual microphone
fed by playing files into ``coach_mic_in``. Speech for the microphone is made
in a person's stand-in voice (Flite, see coach.runtime.person_voice).
Everything waits on lines the process prints, never on fixed sleeps.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.audio.format import RATE_HZ
from coach.runtime.person_voice import PersonVoice

REPO = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^\s*(\d+\.\d+)\s+(\w+):\s(.*)$")
LOUD = 500  # |sample| above this on the speaker is the coach's voice


@dataclass(frozen=True)
class Printed:
    at: float | None  # session seconds, when the line carries a time
    who: str
    text: str
    raw: str
    arrived: float  # monotonic, when the test read it


class CoachProcess:
    """``python -m coach ARGS`` with stdin to type into and stdout collected."""

    def __init__(self, args: list[str], *, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "coach", *args],
            cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, bufsize=1, env=env if env is not None else dict(os.environ),
        )
        self.lines: list[Printed] = []
        self.stderr: list[str] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_err, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            raw = raw.rstrip("\n")
            m = LINE.match(raw)
            line = (Printed(float(m.group(1)), m.group(2), m.group(3), raw, time.monotonic())
                    if m else Printed(None, "", raw, raw, time.monotonic()))
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            self.stderr.append(raw.rstrip("\n"))

    def wait_for(self, pattern: str, *, who: str | None = "coach", since: int = 0,
                 timeout: float = 60.0) -> int:
        """Index of the first line from ``since`` on matching ``pattern`` (a regex)."""
        wanted = re.compile(pattern, re.IGNORECASE)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for i in range(since, len(self.lines)):
                    line = self.lines[i]
                    if (who is None or line.who == who) and wanted.search(line.text):
                        return i
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self._more_coming()):
                    raise AssertionError(
                        f"no {who or 'any'} line matching {pattern!r} within {timeout:g} s; "
                        f"got:\n{self.transcript(since)}\nstderr:\n" + "\n".join(self.stderr))
                self._changed.wait(min(left, 0.5))

    def _more_coming(self) -> bool:
        return self.proc.stdout is not None and not self.proc.stdout.closed

    def type(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def transcript(self, since: int = 0) -> str:
        return "\n".join(x.raw for x in self.lines[since:])

    def heard(self, since: int = 0) -> list[Printed]:
        return [x for x in self.lines[since:] if x.who == "you" and "(heard" in x.text]

    def finish(self, timeout: float = 30.0) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"coach did not exit in {timeout:g} s:\n{self.transcript()}")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=10)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Recorder:
    """Records the virtual speaker (what the coach played), as it plays.

    A reader thread keeps every chunk with the time it arrived, so a test can
    wait until the coach has been quiet for a moment before speaking, as a
    person would, instead of sleeping a fixed time.
    """

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            ["parec", "-d", "coach_speaker.monitor", f"--rate={RATE_HZ}", "--channels=1",
             "--format=s16le", "--latency-msec=20"], stdout=subprocess.PIPE)
        self._chunks: list[np.ndarray] = []
        self._last_loud = time.monotonic()
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while True:
            data = self.proc.stdout.read1(640)  # type: ignore[attr-defined]
            if not data:
                return
            block = np.frombuffer(data[: len(data) // 2 * 2], dtype=np.int16)
            with self._changed:
                self._chunks.append(block)
                if block.size and int(np.max(np.abs(block.astype(np.int32)))) > LOUD:
                    self._last_loud = time.monotonic()
                self._changed.notify_all()

    def samples(self) -> np.ndarray:
        with self._changed:
            return np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)

    def loud_seconds(self) -> float:
        """How much of the recording so far is speech-loud (10 ms frames)."""
        audio = self.samples()
        frames = audio[: audio.size // 160 * 160].reshape(-1, 160).astype(np.float64)
        rms = np.sqrt(np.mean(frames**2, axis=1)) if frames.size else np.zeros(0)
        return float(np.count_nonzero(rms > LOUD / 3)) * 0.01

    def wait_quiet(self, seconds: float = 0.4, timeout: float = 30.0,
                   heard_since: float | None = None) -> None:
        """Return once the speaker has been silent for ``seconds``.

        With ``heard_since`` (a monotonic time), first wait (up to 3 s) for
        the coach to be heard after it: a line is printed when it is handed
        to the speaker, a moment before it sounds.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            if heard_since is not None:
                until = time.monotonic() + 3.0
                while self._last_loud < heard_since and time.monotonic() < until:
                    self._changed.wait(0.05)
            while time.monotonic() - self._last_loud < seconds:
                if time.monotonic() > deadline:
                    raise AssertionError(f"the coach never paused for {seconds} s")
                self._changed.wait(0.05)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


_PERSON: PersonVoice | None = None


def speech_file(text: str, folder: Path, try_number: int = 1) -> Path:
    """``text`` in a person's stand-in voice (coach.runtime.person_voice), 16 kHz mono WAV."""
    global _PERSON
    if _PERSON is None:
        _PERSON = PersonVoice()
    path = folder / f"say-{re.sub(r'[^a-z0-9]+', '-', text.lower())}-{try_number}.wav"
    if not path.exists():
        raw = folder / "raw.wav"
        _PERSON.to_file(text, raw, try_number)
        # Quiet before and after, as in any recording: a new playback stream may
        # lose its first moments, which would clip the start of a short word.
        subprocess.run(["sox", str(raw), "-r", str(RATE_HZ), "-c", "1", str(path), "pad", "0.4", "0.2"],
                       check=True)
    return path


def say(text: str, folder: Path, try_number: int = 1) -> None:
    """Speak ``text`` into the virtual microphone (returns when it has been played)."""
    subprocess.run(["paplay", "-d", "coach_mic_in", str(speech_file(text, folder, try_number))],
                   check=True, timeout=30)


def rms_dbfs(samples: np.ndarray) -> float:
    if samples.size == 0:
        return -120.0
    rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))
    return 20 * np.log10(max(rms, 1e-3) / 32768.0)


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)


def pactl(*args: str) -> str:
    return subprocess.run(["pactl", *args], check=True, capture_output=True, text=True).stdout

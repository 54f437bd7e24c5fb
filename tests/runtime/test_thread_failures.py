"""A thread off the loop that fails is noticed by the loop: said once, and the session goes on.

Real failures: a WAV file on a full device (``/dev/full``), a worker whose
target raises. Nothing here mocks the loop, the pump or the clock.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from coach.audio.format import BLOCK_FRAMES
from coach.errors import CoachError
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.runtime.assembly import start_session
from coach.runtime.live import LiveOptions, LiveRun
from coach.runtime.messages import runtime_line
from coach.runtime.speaker_pump import SpeakerPump
from coach.settings import Settings
from coach.speech_in.decoding import Decoder, Utterance
from coach.speech_in.engine import Hypothesis
from coach.speech_out.sinks import speech_out_line
from coach.workers import Failures

REPO = Path(__file__).resolve().parents[2]
FULL = Path("/dev/full")
needs_dev_full = pytest.mark.skipif(not FULL.exists(), reason="this system has no /dev/full")


class _Silent:
    """A renderer for a playout that is never asked to say anything."""

    def render(self, text: str, voice: str, rate_wpm: int) -> object:
        raise AssertionError(f"nothing should be rendered here ({text!r})")


def _playout() -> object:
    from coach.speech_out.cache import PhraseCache
    from coach.speech_out.playout import Playout

    return Playout(PhraseCache(_Silent()))  # type: ignore[arg-type]


def wait_until(done: object, what: str, timeout_seconds: float = 30.0) -> None:
    """Poll ``done()`` until it is true; a liveness bound, not a timing assert."""
    deadline = time.monotonic() + timeout_seconds
    while not done():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.01)


# -- the mechanism ----------------------------------------------------------------
def test_a_thread_whose_target_raises_is_reported_once_and_prints_no_traceback(
        capfd: pytest.CaptureFixture[str]) -> None:
    failures = Failures()

    def target() -> None:
        raise RuntimeError("the renderer broke")

    thread = failures.thread(target, name="coach-test", what="warm-up")
    thread.join(timeout=10)
    taken = failures.take()
    assert [(f.what, f.detail) for f in taken] == [("warm-up", "RuntimeError: the renderer broke")]
    assert failures.take() == []
    assert "Traceback" not in capfd.readouterr().err


class _Dies(BaseException):
    """What no engine should raise, and what the decoder's own guard does not catch."""


class _DyingEngine:
    def begin(self) -> None:
        pass

    def accept(self, audio: np.ndarray) -> None:
        raise _Dies("the engine took the thread down")

    def finish(self) -> Hypothesis:
        return Hypothesis("", 0.0, False)


def test_a_decode_worker_that_dies_makes_the_decoder_fail_instead_of_waiting_forever() -> None:
    decoder = Decoder(_DyingEngine(), background=True)  # type: ignore[arg-type]
    decoder.submit(Utterance(np.zeros(1600, dtype=np.int16), 0.0, 0.1, 0.2, None, None, "", 0))
    decoder.wait()
    with pytest.raises(CoachError, match="speech decoder stopped"):
        decoder.take()


# -- the pump ---------------------------------------------------------------------
@needs_dev_full
def test_a_full_file_is_left_out_and_the_pump_carries_on() -> None:
    from coach.audio.wavfile import WavFileError, WavWriter
    from coach.runtime.speaker_pump import OptionalOutput

    failures = Failures()
    playout: Any = _playout()
    wav = WavWriter(FULL, 16000)
    output = OptionalOutput(lambda block, at: wav.write(block), "speak_to", failures)
    pump = SpeakerPump(playout, None, [output], failures=failures)
    pump.start()
    try:
        wait_until(lambda: playout.frames_pulled > 50 * BLOCK_FRAMES, "the pump kept pulling")
    finally:
        pump.stop()
        with contextlib.suppress(WavFileError):  # the header cannot be written either
            wav.close()
    taken = failures.take()
    assert [f.what for f in taken] == ["speak_to"]
    assert "No space left on device" in taken[0].detail


def test_a_pump_that_dies_is_reported() -> None:
    failures = Failures()
    playout: Any = _playout()

    def broken(block: np.ndarray, at: float) -> None:
        raise ValueError("a hand-on fault")

    pump = SpeakerPump(playout, None, [broken], failures=failures)
    pump.start()
    wait_until(lambda: bool(failures.pending), "the pump's death was reported")
    pump.stop()
    assert [(f.what, f.detail) for f in failures.take()] == [("pump", "ValueError: a hand-on fault")]


# -- the live coach ---------------------------------------------------------------
def test_a_dead_pump_leaves_the_clock_running_and_the_words_printed(tmp_path: Path) -> None:
    """The pump dies at its first block; the session still moves past its first line, and ends."""
    started = start_session(load_bundled("medial-knee"), Settings(), side=Side.LEFT,
                            history=False, now=0.0)
    read_end, write_end = os.pipe()
    lines: list[str] = []
    typed = threading.Event()

    def write(line: str) -> None:
        lines.append(line)
        if sum("coach:" in x for x in lines) == 2 and not typed.is_set():  # the clock moved on
            typed.set()
            os.write(write_end, b"stop\nyes\n")

    live = LiveRun(started, LiveOptions(speak_to=tmp_path / "session.wav", listen=False),
                   write=write, stdin=os.fdopen(read_end, encoding="utf-8"))

    def broken(block: np.ndarray, at: float) -> None:
        raise ValueError("a hand-on fault")

    live.microphone.played = broken  # type: ignore[method-assign]  # the pump hands each block here
    # a liveness bound: a frozen clock would hang; a real SIGTERM ends the run with 143
    watchdog = threading.Timer(90, os.kill, (os.getpid(), signal.SIGTERM))
    watchdog.start()
    try:
        code = live.run()
    finally:
        watchdog.cancel()
        os.close(write_end)
        started.close()
    assert code == 0, lines
    text = "\n".join(lines)
    assert text.count(speech_out_line("audio_failed")) == 1
    assert lines[-1] == runtime_line("goodbye")


@needs_dev_full
def test_a_full_speak_to_file_is_said_once_and_the_session_goes_on() -> None:
    """The tester's case: ``--speak-to /dev/full`` froze the session clock."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "coach", "start", "--no-listen", "--speak-to", str(FULL),
         "--side", "left", "--no-history"],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, bufsize=1, env=dict(os.environ))
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)  # the end of its output

    threading.Thread(target=read, daemon=True).start()
    seen: list[str] = []
    try:
        assert proc.stdin is not None
        while sum("coach:" in s for s in seen) < 2:  # the second line needs the clock to move
            line = lines.get(timeout=90)  # a liveness bound: a frozen clock never gets there
            assert line is not None, f"ended early: {seen}"
            seen.append(line)
        proc.stdin.write("stop\nyes\n")
        proc.stdin.flush()
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
    assert proc.stderr is not None
    err = proc.stderr.read()
    while (rest := lines.get(timeout=10)) is not None:
        seen.append(rest)
    text = "\n".join(seen)
    assert "Traceback" not in err and "Exception in thread" not in err, err
    assert text.count(runtime_line("speak_to_failed")) == 1, text
    assert text.rstrip().endswith(runtime_line("goodbye")), text


class _WarmUpFails(LiveRun):
    """The live coach, with a phrase warm-up whose target raises (a real thread, really failing)."""

    def _open_output(self) -> None:
        super()._open_output()

        def warm(texts: list[str]) -> None:
            raise OSError(28, "No space left on device")

        self.playout.warm = warm  # type: ignore[method-assign]


def test_a_warm_up_that_dies_is_said_once_and_the_session_goes_on(tmp_path: Path) -> None:
    started = start_session(load_bundled("medial-knee"), Settings(), side=Side.LEFT,
                            history=False, now=0.0)
    read_end, write_end = os.pipe()
    lines: list[str] = []

    def write(line: str) -> None:
        lines.append(line)
        if sum("coach:" in x for x in lines) == 2:  # the clock moved on
            os.write(write_end, b"stop\nyes\n")

    live = _WarmUpFails(started, LiveOptions(speak_to=tmp_path / "session.wav", listen=False),
                        write=write, stdin=os.fdopen(read_end, encoding="utf-8"))
    watchdog = threading.Timer(90, os.kill, (os.getpid(), signal.SIGTERM))  # a liveness bound
    watchdog.start()
    try:
        code = live.run()
    finally:
        watchdog.cancel()
        os.close(write_end)
        started.close()
    assert code == 0, lines
    text = "\n".join(lines)
    assert text.count(runtime_line("warm_up_failed")) == 1, text
    assert "No space left on device" in text and lines[-1] == runtime_line("goodbye")

"""Silero VAD, streamed: which 10 ms frames hold speech, by a small neural model.

The model (Silero VAD v6, ONNX, 2 MB) ships inside faster-whisper, which
coach already needs for Whisper, and runs on onnxruntime, which
faster-whisper installs. It reads 32 ms chunks (512 samples at 16 kHz, with
the 64 samples before each as context) and carries its LSTM state from one
chunk to the next, so it is run exactly as its authors run it on a whole
file, one chunk at a time.

Unlike the energy VAD it tells a voice from a fan, a tap or a television's
music by its sound rather than by its loudness, and in a room that echoes it
follows the voice rather than the tail of the echo; the benchmark
(scripts/bench_recognition.py) measures both.

Each 10 ms frame takes the state after the last whole chunk that ended in it
or before it: speech starts when the probability reaches ``threshold`` and
ends when it falls under ``threshold - 0.15`` (the hysteresis Silero's own
segmentation uses). A frame of digital silence (all zeros: a gap, padding)
is never speech.

In a quiet room most chunks are the room's own hiss, and the model run on
each of them was most of what listening in silence cost (a run every 32 ms,
each about 0.5 ms with its weights out of the cache). The caller may say
which frames are ``quiet`` (no louder than the room: the energy VAD's floor,
``coach.speech_in.voice_activity``); once a second has been quiet, while
the model hears no speech, a quiet chunk is not run. The next chunk that is
not quiet is run after the last ``REPLAY_CHUNKS`` quiet ones, so the model
meets a word's start with the room before it; after a short quiet its state
is exactly what it would have been (``tests/speech_in/test_silero.py``).
A second, so that a word said within a second of the last sound is heard
exactly as before: started sooner, on the model's state from a word before
it, the skipping let a clip of "bird" through as "three" at the rating
question (the recognition benchmark's quick run, 2026-12-05).
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Any

import numpy as np

from coach.errors import CoachError

CHUNK = 512  # samples the model reads at once, at 16 kHz
CONTEXT = 64  # samples before each chunk the model sees with it
HYSTERESIS = 0.15
QUIET_FRAMES = 100  # quiet 10 ms frames in a row (1 s, the chunk's among them) before a chunk is skipped
SKIP_BELOW = 0.1  # a quiet chunk is skipped only while the model's probability is under this
REPLAY_CHUNKS = 8  # quiet chunks (256 ms) run again before the next one that is not
INSTALL_HINT = "Install coach's dependencies again: .venv/bin/python -m pip install -e ."


def model_path() -> Path:
    """Inside the installed faster-whisper, whose package is not imported (24 MB)."""
    from coach.speech_in.faster_whisper_parts import silero_model_path

    return silero_model_path()


def _session() -> Any:
    try:
        import onnxruntime
    except ImportError as exc:
        raise CoachError(f"Silero VAD needs onnxruntime, which is not installed. "
                         f"{INSTALL_HINT}") from exc
    path = model_path()
    opts = onnxruntime.SessionOptions()
    opts.inter_op_num_threads = 1
    opts.intra_op_num_threads = 1
    opts.log_severity_level = 4
    opts.enable_cpu_mem_arena = False  # a 2 MB model, 32 ms at a time: no arena needed
    opts.enable_mem_pattern = False
    try:
        return onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"],
                                            sess_options=opts)
    except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types
        raise CoachError(f"Silero VAD could not be loaded from {path} ({exc}). "
                         f"{INSTALL_HINT}") from exc


_SESSION: Any = None


def shared_session() -> Any:
    """One model per process: it holds no state (the LSTM state is passed in)."""
    global _SESSION
    if _SESSION is None:
        _SESSION = _session()
    return _SESSION


class SileroVad:
    """Speech flags for 10 ms frames of 16 kHz int16 PCM, from Silero VAD's probability."""

    def __init__(self, threshold: float = 0.5, frame_samples: int = 160) -> None:
        self.threshold = threshold
        self.frame_samples = frame_samples
        self._session = shared_session()
        self.reset()

    def reset(self) -> None:
        self._h = np.zeros((1, 1, 128), np.float32)
        self._c = np.zeros((1, 1, 128), np.float32)
        self._context = np.zeros(CONTEXT, np.float32)
        self._buffer = np.zeros(0, np.float32)
        self._speaking = False
        self._quiet_run = 0  # quiet frames in a row, up to the last one seen
        # The last quiet chunks not run, each with the samples before it.
        self._skipped: deque[tuple[np.ndarray, np.ndarray]] = deque(maxlen=REPLAY_CHUNKS)
        self.chunks_run = 0
        self.chunks_skipped = 0
        self.probability = 0.0  # of the last chunk
        # Per frame of the last block: the probability of the last chunk that ended in it or before.
        self.frame_probability = np.zeros(0, np.float32)

    def speech_frames(self, pcm: np.ndarray, quiet: np.ndarray | None = None) -> np.ndarray:
        """One flag per whole frame of ``pcm`` (its length a multiple of the frame).

        ``quiet``: per frame, no louder than the room (see the module's docstring).
        """
        x = np.asarray(pcm, dtype=np.int16).reshape(-1, self.frame_samples)
        out = np.zeros(x.shape[0], dtype=bool)
        probs = np.zeros(x.shape[0], dtype=np.float32)
        # The whole block at once; each frame's flag is the state after the chunks
        # that end within it or before it, as if the frames came one at a time.
        data = np.concatenate([self._buffer, x.reshape(-1).astype(np.float32) / 32768.0])
        used = 0
        available = self._buffer.size
        for i in range(x.shape[0]):
            available += self.frame_samples
            self._quiet_run = self._quiet_run + 1 if quiet is not None and quiet[i] else 0
            while available - used >= CHUNK:
                chunk = data[used : used + CHUNK]
                if (self._quiet_run >= QUIET_FRAMES and not self._speaking
                        and self.probability < SKIP_BELOW):
                    self._skip(chunk)
                else:
                    self._resume()
                    self._step(chunk)
                used += CHUNK
            out[i] = self._speaking
            probs[i] = self.probability
        self._buffer = data[used:].copy()
        self.frame_probability = probs
        return out & x.any(axis=1)

    def _skip(self, chunk: np.ndarray) -> None:
        """A quiet chunk: kept (with the samples before it) in case a word follows."""
        self._skipped.append((self._context, chunk.copy()))
        self._context = chunk[-CONTEXT:].copy()
        self.chunks_skipped += 1

    def _resume(self) -> None:
        """Before a chunk that is not quiet, the last quiet ones: the model's state is
        then exactly what it would have been after a short quiet, and after a long
        one that of a stream that began ``REPLAY_CHUNKS`` chunks ago."""
        if not self._skipped:
            return
        for context, chunk in self._skipped:
            self._context = context
            self._step(chunk)
        self._skipped.clear()

    def _step(self, chunk: np.ndarray) -> None:
        data = np.concatenate([self._context, chunk])[None]
        prob, self._h, self._c = self._session.run(
            None, {"input": data, "h": self._h, "c": self._c})
        self._context = chunk[-CONTEXT:]
        self.chunks_run += 1
        p = float(np.asarray(prob).reshape(-1)[0])
        self.probability = p
        if p >= self.threshold:
            self._speaking = True
        elif p < self.threshold - HYSTERESIS:
            self._speaking = False

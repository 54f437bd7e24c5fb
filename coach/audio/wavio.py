"""Read any recording as the one format speech in uses: 16 kHz mono int16.

Recognisers, tests and the benchmark all take 16 kHz mono int16 PCM. Real
recordings arrive at other rates (the free spoken digit set is 8 kHz), in
stereo, or as FLAC. 16-bit WAV files are read and resampled by ``coach.audio.wavfile`` and
``coach.audio.resample`` (nothing outside Python is needed for the common
case); FLAC, float or 24-bit WAV and other formats go through ``sox`` when it
is installed, without dither, so a file always reads as the same samples.
"""

from __future__ import annotations

import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np

from coach.audio.format import RATE_HZ
from coach.audio.resample import resample
from coach.audio.wavfile import WavFormatError, read_wav
from coach.errors import CoachError
from coach.regular_files import NotAFileError, check_regular

# The rates a recording of a voice may have: from telephone speech (8 kHz) to
# the highest rate sound cards record at. A header outside them is damaged,
# and believing it is costly: 1 Hz upsampled to 16 kHz asks for gigabytes.
MIN_RATE_HZ = 8_000
MAX_RATE_HZ = 192_000


class AudioFileError(CoachError):
    """An audio file could not be read."""


def _check_rate(path: Path, rate_hz: int) -> None:
    if not MIN_RATE_HZ <= rate_hz <= MAX_RATE_HZ:
        raise AudioFileError(
            f"{path}: its sample rate is {rate_hz} Hz; coach reads recordings from "
            f"{MIN_RATE_HZ} to {MAX_RATE_HZ} Hz. The file may be damaged, or record or "
            "convert it at a usual rate such as 16000 or 44100 Hz."
        )


def _sox(path: Path) -> str:
    sox = shutil.which("sox")
    if sox is None:
        raise AudioFileError(
            f"{path}: this format needs 'sox' to be read. Install it "
            "(Debian/Ubuntu: sudo apt install sox libsox-fmt-all) or convert the file to WAV."
        )
    return sox


def _run_sox(path: Path, args: list[str]) -> bytes:
    done = subprocess.run([_sox(path), *args], capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        reason = message[-1] if message else "no reason given"
        raise AudioFileError(f"{path}: sox could not read it ({reason}).")
    return done.stdout


def _read_with_sox(path: Path) -> np.ndarray:
    """Any format sox knows, as 16 kHz mono int16.

    Without dither (-D): sox would otherwise add random noise when it
    reduces the bit depth or resamples, and the same file would give the
    recogniser different samples on every run.
    """
    name = str(path.absolute())  # never read as an option: '-n.flac' is sox's -n otherwise
    rate = _run_sox(path, ["--info", "-r", name]).decode(errors="replace").strip()
    try:
        _check_rate(path, round(float(rate)))
    except ValueError:
        message = f"{path}: sox could not tell its sample rate (got '{rate}')."
        raise AudioFileError(message) from None
    raw = _run_sox(path, ["-D", name, "-t", "raw", "-r", str(RATE_HZ), "-c", "1",
                          "-b", "16", "-e", "signed-integer", "-L", "-"])
    return np.frombuffer(raw, dtype="<i2").astype(np.int16)


def read_audio(path: str | Path) -> np.ndarray:
    """Return the file's audio as 16 kHz mono int16, whatever its rate or format.

    The same file gives the same samples every time.
    """
    p = Path(path)
    give = "Give the path of a recording."
    try:
        check_regular(p)
    except IsADirectoryError:
        raise AudioFileError(f"{p}: is a folder, not an audio file. {give}") from None
    except FileNotFoundError:
        raise AudioFileError(f"{p}: no such audio file. Check the path.") from None
    except NotAFileError as exc:
        raise AudioFileError(f"{p}: is {exc.kind}, not a file. {give}") from None
    except OSError as exc:
        raise AudioFileError(f"{p}: cannot be read ({exc.strerror or exc}).") from None
    if p.suffix.lower() in (".wav", ".wave"):
        try:
            pcm = read_wav(p)
        except WavFormatError:
            if shutil.which("sox") is None:
                raise
            return _read_with_sox(p)  # e.g. 24-bit, float or compressed WAV
        _check_rate(p, pcm.sample_rate_hz)
        return resample(pcm.samples, pcm.sample_rate_hz, RATE_HZ)
    return _read_with_sox(p)


def write_wav(path: str | Path, samples: np.ndarray, rate_hz: int = RATE_HZ) -> None:
    """Write mono int16 PCM to a WAV file (used by tests and the benchmark)."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate_hz)
        w.writeframes(np.asarray(samples, dtype="<i2").tobytes())

"""Audio files: 16-bit mono WAV read whole, written whole or as a stream, and any
recording read as the one format speech in uses (16 kHz mono int16).

Speech out reads espeak-ng's WAV renders, keeps phrases in a disk cache, and
writes a whole session's speech (``--speak-to``) while it runs. A session's
file is written in blocks as the timeline advances, so a long session never
holds all its audio in memory. Files coach writes are owner-only by default:
the coach's words can include a pain rating.

Recognisers, tests and the benchmarks take 16 kHz mono int16 (``read_audio``).
Real recordings arrive at other rates (the free spoken digit set is 8 kHz), in
stereo, or as FLAC. 16-bit WAV files are read here and resampled by
``coach.audio.resample`` (nothing outside Python is needed for the common
case); FLAC, float or 24-bit WAV and other formats go through ``sox`` when it
is installed, without dither, so a file always reads as the same samples.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np

from coach.audio.format import RATE_HZ
from coach.audio.resample import resample
from coach.errors import CoachError
from coach.regular_files import NotAFileError, check_regular, open_regular


class WavFileError(CoachError):
    """An audio file could not be read or written (a WAV, or another format read through sox)."""


@dataclass(frozen=True)
class Pcm:
    """Mono 16-bit samples and their rate."""

    samples: np.ndarray  # int16, mono
    sample_rate_hz: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.sample_rate_hz


# Writers that stream a WAV of unknown length put a placeholder this large (or
# larger) in the header; such a file is read up to its last whole sample.
STREAMED_HEADER_BYTES = 0x7FFF_0000


class WavFormatError(WavFileError):
    """A WAV this reader does not decode (another sample width or encoding); sox may."""


def read_wav(path: Path | str) -> Pcm:
    """Read a 16-bit WAV; several channels are averaged to mono.

    Anything wrong with the file (missing, a folder, damaged, cut short) is a
    ``WavFileError``; a WAV in a format this reader does not decode is its
    subclass ``WavFormatError``.
    """
    p = Path(path)
    try:
        with open_regular(p) as f, wave.open(f, "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            frames = w.getnframes()
            raw = w.readframes(frames)
    except NotAFileError as exc:
        raise WavFileError(exc.message) from None
    except FileNotFoundError:
        raise WavFileError(f"{p}: no such WAV file; check the path.") from None
    except IsADirectoryError:
        folder = f"{p}: is a folder, not a WAV file; give the path of a recording."
        raise WavFileError(folder) from None
    except EOFError:
        raise WavFileError(_cut_short(p, "its header is incomplete")) from None
    except wave.Error as exc:
        raise WavFormatError(f"{p}: not a readable WAV file ({exc}).") from None
    except OSError as exc:
        raise WavFileError(f"{p}: not a readable WAV file ({exc.strerror or exc}).") from None
    if width != 2:
        raise WavFormatError(f"{p}: {8 * width}-bit WAV is not supported; convert it to 16-bit.")
    frame_bytes = width * channels
    missing = frames * frame_bytes - len(raw)
    if missing > 0 and frames * frame_bytes < STREAMED_HEADER_BYTES:
        plural = "byte" if missing == 1 else "bytes"
        raise WavFileError(_cut_short(p, f"it holds {missing} {plural} less than its header says"))
    data = np.frombuffer(raw[: len(raw) // frame_bytes * frame_bytes], dtype="<i2")
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1)
    return Pcm(np.asarray(data, dtype=np.int16), rate)


def _cut_short(path: Path, how: str) -> str:
    return (f"{path}: the file is cut short ({how}); it may be damaged or still being "
            "written. Record or copy it again.")


def _open_for_writing(path: Path, private: bool) -> int:
    """A missing folder is an error, not made: a typing slip should not leave folders about."""
    mode = 0o600 if private else 0o644
    try:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    except OSError as exc:
        raise WavFileError(f"{path}: cannot write here ({exc.strerror}); choose another path.") from None


def write_wav(path: Path | str, pcm: Pcm, *, private: bool = True) -> None:
    """Write ``pcm`` as a 16-bit mono WAV file (0600 unless ``private`` is False)."""
    with WavWriter(path, pcm.sample_rate_hz, private=private) as writer:
        writer.write(pcm.samples)


class WavWriter:
    """A WAV file written block by block; the header is completed on ``close``."""

    def __init__(self, path: Path | str, sample_rate_hz: int, *, private: bool = True):
        self.path = Path(path)
        self.sample_rate_hz = sample_rate_hz
        self.frames_written = 0
        fd = _open_for_writing(self.path, private)
        self._file = os.fdopen(fd, "wb")
        self._wave = wave.open(self._file, "wb")  # noqa: SIM115 - closed in close()
        self._wave.setnchannels(1)
        self._wave.setsampwidth(2)
        self._wave.setframerate(sample_rate_hz)

    def write(self, samples: np.ndarray) -> None:
        block = np.asarray(samples, dtype="<i2")
        try:
            self._wave.writeframes(block.tobytes())
        except OSError as exc:
            raise WavFileError(f"{self.path}: writing failed ({exc.strerror}).") from None
        self.frames_written += len(block)

    def close(self) -> None:
        """Complete the header and close the file; the file is closed even when that fails.

        A disk that is full (or gone) at the end raises WavFileError, as ``write`` does.
        """
        if self._file.closed:
            return
        problem: OSError | None = None
        try:
            self._wave.close()
        except OSError as exc:
            problem = exc
        try:
            self._file.close()
        except OSError as exc:
            problem = problem or exc
        if problem is not None:
            raise WavFileError(f"{self.path}: finishing the file failed ({problem.strerror}).")

    def __enter__(self) -> WavWriter:  # noqa: PYI034
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


# The rates a recording of a voice may have: from telephone speech (8 kHz) to
# the highest rate sound cards record at. A header outside them is damaged,
# and believing it is costly: 1 Hz upsampled to 16 kHz asks for gigabytes.
MIN_RATE_HZ = 8_000
MAX_RATE_HZ = 192_000


def _check_rate(path: Path, rate_hz: int) -> None:
    if not MIN_RATE_HZ <= rate_hz <= MAX_RATE_HZ:
        raise WavFileError(
            f"{path}: its sample rate is {rate_hz} Hz; coach reads recordings from "
            f"{MIN_RATE_HZ} to {MAX_RATE_HZ} Hz. The file may be damaged, or record or "
            "convert it at a usual rate such as 16000 or 44100 Hz."
        )


def _sox(path: Path) -> str:
    sox = shutil.which("sox")
    if sox is None:
        raise WavFileError(
            f"{path}: this format needs 'sox' to be read. Install it "
            "(Debian/Ubuntu: sudo apt install sox libsox-fmt-all) or convert the file to WAV."
        )
    return sox


def _run_sox(path: Path, args: list[str]) -> bytes:
    done = subprocess.run([_sox(path), *args], capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        reason = message[-1] if message else "no reason given"
        raise WavFileError(f"{path}: sox could not read it ({reason}).")
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
        raise WavFileError(message) from None
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
        raise WavFileError(f"{p}: is a folder, not an audio file. {give}") from None
    except FileNotFoundError:
        raise WavFileError(f"{p}: no such audio file. Check the path.") from None
    except NotAFileError as exc:
        raise WavFileError(f"{p}: is {exc.kind}, not a file. {give}") from None
    except OSError as exc:
        raise WavFileError(f"{p}: cannot be read ({exc.strerror or exc}).") from None
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

"""16-bit mono WAV files: read whole, write whole, or write as a stream.

Speech out reads espeak-ng's WAV renders, keeps phrases in a disk cache, and
writes a whole session's speech (``--speak-to``) while it runs. A session's
file is written in blocks as the timeline advances, so a long session never
holds all its audio in memory. Files coach writes are owner-only by default:
the coach's words can include a pain rating.
"""

from __future__ import annotations

import os
import wave
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np

from coach.errors import CoachError
from coach.regular_files import NotAFileError, open_regular


class WavFileError(CoachError):
    """A WAV file could not be read or written."""


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

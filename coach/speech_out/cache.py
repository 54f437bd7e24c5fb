"""Rendered phrases, kept in memory and on disk, keyed by (text, voice, rate, version).

A count must be heard on its beat, so the numbers and cue words a session
uses are rendered before they are needed (``warm``) and later fetched in
microseconds. The disk copy (16 kHz WAV under the cache dir) makes the next
session start warm too. Only phrases marked ``keep`` go to disk: recurring
product words, never a sentence that might carry a person's answers.

``version`` is what the renderer says of the voice (its ``version(voice)``:
engine, its version, the pronunciation rules); a renderer without one keys by
text, voice and rate alone. A new version of a voice never plays an old file.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach import paths
from coach.audio.format import RATE_HZ
from coach.audio.wavfile import Pcm, WavFileError, read_wav, write_wav
from coach.speech_out.synthesis import Renderer, prepare

FORMAT = "v1"  # bump when prepare() changes, so old files are not reused
MEMORY_LIMIT_SAMPLES = 16 * 60 * RATE_HZ  # about 30 MB of phrases


@dataclass(frozen=True)
class PhraseKey:
    text: str
    voice: str
    rate_wpm: int
    version: str = ""

    def file_name(self) -> str:
        voice = f"{self.voice}\0{self.version}" if self.version else self.voice
        digest = hashlib.sha256(f"{FORMAT}\0{voice}\0{self.rate_wpm}\0{self.text}".encode())
        return f"{digest.hexdigest()[:32]}.wav"


def default_folder() -> Path:
    return paths.cache_dir() / "phrases"


class PhraseCache:
    """Play-ready phrases (16 kHz int16, read-only) from a renderer, remembered.

    ``hits``/``disk_hits``/``misses`` count where each ``get`` was served from;
    a memory hit returns the very same array object as the first render.
    """

    def __init__(self, renderer: Renderer, folder: Path | None = None, *,
                 memory_limit_samples: int = MEMORY_LIMIT_SAMPLES):
        self.renderer = renderer
        self.folder = folder if folder is not None else default_folder()
        # the app's own cache folder is owner-only too (it was 0755 under the usual umask)
        self._app_folder = paths.cache_dir() if folder is None else None
        self._memory: OrderedDict[PhraseKey, np.ndarray] = OrderedDict()
        self._memory_samples = 0
        self._limit = memory_limit_samples
        self._lock = threading.Lock()
        self._on_disk: set[PhraseKey] = set()  # kept phrases on disk (or that could not be)
        self.hits = 0
        self.disk_hits = 0
        self.misses = 0

    def get(self, text: str, voice: str, rate_wpm: int, *, keep: bool = False) -> np.ndarray:
        """The phrase, rendered now if it is nowhere yet (blocking)."""
        key = self._key(text, voice, rate_wpm)
        with self._lock:
            found = self._memory.get(key)
            if found is not None:
                self._memory.move_to_end(key)
                self.hits += 1
                if not keep or key in self._on_disk:
                    return found
        if found is not None:  # first said as a line, now kept: the welcome, say
            self._to_disk(key, found)
            return found
        samples = self._from_disk(key)
        if samples is not None:
            with self._lock:
                self.disk_hits += 1
                self._on_disk.add(key)
            return self._remember(key, samples)
        samples = prepare(self.renderer.render(text, voice, rate_wpm), RATE_HZ)
        stood_in = getattr(self.renderer, "stood_in", None)
        if callable(stood_in) and stood_in():
            samples.flags.writeable = False
            return samples  # another voice said it for now: not kept under this voice's key
        key = self._key(text, voice, rate_wpm)  # the voice may have been refused meanwhile
        with self._lock:
            self.misses += 1
        if keep:
            self._to_disk(key, samples)
        return self._remember(key, samples)

    def cached(self, text: str, voice: str, rate_wpm: int) -> bool:
        """True if ``get`` would not need the renderer."""
        key = self._key(text, voice, rate_wpm)
        with self._lock:
            if key in self._memory:
                return True
        return (self.folder / key.file_name()).is_file()

    def warm(self, texts: Iterable[str], voice: str, rate_wpm: int) -> None:
        """Render (or load) ``texts`` now and keep them on disk too."""
        for text in dict.fromkeys(texts):
            self.get(text, voice, rate_wpm, keep=True)

    def warm_later(self, texts: Iterable[str], voice: str, rate_wpm: int) -> Future[None]:
        """Like ``warm`` but on a thread of its own; the future is done when all are."""
        done: Future[None] = Future()
        wanted = list(texts)

        def work() -> None:
            try:
                self.warm(wanted, voice, rate_wpm)
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits
                done.set_exception(exc)
            else:
                done.set_result(None)

        threading.Thread(target=work, name="coach-warm", daemon=True).start()
        return done

    def _key(self, text: str, voice: str, rate_wpm: int) -> PhraseKey:
        version = getattr(self.renderer, "version", None)
        return PhraseKey(text, voice, rate_wpm, version(voice) if callable(version) else "")

    def _remember(self, key: PhraseKey, samples: np.ndarray) -> np.ndarray:
        with self._lock:
            existing = self._memory.get(key)
            if existing is not None:  # another thread got there first: share its copy
                return existing
            self._memory[key] = samples
            self._memory_samples += len(samples)
            while self._memory_samples > self._limit and len(self._memory) > 1:
                _, dropped = self._memory.popitem(last=False)
                self._memory_samples -= len(dropped)
            return samples

    def _from_disk(self, key: PhraseKey) -> np.ndarray | None:
        """The entry on disk, or None: a missing or unreadable entry is a miss.

        An entry that is damaged (cut short by a disk error, not a WAV, a
        folder) is removed where that is safe and rendered again; a folder
        with things in it is left alone and stays a miss.
        """
        path = self.folder / key.file_name()
        try:
            pcm = read_wav(path)
        except WavFileError:
            _discard(path)
            return None
        if pcm.sample_rate_hz != RATE_HZ:
            _discard(path)
            return None
        samples = np.array(pcm.samples, dtype=np.int16)
        samples.flags.writeable = False
        return samples

    def _to_disk(self, key: PhraseKey, samples: np.ndarray) -> None:
        """Write the entry beside its place, then rename it there (atomic)."""
        path = self.folder / key.file_name()
        tmp = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
        try:
            if self._app_folder is not None:
                paths.private_dir(self._app_folder)
            paths.private_dir(self.folder)
            write_wav(tmp, Pcm(samples, RATE_HZ))
            tmp.replace(path)
        except (OSError, WavFileError):
            _discard(tmp)  # the disk copy is an optimisation; the phrase is still in memory
        with self._lock:
            self._on_disk.add(key)  # not tried again on every beat


def _discard(path: Path) -> None:
    """Remove a cache entry (or an empty folder in its place); never raises."""
    try:
        if path.is_dir():
            path.rmdir()
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass

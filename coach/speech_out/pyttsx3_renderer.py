"""pyttsx3 on espeak-ng, owned by one thread, rendering phrases to PCM.

Why a dedicated thread: pyttsx3 keeps one engine per process and its run loop
is not re-entrant ("run loop already started"), and espeak-ng can be set up
only once per process. So one thread creates the engine and does all the
work; any other thread submits a request to a queue and waits on a future.

What pyttsx3 2.99 with espeak-ng does, and how this module copes (checked
against the installed version, see tests/speech_out/test_engine.py):

- ``runAndWait`` can return before the WAV file exists: espeak-ng synthesises
  on its own thread. The file is complete when pyttsx3 reports
  ``finished-utterance``; we wait for that (with a time limit), and then for
  the engine to be idle again before the next request.
- Property changes are queued until the engine's first run loop, and
  espeak-ng applies rate and volume asynchronously; ``runAndWait`` may cancel
  a change still in flight. So the engine runs one empty loop when created,
  and each request waits until the engine reads back the rate it was given.
- An unknown voice is not raised to the caller but reported on the ``error``
  topic; we listen to it and turn it into a CoachError.
- The espeak driver prints "Audio saved to ..." on stdout; coach's library
  code never prints, so that one name is silenced in the driver module.
"""

from __future__ import annotations

import atexit
import itertools
import os
import queue
import shutil
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from coach.audio.wavfile import Pcm, read_wav
from coach.errors import CoachError

INSTALL_HINT = (
    "Install espeak-ng (Debian/Ubuntu: sudo apt-get install espeak-ng) and pyttsx3 "
    "(pip install pyttsx3), or run scripts/setup."
)
# The engine thread's queue order: a phrase someone waits for goes first, the
# flush at close last.
WAITED_FOR, AHEAD_OF_TIME, AT_CLOSE = 0, 1, 2
FINISH_SECONDS = 20.0  # a phrase that takes longer than this to render is a fault
SETTLE_SECONDS = 2.0  # how long a property change or an idle engine may take
POLL_SECONDS = 0.001
ESPEAK_RATE_HZ = 22050
FOLDER_PREFIX = "coach-tts-"  # then the process id: espeak-ng writes each phrase in there


def sweep_stale_folders(parent: Path) -> None:
    """Remove the phrase folders left by coach processes that no longer run.

    Each process removes its own at exit; one killed outright (SIGKILL, a
    power cut) cannot. Only this user's folders are looked at, and one whose
    process still runs (another coach) is left alone.
    """
    for folder in parent.glob(FOLDER_PREFIX + "*-*"):
        pid_text = folder.name[len(FOLDER_PREFIX):].split("-", 1)[0]
        if not pid_text.isdigit() or int(pid_text) == os.getpid():
            continue
        try:
            info = folder.lstat()
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            continue  # a symbolic link or a file, or another user's
        try:
            os.kill(int(pid_text), 0)
            continue  # the process runs (it may be another coach)
        except ProcessLookupError:
            pass
        except (OverflowError, OSError):
            continue  # someone else's process, or no such number: leave it
        shutil.rmtree(folder, ignore_errors=True)


class SpeechEngineError(CoachError):
    """The speech engine is missing or failed."""


@dataclass(frozen=True)
class VoiceInfo:
    """One installed espeak-ng voice."""

    id: str  # the short name to put in settings, e.g. "en-us"
    name: str  # e.g. "English (America)"
    language: str  # e.g. "en-us"
    identifier: str  # espeak-ng's own, e.g. "gmw/en-us"


def resolve_voice(voice: str, voices: list[VoiceInfo]) -> str | None:
    """The name espeak-ng accepts for ``voice``, or None if it is not installed.

    People may write the short name (en-us), espeak-ng's identifier
    (gmw/en-us), the long name (English (America)) or the language (en-gb),
    optionally with a variant (en-us+f3); espeak-ng itself takes only some of
    these, so each is mapped to the short name.
    """
    base, plus, variant = voice.strip().partition("+")
    wanted = base.strip().lower()
    for key in ("id", "identifier", "name", "language"):
        for v in voices:
            if getattr(v, key).lower() == wanted:
                return v.id + (plus + variant if plus else "")
    return None


def voice_known(voice: str, voices: list[VoiceInfo]) -> bool:
    """True if ``voice`` (optionally with a ``+variant``) names an installed voice."""
    return resolve_voice(voice, voices) is not None


class Pyttsx3Renderer:
    """A ``Renderer`` backed by pyttsx3/espeak-ng.

    ``render`` may be called from any thread. Every renderer in a process
    shares the one engine thread (pyttsx3 hands out one engine per process),
    which serves requests one at a time, those someone waits for before
    background ones (``render_later``).
    """

    def __init__(self) -> None:
        # The process's one espeak-ng thread, shared by every renderer; its
        # ``renders`` and ``retries`` count syntheses (for tests and figures).
        self.engine = _shared_engine()

    def render(self, text: str, voice: str, rate_wpm: int) -> Pcm:
        return self.engine.render_later(text, voice, rate_wpm, priority=WAITED_FOR).result()

    def render_later(self, text: str, voice: str, rate_wpm: int,
                     priority: int = AHEAD_OF_TIME) -> Future[Pcm]:
        return self.engine.render_later(text, voice, rate_wpm, priority)

    def voices(self) -> list[VoiceInfo]:
        return self.engine.voices()

    def close(self) -> None:
        """Wait for this process's pending renders; the engine thread itself stays
        (a daemon, so it never holds up exit) for the next renderer."""
        self.engine.flush()


_SHARED_LOCK = threading.Lock()
_SHARED: _EngineThread | None = None


def _shared_engine() -> _EngineThread:
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = _EngineThread()
        return _SHARED


class _EngineThread:
    """The thread that owns pyttsx3 and does every piece of work with it."""

    def __init__(self, *, finish_seconds: float = FINISH_SECONDS):
        self._finish_seconds = finish_seconds
        self._requests: queue.PriorityQueue[tuple[int, int, Callable[[], Any], Future[Any]]]
        self._requests = queue.PriorityQueue()
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._engine: Any = None
        self._voices: list[VoiceInfo] | None = None
        self._done = threading.Event()
        self._completed = False
        self._errors: list[BaseException] = []
        self._folder: Path | None = None
        self._working = threading.Lock()  # held while a request is served
        self._closing = False  # the process is exiting: nothing more is rendered
        self.renders = 0  # phrases rendered by espeak-ng since start (for tests and figures)
        self.retries = 0  # syntheses espeak-ng cancelled and we started again
        self._voice_set: str | None = None
        self._espeak: Any = None

    def render_later(self, text: str, voice: str, rate_wpm: int,
                     priority: int = AHEAD_OF_TIME) -> Future[Pcm]:
        return self._submit(lambda: self._render(text, voice, rate_wpm), priority)

    def voices(self) -> list[VoiceInfo]:
        return self._submit(self._list_voices, WAITED_FOR).result()

    def flush(self) -> None:
        """Return once everything submitted before this call is done."""
        self._submit(lambda: None, AT_CLOSE).result(timeout=self._finish_seconds * 10)

    # -- plumbing -------------------------------------------------------------
    def _submit(self, work: Callable[[], Any], priority: int) -> Future[Any]:
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="coach-tts", daemon=True)
                self._thread.start()
        future: Future[Any] = Future()
        self._requests.put((priority, next(self._order), work, future))
        return future

    def _serve(self) -> None:
        startup_error: BaseException | None = None
        try:
            self._start_engine()
        except BaseException as exc:  # noqa: BLE001 - handed to every caller below
            startup_error = exc
        while True:
            _, _, work, future = self._requests.get()
            if not future.set_running_or_notify_cancel():
                continue
            if startup_error is not None:
                future.set_exception(startup_error)
                continue
            with self._working:
                if self._closing:
                    future.set_exception(SpeechEngineError("The process is ending."))
                    continue
                try:
                    future.set_result(work())
                except BaseException as exc:  # noqa: BLE001 - the caller re-raises it
                    future.set_exception(exc)

    def _start_engine(self) -> None:
        try:
            import pyttsx3
        except ImportError:
            raise SpeechEngineError(f"The speech engine pyttsx3 is not installed. {INSTALL_HINT}") from None
        try:
            engine = pyttsx3.init("espeak")
        except (OSError, RuntimeError, ImportError) as exc:
            raise SpeechEngineError(f"espeak-ng could not be started ({exc}). {INSTALL_HINT}") from None
        driver_module = sys.modules.get("pyttsx3.drivers.espeak")
        if driver_module is not None:
            driver_module.print = lambda *args, **kwargs: None  # type: ignore[attr-defined]
        engine.connect("finished-utterance", self._on_finished)
        engine.connect("error", self._on_error)
        engine.runAndWait()  # an empty loop, so that property changes apply at once
        from pyttsx3.drivers import _espeak  # the driver's ctypes binding: to see if it is idle

        self._espeak = _espeak
        self._engine = engine
        sweep_stale_folders(Path(tempfile.gettempdir()))
        self._folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        atexit.register(self._close_at_exit)

    def _close_at_exit(self) -> None:
        """Render nothing more, let the phrase under way finish, then remove the folder.

        Removed under a phrase espeak-ng is still writing, the driver's write
        failed and Python printed "Exception ignored" tracebacks as it exited.
        """
        self._closing = True
        finished = self._working.acquire(timeout=self._finish_seconds)
        try:
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
        finally:
            if finished:
                self._working.release()

    def _on_finished(self, name: object = None, completed: bool = True) -> None:
        self._completed = bool(completed)
        self._done.set()

    def _on_error(self, name: object = None, exception: BaseException | None = None) -> None:
        self._errors.append(exception or RuntimeError("unknown speech engine error"))

    def _list_voices(self) -> list[VoiceInfo]:
        if self._voices is None:
            found = []
            for v in self._engine.getProperty("voices"):
                identifier = str(v.id)
                language = str(v.languages[0]) if v.languages else ""
                name = str(v.name).replace("_", " ")
                found.append(VoiceInfo(identifier.rsplit("/", 1)[-1], name, language, identifier))
            self._voices = sorted(found, key=lambda v: v.id)
        return self._voices

    def _settle(self, what: str, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + SETTLE_SECONDS
        while not ready():
            if time.monotonic() > deadline:
                raise SpeechEngineError(f"espeak-ng did not accept the {what} in time; try again.")
            time.sleep(POLL_SECONDS)

    def _configure(self, voice: str, rate_wpm: int) -> None:
        """Set voice and rate, only when they change, and wait until espeak-ng is idle.

        espeak-ng queues parameter changes behind any synthesis; pyttsx3's
        ``runAndWait`` cancels whatever is still queued, so we never start a
        phrase until the change has been applied and the queue is empty.
        """
        engine = self._engine
        name = resolve_voice(voice, self._list_voices())
        if name is None:
            raise SpeechEngineError(
                f"The voice '{voice}' is not installed. Run 'coach voices' to list the "
                "installed ones and set one in the settings file.")
        if name != self._voice_set:
            self._errors.clear()
            engine.setProperty("voice", name)
            if self._errors:
                raise SpeechEngineError(f"espeak-ng refused the voice '{voice}' ({self._errors[0]}); "
                                        "run 'coach voices' and choose another.")
            self._voice_set = name
        if engine.getProperty("volume") != 1.0:
            engine.setProperty("volume", 1.0)  # loudness is applied when mixing, not baked in
        if engine.getProperty("rate") != int(rate_wpm):
            engine.setProperty("rate", int(rate_wpm))
        self._settle("voice settings", lambda: engine.getProperty("rate") == int(rate_wpm)
                     and engine.getProperty("volume") == 1.0 and not self._espeak.IsPlaying())

    def _render(self, text: str, voice: str, rate_wpm: int) -> Pcm:
        if not text.strip():
            return Pcm(np.zeros(0, dtype=np.int16), ESPEAK_RATE_HZ)
        assert self._folder is not None
        for attempt in range(2):
            self._configure(voice, rate_wpm)
            # a fresh name per attempt: a cancelled synthesis finishing late cannot
            # overwrite the phrase being read
            path = self._folder / f"phrase-{next(self._order)}.wav"
            self._done.clear()
            self._engine.save_to_file(text, str(path))
            self._engine.runAndWait()
            if not self._done.wait(self._finish_seconds):
                self._engine.stop()
                raise SpeechEngineError(
                    f"espeak-ng did not finish the phrase '{text[:40]}' within "
                    f"{self._finish_seconds:g} s; check that espeak-ng works: espeak-ng 'test'")
            self._settle("end of the phrase", lambda: not self._engine.isBusy())
            if self._completed and path.exists():
                pcm = read_wav(path)
                path.unlink(missing_ok=True)
                self.renders += 1
                return pcm
            self.retries += 1
        raise SpeechEngineError(f"espeak-ng stopped twice before the end of '{text[:40]}'; "
                                "try again.")

"""Every voice the coach can speak with, behind one ``Renderer``: the neural voice and espeak-ng.

The voice name in the settings chooses the engine: ``heart`` (also written
``hibari``) is hibari's bundled neural voice, the default; any other name is
an espeak-ng voice (``en-us``...), spoken through pyttsx3.

The neural voice loads on a thread of its own (a few seconds: its
pronunciation tables are parsed and its model built), started as soon as a
``Voices`` is made; nothing waits for it until a phrase that is not in the
phrase cache must be rendered with it. If it is not installed, or any of its
files is not the one pinned, it is refused: ``refusal`` says why (the
runtime says so once) and espeak-ng speaks in its place, ``FALLBACK_VOICE``.
With ``stand_in`` (the live coach), espeak-ng also says whatever cannot wait
while the neural voice is still loading, and the phrase cache keeps none of
it (``stood_in``): the first launch starts speaking at once.

Each engine gets the text in the form it pronounces as meant
(``pronounce.yaml``); the phrase cache keys by the coach's own text, the
voice and ``version(voice)``, which names the engine, its version and the
pronunciation table, so a changed voice never plays an old rendering.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.audio.wavfile import Pcm
from coach.settings import NATURAL_VOICE_NAMES
from coach.speech_out.hibari_files import VoiceFilesError, read_voice_files
from coach.speech_out.pronounce import Pronunciations

DEFAULT_VOICE = "heart"
FALLBACK_VOICE = "en-us"
NEURAL_NAMES = NATURAL_VOICE_NAMES
ESPEAK = "espeak-ng"
NEURAL = "hibari"
LOAD_SECONDS = 120.0  # a neural voice that takes longer than this to load is a fault


def is_neural(voice: str) -> bool:
    return voice.strip().lower() in NEURAL_NAMES


@dataclass(frozen=True)
class VoiceListing:
    """One voice as ``coach voices`` lists it."""

    id: str  # what to put in the settings: heart, en-us...
    name: str
    language: str
    engine: str  # "hibari" or "espeak-ng"
    size_mb: float  # on disk: the voice's own files (espeak-ng's data, which its voices share)
    note: str = ""  # why it cannot be used, when it cannot
    identifier: str = ""  # espeak-ng's own name ("gmw/en-us")


class NeuralVoice:
    """hibari's bundled voice, loading in the background from checked files."""

    def __init__(self, *, arena: bool = False, mem_pattern: bool = False, start: bool = True,
                 folder: Path | None = None):
        self._arena, self._mem_pattern = arena, mem_pattern
        self._folder = folder  # the assets folder; None: the installed package's
        self._loaded: Future[Any] = Future()
        self._start_lock = threading.Lock()
        self._started = False
        if start:
            self.start()

    def start(self) -> None:
        """Begin loading (once); returns at once."""
        with self._start_lock:
            if self._started:
                return
            self._started = True
        # Not a daemon: the interpreter waits for the load at exit. A process that
        # ended while onnxruntime was still building its session aborted ("terminate
        # called without an active exception", exit 134) after saying goodbye.
        threading.Thread(target=self._load, name="coach-voice-load", daemon=False).start()

    def _load(self) -> None:
        from coach.speech_out.hibari_engine import HibariEngine

        try:
            engine = HibariEngine(read_voice_files(self._folder), arena=self._arena, mem_pattern=self._mem_pattern)
        except VoiceFilesError as exc:
            self._loaded.set_exception(exc)
        except (ImportError, OSError, RuntimeError, ValueError, KeyError) as exc:
            self._loaded.set_exception(VoiceFilesError(
                f"The neural voice could not be loaded ({type(exc).__name__}: {exc}). "
                "Run scripts/setup to reinstall it."))
        else:
            self._loaded.set_result(engine)

    def engine(self) -> Any:
        """The loaded engine (waits for the load); raises VoiceFilesError if refused."""
        self.start()
        return self._loaded.result(timeout=LOAD_SECONDS)

    @property
    def ready(self) -> bool:
        return self._loaded.done()

    def render(self, text: str, rate_wpm: int) -> Pcm:
        return self.engine().render(text, rate_wpm)


class Voices:
    """A ``Renderer`` for both engines; see the module docstring."""

    def __init__(self, neural: NeuralVoice | None = None, espeak: Any = None, *,
                 pronunciations: Pronunciations | None = None, stand_in: bool = False):
        self.neural = neural if neural is not None else NeuralVoice()
        self._espeak = espeak
        self._espeak_lock = threading.Lock()
        self.pronunciations = pronunciations or Pronunciations.bundled()
        self._refusal: str | None = None
        self._stand_in = stand_in  # espeak-ng says what cannot wait for the neural voice to load
        self._last = threading.local()

    @property
    def espeak(self) -> Any:
        """pyttsx3 on espeak-ng, started only when first needed."""
        with self._espeak_lock:
            if self._espeak is None:
                from coach.speech_out.pyttsx3_renderer import Pyttsx3Renderer

                self._espeak = Pyttsx3Renderer()
            return self._espeak

    @property
    def refusal(self) -> str | None:
        """Why the neural voice was refused, once it has been; None while it is usable."""
        if self._refusal is None and self.neural.ready:
            try:
                self.neural.engine()
            except VoiceFilesError as exc:
                self._refusal = str(exc)
        return self._refusal

    def engine_of(self, voice: str) -> str:
        """The engine that speaks ``voice`` now (espeak-ng for a refused neural voice)."""
        return NEURAL if is_neural(voice) and self.refusal is None else ESPEAK

    def version(self, voice: str) -> str:
        """What the phrase cache keys by besides the text: engine, version, pronunciations."""
        from coach.speech_out.hibari_engine import VOICE
        from coach.speech_out.hibari_files import PINNED_SHA256, VERSION

        engine = self.engine_of(voice)
        table = self.pronunciations.digest(engine)
        if engine == NEURAL:
            return f"hibari-tts {VERSION} {VOICE} {PINNED_SHA256['hibari.onnx'][:12]} {table}"
        return f"{ESPEAK} {table}" if not is_neural(voice) else f"{ESPEAK} {FALLBACK_VOICE} {table}"

    def stood_in(self) -> bool:
        """True if this thread's last render was espeak-ng standing in for a neural voice
        still loading: said, but not to be kept (the phrase cache asks)."""
        return bool(getattr(self._last, "stood_in", False))

    def render(self, text: str, voice: str, rate_wpm: int) -> Pcm:
        self._last.stood_in = False
        if is_neural(voice) and self._stand_in and not self.neural.ready:
            self._last.stood_in = True
            return self.espeak.render(self.pronunciations.spoken(text, ESPEAK), FALLBACK_VOICE,
                                      rate_wpm)
        if is_neural(voice) and self.refusal is None:
            try:
                return self.neural.render(self.pronunciations.spoken(text, NEURAL), rate_wpm)
            except VoiceFilesError as exc:
                self._refusal = str(exc)
        espeak_voice = FALLBACK_VOICE if is_neural(voice) else voice
        return self.espeak.render(self.pronunciations.spoken(text, ESPEAK), espeak_voice, rate_wpm)

    @property
    def renders(self) -> int:
        """Phrases rendered by either engine in this process (for tests and figures)."""
        neural = self.neural.engine().renders if self.neural.ready and self.refusal is None else 0
        return neural + (self._espeak.engine.renders if self._espeak is not None else 0)

    def listing(self) -> list[VoiceListing]:
        """The neural voice first, then espeak-ng's installed voices."""
        size, note = 0.0, ""
        try:
            size = round(read_voice_files().size_bytes / 1e6, 1)
        except VoiceFilesError as exc:
            note = str(exc)
        found = [VoiceListing(DEFAULT_VOICE, "Heart, neural, American English, female", "en-us",
                              NEURAL, size, note)]
        espeak_mb = round(_espeak_data_bytes() / 1e6, 1)
        for v in self.espeak.voices():
            found.append(VoiceListing(v.id, v.name, v.language, ESPEAK, espeak_mb,
                                      identifier=v.identifier))
        return found

    def close(self) -> None:
        if self._espeak is not None:
            self._espeak.close()


def voice_named(voice: str, listing: list[VoiceListing]) -> VoiceListing | None:
    """The listed voice that ``voice`` (as a person may write it) names, or None."""
    if is_neural(voice):
        return next((v for v in listing if v.engine == NEURAL), None)
    from coach.speech_out.pyttsx3_renderer import VoiceInfo, resolve_voice

    espeak = [v for v in listing if v.engine == ESPEAK]
    name = resolve_voice(voice, [VoiceInfo(v.id, v.name, v.language, v.identifier) for v in espeak])
    if name is None:
        return None
    return next((v for v in espeak if v.id == name.partition("+")[0]), None)


def _espeak_data_bytes() -> int:
    """The size of espeak-ng's data folder, which all its voices share (0 if not found)."""
    for folder in (Path("/usr/lib/x86_64-linux-gnu/espeak-ng-data"),
                   Path("/usr/lib/aarch64-linux-gnu/espeak-ng-data"),
                   Path("/usr/share/espeak-ng-data"), Path("/usr/lib/espeak-ng-data")):
        if folder.is_dir():
            return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return 0

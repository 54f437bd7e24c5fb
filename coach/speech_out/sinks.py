"""Sinks that put the playout to work: a WAV file on a manual clock, and a
live voice that falls back to text when the sound device fails.

A sink is ``sink(action, now) -> list[Event]`` (see coach.runtime.runner).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from coach.audio.format import RATE_HZ
from coach.audio.wavfile import WavWriter
from coach.core.actions import Action, Say
from coach.core.events import Event
from coach.errors import CoachError
from coach.speech_out.playout import Playout
from coach.speech_out.pyttsx3_renderer import SpeechEngineError
from coach.spoken_text import Lines, keys_used, lines_in

LINES = Path(__file__).with_name("lines.yaml")
FILE_PULL_FRAMES = RATE_HZ // 10  # 100 ms: the size of each pull while rendering to a file


def speech_out_lines() -> Lines:
    """Speech out's sentences, read and checked against every key the code asks for."""
    return lines_in(LINES, required=keys_used("speech_out/lines.yaml"))


def speech_out_line(key: str) -> str:
    """One of speech out's own sentences from ``lines.yaml``."""
    return speech_out_lines().get(key)


class WavTimelineSink:
    """The session's speech on its true timeline, written to a WAV file (``--speak-to``).

    Driven by a manual clock: the runtime hands each action with ``now``, then
    calls ``advance_to(now)`` once the clock has moved, which mixes the audio
    up to ``now`` and returns the SpeechStarted/SpeechDone events it produced.
    Rendering may block (the clock waits). Each call also catches up to the
    previous action's ``now`` first, so a runtime that only hands actions still
    gets its events, one step later. ``finish()`` plays out what is left and
    closes the file. With ``path=None`` the audio is kept in memory only
    (``samples()``), for tests.
    """

    def __init__(self, playout: Playout, path: Path | str | None = None, *,
                 keep_in_memory: bool = False):
        self.playout = playout
        self._writer = WavWriter(path, playout.rate_hz) if path is not None else None
        self._blocks: list[np.ndarray] | None = [] if (keep_in_memory or path is None) else None
        self._last_now = 0.0

    def __call__(self, action: Action, now: float) -> list[Event]:
        events = self.advance_to(self._last_now)
        events += self.playout.submit(action, now)
        self._last_now = max(self._last_now, now)
        return events

    def advance_to(self, now: float) -> list[Event]:
        """Mix and write the audio up to session time ``now``; events it produced."""
        target = self.playout.sample_of(now)
        while self.playout.frames_pulled < target:
            self._write(self.playout.pull(min(FILE_PULL_FRAMES, target - self.playout.frames_pulled)))
        return self.playout.drain_events()

    def finish(self, tail_seconds: float = 0.3) -> list[Event]:
        """Play out everything planned (plus a short tail) and close the file."""
        events = self.advance_to(max(self._last_now, self.playout.planned_until()) + tail_seconds)
        self.close()
        return events

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()

    def samples(self) -> np.ndarray:
        """All audio so far (only when kept in memory)."""
        if self._blocks is None:
            raise CoachError("This WAV sink does not keep its audio in memory; read its file.")
        return np.concatenate(self._blocks) if self._blocks else np.zeros(0, dtype=np.int16)

    def _write(self, block: np.ndarray) -> None:
        if self._writer is not None:
            self._writer.write(block)
        if self._blocks is not None:
            self._blocks.append(block)


class FallbackVoice:
    """A live voice that carries on in text when the sound device fails.

    The audio output adapter pulls from ``playout`` and, if the device fails
    (unplugged, driver error), calls ``device_failed``; a speech engine that
    fails while rendering has the same effect. From then on every
    action goes to ``text`` (a text sink). The phrases that were playing or
    waiting are handed to the text sink, so the session still gets a
    SpeechDone for each, and the listener is told once, through ``write``.
    """

    def __init__(self, playout: Playout, text: Callable[[Action, float], list[Event]],
                 write: Callable[[str], None]):
        self.playout = playout
        self.text = text
        self.write = write
        self.failed_reason: str | None = None

    @property
    def failed(self) -> bool:
        return self.failed_reason is not None

    def __call__(self, action: Action, now: float) -> list[Event]:
        if self.failed:
            return self.text(action, now)
        try:
            return self.playout.submit(action, now)
        except SpeechEngineError as exc:  # espeak-ng failed mid-session: carry on in text
            events = self.device_failed(str(exc), now, line="voice_failed")
            return events + self.text(action, now)

    def device_failed(self, reason: str, now: float, *, line: str = "audio_failed") -> list[Event]:
        """Switch to text for good; returns the events the runtime must still handle.

        ``line`` names the sentence in ``lines.yaml`` that tells the listener.
        """
        if self.failed:
            return []
        self.failed_reason = reason or "unknown reason"
        events = self.playout.drain_events()
        self.write(speech_out_line(line))
        for say in self.playout.take_unplayed():
            events += self.text(Say(say.text, say.id, say.priority, None, say.kind), now)
        return events

"""The playout: turns Say/Cue/StopSpeaking/DropLines/ChangeVoice into one 16 kHz stream.

The playout's own sample counter is the audio clock: sample ``k`` plays at
``k / RATE_HZ`` s on the session clock. Two halves, two threads:

- ``submit(action, now)`` (runtime thread) renders the phrase (a cache hit
  in microseconds, or espeak-ng), then places it on the timeline under a
  short lock. It returns the events it can already tell: a SpeechDone
  (interrupted) for every phrase dropped by this action.
- ``pull(n_frames)`` (audio thread, or a manual clock) mixes the next block:
  no rendering, no waiting, only slicing and adding preallocated arrays. The
  SpeechStarted/SpeechDone events it produces, with sample-accurate ``at``,
  are collected for ``drain_events()``.

Every Say gets exactly one SpeechDone; it gets a SpeechStarted first only if
any of it was played. Cues (earcons) are mixed on top of speech, unscheduled
by the speech rules: a beat tone always sounds on its beat.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np

from coach.audio.format import RATE_HZ, SAMPLE_TYPE
from coach.core.actions import (
    Action,
    ChangeVoice,
    Cue,
    DropLines,
    Priority,
    Say,
    SayKind,
    StopSpeaking,
)
from coach.core.events import Event, SpeechDone, SpeechStarted
from coach.settings import Settings
from coach.speech_out.cache import PhraseCache
from coach.speech_out.earcons import earcon
from coach.speech_out.timeline import FADE, PhraseTimeline, ScheduledPhrase

# Recurring phrases: cached on disk and re-rendered on a rate change.
KEPT_KINDS = (SayKind.COUNT, SayKind.CUE_WORD)


@dataclass(frozen=True)
class _Tone:
    pcm: np.ndarray
    start: int  # sample
    seq: int


class Playout:
    """Scheduler and mixer for one audio output (see the module docstring)."""

    def __init__(self, phrases: PhraseCache, settings: Settings | None = None, *,
                 rate_hz: int = RATE_HZ, max_block_frames: int = 8192):
        if rate_hz != RATE_HZ:
            raise ValueError(f"the playout runs at {RATE_HZ} Hz (got {rate_hz})")
        settings = settings or Settings()
        self.phrases = phrases
        self.voice = settings.voice
        self.rate_wpm = settings.rate_wpm
        self.volume = settings.volume
        self.rate_hz = rate_hz
        self._timeline = PhraseTimeline()
        self._tones: list[_Tone] = []
        self._pos = 0  # next sample to pull
        self._seq = itertools.count()
        self._lock = threading.Lock()
        self._events: deque[Event] = deque()
        self._mix = np.zeros(max_block_frames, dtype=np.float32)
        self._kept: dict[str, None] = {}  # recurring texts seen, in order
        self._gain = self.volume  # the loudness of the next sample pulled
        self._gain_changes: deque[tuple[int, float]] = deque()  # (sample, volume) still to apply

    # -- the clock --------------------------------------------------------------
    @property
    def frames_pulled(self) -> int:
        return self._pos

    def next_sample_at(self) -> float:
        """Session time (s) of the next sample ``pull`` will return."""
        return self._pos / self.rate_hz

    def sample_of(self, at: float) -> int:
        return round(at * self.rate_hz)

    @property
    def busy(self) -> bool:
        """True while any phrase or tone is playing or planned."""
        with self._lock:
            return bool(self._timeline.segments or self._tones)

    def planned_until(self) -> float:
        """Session time (s) when everything planned so far has been played."""
        with self._lock:
            tone_end = max((t.start + len(t.pcm) for t in self._tones), default=0)
            return max(self._timeline.end, tone_end, self._pos) / self.rate_hz

    # -- actions ----------------------------------------------------------------
    def warm(self, texts: list[str]) -> None:
        """Render recurring phrases now (blocking), so they play on their beat."""
        self._kept.update(dict.fromkeys(texts))
        self.phrases.warm(texts, self.voice, self.rate_wpm)

    def submit(self, action: Action, now: float) -> list[Event]:
        """Carry out ``action`` at session time ``now``; returns SpeechDone for dropped phrases."""
        if isinstance(action, Say):
            return self._say(action, now)
        if isinstance(action, Cue):
            self._cue(action, now)
        elif isinstance(action, StopSpeaking):
            with self._lock:
                present = max(self._pos, self.sample_of(now))
                dropped = self._timeline.stop(present, present)
                self._tones = [t for t in self._tones if t.start < present]
            return self._dropped(dropped, present)
        elif isinstance(action, DropLines):
            with self._lock:
                present = max(self._pos, self.sample_of(now))
                dropped = self._timeline.drop(frozenset(action.ids), self._pos)
            return self._dropped(dropped, present)
        elif isinstance(action, ChangeVoice):
            self.change_voice(action.rate_wpm, action.volume, now, voice=action.voice)
        return []

    def change_voice(self, rate_wpm: int, volume: float, now: float = 0.0, *,
                     voice: str | None = None) -> Future[None] | None:
        """New loudness from ``now`` on, for speech and tones alike; new rate (and
        ``voice``, when given) for phrases rendered from now on. Recurring phrases
        are rendered again in the background; the returned future tells when that
        is done.
        """
        self.volume = min(1.0, max(0.0, float(volume)))
        with self._lock:
            self._gain_changes.append((max(self._pos, self.sample_of(now)), self.volume))
        new_voice = voice is not None and voice != self.voice
        if rate_wpm == self.rate_wpm and not new_voice:
            return None
        self.rate_wpm = int(rate_wpm)
        if voice is not None:
            self.voice = voice
        if not self._kept:
            return None
        return self.phrases.warm_later(list(self._kept), self.voice, self.rate_wpm)

    def _say(self, say: Say, now: float) -> list[Event]:
        keep = say.kind in KEPT_KINDS
        if keep:
            self._kept[say.text] = None
        pcm = self.phrases.get(say.text, self.voice, self.rate_wpm, keep=keep)  # may block: not under the lock
        seg = ScheduledPhrase(say, pcm, next(self._seq), fixed=say.at is not None)
        with self._lock:
            present = max(self._pos, self.sample_of(now))
            if len(pcm) == 0:
                dropped = [seg]
            elif say.priority >= Priority.URGENT and (
                    say.at is None or self.sample_of(say.at) < self._pos):
                dropped = self._timeline.add_urgent(seg, present, present)
            elif say.at is not None and self.sample_of(say.at) >= self._pos:
                dropped = self._timeline.add_fixed(seg, self.sample_of(say.at), self._pos)
            elif say.at is not None:  # its beat is already played: now, still as a beat
                dropped = self._timeline.add_fixed(seg, present, present)
            else:
                dropped = self._timeline.add_asap(seg, present, present)
            return self._dropped(dropped, present)

    def _dropped(self, dropped: list[ScheduledPhrase], present: int) -> list[Event]:
        at = present / self.rate_hz
        return [SpeechDone(s.say.id, at, interrupted=len(s.pcm) > 0) for s in dropped]

    def _cue(self, cue: Cue, now: float) -> None:
        with self._lock:
            present = max(self._pos, self.sample_of(now))
            start = present if cue.at is None else max(self._pos, self.sample_of(cue.at))
            self._tones.append(_Tone(earcon(cue.kind, self.rate_hz), start, next(self._seq)))

    # -- device failure -----------------------------------------------------------
    def take_unplayed(self) -> list[Say]:
        """Remove and return every phrase not finished, for a fallback voice.

        No SpeechDone is reported for them here: whoever takes them over does.
        """
        with self._lock:
            taken = self._timeline.take_unfinished()
            self._tones = []
        return [s.say for s in sorted(taken, key=lambda s: s.start)]

    # -- the audio side -------------------------------------------------------------
    def drain_events(self) -> list[Event]:
        """SpeechStarted/SpeechDone produced by ``pull`` since the last call, in time order."""
        out: list[Event] = []
        while self._events:
            out.append(self._events.popleft())
        return out

    def pull(self, n_frames: int) -> np.ndarray:
        """The next ``n_frames`` samples (int16) of the mix; advances the audio clock."""
        if n_frames > len(self._mix):
            self._mix = np.zeros(n_frames, dtype=np.float32)  # only if a bigger block is asked for
        mix = self._mix[:n_frames]
        mix.fill(0.0)
        events: list[Event] = []
        with self._lock:
            first, last = self._pos, self._pos + n_frames
            for seg in self._timeline.segments:
                if seg.start >= last:
                    break
                if seg.end > first:
                    self._mix_segment(seg, mix, first, last, events)
            for seg in self._timeline.finished(last):
                events.append(SpeechDone(seg.say.id, seg.end / self.rate_hz,
                                               interrupted=seg.end < seg.start + seg.length))
            for tone in self._tones:
                a, b = max(tone.start, first), min(tone.start + len(tone.pcm), last)
                if a < b:
                    mix[a - first : b - first] += tone.pcm[a - tone.start : b - tone.start]
            if self._tones:
                self._tones = [t for t in self._tones if t.start + len(t.pcm) > last]
            self._pos = last
            self._apply_gain(mix, first, last)
        if events:
            events.sort(key=lambda e: (e.at, isinstance(e, SpeechStarted)))
            self._events.extend(events)
        np.clip(mix, -32768.0, 32767.0, out=mix)
        return mix.astype(SAMPLE_TYPE)

    def _apply_gain(self, mix: np.ndarray, first: int, last: int) -> None:
        cursor = first
        while self._gain_changes and self._gain_changes[0][0] < last:
            at, volume = self._gain_changes.popleft()
            at = max(at, cursor)
            mix[cursor - first : at - first] *= self._gain
            cursor, self._gain = at, volume
        mix[cursor - first :] *= self._gain

    def _mix_segment(self, seg: ScheduledPhrase, mix: np.ndarray, first: int, last: int,
                     events: list[Event]) -> None:
        if not seg.started_reported and seg.start < last:
            seg.started_reported = True
            events.append(SpeechStarted(seg.say.id, seg.start / self.rate_hz))
        a, b = max(seg.start, first), min(seg.end, last)
        if a >= b:
            return
        mix[a - first : b - first] += seg.pcm[a - seg.start : b - seg.start]
        if seg.fade:
            fade_from = seg.end - seg.fade
            fa, fb = max(a, fade_from), b
            if fa < fb:
                ramp = (seg.end - np.arange(fa, fb, dtype=np.float32)) / np.float32(seg.fade)
                mix[fa - first : fb - first] *= ramp


FADE_SECONDS = FADE / RATE_HZ

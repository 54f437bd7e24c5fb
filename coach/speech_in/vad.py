"""Voice activity: which 10 ms frames hold speech, and where utterances end.

Two parts, kept apart so each can be tested on its own:

- ``Segmenter`` is pure: it is told, chunk by chunk, how long the chunk was and
  whether it held speech, and says when an utterance starts and ends. It knows
  nothing of audio or clocks, so a test drives it with booleans.
- ``EnergyVad`` decides speech or not for one 10 ms frame of 16 kHz PCM from the
  energy in the speech band (250-4000 Hz) against a noise floor that follows
  the background. Hum and rumble below the band do not count as speech.

``EnergyVad`` serves PocketSphinx and Vosk; Whisper listens through Silero
VAD (``coach.speech_in.silero``), which lost half as many words in noise and
in a room that echoes (scripts/bench_recognition.py), except while the coach
speaks: there the energy VAD, with the echo gate, keeps more of a short word
said over it (``coach.speech_in.voice_activity``). Both feed the same ``Segmenter``.

Timeouts count audio time (the seconds of each chunk), never a wall clock, so
the same recording always gives the same segments.

Segmenter states::

    SILENCE --speech for start_seconds--> SPEECH
    SPEECH  --silence for quiet_seconds-> SPEECH    (emits QUIET, once per pause)
    SPEECH  --silence for end_seconds---> SILENCE   (emits ENDED)
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np

from coach.audio.format import BLOCK_FRAMES, RATE_HZ

FRAME_SAMPLES = BLOCK_FRAMES  # one 10 ms block of the audio format
FRAME_SECONDS = 0.01
DIGITAL_SILENCE_DB = -99.0  # frame_levels_db of all-zero samples is -100


class VadState(enum.Enum):
    SILENCE = "silence"
    SPEECH = "speech"


class SegmentEvent(enum.Enum):
    STARTED = "started"  # speech began start_seconds ago
    QUIET = "quiet"  # quiet_seconds of silence inside an utterance: it may be over
    ENDED = "ended"  # the utterance ended end_seconds ago


@dataclass
class Segmenter:
    """Turns per-chunk speech flags into utterance start and end.

    ``start_seconds`` of speech are needed to start (a click is not speech);
    ``end_seconds`` of silence end it (the hangover: short pauses inside
    "how many left" do not split it). Shorter hangover means a faster answer
    after the user stops talking; longer means fewer split phrases.
    ``quiet_seconds`` (shorter than the hangover, or None) marks the moment the
    utterance may be over: a listener can start decoding it then, and act at
    once on an urgent word ("stop") instead of waiting out the hangover.
    """

    start_seconds: float = 0.05
    end_seconds: float = 0.25
    quiet_seconds: float | None = None
    state: VadState = VadState.SILENCE
    _speech_run: float = 0.0
    _silence_run: float = 0.0
    speech_seconds: float = 0.0  # length of the current utterance so far

    def process(self, chunk_seconds: float, is_speech: bool) -> SegmentEvent | None:
        if self.state is VadState.SILENCE:
            if is_speech:
                self._speech_run += chunk_seconds
                if self._speech_run >= self.start_seconds - 1e-9:
                    self.state = VadState.SPEECH
                    self.speech_seconds = self._speech_run
                    self._silence_run = 0.0
                    return SegmentEvent.STARTED
            else:
                self._speech_run = 0.0
            return None
        self.speech_seconds += chunk_seconds
        if is_speech:
            self._silence_run = 0.0
            return None
        before = self._silence_run
        self._silence_run += chunk_seconds
        if self._silence_run >= self.end_seconds - 1e-9:
            self.state = VadState.SILENCE
            self._speech_run = 0.0
            self.speech_seconds -= self._silence_run
            return SegmentEvent.ENDED
        quiet = self.quiet_seconds
        if quiet is not None and before < quiet - 1e-9 <= self._silence_run:
            return SegmentEvent.QUIET
        return None

    @property
    def idle(self) -> bool:
        """No utterance, and no speech frame since the last silent one."""
        return self.state is VadState.SILENCE and self._speech_run == 0.0

    def reset(self) -> None:
        self.state = VadState.SILENCE
        self._speech_run = self._silence_run = self.speech_seconds = 0.0


def frame_levels_db(frames: np.ndarray) -> np.ndarray:
    """Speech-band level (dB re full scale) of each row of 160 samples."""
    x = frames.astype(np.float32) / 32768.0
    spectrum = np.abs(np.fft.rfft(x * _WINDOW, axis=1)) ** 2
    band = spectrum[:, _BAND].sum(axis=1) / (FRAME_SAMPLES * 0.375)
    return 10.0 * np.log10(band + 1e-10)


_WINDOW = np.hanning(FRAME_SAMPLES).astype(np.float32)
_FREQS = np.fft.rfftfreq(FRAME_SAMPLES, 1.0 / RATE_HZ)
_BAND = (_FREQS >= 250) & (_FREQS <= 4000)


@dataclass
class EnergyVad:
    """Speech when the band level stands ``margin_db`` above the noise floor.

    The floor falls at once to a quieter frame and rises slowly (``rise_db_per_s``)
    so a steady fan or tap becomes background within seconds, while a word
    (well under two seconds) cannot drag the floor up to itself. Frames of
    digital silence (all zeros: a gap in the input, padding fed to end an
    utterance) are not speech and leave the floor alone; falling to them, it
    would take many seconds to climb back to the room, and the room's own
    hiss would count as speech until then.

    Before any sound the floor is unknown, and the first frame heard sets it,
    up to ``start_ceiling_db``. A fixed low start made the first seconds of
    any real room "speech" while the floor climbed to it (about four seconds
    for a quiet room's hiss: one long utterance, and a word said in it lost).
    The ceiling keeps a first frame that is already a voice (the stream opened
    as the person spoke) from being taken for the room.
    """

    margin_db: float = 9.0
    min_level_db: float = -60.0  # nothing quieter than this is speech
    rise_db_per_s: float = 3.0
    floor_db: float | None = None  # None: nothing heard yet
    # On this scale rooms in recorded commands sit at -77 to -39 (10th to 90th
    # percentile) and voices peak at -5 to +13: a first frame above -35 is a
    # voice or a sudden noise, not the room.
    start_ceiling_db: float = -35.0
    over_floor_db: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))

    def is_speech(self, levels_db: np.ndarray) -> np.ndarray:
        """Per frame: speech. ``over_floor_db`` is then each frame's level over the floor."""
        out = np.zeros(levels_db.shape, dtype=bool)
        over = np.full(levels_db.shape, -np.inf, dtype=np.float32)  # digital silence
        rise = self.rise_db_per_s * FRAME_SECONDS
        floor = self.floor_db
        for i, level in enumerate(levels_db):
            level = float(level)
            if level <= DIGITAL_SILENCE_DB:
                continue  # no sound at all (a gap, padding): it says nothing about the room
            if floor is None:
                floor = min(level, self.start_ceiling_db)
            floor = level if level < floor else floor + rise
            over[i] = level - floor
            out[i] = level >= self.min_level_db and level >= floor + self.margin_db
        self.floor_db = floor
        self.over_floor_db = over
        return out

    def reset(self) -> None:
        self.floor_db = None


def voiced_seconds(pcm: np.ndarray, threshold: float = 0.45) -> float:
    """Seconds of voicing (a clear pitch between 70 and 400 Hz) in ``pcm``.

    Every command has a vowel, and vowels are periodic; running water, a fan
    or a bike are not. Utterances with almost no voicing are noise, whatever
    the engine matched them to. Normalised autocorrelation on 30 ms windows,
    10 ms apart.
    """
    x = pcm.astype(np.float32)
    win, hop = 480, 160
    if x.size < win:
        return 0.0
    frames = np.lib.stride_tricks.sliding_window_view(x, win)[::hop]
    frames = frames - frames.mean(axis=1, keepdims=True)
    energy = np.sum(frames * frames, axis=1)
    spec = np.fft.rfft(frames, 2 * win, axis=1)
    ac = np.fft.irfft(np.abs(spec) ** 2, axis=1)[:, :win]
    peak = ac[:, 40:229].max(axis=1) / (ac[:, 0] + 1e-9)
    loud = energy > 1e-6 * win * 32768.0**2  # ignore near-silent frames (-60 dBFS)
    return float(np.sum((peak > threshold) & loud)) * hop / RATE_HZ

"""The Listener: microphone frames in, commands out, on the audio clock.

    frames ─▶ echo canceller ─▶ VAD + echo gate ─▶ segmenter ─▶ engine ─▶ rules ─▶ Heard
                  ▲                    ▲
                  └── playing(block) ──┘   (exactly what the speaker plays, and when)

A command is a short, isolated utterance. An utterance is rejected when it is
longer than ``max_seconds`` (a sentence, a radio, the coach itself), when the
engine's garbage path or ``[unk]`` won, when its confidence is under
``min_confidence``, or when its words do not parse as one command. Every
timeout counts audio time, so a recording gives the same answers every run.

``Heard.at`` is the end of the speech (the last voiced frame). The decision
comes ``end_seconds`` of silence later; ``last_decision_at`` records it, so
callers can measure latency as ``decided_at - Heard.at``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from coach.commands.intents import Intent
from coach.commands.parser import Vocabulary, load_vocabulary, parse
from coach.core.events import Heard
from coach.speech_in.echo import (
    EchoCanceller,
    EchoGate,
    ReferenceTimeline,
    estimate_delay_samples,
    levels,
)
from coach.speech_in.engine import Engine, Hypothesis
from coach.speech_in.vad import FRAME_SAMPLES, EnergyVad, Segmenter, SegmentEvent, voiced_seconds

RATE_HZ = 16000
FRAME_SECONDS = FRAME_SAMPLES / RATE_HZ
# Correlation of a second of microphone with the played reference above which
# that second is taken to be echo alone (a person talking over it lowers it).
ECHO_ONLY_QUALITY = 0.6
ECHO_MIN_FRAMES = 20  # of the coach playing in that second, to measure anything
ECHO_JUMP_DB = 6.0  # the echo this much louder than when an utterance began: distrust it


@dataclass(frozen=True)
class Decision:
    """What became of one utterance (kept for ``coach hear`` and the benchmark)."""

    heard: Heard | None
    hypothesis: Hypothesis
    reason: str  # "accepted", "too-long", "garbage", "low-confidence", "not-a-command",
    # "not-expected", "echo", "too-short", "noise"
    speech_start: float  # s, audio clock
    speech_end: float  # s
    decided_at: float  # s


@dataclass(frozen=True)
class ListenerConfig:
    max_seconds: float = 1.8  # longer speech is not a command
    min_seconds: float = 0.12  # shorter bursts are clicks
    min_confidence: float = 0.0
    end_seconds: float = 0.25  # hangover: silence that ends an utterance
    start_seconds: float = 0.05
    pre_roll_seconds: float = 0.25  # audio kept from before the VAD fired
    vad_margin_db: float = 9.0
    echo_cancel: bool = True
    echo_gate: bool = True
    min_echo_free_fraction: float = 0.35  # of voiced frames the echo cannot explain
    min_voiced_seconds: float = 0.05  # pitched frames: every command has a vowel, noise has none
    max_echo_delay_seconds: float = 0.3  # speaker-to-mic latency searched for (sound card + room)


VOSK_CONFIG = ListenerConfig(min_confidence=0.6)  # Vosk word confidences are calibrated


class Listener:
    """Feeds an Engine the isolated utterances it hears and keeps only commands."""

    def __init__(
        self,
        engine: Engine,
        vocabulary: Vocabulary | None = None,
        config: ListenerConfig | None = None,
    ) -> None:
        self.engine = engine
        self.vocabulary = vocabulary or load_vocabulary()
        self.config = config or ListenerConfig()
        self.description = f"{engine.name} ({self.vocabulary.language or 'en'})"
        self.decisions: list[Decision] = []  # every utterance, newest last
        self.last_decision_at: float | None = None
        self.expected: frozenset[Intent] | None = None  # None: every command
        self.reset()

    def expect(self, intents: Collection[Intent] | None) -> None:
        """Listen only for ``intents`` from the next decision on (None: all).

        The session knows what fits the moment (coach.core.expect); an engine
        that can narrow its grammar does so, which is where the accuracy comes
        from, and any other engine's answers are filtered.
        """
        wanted = None if intents is None else frozenset(intents)
        if wanted == self.expected:
            return
        self.expected = wanted
        listen_for = getattr(self.engine, "listen_for", None)
        if listen_for is not None:
            phrases = None if wanted is None else tuple(
                p for intent, ps in self.vocabulary.phrases().items() if intent in wanted
                for p in ps)
            listen_for(phrases)

    def reset(self) -> None:
        c = self.config
        self._vad = EnergyVad(margin_db=c.vad_margin_db)
        self._seg = Segmenter(start_seconds=c.start_seconds, end_seconds=c.end_seconds)
        self._reference = ReferenceTimeline()
        self._canceller = EchoCanceller()
        self._gate = EchoGate()
        self._pending = np.zeros(0, dtype=np.int16)
        self._next_sample: int | None = None
        self.echo_delay_samples = 0  # found by cross-correlation while the coach speaks
        self._recent_mic: list[np.ndarray] = []
        self._delay_candidate: int | None = None
        self._delay_known = self.config.max_echo_delay_seconds <= 0
        self._recent_first = 0
        self._pre = deque[np.ndarray](maxlen=max(1, int(c.pre_roll_seconds / FRAME_SECONDS)))
        self._in_utt = False
        self._too_long = False
        self._gain_at_start = 0.0
        self._utt_start = 0.0
        self._last_voiced_end = 0.0
        self._voiced = 0
        self._echo_free = 0
        self._ref_active_frames = 0
        self._utt_frames = 0
        self._audio: list[np.ndarray] = []
        self.decisions = []

    # The coach's own output: the echo reference.
    def playing(self, block: np.ndarray, at: float) -> None:
        self._reference.add(np.asarray(block).reshape(-1), at)

    def feed(self, frames: np.ndarray, at: float) -> list[Heard]:
        """Microphone samples (16 kHz mono int16) whose first sample is at ``at``."""
        samples = np.asarray(frames, dtype=np.int16).reshape(-1)
        start = round(at * RATE_HZ)
        if self._next_sample is None or abs(start - (self._next_sample + self._pending.size)) > 1:
            self._pending = np.zeros(0, dtype=np.int16)  # a gap: restart framing here
            self._next_sample = start
        data = np.concatenate([self._pending, samples])
        n_frames = data.size // FRAME_SAMPLES
        self._pending = data[n_frames * FRAME_SAMPLES :]
        if n_frames == 0:
            return []
        block = data[: n_frames * FRAME_SAMPLES]
        first = self._next_sample
        self._next_sample = first + n_frames * FRAME_SAMPLES
        return self._process(block, first)

    def _track_delay(self, block: np.ndarray, first_sample: int) -> None:
        """Every second of coach speech, look for the speaker-to-mic delay again."""
        if not self._recent_mic:
            self._recent_first = first_sample
        self._recent_mic.append(block)
        have = sum(b.size for b in self._recent_mic)
        if have < RATE_HZ:
            return
        mic = np.concatenate(self._recent_mic)
        self._recent_mic = []
        max_lag = round(self.config.max_echo_delay_seconds * RATE_HZ)
        ref = self._reference.get(self._recent_first - max_lag, mic.size + max_lag)
        if float(np.mean(ref * ref)) < 1e4:
            return  # the coach was (nearly) silent: nothing to learn from
        # ref starts max_lag early, so its alignment with mic at offset k means a delay of max_lag - k.
        offset, quality = estimate_delay_samples(ref, mic, max_lag)
        delay = max_lag - offset
        if quality >= ECHO_ONLY_QUALITY:  # the mic heard the coach and little else
            # Frame by frame, mic level over the reference's; the lower quartile
            # of the frames where the coach was playing is the echo's own gain,
            # even when a person spoke over part of the second.
            mic_db = levels(mic[: mic.size - mic.size % FRAME_SAMPLES])
            ref_db = levels(ref[offset : offset + mic_db.size * FRAME_SAMPLES])
            playing = ref_db > self._gate.active_level_db
            if playing.sum() >= ECHO_MIN_FRAMES:
                self._gate.echo_measured(float(np.percentile((mic_db - ref_db)[playing], 25)))
        # Small shifts are inside the canceller's taps; only a real change, seen
        # twice in a row (a voice's pitch period can fool one estimate), restarts it.
        near = self._canceller.taps // 4
        if quality < 0.3:
            self._delay_candidate = None
            return
        if abs(delay - self.echo_delay_samples) <= near:
            self._delay_known = True
            self._delay_candidate = None
            return
        if self._delay_candidate is not None and abs(delay - self._delay_candidate) <= near:
            self.echo_delay_samples = delay
            self._delay_known = True
            self._canceller.reset()
            self._gate = EchoGate()  # what it learnt was measured against the wrong moment
            self._delay_candidate = None
        else:
            self._delay_candidate = delay

    def _ref_envelope(self, first_sample: int, n: int) -> np.ndarray:
        """The loudest reference level each mic frame could be hearing.

        Until the speaker-to-mic delay is known, any moment of the last
        ``max_echo_delay_seconds`` may be arriving now; once known, a couple of
        frames either side cover the room's spread.
        """
        back = 2 if self._delay_known else round(self.config.max_echo_delay_seconds / FRAME_SECONDS)
        start = first_sample - self.echo_delay_samples - back * FRAME_SAMPLES
        lv = levels(self._reference.get(start, n + back * FRAME_SAMPLES))
        windows = np.lib.stride_tricks.sliding_window_view(lv, back + 1)
        return windows.max(axis=1)[: n // FRAME_SAMPLES]

    def _process(self, block: np.ndarray, first_sample: int) -> list[Heard]:
        n = block.size
        taps = self._canceller.taps
        c = self.config
        if (c.echo_cancel or c.echo_gate) and c.max_echo_delay_seconds > 0:
            self._track_delay(block, first_sample)
        delay = self.echo_delay_samples
        ref = self._reference.get(first_sample - delay - taps + 1, n + taps - 1)
        ref_active = bool(np.any(np.abs(ref) > 30.0))
        ref_db = levels(ref[taps - 1 :])
        echo_free = np.ones(n // FRAME_SAMPLES, dtype=bool)
        if self.config.echo_gate and ref_active:
            echo_free = self._gate.frames_ok(levels(block), self._ref_envelope(first_sample, n))
        if self.config.echo_cancel and ref_active:
            # Learn the echo path only while the person is silent (no double talk):
            # adapting over their voice would teach the filter to cancel it.
            adapt = not bool(echo_free.any()) or not self.config.echo_gate
            clean = self._canceller.process(block.astype(np.float32), ref, adapt=adapt)
        else:
            clean = block.astype(np.float32)
        clean16 = np.clip(np.round(clean), -32768, 32767).astype(np.int16)
        speech = self._vad.is_speech(levels(clean16))
        if self.config.echo_gate and ref_active:
            # While the coach speaks, only frames louder than its echo can start
            # or extend an utterance, so a "stop" said over it stands on its own.
            speech = speech & echo_free
        out: list[Heard] = []
        frames = clean16.reshape(-1, FRAME_SAMPLES)
        for i, frame in enumerate(frames):
            t_end = (first_sample + (i + 1) * FRAME_SAMPLES) / RATE_HZ
            event = self._seg.process(FRAME_SECONDS, bool(speech[i]))
            if event is SegmentEvent.STARTED:
                self._start_utterance(t_end)
            if self._in_utt:
                self._utt_frames += 1
                if speech[i]:
                    self._voiced += 1
                    self._echo_free += int(echo_free[i])
                    self._last_voiced_end = t_end
                if ref_db[i] > self._gate.active_level_db:
                    self._ref_active_frames += 1
                if not self._too_long:
                    self.engine.accept(frame)
                    self._audio.append(frame)
                    if self._seg.speech_seconds > self.config.max_seconds:
                        self._too_long = True
            else:
                self._pre.append(frame)
            if event is SegmentEvent.ENDED:
                heard = self._end_utterance(t_end)
                if heard is not None:
                    out.append(heard)
        return out

    def _start_utterance(self, t_end: float) -> None:
        self._in_utt = True
        self._too_long = False
        self._voiced = self._echo_free = self._ref_active_frames = self._utt_frames = 0
        self._gain_at_start = self._gate.gain_db
        self.engine.begin()
        pre = list(self._pre)
        self._pre.clear()
        self._audio = list(pre)
        for f in pre:
            self.engine.accept(f)
        self._utt_start = t_end - self._seg.speech_seconds - len(pre) * FRAME_SECONDS

    def _end_utterance(self, now: float) -> Heard | None:
        self._in_utt = False
        c = self.config
        speech_end = self._last_voiced_end
        length = speech_end - self._utt_start
        if self._too_long or length > c.max_seconds + c.pre_roll_seconds:
            self.engine.finish()
            return self._decide(None, Hypothesis("", 0.0, False), "too-long", speech_end, now)
        hyp = self.engine.finish()
        audio, self._audio = self._audio, []
        if self._voiced * FRAME_SECONDS < c.min_seconds:
            return self._decide(None, hyp, "too-short", speech_end, now)
        if c.min_voiced_seconds > 0 and voiced_seconds(np.concatenate(audio)) < c.min_voiced_seconds:
            return self._decide(None, hyp, "noise", speech_end, now)
        if not hyp.in_grammar or not hyp.text:
            return self._decide(None, hyp, "garbage", speech_end, now)
        if hyp.confidence < c.min_confidence:
            return self._decide(None, hyp, "low-confidence", speech_end, now)
        if self._ref_active_frames and self._voiced and (
            self._echo_free / self._voiced < c.min_echo_free_fraction
            # The echo grew louder while this was said: it was judged against
            # the quieter echo the gate knew, so it may be the coach itself.
            or self._gate.gain_db - self._gain_at_start > ECHO_JUMP_DB
        ):
            return self._decide(None, hyp, "echo", speech_end, now)
        parsed = parse(hyp.text, self.vocabulary)
        if parsed is None:
            return self._decide(None, hyp, "not-a-command", speech_end, now)
        if self.expected is not None and parsed.intent not in self.expected:
            return self._decide(None, hyp, "not-expected", speech_end, now)
        heard = Heard(parsed.intent, hyp.text, hyp.confidence, speech_end, parsed.number)
        return self._decide(heard, hyp, "accepted", speech_end, now)

    def _decide(
        self, heard: Heard | None, hyp: Hypothesis, reason: str, end: float, now: float
    ) -> Heard | None:
        self.decisions.append(Decision(heard, hyp, reason, self._utt_start, end, now))
        del self.decisions[:-100]
        self.last_decision_at = now
        return heard

    def now(self) -> float:
        """The audio clock: the time just after the last sample fed."""
        if self._next_sample is None:
            return 0.0
        return (self._next_sample + self._pending.size) / RATE_HZ

    def flush(self) -> list[Heard]:
        """End of input: feed silence long enough to close an open utterance."""
        silence = np.zeros(int((self.config.end_seconds + 0.05) * RATE_HZ), dtype=np.int16)
        return self.feed(silence, self.now())


def make_listener(
    engine: str | None = None,
    model: str | None = None,
    vocabulary: Vocabulary | None = None,
    config: ListenerConfig | None = None,
) -> Listener:
    """A Listener on the best engine installed, or on the one asked for.

    ``engine`` is "vosk", "sphinx" or None. None picks Vosk when a model is
    found (``model``, $COACH_VOSK_MODEL, or a voice_models folder) and
    PocketSphinx otherwise. Loading takes 0.3-1 s for PocketSphinx and about
    6 s for the Korean Vosk model from PyPI on a busy 2-core machine; the
    runtime may call this in a thread (nothing here touches audio devices).
    """
    from coach.errors import CoachError
    from coach.speech_in.models import find_vosk_model

    vocab = vocabulary or load_vocabulary()
    lang = (vocab.language or "en").split("-")[0]
    if engine not in (None, "vosk", "sphinx"):
        raise CoachError(f"Unknown speech engine '{engine}'. Use 'vosk' or 'sphinx'.")
    if engine in (None, "vosk"):
        path = find_vosk_model(model, lang=lang)
        if path is not None:
            from coach.speech_in.vosk_engine import VoskEngine

            return Listener(VoskEngine(vocab, path), vocab, config or VOSK_CONFIG)
        if engine == "vosk":
            from coach.speech_in.models import FETCH_HINT

            raise CoachError(f"No Vosk model for '{lang}' was found. {FETCH_HINT}")
    from coach.speech_in.sphinx import SphinxEngine

    return Listener(SphinxEngine(vocab), vocab, config)

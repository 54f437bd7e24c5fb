"""The live coach's ears: an input of the loop that dates the microphone and recognises it.

The recogniser loads on a thread of its own (seconds, for a Vosk model)
while the welcome is spoken; until it is there, typed commands work alone.
Then, each step:

- what the speaker's pump played (``played``, from the pump's thread) goes
  to the echo-delay estimator and to the recogniser as its echo reference;
- each microphone block is dated on the session clock: the speaker's
  position when the block arrived anchors the first, and each next block
  starts where the last ended, so the echo reference stays aligned sample
  for sample. A block far from where it should be (lost input, a stall)
  anchors again, and so does a skip of the speaker's queue (an urgent cut:
  its frame count jumped). The echo delay measured is taken off, so the
  recogniser hears the person on the session's clock;
- the recogniser's commands (decided now, or by its background decoder
  since the last step) come out as ``Heard`` events;
- while the recogniser is idle (no word under way, no decode out, the
  coach silent) the microphone wakes the loop every few blocks, not every
  one (``IDLE_WAKE_BLOCKS``).

A microphone that stops, or a recogniser that fails (its loader or its
decoder thread dying included), is said once; the session carries on with
typed commands.
"""

from __future__ import annotations

import collections
import functools
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from coach.audio.format import RATE_HZ
from coach.core.events import Event, Heard
from coach.errors import CoachError
from coach.runtime.clock import LiveClock
from coach.runtime.messages import runtime_line
from coach.runtime.listen_for import ListenFor
from coach.runtime.text_voice import TranscriptLine, heard_text, load_heard_words
from coach.speech_in.command_listener import CommandListener, open_listener, rejected
from coach.speech_in.echo_delay import BULK, EchoDelay
from coach.speech_in.not_understood import not_understood
from coach.workers import Failure, Failures

if TYPE_CHECKING:
    from coach.audio.devices import Microphone, Speaker
    from coach.audio.wavfile import WavWriter
    from coach.speech_in.decision import Decision

MIC_SILENT_SECONDS = 3.0  # no microphone block for this long: it is gone
MIC_RESYNC_SECONDS = 0.25  # microphone time this far from the speaker's: anchor it again
# While nobody speaks and the coach is silent, the microphone wakes the loop every
# second block (80 ms) instead of every one: the recogniser hears the same samples on
# the same clock, up to 40 ms later, and the loop wakes half as often for nothing.
IDLE_WAKE_BLOCKS = 2


@dataclass(frozen=True)
class Hearing:
    """What the ears need to know from the run: how to listen, and how to tell the person."""

    engine: str | None  # "whisper", "vosk", "sphinx", or None for the best installed
    model: str | None  # a Vosk model folder
    input_device: str | None  # an index or part of a name; None: the default
    show_rejected: bool  # print what was heard but not taken as a command, and why
    record_mic: Path | None  # keep what the microphone heard (only when asked)


class DecisionsSeen:
    """Which of the recogniser's decisions were shown already.

    The recogniser keeps only its last hundred decisions, so a count of those
    seen stops meaning anything after a hundred utterances; the last one
    shown is looked for instead.
    """

    def __init__(self) -> None:
        self._last: Decision | None = None

    def new(self, decisions: Sequence[Decision]) -> list[Decision]:
        """The decisions after the last one shown (all of them when it is gone), now shown."""
        start = 0
        for i in range(len(decisions) - 1, -1, -1):
            if decisions[i] is self._last:
                start = i + 1
                break
        if decisions:
            self._last = decisions[-1]
        return list(decisions[start:])


class LiveMicrophone:
    """See the module docstring. Every method but ``played`` runs on the loop's thread."""

    def __init__(self, hearing: Hearing, clock: LiveClock, ears: ListenFor, *,
                 note: Callable[[str], None], say_once: Callable[..., None],
                 show: Callable[[TranscriptLine], None], failures: Failures,
                 wake: threading.Event | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        """``wake`` is set when a microphone block or a decode is ready (the loop waits
        on it); ``monotonic`` (seconds) tells a microphone that went silent; tests
        pass their own."""
        self.hearing = hearing
        self.wake = wake if wake is not None else threading.Event()
        self.failures = failures  # the loader's death goes there, as "microphone"
        self.clock = clock
        self.ears = ears  # the session's Listen actions, for the recogniser
        self.note = note
        self.say_once = say_once
        self.show = show
        self.speaker: Speaker | None = None
        self.mic: Microphone | None = None
        self.listener: CommandListener | None = None
        self.echo_delay = EchoDelay(BULK)  # the microphone is dated with it taken off
        self._played: collections.deque[tuple[np.ndarray, float]] = collections.deque()
        self._loader: threading.Thread | None = None
        self._loaded: list[Any] = []
        self._monotonic = monotonic
        self._last_block = monotonic()
        self._next_at: float | None = None  # session time of the next microphone sample
        self._skips = 0  # the speaker's skips the dating has followed
        self._seen = DecisionsSeen()
        self._record: WavWriter | None = None
        self._measure_told = False

    @property
    def gone(self) -> bool:
        """No microphone, and none on its way: nobody can be heard."""
        return self.mic is None and self._loader is None

    def follow(self, speaker: Speaker) -> None:
        """Date the microphone by ``speaker``; the echo starts as a guess from its latency."""
        self.speaker = speaker
        # a first guess until the echo is measured: both buffers' latency
        self.echo_delay.delay_samples = round(2 * speaker.latency_seconds * RATE_HZ)

    def played(self, block: np.ndarray, at: float) -> None:
        """What the speaker played from ``at`` on (the pump's thread: only queued here)."""
        self._played.append((block, at))

    # -- start-up ---------------------------------------------------------------
    def load(self) -> None:
        """Open the microphone and load the recogniser, on a thread of their own."""
        from coach.audio.devices import Microphone, pick_device

        def load() -> None:
            try:
                index = pick_device(self.hearing.input_device, "input")
                if index is None:
                    self._loaded.append(CoachError("no microphone"))
                    return
                mic = Microphone(index, self.speaker, wake=self.wake)
                listener = open_listener(self.hearing.engine, self.hearing.model,
                                         background=True)
                load_heard_words()  # read now, not when the first command comes
                listener.on_decoded(self.wake.set)
                mic.start()
                self._loaded.extend([mic, listener])
            except CoachError as exc:
                self._loaded.append(exc)

        self._loader = self.failures.thread(load, name="coach-loader", what="microphone")

    def failed(self, failure: Failure) -> None:
        """The loader died (reported through ``failures``): said once, typed commands go on."""
        self.say_once("listener_failed", detail=failure.detail)
        self.close()

    def _collect(self) -> None:
        if self._loader is None or self._loader.is_alive():
            return
        self._loader = None
        failure = next((x for x in self._loaded if isinstance(x, CoachError)), None)
        if failure is not None:
            self.say_once("no_microphone", detail=str(failure))
            return
        if len(self._loaded) < 2:  # the loader died half way: ``failed`` says so
            for opened in self._loaded:
                opened.close()
            return
        self.mic, listener = self._loaded[0], self._loaded[1]
        self.listener = listener
        self.ears.attach(listener)
        if self.hearing.record_mic is not None:
            from coach.audio.wavfile import WavWriter

            self._record = WavWriter(self.hearing.record_mic, RATE_HZ)
        self._last_block = self._monotonic()
        self.note(runtime_line("listening", name=self.hearing.input_device or "the default",
                               engine=listener.description))
        if listener.fallback:
            self.say_once("engine_fallback", detail=listener.fallback)

    def _check(self) -> None:
        mic = self.mic
        if mic is None:
            return
        silent = self._monotonic() - self._last_block > MIC_SILENT_SECONDS
        lost = mic.check() or ("the microphone stopped sending sound" if silent else None)
        if lost is not None:
            self.say_once("microphone_lost", detail=lost)
            self.close()

    # -- each step ----------------------------------------------------------------
    def events(self, now: float) -> Iterator[Event]:
        self._collect()
        self._check()
        while self._played:
            block, at = self._played.popleft()
            self.echo_delay.played(block, round(at * RATE_HZ))
            if self.listener is not None:
                self._safely(functools.partial(self.listener.playing, block, at))
        mic = self.mic
        if mic is None:
            return
        while self.listener is not None:
            try:
                item = mic.blocks.get_nowait()
            except queue.Empty:
                break
            self._last_block = self._monotonic()
            if item.overflow:
                self.say_once("input_overflow", spoken=False)
            if item.speaker_skips != self._skips:
                # The speaker skipped queued sound (an urgent cut): its frame count
                # jumped, and the microphone's dating follows it, so the echo
                # reference stays lined up with what was really played.
                self._skips = item.speaker_skips
                self._next_at = None
            raw = self._heard_at(item.speaker_frame, len(item.samples))
            self._next_at = raw + len(item.samples) / RATE_HZ
            self.echo_delay.heard(item.samples, round(raw * RATE_HZ))
            if self._record is not None:
                self._record.write(item.samples)
            if self.echo_delay.measured and not self._measure_told:
                self._measure_told = True
                self.note(runtime_line("echo_measured", ms=round(1000 * self.echo_delay.seconds)))
            at = raw - self.echo_delay.seconds
            heard = self._safely(functools.partial(self.listener.feed, item.samples, at))
            yield from self._hear(heard or [])
            yield from self._not_understood()
        if self.listener is not None:  # a decode the worker finished after the last block
            yield from self._hear(self._safely(self.listener.poll) or [])
            yield from self._not_understood()
        listener = self.listener
        if listener is not None:
            mic.wake_every = IDLE_WAKE_BLOCKS if listener.idle else 1

    @property
    def idle(self) -> bool:
        """Nothing to hear in a hurry: the microphone wakes the loop every few blocks
        (nobody speaking, the coach silent), or there is no microphone yet."""
        return self.mic is None or self.mic.wake_every > 1

    def _not_understood(self) -> Iterator[Event]:
        """Each utterance rejected since the last look, for the session to answer
        (it speaks only where the recogniser heard words); printed with --show-rejected."""
        listener = self.listener
        if listener is None:
            return
        for decision in self._seen.new(listener.decisions):
            if self.hearing.show_rejected:
                for text in rejected([decision]):
                    self.note(text)
            event = not_understood(decision)
            if event is not None:
                yield event

    def _hear(self, heard: list[Heard]) -> Iterator[Heard]:
        for h in heard:
            self.show(TranscriptLine(h.at, "you", heard_text(h, raw=self.hearing.show_rejected)))
            yield h

    def _heard_at(self, speaker_frame: int | None, frames: int) -> float:
        """When the block's first sample was heard, on the session clock (before the echo delay).

        Microphone samples follow one another: each block starts where the
        last ended. The speaker position (or the clock) only anchors the
        first block, and anchors again after lost input (an overflow, a stall).
        """
        clock = self.clock
        if speaker_frame is not None and clock.audio:
            measured = speaker_frame / RATE_HZ - frames / RATE_HZ  # the echo delay comes off later
        else:
            measured = clock.now() - clock.lookahead_seconds * clock.audio - frames / RATE_HZ
        expected = self._next_at
        if expected is None or abs(measured - expected) > MIC_RESYNC_SECONDS:
            return max(0.0, measured)
        return expected

    def _safely(self, work: Callable[[], Any]) -> Any:
        """Run recogniser work; if it fails, say so once and carry on with keys."""
        try:
            return work()
        except Exception as exc:  # noqa: BLE001 - any recogniser fault must not end the session
            self.say_once("listener_failed", detail=f"{type(exc).__name__}: {exc}")
            self.close()
            return None

    # -- shutdown -------------------------------------------------------------------
    def close(self) -> None:
        mic, self.mic = self.mic, None
        if mic is not None:
            mic.close()
        listener, self.listener = self.listener, None
        self.ears.attach(None)
        if listener is not None:
            listener.close()

    def close_record(self) -> None:
        if self._record is not None:
            self._record.close()

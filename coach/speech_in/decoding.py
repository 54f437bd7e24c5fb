"""Running the engine on finished utterances: inline, or on a worker thread.

The Listener cuts utterances out of the microphone on the audio clock; what
the engine makes of one can take a while (Whisper: 50-150 ms on two cores).
Live, that work must not hold up the thread that feeds the count, so it runs
on one worker of its own; in tests, ``coach hear`` and the benchmark it runs
inline, which gives the same answer every run.

The engine is only ever touched by the thread that decodes: what to listen
for and the question just asked travel with each utterance, and are handed
to the engine just before its decode, never changed under a running one.
An engine's error on one utterance is that utterance's result; a worker
that dies all the same makes ``take`` raise, so nobody waits for it forever.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from coach.commands.intents import Intent
from coach.errors import CoachError
from coach.speech_in.engine import Engine, Hypothesis
from coach.speech_in.keywords import ALONE_SECONDS
from coach.workers import Failures


@dataclass(frozen=True)
class Utterance:
    """An utterance for the engine, with the moment it was said in."""

    audio: np.ndarray  # 16 kHz mono int16, pre-roll included
    start: float  # s on the audio clock
    end: float  # s, the last voiced frame
    ended_at: float  # s, when the hangover closed it
    expected: frozenset[Intent] | None  # what fitted the moment (None: every command)
    phrases: tuple[str, ...] | None  # what the engine is told to listen for
    question: str  # the line the coach last asked ("" for none)
    generation: int  # Listener.reset() starts a new one; older results are dropped
    utterance_id: int = 0  # which utterance of the generation
    early: bool = False  # decoded at a pause, before the hangover ended it
    decisive: frozenset[Intent] = frozenset()  # taken only when the engine is sure of them
    sound_alikes: frozenset[Intent] = frozenset()  # also taken from their heard_as spellings
    after_speech: float = math.inf  # s from the end of the speech before it to its start
    answers: frozenset[Intent] = frozenset()  # the question's own: all a word told by its sound gives


@dataclass(frozen=True)
class Decoded:
    utterance: Utterance
    hypothesis: Hypothesis
    seconds: float  # wall time of the decode
    error: Exception | None = None  # the engine failed on this utterance
    # Inline: on the audio clock, when one worker would have had the answer (it starts
    # when the utterance is handed over, or when the decode before it is done).
    # None on the worker, which knows no audio clock.
    ready_at: float | None = None


class Decoder:
    """Decodes utterances in order; ``take()`` hands back the finished ones."""

    def __init__(
        self,
        engine: Engine,
        *,
        background: bool = False,
        accepts: Callable[[Utterance, Hypothesis], bool] | None = None,
    ) -> None:
        self.engine = engine
        self.background = background
        # Whether a hypothesis would be taken as a command: when the engine's
        # answer is not, an engine that can try again (``rescues``) does.
        self.accepts = accepts
        self._done: deque[Decoded] = deque()
        self._jobs: queue.SimpleQueue[Utterance | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._failures = Failures()
        self._died: str | None = None  # what ended the worker
        self._phrases: tuple[str, ...] | None = None
        self._question = ""
        self._pending = 0
        self._free_at = 0.0  # inline: the audio time the last decode would have ended
        self._clock = -1  # the generation whose audio clock _free_at is on (reset starts another)
        # Called on the worker each time a decode is done, so that a loop that
        # waits for data looks at once (``take``) rather than at its next step.
        self.on_done: Callable[[], None] | None = None

    @property
    def pending(self) -> int:
        """Utterances submitted and not yet taken back."""
        return self._pending

    def submit(self, utterance: Utterance) -> None:
        self._pending += 1
        if not self.background:
            done = self._decode(utterance)
            if utterance.generation != self._clock:
                self._clock, self._free_at = utterance.generation, 0.0
            self._free_at = max(utterance.ended_at, self._free_at) + done.seconds
            self._done.append(replace(done, ready_at=self._free_at))
            return
        if self._thread is None:
            self._thread = self._failures.thread(self._work, name="coach-decode", what="decoder")
        self._jobs.put(utterance)

    def take(self) -> list[Decoded]:
        """The finished decodes; raises CoachError once the worker has died."""
        self._check()
        out: list[Decoded] = []
        while self._done:
            out.append(self._done.popleft())
        self._pending -= len(out)
        return out

    def wait(self, timeout_seconds: float = 5.0) -> None:
        """Block until every submitted utterance is decoded (end of input, tests)."""
        deadline = time.monotonic() + timeout_seconds
        while len(self._done) < self._pending and time.monotonic() < deadline:
            if self._died is not None or self._failures.pending:
                return
            time.sleep(0.002)

    def _check(self) -> None:
        for failure in self._failures.take():
            self._died = failure.detail
        if self._died is not None:
            raise CoachError(f"The speech decoder stopped ({self._died}).")

    def close(self) -> None:
        if self._thread is not None:
            self._jobs.put(None)
            self._thread = None

    def _work(self) -> None:
        while (utterance := self._jobs.get()) is not None:
            self._done.append(self._decode(utterance))
            if self.on_done is not None:
                self.on_done()

    def _decode(self, utterance: Utterance) -> Decoded:
        engine = self.engine
        t0 = time.perf_counter()
        try:
            if utterance.phrases != self._phrases:
                engine.listen_for(utterance.phrases)
                self._phrases = utterance.phrases
            if utterance.question != self._question:
                engine.prompt_with(utterance.question)
                self._question = utterance.question
            engine.begin()
            engine.accept(utterance.audio)
            hypothesis = engine.finish()
            if self.accepts is not None and not self.accepts(utterance, hypothesis):
                for again in engine.rescues():
                    if again.by_sound and utterance.after_speech < ALONE_SECONDS:
                        continue  # told by its sound, but not said on its own
                    if self.accepts(utterance, again):
                        hypothesis = again
                        break
        except Exception as exc:  # noqa: BLE001 - reported by the listening thread
            return Decoded(utterance, Hypothesis("", 0.0, False), time.perf_counter() - t0, exc)
        return Decoded(utterance, hypothesis, time.perf_counter() - t0)

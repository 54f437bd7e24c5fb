"""A simulated room: what a microphone there hears, block by block, and the recogniser hearing it.

The demo and the soak have no sound card. The person's phrases are placed in
the room at the sample they were said; the coach's own voice comes back from
the speaker (an echo 15 dB under what it plays, or through a room's echo
path), and there is a little room noise. ``SimulatedMicrophone`` is the loop's input
that takes each block the speaker played, hears it in the room, and passes
the microphone through the real recogniser, or, with no recogniser, takes
each phrase as typed text when it ends.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np

from coach.audio.format import BLOCK_FRAMES, RATE_HZ, SAMPLE_TYPE
from coach.commands.intents import Intent
from coach.core.events import Event, Heard
from coach.runtime.live_microphone import DecisionsSeen
from coach.speech_in.command_listener import CommandListener
from coach.speech_in.not_understood import not_understood
from coach.speech_in.typed import TypedText

ECHO_GAIN = 0.18  # the coach's voice as the microphone hears it: 15 dB under what it plays
# The simulated room returns the echo on the reference's own timeline: the live
# coach measures the real delay (coach.speech_in.echo_delay) and lines the
# microphone up the same way before the Listener sees it.
ECHO_DELAY_SECONDS = 0.0
NOISE_LEVEL = 5.0  # rms of the room noise, in int16 units (about -76 dBFS): a quiet room
PERSON_GAIN = 1.0


@dataclass
class SpokenPhrase:
    """A phrase the person said: from ``start_sample`` on, for as long as ``pcm`` lasts."""

    phrase: str
    intent: Intent
    start_sample: int
    pcm: np.ndarray  # RATE_HZ mono int16
    tries: int = 1

    @property
    def end_sample(self) -> int:
        return self.start_sample + len(self.pcm)


@dataclass
class SimulatedRoom:
    """The person, the coach's echo and the room's noise, mixed into microphone blocks."""

    seed: int = 7
    echo_gain: float = ECHO_GAIN
    noise_level: float = NOISE_LEVEL
    # The echo through a room instead of at a gain: each played block in, its share
    # of the microphone out, the room's ring of earlier blocks included (a benchmark's
    # loudspeaker-to-microphone path, scripts/living_room.py).
    echo_path: Callable[[np.ndarray], np.ndarray] | None = None
    _sounding: list[SpokenPhrase] = field(default_factory=list)  # still in the microphone
    _echo: collections.deque[np.ndarray] = field(default_factory=collections.deque)

    def __post_init__(self) -> None:
        self._rng = np.random.default_rng(self.seed)
        delay_blocks = round(ECHO_DELAY_SECONDS * RATE_HZ / BLOCK_FRAMES)
        self._echo.extend([np.zeros(BLOCK_FRAMES, SAMPLE_TYPE)] * delay_blocks)

    def say(self, phrase: SpokenPhrase) -> None:
        self._sounding.append(phrase)

    def microphone(self, first_sample: int, played: np.ndarray) -> np.ndarray:
        """The microphone block from ``first_sample`` on, while the speaker played ``played``.

        What the speaker played ``ECHO_DELAY_SECONDS`` earlier reaches the
        microphone now, with the person and the noise.
        """
        self._echo.append(played)
        echo = self._echo.popleft()
        n = len(echo)
        echoed = (self.echo_gain * echo.astype(np.float64) if self.echo_path is None
                  else self.echo_path(echo).astype(np.float64))
        mic = self._rng.normal(0.0, self.noise_level, n) + echoed
        for u in self._sounding:
            lo, hi = max(first_sample, u.start_sample), min(first_sample + n, u.end_sample)
            if lo < hi:
                mic[lo - first_sample : hi - first_sample] += PERSON_GAIN * u.pcm[
                    lo - u.start_sample : hi - u.start_sample]
        self._sounding = [u for u in self._sounding if u.end_sample > first_sample + n]
        return np.clip(np.round(mic), -32768, 32767).astype(SAMPLE_TYPE)


class SimulatedMicrophone:
    """An input of the loop: what the speaker played, heard in the room, recognised.

    ``played`` (a clock's or a pump's hand-on) queues each block with its
    time; ``events`` mixes the microphone for each and feeds the recogniser,
    which hears the played block as its echo reference. With no recogniser,
    each phrase of ``spoken`` becomes typed text when it has been said. Each
    command goes to ``heard`` before the session gets it.
    """

    def __init__(self, room: SimulatedRoom, listener: CommandListener | None, *,
                 spoken: list[SpokenPhrase] | None = None, typed: TypedText | None = None,
                 heard: Callable[[Heard], None] = lambda _: None) -> None:
        self.room = room
        self.listener = listener
        self.spoken = spoken if spoken is not None else []
        self.typed = typed if typed is not None else TypedText()
        self.heard = heard
        self._played: collections.deque[tuple[np.ndarray, float]] = collections.deque()
        self._typed_done = 0  # phrases of ``spoken`` already taken as typed
        self.last_sound = 0.0  # s: the end of the coach's last audible block
        self._seen = DecisionsSeen()

    def played(self, block: np.ndarray, at: float) -> None:
        self._played.append((block, at))  # deque: safe from a pump's thread

    def events(self, now: float) -> Iterator[Event]:
        while self._played:
            block, at = self._played.popleft()
            if np.any(block):
                self.last_sound = at + len(block) / RATE_HZ
            first = round(at * RATE_HZ)
            mic = self.room.microphone(first, block)
            if self.listener is not None:
                self.listener.playing(block, at)
                found = self.listener.feed(mic, at)
            else:
                found = self._typed(first + len(block))
            for heard in found:
                self.heard(heard)
                yield heard
            yield from self._not_understood()
        if self.listener is not None:
            for heard in self.listener.poll():  # a background decode finished
                self.heard(heard)
                yield heard
            yield from self._not_understood()

    def _not_understood(self) -> Iterator[Event]:
        """Each utterance the recogniser rejected since the last look, for the session."""
        if self.listener is None:
            return
        for decision in self._seen.new(self.listener.decisions):
            event = not_understood(decision)
            if event is not None:
                yield event

    def _typed(self, now_sample: int) -> list[Heard]:
        """Each phrase taken as typed text, dated when it ends."""
        out = []
        while self._typed_done < len(self.spoken):
            u = self.spoken[self._typed_done]
            if u.end_sample > now_sample:
                break
            self._typed_done += 1
            heard = self.typed.heard(u.phrase, u.end_sample / RATE_HZ)
            if heard is not None:
                out.append(heard)
        return out

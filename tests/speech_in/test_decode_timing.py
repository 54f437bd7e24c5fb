"""When an answer is ready, on the audio clock, when the engine runs inline.

The benchmark and ``coach hear`` decode inline, so the audio clock stands
still while the engine works. Live, one worker decodes while the microphone
goes on: a decode at a pause runs during the hangover, and a decode handed
over while another runs waits for it. ``Decoded.ready_at`` is that worker's
time, and ``Decision.answered_at`` the moment the command could be acted on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np

from coach.speech_in.decision import Decision
from coach.speech_in.decoding import Decoder, Utterance
from coach.speech_in.engine import Hypothesis


class _SlowEngine:
    """Takes a few milliseconds of real work per utterance."""

    def listen_for(self, phrases: tuple[str, ...] | None) -> None: ...
    def prompt_with(self, question: str) -> None: ...
    def rescues(self) -> Iterator[Hypothesis]: return iter(())
    def begin(self) -> None: ...
    def accept(self, pcm: np.ndarray) -> None: ...

    def finish(self) -> Hypothesis:
        time.sleep(0.02)
        return Hypothesis("stop", 0.9, True)


def _utterance(ended_at: float, n: int, generation: int = 1) -> Utterance:
    return Utterance(np.zeros(1600, np.int16), ended_at - 0.3, ended_at - 0.1, ended_at,
                     None, None, "", generation, n)


def test_an_inline_decode_is_ready_its_own_time_after_it_was_handed_over() -> None:
    decoder = Decoder(_SlowEngine())  # type: ignore[arg-type]
    decoder.submit(_utterance(1.0, 1))
    (done,) = decoder.take()
    assert done.seconds > 0
    assert done.ready_at == 1.0 + done.seconds


def test_a_decode_handed_over_while_another_runs_waits_for_it() -> None:
    decoder = Decoder(_SlowEngine())  # type: ignore[arg-type]
    decoder.submit(_utterance(1.0, 1))
    decoder.submit(_utterance(1.0, 2))  # same moment: the worker is still busy
    decoder.submit(_utterance(5.0, 3))  # long after: the worker is free again
    first, second, third = decoder.take()
    assert second.ready_at == first.ready_at + second.seconds
    assert third.ready_at == 5.0 + third.seconds


def test_after_a_reset_the_clock_starts_again() -> None:
    """The listener's reset starts a new generation and its audio clock at zero: the
    decodes of the recording before it must not hold up the first of the next."""
    decoder = Decoder(_SlowEngine())  # type: ignore[arg-type]
    decoder.submit(_utterance(30.0, 1, generation=1))
    decoder.submit(_utterance(0.5, 1, generation=2))
    _, after = decoder.take()
    assert after.ready_at == 0.5 + after.seconds


def test_a_command_is_answered_once_decided_and_decoded() -> None:
    hyp = Hypothesis("go", 0.9, True)
    # A decode at the pause, done during the hangover: answered when the hangover ends.
    held = Decision(None, hyp, "accepted", 0.0, 0.5, decided_at=0.75, decode_seconds=0.1,
                    ready_at=0.7)
    assert held.answered_at == 0.75
    # Done after the hangover: answered when the decode is done.
    late = Decision(None, hyp, "accepted", 0.0, 0.5, decided_at=0.75, decode_seconds=0.2,
                    ready_at=0.8)
    assert late.answered_at == 0.8
    # Not known on the audio clock (a rule that needed no decode, or a live decision).
    assert Decision(None, hyp, "too-short", 0.0, 0.5, 0.75).answered_at == 0.75
    assert Decision(None, hyp, "accepted", 0.0, 0.5, 0.75, decode_seconds=0.1).answered_at == 0.85

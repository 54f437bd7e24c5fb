"""The echo-delay estimator: the lag of the coach's voice in the microphone, found and followed."""

from __future__ import annotations

import numpy as np

from coach.audio.format import RATE_HZ
from coach.speech_in.echo_delay import BULK, EchoDelay, _Recent, residual


def speech_like(seconds: float, seed: int = 1) -> np.ndarray:
    """Bursts of noise a few hundred ms long with gaps, at a voice's level."""
    rng = np.random.default_rng(seed)
    n = round(seconds * RATE_HZ)
    envelope = np.repeat(rng.random(n // 3200 + 1) > 0.3, 3200)[:n]
    return np.round(envelope * rng.normal(0, 4000, n)).astype(np.int16)


def run(estimator: EchoDelay, played: np.ndarray, delay_samples: int, gain: float,
        mic_block: int = 320) -> list[int]:
    """Feed what played and its echo; the believed delay after each measure."""
    echo = np.zeros(played.size, np.float64)
    echo[delay_samples:] = gain * played[: played.size - delay_samples]
    mic = np.round(echo + np.random.default_rng(2).normal(0, 20, played.size)).astype(np.int16)
    seen = []
    for start in range(0, played.size - mic_block + 1, mic_block):
        for k in range(start, start + mic_block, 160):
            estimator.played(played[k : k + 160], k)
        if estimator.heard(mic[start : start + mic_block], start) is not None:
            seen.append(estimator.delay_samples)
    return seen


def test_the_bulk_delay_of_a_sound_card_is_found() -> None:
    estimator = EchoDelay(BULK, initial_samples=1000)
    assert not estimator.measured and estimator.delay_samples == 1000  # a first guess
    run(estimator, speech_like(6.0), 2900, 0.3)  # 181 ms: output, server and input buffers
    assert estimator.measured and abs(estimator.delay_samples - 2900) <= 1
    assert estimator.quality > 0.9


def test_a_new_residual_delay_is_believed_when_measured_twice() -> None:
    estimator = EchoDelay(residual(0.3, 32))
    seen = run(estimator, speech_like(5.0), 480, 0.5)
    assert seen[0] == 0 and seen[1] == 480  # not on the first window, on the second
    assert estimator.measured


def test_a_silent_coach_teaches_nothing() -> None:
    estimator = EchoDelay(BULK)
    assert run(estimator, np.zeros(6 * RATE_HZ, np.int16), 800, 0.5) == []
    assert not estimator.measured and estimator.delay_samples == 0


def test_the_recent_samples_are_kept_by_their_number_across_gaps_and_overlaps() -> None:
    recent = _Recent(0.01)  # 160 samples
    recent.add(np.arange(100), 0)
    recent.add(np.arange(100, 150), 100)
    assert list(recent.window(150, 50)) == list(range(100, 150))
    recent.add(np.full(20, -1), 140)  # overwrites 140..149, adds 150..159
    assert list(recent.window(160, 30)) == list(range(130, 140)) + [-1] * 20
    recent.add(np.full(10, 7), 200)  # a gap of silence before it
    assert list(recent.window(210, 60)) == [-1] * 10 + [0] * 40 + [7] * 10
    assert recent.window(210, 161) is None and recent.window(211, 10) is None
    for start in range(210, 2000, 30):  # long after: only the last 160 are kept, in order
        recent.add(np.arange(start, start + 30), start)
    assert list(recent.window(2010, 160)) == list(range(1850, 2010))

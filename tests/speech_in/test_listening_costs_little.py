"""Listening in silence costs little, and hears exactly what it heard before.

While the coach says nothing the speaker still plays blocks of silence, and
the microphone still sends the room every 20 ms. None of that may cost
copying or filtering work, and none of the shortcuts may change a single
flag or sample: each is checked here against the long way round, on real
recordings and synthesised speech.
"""

from __future__ import annotations

import csv
import threading
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from coach.audio.format import RATE_HZ
from coach.audio.wavfile import read_audio
from coach.speech_in.echo import ReferenceTimeline, levels
from coach.speech_in.echo_delay import BULK, EchoDelay, _Recent
from coach.speech_in.decoding import Decoder, Utterance
from coach.speech_in.echo_filter import EchoFilter
from coach.speech_in.engine import Hypothesis
from coach.speech_in.scripted import synthesize
from coach.speech_in.silero import SileroVad
from coach.speech_in.vad import FRAME_SAMPLES


def _words(shared: Path, n: int) -> list[np.ndarray]:
    with open(shared / "manifest.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f)
                if r["word"] in ("stop", "five", "go") and r["dataset"] == "speech_commands"]
    return [read_audio(shared / r["path"]) for r in rows[:n]]


def _silero_flags(pcm: np.ndarray, block: int) -> np.ndarray:
    vad = SileroVad()
    return np.concatenate([vad.speech_frames(pcm[i : i + block])
                           for i in range(0, pcm.size, block)])


def test_silero_gives_the_same_flags_whatever_the_block(shared_audio: Path) -> None:
    pytest.importorskip("onnxruntime")
    gap = np.zeros(4000, np.int16)
    pcm = np.concatenate([x for w in _words(shared_audio, 6) for x in (gap, w)])
    pcm = pcm[: pcm.size - pcm.size % 4800]
    one_frame = _silero_flags(pcm, FRAME_SAMPLES)  # a frame at a time: the reference
    assert one_frame.sum() > 100  # the words were heard
    for block in (320, 480, 800, 4800):
        assert np.array_equal(_silero_flags(pcm, block), one_frame), block


def test_silence_noted_reads_as_zeros_added() -> None:
    rng = np.random.default_rng(7)
    added, noted = _Recent(0.05), _Recent(0.05)  # 800 samples
    at = 0
    for _ in range(400):
        n = int(rng.integers(1, 300))
        at = max(0, at + int(rng.integers(-150, 600)))  # gaps, and overlaps now and then
        if rng.random() < 0.6:
            added.add(np.zeros(n, np.float32), at)
            noted.add_silence(at, n)
        else:
            block = rng.standard_normal(n).astype(np.float32)
            added.add(block, at)
            noted.add(block, at)
        at += n
        assert added.end == noted.end
        for length in (1, 160, 800):
            a, b = added.window(noted.end, length), noted.window(noted.end, length)
            assert (a is None and b is None) or np.array_equal(a, b)


def _coach_speaking() -> np.ndarray:
    """Six seconds: the coach silent, a line, silent again, a line."""
    line = synthesize("Lift your leg slowly and hold it there.", "en-us", 160)
    out = np.zeros(6 * RATE_HZ, np.int16)
    for start in (RATE_HZ, 3 * RATE_HZ + RATE_HZ // 2):
        out[start : start + line.size] = line[: out.size - start]
    return out


def test_the_echo_filter_told_of_silence_works_as_one_told_nothing() -> None:
    played = _coach_speaking()
    rng = np.random.default_rng(3)
    delay = 480  # 30 ms from speaker to microphone
    mic = np.zeros(played.size, np.float64)
    mic[delay:] = 0.3 * played[:-delay]
    mic += rng.standard_normal(mic.size) * 40  # the room
    mic16 = np.clip(mic, -32768, 32767).astype(np.int16)
    told, untold = EchoFilter(), EchoFilter()
    for k in range(0, played.size, 320):
        for j in (k, k + 160):
            block = played[j : j + 160]
            told.playing(block, j / RATE_HZ)
            if block.any():
                untold.playing(block, j / RATE_HZ)
        a, b = told.filter(mic16[k : k + 320], k), untold.filter(mic16[k : k + 320], k)
        assert np.array_equal(a.clean, b.clean) and a.ref_active == b.ref_active
        assert np.array_equal(a.ref_db, b.ref_db) and np.array_equal(a.echo_free, b.echo_free)
    assert told.delay.measured and told.delay_samples == untold.delay_samples


def test_with_the_coach_silent_the_block_goes_through_untouched() -> None:
    f = EchoFilter()
    block = (np.random.default_rng(1).standard_normal(320) * 300).astype(np.int16)
    f.playing(np.zeros(160, np.int16), 0.0)
    out = f.filter(block, 0)
    assert np.array_equal(out.clean, block) and out.clean.dtype == np.int16
    assert not out.ref_active and out.echo_free.all()
    assert np.array_equal(out.ref_db, levels(np.zeros(320, np.float32)))  # as measured on silence


def test_the_bulk_delay_is_measured_the_same_with_silence_only_noted() -> None:
    played = _coach_speaking()
    mic = np.zeros(played.size, np.int16)
    mic[800:] = (played[:-800] * 0.5).astype(np.int16)
    zeros_added, noted = EchoDelay(BULK), EchoDelay(BULK)
    seen: list[tuple[int, int]] = []
    for k in range(0, played.size, 320):
        for j in (k, k + 160):
            noted.played(played[j : j + 160], j)  # silence only noted
            zeros_added._played.add(played[j : j + 160], j)  # every block written
        a, b = noted.heard(mic[k : k + 320], k), zeros_added.heard(mic[k : k + 320], k)
        assert (a is None) == (b is None)
        if a is not None and b is not None:
            assert (a.delay_samples, a.quality) == (b.delay_samples, b.quality)
            seen.append((a.delay_samples, b.delay_samples))
    assert seen and noted.delay_samples == 800


def test_a_long_silence_does_not_fill_the_reference_with_zeros() -> None:
    reference = ReferenceTimeline(keep_seconds=1.0)
    reference.add(np.ones(160, np.float32), 0.0)
    tracemalloc.start()
    try:
        reference.add(np.full(160, 2.0, np.float32), 600.0)  # ten minutes of silence later
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # ten minutes of zeros would be 38 MB
    assert reference.get(600 * RATE_HZ - 10, 20).tolist() == [0.0] * 10 + [2.0] * 10


class _Engine:
    """An engine at the edge: every utterance is "stop"."""

    name = "fixed"
    description = ""

    def listen_for(self, phrases: tuple[str, ...] | None) -> None: ...
    def prompt_with(self, question: str) -> None: ...
    def rescues(self) -> Iterator[Hypothesis]: return iter(())
    def begin(self) -> None: ...
    def accept(self, pcm: np.ndarray) -> None: ...
    def finish(self) -> Hypothesis: return Hypothesis("stop", 0.9, True)


def test_a_decode_done_in_the_background_wakes_whoever_waits_for_it() -> None:
    """The live loop sleeps until there is data: a decode that is done must wake it,
    or "stop" waits for the next microphone block (up to 20 ms) to be acted on."""
    decoder = Decoder(_Engine(), background=True)  # type: ignore[arg-type]
    done = threading.Event()
    decoder.on_done = done.set
    decoder.submit(Utterance(np.zeros(3200, np.int16), 0.0, 0.2, 0.45, None, None, "", 1))
    try:
        assert done.wait(30.0)
        assert [d.hypothesis.text for d in decoder.take()] == ["stop"]
    finally:
        decoder.close()

"""The live loop waits for data instead of looking every 10 ms: the real microphone wakes it."""

from __future__ import annotations

import os
import threading

import pytest

from coach.audio.devices import MIC_BLOCK_FRAMES, Microphone, Speaker, pick_device
from coach.runtime.speaker_pump import LEAD_FRAMES, PULL_FRAMES, SpeakerPump
from coach.speech_out.cache import PhraseCache
from coach.speech_out.playout import Playout

pytestmark = pytest.mark.audio


@pytest.fixture(autouse=True)
def audio_server() -> None:
    if not os.environ.get("COACH_AUDIO_SERVER"):
        pytest.skip("needs the test audio server: run scripts/test (it sets COACH_AUDIO_SERVER)")


def test_each_microphone_block_wakes_the_loop() -> None:
    wake = threading.Event()
    mic = Microphone(pick_device(None, "input"), None, wake=wake)
    mic.start()
    try:
        assert wake.wait(10.0)
        assert mic.blocks.qsize() >= 1  # the block is queued before the loop is woken
        wake.clear()
        taken = mic.blocks.get_nowait()
        assert wake.wait(10.0) and taken.samples.size == MIC_BLOCK_FRAMES
    finally:
        mic.close()


def test_while_idle_the_microphone_wakes_the_loop_every_few_blocks() -> None:
    wake = threading.Event()
    mic = Microphone(pick_device(None, "input"), None, wake=wake)
    mic.wake_every = 4
    mic.start()
    try:
        for _ in range(3):
            assert wake.wait(10.0)
            assert mic.blocks.qsize() >= 4  # woken with four blocks to take, not one
            while not mic.blocks.empty():
                mic.blocks.get_nowait()
            wake.clear()  # after taking them: a block since then is fewer than four
        mic.wake_every = 1
        assert wake.wait(10.0)
        wake.clear()
        mic.blocks.get_nowait()
        assert wake.wait(10.0) and mic.blocks.qsize() >= 1
    finally:
        mic.close()


class _Silent:
    """A renderer for a playout that is never asked to say anything (no voice loads)."""

    def render(self, text: str, voice: str, rate_wpm: int) -> object:
        raise AssertionError(f"nothing should be rendered here ({text!r})")


class _CountedPump(SpeakerPump):
    rounds = 0

    def fill(self) -> bool:
        self.rounds += 1
        return super().fill()


def test_the_pump_wakes_once_the_speaker_has_taken_two_blocks() -> None:
    speaker = Speaker(pick_device(None, "output"))
    speaker.start()
    pump = _CountedPump(Playout(PhraseCache(_Silent())), speaker)  # type: ignore[arg-type]
    try:
        assert speaker.wake_below_frames == LEAD_FRAMES - PULL_FRAMES
        pump.start()
        for _ in range(600):  # until the card has taken 60 blocks (a second or so)
            if speaker.callbacks >= 60:
                break
            threading.Event().wait(0.05)
        callbacks, rounds = speaker.callbacks, pump.rounds
        assert speaker.ring.underrun_frames <= LEAD_FRAMES  # the stream's start at most
        assert rounds <= 0.6 * callbacks + 2
    finally:
        pump.stop()
        speaker.close()


def test_while_relaxed_the_pump_wakes_once_the_speaker_has_taken_six_blocks() -> None:
    """The coach waits at a question, silent: the real speaker takes six blocks between
    the pump's rounds, and still never runs dry."""
    from coach.runtime.speaker_pump import RELAXED_PULL_FRAMES

    speaker = Speaker(pick_device(None, "output"))
    speaker.start()
    pump = _CountedPump(Playout(PhraseCache(_Silent())), speaker)  # type: ignore[arg-type]
    pump.relaxed = True
    try:
        pump.start()
        for _ in range(600):
            if speaker.callbacks >= 120:
                break
            threading.Event().wait(0.05)
        callbacks, rounds = speaker.callbacks, pump.rounds
        assert speaker.wake_below_frames == LEAD_FRAMES - RELAXED_PULL_FRAMES
        assert speaker.ring.underrun_frames <= LEAD_FRAMES  # the stream's start at most
        assert rounds <= 0.25 * callbacks + 2  # one round in six callbacks, with room
    finally:
        pump.stop()
        speaker.close()

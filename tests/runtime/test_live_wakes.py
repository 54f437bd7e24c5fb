"""The live loop waits for data instead of looking every 10 ms: the real microphone wakes it."""

from __future__ import annotations

import os
import threading

import pytest

from coach.audio.devices import Microphone, pick_device

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
        assert wake.wait(10.0) and taken.samples.size == 320
    finally:
        mic.close()

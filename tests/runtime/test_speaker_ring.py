"""The speaker's ring: an urgent cut drops what is queued, without a click."""

from __future__ import annotations

import numpy as np

from coach.audio.devices import CHECK_EVERY, SKIP_FADE_FRAMES, Ring, _Stream


def test_a_skip_drops_the_queue_fading_out_then_in() -> None:
    ring = Ring(4000)
    ring.write(np.full(2000, 10000, dtype=np.int16))
    out = np.zeros(160, dtype=np.int16)
    ring.read_into(out)
    assert ring.frames_read == 160 and ring.queued == 1840

    ring.skip(0)
    ring.read_into(out)
    fade = out[:SKIP_FADE_FRAMES]
    assert fade[0] == 10000 and np.all(np.diff(fade.astype(int)) < 0) and fade[-1] < 400
    assert np.all(out[SKIP_FADE_FRAMES:] == 0)  # nothing queued any more: silence
    assert ring.skips == 1 and ring.frames_read == 2000  # the dropped frames count as read
    assert ring.skipped_frames == 2000 - 160 - SKIP_FADE_FRAMES

    ring.write(np.full(400, -8000, dtype=np.int16))
    ring.read_into(out)
    ramp = out[:SKIP_FADE_FRAMES].astype(int)
    assert -300 < ramp[0] < 0 and np.all(np.diff(ramp) < 0) and ramp[-1] >= -8000
    assert np.all(out[SKIP_FADE_FRAMES:] == -8000)  # what follows the cut plays whole


def test_a_skip_keeps_what_it_is_asked_to() -> None:
    ring = Ring(4000)
    ring.write(np.arange(1000, dtype=np.int16))
    ring.skip(320)
    out = np.zeros(400, dtype=np.int16)
    assert ring.read_into(out) == 352  # the fade of 32 frames, then the 320 kept
    assert 0 < out[SKIP_FADE_FRAMES] < 30  # the kept frames (from 680 on) fade in from near zero
    assert out[SKIP_FADE_FRAMES + 100] == 780
    assert ring.frames_read == 1000 and ring.queued == 0


def test_without_a_skip_nothing_changes() -> None:
    ring = Ring(1000)
    ring.write(np.arange(300, dtype=np.int16))
    out = np.zeros(200, dtype=np.int16)
    ring.read_into(out)
    assert np.array_equal(out, np.arange(200)) and ring.skips == 0


class _PortAudioStream:
    """The edge: a PortAudio stream that counts how often it is asked whether it runs."""

    def __init__(self) -> None:
        self.running = True
        self.asked = 0

    @property
    def active(self) -> bool:
        self.asked += 1
        return self.running


def _stream() -> tuple[_Stream, _PortAudioStream]:
    stream, port = _Stream(), _PortAudioStream()
    stream._stream, stream.failed, stream._closing = port, None, False
    return stream, port


def test_a_stream_checked_every_few_milliseconds_asks_portaudio_once_in_a_while() -> None:
    stream, port = _stream()
    for _ in range(10 * CHECK_EVERY):  # the pump's and the loop's checks, seconds of them
        assert stream.check() is None
    assert port.asked == 10


def test_a_stream_that_stops_without_a_word_is_still_noticed() -> None:
    stream, port = _stream()
    stream.check()
    port.running = False  # no finished callback came
    found = [stream.check() for _ in range(CHECK_EVERY)]
    assert found[-1] == "the sound stream stopped"


def test_a_stream_that_says_it_stopped_is_known_at_once() -> None:
    stream, port = _stream()
    stream._finished()  # PortAudio's finished callback
    assert stream.check() == "the sound stream stopped" and port.asked == 0

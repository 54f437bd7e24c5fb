"""The voice segmenter and the energy VAD, without a microphone or a clock."""

from __future__ import annotations

import numpy as np

from coach.speech_in.vad import (
    FRAME_SAMPLES,
    EnergyVad,
    Segmenter,
    SegmentEvent,
    VadState,
    frame_levels_db,
)

CHUNK = 0.01


def run(seg: Segmenter, pattern: str) -> list[tuple[int, SegmentEvent]]:
    """'#' is a speech chunk, '.' a silent one; returns (chunk index, event)."""
    events = []
    for i, ch in enumerate(pattern):
        ev = seg.process(CHUNK, ch == "#")
        if ev is not None:
            events.append((i, ev))
    return events


def test_an_utterance_starts_after_enough_speech_and_ends_after_the_hangover() -> None:
    seg = Segmenter(start_seconds=0.03, end_seconds=0.05)
    events = run(seg, "..#####......")
    assert events == [(4, SegmentEvent.STARTED), (11, SegmentEvent.ENDED)]
    assert seg.state is VadState.SILENCE
    assert abs(seg.speech_seconds - 0.05) < 1e-9  # five speech chunks, hangover not counted


def test_a_click_shorter_than_the_start_time_is_not_speech() -> None:
    seg = Segmenter(start_seconds=0.05, end_seconds=0.05)
    assert run(seg, "..##....##...") == []


def test_a_pause_shorter_than_the_hangover_does_not_split_a_phrase() -> None:
    seg = Segmenter(start_seconds=0.02, end_seconds=0.1)
    events = run(seg, "####.....####" + "." * 12)
    assert [e for _, e in events] == [SegmentEvent.STARTED, SegmentEvent.ENDED]


def test_two_utterances_with_a_long_gap_give_two_segments() -> None:
    seg = Segmenter(start_seconds=0.02, end_seconds=0.05)
    events = run(seg, "####" + "." * 10 + "####" + "." * 10)
    assert [e for _, e in events] == [SegmentEvent.STARTED, SegmentEvent.ENDED] * 2


def test_reset_forgets_an_open_utterance() -> None:
    seg = Segmenter(start_seconds=0.02, end_seconds=0.05)
    run(seg, "#####")
    assert seg.state is VadState.SPEECH
    seg.reset()
    assert seg.state is VadState.SILENCE and seg.speech_seconds == 0.0


def _frames(signal: np.ndarray) -> np.ndarray:
    n = signal.size // FRAME_SAMPLES
    return signal[: n * FRAME_SAMPLES].reshape(n, FRAME_SAMPLES)


def test_the_level_counts_the_voice_band_more_than_low_hum() -> None:
    t = np.arange(16000) / 16000
    hum = (3000 * np.sin(2 * np.pi * 60 * t)).astype(np.int16)
    voiced = (3000 * np.sin(2 * np.pi * 500 * t)).astype(np.int16)
    assert np.median(frame_levels_db(_frames(voiced))) > np.median(frame_levels_db(_frames(hum))) + 10


def test_a_word_after_silence_is_speech() -> None:
    t = np.arange(8000) / 16000
    word = (3000 * np.sin(2 * np.pi * 500 * t)).astype(np.int16)
    signal = np.concatenate([np.zeros(8000, np.int16), word, np.zeros(8000, np.int16)])
    flags = EnergyVad().is_speech(frame_levels_db(_frames(signal)))
    assert not flags[:50].any() and flags[52:98].all() and not flags[102:].any()


def test_steady_noise_becomes_background() -> None:
    rng = np.random.default_rng(1)
    room = rng.normal(0, 10, 16000 * 2).astype(np.int16)
    noise = rng.normal(0, 2000, 16000 * 20).astype(np.int16)
    vad = EnergyVad(rise_db_per_s=5.0)
    vad.is_speech(frame_levels_db(_frames(room)))
    flags = vad.is_speech(frame_levels_db(_frames(noise)))
    assert flags[:10].all()  # a fan switched on looks like speech at first
    assert not flags[-500:].any()  # then the floor has caught up with it


def test_the_room_heard_from_the_first_frame_is_not_speech() -> None:
    """Listening starts in a room with hiss: it is background at once, and a word in it is found."""
    rng = np.random.default_rng(2)
    hiss = rng.normal(0, 30, 16000 * 3).astype(np.int16)  # a quiet room, well above the floor's old start
    t = np.arange(8000) / 16000
    signal = hiss.copy()
    signal[16000:24000] += (3000 * np.sin(2 * np.pi * 500 * t)).astype(np.int16)  # a word at 1.0-1.5 s
    flags = EnergyVad().is_speech(frame_levels_db(_frames(signal)))
    assert not flags[:95].any()  # the room alone, from the very first frame
    assert flags[102:148].all()
    assert not flags[155:].any()


def test_digital_silence_does_not_drag_the_floor_below_the_room() -> None:
    """A gap of zeros between stretches of room hiss: the hiss stays background."""
    from coach.speech_in.vad import EnergyVad, frame_levels_db

    rng = np.random.default_rng(3)
    hiss = rng.normal(0, 10, 16000 * 8).astype(np.int16)  # 8 s of a quiet room (about -55 dB)
    vad = EnergyVad()
    vad.is_speech(frame_levels_db(hiss.reshape(-1, 160)))  # the floor learns the room
    zeros = np.zeros(16000, np.int16)
    assert not vad.is_speech(frame_levels_db(zeros.reshape(-1, 160))).any()
    after = vad.is_speech(frame_levels_db(hiss[:16000].reshape(-1, 160)))
    assert not after.any()


def test_quiet_marks_each_pause_before_the_hangover_ends_it() -> None:
    seg = Segmenter(start_seconds=0.02, end_seconds=0.1, quiet_seconds=0.04)
    events = run(seg, "####....####" + "." * 12)
    assert events == [(1, SegmentEvent.STARTED), (7, SegmentEvent.QUIET),
                      (15, SegmentEvent.QUIET), (21, SegmentEvent.ENDED)]

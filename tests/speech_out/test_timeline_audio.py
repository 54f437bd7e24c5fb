"""A scripted sequence of Say/Cue actions, rendered by real espeak-ng to a WAV
file on a manual clock, then measured from the audio itself."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from speech_out_checks import onset_near, rms_between

from coach.audio.wavfile import read_wav
from coach.core.actions import Action, Cue, CueKind, Priority, Say, SayKind, StopSpeaking
from coach.core.events import Event, SpeechDone, SpeechStarted
from coach.speech_out.playout import Playout
from coach.speech_out.sinks import WavTimelineSink

BEATS = [3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
TONES_FROM = 11.0  # the start cue, then beat tones
TONE_BEATS = [12.0, 12.5, 13.0]
SPEECH_FLOOR_RMS = 500.0  # any spoken phrase is far louder than this on average
SILENCE_RMS = 1.0  # between phrases the mix is digital silence


def run_script(sink: WavTimelineSink, script: list[tuple[float, Action]]) -> list[Event]:
    """The runtime's loop on a manual clock: move the clock, hand actions, pull audio."""
    events: list[Event] = []
    for now, action in script:
        events += sink.advance_to(now)
        events += sink(action, now)
    events += sink.finish()
    return events


def spans(events: list[Event]) -> dict[int, tuple[float, float, bool]]:
    starts = {e.utterance_id: e.at for e in events if isinstance(e, SpeechStarted)}
    return {e.utterance_id: (starts[e.utterance_id], e.at, e.interrupted)
            for e in events if isinstance(e, SpeechDone) and e.utterance_id in starts}


@pytest.fixture
def counted_set(playout: Playout, tmp_path: Path) -> tuple[np.ndarray, list[Event]]:
    numbers = [str(n) for n in range(1, len(BEATS) + 1)]
    playout.warm(numbers)
    script: list[tuple[float, Action]] = [(0.0, Say("Lie on your back.", 1))]
    for i, beat in enumerate(BEATS):  # each count handed half a second before its beat
        script.append((beat - 0.5, Say(numbers[i], 100 + i, Priority.COUNT, beat, SayKind.COUNT)))
    script += [(TONES_FROM, Cue(CueKind.START))]
    script += [(11.5, Cue(CueKind.BEAT, at=beat)) for beat in TONE_BEATS]
    script += [(14.0, Say("Relax.", 2, kind=SayKind.CUE_WORD))]
    path = tmp_path / "set.wav"
    events = run_script(WavTimelineSink(playout, path), script)
    return read_wav(path).samples, events


def test_every_phrase_is_heard_inside_its_span_and_nothing_between(counted_set) -> None:
    audio, events = counted_set
    found = spans(events)
    assert sorted(found) == [1, 2, *range(100, 100 + len(BEATS))]
    for uid, (start, end, interrupted) in found.items():
        assert not interrupted
        assert end - start > 0.15, f"phrase {uid} is too short to be a word"
        assert rms_between(audio, start, end) > SPEECH_FLOOR_RMS, f"phrase {uid} is silent"
    ordered = sorted(found.values())
    for (_, end, _), (next_start, _, _) in itertools.pairwise(ordered):
        gap_end = min(next_start, TONES_FROM)  # the tones sound in the last gap
        if gap_end - end > 0.01:
            assert rms_between(audio, end + 0.002, gap_end - 0.002) < SILENCE_RMS


def test_counts_start_on_their_beats_to_20_ms(counted_set) -> None:
    audio, events = counted_set
    found = spans(events)
    for i, beat in enumerate(BEATS):
        assert found[100 + i][0] == pytest.approx(beat, abs=1 / 16000)
        heard = onset_near(audio, beat)
        assert abs(heard - beat) <= 0.020, f"count {i + 1} heard at {heard:.4f} s, beat {beat}"
        assert rms_between(audio, beat - 0.05, beat - 0.002) < SILENCE_RMS


def test_beat_tones_land_on_their_beats(counted_set) -> None:
    audio, _ = counted_set
    assert abs(onset_near(audio, 11.0) - 11.0) <= 0.005  # start cue, played "now"
    for beat in TONE_BEATS:
        assert abs(onset_near(audio, beat) - beat) <= 0.005
        assert rms_between(audio, beat + 0.01, beat + 0.05) > SPEECH_FLOOR_RMS
        assert rms_between(audio, beat + 0.08, beat + 0.45) < SILENCE_RMS


def test_urgent_phrase_cuts_the_playing_one_within_50_ms(playout: Playout) -> None:
    long_line = "Lie on your back with the other knee bent and the foot flat on the floor."
    urgent = "Stop. Rest your knee."
    sink = WavTimelineSink(playout)
    events = run_script(sink, [(0.0, Say(long_line, 1)), (1.0, Say(urgent, 2, Priority.URGENT))])
    audio = sink.samples()
    found = spans(events)
    cut_at, (urgent_start, urgent_end, urgent_cut) = found[1][1], found[2]
    assert found[1][2] is True  # interrupted
    assert 1.0 <= cut_at <= 1.05 and 1.0 <= urgent_start <= 1.05
    assert not urgent_cut
    # From its start on, the mix is the urgent phrase alone: nothing of the old one is left.
    clean = playout.phrases.get(urgent, playout.voice, playout.rate_wpm).astype(np.float64)
    a = round(urgent_start * 16000)
    heard = audio[a : a + len(clean)].astype(np.float64)
    assert np.max(np.abs(heard - clean * playout.volume)) <= 1.0
    assert rms_between(audio, urgent_end + 0.002, urgent_end + 0.2) < SILENCE_RMS
    # and the cut is a fade, not a click: the last 10 ms before it get quieter
    before = audio[round(cut_at * 16000) - 160 : round(cut_at * 16000)].astype(np.float64)
    assert np.max(np.abs(before[-16:])) < np.max(np.abs(before[:64])) or np.max(np.abs(before)) < 50


def test_stop_speaking_silences_now_and_drops_what_was_planned(playout: Playout) -> None:
    playout.warm(["1", "2"])
    sink = WavTimelineSink(playout)
    script: list[tuple[float, Action]] = [
        (0.0, Say("Tighten the muscles on the front of your thigh.", 1)),
        (0.0, Say("1", 2, Priority.COUNT, 3.0, SayKind.COUNT)),
        (0.0, Say("Hold it there.", 3)),
        (0.8, StopSpeaking()),
    ]
    events = run_script(sink, script)
    done = {e.utterance_id: e for e in events if isinstance(e, SpeechDone)}
    assert sorted(done) == [1, 2, 3] and all(d.interrupted for d in done.values())
    assert 0.8 <= done[1].at <= 0.82
    assert not any(isinstance(e, SpeechStarted) and e.utterance_id in (2, 3) for e in events)
    assert rms_between(sink.samples(), 0.82, 4.0) < SILENCE_RMS


def test_a_late_count_fades_the_previous_one_and_keeps_its_beat(playout: Playout) -> None:
    playout.warm(["Seventeen.", "Eighteen."])
    sink = WavTimelineSink(playout)
    script: list[tuple[float, Action]] = [
        (0.0, Say("Seventeen.", 1, Priority.COUNT, 0.5, SayKind.COUNT)),
        (0.7, Say("Eighteen.", 2, Priority.COUNT, 0.9, SayKind.COUNT)),  # "seventeen" lasts > 0.4 s
    ]
    events = run_script(sink, script)
    found = spans(events)
    assert found[1][1] == pytest.approx(0.9) and found[1][2] is True
    assert found[2][0] == pytest.approx(0.9) and found[2][2] is False
    assert abs(onset_near(sink.samples(), 0.5) - 0.5) <= 0.020
    # the first count fades out over its last 10 ms instead of stopping dead
    audio = sink.samples().astype(np.float64)
    assert np.max(np.abs(audio[14400 - 8 : 14400])) < 0.3 * np.max(np.abs(audio[14400 - 400 : 14400]))


def test_a_count_that_would_be_cut_before_it_starts_is_dropped(playout: Playout) -> None:
    playout.warm(["Seventeen.", "Eighteen."])
    sink = WavTimelineSink(playout)
    script: list[tuple[float, Action]] = [
        (0.0, Say("Seventeen.", 1, Priority.COUNT, 0.5, SayKind.COUNT)),
        (0.0, Say("Eighteen.", 2, Priority.COUNT, 0.7, SayKind.COUNT)),  # would keep 0.2 s of 0.75
    ]
    events = run_script(sink, script)
    assert [(type(e).__name__, e.utterance_id) for e in events] == [
        ("SpeechDone", 1), ("SpeechStarted", 2), ("SpeechDone", 2)]
    assert events[0].at == 0.0 and events[0].interrupted
    assert events[1].at == pytest.approx(0.7)


def test_an_instruction_waits_for_a_count_already_planned(playout: Playout) -> None:
    """The count is said on its beat, whole; the instruction follows it."""
    playout.warm(["3"])
    sink = WavTimelineSink(playout)
    script: list[tuple[float, Action]] = [
        (0.0, Say("3", 1, Priority.COUNT, 1.0, SayKind.COUNT)),
        (0.6, Say("Keep your back flat on the floor.", 2)),
    ]
    events = run_script(sink, script)
    done = {e.utterance_id: e for e in events if isinstance(e, SpeechDone)}
    started = {e.utterance_id: e.at for e in events if isinstance(e, SpeechStarted)}
    assert started[1] == pytest.approx(1.0) and not done[1].interrupted
    assert not done[2].interrupted and started[2] == pytest.approx(done[1].at)


def test_the_mix_does_not_depend_on_the_block_size(cache) -> None:
    def render(block: int) -> np.ndarray:
        p = Playout(cache)
        p.submit(Say("Hold.", 1, Priority.COUNT, 0.3, SayKind.CUE_WORD), 0.0)
        p.submit(Say("Relax your leg.", 2), 0.0)
        p.submit(Cue(CueKind.BEAT, at=0.31), 0.0)
        blocks = [p.pull(block) for _ in range(48000 // block)]
        return np.concatenate(blocks)

    assert np.array_equal(render(160), render(4000))

"""The coach's own voice never becomes a command; a person's "stop" over it does."""

from __future__ import annotations

import numpy as np
import pytest

from coach.commands.intents import Intent
from coach.speech_in.listener import Listener
from coach.speech_in.scripted import AudioTrack, stream, synthesize

# The coach's words include commands on purpose: "Stop." and "Yes." said by
# the coach itself are the hardest echo to ignore.
COACH_LINES = ["Next exercise. Straight leg raise.", "Stop.", "Lift your leg slowly.", "Hold.",
               "Five.", "Next.", "Relax.", "Pause.", "Yes.", "Go."]


@pytest.fixture(scope="module")
def coach_track() -> np.ndarray:
    tl = AudioTrack(22.0)
    t = 0.5
    for line in COACH_LINES:
        pcm = synthesize(line, "en-us", 160)
        tl.place(pcm, t)
        t += pcm.size / 16000 + 0.6
    return tl.pcm()


def echo_of(track: np.ndarray, gain: float, delay_samples: int = 0) -> np.ndarray:
    out = np.zeros(track.size, np.float64)
    out[delay_samples:] = gain * track[: track.size - delay_samples]
    return out


def test_without_the_reference_the_coach_would_obey_itself(sphinx_listener: Listener, coach_track: np.ndarray) -> None:
    sphinx_listener.reset()
    mic = np.round(echo_of(coach_track, 0.5)).astype(np.int16)
    assert stream(sphinx_listener, mic) != []  # the danger the gate exists for


@pytest.mark.parametrize("gain,delay", [(0.5, 0), (0.3, 40), (1.0, 0), (0.5, 1200)])
def test_the_coach_s_own_speech_gives_nothing(
    sphinx_listener: Listener, coach_track: np.ndarray, gain: float, delay: int
) -> None:
    sphinx_listener.reset()
    mic = np.clip(np.round(echo_of(coach_track, gain, delay)), -32768, 32767).astype(np.int16)
    assert stream(sphinx_listener, mic, reference=coach_track) == []


def test_stop_said_over_the_coach_is_heard(sphinx_listener: Listener, coach_track: np.ndarray) -> None:
    user = synthesize("stop", "en-us+m3", 150)
    tl = AudioTrack(coach_track.size / 16000)
    tl.place(coach_track, 0.0, gain=0.5)
    tl.place(user, 3.0)
    sphinx_listener.reset()
    results = stream(sphinx_listener, tl.pcm(), reference=coach_track)
    assert [r.heard.intent for r in results] == [Intent.STOP]
    assert 3.0 < results[0].heard.at < 3.0 + user.size / 16000 + 0.1


def test_the_sound_card_delay_is_found(sphinx_listener: Listener, coach_track: np.ndarray) -> None:
    sphinx_listener.reset()
    mic = np.round(echo_of(coach_track, 0.5, 1200)).astype(np.int16)  # 75 ms late
    stream(sphinx_listener, mic[: 16000 * 6], reference=coach_track[: 16000 * 6])
    assert abs(sphinx_listener.echo_delay_samples - 1200) <= 2


def test_the_canceller_learns_a_coloured_delayed_echo_and_leaves_the_person(coach_track: np.ndarray) -> None:
    from coach.speech_in.echo import EchoCanceller

    canceller = EchoCanceller()
    taps = canceller.taps
    path = np.zeros(taps)
    path[[20, 21, 60]] = [0.4, 0.2, -0.1]  # delay, colour and a reflection
    ref = coach_track[16000 : 16000 * 6].astype(np.float64)
    echo = np.convolve(ref, path)[: ref.size]
    residual = []
    for s in range(taps, ref.size - 160, 160):
        out = canceller.process(echo[s : s + 160].astype(np.float32), ref[s - taps + 1 : s + 160])
        residual.append(out)
    late = slice(len(residual) // 2, None)  # after the first couple of seconds
    before = float(np.sum(echo[taps + 160 * (len(residual) // 2) : taps + 160 * len(residual)] ** 2))
    after = float(np.sum(np.concatenate(residual[late]).astype(np.float64) ** 2))
    assert 10 * np.log10(before / after) > 20  # at least 20 dB of echo taken away
    # Frozen (double talk), the filter removes the echo but not a voice the reference lacks.
    voice = synthesize("stop", "en-us+m3", 150)[:1600].astype(np.float64)
    s = ref.size - 1600 - 160
    out = canceller.process((echo[s : s + 1600] + voice).astype(np.float32),
                            ref[s - taps + 1 : s + 1600], adapt=False)
    kept = float(np.sum(out.astype(np.float64) ** 2))
    assert abs(10 * np.log10(kept / float(np.sum(voice**2)))) < 1.0


def test_an_echo_that_grows_louder_is_learnt_not_obeyed(
    sphinx_listener: Listener, coach_track: np.ndarray
) -> None:
    """The microphone changes mid-session (a headset unplugged: the laptop's own
    microphone takes over) and the coach's voice reaches it 16 dB louder. The
    gate, which had learnt a quiet echo, must learn the loud one, not take the
    coach's words for a person's."""
    track = np.concatenate([coach_track, coach_track, coach_track])
    quiet, loud = 0.15, 0.95
    gain = np.where(np.arange(track.size) < coach_track.size, quiet, loud)
    rng = np.random.default_rng(5)
    mic = np.clip(np.round(gain * track + rng.normal(0, 20, track.size)), -32768, 32767)
    sphinx_listener.reset()
    heard = stream(sphinx_listener, mic.astype(np.int16), reference=track)
    assert heard == [], [(r.heard.text, round(r.heard.at, 2)) for r in heard]


def test_the_gate_keeps_a_measured_echo_level_over_a_long_stretch() -> None:
    """Frame by frame, an echo at -6 dB with a spread of a few dB must not drag
    the gate's level down once a second of echo alone has measured it."""
    from coach.speech_in.echo import EchoGate

    gate = EchoGate()
    gate.echo_measured(-6.0)
    rng = np.random.default_rng(3)
    ref = rng.uniform(-40.0, -10.0, 3000)  # 30 s of frames of the coach speaking
    mic = ref - 6.0 + rng.normal(0.0, 3.0, ref.size)
    for start in range(0, ref.size, 100):
        gate.frames_ok(mic[start : start + 100], ref[start : start + 100])
    assert abs(gate.gain_db - -6.0) < 1.5, gate.gain_db


def test_before_any_measure_the_cautious_start_falls_to_the_echo() -> None:
    from coach.speech_in.echo import EchoGate

    gate = EchoGate()
    assert gate.gain_db == 10.0  # every frame of the coach is taken as echo at first
    rng = np.random.default_rng(4)
    ref = rng.uniform(-40.0, -10.0, 2000)
    gate.frames_ok(ref - 15.0 + rng.normal(0.0, 2.0, ref.size), ref)
    assert gate.gain_db < -10.0


def room_path(taps: int, seed: int = 5) -> np.ndarray:
    """A loudspeaker 20 samples from the microphone in a room that rings for 0.2 s
    (decaying 60 dB in 0.4 s): as much energy in the ring as in the direct sound."""
    rng = np.random.default_rng(seed)
    path = np.zeros(taps)
    path[20] = 0.4
    t = np.arange(40, taps)
    tail = rng.normal(0.0, 1.0, t.size) * 10 ** (-3 * (t - 40) / (0.4 * 16000))
    path[40:] = tail * 0.4 / np.sqrt(np.sum(tail**2))
    return path


def test_the_room_filter_learns_a_rooms_ring_that_the_short_canceller_cannot(coach_track: np.ndarray) -> None:
    from coach.speech_in.echo import EchoCanceller, RoomEcho

    room, short = RoomEcho(), EchoCanceller()
    h = room.history
    path = room_path(h)
    ref = coach_track[: 16000 * 12].astype(np.float64)
    echo = np.convolve(ref, path)[: ref.size]
    out_room, out_short = [], []
    for s in range(h, ref.size - 480, 480):
        out_room.append(room.process(echo[s : s + 480].astype(np.float32), ref[s - h : s + 480]))
        out_short.append(short.process(echo[s : s + 480].astype(np.float32),
                                       ref[s - short.history : s + 480]))
    late = slice(len(out_room) * 2 // 3, None)  # the last 3 s or so

    def taken_away(outs: list[np.ndarray]) -> float:
        first = h + 480 * (len(outs) * 2 // 3)
        before = float(np.sum(echo[first : h + 480 * len(outs)] ** 2))
        return 10 * np.log10(before / float(np.sum(np.concatenate(outs[late]).astype(np.float64) ** 2)))

    assert taken_away(out_room) > 15.0  # the direct sound and the ring
    assert taken_away(out_short) < 6.0  # 8 ms of taps: the direct sound only
    # Frozen (the person speaking), it leaves a voice the reference lacks as it was.
    word = synthesize("stop", "en-us+m3", 150).astype(np.float64)
    loudest = max(800, int(np.argmax(np.abs(word))))
    voice = word[loudest - 800 : loudest + 800]
    starts = range(ref.size * 2 // 3, ref.size - 1600, 160)
    s = max(starts, key=lambda i: float(np.sum(echo[i : i + 1600] ** 2)))  # the coach speaking
    out = room.process((echo[s : s + 1600] + voice).astype(np.float32), ref[s - h : s + 1600], adapt=False)
    left = out.astype(np.float64) - voice
    assert 10 * np.log10(float(np.sum(voice**2)) / float(np.sum(left**2))) > 15.0


def test_after_the_coach_stops_its_rooms_ring_is_no_person() -> None:
    """The session's first words ring on in a room before the room's filter has
    learnt it; only a frame above that fading ring counts as a person's, and
    only for ``tail_seconds``. Once the echo is known the ring is the filter's."""
    from coach.speech_in.echo import EchoGate

    known = EchoGate(gain_db=-6.0, measured=True)
    known.frames_ok(np.full(10, -16.0), np.full(10, -10.0))
    assert not known.ringing
    gate = EchoGate(gain_db=-6.0)
    assert gate.frames_ok(np.full(10, -16.0), np.full(10, -10.0)).tolist() == [False] * 10
    assert gate.ringing
    # The ring, fading; a voice 12 dB over where the coach's echo was; more ring.
    ok = gate.ring_ok(np.array([-20.0, -24.0, -4.0, -30.0]))
    assert ok.tolist() == [False, False, True, False]
    assert gate.ringing
    frames = round(gate.tail_seconds * 100)
    later = gate.ring_ok(np.full(frames, -40.0))
    assert not later[: frames - 5].any() and later[-1]  # the tail ends: silence is silence again
    assert not gate.ringing


def test_before_the_coachs_echo_is_known_nothing_over_it_is_a_person() -> None:
    """The session's first words: the gate's guess of the echo can be far off, so
    for the first ``settle_seconds`` of the coach playing nothing over it counts;
    after, a loud frame does even if the echo was never measured."""
    from coach.speech_in.echo import EchoGate

    gate = EchoGate()
    frames = round(gate.settle_seconds * 100)
    loud = gate.frames_ok(np.full(frames - 1, 20.0), np.full(frames - 1, -20.0))
    assert not loud.any()
    assert gate.frames_ok(np.array([20.0]), np.array([-20.0])).tolist() == [True]
    assert gate.settle_left == 0.0
    assert gate.frames_ok(np.array([20.0]), np.array([-20.0])).tolist() == [True]
    assert EchoGate(measured=True).frames_ok(np.array([20.0]), np.array([-20.0])).tolist() == [True]


def test_a_rooms_ring_between_the_coachs_words_is_judged_from_block_to_block() -> None:
    """After a loud syllable a room rings on while the coach's next frames are
    quiet: steeply for the first 50 ms (3 dB a frame, the early reflections),
    then 1.2 dB a frame (RT60 0.5 s). The expected echo decays from the loud
    frame across the listener's 2-frame blocks; judged afresh in each block,
    the ring stood 10-30 dB over the quiet frames' own echo and passed as a
    person."""
    from coach.speech_in.echo import EchoGate

    gate = EchoGate(gain_db=-15.0, measured=True)
    ref = np.array([-3.0] * 10 + [-45.0] * 20)
    fall = [3.0 * min(k, 5) + 1.2 * max(0, k - 5) for k in range(1, 21)]
    ring = np.array([-18.0] * 10 + [-18.0 - f for f in fall])
    ok = np.concatenate([gate.frames_ok(ring[i : i + 2], ref[i : i + 2]) for i in range(0, 30, 2)])
    assert not ok.any()
    gate = EchoGate(gain_db=-15.0, measured=True)
    person = ring.copy()
    person[14:20] = -18.0 - gate.echo_fade_db * np.arange(5, 11) + 10.0  # 10 dB over the fading echo
    ok = np.concatenate([gate.frames_ok(person[i : i + 2], ref[i : i + 2]) for i in range(0, 30, 2)])
    assert ok[14:20].all() and not ok[:14].any() and not ok[20:].any()

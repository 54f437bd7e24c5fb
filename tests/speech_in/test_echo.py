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

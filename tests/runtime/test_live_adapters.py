"""The live coach's adapters without a sound server: the clock, the speaker's pump, the ears.

Each gets its monotonic clock from the test, and its blocks from a real
playout (on a renderer that is never asked for speech), a real speaker ring
and a queue of ``MicBlock``s, as the sound card's callbacks would leave
them. The recogniser is a hand-written fake that records what it is given.
No thread is started and nothing sleeps: the test moves the clock.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

import numpy as np
import pytest

from coach.audio.devices import MIC_BLOCK_FRAMES, MicBlock, Ring, Speaker
from coach.audio.format import BLOCK_FRAMES, BLOCK_SECONDS, RATE_HZ
from coach.commands.intents import Intent
from coach.core.events import Heard
from coach.runtime.clock import LiveClock
from coach.runtime.live_microphone import MIC_SILENT_SECONDS, Hearing, LiveMicrophone
from coach.runtime.text_voice import TranscriptLine
from coach.runtime.listen_for import ListenFor
from coach.runtime.speaker_pump import LEAD_FRAMES, PULL_FRAMES, RELAXED_PULL_FRAMES, SpeakerPump
from coach.speech_out.cache import PhraseCache
from coach.speech_out.playout import Playout
from coach.workers import Failures

MIC_FRAMES = MIC_BLOCK_FRAMES  # the microphone's block: 40 ms


class FakeClock:
    """Monotonic seconds that move only when the test (or a fake sleep) moves them."""

    def __init__(self, start: float = 100.0) -> None:
        self.t = start

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds


class _Silent:
    """A renderer for a playout that is never asked to say anything."""

    def render(self, text: str, voice: str, rate_wpm: int) -> object:
        raise AssertionError(f"nothing should be rendered here ({text!r})")


def playout() -> Playout:
    return Playout(PhraseCache(_Silent()))  # type: ignore[arg-type]


class FakeSpeaker:
    """What the pump uses of ``coach.audio.devices.Speaker``: its ring, wake, position, health."""

    def __init__(self) -> None:
        self.ring = Ring()
        self.wake = threading.Event()
        self.wake.set()  # a callback has just run: the pump never waits
        self.frames_played = 0
        self.problem: str | None = None

    def check(self) -> str | None:
        return self.problem


# -- LiveClock ------------------------------------------------------------------------
def test_the_live_clock_is_the_speakers_position_plus_the_lookahead() -> None:
    mono, audio = FakeClock(), playout()
    clock = LiveClock(0.05, 0.2, monotonic=mono)
    clock.follow(audio)
    audio.pull(RATE_HZ // 10)
    mono.t += 7.0  # the wall moves on; the audio clock does not follow it
    assert clock.audio and clock.now() == pytest.approx(0.1 + 0.2)


def test_once_the_speaker_fails_the_clock_carries_on_from_where_it_was() -> None:
    mono, audio = FakeClock(), playout()
    clock = LiveClock(0.05, 0.2, monotonic=mono)
    clock.follow(audio)
    audio.pull(RATE_HZ)
    mono.t += 3.0
    clock.to_monotonic()
    assert not clock.audio and clock.now() == pytest.approx(1.2)  # no jump back or ahead
    mono.t += 0.5
    assert clock.now() == pytest.approx(1.7)


def test_with_no_speaker_the_clock_counts_from_its_making() -> None:
    mono = FakeClock(50.0)
    clock = LiveClock(0.05, 0.2, monotonic=mono)
    mono.t += 2.5
    assert not clock.audio and clock.now() == pytest.approx(2.5)


# -- SpeakerPump ------------------------------------------------------------------------
def test_the_pump_keeps_the_lead_queued_beyond_what_the_speaker_took() -> None:
    speaker, audio = FakeSpeaker(), playout()
    handed: list[tuple[int, float]] = []
    pump = SpeakerPump(audio, speaker, [lambda block, at: handed.append((len(block), at))])  # type: ignore[arg-type]
    assert pump.fill()
    assert audio.frames_pulled == LEAD_FRAMES and speaker.ring.queued == LEAD_FRAMES
    blocks = LEAD_FRAMES // BLOCK_FRAMES
    assert handed == [(BLOCK_FRAMES, pytest.approx(n * BLOCK_SECONDS)) for n in range(blocks)]
    speaker.frames_played += 5 * BLOCK_FRAMES  # the card took five blocks
    speaker.wake.set()
    assert pump.fill()
    assert audio.frames_pulled == LEAD_FRAMES + 5 * BLOCK_FRAMES
    assert handed[-1][1] == pytest.approx((blocks + 4) * BLOCK_SECONDS)  # each block once, in order


def callbacks_before_the_pump_is_woken(relaxed: bool) -> tuple[int, Speaker]:
    """The real speaker callback (no stream): how many 10 ms callbacks run before
    it wakes the pump, after the pump has filled the ring."""
    speaker = object.__new__(Speaker)  # its callback and ring, without a device
    speaker.ring, speaker.wake, speaker.wake_below_frames = Ring(), threading.Event(), None
    speaker.callbacks, speaker.first_callback = 0, threading.Event()
    speaker.failed, speaker._closing = None, False
    audio = playout()
    pump = SpeakerPump(audio, speaker)
    pump.relaxed = relaxed
    speaker.wake.set()
    assert pump.fill() and speaker.ring.queued == LEAD_FRAMES
    out = np.zeros((BLOCK_FRAMES, 1), dtype=np.int16)
    for n in range(1, LEAD_FRAMES // BLOCK_FRAMES + 1):
        speaker._callback(out, BLOCK_FRAMES, None, None)
        if speaker.wake.is_set():
            assert pump.fill() and speaker.ring.queued == LEAD_FRAMES  # topped up again
            return n, speaker
    raise AssertionError("the pump was never woken: the speaker ran dry")


def test_the_pump_is_woken_less_often_while_the_coach_waits_at_a_question() -> None:
    """While the session waits, silent, for an answer, nothing is counted: the pump
    lets the speaker take six blocks instead of two before topping it up."""
    busy, _ = callbacks_before_the_pump_is_woken(relaxed=False)
    assert busy == PULL_FRAMES // BLOCK_FRAMES == 2
    relaxed, speaker = callbacks_before_the_pump_is_woken(relaxed=True)
    assert relaxed == RELAXED_PULL_FRAMES // BLOCK_FRAMES == 6
    assert speaker.ring.underrun_frames == 0  # still well ahead of the speaker


def test_the_pump_stops_feeding_a_speaker_that_failed() -> None:
    speaker, audio = FakeSpeaker(), playout()
    speaker.problem = "the speaker stopped"
    pump = SpeakerPump(audio, speaker)  # type: ignore[arg-type]
    assert not pump.fill()
    assert audio.frames_pulled == 0


def test_with_no_speaker_the_pump_is_paced_by_the_clock_and_counts_a_stall() -> None:
    mono, audio = FakeClock(), playout()
    played: list[float] = []
    pump = SpeakerPump(audio, None, [lambda block, at: played.append(at)],
                       monotonic=mono, sleep=mono.sleep)
    assert pump.fill()  # the stream starts: one block's time, and the lead
    assert audio.frames_pulled == BLOCK_FRAMES + LEAD_FRAMES
    assert pump.late_blocks == 0
    mono.t += 1.0  # the process was held for a second: a sound card would have run dry
    assert pump.fill()
    taken = round((2 * BLOCK_SECONDS + 1.0) * RATE_HZ)
    assert pump.late_blocks == 1
    assert pump.latest_seconds == pytest.approx((taken - BLOCK_FRAMES - LEAD_FRAMES) / RATE_HZ)
    assert audio.frames_pulled == pytest.approx(taken + LEAD_FRAMES, abs=BLOCK_FRAMES)
    assert pump.fill() and pump.late_blocks == 1  # caught up: on time again
    assert played == pytest.approx([n * BLOCK_SECONDS for n in range(len(played))])


# -- LiveMicrophone -------------------------------------------------------------------------
class FakeMic:
    """What the ears use of ``coach.audio.devices.Microphone``: its queue of blocks and health."""

    def __init__(self) -> None:
        self.blocks: queue.Queue[MicBlock] = queue.Queue()
        self.closed = False
        self.wake_every = 1

    def check(self) -> str | None:
        return None

    def close(self) -> None:
        self.closed = True

    def send(self, speaker_frame: int | None, *, skips: int = 0) -> None:
        self.blocks.put(MicBlock(np.zeros(MIC_FRAMES, np.int16), speaker_frame, False, skips))


class FakeRecogniser:
    """A ``CommandListener`` that records what it is fed and hears what it is told to."""

    description = "a fake recogniser"
    fallback = ""

    def __init__(self) -> None:
        self.decisions: list[Any] = []
        self.fed: list[float] = []  # the time of each block's first sample
        self.played: list[tuple[int, float]] = []
        self.hear: list[Heard] = []  # handed out with the next block
        self.fail: Exception | None = None
        self.closed = False
        self.idle = True  # no word under way, the coach silent

    def expect(self, intents: Any, question: str = "", focus: Any = None) -> None:
        pass

    def playing(self, block: np.ndarray, at: float) -> None:
        self.played.append((len(block), at))

    def feed(self, frames: np.ndarray, at: float) -> list[Heard]:
        if self.fail is not None:
            raise self.fail
        self.fed.append(at)
        heard, self.hear = self.hear, []
        return heard

    def poll(self) -> list[Heard]:
        return []

    def on_decoded(self, notify: Any) -> None:
        pass

    def close(self) -> None:
        self.closed = True


class Ears:
    """A LiveMicrophone on a fake clock, a fake microphone and a fake recogniser."""

    def __init__(self) -> None:
        self.mono = FakeClock()
        self.audio = playout()
        self.clock = LiveClock(0.05, 0.2, monotonic=self.mono)
        self.clock.follow(self.audio)
        self.said: list[tuple[str, dict[str, Any]]] = []
        self.shown: list[TranscriptLine] = []
        hearing = Hearing(engine=None, model=None, input_device=None, show_rejected=False,
                          record_mic=None)
        self.ears = LiveMicrophone(
            hearing, self.clock, ListenFor(), note=lambda text: None,
            say_once=lambda key, **kw: self.said.append((key, kw)), show=self.shown.append,
            failures=Failures(), monotonic=self.mono)
        self.mic, self.recogniser = FakeMic(), FakeRecogniser()
        self.ears.mic = self.mic  # type: ignore[assignment]  # as the loader leaves them
        self.ears.listener = self.recogniser

    def step(self) -> list[Any]:
        return list(self.ears.events(self.clock.now()))


def test_each_microphone_block_starts_where_the_last_ended_and_a_far_one_anchors_again() -> None:
    e = Ears()
    e.mic.send(RATE_HZ)  # the speaker had played 1 s when the block arrived
    e.mic.send(RATE_HZ + 400)  # a late callback: its own anchor would be 25 ms off
    e.mic.send(RATE_HZ + RATE_HZ // 2)  # half a second further: input was lost
    e.step()
    first = 1.0 - MIC_FRAMES / RATE_HZ
    assert e.recogniser.fed == pytest.approx(
        [first, first + MIC_FRAMES / RATE_HZ, 1.5 - MIC_FRAMES / RATE_HZ])


def test_a_skip_of_the_speakers_queue_anchors_the_microphone_again() -> None:
    e = Ears()
    e.mic.send(RATE_HZ)
    e.mic.send(RATE_HZ + 1600, skips=1)  # an urgent cut: the speaker's count jumped 100 ms
    e.step()
    first = 1.0 - MIC_FRAMES / RATE_HZ  # each block is dated from its end
    assert e.recogniser.fed == pytest.approx([first, first + 0.1])


def test_the_echo_delay_is_taken_off_the_time_the_recogniser_is_given() -> None:
    e = Ears()
    e.ears.echo_delay.delay_samples = 800  # 50 ms measured between speaker and microphone
    e.mic.send(RATE_HZ)
    e.step()
    assert e.recogniser.fed == pytest.approx([1.0 - MIC_FRAMES / RATE_HZ - 0.05])


def test_what_the_speaker_played_reaches_the_recogniser_with_its_time() -> None:
    e = Ears()
    e.ears.played(np.zeros(BLOCK_FRAMES, np.int16), 2.0)  # from the pump's thread
    e.ears.played(np.zeros(BLOCK_FRAMES, np.int16), 2.01)
    e.step()
    assert e.recogniser.played == [(BLOCK_FRAMES, 2.0), (BLOCK_FRAMES, 2.01)]


def test_a_command_heard_comes_out_as_an_event_and_in_the_transcript() -> None:
    e = Ears()
    stop = Heard(Intent.STOP, "stop", 0.9, 0.98)
    e.recogniser.hear = [stop]
    e.mic.send(RATE_HZ)
    assert e.step() == [stop]
    assert e.shown == [TranscriptLine(0.98, "you", "stop (heard, 0.90)")]


def test_a_microphone_that_goes_quiet_is_said_once_and_let_go() -> None:
    e = Ears()
    e.mono.t += MIC_SILENT_SECONDS - 0.1
    e.step()
    assert e.said == [] and e.ears.mic is e.mic
    e.mono.t += 0.2  # no block for longer than a microphone ever pauses
    e.step()
    assert e.said == [("microphone_lost", {"detail": "the microphone stopped sending sound"})]
    assert e.mic.closed and e.recogniser.closed and e.ears.gone
    e.step()
    assert len(e.said) == 1


def test_a_recogniser_that_fails_is_said_once_and_typed_commands_go_on() -> None:
    e = Ears()
    e.recogniser.fail = RuntimeError("the decoder broke")
    e.mic.send(RATE_HZ)
    assert e.step() == []
    assert e.said == [("listener_failed", {"detail": "RuntimeError: the decoder broke"})]
    assert e.recogniser.closed and e.ears.listener is None


def test_a_beat_reaches_the_playout_before_the_pump_even_after_a_late_step() -> None:
    """The loop waits up to LOOP_SECONDS for data, the pump pulls PULL_FRAMES at a time:
    a beat due at any moment is still handed over before the pump pulls its sample,
    with a step 30 ms later than it should be (a decode holding the interpreter)."""
    from coach.runtime.live import LOOKAHEAD_SECONDS, LOOP_SECONDS
    from coach.runtime.speaker_pump import PULL_FRAMES

    late = 0.03
    for phase in np.linspace(0.0, LOOP_SECONDS, 7):
        audio = playout()
        clock = LiveClock(LOOP_SECONDS, LOOKAHEAD_SECONDS, monotonic=FakeClock())
        clock.follow(audio)
        wall, pulled_at, step_at = 0.0, 0.0, phase
        handed: dict[int, int] = {}  # beat (in samples) -> what the pump had pulled then
        beats = list(range(RATE_HZ // 2, 2 * RATE_HZ, 37))  # due at odd moments
        while audio.frames_pulled < 2 * RATE_HZ:
            if step_at <= pulled_at:  # the loop steps: beats due by now are handed over
                due = round(clock.now() * RATE_HZ)
                for beat in [b for b in beats if b <= due and b not in handed]:
                    handed[beat] = audio.frames_pulled
                step_at += LOOP_SECONDS + late  # every gap as late as it may be
            else:  # the speaker took PULL_FRAMES: the pump tops up
                audio.pull(PULL_FRAMES)
                pulled_at += PULL_FRAMES / RATE_HZ
            wall = min(step_at, pulled_at)
        assert wall > 1.0 and handed
        assert all(pulled <= beat for beat, pulled in handed.items())  # none already pulled


def test_while_the_recogniser_is_idle_the_microphone_wakes_the_loop_every_few_blocks() -> None:
    from coach.runtime.live_microphone import IDLE_WAKE_BLOCKS

    e = Ears()
    e.mic.send(RATE_HZ)
    e.step()
    assert e.mic.wake_every == IDLE_WAKE_BLOCKS and e.ears.idle
    e.recogniser.idle = False  # a word has begun, or the coach speaks
    e.mic.send(RATE_HZ + MIC_FRAMES)
    e.step()
    assert e.mic.wake_every == 1 and not e.ears.idle
    e.recogniser.idle = True
    for n in range(2, 2 + 3 * IDLE_WAKE_BLOCKS):  # fed late, each block still where it was
        e.mic.send(RATE_HZ + n * MIC_FRAMES)
    e.step()
    assert e.mic.wake_every == IDLE_WAKE_BLOCKS
    assert np.diff(e.recogniser.fed) == pytest.approx([MIC_FRAMES / RATE_HZ] * (len(e.recogniser.fed) - 1))


class _Waits(threading.Event):
    """An event that remembers how long each wait was allowed to be (nothing sets it)."""

    def __init__(self) -> None:
        super().__init__()
        self.timeouts: list[float | None] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.timeouts.append(timeout)
        return False


def test_the_live_clock_waits_longer_only_while_it_may() -> None:
    wake = _Waits()
    clock = LiveClock(0.025, 0.075, wake, patient_seconds=0.1, monotonic=FakeClock())
    clock.next_step()
    patient = [True]
    clock.patient = lambda: patient[0]
    clock.next_step()
    patient[0] = False
    clock.next_step()
    assert wake.timeouts == [0.025, 0.1, 0.025]


def test_the_live_loop_is_patient_only_at_a_question_with_the_voice_and_the_room_silent() -> None:
    from coach.core.states import State
    from coach.program.loader import load_bundled
    from coach.program.model import Side
    from coach.runtime.assembly import start_session
    from coach.runtime.live import LiveOptions, LiveRun
    from coach.settings import Settings

    started = start_session(load_bundled("medial-knee"), Settings(), side=Side.LEFT,
                            history=False, now=0.0)
    try:
        live = LiveRun(started, LiveOptions(listen=False, output_device="no such speaker"),
                       write=lambda line: None)
        session = live.session
        session.start(0.0)
        assert session.state is State.OPENING and not live.clock.patient()  # narration
        session.handle(Heard(Intent.STOP, "stop", 1.0, 1.0))
        assert session.state is State.CONFIRM_STOP and live.clock.patient()
        mic = FakeMic()
        live.microphone.mic = mic  # type: ignore[assignment]
        assert not live.clock.patient()  # the microphone wakes it at every block: a word
        mic.wake_every = 4
        assert live.clock.patient()
        session.handle(Heard(Intent.NO, "no", 1.0, 3.0))
        assert session.state is not State.CONFIRM_STOP and not live.clock.patient()
    finally:
        started.close()

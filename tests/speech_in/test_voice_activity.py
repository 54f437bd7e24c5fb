"""Which frames are speech, for Whisper's listener (coach.speech_in.voice_activity).

While the coach speaks the energy VAD flags speech, not Silero: Silero
flagged too few frames of a short word said over the coach's voice, and
"stop" said over it was rejected as too short. In silence Silero decides,
and when the coach asked nothing, or asked a question none of whose answers
ends the session, a frame far over the room's median level is speech too.
In the pause just after the coach's voice, and at every question, a frame is
speech when Silero says so or when the energy VAD flags it and Silero gives
it a lower probability (at a question, not just after a word Silero flagged).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from edge_engine import Counting

from coach.audio.wavfile import read_audio
from coach.cli.hear import moment_question
from coach.core.expect import listening
from coach.core.states import State
from coach.runtime.listen_for import tell
from coach.speech_in.echo import levels
from coach.speech_in.listener import WHISPER_CONFIG, Listener
from coach.speech_in.scripted import stream
from coach.speech_in.silero import SileroVad
from coach.speech_in.vad import FRAME_SECONDS, EnergyVad
from coach.speech_in.voice_activity import VoiceActivity

pytest.importorskip("onnxruntime")


def whispers() -> VoiceActivity:
    c = WHISPER_CONFIG
    return VoiceActivity(margin_db=c.vad_margin_db, silero_threshold=c.vad_threshold,
                         gap_threshold=c.gap_threshold, loud_db=c.loud_db)


def word(shared: Path) -> np.ndarray:
    stop = sorted((shared / "speech_commands" / "stop").glob("*.wav"))[0]
    pcm = np.concatenate([np.zeros(4800, np.int16), read_audio(stop)])
    return pcm[: pcm.size - pcm.size % 160]


def test_over_the_coach_the_energy_vad_flags_the_word(shared_audio: Path) -> None:
    pcm = word(shared_audio)
    over_coach = whispers().frames(pcm, coach_playing=True)
    assert np.array_equal(over_coach, EnergyVad(margin_db=WHISPER_CONFIG.vad_margin_db)
                          .is_speech(levels(pcm)))
    # ...which is not what Silero alone says of the same word (the test would pass vacuously)
    assert not np.array_equal(over_coach, SileroVad().speech_frames(pcm))


def test_in_silence_at_a_question_silero_decides(shared_audio: Path) -> None:
    pcm = word(shared_audio)
    assert np.array_equal(whispers().frames(pcm, loud=False), SileroVad().speech_frames(pcm))


def test_just_after_the_coach_a_frame_the_energy_vad_flags_needs_less_of_silero(
        shared_audio: Path) -> None:
    pcm = word(shared_audio)
    silero = SileroVad(WHISPER_CONFIG.vad_threshold).speech_frames(pcm)
    energy = EnergyVad(margin_db=WHISPER_CONFIG.vad_margin_db).is_speech(levels(pcm))
    gap = whispers().frames(pcm, after_coach=True)
    assert (gap >= silero).all()  # all Silero says is kept
    assert not (gap & ~(silero | energy)).any()  # nothing neither VAD flags
    assert gap.sum() > silero.sum()  # this word's weaker frames are let in (not vacuous)


def test_at_a_question_the_pause_rule_holds_with_the_coach_silent(shared_audio: Path) -> None:
    """``gap``: at a question the listener lets in the frames the pause's rule
    lets in, Silero's own first, nothing neither VAD flags."""
    pcm = word(shared_audio)
    silero = whispers().frames(pcm, loud=False)
    energy = EnergyVad(margin_db=WHISPER_CONFIG.vad_margin_db).is_speech(levels(pcm))
    gap = whispers().frames(pcm, loud=False, gap=True)
    assert (gap >= silero).all()
    assert not (gap & ~(silero | energy)).any()
    assert gap.sum() > silero.sum()  # this word's weaker frames are let in (not vacuous)
    assert np.array_equal(gap, whispers().frames(pcm, after_coach=True))


def test_without_silero_the_energy_vad_decides_everywhere(shared_audio: Path) -> None:
    pcm = word(shared_audio)
    energy = EnergyVad(margin_db=WHISPER_CONFIG.vad_margin_db).is_speech(levels(pcm))
    for playing, after in ((False, False), (True, False), (False, True)):
        vad = VoiceActivity(margin_db=WHISPER_CONFIG.vad_margin_db)  # a fresh noise floor
        assert np.array_equal(vad.frames(pcm, coach_playing=playing, after_coach=after), energy)


def test_silero_skips_the_rooms_quiet_only_while_the_coach_is_silent() -> None:
    """Three seconds of a quiet room's hiss: skipped after the first second while
    the coach is silent; run on every chunk over its voice and just after it."""
    hiss = (np.random.default_rng(5).standard_normal(48000) * 16).astype(np.int16)
    for coach_playing, after_coach in ((False, False), (True, False), (False, True)):
        vad = whispers()
        for i in range(0, hiss.size, 320):
            vad.frames(hiss[i : i + 320], coach_playing=coach_playing, after_coach=after_coach)
        silero = vad._silero
        assert silero is not None
        if coach_playing or after_coach:
            assert silero.chunks_skipped == 0 and silero.chunks_run == 48000 // 512
        else:
            assert silero.chunks_skipped >= 0.9 * 32000 / 512


def loud_burst() -> np.ndarray:
    """A second of a quiet room, then a loud burst Silero does not take for
    speech (white noise, 40 dB over the room), then the room again."""
    rng = np.random.default_rng(3)
    room = (rng.standard_normal(16000) * 20).astype(np.int16)
    burst = (rng.standard_normal(4800) * 2000).astype(np.int16)
    return np.concatenate([room, burst, room[:3200]])


def test_in_silence_a_frame_far_over_the_rooms_floor_is_speech_whatever_silero_says() -> None:
    """``loud_db`` (20 dB in the coach): the burst's frames are speech; where
    the rule is off (``loud=False``: "End the session?") and without it they
    are not; the quiet room is never speech."""
    pcm = loud_burst()
    c = WHISPER_CONFIG
    assert c.loud_db == 20.0 and c.loud_at_questions
    flags = {}
    for name, loud_db, loud in (("on", c.loud_db, True), ("asked", c.loud_db, False),
                                ("off", None, True)):
        vad = VoiceActivity(margin_db=c.vad_margin_db, silero_threshold=c.vad_threshold,
                            gap_threshold=c.gap_threshold, loud_db=loud_db)
        flags[name] = np.concatenate([vad.frames(pcm[i : i + 320], loud=loud)
                                      for i in range(0, pcm.size, 320)])
    burst_frames = slice(100, 130)
    assert flags["on"][burst_frames].mean() > 0.9
    assert not flags["off"][burst_frames].any()  # Silero: no speech (the test is not vacuous)
    assert not flags["asked"][burst_frames].any()
    assert not flags["on"][:100].any() and not flags["on"][135:].any()


def test_a_noise_that_swells_and_fades_is_not_loud_over_its_own_median() -> None:
    """Loud is measured from the room's median level, not its quietest: white
    noise whose level jumps frame by frame over 30 dB (a television, a room of
    talk) stands 20 dB over its own floor often, and over its median rarely."""
    rng = np.random.default_rng(5)
    gains = 10 ** (rng.uniform(0, 30, 400) / 20) * 5
    pcm = (rng.standard_normal((400, 160)) * gains[:, None]).astype(np.int16).reshape(-1)
    c = WHISPER_CONFIG
    flags = {}
    for window in (c.loud_window_seconds, 0.0):
        vad = VoiceActivity(margin_db=c.vad_margin_db, silero_threshold=c.vad_threshold,
                            gap_threshold=c.gap_threshold, loud_db=c.loud_db,
                            loud_window_seconds=window)
        flags[window] = np.concatenate([vad.frames(pcm[i : i + 320]) for i in range(0, pcm.size, 320)])
    settled = slice(200, 400)  # after the first two seconds
    assert flags[0.0][settled].mean() > 0.1  # over the floor: the rule fires (not vacuous)
    assert flags[c.loud_window_seconds][settled].mean() < 0.02


@pytest.mark.slow
def test_whisper_makes_no_command_of_a_loud_burst_it_is_given(whisper: Listener) -> None:
    """The same loud burst: while counting and at the rating question the
    listener hands it to Whisper (one utterance decided) and no command is made
    of it; at "End the session?" it is never an utterance."""
    pcm = np.concatenate([loud_burst(), np.zeros(8000, np.int16)])
    counts = {}
    for state in (State.WORKING, State.ASK_PAIN, State.CONFIRM_STOP):
        tell(whisper, listening(state, question=moment_question(state.value)))
        whisper.reset()
        assert stream(whisper, pcm) == []
        counts[state] = len(whisper.decisions)
    assert counts == {State.WORKING: 1, State.ASK_PAIN: 1, State.CONFIRM_STOP: 0}


@pytest.mark.parametrize("moment, loud", [
    (State.WORKING, True), (State.RESTING, True),  # nothing asked
    (State.READY, True), (State.ASK_SIDE, True), (State.ASK_PAIN, True),  # their answers end nothing
    (State.CONFIRM_STOP, False),  # "yes" or "stop" there ends the session
])
def test_the_loud_rule_holds_where_no_answer_ends_the_session(moment: State, loud: bool) -> None:
    """The listener as the session tells it at each moment: the loud burst
    Silero does not take for speech reaches the engine wherever the coach asked
    nothing or asked a question none of whose answers ends the session, and
    not at "End the session?"."""
    engine = Counting()
    listener = Listener(engine, config=WHISPER_CONFIG)
    tell(listener, listening(moment, question=moment_question(moment.value)))
    listener.reset()
    stream(listener, np.concatenate([loud_burst(), np.zeros(8000, np.int16)]), block_samples=480)
    assert bool(engine.given) == loud, (moment, engine.given, [d.reason for d in listener.decisions])


def noisy_word(shared: Path) -> np.ndarray:
    """``word`` after a second of noise 12 dB under it, in that noise."""
    pcm = np.concatenate([np.zeros(16000, np.int16), word(shared), np.zeros(8000, np.int16)])
    rms = float(np.sqrt(np.mean(word(shared).astype(np.float64) ** 2)))
    noise = np.random.default_rng(7).standard_normal(pcm.size) * rms * 10 ** (-12 / 20)
    return np.clip(pcm + noise, -32768, 32767).astype(np.int16)


@pytest.mark.parametrize("moment, gap", [
    (State.WORKING, False), (State.RESTING, False),  # nothing asked
    (State.READY, True), (State.ASK_SIDE, True), (State.ASK_PAIN, True), (State.CONFIRM_STOP, True),
])
def test_the_pause_rule_holds_at_the_questions(shared_audio: Path, moment: State,
                                               gap: bool) -> None:
    """The listener as the session tells it at each moment: at a question the
    engine is given more of a word in noise (12 dB under it: the loud rule does
    not reach it) whose weaker frames Silero alone leaves out than with the rule
    off; where nothing is asked, the same."""
    given = {}
    for on in (True, False):
        engine = Counting()
        listener = Listener(engine, config=replace(WHISPER_CONFIG, gap_at_questions=on))
        tell(listener, listening(moment, question=moment_question(moment.value)))
        listener.reset()
        stream(listener, noisy_word(shared_audio), block_samples=480)
        given[on] = engine.given
    assert given[False], "the word reaches the engine either way"
    assert (sum(given[True]) > sum(given[False])) == gap, given


def test_at_a_question_the_rule_takes_nothing_just_after_a_word_silero_flagged(
        shared_audio: Path) -> None:
    """Silero's probability decays slowly after a word: a click 60 ms after a
    recorded "up" (0.29-0.34 there) passed the rule's 0.2, made the utterance
    0.12 s longer, and was written "Right, right, right," at "Which knee?". At
    the questions the rule takes no frame within ``gap_after_word_seconds`` of
    one Silero flagged; before Silero flags anything, it holds as before."""
    up = read_audio(shared_audio / "speech_commands" / "up" / "7dc95912_nohash_0.wav")
    pcm = np.concatenate([np.zeros(8000, np.int16), up, np.zeros(8000, np.int16)])
    pcm = pcm[: pcm.size - pcm.size % 160]
    c = WHISPER_CONFIG
    assert c.gap_at_questions and c.gap_after_word_seconds == 0.3

    def flags(vad: VoiceActivity, gap: bool) -> np.ndarray:
        return np.concatenate([vad.frames(pcm[i : i + 480], loud=False, gap=gap)
                               for i in range(0, pcm.size, 480)])

    def with_rule(after_word: float) -> np.ndarray:
        return flags(VoiceActivity(margin_db=c.vad_margin_db, silero_threshold=c.vad_threshold,
                                   gap_threshold=c.gap_threshold, loud_db=c.loud_db,
                                   gap_after_word_seconds=after_word), gap=True)

    alone = flags(whispers(), gap=False)
    kept, every = with_rule(c.gap_after_word_seconds), with_rule(0.0)
    last = int(np.flatnonzero(alone)[-1])  # Silero's last flagged frame
    window = slice(last + 1, last + 1 + round(c.gap_after_word_seconds / FRAME_SECONDS))
    assert every[window].any()  # the click: the rule alone takes it (not vacuous)
    assert not kept[window].any()
    assert (kept >= alone).all()  # all Silero says is kept

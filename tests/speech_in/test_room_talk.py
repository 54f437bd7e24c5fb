"""A television, a radio or people talking in the room (coach.speech_in.voice_activity).

The voice activity detectors take talk for speech, so with a television on
every utterance ran on past the length of a command and the person's word was
lost in it. Once the room has talked for a while (most of the last
``TALK_WINDOW_SECONDS``, the coach silent), a frame is speech only when it
also stands ``talk_db`` over the room's talk: the person's word, said over
it, and not the talk itself. In a quiet room, or a room with a fan, nothing
changes.

Talk here is noise in syllable-sized bursts, which the energy VAD flags as
speech; the tests with recordings are in test_living_room.py.
"""

from __future__ import annotations

import numpy as np

from coach.speech_in.listener import WHISPER_CONFIG
from coach.speech_in.vad import FRAME_SAMPLES
from coach.speech_in.voice_activity import TALK_WINDOW_SECONDS, VoiceActivity

BLOCK = 480  # the listener's block: 30 ms
MARGIN_DB = WHISPER_CONFIG.vad_margin_db


def talk(seconds: float, rms: float, seed: int = 1) -> np.ndarray:
    """Bursts of noise 180 ms long with 70 ms gaps (syllables), at ``rms``,
    over a quiet room; its level wanders by a few dB burst to burst."""
    rng = np.random.default_rng(seed)
    n = round(seconds * 16000)
    out = rng.standard_normal(n) * 3.0
    for start in range(0, n, 4000):  # 250 ms: a burst and a gap
        gain = rms * 10 ** (rng.uniform(-3, 3) / 20)
        end = min(n, start + 2880)
        out[start:end] += rng.standard_normal(end - start) * gain
    return out


def pcm16(x: np.ndarray) -> np.ndarray:
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


def flags_of(vad: VoiceActivity, pcm: np.ndarray, **kw: bool) -> np.ndarray:
    """The flags for ``pcm``, fed block by block as the listener does."""
    pcm = pcm[: pcm.size - pcm.size % BLOCK]
    return np.concatenate([vad.frames(pcm[i : i + BLOCK], **kw) for i in range(0, pcm.size, BLOCK)])


def energy_vad(talk_db: float | None = 8.0) -> VoiceActivity:
    return VoiceActivity(margin_db=MARGIN_DB, talk_db=talk_db)


def frames(seconds: float) -> int:
    return round(seconds * 16000 / FRAME_SAMPLES)


def test_the_coach_listens_for_a_word_over_the_rooms_talk() -> None:
    assert WHISPER_CONFIG.talk_db == 8.0


def test_once_the_room_has_talked_its_talk_is_not_speech() -> None:
    pcm = pcm16(talk(6.0, 300.0))
    gated = flags_of(vad := energy_vad(), pcm)
    plain = flags_of(energy_vad(None), pcm)
    settled = slice(frames(TALK_WINDOW_SECONDS + 0.5), None)
    assert plain[settled].mean() > 0.6  # the VAD alone takes the talk for speech (not vacuous)
    assert vad.room_talking
    assert gated[settled].mean() < 0.01
    # Before the room has talked for the window's length, nothing is held back.
    early = slice(0, frames(TALK_WINDOW_SECONDS) - 3)
    assert np.array_equal(gated[early], plain[early])


def test_a_word_said_over_the_talk_is_speech_and_so_is_the_next() -> None:
    """A word 20 dB over the talk is flagged; so is a second one right after it:
    the person's own frames do not go into the room's level."""
    rng = np.random.default_rng(7)
    background = talk(6.0, 300.0)
    word = rng.standard_normal(6400) * 3000.0  # 0.4 s
    first, second = round(3.5 * 16000), round(4.3 * 16000)
    mixed = background.copy()
    mixed[first : first + word.size] += word
    mixed[second : second + word.size] += word
    flags = flags_of(energy_vad(), pcm16(mixed))
    for at in (first, second):
        span = slice(at // FRAME_SAMPLES + 2, (at + word.size) // FRAME_SAMPLES - 2)
        assert flags[span].mean() > 0.9
    between = slice((first + word.size) // FRAME_SAMPLES + 8, second // FRAME_SAMPLES - 3)
    assert flags[between].mean() < 0.05  # the talk between the two words is not


def test_in_a_quiet_room_nothing_changes() -> None:
    """A word in a quiet room, and a steady fan, are flagged the same with the rule."""
    rng = np.random.default_rng(11)
    quiet = rng.standard_normal(16000 * 4) * 3.0
    quiet[16000 : 16000 + 8000] += rng.standard_normal(8000) * 3000.0
    fan = quiet + rng.standard_normal(quiet.size) * 200.0
    for room in (quiet, fan):
        pcm = pcm16(room)
        assert np.array_equal(flags_of(energy_vad(), pcm), flags_of(energy_vad(None), pcm))


def test_the_coachs_own_voice_is_not_the_rooms_talk() -> None:
    """Frames heard while the coach speaks, or in the pause just after it, are
    not counted as the room's: its lines do not make the room a talking one."""
    pcm = pcm16(talk(4.0, 300.0))
    for kw in ({"coach_playing": True}, {"after_coach": True}):
        vad = energy_vad()
        flags_of(vad, pcm, **kw)
        assert not vad.room_talking


def test_when_the_talk_stops_the_room_is_quiet_again() -> None:
    rng = np.random.default_rng(13)
    after = rng.standard_normal(16000 * 3) * 3.0
    word = np.zeros(16000)
    word[:6400] = rng.standard_normal(6400) * 600.0  # a word at the talk's own level
    vad = energy_vad()
    flags_of(vad, pcm16(talk(4.0, 300.0)))
    assert vad.room_talking
    flags_of(vad, pcm16(after))
    assert not vad.room_talking
    assert flags_of(vad, pcm16(word))[2:38].mean() > 0.9

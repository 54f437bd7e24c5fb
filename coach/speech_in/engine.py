"""The port every speech engine adapter fills, and what it hands back.

An engine decodes one utterance at a time: the Listener finds where speech
starts and ends (voice activity on the audio clock) and streams just that
stretch of audio to the engine. Keeping endpointing out of the engines means
PocketSphinx, Vosk and any later engine are judged by the same rule, and a
command is always a short, isolated utterance whatever the engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class Hypothesis:
    """An engine's best guess for one utterance."""

    text: str  # the words of the grammar it matched (or transcribed), "" when nothing matched
    confidence: float  # 0..1, engine-specific but monotonic: higher is surer
    in_grammar: bool  # False when the garbage path or [unk] won
    no_speech: float = 0.0  # 0..1, the engine's own belief that there was no speech at all
    truncated: bool = False  # the transcript hit the engine's length limit mid-phrase
    rescued: bool = False  # a second try, limited to the moment's likely phrases
    by_sound: bool = False  # that try told the word by its sound (coach.speech_in.keywords)
    # At the rating question, a one-word utterance whose sound is surely no number
    # (coach.speech_in.keywords): a number written for it is not taken.
    no_number: bool = False
    # At a question, a short utterance whose sound is surely another word than
    # any the keyword model knows (coach.speech_in.keywords): an answer it knows
    # ("No." written for a "down" said across a room) is not taken from it.
    other_word: bool = False
    # At a question, a short utterance whose sound is surely no yes
    # (coach.speech_in.keywords): a "yes" that would end the session is not
    # taken from it ("Yeah." written for a "cat" said across a room).
    not_yes: bool = False
    # Told by its sound (``by_sound``): the words the engine wrote for the utterance.
    written: str = ""


class Engine(Protocol):
    """Decodes one utterance of 16 kHz mono int16 PCM against the command grammar.

    ``listen_for``, ``prompt_with`` and ``rescues`` are steps an engine may
    have nothing to do for: ``EngineBase`` gives every engine their do-nothing
    forms, so the Listener calls them on any engine without asking.
    """

    name: str
    description: str  # what the start-up line says ("" for the name and language)

    def listen_for(self, phrases: tuple[str, ...] | None) -> None:
        """The phrases most likely said now (None: every phrase)."""

    def prompt_with(self, question: str) -> None:
        """The line the coach last asked ("" for none)."""

    def rescues(self) -> Iterator[Hypothesis]:
        """After ``finish`` gave no command of the moment: other answers, best first
        (none at all for most engines). The caller stops at the first it takes, so
        an engine may compute each only when asked for it."""

    def begin(self) -> None:
        """Start a new utterance (drops whatever the previous one left)."""

    def accept(self, pcm: np.ndarray) -> None:
        """Add samples of the current utterance, in order, any block size."""

    def finish(self) -> Hypothesis:
        """End the utterance and return the best guess."""


class EngineBase:
    """The optional steps of ``Engine``, doing nothing; engines override what they use."""

    description = ""

    def listen_for(self, phrases: tuple[str, ...] | None) -> None:
        return None

    def prompt_with(self, question: str) -> None:
        return None

    def rescues(self) -> Iterator[Hypothesis]:
        return iter(())

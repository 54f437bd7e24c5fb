"""Events: facts that reached the session, in the past tense.

Every event carries ``at``: seconds on the run's one clock (the audio clock
live, a manual clock in tests). The session never reads a clock itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.commands.intents import Intent


@dataclass(frozen=True)
class Heard:
    """A command was recognised (spoken) or typed."""

    intent: Intent
    text: str  # what was recognised or typed, as is
    confidence: float  # 0..1; typed text is 1.0
    at: float  # s, end of the utterance on the session clock
    number: int | None = None  # 0..10 when intent is NUMBER


@dataclass(frozen=True)
class NotUnderstood:
    """An utterance was heard and not taken as a command (the recogniser's reason).

    ``had_speech``: the recogniser found words in it (not noise, not the
    coach's own echo, which are rejected before any words are looked for);
    only then may the session answer it. ``intent``: a command it did parse
    to, which this moment does not listen for ("not-expected").
    """

    at: float  # s, end of the utterance on the session clock
    reason: str  # the recogniser's: "not-a-command", "not-expected", "too-short", ...
    had_speech: bool
    text: str = ""  # what the recogniser wrote down
    intent: Intent | None = None
    number: int | None = None  # with intent NUMBER


@dataclass(frozen=True)
class Tick:
    """Time passed. The runtime sends these often (every 10-50 ms live)."""

    at: float  # s


@dataclass(frozen=True)
class SpeechStarted:
    utterance_id: int
    at: float  # s, first sample on the output timeline


@dataclass(frozen=True)
class SpeechDone:
    utterance_id: int
    at: float  # s, last sample on the output timeline
    interrupted: bool = False  # cut by StopSpeaking or an urgent phrase


Event = Heard | NotUnderstood | Tick | SpeechStarted | SpeechDone

"""Actions: what the session asks the outside world to do, in the imperative."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from coach.commands.intents import Intent
from coach.core.records import Record, SessionSummary


class Priority(enum.IntEnum):
    COUNT = 0  # a beat of a count: dropped rather than played late
    NORMAL = 1  # instructions, prompts
    URGENT = 2  # "Stopping.", pain: cuts whatever is playing


class SayKind(enum.Enum):
    """What a line is to the voice: counts and cue words recur, so they are cached."""

    LINE = "line"  # an instruction, a question, a reply
    COUNT = "count"  # a number on its beat: "3", "10"
    CUE_WORD = "cue-word"  # a phase's cue on its beat: "Lift.", "Hold."


class CueKind(enum.Enum):
    BEAT = "beat"
    START = "start"
    REST_OVER = "rest-over"
    DONE = "done"


@dataclass(frozen=True)
class Say:
    text: str
    id: int  # unique within a session; echoed in SpeechStarted/SpeechDone
    priority: Priority = Priority.NORMAL
    at: float | None = None  # s: the beat this must start on; None = as soon as possible
    kind: SayKind = SayKind.LINE


@dataclass(frozen=True)
class Cue:
    kind: CueKind
    at: float | None = None  # s, the beat; None = now


@dataclass(frozen=True)
class StopSpeaking:
    """Silence the voice (queued speech is dropped too).

    ``at_once``: the person said stop, pause or that it hurts; the runtime
    cuts at the very next sample it plays, not at the session clock's
    look-ahead. Other commands (next, repeat...) silence the voice in turn.
    """

    at_once: bool = False


@dataclass(frozen=True)
class DropLines:
    """Drop these lines if they have not started: replies a newer command made stale.

    A line already playing is left to end; counts, cue words, tones and the
    lines that pace the session are never named here. Each line dropped still
    gets its SpeechDone (interrupted).
    """

    ids: tuple[int, ...]


@dataclass(frozen=True)
class ChangeVoice:
    """Listener asked for slower/faster/louder/quieter, or a voice by name; values are
    the new settings."""

    rate_wpm: int
    volume: float  # 0..1
    voice: str | None = None  # the voice to speak with from now on; None: the same


@dataclass(frozen=True)
class Log:
    """A fact for the history store (one of the types in ``coach.core.records``)."""

    record: Record


@dataclass(frozen=True)
class Listen:
    """Listen for these: what fits the moment changed.

    Emitted at the start and after any event that changed it, never twice
    the same in a row. ``intents`` are the commands the session acts on now
    (``coach.core.expect``). ``focus`` is what is most likely to be said:
    while a question is open, its answers and the few commands that always
    work (a grammar engine listens for only these; a transcribing engine
    tries them when what it wrote down is no command). ``question`` is the
    line the coach last asked, as it said it ("How is your knee, from zero
    to ten?", "Say go when you are ready."), or "" when no question is open;
    a recogniser that transcribes freely may be told it. ``decisive`` are the
    answers that end the session ("yes" to "End the session?"): a recogniser
    takes them only when it is sure, as a word misheard there cannot be undone.
    ``sound_alikes`` are the commands a transcribing recogniser may take from
    its usual misspellings of them ("Start." for "stop" while a set is
    counted), where those mean nothing else (``coach.core.expect``).
    ``answers`` are the open question's own answers (go to "Say go", left or
    right to "Which knee?"): a recogniser that tells a word by its sound
    alone gives only those at a question.
    """

    intents: frozenset[Intent]
    question: str = ""
    focus: frozenset[Intent] | None = None  # None: the same as ``intents``
    decisive: frozenset[Intent] = frozenset()
    sound_alikes: frozenset[Intent] = frozenset()
    answers: frozenset[Intent] = frozenset()


@dataclass(frozen=True)
class SessionEnded:
    summary: SessionSummary


Action = Say | Cue | StopSpeaking | DropLines | ChangeVoice | Log | Listen | SessionEnded

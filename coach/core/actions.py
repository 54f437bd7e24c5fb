"""Actions: what the session asks the outside world to do, in the imperative."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Priority(enum.IntEnum):
    COUNT = 0  # a beat of a count: dropped rather than played late
    NORMAL = 1  # instructions, prompts
    URGENT = 2  # "Stopping.", pain: cuts whatever is playing


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
    kind: str = (
        "line"  # "line", "count", "cue-word" ("Lift."): counts and cue words recur and are cached
    )


@dataclass(frozen=True)
class Cue:
    kind: CueKind
    at: float | None = None  # s, the beat; None = now


@dataclass(frozen=True)
class StopSpeaking:
    """Silence the voice at once (queued speech is dropped too)."""


@dataclass(frozen=True)
class ChangeVoice:
    """Listener asked for slower/faster/louder/quieter; values are the new settings."""

    rate_wpm: int
    volume: float  # 0..1


@dataclass(frozen=True)
class Log:
    """A fact for the history store and the resume snapshot.

    ``record["kind"]`` is one of: session-started, step, set-done, exercise-done,
    exercise-skipped, pain, level-changed, paused, resumed, session-ended,
    settings-changed (new ``rate_wpm`` and ``volume``: ``coach start`` saves them).
    """

    record: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionEnded:
    summary: Mapping[str, Any]


Action = Say | Cue | StopSpeaking | ChangeVoice | Log | SessionEnded

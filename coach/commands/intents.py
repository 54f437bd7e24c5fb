"""What a person can ask of the coach. The words for each intent live in data."""

from __future__ import annotations

import enum


class Intent(enum.Enum):
    NEXT = "next"
    BACK = "back"
    REPEAT = "repeat"
    HARDER = "harder"
    EASIER = "easier"
    PAUSE = "pause"
    GO = "go"
    STOP = "stop"
    YES = "yes"
    NO = "no"
    LEFT = "left"
    RIGHT = "right"
    STATUS = "status"
    HELP = "help"
    SLOWER = "slower"
    FASTER = "faster"
    LOUDER = "louder"
    QUIETER = "quieter"
    PAIN = "pain"
    WEEK = "week"  # the past week from history, said at the start of a session
    SKIP_EXERCISE = "skip-exercise"  # the whole exercise, at once, wherever it is
    ABOUT = "about"  # the exercise's equipment and levels, before a set
    # Everything by voice: the past beyond the week, and the voice by name.
    LAST_SESSION = "last-session"  # when the last session was, what was done, its pain
    PAIN_TREND = "pain-trend"  # pain over the past weeks, honestly when there is little
    MY_LEVELS = "my-levels"  # each exercise's level now, by its spoken name
    SIMPLE_VOICE = "simple-voice"  # espeak-ng
    NATURAL_VOICE = "natural-voice"  # the neural voice
    TALK_LESS = "talk-less"  # verbosity: short
    MORE_DETAIL = "more-detail"  # verbosity: full
    TONES_ON = "tones-on"  # count with tones
    TONES_OFF = "tones-off"  # count with the voice
    NUMBER = "number"  # a number zero to ten; the value travels with it
    # Choosing today's routine, at the start of a session.
    ROUTINES = "routines"  # which routines there are to choose from
    CHOOSE = "choose"  # a routine or a condition, by name; the name travels in the text
    LEVELS = "levels"  # the levels of the exercise coming up, briefly


# Acted on at once: decided at the first pause in the person's speech (the
# session also cuts the coach's voice at once for them: StopSpeaking.at_once).
# Saying more after them changes nothing they should not.
DECIDED_AT_FIRST_PAUSE = frozenset({Intent.STOP, Intent.PAUSE, Intent.PAIN})

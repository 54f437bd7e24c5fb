"""What a person may say at each moment of a session, for the recogniser.

A recogniser choosing among every command at every moment confuses short
words: "one" with "what", "go" with "ow". Between questions the recogniser
listens for every command except answers (numbers, yes, no, left, right),
which mean nothing there. A question that takes only its answers ("Which
knee hurts, left or right?", "How is your knee, from zero to ten?", yes or
no) is listened for with its answers and every command besides: a command
that is not an answer is told at once what to say, so a person who cannot
see the screen is never met with silence.

Typed commands are never narrowed: this only tells the recogniser what to
listen for.
"""

from __future__ import annotations

from coach.commands.intents import Intent
from coach.core.actions import Listen
from coach.core.dispatch import ANSWERED_BY, ENDS_SESSION, SIDE_TAKEN
from coach.core.states import State

ANSWERS = frozenset({Intent.NUMBER, Intent.YES, Intent.NO, Intent.LEFT, Intent.RIGHT})
ALWAYS = frozenset(
    {
        Intent.STOP,
        Intent.HELP,
        Intent.REPEAT,
        Intent.SLOWER,
        Intent.FASTER,
        Intent.LOUDER,
        Intent.QUIETER,
    }
)
COMMANDS = frozenset(Intent) - ANSWERS
# Listened for too, for a few seconds after a pain rating was said back: a
# misheard rating is corrected with "no" or the right number.
CORRECTIONS = frozenset({Intent.NO, Intent.NUMBER})
# The questions whose answers are only answers (a number, yes or no, a side);
# at the other prompts ("Say go when you are ready.") every command fits.
QUESTIONS: dict[State, frozenset[Intent]] = {
    state: ANSWERED_BY[state]
    for state in (State.ASK_SIDE, State.ASK_RESUME, State.CONFIRM_STOP, State.ASK_PAIN)
}


# Where a transcribing recogniser's spelling of a command it did not catch
# whole (the vocabulary's ``heard_as``: "Start." for "stop") is taken for it:
# only where that spelling means nothing else. While a set is counted, "start"
# does not (the set is under way); at "Say go" or in a rest it would start one.
SOUND_ALIKES: dict[State, frozenset[Intent]] = {State.WORKING: frozenset({Intent.STOP})}


def focus_intents(state: State, side_open: bool = True) -> frozenset[Intent]:
    """What is most likely said in ``state``: a question's answers and the
    commands that always work, or every command between questions."""
    base = QUESTIONS[state] | ALWAYS if state in QUESTIONS else COMMANDS
    if side_open and state in SIDE_TAKEN:
        return base | {Intent.LEFT, Intent.RIGHT}
    return base


def expected_intents(state: State, side_open: bool = True) -> frozenset[Intent]:
    """The intents worth listening for in ``state``.

    ``side_open`` (``Session.side_open``): the knee may still be named, so in
    the moments where the session takes a side said before it is asked
    (``dispatch.SIDE_TAKEN``), left and right are listened for too.
    """
    base = QUESTIONS[state] | COMMANDS if state in QUESTIONS else COMMANDS
    if side_open and state in SIDE_TAKEN:
        return base | {Intent.LEFT, Intent.RIGHT}
    return base


def sound_alike_intents(state: State) -> frozenset[Intent]:
    """The commands whose sound-alike spellings are taken in ``state`` (``SOUND_ALIKES``)."""
    return SOUND_ALIKES.get(state, frozenset())


def decisive_intents(state: State) -> frozenset[Intent]:
    """The answers that end the session in ``state``: heard only when the recogniser is sure."""
    return ENDS_SESSION.get(state, frozenset())


def listening(state: State, side_open: bool = True, correcting: bool = False,
              question: str = "") -> Listen:
    """What the recogniser is told in ``state`` (``question``: the line just asked).

    ``correcting``: a rating was just said back, so "no" and another number
    are listened for too (``CORRECTIONS``).
    """
    intents = expected_intents(state, side_open)
    focus = focus_intents(state, side_open)
    if correcting:
        intents |= CORRECTIONS
        focus |= CORRECTIONS
    return Listen(intents, question, focus, decisive_intents(state), sound_alike_intents(state),
                  ANSWERED_BY.get(state, frozenset()))

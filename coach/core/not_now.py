"""A command that is not for this moment: answered with what can be said, never acted on.

At a question that takes only its answers, the coach says what those are;
elsewhere ("next" during the opening, "go" in a set), that it means nothing now.
"""

from __future__ import annotations

from collections.abc import Callable

from coach.commands.intents import Intent
from coach.core.context import Context
from coach.core.events import Heard
from coach.core.states import State


# What to say at each question that takes only its answers, to any other command.
ANSWERS_HINT = {
    State.ASK_SIDE: "answer_side",
    State.ASK_RESUME: "answer_yes_no",
    State.CONFIRM_STOP: "answer_yes_no",
    State.ASK_PAIN: "number_range",
}


def say_what_answers(state: State) -> Callable[[Context, Heard], None]:
    """A command that is not an answer to the question open in ``state``."""
    key = ANSWERS_HINT[state]

    def hint(ctx: Context, heard: Heard) -> None:
        ctx.say(ctx.lines.get(key))

    return hint


# What to say to a command that does nothing at this moment, by where the session is.
NOT_NOW = {State.WORKING: "not_now_set", State.RESTING: "not_now_rest"}


def not_now(ctx: Context, heard: Heard) -> None:
    """A command that means nothing at this moment: said so, never met with silence."""
    if heard.intent is Intent.NUMBER and (heard.number is None or not 0 <= heard.number <= 10):
        ctx.say(ctx.lines.get("number_range"))
        return
    ctx.say(ctx.lines.get(NOT_NOW.get(ctx.state, "not_now")))

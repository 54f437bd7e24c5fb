"""Answering speech the recogniser did not understand, so a person is never met with silence.

When the recogniser heard words (never for noise or the coach's own echo):

- at a question, it says briefly what to say ("Sorry, I did not catch
  that. A number from zero to ten, please.");
- a real command this moment does not listen for is answered as a typed
  one would be, without acting on it (a misheard number never pauses a set);
- during work it stays silent, but a second failure within a few seconds
  gets "Say help to hear what you can say.".

Answers over a count go through ``interrupt.hold_for_reply`` like any reply.
"""

from __future__ import annotations

from coach.commands.intents import Intent
from coach.core import interrupt, not_now, sides
from coach.core.context import Context
from coach.core.events import Heard, NotUnderstood
from coach.core.states import State
from coach.program.model import Side

SECOND_FAILURE_SECONDS = 8.0  # during work, a second failure this soon gets the help hint
ANSWER_GAP_SECONDS = 4.0  # at most one "Sorry, I did not catch that." this often
# What to say at a question, after "Sorry, I did not catch that.".
CAUGHT_HINT = {
    State.ASK_SIDE: "not_caught_side",
    State.ASK_RESUME: "not_caught_yes_no",
    State.CONFIRM_STOP: "not_caught_yes_no",
    State.ASK_PAIN: "not_caught_number",
}


def on_not_understood(ctx: Context, event: NotUnderstood) -> None:
    if not event.had_speech or ctx.misheard.echo(event.at, event.text):
        return
    before, mark = ctx.state, ctx.mark()
    _answer(ctx, event)
    said = ctx.said_since(mark)
    if before is State.WORKING:
        interrupt.hold_for_reply(ctx, said)
    if said:  # a reply, as to a command: it makes older ones stale, and may go stale itself
        ctx.answered(mark, reply=True)


def _answer(ctx: Context, event: NotUnderstood) -> None:
    misheard = ctx.misheard
    if misheard.answered_within(event.at, ANSWER_GAP_SECONDS):
        return  # just answered: once is enough
    if event.intent is not None:
        _command_not_now(ctx, event)
    elif ctx.state in CAUGHT_HINT:
        ctx.say(ctx.lines.get(CAUGHT_HINT[ctx.state]))
    elif ctx.question.is_open:  # "Say go when you are ready.", paused, the choice after pain
        ctx.say(f"{ctx.lines.get('not_caught')} {ctx.question.text}")
    elif misheard.missed_within(event.at, SECOND_FAILURE_SECONDS):
        ctx.say(ctx.lines.get("not_caught_help"))
    else:
        misheard.missed_silently(event.at)  # the first, during work: silence
        return
    misheard.answered(event.at)
    if ctx.question.is_open:
        ctx.question.someone_spoke()


def _command_not_now(ctx: Context, event: NotUnderstood) -> None:
    """A command this moment does not listen for: answered, never acted on."""
    intent = event.intent
    assert intent is not None
    heard = Heard(intent, event.text, 0.0, event.at, event.number)
    if ctx.state in not_now.ANSWERS_HINT:
        not_now.say_what_answers(ctx.state)(ctx, heard)
    elif intent in (Intent.LEFT, Intent.RIGHT) and ctx.state is not State.WORKING:
        sides.keep_side(Side.LEFT if intent is Intent.LEFT else Side.RIGHT)(ctx, heard)
    elif intent is Intent.NUMBER and event.number is not None and 0 <= event.number <= 10:
        ctx.say(ctx.lines.get("rate_by_saying"))
    else:
        not_now.not_now(ctx, heard)

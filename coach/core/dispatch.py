"""What each command does in each state: the table the session dispatches on.

A row per state; in it, each command that means something there, what it
does, and where it may lead. A command a state does not list changes
nothing (a stray word must never derail a set), but it is answered with a
short line ("That does not work during a set."): a person who cannot see
the screen is never met with silence. An *answer* (``answer``)
is the reply the state's question was waiting for: whatever is left of the
question is silenced before the answer is acted on, so what follows is said
now, and a prompt that has not even begun ("go" said before "Say go when you
are ready.") is never said after it.

Where a command may lead is declared with it (``leads_to``; staying put is
always allowed), and ``transitions`` derives the session's whole table of
moves from these and the ones it makes by itself (``flow.ON_ITS_OWN``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from coach.commands.intents import Intent
from coach.core import (
    interrupt,
    moves,
    not_now,
    opening,
    past,
    rating,
    replies,
    routines,
    sides,
    stopping,
    voice_settings,
)
from coach.core.context import Context
from coach.core.events import Heard
from coach.core.flow import NARRATION_ENDS
from coach.core.states import LIVE, QUESTIONS, State
from coach.program.model import Side
from coach.settings import Verbosity

Handler = Callable[[Context, Heard], None]


@dataclass(frozen=True)
class Entry:
    handler: Handler
    leads_to: frozenset[State] = frozenset()  # where it may move the session (or it stays)
    answers: bool = False  # it answers the state's question
    reply: bool = False  # it only replies (the session stays where it was): a newer command
    # drops what of it has not begun (``Context.answered``)


def does(handler: Handler, *leads_to: State) -> Entry:
    return Entry(handler, frozenset(leads_to))


def replies_only(handler: Handler) -> Entry:
    return Entry(handler, reply=True)


def answer(handler: Handler, *leads_to: State) -> Entry:
    return Entry(handler, frozenset(leads_to), answers=True)


# What a held activity can carry on as (interrupt.thaw).
RESUMABLE = frozenset(
    {State.OPENING, State.PLAN, State.INTRO, State.READY, State.WORKING, State.RESTING}
)
# Where carrying on after a stop question or a pain rating may lead: the activity
# held, the question interrupted, the next exercise, or the end of the routine.
BACK = LIVE | {State.SUMMARY}
NEXT_EXERCISE = (State.INTRO, State.SUMMARY)  # exercises.next_exercise: the next, or the end
SET_ENDS = (State.RESTING, State.ASK_PAIN)  # exercises.set_done: a rest, or the pain question
# The states where a side said is taken, while the knee may still be chosen
# (until the first set starts).
SIDE_TAKEN = frozenset({State.OPENING, State.ASK_RESUME, State.ASK_SIDE, State.PLAN,
                        State.INTRO, State.READY, State.PAUSED})

# The voice by name, verbosity and tones: as "slower" is, but never during a
# set (``voice_settings``; ``WORKING`` answers them with "after this set").
BY_NAME: dict[Intent, Entry] = {
    Intent.SIMPLE_VOICE: does(voice_settings.voice_named(natural=False)),
    Intent.NATURAL_VOICE: does(voice_settings.voice_named(natural=True)),
    Intent.TALK_LESS: does(voice_settings.verbosity(Verbosity.SHORT)),
    Intent.MORE_DETAIL: does(voice_settings.verbosity(Verbosity.FULL)),
    Intent.TONES_ON: does(voice_settings.tones(on=True)),
    Intent.TONES_OFF: does(voice_settings.tones(on=False)),
}
AFTER_THE_SET = {intent: does(voice_settings.after_the_set) for intent in BY_NAME}
# Commands that mean the same in every state of a session under way.
VOICE: dict[Intent, Entry] = {
    Intent.SLOWER: replies_only(voice_settings.slower),
    Intent.FASTER: replies_only(voice_settings.faster),
    Intent.LOUDER: replies_only(voice_settings.louder),
    Intent.QUIETER: replies_only(voice_settings.quieter),
    **BY_NAME,
}
ASKED: dict[Intent, Entry] = {  # questions about the session, answered where it is
    Intent.STATUS: replies_only(replies.status),
    Intent.HELP: replies_only(replies.help_now),
}
# The past beyond the week ("last session", "my pain trend", "my levels"):
# asides, said where the week is, never over a count.
PAST: dict[Intent, Entry] = {
    Intent.LAST_SESSION: replies_only(past.last_session),
    Intent.PAIN_TREND: replies_only(past.pain_trend),
    Intent.MY_LEVELS: replies_only(past.levels),
}
ALWAYS: dict[Intent, Entry] = {
    Intent.STOP: does(stopping.ask_to_stop, State.CONFIRM_STOP),
    **ASKED,
    **VOICE,
}


# An activity (lines being read, a prompt, a set, a rest) can be paused or stopped for pain.
ACTIVITY: dict[Intent, Entry] = {
    Intent.PAUSE: does(moves.pause, State.PAUSED),
    Intent.PAIN: does(rating.pain_reported, State.ASK_PAIN),
}
# "skip this exercise": from its steps, its start prompt, a set, a rest or a pause.
SKIP = {Intent.SKIP_EXERCISE: does(moves.skip_whole_exercise, *NEXT_EXERCISE)}
LEVELS: dict[Intent, Entry] = {
    Intent.HARDER: does(moves.harder),
    Intent.EASIER: does(moves.easier),
}


# Before the first set: choose today's routine, hear what it needs and an
# exercise's levels (never over a count: a set or a rest answers "not now").
CHOOSING = frozenset({State.OPENING, State.PLAN, State.INTRO, State.READY, State.PAUSED})
START: dict[Intent, Entry] = {
    Intent.ABOUT: replies_only(replies.about),
    Intent.LEVELS: replies_only(replies.levels),
    Intent.ROUTINES: replies_only(routines.list_routines),
    Intent.CHOOSE: does(routines.choose, State.OPENING, State.ASK_SIDE, State.PLAN),
}


def both_sides(make: Callable[[Side], Handler]) -> dict[Intent, Entry]:
    """Left and right, each doing what ``make`` makes of its side."""
    return {Intent.LEFT: does(make(Side.LEFT)), Intent.RIGHT: does(make(Side.RIGHT))}


def narration(state: State) -> dict[Intent, Entry]:
    """Moving through lines being read: next, back, repeat."""
    return {
        Intent.NEXT: does(moves.next_line, *NARRATION_ENDS[state]),
        Intent.BACK: does(moves.previous_line),
        Intent.REPEAT: does(moves.repeat_line),
    }


# "pain seven" said unasked: stop for today?, the exercise stopped, paused with an
# offer of the easier level, or (a low rating) carrying on where it was.
UNASKED_RATING = (State.CONFIRM_STOP, State.PAIN_STOPPED, State.PAUSED)

def only_answers(state: State, row: dict[Intent, Entry]) -> dict[Intent, Entry]:
    """A question that takes only its answers: any other command is told at once
    what to say ("Please say left or right."), never met with silence."""
    other = replies_only(not_now.say_what_answers(state))
    return {**{intent: other for intent in Intent}, **row}


TABLE: Mapping[State, Mapping[Intent, Entry]] = {
    State.OPENING: {
        **ALWAYS,
        **START,
        **ACTIVITY,
        **narration(State.OPENING),
        **both_sides(sides.take_or_keep_side),
        Intent.WEEK: replies_only(replies.week),
        **PAST,
    },
    State.ASK_RESUME: only_answers(State.ASK_RESUME, {
        **ALWAYS,
        Intent.YES: answer(opening.accept_resume, State.ASK_SIDE, State.PLAN),
        Intent.NO: answer(opening.decline_resume, State.ASK_SIDE, State.PLAN),
        Intent.REPEAT: does(moves.ask_again),
        **both_sides(sides.take_side),  # taken, then the offer is made again
        Intent.PAIN: does(rating.pain_reported, State.ASK_PAIN),
        Intent.WEEK: replies_only(replies.week),
        **PAST,
    }),
    State.ASK_SIDE: only_answers(State.ASK_SIDE, {
        **ALWAYS,
        Intent.LEFT: answer(sides.take_side(Side.LEFT), State.PLAN),
        Intent.RIGHT: answer(sides.take_side(Side.RIGHT), State.PLAN),
        Intent.REPEAT: does(moves.ask_again),
        Intent.PAIN: does(rating.pain_reported, State.ASK_PAIN),
        Intent.WEEK: replies_only(replies.week),
        **PAST,
    }),
    State.PLAN: {
        **ALWAYS,
        **START,
        **ACTIVITY,
        **narration(State.PLAN),
        **both_sides(sides.take_or_keep_side),
        Intent.WEEK: replies_only(replies.week),
        **PAST,
    },
    State.INTRO: {
        **ALWAYS,
        **START,
        **SKIP,
        **ACTIVITY,
        **narration(State.INTRO),
        Intent.REPEAT: does(moves.repeat_intro),  # the full steps after a one-line reminder
        Intent.GO: does(moves.skip_to_set, State.WORKING),
        **LEVELS,
        **both_sides(sides.take_or_keep_side),
        Intent.NUMBER: does(rating.rating_unasked, *UNASKED_RATING),
        Intent.WEEK: replies_only(replies.week),
        **PAST,
    },
    State.READY: {
        **ALWAYS,
        **START,
        **SKIP,
        **ACTIVITY,
        Intent.GO: answer(moves.start_set, State.WORKING),
        Intent.NEXT: answer(moves.skip_exercise, *NEXT_EXERCISE),
        Intent.BACK: does(moves.last_step_again, State.INTRO),
        Intent.REPEAT: does(moves.instructions_again, State.INTRO),
        **LEVELS,
        **both_sides(sides.take_or_keep_side),
        Intent.NUMBER: does(rating.rating_unasked, *UNASKED_RATING),
        Intent.WEEK: replies_only(replies.week),
        **PAST,
    },
    State.WORKING: {
        **ALWAYS,
        **AFTER_THE_SET,
        **SKIP,
        **ACTIVITY,
        Intent.NEXT: does(moves.end_set, *SET_ENDS),
        Intent.REPEAT: does(moves.cue_again),
        **LEVELS,
        Intent.NUMBER: does(rating.rating_unasked, *UNASKED_RATING),
    },
    State.RESTING: {
        **ALWAYS,
        **SKIP,
        **ACTIVITY,
        Intent.GO: does(moves.end_rest, State.WORKING),
        Intent.NEXT: does(moves.end_rest, State.WORKING),
        Intent.REPEAT: does(moves.rest_status),
        **LEVELS,
        Intent.NUMBER: does(rating.rating_unasked, *UNASKED_RATING),
    },
    State.PAUSED: {
        **ALWAYS,
        **START,
        **SKIP,
        Intent.GO: answer(moves.resume, *RESUMABLE),
        Intent.REPEAT: does(moves.ask_again),
        **LEVELS,
        **both_sides(sides.take_or_keep_side),
        Intent.PAIN: does(rating.pain_reported, State.ASK_PAIN),
        Intent.NUMBER: does(rating.rating_unasked, *UNASKED_RATING, *RESUMABLE),
        Intent.WEEK: replies_only(replies.week),
        **PAST,
    },
    State.ASK_PAIN: only_answers(State.ASK_PAIN, {
        **ALWAYS,
        Intent.NUMBER: answer(rating.rate_pain, *BACK, State.CONFIRM_STOP),
        Intent.PAIN: does(rating.ask_pain_again),
        Intent.REPEAT: does(moves.ask_again),
    }),
    State.PAIN_STOPPED: {
        **ALWAYS,
        Intent.NEXT: answer(moves.skip_for_pain, *NEXT_EXERCISE),
        Intent.SKIP_EXERCISE: answer(moves.skip_for_pain, *NEXT_EXERCISE),
        Intent.EASIER: answer(moves.easier, State.READY),
        Intent.GO: does(rating.pain_choice_again),  # never push through pain
        Intent.HARDER: does(rating.pain_choice_again),
        Intent.REPEAT: does(moves.ask_again),
        Intent.PAIN: does(rating.pain_reported, State.ASK_PAIN),
    },
    State.CONFIRM_STOP: only_answers(State.CONFIRM_STOP, {
        **VOICE,
        **ASKED,
        Intent.YES: answer(stopping.end_session, State.SUMMARY),
        Intent.STOP: answer(stopping.end_session, State.SUMMARY),
        Intent.NO: answer(stopping.carry_on, *BACK),
        Intent.REPEAT: does(moves.ask_again),
    }),
    State.SUMMARY: {
        **VOICE,
        **ASKED,
        Intent.STOP: does(stopping.finish_now, State.ENDED),
        Intent.NEXT: does(moves.next_line, *NARRATION_ENDS[State.SUMMARY]),
        Intent.REPEAT: does(moves.repeat_line),
    },
    State.ENDED: {},
}

# "no" or another number said right after a rating was taken: it was misheard
# (rating.correct). It goes back to where the rating found the session, from
# wherever the rating took it, and on as the right rating leads.
CORRECTION = Entry(rating.correct, BACK | {State.CONFIRM_STOP}, answers=True)

# What answers the question each asking state has put.
ANSWERED_BY: Mapping[State, frozenset[Intent]] = {
    state: frozenset(intent for intent, entry in row.items() if entry.answers)
    for state, row in TABLE.items()
    if any(entry.answers for entry in row.values())
}
# The answers that end the session, in each state that has them ("yes" or "stop" to
# "End the session?"): a recogniser takes them only when it is sure of them.
ENDS_SESSION: Mapping[State, frozenset[Intent]] = {
    state: ends
    for state, row in TABLE.items()
    if (ends := frozenset(i for i, e in row.items() if e.leads_to == {State.SUMMARY}))
}
# Replies that leave a question waiting as it was: they do not stop its re-prompt.
ASIDES = frozenset({Intent.HELP, Intent.STATUS, Intent.WEEK, Intent.ABOUT, Intent.LEVELS,
                    Intent.ROUTINES, *PAST})


def entry_for(state: State, intent: Intent) -> Entry | None:
    """What ``intent`` does in ``state``; None: it does nothing there (``not_now.not_now``)."""
    return TABLE[state].get(intent)


def on_heard(ctx: Context, heard: Heard) -> Entry | None:
    """Do what the heard command means now, if anything; the entry that did it.

    A correction of the rating just taken comes first; any other command
    acted on (but the asides) means the rating stood. A command that does
    nothing here changes nothing, that included; it is only answered.
    """
    start = ctx.mark()
    if rating.correction(ctx, heard):
        entry: Entry | None = CORRECTION
    else:
        entry = entry_for(ctx.state, heard.intent)
        if entry is not None and heard.intent not in ASIDES | VOICE.keys():
            ctx.rating_check.close()
    before, mark = ctx.state, ctx.mark()
    if entry is not None:
        if entry.answers:
            ctx.stop_speaking()
        entry.handler(ctx, heard)
    elif ctx.state is not State.ENDED:
        not_now.not_now(ctx, heard)  # every command heard gets an answer
    if before is State.WORKING:  # a reply over the count: said in a gap, or the count holds
        interrupt.hold_for_reply(ctx, ctx.said_since(mark))
    if ctx.state in QUESTIONS and heard.intent not in ASIDES:
        ctx.question.someone_spoke()  # someone is talking: no re-prompt
    ctx.answered(start, reply=entry is None or entry.reply)
    return entry

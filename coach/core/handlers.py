"""What each spoken command does, state by state.

One function per intent; each reads as a short table of "in this state, do
that". A command that makes no sense in the current state is ignored quietly:
a stray word must never derail a set.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from coach.commands.intents import Intent
from coach.core import flow, interrupt, rating, replies
from coach.core.actions import Priority, StopSpeaking
from coach.core.events import Heard
from coach.core.pain import PainWhen
from coach.core.records import LevelChanged, Paused, Resumed, SideChosen
from coach.core.states import QUESTIONS, State
from coach.program.model import Side
from coach.settings import (
    RATE_STEP_WPM,
    VOLUME_STEP,
)

if TYPE_CHECKING:
    from coach.core.session import Session

S = State
NARRATION = frozenset({S.OPENING, S.PLAN, S.INTRO, S.SUMMARY})
EXERCISE_STATES = frozenset({S.INTRO, S.READY, S.WORKING, S.RESTING, S.PAUSED, S.PAIN_STOPPED})
PAUSABLE = frozenset({S.OPENING, S.PLAN, S.INTRO, S.READY, S.WORKING, S.RESTING})
SIDE_TAKEN = frozenset({S.OPENING, S.ASK_RESUME, S.ASK_SIDE})  # a side said here is taken
SIDE_KEPT_SAID = frozenset({S.OPENING, S.PLAN, S.INTRO, S.READY, S.PAUSED})  # "it stays"


# What answers the question each asking state has put (states.QUESTIONS). An
# answer makes the rest of the question moot: it is silenced before the answer
# is acted on, so what follows is said now, and a prompt that has not even
# begun ("go" said before "Say go when you are ready.") is never said after it.
ANSWERED_BY: dict[State, frozenset[Intent]] = {
    S.ASK_SIDE: frozenset({Intent.LEFT, Intent.RIGHT}),
    S.ASK_RESUME: frozenset({Intent.YES, Intent.NO}),
    S.CONFIRM_STOP: frozenset({Intent.YES, Intent.NO, Intent.STOP}),
    S.ASK_PAIN: frozenset({Intent.NUMBER}),
    S.READY: frozenset({Intent.GO, Intent.NEXT}),
    S.PAUSED: frozenset({Intent.GO}),
    S.PAIN_STOPPED: frozenset({Intent.NEXT, Intent.EASIER}),
}


def on_heard(s: Session, event: Heard) -> None:
    if event.intent in ANSWERED_BY.get(s.state, ()):
        s._out.append(StopSpeaking())
    handler = HANDLERS.get(event.intent)
    if handler is not None:
        handler(s, event)
    if s.state in QUESTIONS and event.intent not in (Intent.HELP, Intent.STATUS, Intent.WEEK):
        s._silence_since = math.inf  # someone is talking: no re-prompt


def _stop(s: Session, e: Heard) -> None:
    if s.state is S.CONFIRM_STOP:
        _yes(s, e)
        return
    s._out.append(StopSpeaking())
    if s.state is S.SUMMARY:
        interrupt.finish(s)
        return
    interrupt.freeze(s)
    s._stop_return = s.state
    s._stop_advised = False
    s._ask(S.CONFIRM_STOP, s.lines.get("stop_confirm"), priority=Priority.URGENT)


def _yes(s: Session, e: Heard) -> None:
    if s.state is S.ASK_RESUME:
        flow.answer_resume(s, True)
    elif s.state is S.CONFIRM_STOP:
        interrupt.end(s, completed=False)


def _no(s: Session, e: Heard) -> None:
    if s.state is S.ASK_RESUME:
        flow.answer_resume(s, False)
    elif s.state is S.CONFIRM_STOP:
        if s._stop_advised:
            s._stop_advised = False
            s._say(s.lines.get("pain_skip_instead"))
            if s._pain_when is PainWhen.DURING:
                flow.skip_exercise(s, "pain")
            else:
                flow.next_exercise(s)
            return
        s._say(s.lines.get("stop_no"))
        back, s._stop_return = s._stop_return, None
        frozen = s._frozen
        if frozen is not None and back is frozen.state:
            interrupt.thaw(s)
        else:
            rating.reask(s, back)


def _pause(s: Session, e: Heard) -> None:
    if s.state not in PAUSABLE:
        return
    s._out.append(StopSpeaking())
    interrupt.freeze(s)
    s._log(Paused(s._now))
    s._ask(S.PAUSED, s.lines.get("paused"))


def _go(s: Session, e: Heard) -> None:
    if s.state is S.READY:
        flow.start_set(s, e.at)
    elif s.state is S.INTRO:
        s._out.append(StopSpeaking())
        s._to(S.READY)
        flow.start_set(s, e.at)
    elif s.state is S.PAUSED:
        s._log(Resumed(s._now))
        s._say(s.lines.get("resuming"))
        if s._frozen is not None:
            interrupt.thaw(s)
        else:
            flow.start_exercise(s)
    elif s.state is S.RESTING:
        _end_rest(s, e)
    elif s.state is S.PAIN_STOPPED:
        s._ask(S.PAIN_STOPPED, rating.pain_choice(s))  # never push through pain


def _next(s: Session, e: Heard) -> None:
    if s.state in NARRATION:
        s._out.append(StopSpeaking())
        s._next_line_at = math.inf
        s._narr_index += 1
        s._say_current_line()
    elif s.state is S.READY:
        flow.skip_exercise(s, "asked")
    elif s.state is S.PAIN_STOPPED:
        flow.skip_exercise(s, "pain")
    elif s.state is S.WORKING:
        s._out.append(StopSpeaking())
        s._tl = None
        flow.set_done(s, e.at)
    elif s.state is S.RESTING:
        _end_rest(s, e)


def _end_rest(s: Session, e: Heard) -> None:
    """The next set begins now ("go" or "next" during a rest): the rest's lines are moot."""
    s._out.append(StopSpeaking())
    s._tl = None
    flow.start_set(s, e.at)


def _back(s: Session, e: Heard) -> None:
    if s.state in NARRATION - {S.SUMMARY}:
        s._out.append(StopSpeaking())
        s._next_line_at = math.inf
        s._narr_index = max(0, s._narr_index - 1)
        s._say_current_line()
    elif s.state is S.READY:
        ex = s.exercise
        if ex is not None:
            flow.full_instructions(s, len(flow.intro_lines(s, ex, full=True)) - 1)


def _repeat(s: Session, e: Heard) -> None:
    if s.state is S.INTRO and not s._narr_full:
        s._out.append(StopSpeaking())
        flow.full_instructions(s, 1)  # the full version, from the why
    elif s.state in NARRATION:
        s._out.append(StopSpeaking())
        s._next_line_at = math.inf
        s._say_current_line()
    elif s.state is S.READY:
        flow.full_instructions(s, 1)
    elif s.state in QUESTIONS and s._question:
        s._ask(s.state, s._question, priority=Priority.NORMAL)
    elif s.state is S.WORKING:
        ex = s.exercise
        if ex is not None:
            s._say(ex.short_cue or (ex.steps[0].text if ex.steps else ex.name))
    elif s.state is S.RESTING:
        replies.status(s, e)


def _level(step: int) -> Callable[[Session, Heard], None]:
    def change(s: Session, e: Heard) -> None:
        ex = s.exercise
        if ex is None or s.state not in EXERCISE_STATES:
            return
        if s.state is S.PAIN_STOPPED and step > 0:
            s._ask(S.PAIN_STOPPED, rating.pain_choice(s))  # never push through pain
            return
        old = s.levels[ex.id]
        new = old + step
        if not 0 <= new < len(ex.levels):
            s._say(s.lines.get("level_hardest" if step > 0 else "level_easiest"))
            return
        s.levels[ex.id] = new
        level = ex.levels[new]
        s.progress.level_changes.append({"exercise": ex.id, "from": old, "to": new, "at": s._now})
        s._log(LevelChanged(s._now, ex.id, from_level=old, to_level=new, level_id=level.id))
        s._say(s.lines.get("level_harder" if step > 0 else "level_easier", level=level.name))
        if level.cue:
            s._say(level.cue)
        dose = s._dose(ex)
        s.progress.record(ex.id).sets_planned = dose.sets
        timed = s.state in (S.WORKING, S.RESTING) or (
            s._frozen is not None and s._frozen.state in (S.WORKING, S.RESTING)
        )
        if s.state is S.PAIN_STOPPED:
            s._set_number = min(s._set_number, dose.sets)
            s._ask(S.READY, s.lines.get("start_prompt"))
        elif timed:
            s._say(s.lines.get("level_next_set"))

    return change


def _side(value: str) -> Callable[[Session, Heard], None]:
    """Left or right: the answer to "which knee?", or said before it is asked.

    While no side is known, or only the one remembered from last time, and
    the session has not got past its opening, the side said is taken (and
    then not asked for). Once one is chosen, the other side never switches
    legs: outside a set the coach says how to change it; during a set or a
    question the word is ignored.
    """

    def choose(s: Session, e: Heard) -> None:
        side = Side(value)
        if s.side_open and s.state in SIDE_TAKEN:
            _take_side(s, side)
        elif s.side is not None and side is not s.side and s.state in SIDE_KEPT_SAID:
            s._say(s.lines.get("side_kept", side=s.side.value))

    return choose


def _take_side(s: Session, side: Side) -> None:
    s.side = side
    s.side_open = False
    s._log(SideChosen(s._now, side))
    s._say(s.lines.get("side_chosen", side=side.value))
    if s.state is S.ASK_SIDE:
        flow.plan(s)
    elif s.state is S.ASK_RESUME:
        s._ask(S.ASK_RESUME, s._question)  # still waiting for yes or no


def _pain(s: Session, e: Heard) -> None:
    if s.state is S.ASK_PAIN:
        rating.ask_pain(s, s._pain_when)
        return
    if s.state not in (S.CONFIRM_STOP, S.SUMMARY):
        s._out.append(StopSpeaking())
        interrupt.freeze(s)
        if s.state is not S.ASK_PAIN:
            s._pain_return = s.state
        rating.ask_pain(s, PainWhen.DURING)


def _number(s: Session, e: Heard) -> None:
    value = e.number
    if value is None or not 0 <= value <= 10:
        if s.state is S.ASK_PAIN:
            s._say(s.lines.get("number_range"))
        return
    if s.state is S.ASK_PAIN:
        rating.apply_rating(s, value)
    elif s.state in EXERCISE_STATES - {S.PAIN_STOPPED}:
        # "pain seven" in the middle of a set: a rating given without being asked.
        s._out.append(StopSpeaking())
        interrupt.freeze(s)
        s._pain_return = s.state
        s._pain_when = PainWhen.DURING
        rating.apply_rating(s, value)


HANDLERS: dict[Intent, Callable[[Session, Heard], None]] = {
    Intent.STOP: _stop,
    Intent.YES: _yes,
    Intent.NO: _no,
    Intent.PAUSE: _pause,
    Intent.GO: _go,
    Intent.NEXT: _next,
    Intent.BACK: _back,
    Intent.REPEAT: _repeat,
    Intent.HARDER: _level(+1),
    Intent.EASIER: _level(-1),
    Intent.LEFT: _side("left"),
    Intent.RIGHT: _side("right"),
    Intent.STATUS: replies.status,
    Intent.HELP: replies.help_now,
    Intent.SLOWER: replies.rate(-RATE_STEP_WPM),
    Intent.FASTER: replies.rate(+RATE_STEP_WPM),
    Intent.LOUDER: replies.volume(+VOLUME_STEP),
    Intent.QUIETER: replies.volume(-VOLUME_STEP),
    Intent.PAIN: _pain,
    Intent.NUMBER: _number,
    Intent.WEEK: replies.week,
}

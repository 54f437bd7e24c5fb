"""Replies that leave the session where it is: status, help, voice settings.

Each answers at once and changes nothing in the count: "how many left"
mid-set is answered while the beats go on.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from coach.core.actions import ChangeVoice
from coach.core.events import Heard
from coach.core.records import SettingsChanged
from coach.core.states import State
from coach.settings import RATE_MAX_WPM, RATE_MIN_WPM, VOLUME_STEP

if TYPE_CHECKING:
    from coach.core.session import Session

S = State


def status(s: Session, e: Heard) -> None:
    ex = s.exercise
    timeline_state = s._frozen.state if s._frozen is not None else s.state
    if ex is not None and timeline_state is S.WORKING and s._tl is not None:
        left = max(0, s._tl.reps_total - s._reps_done)
        reps = s.lines.count("n_reps", left)
        sets = s._dose(ex).sets
        s._say(s.lines.get("status_set", set=s._set_number, sets=sets, reps=reps))
    elif ex is not None and timeline_state is S.RESTING and s._tl is not None:
        start = s._tl_start if s._frozen is None else s._now - s._frozen.elapsed
        seconds = max(0, math.ceil(start + s._tl.end - s._now))
        sets = s._dose(ex).sets
        s._say(s.lines.get("status_rest", set=s._set_number, sets=sets, seconds=seconds))
    elif ex is not None:
        count = len(s.program.exercises)
        s._say(s.lines.get("status_exercise", index=s._ex_index + 1, count=count, name=ex.name))
        left = count - s._ex_index - 1
        if left > 0:
            s._say(s.lines.get("status_left", count=left))


HELP_KEYS = {  # what can be said now, by state
    S.OPENING: "help_ready",
    S.PLAN: "help_ready",
    S.INTRO: "help_ready",
    S.READY: "help_ready",
    S.WORKING: "help_working",
    S.RESTING: "help_working",
    S.PAUSED: "help_paused",
    S.ASK_SIDE: "help_side",
    S.ASK_RESUME: "help_yes_no",
    S.CONFIRM_STOP: "help_yes_no",
    S.ASK_PAIN: "help_pain",
    S.PAIN_STOPPED: "help_pain_stopped",
}


def help_now(s: Session, e: Heard) -> None:
    """A short list of what can be said in this state, then the voice commands."""
    s._say(s.lines.get(HELP_KEYS.get(s.state, "help_question")))
    if s.state in WEEK_HELP:
        s._say(s.lines.get("help_week"))
    s._say(s.lines.get("help_always"))


# The weekly summary is for the start of a session: never over a count or a
# question about pain or stopping.
WEEK_STATES = frozenset({S.OPENING, S.ASK_RESUME, S.ASK_SIDE, S.PLAN, S.INTRO, S.READY, S.PAUSED})
WEEK_HELP = WEEK_STATES - {S.ASK_RESUME, S.ASK_SIDE}  # help there sticks to the answers


def week(s: Session, e: Heard) -> None:
    """"This week: 3 sessions, ..., pain down from 6 to 4." from the history
    the session was given; a plain "nothing yet" without one."""
    if s.state in WEEK_STATES:
        s._say(s.week if s.week else s.lines.get("week_unknown"))


def rate(step: int) -> Callable[[Session, Heard], None]:
    def change(s: Session, e: Heard) -> None:
        new = min(RATE_MAX_WPM, max(RATE_MIN_WPM, s.settings.rate_wpm + step))
        if new == s.settings.rate_wpm:
            s._say(s.lines.get("rate_limit"))
            return
        change_voice(s, new, s.settings.volume, s.lines.get("rate_now", rate=new))

    return change


def volume(step: float) -> Callable[[Session, Heard], None]:
    def change(s: Session, e: Heard) -> None:
        new = round(min(1.0, max(VOLUME_STEP, s.settings.volume + step)), 2)
        if abs(new - s.settings.volume) < 1e-9:
            s._say(s.lines.get("volume_limit"))
            return
        said = s.lines.get("volume_now", percent=round(new * 100))
        change_voice(s, s.settings.rate_wpm, new, said)

    return change


def change_voice(s: Session, rate_wpm: int, volume: float, said: str) -> None:
    """The new voice at once, the new setting said in it, then a
    ``settings-changed`` record: ``coach start`` saves rate and volume to the
    settings file when it sees one (the session itself does no I/O), and any
    word that they could not be saved follows what was said here."""
    s.settings = replace(s.settings, rate_wpm=rate_wpm, volume=volume)
    s._out.append(ChangeVoice(rate_wpm, volume))
    s._say(said)
    s._log(SettingsChanged(s._now, rate_wpm, volume))

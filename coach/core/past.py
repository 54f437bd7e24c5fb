"""Asides about the past beyond the week: the last session, the pain trend, the levels.

The first two are the history's sentences, given to the session when it is
made (the session reads no file); the levels are the session's own, as
changed so far today. Said before a set or at a question, never over a
count (``dispatch`` lists where).
"""

from __future__ import annotations

from coach.core.context import Context
from coach.core.events import Heard


def last_session(ctx: Context, heard: Heard) -> None:
    """ "Your last session was yesterday: ..." or that there is none yet."""
    ctx.say(ctx.last_session if ctx.last_session else ctx.lines.get("week_unknown"))


def pain_trend(ctx: Context, heard: Heard) -> None:
    """ "Over 4 weeks, your knee pain went down from 6 to 3." or what little there is."""
    ctx.say(ctx.pain_trend if ctx.pain_trend else ctx.lines.get("week_unknown"))


def levels(ctx: Context, heard: Heard) -> None:
    """Each exercise's level now, by its spoken name; an exercise with one level
    only has none to reach, and is left out."""
    parts = [
        ctx.lines.get("levels_part", name=ex.name, level=ex.levels[ctx.routine.levels[ex.id]].name)
        for ex in ctx.program.exercises
        if len(ex.levels) > 1
    ]
    if parts:
        ctx.say(ctx.lines.get("levels_now", parts="; ".join(parts)))
    else:
        ctx.say(ctx.lines.get("my_levels_only_one"))

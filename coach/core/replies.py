"""Replies that leave the session where it is: status, help, the week, what is needed, the levels.

Each answers at once and changes nothing in the count: "how many left"
mid-set is answered while the beats go on.
"""

from __future__ import annotations

import math

from coach.core.context import Context
from coach.core.count_plan import counts_holds
from coach.core.events import Heard
from coach.core.states import State


def status(ctx: Context, heard: Heard) -> None:
    """Where the person is: the set and reps to go, the rest left, or the exercise."""
    ex = ctx.exercise
    frozen = ctx.detour.frozen
    activity = frozen.state if frozen is not None else ctx.state
    plan = frozen.plan if frozen is not None else ctx.counting.plan
    if ex is not None and activity is State.WORKING and plan is not None:
        left = max(0, plan.reps_total - ctx.counting.reps_done)
        dose = ctx.dose(ex)
        reps = ctx.lines.count("n_holds" if counts_holds(dose) else "n_reps", left)
        sets = dose.sets
        ctx.say(ctx.lines.get("status_set", set=ctx.routine.set_number, sets=sets, reps=reps))
    elif ex is not None and activity is State.RESTING and plan is not None:
        start = ctx.counting.start if frozen is None else ctx.now - frozen.elapsed
        seconds = max(0, math.ceil(start + plan.end - ctx.now))
        sets = ctx.dose(ex).sets
        set_number = ctx.routine.set_number
        ctx.say(
            ctx.lines.count("status_rest", seconds, set=set_number, sets=sets, seconds=seconds)
        )
    elif ex is not None:
        count = len(ctx.program.exercises)
        index = ctx.routine.index
        ctx.say(ctx.lines.get("status_exercise", index=index + 1, count=count, name=ex.name))
        left = count - index - 1
        if left > 0:
            ctx.say(ctx.lines.count("status_left", left, count=left))


HELP_KEYS = {  # what can be said now, by state
    State.OPENING: "help_opening",
    State.PLAN: "help_opening",
    State.INTRO: "help_ready",
    State.READY: "help_ready",
    State.WORKING: "help_working",
    State.RESTING: "help_working",
    State.PAUSED: "help_paused",
    State.ASK_SIDE: "help_side",
    State.ASK_RESUME: "help_yes_no",
    State.CONFIRM_STOP: "help_yes_no",
    State.ASK_PAIN: "help_pain",
    State.PAIN_STOPPED: "help_pain_stopped",
}
# The weekly summary is for the start of a session: never over a count or a
# question about pain or stopping.
WEEK_STATES = frozenset(
    {
        State.OPENING,
        State.ASK_RESUME,
        State.ASK_SIDE,
        State.PLAN,
        State.INTRO,
        State.READY,
        State.PAUSED,
    }
)
# Help there sticks to the answers, or (paused mid-exercise) to the way on.
WEEK_HELP = WEEK_STATES - {State.ASK_RESUME, State.ASK_SIDE, State.PAUSED}


def help_now(ctx: Context, heard: Heard) -> None:
    """A short list of what can be said in this state, then the voice commands.

    "harder" and "easier" are offered only where there is a level to move to.
    """
    key = HELP_KEYS.get(ctx.state, "help_question")
    ex = ctx.exercise
    level = ctx.routine.levels[ex.id] if ex is not None else 0
    can_harder = ex is not None and level < len(ex.levels) - 1
    can_easier = ex is not None and level > 0
    if key == "help_pain_stopped" and not can_easier:
        key = "help_pain_stopped_skip"
    if key == "help_paused" and ctx.pain.paused_for_pain:
        # Easier was just offered: it comes first; harder is no answer to pain.
        key = "help_paused_pain" if can_easier else "help_paused_pain_go"
    which = {(True, True): "help_levels_both", (True, False): "help_levels_harder",
             (False, True): "help_levels_easier"}
    levels = ctx.lines.get(which.get((can_harder, can_easier), "help_levels_none"))
    ctx.say(ctx.lines.get(key, levels=levels))
    if ctx.state in WEEK_HELP:
        ctx.say(ctx.lines.get("help_week"))
        ctx.say(ctx.lines.get("help_past"))  # last session, pain trend, levels
    if ctx.state is not State.WORKING:  # over a count, one short line
        ctx.say(ctx.lines.get("help_always"))
    if ctx.state in WEEK_HELP:  # the voice by name: before a set, not at a question
        ctx.say(ctx.lines.get("help_voice"))


def week(ctx: Context, heard: Heard) -> None:
    """ "This week: 3 sessions, ..., pain down from 6 to 4." from the history
    the session was given; a plain "nothing yet" without one."""
    ctx.say(ctx.week if ctx.week else ctx.lines.get("week_unknown"))


def about(ctx: Context, heard: Heard) -> None:
    """ "what do I need": at the opening and the plan, what the whole session
    needs; from an exercise's steps on, that exercise's equipment (its level's
    included) and its levels, with the one it is on. Never over a count."""
    if ctx.state in (State.OPENING, State.PLAN):
        about_today(ctx)
        return
    ex = ctx.exercise
    if ex is None:
        return
    index = ctx.routine.levels[ex.id]
    items = [*ex.equipment, *ex.levels[index].equipment]
    if items:
        ctx.say(ctx.lines.get("about_equipment", name=ex.name, items=ctx.lines.listing(items)))
    else:
        ctx.say(ctx.lines.get("about_no_equipment", name=ex.name))
    names = [level.name for level in ex.levels]
    ctx.say(ctx.lines.get("about_levels", levels=ctx.lines.listing(names), level=names[index]))


def about_today(ctx: Context) -> None:
    """ "For today you need ...": every exercise still to come, each thing once.
    Items may hold commas of their own ("a high chair, a band or a weight"), so
    they are set apart with semicolons, which the voice pauses at."""
    items: list[str] = []
    for ex in ctx.routine.remaining:
        for item in (*ex.equipment, *ex.levels[ctx.routine.levels[ex.id]].equipment):
            if item not in items:
                items.append(item)
    if not items:
        ctx.say(ctx.lines.get("about_today_nothing"))
    elif len(items) == 1:
        ctx.say(ctx.lines.get("about_today", items=items[0]))
    else:
        ctx.say(ctx.lines.get("about_today", items=ctx.lines.listing(items, parts=True)))


def levels(ctx: Context, heard: Heard) -> None:
    """ "what are the levels": the coming exercise's levels and the one it is on."""
    ex = ctx.exercise
    if ex is None:
        return
    names = [level.name for level in ex.levels]
    level = names[ctx.routine.levels[ex.id]]
    if len(names) == 1:
        ctx.say(ctx.lines.get("levels_only_one", name=ex.name, level=level))
    else:
        ctx.say(ctx.lines.get("levels_of", name=ex.name, count=len(names),
                              levels=ctx.lines.listing(names), level=level))


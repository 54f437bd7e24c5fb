"""Choosing today's routine by voice, before the first set.

"which routines" lists the whole routines the session was given and, for
each, the conditions whose exercises may be done alone; saying one's name
("meniscus tear", "the medial knee routine") makes it today's routine: said
back, logged (``RoutineChosen``), and the plan said again. From the first
set on the routine is settled (the history tells one story per session).
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.commands.parser import normalize
from coach.core import opening
from coach.core.context import Context
from coach.core.events import Heard
from coach.core.records import RoutineChosen
from coach.core.states import State
from coach.program.model import Condition, Program
from coach.program.select import select_routine


@dataclass(frozen=True)
class Choice:
    program: Program  # the whole routine the choice is of
    condition: Condition | None  # None: the whole routine

    def names(self) -> list[tuple[str, ...]]:
        """What may be said for it, as words."""
        if self.condition is None:
            said = [self.program.name_to_say, self.program.title]
        else:
            said = [self.condition.name, *self.condition.aliases, self.condition.id]
        return [normalize(name.replace("-", " ")) for name in said]


def choices(ctx: Context) -> list[Choice]:
    """Each whole routine, then each of its conditions that an exercise helps."""
    return [choice for program in ctx.choices
            for choice in [Choice(program, None),
                           *(Choice(program, cond) for cond in program.conditions
                             if any(cond.id in ex.helps for ex in program.exercises))]]


def _contains(words: tuple[str, ...], name: tuple[str, ...]) -> bool:
    return any(words[i:i + len(name)] == name for i in range(len(words) - len(name) + 1))


def chosen(ctx: Context, text: str) -> Choice | None:
    """The choice whose name ``text`` says (the longest name found in it)."""
    words = normalize(text.replace("-", " "))
    best: tuple[int, Choice] | None = None
    for choice in choices(ctx):
        for name in choice.names():
            if name and _contains(words, name) and (best is None or len(name) > best[0]):
                best = (len(name), choice)
    return best[1] if best is not None else None


def today(ctx: Context) -> str | None:
    """Today's routine as it is said ("the exercises for pes anserine bursitis")."""
    for choice in choices(ctx):
        program = choice.program if choice.condition is None else select_routine(
            choice.program, [choice.condition.id])
        if _same(program, ctx.program):
            if choice.condition is None:
                return ctx.lines.get("routine_alone", name=program.name_to_say)
            return ctx.lines.get("routine_condition", condition=choice.condition.name)
    return None


def list_routines(ctx: Context, heard: Heard) -> None:
    """ "You can choose the medial knee routine, or only its exercises for ..."."""
    parts = []
    for program in ctx.choices:
        names = [c.condition.name for c in choices(ctx)
                 if c.program is program and c.condition is not None]
        if names:
            parts.append(ctx.lines.get("routine_with_conditions", name=program.name_to_say,
                                       conditions=_either(names, ctx)))
        else:
            parts.append(ctx.lines.get("routine_alone", name=program.name_to_say))
    ctx.say(ctx.lines.get("routines_list", routines=_either(parts, ctx)))


def choose(ctx: Context, heard: Heard) -> None:
    """Make the routine named in ``heard`` today's, and say the plan again."""
    if ctx.first_set_started:
        ctx.say(ctx.lines.get("routine_too_late"))
        return
    choice = chosen(ctx, heard.text)
    if choice is None:
        ctx.say(ctx.lines.get("routine_unknown"))
        return
    wanted = choice.program if choice.condition is None else select_routine(
        choice.program, [choice.condition.id])
    if _same(wanted, ctx.program):
        if choice.condition is None:
            ctx.say(ctx.lines.get("routine_same"))
        else:
            ctx.say(ctx.lines.get("routine_same_condition", condition=choice.condition.name))
        return
    ctx.choose_routine(wanted)
    ctx.log(RoutineChosen(
        ctx.now, program=wanted.id, exercises=tuple(ex.id for ex in wanted.exercises),
        planned_sets={ex.id: ctx.dose(ex).sets for ex in wanted.exercises},
        levels=dict(ctx.routine.levels),
        conditions=() if choice.condition is None else (choice.condition.id,),
    ))
    ctx.stop_speaking()
    ctx.abandon_activity()  # a pause before the first set holds nothing to carry on
    if choice.condition is None:
        said = ctx.lines.get("routine_chosen", name=wanted.name_to_say)
    else:
        said = ctx.lines.get("routine_chosen_condition", condition=choice.condition.name)
    if ctx.state is State.OPENING:  # its safety lines, then on as the opening goes
        ctx.narrate([said, *wanted.safety_lines])
        return
    ctx.say(said)
    opening.side_or_plan(ctx)


def _same(a: Program, b: Program) -> bool:
    return a.id == b.id and [ex.id for ex in a.exercises] == [ex.id for ex in b.exercises]


def _either(items: list[str], ctx: Context) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {ctx.lines.get('routine_or')} {items[-1]}"

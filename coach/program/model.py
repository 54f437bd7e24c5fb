"""The program model: what a routine is, as frozen data.

A Program is loaded and validated once (see ``coach.program.loader``) and then
only read. Every spoken string in it is a template that may name the leg being
trained: ``{side}`` ("left"), ``{other_side}`` ("right"). ``fill_side`` fills
them in; nothing else in coach builds sentences about legs.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class Side(enum.Enum):
    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> Side:
        return Side.RIGHT if self is Side.LEFT else Side.LEFT


class Pattern(enum.Enum):
    """How a set is split between legs or directions."""

    ONE_SIDE = "one-side"  # the chosen leg only (the painful knee)
    PER_SIDE = "per-side"  # all reps on one leg, then all on the other
    ALTERNATING = "alternating"  # left, right, left, right...
    EACH_DIRECTION = "each-direction"  # all reps one way, then back the other way
    BOTH = "both"  # both legs work together (wall squat): one pass per set


SIDE_UNKNOWN = "sore"  # {side} before the person has said which knee hurts
OTHER_SIDE_UNKNOWN = "other"  # {other_side} likewise: "your other leg"


def fill_side(template: str, side: Side | None) -> str:
    """Fill ``{side}`` and ``{other_side}`` in a spoken template.

    With no side chosen yet, "your {side} leg" reads "your sore leg" and
    "your {other_side} leg" reads "your other leg", so every line can still be
    spoken before the person has said which knee hurts.
    """
    if side is None:
        return template.replace("{side}", SIDE_UNKNOWN).replace("{other_side}", OTHER_SIDE_UNKNOWN)
    return template.replace("{side}", side.value).replace("{other_side}", side.other.value)


@dataclass(frozen=True)
class Span:
    """A range the source gives ("2 to 3 sets"); the dose holds the chosen value."""

    low: float  # 0 when the source only gives an upper bound ("up to 30 seconds")
    high: float

    def __contains__(self, value: float) -> bool:
        return self.low <= value <= self.high

    def describe(self, unit: str) -> str:
        """Spoken form: "2 to 3 sets", "up to 30 seconds"."""
        if self.low <= 0:
            return f"up to {self.high:g} {unit}"
        if self.low == self.high:
            return f"{self.low:g} {unit}"
        return f"{self.low:g} to {self.high:g} {unit}"


@dataclass(frozen=True)
class Phase:
    """One movement inside a rep, e.g. lift 2 s, hold 2 s, lower 2 s.

    ``counted`` phases are holds: the coach counts their seconds down aloud.
    """

    cue: str  # spoken as the phase starts ("Lift.", "Hold.")
    seconds: float  # s
    counted: bool = False


@dataclass(frozen=True)
class Dose:
    sets: int
    reps: int  # per set, per side or direction where the pattern splits it
    rest_seconds: float  # s between sets
    phases: tuple[Phase, ...]  # one rep, in order; a counted phase is the hold
    pattern: Pattern = Pattern.ONE_SIDE
    sets_span: Span | None = None
    reps_span: Span | None = None
    hold_span: Span | None = None  # s
    lift_span: Span | None = None  # inches: how high the leg rises, where the source says

    @property
    def hold_seconds(self) -> float | None:
        """The length of the counted hold in each rep, if the rep has one."""
        for phase in self.phases:
            if phase.counted:
                return phase.seconds
        return None

    @property
    def rep_seconds(self) -> float:
        return sum(p.seconds for p in self.phases)

    @property
    def sides_per_set(self) -> int:
        return 1 if self.pattern in (Pattern.ONE_SIDE, Pattern.BOTH) else 2

    def with_changes(self, change: DoseChange) -> Dose:
        phases = self.phases
        if change.hold_seconds is not None:
            phases = tuple(
                replace(p, seconds=change.hold_seconds) if p.counted else p for p in phases
            )
        return replace(
            self,
            sets=change.sets if change.sets is not None else self.sets,
            reps=change.reps if change.reps is not None else self.reps,
            rest_seconds=(
                change.rest_seconds if change.rest_seconds is not None else self.rest_seconds
            ),
            phases=phases,
        )

    def estimated_seconds(self) -> float:
        """Rough length of the whole dose: reps, sides and rests."""
        work = self.sets * self.sides_per_set * self.reps * self.rep_seconds
        return work + max(0, self.sets - 1) * self.rest_seconds


@dataclass(frozen=True)
class DoseChange:
    """What a progression level changes in the base dose; None keeps it."""

    sets: int | None = None
    reps: int | None = None
    hold_seconds: float | None = None  # s
    rest_seconds: float | None = None  # s


@dataclass(frozen=True)
class Level:
    """One rung of an exercise's progression ladder."""

    id: str
    name: str  # short, spoken: "eyes closed"
    cue: str  # spoken when the person moves to this level
    change: DoseChange = field(default_factory=DoseChange)
    equipment: tuple[str, ...] = ()  # extra equipment this level needs


@dataclass(frozen=True)
class Step:
    text: str  # one action, spoken; may hold {side}/{other_side}


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    why: str  # one spoken sentence: what it does for the knee
    targets: str  # muscles or ability trained
    helps: tuple[str, ...]  # condition ids, see Program.conditions
    equipment: tuple[str, ...]
    steps: tuple[Step, ...]
    dose: Dose
    levels: tuple[Level, ...]  # easiest first; at least one
    default_level: int  # index into levels: the level as the source describes it
    safety: tuple[str, ...] = ()  # spoken before the start prompt
    short_cue: str = ""  # one-line reminder once the exercise is familiar

    def dose_at(self, level: int) -> Dose:
        return self.dose.with_changes(self.levels[level].change)


@dataclass(frozen=True)
class Condition:
    id: str  # "pes-anserine"
    name: str  # "pes anserine bursitis"
    aliases: tuple[str, ...] = ()  # other names a person may type or say


@dataclass(frozen=True)
class SafetyNote:
    """A safety line for the opening of a session."""

    text: str
    # Said only when one of these exercises is in the routine (empty: always):
    # "keep a chair within reach for the balance work" means nothing without it.
    exercises: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    text: str  # full citation
    doi: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Program:
    id: str
    title: str
    summary: str  # one or two spoken sentences
    conditions: tuple[Condition, ...]
    safety: tuple[SafetyNote, ...]  # spoken at the opening, as the routine needs them
    exercises: tuple[Exercise, ...]
    credit: str  # where the routine comes from
    sources: tuple[Source, ...]
    spoken_name: str = ""  # said to choose it ("medial knee routine"); empty: its title

    @property
    def name_to_say(self) -> str:
        """What the routine is called aloud, and what a person says to choose it."""
        return self.spoken_name or self.title

    @property
    def safety_lines(self) -> tuple[str, ...]:
        """The safety lines for this routine's exercises, in order."""
        here = {ex.id for ex in self.exercises}
        return tuple(n.text for n in self.safety if not n.exercises or here & set(n.exercises))

    def exercise(self, exercise_id: str) -> Exercise:
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        raise KeyError(exercise_id)

    def condition(self, name: str) -> Condition | None:
        """Find a condition by id, name or alias, ignoring case."""
        wanted = name.strip().lower()
        for cond in self.conditions:
            names = {cond.id, cond.name.lower(), *(a.lower() for a in cond.aliases)}
            if wanted in names:
                return cond
        return None

"""The count plan: every beat of a set or a rest, as offsets from its start.

A set is planned in full when it starts, as a list of beats at fixed offsets;
the session adds the offset to the set's start time, so each beat lands on an
absolute deadline (``start + offset``) and a long session never drifts. Pause
keeps the plan and only moves the start (see ``resumed``).

Counting rules, as a physiotherapist counts:
- each phase's cue at its start ("Lift.", "Hold.", "Lower.");
- a counted hold is counted down: every 5 s (every 10 s for holds over 20 s)
  and then every second in the last 5 s (holds under 3 s: the cue only);
- the rep number at the end of each rep, in a short gap of its own before the
  next rep's cue (after a countdown, as a word: "Foot down. That's 1.") (two phrases never share a beat, so neither is dropped), and
  "Halfway." in a further gap after the middle rep of 6 reps or more;
- per-side and each-direction sets announce the switch, leave a short gap and
  count the other side from 1 again, as a physiotherapist would;
- a rest ends with "Next set in", said in a gap of its own, and then "5, 4,
  3, 2, 1", each number on its beat like any count (said in one phrase on the
  5's beat, "Next set in 5." ran over the 4's beat, which cut its "five"); every
  line of a rest has room to be said whole at the slowest speech rate;
- with tones, every spoken number becomes a beat tone; cue words stay spoken;
- earcons mark the moments between counts, in voice and tones mode alike: the
  start tone on the first rep's beat (after the "3, 2, 1"), the rest-over tone
  on the beat of a rest's "Next set in", which opens its countdown (the next
  set's lead-in), and the done tone when the session ends (``closing.finish``).
  A tone is a beat of the plan like any other: it never moves a count, and it
  never shares its beat with a spoken number or another tone. It may sound
  with a cue word or a line, which the playout mixes it over without dropping
  either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from coach.core.actions import CueKind, Priority, SayKind
from coach.spoken_text import Lines
from coach.program.model import Dose, Pattern, Side, fill_side
from coach.settings import CountWith

LEAD_IN_SECONDS = 3.0  # "3, 2, 1" before work starts or resumes
LEAD_IN_BEAT_SECONDS = 1.0  # between its numbers; the work starts one beat after the "1"
ANNOUNCE_SECONDS = 2.5  # room for "Set 1 of 3." (2.1 s at 80 wpm, the slowest) before the lead-in
# A longer announcement ("Set 1 of 3, 10 reps on each leg.") gets room by its words.
# espeak-ng takes 41 to 59 s of speech a word divided by the rate ("Set 1 of 3."
# 2.05 s at 80 words a minute; "Set 3 of 3. Last set." 4.30 s; "Set 1 of 3, 20
# reps each way." 3.01 s at 150): a word is given 60 / rate seconds.
SECONDS_PER_WORD_AT_ONE_WPM = 60.0
WORK_START_SECONDS = ANNOUNCE_SECONDS + LEAD_IN_SECONDS  # a set's first rep begins here
SWITCH_SECONDS = 4.0  # room for "Now your right leg." between sides
# A rest's lines have room to be said whole at 80 words a minute (the slowest rate):
ANNOUNCE_BEFORE_REST_END_SECONDS = 12.0  # "Set 3 of 3. Last set." (4.3 s) this long before the end
NEXT_SET_SECONDS = 2.0  # room for "Next set in" (2.0 s) before the countdown's first number
REST_LINE_SECONDS = 4.0  # room for "Rest for 45 seconds." (3.5 s) before the next line
REST_FIRST_LEFT_SECONDS = 10.0  # "40 seconds." 5 s after "Rest for 45 seconds." is chatter
REST_COUNTDOWN_FROM = 5  # "Next set in", then 5, 4, 3, 2, 1
HALFWAY_MIN_REPS = 6
REP_COUNT_SECONDS = 1.0  # room for the rep number alone before the next rep's cue
REP_WORD_SECONDS = 1.5  # room for "That's 3." (a rep number after a countdown)
HALFWAY_SECONDS = 1.5  # further room for "Halfway." after the middle rep
CUE_AGAIN_ROOM_SECONDS = 1.5  # a cue said again after a pause needs this long ("Slide down.")
MIN_COUNTDOWN_HOLD_SECONDS = 3.0
# A pause this soon after a phase began, with no room to say its cue again before
# the next beat, carries on from the phase's start (its cue said, the phase whole).
REWIND_MAX_SECONDS = 2.0


@dataclass(frozen=True)
class Beat:
    offset: float  # s from the start of the set or rest
    text: str  # spoken text; with ``tone`` set, nothing is spoken
    kind: SayKind = SayKind.COUNT
    priority: Priority = Priority.COUNT
    tone: CueKind | None = None  # play this tone instead of speaking
    rep: int | None = None  # the rep number this beat says (counted afresh on each side)
    done: int | None = None  # reps done in the whole set once this beat is said
    lead_in: bool = False  # part of a "3, 2, 1" lead-in


@dataclass(frozen=True)
class PhaseSpan:
    """One phase of one rep, so a resume mid-phase can repeat its cue."""

    start: float  # s
    end: float  # s
    cue: str


@dataclass(frozen=True)
class CountPlan:
    """Everything a set or a rest will say and sound, planned when it starts."""

    beats: tuple[Beat, ...]
    end: float  # s: the set or rest is over at this offset
    phases: tuple[PhaseSpan, ...] = ()
    reps_total: int = 0  # rep numbers this plan will say (0 for a rest)

    def resumed(self, next_index: int, elapsed: float, lines: Lines, tones: bool) -> CountPlan:
        """The rest of this plan after a pause, behind a fresh "3, 2, 1".

        Beats already played are dropped; the rest keep their spacing, so a
        hold paused 7 s in goes on from 7 s. The current phase's cue is said
        again at the resume point when it had already been said. A pause
        during the set's own lead-in resumes where the work begins: the fresh
        "3, 2, 1" replaces what was left of the old one ("3, 2, 1, 1" else).
        """
        next_index, elapsed = self._phase_start(next_index, elapsed)
        upcoming = self.beats[next_index:]
        old_lead_in = [beat for beat in upcoming if beat.lead_in]
        resume_at = elapsed
        if old_lead_in:  # the work begins one beat after the old "1"
            resume_at = max(elapsed, old_lead_in[-1].offset + LEAD_IN_BEAT_SECONDS)
        shift = LEAD_IN_SECONDS - resume_at
        beats = list(lead_in(0.0, lines, tones))
        rest = [replace(beat, offset=beat.offset + shift) for beat in upcoming if not beat.lead_in]
        first = rest[0] if rest else None
        if (first is not None and first.kind is SayKind.COUNT
                and first.offset < LEAD_IN_SECONDS + LEAD_IN_BEAT_SECONDS
                and (first.tone is not None or first.text == beats[-1].text)):
            # Paused on the last beat of a rep: its "1" would follow the fresh
            # lead-in's "1" at once ("3, 2, 1, 1"; with tones, a fourth tone). It
            # is counted, not said. ("3, 2, 1, 5" of a hold is left as it is.)
            rest[0] = replace(first, text="", tone=None)
        for span in self.phases:
            if not (span.start <= resume_at < span.end and span.cue):
                continue
            said = not any(
                beat.text == span.cue and abs(beat.offset - span.start) < 1e-9 for beat in upcoming
            )
            next_beat = rest[0].offset if rest else math.inf
            # The phase had begun: say its cue again as it goes on, when there is
            # room before the next beat (else the cue would cut or drop that count).
            if said and next_beat - LEAD_IN_SECONDS >= CUE_AGAIN_ROOM_SECONDS:
                beats.append(Beat(LEAD_IN_SECONDS, span.cue, SayKind.CUE_WORD, Priority.NORMAL))
        phases = tuple(
            PhaseSpan(span.start + shift, span.end + shift, span.cue)
            for span in self.phases
            if span.end > resume_at
        )
        return CountPlan(tuple(beats + rest), self.end + shift, phases, self.reps_total)


    def _phase_start(self, next_index: int, elapsed: float) -> tuple[int, float]:
        """Where to carry on from: the point paused at, or the start of a short phase
        just begun, whose cue has no room to be said again before the next beat.

        Paused 1.5 s into a 2 s "Lift.", the person hears "3, 2, 1, Lift." and
        lifts for the whole phase, rather than "3, 2, 1" then "Hold." with the
        lift never named. A long hold goes on where it was.
        """
        for span in self.phases:
            if not (span.start <= elapsed < span.end and span.cue):
                continue
            if elapsed - span.start > REWIND_MAX_SECONDS:
                return next_index, elapsed
            following = [b.offset for b in self.beats[next_index:] if not b.lead_in]
            room = (following[0] if following else self.end) - elapsed
            if room >= CUE_AGAIN_ROOM_SECONDS:
                return next_index, elapsed
            for index in range(next_index):
                beat = self.beats[index]
                if not beat.lead_in and beat.offset >= span.start - 1e-9:
                    return index, span.start
        return next_index, elapsed


def earcon(offset: float, kind: CueKind) -> Beat:
    """An earcon on the beat at ``offset`` (nothing is spoken)."""
    return Beat(offset, "", SayKind.CUE_WORD, Priority.NORMAL, tone=kind)


def lead_in(start: float, lines: Lines, tones: bool) -> tuple[Beat, ...]:
    numbers = round(LEAD_IN_SECONDS / LEAD_IN_BEAT_SECONDS)
    return tuple(
        Beat(
            start + index * LEAD_IN_BEAT_SECONDS,
            lines.get("lead_in", n=numbers - index),
            tone=CueKind.BEAT if tones else None,
            lead_in=True,
        )
        for index in range(numbers)
    )


def countdown_marks(hold_seconds: float) -> list[int]:
    """Seconds left at which a hold is counted: [20, 10, 5, 4, 3, 2, 1] for 30 s.

    Holds shorter than MIN_COUNTDOWN_HOLD_SECONDS get no countdown: "Hold. 1."
    followed by the rep number "1." would only blur the count.
    """
    if hold_seconds < MIN_COUNTDOWN_HOLD_SECONDS:
        return []
    step = 10 if hold_seconds > 20 else 5
    marks = {left for left in range(1, REST_COUNTDOWN_FROM + 1) if left < hold_seconds}
    marks |= {
        left for left in range(step, int(hold_seconds), step) if left > REST_COUNTDOWN_FROM
    }
    return sorted(marks, reverse=True)


ALTERNATE = {Side.LEFT: "alternate_left", Side.RIGHT: "alternate_right"}  # each rep's leg

def counts_holds(dose: Dose) -> bool:
    """Whether the work is holds counted down (a balance, a wall squat), not reps.

    Their rep number is said as a word ("That's 3."), so it is not heard as
    one more number of the countdown, and they are called holds.
    """
    return any(phase.counted and countdown_marks(phase.seconds) for phase in dose.phases)


def work_plan(
    dose: Dose,
    side: Side | None,
    lines: Lines,
    count_with: CountWith,
    *,
    announce: str | None,
    announce_seconds: float = ANNOUNCE_SECONDS,
) -> CountPlan:
    """One set: optional announcement and lead-in, then every rep's beats.

    ``announce`` ("Set 1 of 3.") adds the announcement and a "3, 2, 1" before
    the work, ``announce_seconds`` after it (``announce_room``); without it
    (after a rest that counted down) the work starts at 0.
    """
    tones = count_with is CountWith.TONES
    tone = CueKind.BEAT if tones else None
    beats: list[Beat] = []
    phases: list[PhaseSpan] = []
    offset = 0.0
    if announce is not None:
        beats.append(Beat(0.0, announce, SayKind.LINE, Priority.NORMAL))
        beats.extend(lead_in(announce_seconds, lines, tones))
        offset = announce_seconds + LEAD_IN_SECONDS
    holds = counts_holds(dose)
    rep_key, rep_room = ("rep_count_hold", REP_WORD_SECONDS) if holds else (
        "rep_count", REP_COUNT_SECONDS)
    blocks = _blocks(dose, side, lines)
    total = sum(len(reps) for _, reps in blocks)
    done = 0
    for block_index, (switch_line, rep_sides) in enumerate(blocks):
        if block_index > 0 and switch_line:
            beats.append(Beat(offset, switch_line, SayKind.LINE, Priority.NORMAL))
            offset += SWITCH_SECONDS
        for rep_number, rep_prefix in enumerate(rep_sides, start=1):
            for phase_index, phase in enumerate(dose.phases):
                cue = fill_side(phase.cue, side)
                if phase_index == 0 and rep_prefix:
                    cue = f"{rep_prefix} {cue}".strip()
                if block_index == 0 and rep_number == 1 and phase_index == 0:
                    beats.append(earcon(offset, CueKind.START))  # the set begins
                if cue:
                    beats.append(Beat(offset, cue, SayKind.CUE_WORD, Priority.NORMAL))
                phases.append(PhaseSpan(offset, offset + phase.seconds, cue))
                if phase.counted:
                    for left in countdown_marks(phase.seconds):
                        at = offset + phase.seconds - left
                        beats.append(Beat(at, lines.get("count", n=left), tone=tone))
                offset += phase.seconds
            done += 1
            rep_count = lines.get(rep_key, n=rep_number)
            beats.append(Beat(offset, rep_count, tone=tone, rep=rep_number, done=done))
            offset += rep_room
            if len(rep_sides) >= HALFWAY_MIN_REPS and rep_number == len(rep_sides) // 2:
                beats.append(Beat(offset, lines.get("halfway"), SayKind.LINE))
                offset += HALFWAY_SECONDS
    return CountPlan(tuple(beats), offset, tuple(phases), total)


def announce_room(text: str, rate_wpm: int) -> float:
    """Seconds before the lead-in for a set's announcement ``text`` said at ``rate_wpm``."""
    return max(ANNOUNCE_SECONDS, len(text.split()) * SECONDS_PER_WORD_AT_ONE_WPM / max(1, rate_wpm))


def _blocks(dose: Dose, side: Side | None, lines: Lines) -> list[tuple[str, list[str]]]:
    """(line announcing the block, a prefix per rep) for each side or direction."""
    reps = dose.reps
    if dose.pattern in (Pattern.ONE_SIDE, Pattern.BOTH):
        return [("", [""] * reps)]
    if dose.pattern is Pattern.PER_SIDE:
        other = side.other if side is not None else None
        other_line = lines.get("now_side", side=fill_side("{side}", other))
        return [("", [""] * reps), (other_line, [""] * reps)]
    if dose.pattern is Pattern.EACH_DIRECTION:
        return [("", [""] * reps), (lines.get("other_direction"), [""] * reps)]
    first = side if side is not None else Side.LEFT
    legs = (first, first.other)
    names = [lines.get(ALTERNATE[leg]) for leg in legs]
    return [("", [names[rep % 2] for rep in range(2 * reps)])]


def rest_plan(
    rest_seconds: float, lines: Lines, count_with: CountWith, *, announce: str
) -> CountPlan:
    """A rest: "Rest for 30 seconds.", "20 seconds.", "Set 2 of 3.", then the rest-over
    tone with "Next set in" and "5, 4, 3, 2, 1" (the next set starts with no other lead-in).

    A rest shorter than REST_LINE_SECONDS + NEXT_SET_SECONDS + 1 has no countdown.
    """
    tone = CueKind.BEAT if count_with is CountWith.TONES else None
    length = float(rest_seconds)
    rest_line = lines.count("rest", length, seconds=_spoken_seconds(length))
    beats = [Beat(0.0, rest_line, SayKind.LINE, Priority.NORMAL)]
    for left in range(10, int(length), 10):
        if length - left >= REST_FIRST_LEFT_SECONDS and left > ANNOUNCE_BEFORE_REST_END_SECONDS:
            beats.append(Beat(length - left, lines.get("rest_left", seconds=left), SayKind.LINE))
    if length - ANNOUNCE_BEFORE_REST_END_SECONDS >= REST_LINE_SECONDS:
        beats.append(
            Beat(length - ANNOUNCE_BEFORE_REST_END_SECONDS, announce, SayKind.LINE, Priority.NORMAL)
        )
    start_from = min(REST_COUNTDOWN_FROM, int(length - REST_LINE_SECONDS - NEXT_SET_SECONDS))
    if start_from >= 1:  # a rest too short to count down has no lead-in to mark
        opening = length - start_from - NEXT_SET_SECONDS
        beats.append(earcon(opening, CueKind.REST_OVER))
        beats.append(Beat(opening, lines.get("next_set_in"), SayKind.LINE))
        for left in range(start_from, 0, -1):
            beats.append(Beat(length - left, lines.get("count", n=left), tone=tone))
    beats.sort(key=lambda beat: beat.offset)
    return CountPlan(tuple(beats), length)


def _spoken_seconds(seconds: float) -> str:
    return f"{seconds:g}"

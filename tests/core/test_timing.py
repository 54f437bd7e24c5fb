"""A whole routine on a manual clock: every beat lands on its ideal time.

The ideal times are worked out here from the doses alone (start of work,
rep length, rest length), independently of the session's own timeline code;
ticks come every 50 ms, so a beat dated by the tick instead of its deadline
would be up to 50 ms off, and drift would grow set after set.
"""

from __future__ import annotations

from coach.commands.intents import Intent
from coach.core.actions import Action, Cue, CueKind, Say, SayKind
from coach.core.count_plan import (
    HALFWAY_MIN_REPS,
    HALFWAY_SECONDS,
    LEAD_IN_SECONDS,
    MIN_COUNTDOWN_HOLD_SECONDS,
    REP_COUNT_SECONDS,
    REP_WORD_SECONDS,
    SWITCH_SECONDS,
    announce_room,
    counts_holds,
)
from coach.core.events import Heard, Tick
from coach.core.session import Session
from coach.core.states import State
from coach.program.loader import load_bundled
from coach.program.model import Dose, Pattern, Side
from coach.runtime.text_voice import TextVoice
from coach.runtime.runner import Runner
from coach.settings import Settings
from coach.spoken_text import load_lines

TICK = 0.05


def ideal_counts(dose: Dose, work_start: float) -> tuple[list[tuple[str, float]], float]:
    """(text, time) of every spoken number in one set, and when the set ends."""
    out: list[tuple[str, float]] = []
    blocks = 1 if dose.pattern in (Pattern.ONE_SIDE, Pattern.BOTH) else 2
    reps = dose.reps * (2 if dose.pattern is Pattern.ALTERNATING else 1)
    if dose.pattern is Pattern.ALTERNATING:
        blocks = 1
    t = work_start
    for block in range(blocks):
        if block:
            t += SWITCH_SECONDS
        for n in range(1, reps + 1):  # each side or direction is counted from 1
            for phase in dose.phases:
                if phase.counted and phase.seconds >= MIN_COUNTDOWN_HOLD_SECONDS:
                    step = 10 if phase.seconds > 20 else 5
                    marks = [r for r in range(1, 6) if r < phase.seconds]
                    marks += [r for r in range(step, int(phase.seconds), step) if r > 5]
                    out += [(str(r), t + phase.seconds - r) for r in sorted(marks, reverse=True)]
                t += phase.seconds
            # The number is said alone before the next rep; after a countdown, as a word.
            if counts_holds(dose):
                out.append((f"That's {n}.", t))
                t += REP_WORD_SECONDS
            else:
                out.append((str(n), t))
                t += REP_COUNT_SECONDS
            if reps >= HALFWAY_MIN_REPS and n == reps // 2:
                t += HALFWAY_SECONDS
    return out, t


def test_thirty_minute_routine_every_beat_within_a_millisecond() -> None:
    program = load_bundled("medial-knee")
    session = Session(program, settings=Settings(), side=Side.LEFT, lines=load_lines())
    said: list[Say] = []
    tones: list[Cue] = []

    def record(action: Action, now: float) -> list:
        if isinstance(action, Say):
            said.append(action)
        elif isinstance(action, Cue):
            tones.append(action)
        return []

    runner = Runner(session, [record, TextVoice()])
    runner.start(0.0)
    go_times: dict[str, float] = {}
    n = 0
    while not runner.ended and n < 200_000:
        n += 1
        now = n * TICK
        runner.feed(Tick(now))
        if session.state is State.READY:
            assert session.exercise is not None
            go_times[session.exercise.id] = now
            runner.feed(Heard(Intent.GO, "go", 1.0, now))
        elif session.state is State.ASK_PAIN:
            runner.feed(Heard(Intent.NUMBER, "two", 1.0, now, 2))
    assert runner.ended and runner.summary is not None
    assert runner.summary.completed is True
    assert n * TICK > 30 * 60  # a real 30-minute routine

    checked = 0
    for ex in program.exercises:
        dose = ex.dose_at(session.levels[ex.id])
        go = go_times[ex.id]
        first = next(s.text for s in said if s.text.startswith("Set 1 of") and s.at == go)
        work_from = go + announce_room(first, session.settings.rate_wpm) + LEAD_IN_SECONDS
        start = work_from
        expected: list[tuple[str, float]] = []
        for set_number in range(1, dose.sets + 1):
            counts, end = ideal_counts(dose, start)
            expected += counts
            if set_number < dose.sets:
                rest_end = end + dose.rest_seconds
                expected += [(str(k), rest_end - k) for k in range(5, 0, -1)]  # after "Next set in"
                start = rest_end
        next_go = min((t for t in go_times.values() if t > go), default=float("inf"))
        got = [
            (s.text, s.at)
            for s in said
            if s.kind is SayKind.COUNT
            and s.at is not None
            and work_from - 1e-9 <= s.at < next_go
        ]
        assert [t for t, _ in got] == [t for t, _ in expected], ex.id
        for (text, at), (_, ideal) in zip(got, expected):
            assert abs(at - ideal) < 0.001, f"{ex.id}: {text} at {at}, ideal {ideal}"
            checked += 1
    assert checked > 400
    timed = [s.at for s in said if s.at is not None]
    assert len(timed) == len(set(timed)), "two phrases share a beat: the playout would drop one"
    # the start, rest-over and done tones sit on beats of their own among the counts
    at = [c.at for c in tones]
    assert None not in at and len(at) == len(set(at)), "two tones share a beat"
    counts = {s.at for s in said if s.kind is SayKind.COUNT}
    assert not counts & set(at), "a tone on a spoken number's beat"
    sets = sum(ex.dose_at(session.levels[ex.id]).sets for ex in program.exercises)
    assert sum(c.kind is CueKind.START for c in tones) == sets
    assert sum(c.kind is CueKind.REST_OVER for c in tones) == sets - len(program.exercises)
    assert [c.kind for c in tones][-1] is CueKind.DONE

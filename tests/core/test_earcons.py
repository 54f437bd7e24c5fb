"""The start, rest-over and done tones: each on its beat of the plan, never
moving a count and never sharing a beat with a spoken number or another tone.

Driven by Tick and Heard events on a manual clock (50 ms ticks); the tones'
times are checked against deadlines worked out here from the dose."""

from __future__ import annotations

import pytest
from core_harness import drive, exercise, program

from coach.core.actions import Cue, CueKind, Say, SayKind, SessionEnded
from coach.core.count_plan import (
    ANNOUNCE_SECONDS,
    LEAD_IN_SECONDS,
    NEXT_SET_SECONDS,
    REST_COUNTDOWN_FROM,
)
from coach.core.records import SetDone
from coach.core.states import State
from coach.program.model import Side
from coach.settings import CountWith, Settings
from coach.runtime.scripted_session import SessionHarness

WORK_START = ANNOUNCE_SECONDS + LEAD_IN_SECONDS  # "Set 1 of 2.", "3, 2, 1", then work


def cues(d: SessionHarness, kind: CueKind) -> list[Cue]:
    return [c for c in d.cues() if c.kind is kind]


def says_at(d: SessionHarness, at: float) -> list[Say]:
    return [s for s in d.says() if s.at is not None and abs(s.at - at) < 1e-9]


def answer_pain_until_end(d: SessionHarness) -> None:
    while not d.runner.ended:
        d.until(lambda: d.runner.ended or d.state is State.ASK_PAIN)
        if d.state is State.ASK_PAIN:
            d.hear("two")


@pytest.mark.parametrize("count_with", list(CountWith))
def test_start_tone_sounds_as_the_first_rep_begins_after_the_lead_in(count_with) -> None:
    d = drive(side=Side.LEFT, settings=Settings(count_with=count_with)).start()
    d.to_ready()
    go_at = d.now
    d.hear("go")
    d.until_state(State.RESTING, limit=60)
    (start,) = cues(d, CueKind.START)
    assert start.at is not None and abs(start.at - (go_at + WORK_START)) < 1e-9
    # the "1" of the lead-in is a second before, and the first cue word shares the beat
    last_lead_in = go_at + WORK_START - 1
    if count_with is CountWith.VOICE:
        assert [s.text for s in says_at(d, last_lead_in)] == ["1"]
    else:
        assert [c.kind for c in d.cues() if abs(c.at - last_lead_in) < 1e-9] == [CueKind.BEAT]
    assert [(s.text, s.kind) for s in says_at(d, start.at)] == [("Lift.", SayKind.CUE_WORD)]
    # emitted on its tick, not earlier: nothing is handed out before its beat
    at_emit = next(now for now, a in d.actions if a == start)
    assert start.at <= at_emit < start.at + 0.05 + 1e-9


def test_rest_over_tone_opens_the_next_sets_lead_in_and_start_follows() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.RESTING, limit=60)
    rest_start = d.logs(SetDone)[0].at
    assert not cues(d, CueKind.REST_OVER)  # not before its beat
    d.until(lambda: len(d.logs(SetDone)) == 2, limit=60)
    rest_end = rest_start + 20.0
    (over,) = cues(d, CueKind.REST_OVER)
    opening = rest_end - REST_COUNTDOWN_FROM - NEXT_SET_SECONDS
    assert over.at is not None and abs(over.at - opening) < 1e-9
    assert [s.text for s in says_at(d, over.at)] == ["Next set in"]
    assert [s.text for s in says_at(d, rest_end - REST_COUNTDOWN_FROM)] == ["5"]
    starts = cues(d, CueKind.START)
    assert len(starts) == 2  # one per set
    assert abs(starts[1].at - rest_end) < 1e-9  # the countdown was the lead-in
    assert [s.text for s in says_at(d, rest_end)] == ["Lift."]


def test_a_rest_too_short_to_count_down_has_no_rest_over_tone() -> None:
    d = drive(program(exercise(rest=2.0)), side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until(lambda: len(d.logs(SetDone)) == 2, limit=120)
    assert not cues(d, CueKind.REST_OVER)
    assert len(cues(d, CueKind.START)) == 2


def test_done_tone_closes_the_summary_as_the_session_ends() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    answer_pain_until_end(d)
    (done,) = cues(d, CueKind.DONE)
    kinds = [type(a) for _, a in d.actions]
    i = next(i for i, (_, a) in enumerate(d.actions) if a == done)
    assert kinds[i + 1] is SessionEnded  # with the end of the session
    goodbye = max(i for i, (_, a) in enumerate(d.actions) if isinstance(a, Say))
    assert d.says()[-1].text == d.session.lines.get("goodbye")  # after the whole summary
    assert goodbye < i
    assert done.at == d.actions[i][0]  # now: the voice has finished the summary
    assert done.at > d.actions[goodbye][0] + d.text.estimate_seconds(d.says()[-1].text)


def test_done_tone_also_ends_a_stopped_session() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.advance(8)
    d.hear("stop")
    d.hear("yes")
    d.until(lambda: d.runner.ended, limit=60)
    assert len(cues(d, CueKind.DONE)) == 1
    assert not d.session.summary().completed


def test_a_pause_in_the_lead_in_keeps_one_start_tone_after_the_new_lead_in() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    go_at = d.now
    d.hear("go")
    d.advance(ANNOUNCE_SECONDS + 1.5)  # between "3" and "2"
    d.hear("pause")
    d.advance(3)
    d.hear("go")
    d.until_state(State.RESTING, limit=60)
    (start,) = cues(d, CueKind.START)
    assert start.at > go_at + WORK_START + 3  # after the pause and the fresh "3, 2, 1"
    assert [s.text for s in says_at(d, start.at)] == ["Lift."]
    # what was left of the old lead-in is not said after the fresh one ("3, 2, 1, 1")
    resumed = [s for s in d.says() if s.at is not None and s.at > go_at + ANNOUNCE_SECONDS + 2]
    assert [s.text for s in resumed][:4] == ["3", "2", "1", "Lift."]
    assert abs(start.at - resumed[2].at - 1.0) < 1e-9  # work begins one beat after the "1"


@pytest.mark.parametrize("count_with", list(CountWith))
def test_tones_never_share_a_beat_with_a_count_or_each_other(count_with) -> None:
    prog = program(exercise("a", sets=3, rest=12.0), exercise("b", sets=2, reps=6, rest=30.0))
    d = drive(prog, side=Side.LEFT, settings=Settings(count_with=count_with)).start()
    while not d.runner.ended:
        d.until(lambda: d.runner.ended or d.state in (State.READY, State.ASK_PAIN), limit=900)
        if d.state is State.READY:
            d.hear("go")
        elif d.state is State.ASK_PAIN:
            d.hear("two")
    tones = [c for c in d.cues() if c.at is not None]
    assert len(tones) == len(d.cues())  # every tone is dated on its beat
    assert len({c.at for c in tones}) == len(tones), "two tones on one beat"
    counts = {s.at for s in d.says() if s.kind is SayKind.COUNT and s.at is not None}
    assert not counts & {c.at for c in tones}, "a tone on a spoken number's beat"
    assert len(cues(d, CueKind.START)) == 3 + 2  # one per set
    assert len(cues(d, CueKind.REST_OVER)) == 2 + 1  # one per rest
    assert len(cues(d, CueKind.DONE)) == 1
    timed = [s.at for s in d.says() if s.at is not None]
    assert len(timed) == len(set(timed)), "two phrases share a beat: the playout would drop one"

"""A reply during a set never talks over the count: said at once when it fits
before the next beat, else the count holds while it is said and goes on
behind a fresh "3, 2, 1"."""

from __future__ import annotations

from core_harness import drive, exercise, program

from coach.core.actions import Say
from coach.core.states import State
from coach.program.model import Phase, Side


def _overlaps(d, mark: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Beats that start while a reply (said after ``mark``) is still being said."""
    replies = [(s, t) for t, s in d.actions[mark:] if isinstance(s, Say) and s.at is None]
    beats = [s for _, s in d.actions[mark:] if isinstance(s, Say) and s.at is not None]
    clashes = []
    for reply, said_at in replies:
        end = said_at + d.text.estimate_seconds(reply.text)
        clashes += [f"{b.text}@{b.at:.2f} under {reply.text!r}" for b in beats
                    if said_at - 1e-9 <= b.at < end]
    return clashes


def _in_set(prog=None):  # type: ignore[no-untyped-def]
    d = drive(prog, side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    d.advance(0.5)
    return d


def test_harder_mid_rep_holds_the_count_and_resumes_behind_three_two_one() -> None:
    d = _in_set()
    mark = len(d.actions)
    d.hear("harder")
    d.advance(12)
    assert _overlaps(d, mark) == []
    beats = [s.text for s in d.says(mark) if s.at is not None]
    assert beats[:3] == ["3", "2", "1"]
    assert d.state is State.WORKING


def test_help_and_how_many_left_mid_rep_never_talk_over_a_cue() -> None:
    for command in ("help", "how many left", "repeat", "slower", "back"):
        d = _in_set()
        mark = len(d.actions)
        d.hear(command)
        d.advance(12)
        assert _overlaps(d, mark) == [], command


def test_a_short_reply_in_a_long_hold_is_said_at_once_and_the_count_goes_on() -> None:
    hold = exercise(sets=1, reps=2, phases=(Phase("Lift.", 2.0), Phase("Hold.", 30.0, True)))
    d = drive(program(hold), side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Hold.")
    d.advance(1.0)  # "20" is 9 s away
    mark = len(d.actions)
    d.hear("how many left")
    d.advance(20)
    beats = [s.text for s in d.says(mark) if s.at is not None]
    assert beats[:2] == ["20", "10"]  # no fresh lead-in: the count never stopped
    assert _overlaps(d, mark) == []


def test_next_while_the_count_holds_for_a_reply_ends_the_set() -> None:
    d = _in_set()
    d.hear("help")
    d.hear("next")
    d.until_state(State.RESTING)
    d.hear("pause")
    d.hear("go")
    d.advance(3)
    assert d.state is State.RESTING


def test_a_reply_is_timed_from_the_end_of_a_beat_already_handed_to_the_voice() -> None:
    """The voice says a beat it already has before a reply (it never drops a planned
    beat for a line), so whether the reply fits before the next beat is counted from
    that beat's end, not from now."""
    from coach.core.actions import CueKind
    from coach.core.count_plan import Beat, CountPlan
    from coach.core.parts.counting import Counting

    counting = Counting()
    plan = CountPlan((Beat(1.0, "Seven."), Beat(2.0, "", tone=CueKind.BEAT), Beat(3.0, "Eight")), 4.0)
    counting.run(plan, 10.0)
    assert counting.last_beat_ends(150) is None  # nothing said yet
    assert [deadline for _, deadline in counting.due(11.0)] == [11.0]
    assert counting.last_beat_ends(150) == 11.0 + 60.0 / 150  # one word at 150 words a minute
    list(counting.due(12.0))
    assert counting.last_beat_ends(150) == 12.0  # a tone: no words
    counting.stop()
    assert counting.last_beat_ends(150) is None

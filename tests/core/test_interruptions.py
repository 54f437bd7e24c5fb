"""Pause, stop, pain, levels and silence: what the coach does when interrupted."""

from __future__ import annotations

from core_harness import drive, exercise, program

from coach.core.actions import Priority, Say, StopSpeaking
from coach.core.count_plan import WORK_START_SECONDS as WORK_START
from coach.core.interrupt import RESUME_GAP_SECONDS
from coach.core.pain import PainWhen
from coach.core.records import (
    ExerciseSkipped,
    LevelChanged,
    PainRated,
    Paused,
    Resumed,
    SessionFinished,
    SessionStarted,
)
from coach.core.states import State
from coach.program.model import Phase, Side
from coach.runtime.scripted_session import SessionHarness


def hold_drive() -> SessionHarness:
    """One 30 s hold per set, so a pause can land 7 s into it."""
    ex = exercise(
        "bal", sets=1, reps=2, phases=(Phase("Lift your foot.", 2.0), Phase("Hold.", 30.0, True))
    )
    d = drive(program(ex), side=Side.LEFT).start()
    d.to_ready()
    return d


def test_pause_inside_a_hold_resumes_at_the_same_second() -> None:
    d = hold_drive()
    d.hear("go")
    hold_start = d.now + WORK_START + 2
    d.until(lambda: d.now >= hold_start + 7 - 1e-9)
    out = d.hear("pause")
    assert isinstance(out[0], StopSpeaking)
    assert d.state is State.PAUSED
    assert d.said()[-1] == "Paused. Say go when you are ready."
    assert d.logs(Paused)
    d.advance(40)  # a long pause: nothing is counted meanwhile
    assert d.state is State.PAUSED
    assert not [s for s in d.says() if s.at is not None and s.at > hold_start + 7]
    resume_at = d.now + RESUME_GAP_SECONDS  # "Carrying on." first
    mark = len(d.actions)
    d.hear("go")
    assert d.logs(Resumed)
    d.until_state(State.ASK_PAIN, limit=120)
    beats = [(s.text, round(s.at - resume_at, 6)) for s in d.says(mark) if s.at is not None]
    # "3, 2, 1", then the hold goes on at 7 s: 20 s left at 10 s into the hold.
    assert beats[:5] == [("3", 0.0), ("2", 1.0), ("1", 2.0), ("Hold.", 3.0), ("20", 6.0)]
    assert ("That's 1.", 3.0 + 23.0) in beats  # the rep number when the 30 s hold ends
    counts = [t for t, _ in beats if t.isdigit() or t.startswith("That's")][3:]
    assert counts == [
        "20",
        "10",
        "5",
        "4",
        "3",
        "2",
        "1",
        "That's 1.",
        "20",
        "10",
        "5",
        "4",
        "3",
        "2",
        "1",
        "That's 2.",
    ]


def test_pause_during_rest_keeps_the_rest_time() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.RESTING)
    d.advance(5)
    d.hear("pause")
    d.advance(100)
    d.hear("go")
    go_at = d.now
    d.until_state(State.WORKING)
    # 20 s rest, 5 s of it done before the pause; the rest goes on after room for "Carrying on."
    assert abs(d.now - (go_at + RESUME_GAP_SECONDS + 20 - 5)) < 1e-6


def test_pause_in_the_rests_countdown_leaves_room_for_carrying_on() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.RESTING)
    d.until_said("Next set in")
    d.advance(3.6)  # 2 s to the "5", then after "4", before "3"
    d.hear("pause")
    d.advance(3)
    d.hear("go")
    go_at = d.now
    d.until_state(State.WORKING)
    after = [(a.at if a.at is not None else now, a.text) for now, a in d.actions
             if isinstance(a, Say) and now >= go_at - 1e-9]
    assert [text for _, text in after[:4]] == ["Carrying on.", "3", "2", "1"]
    assert after[1][0] >= go_at + RESUME_GAP_SECONDS  # the count does not talk over "Carrying on."


def test_stop_then_yes_ends_with_summary() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.advance(8)
    out = d.hear("stop")
    assert isinstance(out[0], StopSpeaking)
    urgent = next(a for a in out if isinstance(a, Say))
    assert urgent.text == "Stopping. End the session?" and urgent.priority is Priority.URGENT
    assert d.state is State.CONFIRM_STOP
    d.advance(30)
    assert d.state is State.CONFIRM_STOP  # frozen while deciding
    d.hear("yes")
    d.until_state(State.ENDED)
    assert d.runner.summary is not None and d.runner.summary.completed is False
    assert "We stopped early. That is fine." in d.said()
    assert d.logs(SessionFinished)[0].completed is False


def test_stop_then_no_carries_on_where_it_was() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lower.")
    d.hear("stop")
    d.advance(10)
    mark = len(d.actions)
    d.hear("no")
    assert d.state is State.WORKING
    d.until_state(State.RESTING)
    said = d.said(mark)
    assert said[:4] == ["Carrying on.", "3", "2", "1"]
    lead_in = next(s for s in d.says(mark) if s.text == "3")
    assert (
        lead_in.at is not None
        and abs(lead_in.at - (d.actions[mark][0] + RESUME_GAP_SECONDS)) < 1e-9
    )
    reps = [t for t in said if t in {"1", "2", "3"}][3:]
    assert reps == ["1", "2", "3"]  # rep 1 finishes: no number skipped or repeated


def test_silence_reprompts_once_then_waits_quietly() -> None:
    d = drive().start()
    d.until_state(State.ASK_SIDE)
    mark = len(d.actions)
    d.advance(60)
    assert d.said(mark) == ["Which knee hurts, left or right?"]
    ends = [e.at for e in d.text.transcript if e.text.startswith("Which knee")]
    assert len(ends) == 2
    assert d.state is State.ASK_SIDE
    d.hear("left")
    assert d.state is State.PLAN


def test_harder_and_easier_at_both_ends_of_the_ladder() -> None:
    d = drive(side=Side.LEFT).start()  # levels 0..2, starts at 1
    d.to_ready()
    out = [a.text for a in d.hear("harder") if isinstance(a, Say)]
    assert out == ["Harder: level 2.", "Now level 2."]
    out = [a.text for a in d.hear("harder") if isinstance(a, Say)]
    assert out == ["This is already the hardest level."]
    d.hear("easier")
    out = [a.text for a in d.hear("easier") if isinstance(a, Say)]
    assert out == ["Easier: level 0.", "Now level 0."]
    out = [a.text for a in d.hear("easier") if isinstance(a, Say)]
    assert out == ["This is already the easiest level."]
    changes = [(r.from_level, r.to_level, r.level_id) for r in d.logs(LevelChanged)]
    assert changes == [(1, 2, "l2"), (2, 1, "l1"), (1, 0, "l0")]
    assert d.session.levels["raise"] == 0
    d.hear("go")
    d.until_said("Lift.")
    out = [a.text for a in d.hear("harder") if isinstance(a, Say)]
    assert out == ["Harder: level 1. This starts with the next set."]  # one line over the count
    assert d.session.summary().levels == {"raise": 1}


def test_remembered_level_is_used_and_clamped() -> None:
    d = drive(side=Side.LEFT, levels={"raise": 99}).start()
    assert d.session.levels == {"raise": 2}
    assert d.logs(SessionStarted)[0].levels == {"raise": 2}


def after_exercise(rating: str, prog_exercises: int = 2) -> SessionHarness:
    prog = program(*(exercise(f"e{i}", sets=1, reps=1) for i in range(prog_exercises)))
    d = drive(prog, side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.ASK_PAIN)
    assert d.said()[-1] == "How is your knee, from zero to ten?"
    d.hear(rating)
    return d


def test_pain_after_exercise_each_band() -> None:
    for rating, line in (  # the number said back first, so a misheard one can be corrected
        ("one", "One. Good. We carry on."),
        ("four", "Four. That is acceptable. If it gets worse, say easier."),
        ("seven", "Seven. That is more than it should be."),
    ):
        d = after_exercise(rating)
        assert any(t.startswith(line) for t in d.said()), rating
        assert d.state is State.INTRO  # on to the next exercise
        pain = d.logs(PainRated)[0]
        assert pain.exercise == "e0" and pain.when is PainWhen.AFTER_EXERCISE


def test_pain_during_a_set_pauses_and_asks() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.advance(9)
    out = d.hear("it hurts")
    assert isinstance(out[0], StopSpeaking)
    ask = next(a for a in out if isinstance(a, Say))
    assert ask.priority is Priority.URGENT
    assert ask.text == "Stop and rest your knee. How is your knee, from zero to ten?"
    d.advance(20)
    assert d.state is State.ASK_PAIN
    d.hear("two")
    assert d.state is State.WORKING  # safe: carry on after a lead-in
    assert d.logs(PainRated)[-1].when is PainWhen.DURING
    d.advance(3)
    d.hear("ouch")
    d.hear("four")
    assert d.state is State.PAUSED
    assert (
        d.said()[-1]
        == "Four. That is acceptable. Say easier for a lighter version, or go to carry on."
    )
    d.hear("go")
    assert d.state is State.WORKING


def test_pain_above_five_stops_the_exercise_and_offers_easier_or_skip() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.advance(9)
    d.hear("pain")
    d.hear("seven")
    assert d.state is State.PAIN_STOPPED
    assert d.said()[-2:] == [
        "Seven. That is too much. We will stop this exercise.",
        "Say easier to try a lighter version, or next to skip it.",
    ]
    d.hear("go")  # never push through
    assert d.state is State.PAIN_STOPPED
    d.hear("harder")
    assert d.state is State.PAIN_STOPPED
    d.hear("easier")
    assert d.state is State.READY
    assert d.session.levels["raise"] == 0
    d.hear("go")
    assert d.said()[-1] == "Set 1 of 2, 3 reps."  # the set starts again, lighter


def test_pain_above_five_twice_advises_stopping() -> None:
    prog = program(
        exercise("a", sets=1, reps=1), exercise("b", sets=1, reps=1), exercise("c", sets=1, reps=1)
    )
    d = drive(prog, side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.ASK_PAIN)
    d.hear("eight")
    d.until_state(State.READY)
    d.hear("go")
    d.advance(6)
    d.hear("pain nine")  # a rating said without being asked
    assert d.state is State.CONFIRM_STOP
    assert d.said()[-1].startswith("Nine. Your knee has hurt a lot twice today.")
    d.hear("no")
    assert d.logs(ExerciseSkipped)[-1] == ExerciseSkipped(
        at=d.now, exercise="b", reason="pain"
    )
    assert d.session.exercise is not None and d.session.exercise.id == "c"
    d2 = drive(prog, side=Side.LEFT).start()
    d2.to_ready()
    d2.hear("go")
    d2.advance(6)
    d2.hear("it hurts")
    d2.hear("ten")
    d2.hear("next")
    d2.until_state(State.READY)
    d2.hear("go")
    d2.advance(6)
    d2.hear("it hurts")
    d2.hear("six")
    assert d2.state is State.CONFIRM_STOP
    d2.hear("yes")
    d2.until_state(State.ENDED)
    assert d2.runner.summary is not None
    ratings = [p.rating for p in d2.runner.summary.pain]
    assert ratings == [10, 6]


def test_resume_says_the_current_phase_cue_again() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lower.")  # paused on the very tick "Lower." was said
    mark = d.pause_for(4)
    d.advance(7)
    assert d.said(mark)[:6] == ["Carrying on.", "3", "2", "1", "Lower.", "1"]


def test_a_cue_said_again_after_a_pause_never_crowds_the_next_count() -> None:
    """Paused half a second before a hold's count: the count follows the "1" at once,
    so "Hold." is not said again (it would cut that count or push it out)."""
    d = hold_drive()  # "Lift your foot." 2 s, then a counted 30 s hold: "20" at 12 s into the rep
    d.hear("go")
    d.until_said("20")
    d.until_said("10")  # 10 s left
    d.advance(4.5)  # 0.5 s before "5"
    mark = d.pause_for(2)
    d.advance(6)
    assert d.said(mark)[:6] == ["Carrying on.", "3", "2", "1", "5", "4"]


def test_go_over_the_pause_prompt_silences_it() -> None:
    """"go" said while "Paused. Say go when you are ready." is still playing: the prompt
    stops there, so "Carrying on." and the fresh "3, 2, 1" are not pushed late."""
    d = hold_drive()
    d.hear("go")
    d.until_said("Hold.")
    mark = d.pause_for(0.5)  # "go" while the prompt is still being said
    after_go = [a for _, a in d.actions[mark:]]
    stop = next(i for i, a in enumerate(after_go) if isinstance(a, StopSpeaking))
    carrying = next(i for i, a in enumerate(after_go) if isinstance(a, Say) and a.text == "Carrying on.")
    assert stop < carrying


def test_next_at_the_start_prompt_silences_it_before_skipping() -> None:
    d = drive(program(exercise("a"), exercise("b")), side=Side.LEFT).start()
    d.to_ready()
    mark = len(d.actions)
    d.hear("next")
    after = [a for _, a in d.actions[mark:]]
    stop = next(i for i, a in enumerate(after) if isinstance(a, StopSpeaking))
    skipped = next(i for i, a in enumerate(after) if isinstance(a, Say))
    assert stop < skipped  # "Say go when you are ready." is not said before the next exercise


def test_a_pause_on_the_last_beat_of_a_rep_does_not_resume_as_three_two_one_one() -> None:
    d = drive(program(exercise("a", sets=1, reps=3)), side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.advance(WORK_START + 6.0 - 0.3)  # "Lift.", "Hold.", "Lower." said; rep 1's "1" is 0.3 s off
    assert "1" not in d.said()[-3:]
    d.hear("pause")
    d.advance(2)
    mark = len(d.actions)
    d.hear("go")
    d.advance(14)
    beats = [s.text for s in d.says(mark) if s.at is not None]
    # The lowering had just begun: it is named and done again, then its rep counted.
    assert beats[:6] == ["3", "2", "1", "Lower.", "1", "Lift."]  # never "1, 1"
    assert "2" in beats[4:]  # rep 2 is counted as the second
    d.hear("how many left")
    assert d.said()[-1] == "Set 1 of 1, 1 rep to go."


def test_stop_pause_and_pain_cut_the_voice_at_once_and_other_commands_do_not() -> None:
    """The session says whether a silence is urgent: the runtime never guesses it."""
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.advance(9)
    cut = [a for a in d.hear("it hurts") if isinstance(a, StopSpeaking)]
    assert cut == [StopSpeaking(at_once=True)]
    d.hear("two")
    d.advance(3)
    assert [a for a in d.hear("pause") if isinstance(a, StopSpeaking)] == [StopSpeaking(at_once=True)]
    d.hear("go")
    d.advance(3)
    assert [a for a in d.hear("next") if isinstance(a, StopSpeaking)] == [StopSpeaking(at_once=False)]
    d.advance(3)
    assert [a for a in d.hear("stop") if isinstance(a, StopSpeaking)] == [StopSpeaking(at_once=True)]

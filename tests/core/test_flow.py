"""A session from the opening to the summary, as a person would hear it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from core_harness import drive, exercise, program

from coach.core.actions import CueKind, Priority, SayKind, SessionEnded
from coach.core.count_plan import REP_COUNT_SECONDS
from coach.core.count_plan import WORK_START_SECONDS as WORK_START
from coach.core.parts.narration import STEP_GAP_SECONDS
from coach.core.records import (
    ExerciseDone,
    ExerciseSkipped,
    SessionFinished,
    SessionStarted,
    SetDone,
    SettingsChanged,
    SideChosen,
)
from coach.core.resume_point import ResumePoint
from coach.core.states import State
from coach.program.model import Pattern, Phase, Side
from coach.settings import CountWith, Settings, Verbosity


def test_opening_says_safety_notes_asks_side_then_plan() -> None:
    d = drive(notes=("Last time your pain was 7.",)).start()
    d.until_state(State.ASK_SIDE)
    said = d.said()
    assert said[0].startswith("Hello")
    assert "Stop if it hurts sharply." in said
    assert "Last time your pain was 7." in said
    assert said[-1] == "Which knee hurts, left or right?"
    d.hear("right")
    assert d.session.side is Side.RIGHT
    assert d.logs(SideChosen)[0].side is Side.RIGHT
    d.until_state(State.INTRO)
    assert "Today there is 1 exercise, about 1 minute." in d.said()
    started = d.logs(SessionStarted)[0]
    assert started.program == "test"
    assert started.exercises == ("raise",)
    assert started.planned_sets == {"raise": 2}
    assert started.levels == {"raise": 1}
    assert started.side is None


def test_known_side_is_not_asked() -> None:
    d = drive(side=Side.LEFT).start()
    d.until_state(State.INTRO)
    assert not any("Which knee" in t for t in d.said())


def test_steps_wait_for_speech_done_plus_a_gap() -> None:
    d = drive(side=Side.LEFT).start()
    d.until_said("raise step one")
    first = d.says()[-1]
    done_at = next(e for e in d.text.transcript if e.text == first.text).at
    i = d.until_said("raise step two")
    at = d.actions[i][0]
    estimate = d.text.estimate_seconds(first.text)
    assert at >= done_at + estimate + 0.7 - 1e-9
    assert at <= done_at + estimate + 0.7 + 0.05 + 1e-9
    assert "raise step one, left leg." in d.said()


def test_repeat_back_and_next_in_the_steps() -> None:
    d = drive(side=Side.LEFT).start()
    d.until_said("raise step two")
    mark = len(d.actions)
    d.hear("repeat")
    assert d.said(mark) == ["raise step two."]
    assert d.stops(mark) == 1
    mark = len(d.actions)
    d.hear("go back")
    assert d.said(mark) == ["raise step one, left leg."]
    mark = len(d.actions)
    d.hear("next")
    assert d.said(mark) == ["raise step two."]
    d.hear("next")
    d.hear("next")
    assert d.state is State.READY
    assert d.said()[-1] == "Say go when you are ready."


def test_short_cue_when_familiar_and_repeat_gives_the_full_steps() -> None:
    d = drive(side=Side.LEFT, familiar=frozenset({"raise"})).start()
    d.until_state(State.READY)
    said = d.said()
    assert "Lift your left leg." in said
    assert not any("step one" in t for t in said)
    d.hear("repeat")
    assert d.state is State.INTRO
    d.until_state(State.READY)
    assert any("step three" in t for t in d.said())


def test_verbosity_short_and_full() -> None:
    short = drive(side=Side.LEFT, settings=Settings(verbosity=Verbosity.SHORT)).start()
    short.until_state(State.READY)
    assert "Lift your left leg." in short.said()
    full = drive(
        side=Side.LEFT, familiar=frozenset({"raise"}), settings=Settings(verbosity=Verbosity.FULL)
    ).start()
    full.until_state(State.READY)
    assert not any("Lift your left leg." == t for t in full.said())


def test_set_counts_reps_on_the_beat_with_lead_in() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    go_at = d.now
    mark = len(d.actions)
    d.hear("go")
    d.until_state(State.RESTING, limit=60)
    says = d.says(mark)
    texts = [s.text for s in says]
    assert texts[:4] == ["Set 1 of 2, 3 reps.", "3", "2", "1"]  # how many reps, the first time
    assert texts[4:8] == ["Lift.", "Hold.", "Lower.", "1"]
    reps = [
        s
        for s in says
        if s.kind is SayKind.COUNT and s.text in {"1", "2", "3"} and s.at and s.at > go_at + WORK_START
    ]
    assert [r.text for r in reps] == ["1", "2", "3"]
    for n, r in enumerate(reps, start=1):
        assert r.priority is Priority.COUNT
        assert abs(r.at - (go_at + WORK_START + 6 * n + REP_COUNT_SECONDS * (n - 1))) < 1e-9
    timed = [s.at for s in says if s.at is not None]
    assert len(timed) == len(set(timed)), "two phrases on one beat: one would be dropped"
    cues = [s for s in says if s.kind is SayKind.CUE_WORD]
    assert cues and all(c.at is not None for c in cues)
    done = d.logs(SetDone)[0]
    assert replace(done, at=0) == SetDone(
        at=0,
        exercise="raise",
        set_number=1,
        of_sets=2,
        reps=3,
        level=1,
        side=Side.LEFT,
        reps_planned=3,
        complete=True,
    )
    assert abs(done.at - (go_at + WORK_START + 18 + 3 * REP_COUNT_SECONDS)) < 1e-9


def test_rest_countdown_last_set_and_summary() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.RESTING)
    d.until_state(State.WORKING)
    texts = d.said()
    texts = texts[texts.index("Rest for 20 seconds.") :]
    assert texts[:-7] == ["Rest for 20 seconds.", "Set 2 of 2. Last set."]
    assert texts[-7:] == ["Next set in", "5", "4", "3", "2", "1", "Lift."]
    d.until_state(State.ASK_PAIN)
    assert d.said()[-2] == "Well done. That was the last set of the raise exercise."
    d.hear("two")
    d.until_state(State.ENDED)
    summary = d.runner.summary
    assert summary is not None and summary.completed is True
    assert summary.sets_done == 2 and summary.exercises_done == 1
    assert summary.pain[0].rating == 2
    assert any("You did 1 exercise and 2 sets." == t for t in d.said())
    ended = d.logs(SessionFinished)[0]
    assert ended.completed is True and ended.summary.sets_done == 2
    assert isinstance(d.actions[-1][1], SessionEnded)
    assert d.logs(ExerciseDone)[0].sets_done == 2


def test_halfway_per_side_each_direction_and_alternating() -> None:
    per_side = exercise("side", sets=1, reps=6, pattern=Pattern.PER_SIDE)
    d = drive(program(per_side), side=Side.RIGHT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.ASK_PAIN)
    texts = d.said()
    assert "Now your left leg." in texts
    switch = texts.index("Now your left leg.")
    first, second = texts[:switch], texts[switch:]
    assert [t for t in first if t in {"4", "5", "6"}] == ["4", "5", "6"]
    assert [t for t in second if t in {"4", "5", "6"}] == ["4", "5", "6"]  # counted from 1 again
    assert texts.count("Halfway.") == 2  # after rep 3 on each leg
    assert first[first.index("Halfway.") - 1] == "3" and second[second.index("Halfway.") - 1] == "3"
    directions = exercise("dir", sets=1, reps=2, pattern=Pattern.EACH_DIRECTION)
    d = drive(program(directions), side=Side.RIGHT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.ASK_PAIN)
    assert "Now the other direction." in d.said()
    alt = exercise("alt", sets=1, reps=2, pattern=Pattern.ALTERNATING)
    d = drive(program(alt), side=Side.RIGHT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.ASK_PAIN)
    cues = [s.text for s in d.says() if s.kind is SayKind.CUE_WORD and s.text.endswith("Lift.")]
    assert cues == ["Right. Lift.", "Left. Lift.", "Right. Lift.", "Left. Lift."]


def test_long_hold_countdown() -> None:
    hold = exercise("bal", sets=1, reps=1, phases=(Phase("Hold.", 30.0, True),))
    d = drive(program(hold), side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    start = d.now + WORK_START
    d.until_state(State.ASK_PAIN)
    counts = [
        (s.text, s.at - start) for s in d.says() if s.kind is SayKind.COUNT and s.at and s.at >= start
    ]
    assert counts == [
        ("20", 10),
        ("10", 20),
        ("5", 25),
        ("4", 26),
        ("3", 27),
        ("2", 28),
        ("1", 29),
        ("That's 1.", 30),  # a word, not one more number of the countdown
    ]


def test_tones_replace_spoken_numbers() -> None:
    d = drive(side=Side.LEFT, settings=Settings(count_with=CountWith.TONES)).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.RESTING)
    assert not [s for s in d.says() if s.kind is SayKind.COUNT]
    beats = [c for c in d.cues() if c.kind is CueKind.BEAT]
    assert len(beats) == 3 + 3  # lead-in and three rep numbers (2 s holds are not counted)
    assert [s.text for s in d.says() if s.kind is SayKind.CUE_WORD][:3] == ["Lift.", "Hold.", "Lower."]


def test_resume_offer_yes_jumps_to_the_set() -> None:
    prog = program(exercise("a"), exercise("b", sets=3))
    d = drive(prog, resume=ResumePoint("b", 2, Side.RIGHT)).start()
    d.until_state(State.ASK_RESUME)
    assert d.said()[-1] == "You stopped during the b exercise, set 2. Carry on from there?"
    d.hear("yes")
    assert d.session.side is Side.RIGHT
    d.until_state(State.READY)
    assert "Next: b exercise." in d.said()
    d.hear("go")
    assert d.said()[-1] == "Set 2 of 3."


def test_resume_offer_no_starts_from_the_beginning() -> None:
    prog = program(exercise("a"), exercise("b", sets=3))
    d = drive(prog, resume=ResumePoint("b", 2, None)).start()
    d.until_state(State.ASK_RESUME)
    d.hear("no")
    assert d.state is State.ASK_SIDE
    d.hear("left")
    d.until_state(State.READY)
    assert "First: a exercise." in d.said()


def test_skip_an_exercise_at_the_start_prompt() -> None:
    prog = program(exercise("a"), exercise("b"))
    d = drive(prog, side=Side.LEFT).start()
    d.to_ready()
    d.hear("skip")
    assert d.logs(ExerciseSkipped)[0].exercise == "a"
    assert d.logs(ExerciseSkipped)[0].reason == "asked"
    d.until_state(State.READY)
    assert d.session.exercise is not None and d.session.exercise.id == "b"


def test_status_and_help_do_not_lose_the_count() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lower.")
    d.until_said("Lift.")  # rep 2 has begun
    said = [s.text for s in d.hear("how many left") if hasattr(s, "text")]
    assert said == ["Set 1 of 2, 2 reps to go."]
    help_said = [s.text for s in d.hear("what can I say") if hasattr(s, "text")]
    assert help_said[0].startswith("You can say pause")
    d.until_state(State.RESTING)
    assert [s.text for s in d.says() if s.kind is SayKind.COUNT and s.text in "123"][-3:] == [
        "1",
        "2",
        "3",
    ]
    said = [s.text for s in d.hear("where am I") if hasattr(s, "text")]
    assert said[0].startswith("Resting. Set 2 of 2 is next, in ")


def test_voice_changes_step_and_stop_at_limits() -> None:
    from coach.core.actions import ChangeVoice

    d = drive(side=Side.LEFT, settings=Settings(rate_wpm=100, volume=0.9)).start()
    out = d.hear("slower")
    assert ChangeVoice(80, 0.9) in out
    assert "Speaking at 80 words a minute." in [a.text for a in out if hasattr(a, "text")]
    out = d.hear("slower")
    assert not [a for a in out if isinstance(a, ChangeVoice)]
    assert "This is as far as the speed goes." in [a.text for a in out if hasattr(a, "text")]
    out = d.hear("louder")
    assert ChangeVoice(80, 1.0) in out
    out = d.hear("louder")
    assert "This is as far as the volume goes." in [a.text for a in out if hasattr(a, "text")]
    out = d.hear("quieter")
    assert ChangeVoice(80, 0.85) in out
    assert replace(d.logs(SettingsChanged)[-1], at=0) == SettingsChanged(
        at=0, rate_wpm=80, volume=0.85
    )
    out = d.hear("faster")
    assert ChangeVoice(100, 0.85) in out


def test_help_lists_what_can_be_said_now() -> None:
    d = drive().start()
    d.until_state(State.ASK_SIDE)
    said = [a.text for a in d.hear("what can I say") if hasattr(a, "text")]
    assert said == [
        "Say left or right, or stop.",
        "You can also say slower, faster, louder or quieter.",
    ]
    d.hear("left")
    d.until_state(State.READY)
    said = [a.text for a in d.hear("help") if hasattr(a, "text")]
    assert said[0] == "You can say go, repeat, back, next, skip this exercise, what do I need, harder, easier, or stop."
    d.hear("stop")
    said = [a.text for a in d.hear("help") if hasattr(a, "text")]
    assert said[0] == "Say yes or no."


def test_yes_to_the_resume_offer_goes_on_at_the_normal_pace() -> None:
    """Answered at once, the rest of the question is not waited out: after
    "Carrying on..." and the plan, the next line follows the normal step gap."""
    prog = program(exercise("a", sets=3), exercise("b"))
    d = drive(prog, resume=ResumePoint("a", 2, Side.LEFT)).start()
    d.until_state(State.ASK_RESUME)
    d.advance(0.5)  # the question has only just begun
    yes_at = d.now
    d.hear("yes")
    first = d.until_said("First: a exercise.")
    said_between = [s.text for s in d.says() if s.id < d.actions[first][1].id][-2:]
    speaking = sum(d.text.estimate_seconds(text) for text in said_between)
    assert said_between[0].startswith("Carrying on from the a exercise, set 2.")
    assert d.actions[first][0] - yes_at <= speaking + STEP_GAP_SECONDS + 0.2


def test_counts_of_one_are_said_in_the_singular() -> None:
    """'Your pain ratings were 2.' and 'Rest for 1 seconds.' read wrongly aloud."""
    d = drive(program(exercise("a", sets=2, reps=1, rest=1.0), exercise("b")), side=Side.LEFT)
    d.start().to_ready()
    said = [s.text for s in d.hear("how many left") if hasattr(s, "text")]
    assert said == ["Exercise 1 of 2: a exercise.", "1 exercise left after this one."]
    d.hear("go")
    d.until_state(State.RESTING)
    assert "Rest for 1 second." in d.said()
    d.until_state(State.ASK_PAIN)
    d.hear("two")
    d.until_state(State.READY)
    d.hear("stop")
    d.hear("yes")
    d.until_state(State.ENDED)
    assert "Your pain rating was 2." in d.said()
    assert not [t for t in d.said() if "ratings were" in t or "1 seconds" in t]


def test_a_rest_with_one_second_left_says_so() -> None:
    d = drive(program(exercise(sets=2, reps=1, rest=30.0)), side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.RESTING)
    d.until_said("Next set in")
    d.until_said("2")  # 2 s before the set
    d.advance(1.2)
    said = [s.text for s in d.hear("how many left") if hasattr(s, "text")]
    assert said == ["Resting. Set 2 of 2 is next, in 1 second."]


def test_the_first_set_says_how_many_reps_and_has_room_to_say_it() -> None:
    from coach.core.count_plan import ANNOUNCE_SECONDS
    from coach.program.model import Pattern
    from coach.settings import Settings

    for pattern, said in ((Pattern.PER_SIDE, "Set 1 of 2, 3 reps on each leg."),
                          (Pattern.EACH_DIRECTION, "Set 1 of 2, 3 reps each way.")):
        for rate in (150, 80):
            d = drive(program(exercise("a", sets=2, reps=3, pattern=pattern)), side=Side.LEFT,
                      settings=Settings(rate_wpm=rate)).start()
            d.to_ready()
            go = len(d.actions)
            d.hear("go")
            d.advance(12)
            says = [s for s in d.says(go) if s.at is not None]
            assert says[0].text == said
            three = next(s for s in says if s.text == "3")
            room = three.at - says[0].at
            words = len(said.split())
            # At least the usual 2.5 s; a word has 0.75 s at 80 words a minute.
            assert room == pytest.approx(max(ANNOUNCE_SECONDS, words * 60.0 / rate))
    d.until(lambda: any(s.startswith("Set 2 of 2.") for s in d.said()))
    assert any(s == "Set 2 of 2. Last set." for s in d.said())  # later sets: as before

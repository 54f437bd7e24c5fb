"""A rest between two sets, from the real session through the playout, spoken
by espeak-ng on a manual clock: every phrase of the rest is heard whole, and
each number of its countdown starts on its beat.

Said in one phrase on the 5's beat, "Next set in 5." (1.5 s at 150 words a
minute) ran over the 4's beat, which faded it out before its "five": the
person heard "Next set in... 4, 3, 2, 1". At 80 words a minute "Set 2 of 2.
Last set." was still playing on that beat, and the whole phrase was dropped.
"""

from __future__ import annotations

import numpy as np
import pytest
from speech_out_checks import onset_near, rms_between
from timeline_run import TimelineVoice, on_the_timeline

from coach.commands.intents import Intent
from coach.core.actions import Say
from coach.core.events import Event, Heard, SpeechDone, SpeechStarted
from coach.core.session import Session
from coach.core.states import State
from coach.program.model import Dose, Exercise, Level, Phase, Program, Side
from coach.settings import RATE_MIN_WPM, Settings, Verbosity
from coach.speech_out.cache import PhraseCache
from coach.speech_out.playout import Playout
from coach.speech_out.sinks import WavTimelineSink
from coach.spoken_text import load_lines

TICK_SECONDS = 0.05
REST_SECONDS = 20.0  # long enough for every line of a rest: "Rest for...", the set, the countdown


def two_sets() -> Program:
    ex = Exercise(
        id="raise", name="leg raise", why="It helps your knee.", targets="thigh",
        helps=(), equipment=(), steps=(),
        dose=Dose(sets=2, reps=2, rest_seconds=REST_SECONDS,
                  phases=(Phase("Lift.", 1.5), Phase("Lower.", 1.5))),
        levels=(Level("base", "base", "Base level."),), default_level=0,
        short_cue="Raise your {side} leg.",
    )
    return Program(id="rest", title="Rest", summary="", conditions=(), safety=(),
                   exercises=(ex,), credit="tests", sources=())


def run_through_a_rest(cache: PhraseCache,
                       rate_wpm: int) -> tuple[list[Say], list[Event], np.ndarray]:
    """The runtime's loop until the second set has begun; the listener says go."""
    settings = Settings(side="left", rate_wpm=rate_wpm, verbosity=Verbosity.SHORT)
    playout = Playout(cache, settings)
    sink = WavTimelineSink(playout)
    voice = TimelineVoice(sink)
    session = Session(two_sets(), settings=settings, side=Side.LEFT, familiar=frozenset({"raise"}), lines=load_lines())
    run = on_the_timeline(session, voice, TICK_SECONDS)
    said_go = False
    rest_end = float("inf")
    while run.now < rest_end + 2.0:  # until the second set's first cue has been said
        run.tick()
        if session.state is State.READY and not said_go:
            said_go = True
            run.feed(Heard(Intent.GO, "go", 1.0, run.now))
        if session.state is State.RESTING and rest_end == float("inf"):
            rest_end = run.now + REST_SECONDS
        assert run.now < 120.0, session.state
    assert session.state is State.WORKING
    events = voice.reported + sink.finish()
    return run.says(), events, sink.samples()


@pytest.mark.slow
@pytest.mark.parametrize("rate_wpm", [Settings().rate_wpm, RATE_MIN_WPM])
def test_a_rest_is_heard_whole_and_its_countdown_lands_on_the_beats(
        cache: PhraseCache, rate_wpm: int) -> None:
    said, events, audio = run_through_a_rest(cache, rate_wpm)
    rest_start = next(s.at for s in said if s.text.startswith("Rest for"))
    set_start = rest_start + REST_SECONDS
    rest = [s for s in said if s.at is not None and rest_start <= s.at < set_start]
    started = {e.utterance_id: e.at for e in events if isinstance(e, SpeechStarted)}
    done = {e.utterance_id: e for e in events if isinstance(e, SpeechDone)}
    for s in rest:
        assert s.id in started, f"{s.text!r} was dropped ({rate_wpm} wpm)"
        assert started[s.id] == pytest.approx(s.at, abs=1 / 16000)
        assert not done[s.id].interrupted, f"{s.text!r} was cut short ({rate_wpm} wpm)"
    # the countdown: 5, 4, 3, 2, 1 on the last five beats, each heard from its beat
    words = " ".join(s.text.rstrip(".") for s in rest).split()
    assert words[-8:] == ["Next", "set", "in", "5", "4", "3", "2", "1"]
    numbers = [s for s in rest if s.text in {"5", "4", "3", "2", "1"}]
    assert [(s.text, s.at) for s in numbers] == [
        (str(n), pytest.approx(set_start - n)) for n in range(5, 0, -1)]
    for s in numbers:  # from the audio: quiet just before the beat, the number from it
        assert rms_between(audio, s.at - 0.015, s.at - 0.001) < 1.0, f"a phrase runs into {s.text}"
        assert abs(onset_near(audio, s.at, window=0.015) - s.at) <= 0.010, f"{s.text} off its beat"


@pytest.mark.slow
@pytest.mark.parametrize("rate_wpm", [Settings().rate_wpm, RATE_MIN_WPM])
def test_a_sets_announcement_and_lead_in_are_heard_whole(cache: PhraseCache, rate_wpm: int) -> None:
    """ "Set 1 of 2." has room before the "3, 2, 1" even at the slowest rate (it
    took 2.06 s at 80 words a minute, and the "3" was dropped when it had 2.0 s)."""
    said, events, _ = run_through_a_rest(cache, rate_wpm)
    first = next(i for i, s in enumerate(said) if s.text.startswith("Set 1 of"))
    opening = said[first : first + 5]
    assert [s.text for s in opening] == [said[first].text, "3", "2", "1", "Lift."]
    started = {e.utterance_id for e in events if isinstance(e, SpeechStarted)}
    done = {e.utterance_id: e for e in events if isinstance(e, SpeechDone)}
    for s in opening:
        assert s.id in started, f"{s.text!r} was dropped ({rate_wpm} wpm)"
        assert not done[s.id].interrupted, f"{s.text!r} was cut short ({rate_wpm} wpm)"

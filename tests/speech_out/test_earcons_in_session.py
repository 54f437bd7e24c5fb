"""The start, rest-over and done tones of a real session, in its WAV timeline.

A short session (two sets with a rest, a pain rating, the summary) is spoken
by espeak-ng into a WAV file on a manual clock, twice: once as the runtime
plays it, and once with the tones held back from the playout. The tones
change nothing else (no phrase moves, none is dropped), so the difference of
the two files is the tones alone: each must be there, whole, from the sample
of the beat the session gave it, and there must be nothing else.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from timeline_run import TimelineVoice, on_the_timeline

from coach.audio.wavfile import read_wav
from coach.commands.intents import Intent
from coach.core.actions import Action, Cue, CueKind, Say, SayKind
from coach.core.events import Heard
from coach.core.session import Session
from coach.core.states import State
from coach.program.model import Dose, Exercise, Level, Phase, Program, Side
from coach.settings import Settings, Verbosity
from coach.speech_out.cache import PhraseCache
from coach.speech_out.earcons import earcon
from coach.speech_out.playout import Playout
from coach.speech_out.sinks import WavTimelineSink
from coach.spoken_text import load_lines

TICK_SECONDS = 0.05
ANSWER_AFTER_SECONDS = 3.0  # a question is answered this long after it is asked
VOLUME = 0.8


def short_program() -> Program:
    ex = Exercise(
        id="raise", name="leg raise", why="It helps your knee.", targets="thigh",
        helps=(), equipment=(), steps=(),
        dose=Dose(sets=2, reps=2, rest_seconds=9.0,
                  phases=(Phase("Lift.", 1.5), Phase("Lower.", 1.5))),
        levels=(Level("base", "base", "Base level."),), default_level=0,
        short_cue="Raise your {side} leg.",
    )
    return Program(id="tones", title="Tones", summary="", conditions=(), safety=(),
                   exercises=(ex,), credit="tests", sources=())


def run(cache: PhraseCache, path: Path, *, tones: bool) -> list[tuple[float, Action]]:
    """The runtime's loop on a manual clock; the listener answers every question."""
    playout = Playout(cache, Settings(volume=VOLUME))
    sink = WavTimelineSink(playout, path)
    voice = TimelineVoice(sink, play=lambda action: tones or not isinstance(action, Cue))
    settings = Settings(side="left", volume=VOLUME, verbosity=Verbosity.SHORT)
    session = Session(short_program(), settings=settings, side=Side.LEFT,
                      familiar=frozenset({"raise"}), lines=load_lines())
    run = on_the_timeline(session, voice, TICK_SECONDS)
    asked_at, state = 0.0, session.state
    while run.now < 200.0 and not run.ended:
        run.tick()
        if session.state is not state:
            state, asked_at = session.state, run.now
        if run.now - asked_at >= ANSWER_AFTER_SECONDS:
            if state is State.READY:
                run.feed(Heard(Intent.GO, "go", 1.0, run.now))
            elif state is State.ASK_PAIN:
                run.feed(Heard(Intent.NUMBER, "two", 1.0, run.now, 2))
    assert run.ended
    sink.finish()
    return run.actions


@pytest.mark.slow
def test_start_rest_over_and_done_tones_are_in_the_wav_on_their_beats(
        cache: PhraseCache, tmp_path: Path) -> None:
    with_tones = run(cache, tmp_path / "tones.wav", tones=True)
    without = run(cache, tmp_path / "quiet.wav", tones=False)
    said = [(now, a) for now, a in with_tones if isinstance(a, Say)]
    assert said == [(now, a) for now, a in without if isinstance(a, Say)]  # the same session

    cues = [a for _, a in with_tones if isinstance(a, Cue)]
    assert [c.kind for c in cues] == [CueKind.START, CueKind.REST_OVER, CueKind.START,
                                      CueKind.DONE]
    a = read_wav(tmp_path / "tones.wav").samples.astype(np.int64)
    b = read_wav(tmp_path / "quiet.wav").samples.astype(np.int64)
    b = np.concatenate([b, np.zeros(max(0, len(a) - len(b)), np.int64)])
    assert len(a) == len(b)
    diff = a - b
    rate = 16000
    covered = np.zeros(len(diff), bool)
    for cue in cues:
        assert cue.at is not None
        start = round(cue.at * rate)
        tone = earcon(cue.kind).astype(np.float64) * VOLUME
        got = diff[start : start + len(tone)]
        assert len(got) == len(tone), f"{cue.kind.value} cut short at the end of the file"
        # int16 rounding of each mix: the tone plays to within a step or two
        close = np.abs(got - tone) <= 2
        assert close.mean() > 0.99, f"{cue.kind.value} not found at {cue.at:.3f} s"
        assert np.abs(got[:16]).max() > 0, "the tone starts on its beat's first samples"
        covered[start : start + len(tone)] = True
    assert not diff[~covered].any(), "the tones moved or changed something else"
    # the tones sound with a line or on their own, never on a spoken number's beat
    counts = {a.at for _, a in said if a.kind is SayKind.COUNT}
    assert not counts & {c.at for c in cues}

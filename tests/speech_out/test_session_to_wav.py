"""The real session engine, through the runner, spoken by espeak-ng into a WAV
timeline on a manual clock: the counts it asks for are heard on their beats."""

from __future__ import annotations

from pathlib import Path

import pytest
from speech_out_checks import onset_near, rms_between
from timeline_run import TimelineVoice, on_the_timeline

from coach.audio.wavfile import read_wav
from coach.commands.intents import Intent
from coach.core.actions import Action, Cue, Say
from coach.core.events import Event, Heard, SpeechDone, SpeechStarted
from coach.core.session import Session
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.settings import CountWith, Settings
from coach.speech_out.playout import Playout
from coach.speech_out.sinks import WavTimelineSink
from coach.spoken_text import load_lines

TICK_SECONDS = 0.05
RUN_SECONDS = 90.0


def run_session(playout: Playout, path: Path, settings: Settings) -> tuple[list[Action], list[Event]]:
    playout.warm([str(n) for n in range(1, 31)])
    sink = WavTimelineSink(playout, path)
    voice = TimelineVoice(sink)
    run = on_the_timeline(Session(load_bundled(), settings=settings, side=Side.LEFT, lines=load_lines()), voice,
                          TICK_SECONDS)
    said_go = 0
    while run.now < RUN_SECONDS and not run.ended:
        run.tick()
        asked = [s for s in run.says() if "go" in s.text.lower()]
        if len(asked) > said_go and not playout.busy:  # the listener answers each "say go"
            said_go = len(asked)
            run.feed(Heard(Intent.GO, "go", 1.0, run.now))
    return [a for _, a in run.actions], voice.reported + sink.finish()


@pytest.mark.slow
def test_spoken_counts_of_a_real_session_land_on_their_beats(playout: Playout,
                                                             tmp_path: Path) -> None:
    settings = Settings(side="left", count_with=CountWith.VOICE)
    actions, events = run_session(playout, tmp_path / "session.wav", settings)
    audio = read_wav(tmp_path / "session.wav").samples
    started = {e.utterance_id: e.at for e in events if isinstance(e, SpeechStarted)}
    done = [e.utterance_id for e in events if isinstance(e, SpeechDone)]
    says = [a for a in actions if isinstance(a, Say)]
    assert sorted(done) == sorted(a.id for a in says)  # every phrase reported its end once
    beats = [a for a in says if a.at is not None and a.id in started]
    assert len(beats) >= 10, "the session should have counted by now"
    measured = 0
    for say in beats:
        assert started[say.id] == pytest.approx(say.at, abs=1 / 16000)
        if rms_between(audio, say.at - 0.06, say.at - 0.02) > 1.0:
            continue  # a tone or a phrase just before: no clean onset to measure
        heard = onset_near(audio, say.at, window=0.02)
        assert abs(heard - say.at) <= 0.020, f"'{say.text}' heard at {heard:.3f}, beat {say.at:.3f}"
        measured += 1
    assert measured >= 8
    for say in says:
        if say.id in started:
            end = next(e.at for e in events if isinstance(e, SpeechDone) and e.utterance_id == say.id)
            assert rms_between(audio, started[say.id], end) > 300, say.text


@pytest.mark.slow
def test_with_tones_the_beats_are_tones_on_time(playout: Playout, tmp_path: Path) -> None:
    settings = Settings(side="left", count_with=CountWith.TONES)
    actions, _ = run_session(playout, tmp_path / "tones.wav", settings)
    audio = read_wav(tmp_path / "tones.wav").samples
    tones = [a for a in actions if isinstance(a, Cue) and a.at is not None]
    assert len(tones) >= 6
    for cue in tones:
        assert abs(onset_near(audio, cue.at, window=0.02) - cue.at) <= 0.020

"""The live voice drops replies a newer command made stale: the real session, the
real playout and espeak-ng on a manual clock. Five "how many left" said while
the coach speaks get one answer, the newest; a burst keeps the timeline short."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.commands.intents import Intent
from coach.core.actions import Action, Say
from coach.core.events import Event, Heard, SpeechStarted, Tick
from coach.core.session import Session
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.runtime.runner import Runner
from coach.settings import Settings
from coach.speech_out.cache import PhraseCache
from coach.speech_out.playout import Playout
from coach.speech_out.pyttsx3_renderer import Pyttsx3Renderer
from coach.speech_out.sinks import WavTimelineSink
from coach.speech_out.voices import NeuralVoice, Voices
from coach.spoken_text import load_lines

TICK_SECONDS = 0.05


@pytest.fixture
def cache(espeak: Pyttsx3Renderer, tmp_path: Path) -> PhraseCache:
    """espeak-ng alone: the neural voice is never loaded (in the background) for these."""
    return PhraseCache(Voices(NeuralVoice(start=False), espeak=espeak), tmp_path / "phrases")


class _Run:
    def __init__(self, cache: PhraseCache) -> None:
        self.playout = Playout(cache, Settings(voice="en-us"))
        self.sink = WavTimelineSink(self.playout)
        self.actions: list[Action] = []
        self.started: list[SpeechStarted] = []
        self.runner = Runner(Session(load_bundled(), settings=Settings(voice="en-us"),
                                     side=Side.LEFT, lines=load_lines()), [self._voice])
        self.now = 0.0
        self.runner.start(0.0)

    def _voice(self, action: Action, now: float) -> list[Event]:
        self.actions.append(action)
        return self.sink(action, now)

    def advance(self, seconds: float) -> None:
        for _ in range(round(seconds / TICK_SECONDS)):
            self.now = round(self.now + TICK_SECONDS, 3)
            self.runner.feed(Tick(self.now))
            for event in self.sink.advance_to(self.now):
                if isinstance(event, SpeechStarted):
                    self.started.append(event)
                self.runner.feed(event)

    def status(self) -> None:
        self.runner.feed(Heard(Intent.STATUS, "how many left", 1.0, self.now))


def test_five_questions_over_the_coach_get_the_newest_answer_only(cache: PhraseCache) -> None:
    run = _Run(cache)
    run.advance(1.0)  # the welcome is playing
    mark = len(run.actions)
    for _ in range(5):
        run.status()
    replies = [a for a in run.actions[mark:] if isinstance(a, Say)]
    run.advance(25.0)
    said = {e.utterance_id for e in run.started}
    heard = [r.text for r in replies if r.id in said]
    assert len(replies) == 10  # two lines for each question
    assert heard == [replies[-2].text, replies[-1].text], heard


def test_a_burst_keeps_the_timeline_short(cache: PhraseCache, tmp_path: Path) -> None:
    run = _Run(cache)
    run.advance(1.0)
    for _ in range(300):
        run.status()
    planned = len(run.playout._timeline.segments)
    assert planned <= 4, f"{planned} phrases planned after 300 questions"
    assert run.playout.planned_until() - run.now < 20.0

"""A session on the harness, spoken into a WAV timeline: the sink is its voice and,
as the clock moves, the input that reports what was heard."""

from __future__ import annotations

from collections.abc import Callable

from coach.core.actions import Action
from coach.core.events import Event
from coach.core.session import Session
from coach.runtime.scripted_session import SessionHarness
from coach.speech_out.sinks import WavTimelineSink


class TimelineVoice:
    """The sink as voice (``__call__``) and as input (``events``); keeps every event it reported."""

    def __init__(self, sink: WavTimelineSink,
                 play: Callable[[Action], bool] = lambda action: True) -> None:
        self.sink = sink
        self.play = play  # False: the action is recorded but not handed to the sink
        self.reported: list[Event] = []

    def __call__(self, action: Action, now: float) -> list[Event]:
        if not self.play(action):
            return []
        reported = self.sink(action, now)  # SpeechDone for phrases this action dropped
        self.reported.extend(reported)
        return reported

    def events(self, now: float) -> list[Event]:
        reported = self.sink.advance_to(now)  # the audio clock reports what was heard
        self.reported.extend(reported)
        return reported


def on_the_timeline(session: Session, voice: TimelineVoice,
                    tick_seconds: float) -> SessionHarness:
    return SessionHarness(session, tick_seconds=tick_seconds, voice=voice, inputs=[voice]).start()

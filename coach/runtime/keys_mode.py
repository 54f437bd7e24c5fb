"""Keys mode (``coach start --keys``): the coach's words printed, commands typed.

The one loop on a wall clock, with typed lines as its only input and the
text voice as its voice: each coach line is printed as a plain line (good
with a screen reader), and speech is taken to end after an estimate from its
words. Nothing is spoken or heard.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TextIO

from coach.core.events import Heard
from coach.runtime.assembly import StartSession
from coach.runtime.clock import WallClock
from coach.runtime.loop import Ending, SessionLoop
from coach.runtime.messages import runtime_line
from coach.runtime.text_voice import TextVoice, TranscriptLine
from coach.runtime.runner import Runner
from coach.runtime.stop_signals import StopOnSignal
from coach.runtime.typed_input import LineReader, TypedLines
from coach.settings import Settings
from coach.speech_in.typed import TypedText

STEP_SECONDS = 0.05  # how often the clock is looked at while nobody types
NOT_A_COMMAND = "(Not a command. Type help for what you can say.)"


def keys_voice(settings: Settings, *, write: Callable[[str], None], timestamps: bool = True,
               tones: bool = True) -> TextVoice:
    """Keys mode's voice: each line printed, none kept (a session may take hours of typing)."""
    return TextVoice(rate_wpm=settings.rate_wpm, write=write, timestamps=timestamps, tones=tones,
                     labels=tones, keep=False)


def run_keys(started: StartSession, *, write: Callable[[str], None], timestamps: bool = True,
             tones: bool = True, stdin: TextIO | None = None,
             stop: StopOnSignal | None = None) -> Ending:
    """Run the session until it ends or the typed input does (Ctrl-C raises KeyboardInterrupt).

    ``timestamps`` and ``tones`` off: plain lines for a screen reader (``--plain``):
    no time column, no tone lines, and the coach's words without "coach: ".
    ``stop``: SIGTERM and SIGHUP end the run there (``Ending.STOPPED``).
    """
    wake = threading.Event()
    clock = WallClock(STEP_SECONDS, wake)
    text = keys_voice(started.session.settings, write=write, timestamps=timestamps, tones=tones)

    def not_saved(detail: str) -> None:
        line = f"{runtime_line('settings_not_saved')} ({detail})"
        text.emit(TranscriptLine(clock.now(), "note", line))

    def show(line: str, heard: Heard | None, at: float) -> None:
        if heard is None:
            write(NOT_A_COMMAND)

    started.settings_sink.report = not_saved
    runner = Runner(started.session, [text, *started.sinks])
    reader = LineReader(stdin if stdin is not None else sys.stdin, wake,
                        edit=stdin is None and sys.stdin.isatty()).start()
    typed = TypedLines(reader, TypedText(), show)
    loop = SessionLoop(runner, clock, [typed])
    if stop is not None:
        stop.attach(loop)
    loop.start()
    return loop.run(nobody_left=lambda: typed.ended)

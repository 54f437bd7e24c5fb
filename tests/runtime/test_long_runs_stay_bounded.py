"""Thousands of typed commands keep nothing per command: keys mode and the live coach stay bounded.

A person (or a stuck key) can type for hours. Each coach line used to be kept
in the printed transcript as well as printed, about 1 KB a command; nothing
reads it in keys mode or the live coach. Counted here as objects and bytes
the run still holds, never as time.
"""

from __future__ import annotations

import gc
import io
import tracemalloc

from coach.core.session import Session
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.runtime.assembly import start_session
from coach.runtime.keys_mode import keys_voice
from coach.runtime.live import LiveOptions, LiveRun
from coach.settings import Settings
from coach.runtime.scripted_session import SessionHarness
from coach.spoken_text import load_lines

COMMANDS = ("help", "how many left", "repeat", "not a command at all", "louder", "quieter",
            "pause", "go", "slower", "faster", "this week")


def typed(run: SessionHarness, count: int) -> None:
    for i in range(count):
        run.type_line(COMMANDS[i % len(COMMANDS)])
        run.advance(0.5)


def test_thousands_of_typed_commands_keep_nothing_per_command() -> None:
    printed = [0]  # lines printed: counted, not kept, so the count itself does not grow

    def write(line: str) -> None:
        printed[0] += 1

    session = Session(load_bundled("medial-knee"), settings=Settings(), side=Side.LEFT, lines=load_lines())
    voice = keys_voice(session.settings, write=write)
    run = SessionHarness(session, voice=voice, record=False).start()
    run.to_ready()
    typed(run, 1000)  # what is made once (phrases, caches) is made by now
    gc.collect()
    tracemalloc.start()
    try:
        objects, (held, _) = len(gc.get_objects()), tracemalloc.get_traced_memory()
        lines = printed[0]
        typed(run, 3000)
        gc.collect()
        grown_objects = len(gc.get_objects()) - objects
        grown_bytes = tracemalloc.get_traced_memory()[0] - held
    finally:
        tracemalloc.stop()
    assert printed[0] - lines > 3000  # every command was answered, and printed
    assert grown_objects < 300, f"{grown_objects} more objects after 3000 commands"
    assert grown_bytes < 64 * 1024, f"{grown_bytes} more bytes after 3000 commands"
    assert len(voice.transcript) == 0


def test_the_live_coach_prints_its_lines_without_keeping_them() -> None:
    started = start_session(load_bundled("medial-knee"), Settings(), side=Side.LEFT,
                            history=False, now=0.0)
    printed: list[str] = []
    stdin = io.StringIO("help\n" * 40 + "stop\nyes\n")
    live = LiveRun(started, LiveOptions(listen=False, output_device="no such speaker"),
                   write=printed.append, stdin=stdin)
    try:
        assert live.run() == 0
    finally:
        started.close()
    assert sum("coach:" in line for line in printed) > 40
    assert live.printer.transcript == [] and live.voice.transcript == []

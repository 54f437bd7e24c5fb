"""A real session by voice: a person's commands (coach.runtime.person_voice)
into the virtual microphone, the coach's real speech out of the virtual
speaker, which also leaks back into the microphone (echo), as in a room."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from e2e_harness import CoachProcess, Recorder, say

from coach.commands.parser import load_vocabulary, parse
from coach.history import HistoryStore

COUNT = r"^\d+$"
MOVING = COUNT + r"|^Lift\.$|^Hold\.$|^Lower\.$"  # the set going on
TRIES = 3


@pytest.fixture
def speaker() -> Recorder:
    recorder = Recorder()
    yield recorder
    recorder.stop()


def command(coach: CoachProcess, speaker: Recorder, words: str, folder: Path,
            said: list[tuple[float, str]]) -> int:
    """Say ``words`` when the coach pauses; the index of the line that shows it was heard.

    Like a person who was not understood, the test says it again, a little
    differently (another voice), up to three times.
    """
    printed = coach.lines[-1].arrived if coach.lines else time.monotonic()
    for try_number in range(1, TRIES + 1):
        mark = len(coach.lines)
        speaker.wait_quiet(heard_since=printed)
        said.append((time.monotonic(), words))
        say(words, folder, try_number)
        try:
            return coach.wait_for(r"\(heard", who="you", since=mark, timeout=5)
        except AssertionError:
            continue
    raise AssertionError(f"'{words}' was never heard:\n{coach.transcript()}")


def test_a_session_led_and_steered_by_voice(
    quick_settings: Path, processes: list[CoachProcess], speaker: Recorder, tmp_path: Path,
    no_echo: None,
) -> None:
    vocab = load_vocabulary()
    said: list[tuple[float, str]] = []
    coach = CoachProcess(["start", "--side", "left", "--engine", "sphinx", "--show-rejected"])
    processes.append(coach)
    coach.wait_for(r"Listening through", who="note")
    coach.wait_for(r"Have a doctor check")
    assert speaker.loud_seconds() > 1.0, "the welcome was printed but not played"

    coach.wait_for(r"Say go when you are ready", timeout=60)
    command(coach, speaker, "go", tmp_path, said)
    lift = coach.wait_for(r"^Lift\.$", timeout=15)
    coach.wait_for(COUNT, since=lift, timeout=15)  # a rep counted

    # "pause" freezes the count; "go" carries on from there.
    heard = command(coach, speaker, "pause", tmp_path, said)
    paused = coach.wait_for(r"Paused\.", since=heard, timeout=5)
    with pytest.raises(AssertionError):
        coach.wait_for(MOVING, since=paused + 1, timeout=4)
    heard = command(coach, speaker, "go", tmp_path, said)
    resumed = coach.wait_for(r"Carrying on\.", since=heard, timeout=5)
    coach.wait_for(MOVING, since=resumed, timeout=10)

    # "next" ends the set at once: the rest begins.
    heard = command(coach, speaker, "next", tmp_path, said)
    coach.wait_for(r"Rest for \d+ seconds", since=heard, timeout=5)

    heard = command(coach, speaker, "stop", tmp_path, said)
    coach.wait_for(r"End the session\?", since=heard, timeout=5)
    command(coach, speaker, "yes", tmp_path, said)
    coach.wait_for(r"You did \d+ exercises? and \d+ sets?", timeout=15)
    coach.wait_for(r"Goodbye", timeout=20)
    assert coach.finish() == 0

    # Everything heard had just been said.
    for line in coach.heard():
        got = parse(line.text.split(" (")[0], vocab)
        assert got is not None
        assert any(0 <= line.arrived - at <= 8 and parse(w, vocab).intent is got.intent
                   for at, w in said), f"heard what nobody said: {line.raw}\n{coach.transcript()}"

    store = HistoryStore.open()
    try:
        latest = store.sessions("medial-knee", limit=1)[0]
    finally:
        store.close()
    assert latest.ended and latest.completed is False  # stopped early, and saved as such
    # "next" after a rep or two ended the set early: kept as partial, never counted as done.
    assert latest.sets_done == 0
    assert "1 set was ended early" in coach.transcript()

"""A real session by voice: a person's commands (coach.runtime.person_voice)
into the virtual microphone, the coach's real speech out of the virtual
speaker, which also leaks back into the microphone (echo), as in a room."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from e2e_harness import CoachProcess, Printed, Recorder, say

from coach.commands.parser import load_vocabulary, parse
from coach.history import HistoryStore
from coach.runtime.person_voice import PersonVoice
from coach.spoken_text import load_lines

COUNT = r"^\d+$"
MOVING = COUNT + r"|^Lift\.$|^Hold\.$|^Lower\.$"  # the set going on
TRIES = len(PersonVoice().voices)  # each try in another of the stand-in's voices
NOT_NOW = {load_lines().get(key) for key in ("not_now", "not_now_set", "not_now_rest")}
VOCAB = load_vocabulary()


@pytest.fixture
def speaker() -> Recorder:
    recorder = Recorder()
    yield recorder
    recorder.stop()


def command(coach: CoachProcess, speaker: Recorder, words: str, folder: Path,
            said: list[tuple[float, str]], misheard: list[Printed]) -> int:
    """Say ``words`` when the coach pauses; the index of the line that shows it was heard.

    Like a person who was not understood, the test says it again, a little
    differently (another voice), once in each voice. So it does when the coach
    heard another command that does nothing at this moment and said so: that
    one goes into ``misheard``. Another command that does something fails.
    """
    meant = parse(words, VOCAB).intent
    printed = coach.lines[-1].arrived if coach.lines else time.monotonic()
    for try_number in range(1, TRIES + 1):
        mark = len(coach.lines)
        speaker.wait_quiet(heard_since=printed)
        said.append((time.monotonic(), words))
        say(words, folder, try_number)
        try:
            heard = coach.wait_for(r"\(heard", who="you", since=mark, timeout=5)
        except AssertionError:
            continue
        got = parse(coach.lines[heard].text.split(" (")[0], VOCAB)
        if got is not None and got.intent is meant:
            return heard
        try:
            reply = coach.wait_for("|".join(f"^{re.escape(x)}$" for x in NOT_NOW), since=heard,
                                   timeout=5)
        except AssertionError:
            reply = -1
        between = [x.text for x in coach.lines[heard + 1:reply] if x.who == "coach"]
        assert reply > 0 and all(re.search(MOVING, x) for x in between), (
            f"'{words}' heard as another command, and acted on:\n{coach.transcript(mark)}")
        misheard.append(coach.lines[heard])
        printed = coach.lines[reply].arrived
    raise AssertionError(f"'{words}' was never heard:\n{coach.transcript()}")


def test_a_session_led_and_steered_by_voice(
    quick_settings: Path, processes: list[CoachProcess], speaker: Recorder, tmp_path: Path,
    no_echo: None,
) -> None:
    said: list[tuple[float, str]] = []
    misheard: list[Printed] = []
    coach = CoachProcess(["start", "--side", "left", "--engine", "sphinx", "--show-rejected"])
    processes.append(coach)
    coach.wait_for(r"Listening through", who="note")
    coach.wait_for(r"Have a doctor check")
    assert speaker.loud_seconds() > 1.0, "the welcome was printed but not played"

    coach.wait_for(r"Say go when you are ready", timeout=60)
    command(coach, speaker, "go", tmp_path, said, misheard)
    lift = coach.wait_for(r"^Lift\.$", timeout=15)
    coach.wait_for(COUNT, since=lift, timeout=15)  # a rep counted

    # "pause" freezes the count; "go" carries on from there.
    heard = command(coach, speaker, "pause", tmp_path, said, misheard)
    paused = coach.wait_for(r"Paused\.", since=heard, timeout=5)
    with pytest.raises(AssertionError):
        coach.wait_for(MOVING, since=paused + 1, timeout=4)
    heard = command(coach, speaker, "go", tmp_path, said, misheard)
    resumed = coach.wait_for(r"Carrying on\.", since=heard, timeout=5)
    coach.wait_for(MOVING, since=resumed, timeout=10)

    # "next" ends the set at once: the rest begins.
    heard = command(coach, speaker, "next", tmp_path, said, misheard)
    coach.wait_for(r"Rest for \d+ seconds", since=heard, timeout=5)

    heard = command(coach, speaker, "stop", tmp_path, said, misheard)
    coach.wait_for(r"End the session\?", since=heard, timeout=5)
    command(coach, speaker, "yes", tmp_path, said, misheard)
    coach.wait_for(r"You did \d+ exercises? and \d+ sets?", timeout=15)
    coach.wait_for(r"Goodbye", timeout=20)
    assert coach.finish() == 0

    # Everything heard had just been said.
    # A person's word heard as another command that did nothing, and said again,
    # may happen once in a session; more would make a person give up.
    assert len(misheard) <= 1, f"misheard {len(misheard)} times:\n{coach.transcript()}"
    for line in coach.heard():
        if any(line is wrong for wrong in misheard):
            continue
        got = parse(line.text.split(" (")[0], VOCAB)
        assert got is not None
        assert any(0 <= line.arrived - at <= 8 and parse(w, VOCAB).intent is got.intent
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

"""The coach's own voice in the microphone, and devices that go away mid-session."""

from __future__ import annotations

from pathlib import Path

import pytest
from e2e_harness import CoachProcess, pactl


def test_the_coach_hearing_itself_obeys_nothing(
    quick_settings: Path, processes: list[CoachProcess]
) -> None:
    """A whole opening and the first exercise spoken, echoed back into the
    microphone (scripts/audio-server's loopback), and no command taken from it."""
    coach = CoachProcess(["start", "--side", "left", "--engine", "sphinx", "--show-rejected"])
    processes.append(coach)
    coach.wait_for(r"Listening through", who="note")
    coach.wait_for(r"echo reaches the microphone after \d+ milliseconds", who="note", timeout=20)
    coach.wait_for(r"Say go when you are ready", timeout=60)
    coach.type("go")  # typed: the set's counts and cues are echoed too
    coach.wait_for(r"^Lower\.$", timeout=20)
    coach.type("stop")
    coach.wait_for(r"End the session\?")
    coach.type("yes")
    coach.wait_for(r"Goodbye", timeout=20)
    assert coach.finish() == 0
    assert coach.heard() == [], coach.transcript()


def test_microphone_gone_mid_set_the_coach_carries_on_with_keys(
    quick_settings: Path, processes: list[CoachProcess], no_echo: None
) -> None:
    coach = CoachProcess(["start", "--side", "left", "--engine", "sphinx"])
    processes.append(coach)
    coach.wait_for(r"Listening through", who="note")
    coach.wait_for(r"Say go when you are ready", timeout=60)
    coach.type("go")
    lift = coach.wait_for(r"^Lift\.$", timeout=15)
    # Where the server moves the coach's recording when its microphone goes: a
    # silent source, as on a machine whose only microphone was unplugged.
    # (Left to choose, PulseAudio may pick the speaker's monitor, which would
    # put the coach's own voice in its ear at full level: another test.)
    quiet = pactl("load-module", "module-null-sink", "sink_name=coach_quiet", "rate=16000",
                  "channels=1").strip()
    pactl("set-default-source", "coach_quiet.monitor")
    modules = [line.split("\t")[0] for line in pactl("list", "short", "modules").splitlines()
               if "module-remap-source" in line]
    for module in modules:
        pactl("unload-module", module)
    try:
        coach.wait_for(r"^Hold\.$|^Lower\.$", since=lift, timeout=10)  # the set goes on
        coach.type("next")
        coach.wait_for(r"Rest for \d+ seconds", since=lift, timeout=10)
        coach.type("stop")
        coach.wait_for(r"End the session\?")
        coach.type("yes")
        coach.wait_for(r"Goodbye", timeout=20)
        assert coach.finish() == 0
    finally:
        pactl("load-module", "module-remap-source", "master=coach_mic_in.monitor",
              "source_name=coach_mic", "source_properties=device.description=coach-mic")
        pactl("set-default-source", "coach_mic")
        pactl("unload-module", quiet)


@pytest.mark.parametrize(("signal_name", "code"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_a_signal_ends_cleanly_with_the_honest_line(
    quick_settings: Path, processes: list[CoachProcess], signal_name: str, code: int
) -> None:
    import signal

    coach = CoachProcess(["start", "--side", "left", "--no-listen"])
    processes.append(coach)
    coach.wait_for(r"Say go when you are ready", timeout=60)
    coach.type("go")
    coach.wait_for(r"^Lift\.$", timeout=15)
    coach.type("next")
    coach.wait_for(r"Rest for")
    coach.proc.send_signal(getattr(signal, signal_name))
    assert coach.finish(timeout=15) == code  # as a shell reports a process the signal ended
    # "next" at the first lift ended that set with no rep done: it is not a set done,
    # and the line says so honestly instead of promising to carry on.
    assert "No set was done yet, so next time starts from the beginning" in coach.transcript()

    from coach.history import HistoryStore

    store = HistoryStore.open()
    try:
        latest = store.sessions("medial-knee", limit=1)[0]
    finally:
        store.close()
    assert latest.sets_done == 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="this system has no /dev/full")
def test_a_full_speak_to_file_is_said_once_and_the_voice_goes_on(
    quick_settings: Path, processes: list[CoachProcess]
) -> None:
    from e2e_harness import Recorder

    from coach.runtime.messages import runtime_line

    speaker = Recorder()
    try:
        coach = CoachProcess(["start", "--side", "left", "--no-listen", "--no-history",
                              "--speak-to", "/dev/full"])
        processes.append(coach)
        told = coach.wait_for(r"could not keep writing the session's sound", who="note")
        loud_then = speaker.loud_seconds()
        coach.wait_for(r"Say go when you are ready", since=told, timeout=90)  # the clock goes on
        speaker.wait_quiet()
        assert speaker.loud_seconds() > loud_then + 1.0  # ...and the coach is still heard
        coach.type("stop")
        coach.type("yes")
        assert coach.finish(timeout=60) == 0
    finally:
        speaker.stop()
    text = coach.transcript()
    assert text.count(runtime_line("speak_to_failed")) == 1
    assert not any("Traceback" in line for line in coach.stderr), coach.stderr

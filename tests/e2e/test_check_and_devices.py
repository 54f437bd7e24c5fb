"""``coach check`` and ``coach devices`` against the test audio server."""

from __future__ import annotations

import re
import subprocess
import sys
from ast import literal_eval
from pathlib import Path

import pytest
from e2e_harness import REPO, CoachProcess, Recorder, say

ANSWER_AFTER_SECONDS = 1.0  # quiet on the speaker before answering: the prompt is over


def test_devices_lists_the_server_with_default_marks() -> None:
    done = subprocess.run([sys.executable, "-m", "coach", "devices"], cwd=REPO,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "default microphone" in done.stdout and "default speaker" in done.stdout


def test_check_speaks_listens_and_reports_what_it_heard(
    processes: list[CoachProcess], tmp_path: Path, no_echo: None
) -> None:
    speaker = Recorder()
    try:
        check = CoachProcess(["check", "--engine", "sphinx"])
        processes.append(check)
        check.wait_for(r"Say 'go' now", who=None, timeout=60)
        # The check listens once its prompt is over. "I did not catch that. Say 'go'
        # again." has a 0.4 s pause between its sentences: a person waits for the
        # end, so the test waits for a second of quiet, not a pause.
        speaker.wait_quiet(ANSWER_AFTER_SECONDS, heard_since=check.lines[-1].arrived)
        say("go", tmp_path)
        since = len(check.lines)
        for try_number in (2, 3):  # not understood: the check asks again, the person says it again
            try:
                again = check.wait_for(r"Say 'go' again", who=None, since=since, timeout=12)
            except AssertionError:
                break
            since = again + 1
            speaker.wait_quiet(ANSWER_AFTER_SECONDS, heard_since=check.lines[again].arrived)
            say("go", tmp_path, try_number=try_number)
        assert check.finish(timeout=60) == 0, check.transcript()
    finally:
        speaker.stop()
    out = check.transcript()
    assert "ok: speaker" in out and "ok: microphone level" in out
    assert re.search(r"ok: recognised: [a-z]", out), out  # "go", or what the recogniser made of it
    assert "Everything works." in out
    assert speaker.loud_seconds() > 1.0  # the test phrase was really played


def test_a_device_number_that_is_not_a_plain_number_is_a_name_not_a_traceback() -> None:
    """'²' passes str.isdigit but not int(): it is looked up as part of a name, and
    a number too large for any device simply matches none."""
    for wanted in ("²", "٣", "99999999999999999999"):
        done = subprocess.run(
            [sys.executable, "-c",
             f"from coach.audio.devices import pick_device; pick_device({wanted!r}, 'input')"],
            cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
        )
        assert "AudioDeviceError: No input device matches" in done.stderr, done.stderr


_PLUGINS_MAPPED = (
    "def plugins():\n"
    "    return sorted({l.split()[-1].rsplit('/', 1)[-1] for l in open('/proc/self/maps')\n"
    "                   if '/alsa-lib/libasound_module_' in l})\n"
)


def test_the_plugins_alsa_loaded_only_to_list_devices_are_unloaded_and_streams_still_play() -> None:
    """PortAudio opens every PCM of ALSA's configuration as it starts, and ALSA keeps
    each plugin's library (a52 brings libavcodec and some 70 more) for nothing: the
    coach unloads them once the list is made; its two streams then open and run,
    with only the plugin they use loaded again."""
    raw = subprocess.run(
        [sys.executable, "-c", _PLUGINS_MAPPED + "import sounddevice\nprint(plugins())"],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=True)
    probed = literal_eval(raw.stdout.strip().splitlines()[-1])
    if len(probed) <= 1:
        pytest.skip(f"ALSA loads {probed or 'no plugin'} here: nothing to unload")
    coach = subprocess.run(
        [sys.executable, "-c", _PLUGINS_MAPPED + (
            "import time\n"
            "from coach.audio.devices import Microphone, Speaker, list_devices, pick_device\n"
            "list_devices()\n"
            "print(plugins())\n"
            "speaker = Speaker(pick_device(None, 'output'))\n"
            "speaker.start()\n"
            "mic = Microphone(pick_device(None, 'input'), speaker)\n"
            "mic.start()\n"
            "time.sleep(0.5)\n"
            "print(speaker.callbacks > 10, mic.blocks.qsize() > 0, speaker.check() is None)\n"
            "print(plugins())\n"
            "mic.close(); speaker.close()\n")],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=True)
    listed, running, in_use = coach.stdout.strip().splitlines()[-3:]
    assert running == "True True True", coach.stdout + coach.stderr
    assert literal_eval(listed) == []
    assert 1 <= len(literal_eval(in_use)) < len(probed), in_use  # the streams' own plugin

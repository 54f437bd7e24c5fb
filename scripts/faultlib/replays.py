"""Replay scripts that are broken, absurd, or ask for what a replay cannot do."""

from __future__ import annotations

import os
import re

from faultlib.audio import silence_wav
from faultlib.kit import Home, Result, Verdict, attempt, verdict

G = "replay"
CHECKED_FIRST = "refused before the session runs: FILE:LINE message, exit 1, no coach line"
HEAD = "program: medial-knee\nside: left\n"


def refused_first(result: Result, name: str) -> Verdict:
    ok = (
        result.code == 1
        and not result.crashed()
        and re.search(re.escape(name) + r":\d+", result.text) is not None
        and "coach:" not in result.out
    )
    ran = "; the session ran first" if "coach:" in result.out else ""
    return verdict(ok, result.summary() + ran)


@attempt(G, "replay script with a YAML syntax error", CHECKED_FIRST, fast=True)
def replay_syntax_error(home: Home) -> Verdict:
    path = home.write("r.yaml", HEAD + "steps:\n  - type: [go\n")
    return refused_first(home.run("replay", str(path)), "r.yaml")


@attempt(
    G,
    "replay with an audio: step after typed steps",
    "checked whole first: refused before any coach line (or the audio heard), never midway",
    fast=True,
    defect=14,
)
def replay_late_audio(home: Home) -> Verdict:
    silence_wav(home.root / "quiet.wav", 1.0)
    text = (
        HEAD
        + "steps:\n  - wait_for: 'Say go'\n  - type: go\n  - advance: 5\n  - audio: quiet.wav\n"
    )
    result = home.run("replay", str(home.write("r.yaml", text)))
    if result.code == 0 and not result.crashed():
        return verdict(True, "the audio step ran; " + result.summary())
    return refused_first(result, "r.yaml")


@attempt(G, "replay levels: for an unknown exercise id", CHECKED_FIRST, fast=True, defect=14)
def replay_unknown_level_id(home: Home) -> Verdict:
    text = HEAD + "levels:\n  no-such-exercise: 1\nsteps:\n  - run_to_end: 60\n"
    return refused_first(home.run("replay", str(home.write("r.yaml", text))), "r.yaml")


@attempt(G, "replay levels: straight-leg-raise at level 99999", CHECKED_FIRST, fast=True, defect=14)
def replay_absurd_level(home: Home) -> Verdict:
    text = HEAD + "levels:\n  straight-leg-raise: 99999\nsteps:\n  - run_to_end: 60\n"
    return refused_first(home.run("replay", str(home.write("r.yaml", text))), "r.yaml")


@attempt(G, "replay resume: unknown exercise, set 999", CHECKED_FIRST, fast=True, defect=14)
def replay_absurd_resume(home: Home) -> Verdict:
    text = HEAD + "resume:\n  exercise: nope\n  set: 999\nsteps:\n  - run_to_end: 60\n"
    return refused_first(home.run("replay", str(home.write("r.yaml", text))), "r.yaml")


@attempt(G, "replay step advancing 10^9 seconds", CHECKED_FIRST + " (a day at most)", fast=True)
def replay_huge_advance(home: Home) -> Verdict:
    text = HEAD + "steps:\n  - advance: 1000000000\n"
    return refused_first(home.run("replay", str(home.write("r.yaml", text))), "r.yaml")


@attempt(G, "replay steps: a string, not a list", CHECKED_FIRST, fast=True)
def replay_steps_not_a_list(home: Home) -> Verdict:
    text = HEAD + "steps: go go go\n"
    return refused_first(home.run("replay", str(home.write("r.yaml", text))), "r.yaml")


@attempt(
    G,
    "replay script that is a named pipe (FIFO)",
    "refused at once: not a regular file, exit 1",
    fast=True,
    defect=13,
)
def replay_fifo(home: Home) -> Verdict:
    path = home.root / "r.yaml"
    os.mkfifo(path)
    result = home.run("replay", str(path), timeout=10)
    return verdict(
        result.code == 1 and not result.crashed() and "r.yaml" in result.text, result.summary()
    )


@attempt(G, "replay of the example script", "passes: exit 0", fast=True)
def replay_example(home: Home) -> Verdict:
    from faultlib.misc import example_script

    result = home.run("replay", str(example_script()))
    return verdict(result.code == 0 and not result.crashed(), result.summary())

"""The phrase cache damaged on disk, and outputs that fail while the coach speaks."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from faultlib.disk import fill, mount_tmpfs
from faultlib.kit import Home, Result, Skip, Verdict, attempt, verdict

G = "cache+out"
SPEAK = ["start", "--no-listen", "--side", "left", "--no-history"]
STOP_YES = [(4.0, "stop"), (1.0, "yes")]
RENDERED_AGAIN = "the bad entries rendered again: the session runs and ends, exit 0, no traceback"


def spoken_session(home: Home, speak_to: str = "", timeout: float = 60) -> Result:
    """A short spoken session, stopped by voice; with no speaker here, the coach
    renders its phrases only for the --speak-to file."""
    target = speak_to or str(home.root / "spoken.wav")
    return home.typed([*SPEAK, "--speak-to", target], STOP_YES, timeout=timeout)


def filled_cache(home: Home) -> list[Path]:
    """The phrase cache a short session leaves (made once per run, copied in)."""
    if "cache" not in home.shared:
        maker = Home(home.root / "maker", home.coach, home.timeout)
        maker.root.mkdir()
        spoken_session(maker)
        phrases = maker.cache / "phrases"
        files = sorted(phrases.iterdir()) if phrases.is_dir() else []
        home.shared["cache"] = {p.name: p.read_bytes() for p in files}
    cache = home.shared["cache"]
    assert isinstance(cache, dict)
    (home.cache / "phrases").mkdir(parents=True)
    for name, data in cache.items():
        (home.cache / "phrases" / name).write_bytes(data)
    entries = sorted((home.cache / "phrases").iterdir())
    if not entries:
        raise AssertionError("a spoken session left no phrase cache")
    return entries


def ended_well(result: Result) -> Verdict:
    ok = result.code == 0 and not result.crashed() and "Goodbye" in result.text
    return verdict(ok, result.summary())


@attempt(
    G,
    "every phrase-cache file one byte short (truncate -s -1)",
    RENDERED_AGAIN,
    fast=True,
    defect=1,
)
def cache_truncated_by_one(home: Home) -> Verdict:
    for entry in filled_cache(home):
        with open(entry, "r+b") as f:
            f.truncate(entry.stat().st_size - 1)
    return ended_well(spoken_session(home))


@attempt(G, "phrase-cache entries that are folders", RENDERED_AGAIN, defect=1)
def cache_entry_folder(home: Home) -> Verdict:
    for entry in filled_cache(home):
        entry.unlink()
        entry.mkdir()
    return ended_well(spoken_session(home))


@attempt(G, "phrase-cache entries of random bytes, same size", RENDERED_AGAIN)
def cache_entry_garbage(home: Home) -> Verdict:
    for entry in filled_cache(home):
        entry.write_bytes(os.urandom(entry.stat().st_size))
    return ended_well(spoken_session(home))


@attempt(G, "~/.cache/coach is a file", "the session runs without a disk cache, exit 0")
def cache_folder_is_a_file(home: Home) -> Verdict:
    home.cache.parent.mkdir(parents=True)
    home.cache.write_text("not a folder")
    return ended_well(spoken_session(home))


@attempt(G, "phrase cache on a full disk", "the session runs, exit 0, no traceback")
def cache_full_disk(home: Home) -> Verdict:
    mount_tmpfs(home, home.root / ".cache", 64)
    fill(home.root / ".cache")
    return ended_well(spoken_session(home))


def write_error(result: Result) -> Verdict:
    said = "/dev/full" in result.text
    ok = not result.crashed() and said and result.code is not None and result.code >= 0
    return verdict(ok, result.summary() + ("" if said else "; the failure was not named"))


@attempt(
    G,
    "coach start --no-listen --speak-to /dev/full, then stop, yes",
    "says once that /dev/full cannot be written, coaching goes on, ends cleanly; "
    "no traceback, no freeze",
    fast=True,
    defect=2,
)
def speak_to_dev_full(home: Home) -> Verdict:
    if not Path("/dev/full").exists():
        raise Skip("this machine has no /dev/full")
    return write_error(spoken_session(home, "/dev/full", timeout=40))


@attempt(
    G,
    "coach demo --typed --speak-to /dev/full",
    "says once that /dev/full cannot be written, the demo goes on or ends cleanly; no traceback",
    defect=2,
)
def demo_speak_to_dev_full(home: Home) -> Verdict:
    result = home.run("demo", "--typed", "--no-history", "--speak-to", "/dev/full", timeout=120)
    return write_error(result)


@attempt(
    G,
    "--speak-to into a folder that is not there",
    "refused before the session: exit 1, no coach line",
    fast=True,
)
def speak_to_missing_folder(home: Home) -> Verdict:
    result = home.typed(
        [*SPEAK, "--speak-to", str(home.root / "nowhere" / "x.wav")], STOP_YES, timeout=30
    )
    ok = result.code != 0 and not result.crashed() and "coach:" not in result.out
    return verdict(ok, result.summary())


@attempt(
    G,
    "coach show medial-knee | head -1 (reader goes away)",
    "no traceback (a broken pipe is quiet)",
    fast=True,
)
def broken_pipe(home: Home) -> Verdict:
    proc = home.popen(["show", "medial-knee"])
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    code = proc.wait(timeout=30)
    result = Result(code, "", err)
    return verdict(not result.crashed(), result.summary())


@attempt(
    G,
    "coach programs > /dev/full (output to a full disk)",
    "a one-line write error, exit non-zero, no traceback",
)
def stdout_full(home: Home) -> Verdict:
    if not Path("/dev/full").exists():
        raise Skip("this machine has no /dev/full")
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*home.coach, "programs"],
            check=False,
            cwd=home.root,
            env=home.env(),
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=30,
        )
    result = Result(done.returncode, "", done.stderr.decode("utf-8", "replace"))
    return verdict(result.code != 0 and not result.crashed(), result.summary())

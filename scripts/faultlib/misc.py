"""Odd input, odd environments, no network, memory, two writers, kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
from pathlib import Path

from faultlib.history_disk import real_history
from faultlib.kit import Home, Reader, Skip, Verdict, attempt, kill_group, verdict

G = "misc"
KEYS = ["start", "--keys", "--no-history", "--side", "left"]
AUDIT = """
import runpy, socket, sys
def hook(event, args):
    if event in ("socket.connect", "socket.bind", "socket.sendto"):
        family = getattr(args[0], "family", None)
        if family in (socket.AF_INET, socket.AF_INET6):
            sys.stderr.write("NETWORK-SOCKET %s %r\\n" % (event, args[1:]))
sys.addaudithook(hook)
sys.argv = ["coach", *sys.argv[1:]]
runpy.run_module("coach", run_name="__main__", alter_sys=True)
"""


def example_script() -> Path:
    import coach

    return Path(coach.__file__).resolve().parents[1] / "examples" / "replay-first-set.yaml"


def watched(home: Home, *args: str, timeout: float) -> Verdict:
    """Run coach with an audit hook that reports every internet socket it uses."""
    if home.coach[1:2] != ["-m"]:
        raise Skip("needs coach run as 'python -m coach' to watch its sockets")
    result = home.run(*args, command=[home.coach[0], "-c", AUDIT], timeout=timeout)
    opened = [line for line in result.err.splitlines() if line.startswith("NETWORK-SOCKET")]
    ok = not opened and result.code == 0
    return verdict(ok, f"{len(opened)} internet sockets; {result.status()}")


@attempt(
    G, "coach replay watched for network sockets", "no internet socket opened, exit 0", fast=True
)
def no_network_replay(home: Home) -> Verdict:
    return watched(home, "replay", str(example_script()), timeout=60)


@attempt(
    G,
    "coach demo (speech recognised) watched for network sockets",
    "no internet socket opened, exit 0",
)
def no_network_demo(home: Home) -> Verdict:
    return watched(home, "demo", "--no-history", timeout=300)


@attempt(
    G, "coach start --keys, input closed at once", "ends cleanly: exit 0, no traceback", fast=True
)
def keys_input_closed(home: Home) -> Verdict:
    result = home.run(*KEYS, timeout=30)
    return verdict(result.code == 0 and not result.crashed(), result.summary())


@attempt(
    G,
    "a typed line of 1 MB",
    "taken as not a command; the session goes on; no traceback",
    fast=True,
)
def keys_huge_line(home: Home) -> Verdict:
    result = home.run(*KEYS, stdin="go " * 350_000 + "\n", timeout=30)
    return verdict(result.code == 0 and not result.crashed(), result.summary())


@attempt(
    G,
    "typed bytes that are not UTF-8",
    "ignored or taken as not a command; no traceback",
    fast=True,
)
def keys_not_utf8(home: Home) -> Verdict:
    result = home.run(
        *KEYS, stdin=b"\xff\xfe\xc3(\x00\x1b[2J\n" + os.urandom(500) + b"\n", timeout=30
    )
    return verdict(result.code == 0 and not result.crashed(), result.summary())


@attempt(G, "XDG_DATA_HOME is a regular file", "a one-line message, no traceback", fast=True)
def xdg_data_is_a_file(home: Home) -> Verdict:
    blocker = home.write("blocker", "a file")
    result = home.run("history", env={"XDG_DATA_HOME": str(blocker)})
    return verdict(not result.crashed() and result.last_line() != "(no output)", result.summary())


@attempt(
    G,
    "coach start --keys --program no-such-program",
    "a one-line message listing the programs, exit non-zero",
    fast=True,
)
def unknown_program_id(home: Home) -> Verdict:
    result = home.run("start", "--keys", "--no-history", "--program", "no-such-program")
    ok = result.code not in (0, None) and not result.crashed() and "medial-knee" in result.err
    return verdict(ok, result.summary())


@attempt(G, "coach start --side middle", "a usage error, exit 2", fast=True)
def bad_side(home: Home) -> Verdict:
    result = home.run("start", "--keys", "--side", "middle")
    return verdict(result.code == 2 and not result.crashed(), result.summary())


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


@attempt(
    G,
    "2,000 typed commands in keys mode (after 500 to warm up)",
    "memory stays flat: under 300 bytes kept per command",
    defect=14,
)
def typed_commands_memory(home: Home) -> Verdict:
    proc = home.popen(["start", "--keys", "--no-history", "--side", "left", "--no-times"])
    reader = Reader(proc)
    marker = "5 exercises left after this one."
    assert proc.stdin is not None

    def typed(n: int, total: int) -> bool:
        proc.stdin.write(b"how many left\n" * n)  # type: ignore[union-attr]
        proc.stdin.flush()  # type: ignore[union-attr]
        return reader.wait_for(lambda out: out.count(marker) >= total, 600)

    try:
        if not typed(500, 500):
            return verdict(False, "the first 500 commands were not all answered in 10 min")
        before = rss_kb(proc.pid)
        if not typed(2000, 2500):
            return verdict(False, "2,000 more commands were not all answered in 10 min")
        after = rss_kb(proc.pid)
    finally:
        kill_group(proc)
    per_command = (after - before) * 1024 / 2000
    return verdict(
        per_command < 300, f"RSS {before} KB -> {after} KB: {per_command:.0f} bytes a command"
    )


@attempt(G, "two coach demos writing one history at once", "both sessions kept; the file intact")
def two_writers(home: Home) -> Verdict:
    procs = [home.popen(["demo", "--typed"]) for _ in range(2)]
    readers = [Reader(p) for p in procs]
    done = [r.wait_exit(300) for r in readers]
    for p in procs:
        if p.poll() is None:
            kill_group(p)
    if not all(done):
        return verdict(False, "a demo did not finish in 5 min")
    with sqlite3.connect(f"file:{home.history}?mode=ro", uri=True) as db:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        sessions = db.execute("SELECT count(*) FROM sessions").fetchone()[0]
    ok = check == "ok" and sessions == 2 and all(p.returncode == 0 for p in procs)
    return verdict(
        ok, f"exits {[p.returncode for p in procs]}; {sessions} sessions; integrity {check}"
    )


@attempt(
    G,
    "kill -9 during a demo that records its history",
    "at most the set in progress lost: the file intact, the session listed",
)
def kill_9_mid_session(home: Home) -> Verdict:
    proc = home.popen(["demo", "--typed"])
    reader = Reader(proc)
    reached = reader.wait_for(lambda out: "Set 2 of" in out, 240)
    os.kill(proc.pid, signal.SIGKILL)
    reader.wait_exit(10)
    if not reached:
        return verdict(False, "the demo never reached a second set")
    result = home.run("history", "--demo")
    with sqlite3.connect(f"file:{home.history}?mode=ro", uri=True) as db:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
    listed = "medial-knee" in result.out or "cut off" in result.out
    ok = result.code == 0 and check == "ok" and listed and not result.crashed()
    return verdict(
        ok, f"history {result.status()}; integrity {check}; {'listed' if listed else 'NOT listed'}"
    )


@attempt(
    G,
    "the history made by one short session, read back",
    "coach history lists it, exit 0",
    fast=True,
)
def history_read_back(home: Home) -> Verdict:
    home.data.mkdir(parents=True, mode=0o700)
    home.history.write_bytes(real_history(home))
    result = home.run("history")
    ok = result.code == 0 and "cut off" in result.out and not result.crashed()
    return verdict(ok, result.summary())

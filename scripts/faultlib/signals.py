"""SIGINT, SIGTERM and SIGHUP sent to real coach processes in every mode."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

from faultlib.kit import Home, Reader, Verdict, attempt, kill_group, verdict

G = "signal"
HONEST = ("interrupted", "not recorded", "no set was done", "progress is saved")  # any case
MODES = {
    "start --keys": ["start", "--keys", "--no-history", "--side", "left"],
    "start --no-listen": ["start", "--no-listen", "--no-history", "--side", "left"],
    "demo": ["demo", "--typed", "--no-history"],
}


def send(home: Home, args: list[str], sig: signal.Signals) -> Verdict:
    """Start coach, wait for its first coach line, send ``sig``, judge the exit."""
    proc = home.popen(args)
    reader = Reader(proc)
    try:
        if not reader.wait_for(lambda out: "coach:" in out, 60):
            return verdict(False, "no coach line within 60 s; " + reader.err()[-100:])
        os.kill(proc.pid, sig)
        if not reader.wait_exit(20):
            return verdict(False, f"still running 20 s after {sig.name}")
    finally:
        if proc.poll() is None:
            kill_group(proc)
        if proc.stdin:
            proc.stdin.close()
    code = proc.returncode
    text = reader.out() + reader.err()
    said = [h for h in HONEST if h in text.lower()]
    crashed = "Traceback (most recent call last)" in reader.err()
    ok = code == 128 + sig and bool(said) and not crashed
    status = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit {code}"
    return verdict(
        ok,
        f"{status}; "
        + (f"said '{said[0]}...'" if said else "said nothing")
        + ("; TRACEBACK" if crashed else ""),
    )


def make(mode: str, sig: signal.Signals, fast: bool, defect: int | None) -> None:
    code = 128 + sig

    def run(home: Home) -> Verdict:
        return send(home, MODES[mode], sig)

    run.__name__ = (
        f"{sig.name.lower()}_{mode.replace('start ', '').replace('--', '').replace(' ', '_')}"
    )
    attempt(
        G,
        f"{sig.name} to coach {mode}",
        f"the same honest line as Ctrl-C, progress saved, exit {code}",
        fast=fast,
        defect=defect,
    )(run)


SIGNALS: list[tuple[str, signal.Signals, bool, int | None]] = [
    ("start --keys", signal.SIGINT, True, None),
    ("start --keys", signal.SIGTERM, True, 6),
    ("start --keys", signal.SIGHUP, True, 6),
    ("start --no-listen", signal.SIGINT, False, None),
    ("start --no-listen", signal.SIGTERM, False, None),
    ("start --no-listen", signal.SIGHUP, True, 6),
    ("demo", signal.SIGINT, False, None),
    ("demo", signal.SIGTERM, True, 6),
    ("demo", signal.SIGHUP, False, 6),
]
for _mode, _sig, _fast, _defect in SIGNALS:
    make(_mode, _sig, _fast, _defect)

_unused: Callable[..., object] = make

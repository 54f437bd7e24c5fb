"""What every attempt uses: a throwaway home, coach run in it, and verdicts.

An attempt is a small function that takes a ``Home`` and returns a
``Verdict`` (held, or a defect, with what was observed), or raises ``Skip``
with the reason. Every coach process runs in its own session with a timeout:
a process still running at the timeout is a hang, which is a defect.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


class Skip(Exception):
    """The attempt cannot run on this machine; the message says why."""


class Hang(Exception):
    """A coach process did not exit within its timeout."""

    def __init__(self, args: list[str], seconds: float, out: str = "", err: str = ""):
        super().__init__(f"no exit within {seconds:.0f} s: coach {' '.join(args)[:60]}")
        self.out, self.err = out, err


@dataclass(frozen=True)
class Verdict:
    held: bool
    observed: str


def verdict(held: bool, observed: str) -> Verdict:
    return Verdict(held, observed)


@dataclass
class Result:
    code: int | None  # None: still running when stopped; negative: killed by that signal
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err

    def crashed(self) -> bool:
        """A traceback or a dead thread reached the person."""
        return any(
            sign in self.err
            for sign in (
                "Traceback (most recent call last)",
                "Exception in thread",
                "Exception ignored",
            )
        )

    def last_line(self) -> str:
        for stream in (self.err, self.out):
            lines = [line.strip() for line in stream.splitlines() if line.strip()]
            if lines:
                return lines[-1]
        return "(no output)"

    def status(self) -> str:
        if self.code is not None and self.code < 0:
            return f"killed by {signal.Signals(-self.code).name}"
        return f"exit {self.code}"

    def summary(self, width: int = 110) -> str:
        crash = "; TRACEBACK" if self.crashed() else ""
        line = self.last_line()
        line = line if len(line) <= width else line[: width - 3] + "..."
        return f"{self.status()}{crash}; {line}"


@dataclass
class Home:
    """A throwaway HOME with XDG_CONFIG_HOME, XDG_DATA_HOME and XDG_CACHE_HOME under it."""

    root: Path
    coach: list[str]
    timeout: float
    shared: dict[str, object] = field(default_factory=dict)
    mounts: list[Path] = field(default_factory=list)

    @property
    def config(self) -> Path:
        return self.root / ".config" / "coach"

    @property
    def data(self) -> Path:
        return self.root / ".local" / "share" / "coach"

    @property
    def cache(self) -> Path:
        return self.root / ".cache" / "coach"

    @property
    def history(self) -> Path:
        return self.data / "history.sqlite3"

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {
            "HOME": str(self.root),
            "XDG_CONFIG_HOME": str(self.root / ".config"),
            "XDG_DATA_HOME": str(self.root / ".local" / "share"),
            "XDG_CACHE_HOME": str(self.root / ".cache"),
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        env.update(extra or {})
        return env

    def write(self, name: str, data: str | bytes) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data)
        else:
            path.write_bytes(data)
        return path

    def popen(
        self,
        args: list[str],
        env: dict[str, str] | None = None,
        umask: int | None = None,
        command: list[str] | None = None,
    ) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [*(command if command is not None else self.coach), *args],
            cwd=self.root,
            env=self.env(env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            umask=-1 if umask is None else umask,
        )

    def run(
        self,
        *args: str,
        stdin: bytes | str = b"",
        timeout: float | None = None,
        env: dict[str, str] | None = None,
        umask: int | None = None,
        command: list[str] | None = None,
    ) -> Result:
        """Run to the end with ``stdin`` then end of input; Hang after the timeout."""
        data = stdin.encode() if isinstance(stdin, str) else stdin
        proc = self.popen(list(args), env, umask, command)
        limit = self.timeout if timeout is None else timeout
        try:
            out, err = proc.communicate(data, timeout=limit)
        except subprocess.TimeoutExpired:
            kill_group(proc)
            out, err = proc.communicate()
            raise Hang(list(args), limit, decode(out), decode(err)) from None
        return Result(proc.returncode, decode(out), decode(err))

    def typed(
        self,
        args: list[str],
        lines: list[tuple[float | Callable[[], bool], str]],
        timeout: float | None = None,
        env: dict[str, str] | None = None,
        umask: int | None = None,
    ) -> Result:
        """Type each line after waiting its seconds (or until its test holds, at most
        ``WAIT_UNTIL_SECONDS``), then end input; wait for the exit."""
        proc = self.popen(args, env, umask)
        feeder = threading.Thread(target=_feed, args=(proc, lines), daemon=True)
        feeder.start()
        limit = self.timeout if timeout is None else timeout
        reader = Reader(proc)
        if not reader.wait_exit(limit):
            kill_group(proc)
            reader.wait_exit(5)
            raise Hang(args, limit, reader.out(), reader.err())
        return Result(proc.returncode, reader.out(), reader.err())


WAIT_UNTIL_SECONDS = 30.0


def _wait(delay: float | Callable[[], bool], proc: subprocess.Popen[bytes]) -> None:
    if not callable(delay):
        time.sleep(delay)
        return
    until = time.monotonic() + WAIT_UNTIL_SECONDS
    while not delay() and proc.poll() is None and time.monotonic() < until:
        time.sleep(0.1)


def _feed(proc: subprocess.Popen[bytes], lines: list[tuple[float | Callable[[], bool], str]]) -> None:
    assert proc.stdin is not None
    try:
        for delay, line in lines:
            _wait(delay, proc)
            if proc.poll() is not None:
                return
            proc.stdin.write(line.encode() + b"\n")
            proc.stdin.flush()
        proc.stdin.close()
    except (BrokenPipeError, OSError, ValueError):
        pass


class Reader:
    """Collects a running process's output on threads, so it never blocks on a full pipe."""

    def __init__(self, proc: subprocess.Popen[bytes]):
        self.proc = proc
        self._out: list[bytes] = []
        self._err: list[bytes] = []
        self._threads = [
            threading.Thread(target=self._pump, args=(proc.stdout, self._out), daemon=True),
            threading.Thread(target=self._pump, args=(proc.stderr, self._err), daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    @staticmethod
    def _pump(stream: object, into: list[bytes]) -> None:
        into.extend(iter(stream.readline, b""))  # type: ignore[attr-defined]

    def out(self) -> str:
        return decode(b"".join(self._out))

    def err(self) -> str:
        return decode(b"".join(self._err))

    def wait_for(self, predicate: Callable[[str], bool], seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if predicate(self.out()):
                return True
            if self.proc.poll() is not None:
                return predicate(self.out())
            time.sleep(0.05)
        return False

    def wait_exit(self, seconds: float) -> bool:
        try:
            self.proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return False
        for thread in self._threads:
            thread.join(timeout=5)
        return True


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def decode(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", "replace")


def default_coach() -> list[str]:
    """The installed coach: this Python's ``-m coach``."""
    return [sys.executable, "-m", "coach"]


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        raise Skip(f"needs the {tool} command")
    return path


def no_crash(result: Result) -> bool:
    return not result.crashed()


@dataclass(frozen=True)
class Attempt:
    name: str
    group: str
    fault: str
    expected: str
    run: Callable[[Home], Verdict]
    fast: bool
    defect: int | None  # the numbered defect this attempt reproduces, if any


ATTEMPTS: list[Attempt] = []


def attempt(
    group: str, fault: str, expected: str, fast: bool = False, defect: int | None = None
) -> Callable[[Callable[[Home], Verdict]], Callable[[Home], Verdict]]:
    """Register an attempt; the list is the table's rows, in order."""

    def register(run: Callable[[Home], Verdict]) -> Callable[[Home], Verdict]:
        ATTEMPTS.append(Attempt(run.__name__, group, fault, expected, run, fast, defect))
        return run

    return register

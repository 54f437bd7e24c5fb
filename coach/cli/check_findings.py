"""What ``coach check`` found: each problem printed in full and said in one short
line (the lines in the runtime's ``lines.yaml``), the microphone level judged,
and the closing line."""

from __future__ import annotations

import numpy as np

QUIET_DBFS = -50.0  # a voice at arm's length is far louder than this
CLIP_DBFS = -0.5  # a peak this close to full scale was cut off: the sound is distorted


class Check:
    """What was found: each problem printed in full, and its spoken line kept to be said."""

    def __init__(self) -> None:
        self.failed: list[str] = []
        self.unsaid: list[str] = []  # the problems' spoken lines, not said yet

    def ok(self, what: str, found: str) -> None:
        print(f"ok: {what}: {found}", flush=True)

    def fail(self, what: str, found: str, fix: str, *, advice: str) -> None:
        """A problem: printed with its details, and ``advice`` (a line's key) to be said."""
        from coach.runtime.messages import runtime_line

        self.failed.append(what)
        self.unsaid.append(runtime_line(advice))
        print(f"FAILED: {what}: {found.rstrip('.')}. What to do: {fix.rstrip('.')}.", flush=True)


def advice_lines(check: Check) -> list[str]:
    """The spoken lines of the problems found since the last call: each said once."""
    said, check.unsaid = check.unsaid, []
    return said


def closing_line(check: Check) -> str:
    """ "Everything works. ..." or how many things there are to fix."""
    from coach.runtime.messages import runtime_line

    count = len(check.failed)
    if not count:
        return runtime_line("check_passed")
    things = runtime_line("check_things_one" if count == 1 else "check_things", n=count)
    return runtime_line("check_failed_n", count=things)


def level_problem(peak: float) -> tuple[str, str, str] | None:
    """What is wrong with a microphone whose loudest sample is ``peak`` (of 32768):
    (what, what to do, the spoken line's key), or None when the level is fine."""
    level = 20 * np.log10(max(peak, 1.0) / 32768.0)
    if level < QUIET_DBFS:
        return ("too quiet", "speak closer, or turn the microphone up in your sound settings",
                "check_too_quiet")
    if level >= CLIP_DBFS:
        return ("clipping (the sound is cut off and distorted)",
                "turn the microphone down in your sound settings, or sit further away",
                "check_too_loud")
    return None

"""Write a benchmark's figures into README.md.

Each benchmark script owns one README section between two markers:

    <!-- bench:NAME -->
    ...figures, replaced on every run...
    <!-- /bench:NAME -->

``update_readme(NAME, TEXT)`` replaces what is between them with TEXT. When
README.md or either marker is missing it changes nothing and prints a note.
"""

from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def machine_line() -> str:
    """One line: when and where the figures were measured."""
    cpu = platform.processor() or platform.machine()
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on "
            f"{model or cpu}, {os.cpu_count() or 1} cores, {platform.system()}, "
            f"Python {platform.python_version()}.")


def table(header: tuple[str, str], rows: list[tuple[str, str]]) -> str:
    """A two-column markdown table."""
    lines = [f"| {header[0]} | {header[1]} |", "| --- | --- |"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def update_readme(name: str, text: str, readme: Path = README) -> bool:
    """Put TEXT between the bench:NAME markers of README.md; True when done."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    if not readme.exists():
        print(f"note: {readme} not found; figures not written into it.")
        return False
    body = readme.read_text(encoding="utf-8")
    if start not in body or end not in body or body.index(start) > body.index(end):
        print(f"note: README.md has no {start} ... {end} section; figures not written into it.")
        return False
    head, rest = body.split(start, 1)
    _, tail = rest.split(end, 1)
    readme.write_text(f"{head}{start}\n{text.strip()}\n{end}{tail}", encoding="utf-8")
    print(f"README.md section bench:{name} updated.")
    return True

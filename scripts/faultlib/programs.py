"""Program files that are damaged, hostile, huge or not files at all."""

from __future__ import annotations

import os
import re
from pathlib import Path

from faultlib.kit import Home, Result, Verdict, attempt, verdict

G = "program"
REFUSED = "refused with a one-line FILE message, exit 1, no traceback"


def bundled_program() -> str:
    import coach

    return (Path(coach.__file__).parent / "bundled_programs" / "medial-knee.yaml").read_text()


def refused(result: Result, name: str) -> Verdict:
    ok = result.code == 1 and not result.crashed() and name in result.text
    return verdict(ok, result.summary())


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@attempt(G, "program with a YAML syntax error", "refused, FILE:LINE named, exit 1", fast=True)
def program_syntax_error(home: Home) -> Verdict:
    path = home.write("bad.yaml", "id: x\nexercises:\n  - id: a\n    name: [unclosed\n")
    result = home.run("validate", str(path))
    ok = result.code == 1 and not result.crashed() and re.search(r"bad\.yaml:\d+", result.text)
    return verdict(bool(ok), result.summary())


@attempt(G, "program: billion laughs (nested anchors)", REFUSED + ", at once", fast=True)
def program_billion_laughs(home: Home) -> Verdict:
    return refused(
        home.run("validate", str(home.write("laughs.yaml", billion_laughs())), timeout=20),
        "laughs.yaml",
    )


@attempt(G, "program: !!python/object tag running a shell", REFUSED + "; nothing run", fast=True)
def program_python_tag(home: Home) -> Verdict:
    marker = home.root / "PWNED"
    text = f'id: x\nname: !!python/object/apply:os.system ["touch {marker}"]\n'
    result = home.run("validate", str(home.write("tag.yaml", text)))
    found = refused(result, "tag.yaml")
    return verdict(
        found.held and not marker.exists(),
        found.observed + ("; COMMAND RAN" if marker.exists() else ""),
    )


@attempt(G, "program nested 50,000 levels deep", REFUSED, fast=True)
def program_deep_nesting(home: Home) -> Verdict:
    path = home.write("deep.yaml", "id: " + "[" * 50_000 + "]" * 50_000 + "\n")
    return refused(home.run("validate", str(path), timeout=30), "deep.yaml")


@attempt(G, "program of 2 MB (over the size cap)", REFUSED, fast=True)
def program_too_big(home: Home) -> Verdict:
    path = home.write("big.yaml", "# padding\n" * 210_000)
    return refused(home.run("validate", str(path)), "big.yaml")


@attempt(
    G,
    "program of 60,000 unknown keys (780 KB, under the 1 MB cap)",
    "validated in seconds (linear), problems capped with '... and N more'",
    fast=True,
    defect=10,
)
def program_many_keys(home: Home) -> Verdict:
    text = "id: many\n" + "".join(f"key_{n:05d}: 1\n" for n in range(60_000))  # 780 KB
    path = home.write("many.yaml", text)
    result = home.run("validate", str(path), timeout=20)
    lines = result.text.count("\n")
    ok = result.code == 1 and not result.crashed() and lines < 1_000 and "more" in result.text
    return verdict(ok, f"{result.status()}; {lines} lines of output; {result.last_line()[:80]}")


def forged_program() -> str:
    forged = '"straight leg raise\\n    9.99  coach: FAKE LINE\\e]0;PWNED\\a"'
    return bundled_program().replace("name: straight leg raise", f"name: {forged}", 1)


def raw_controls(text: str) -> bool:
    return any(ord(c) < 32 and c not in "\n\t" or ord(c) == 127 for c in text)


@attempt(
    G,
    "program text with a newline, an ESC ] title sequence and BEL",
    "refused by validate or shown escaped: no control character printed, no forged line",
    fast=True,
    defect=12,
)
def program_control_characters(home: Home) -> Verdict:
    path = home.write("forged.yaml", forged_program())
    seen = [home.run("validate", str(path)), home.run("show", str(path))]
    forged = any(re.search(r"^\s*9\.99  coach: FAKE LINE", r.out, re.MULTILINE) for r in seen)
    controls = any(raw_controls(r.text) for r in seen)
    ok = not forged and not controls and not any(r.crashed() for r in seen)
    what = "; ".join(
        x
        for x in (
            "forged transcript line printed" if forged else "",
            "raw control characters printed" if controls else "",
        )
        if x
    )
    return verdict(ok, what or f"validate {seen[0].status()}, show {seen[1].status()}; nothing raw")


@attempt(
    G,
    "program that is a named pipe (FIFO)",
    "refused at once: not a regular file",
    fast=True,
    defect=13,
)
def program_fifo(home: Home) -> Verdict:
    path = home.root / "f.yaml"
    os.mkfifo(path)
    return refused(home.run("validate", str(path), timeout=10), "f.yaml")


@attempt(G, "program that is a folder", REFUSED, fast=True)
def program_folder(home: Home) -> Verdict:
    (home.root / "dir.yaml").mkdir()
    return refused(home.run("validate", str(home.root / "dir.yaml")), "dir.yaml")


@attempt(G, "program of random bytes (not UTF-8)", REFUSED, fast=True)
def program_binary(home: Home) -> Verdict:
    path = home.write("bin.yaml", os.urandom(4096) + b"\xff\xfe")
    return refused(home.run("validate", str(path)), "bin.yaml")


@attempt(G, "empty program file", REFUSED, fast=True)
def program_empty(home: Home) -> Verdict:
    return refused(home.run("validate", str(home.write("empty.yaml", ""))), "empty.yaml")


@attempt(
    G,
    "coach start --keys with a broken program",
    "refused before the session: exit 1, no coach line",
    fast=True,
)
def program_broken_at_start(home: Home) -> Verdict:
    path = home.write("bad.yaml", "id: x\nexercises: 7\n")
    result = home.run("start", "--keys", "--no-history", "--side", "left", "--program", str(path))
    ok = result.code == 1 and not result.crashed() and "coach:" not in result.out
    return verdict(ok, result.summary())

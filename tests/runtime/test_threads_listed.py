"""README lists every module that starts a thread, and only those.

A thread is a place where timing, failures and shutdown get hard; a newcomer
must be able to find each one, and why it is there, without reading the
whole package. The list in README's "Threads, and why each one" is compared
with the source: every ``threading.Thread(`` and every ``Failures.thread``
start (``failures.thread(``, ``_failures.thread(``).
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STARTS = re.compile(r"threading\.Thread\(|\b_?failures\.thread\(")
SECTION = "### Threads, and why each one"


def modules_starting_threads(package: Path) -> set[str]:
    """Paths below ``package`` (as README writes them) of modules that start a thread."""
    found = set()
    for path in sorted(package.rglob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if STARTS.search(line.split("#", 1)[0]):
                found.add(path.relative_to(package).as_posix())
    return found


def modules_listed(readme: str) -> set[str]:
    """The modules named at the start of each item of README's thread list."""
    section = readme.split(SECTION, 1)[1].split("\n### ", 1)[0]
    return set(re.findall(r"^- `(?:coach/)?([\w/]+\.py)`", section, flags=re.MULTILINE))


def test_readme_lists_every_module_that_starts_a_thread() -> None:
    started = modules_starting_threads(REPO / "coach")
    listed = modules_listed((REPO / "README.md").read_text(encoding="utf-8"))
    assert started - listed == set(), f"start threads but README does not say why: {started - listed}"
    assert listed - started == set(), f"README lists, but they start no thread: {listed - started}"


def test_the_scan_sees_both_ways_of_starting_a_thread(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.py").write_text("t = threading.Thread(target=f)\n")
    (tmp_path / "two.py").write_text("self._t = self._failures.thread(f, name='x', what='y')\n")
    (tmp_path / "three.py").write_text("# threading.Thread( in a comment\nthreading.Event()\n")
    assert modules_starting_threads(tmp_path) == {"a/one.py", "two.py"}
    readme = f"{SECTION}\n\n- `coach/a/one.py`: why.\n- `two.py` (`x`): why.\n\n### Next\n- `no.py`\n"
    assert modules_listed(readme) == {"a/one.py", "two.py"}

"""No circle of imports in the coach package, type-only and lazy imports included.

Calls between the parts of coach go one way: a module is read, tested and
changed knowing only what it imports. A circle (``a`` imports ``b`` imports
``a``, even under ``if TYPE_CHECKING:``) is where that stops being true.
"""

from __future__ import annotations

from pathlib import Path

from import_graph import a_circle, cycles, import_graph


def test_no_circle_of_imports_in_the_coach_package() -> None:
    graph = import_graph()
    found = [" -> ".join(a_circle(group, graph)) for group in cycles(graph)]
    assert not found, "modules that import one another in a circle:\n" + "\n".join(found)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_circles_through_type_only_lazy_and_relative_imports_are_found(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n"
                "    from pkg.b import B\n"
            ),
            "pkg/b.py": "def f():\n    from . import c\n",
            "pkg/c.py": "import pkg.a\n",
            "pkg/d.py": "from pkg import a\n",  # imports into the circle, not part of it
        },
    )
    graph = import_graph(root)
    assert graph["pkg.d"] == {"pkg.a"}
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert a_circle(["pkg.a", "pkg.b", "pkg.c"], graph) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]


def test_a_package_without_circles_has_none(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {"pkg/__init__.py": "from pkg.a import x\n", "pkg/a.py": "x = 1\n", "pkg/b.py": "import pkg\n"},
    )
    assert cycles(import_graph(root)) == []

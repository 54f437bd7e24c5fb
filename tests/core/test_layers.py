"""Calls between the layers go one way: the command line calls the runtime, never back.

The runtime (sessions, devices, loops) is used by ``coach start``, ``coach
demo``, ``coach replay``, ``coach check``, the benchmarks and the tests; if
it reached up into ``coach.cli`` it could not be used without the command
line's argument parsing and printing.
"""

from __future__ import annotations

from pathlib import Path

from import_graph import import_graph


def imports_from(graph: dict[str, set[str]], layer: str, forbidden: str) -> list[str]:
    """``module -> imported`` for every import from ``layer`` into ``forbidden``."""
    return sorted(f"{module} -> {target}"
                  for module, targets in graph.items() if module.startswith(layer + ".")
                  or module == layer
                  for target in targets if target == forbidden or target.startswith(forbidden + "."))


def test_nothing_in_the_runtime_imports_the_command_line() -> None:
    found = imports_from(import_graph(), "coach.runtime", "coach.cli")
    assert not found, "the runtime reaches up into the command line:\n" + "\n".join(found)


def test_the_check_sees_an_import_up_a_layer(tmp_path: Path) -> None:
    for name, text in {"pkg/__init__.py": "", "pkg/cli/__init__.py": "",
                       "pkg/cli/demo.py": "", "pkg/runtime/__init__.py": "",
                       "pkg/runtime/live.py": "def f():\n    from pkg.cli import demo\n"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    graph = import_graph(tmp_path / "pkg")
    assert imports_from(graph, "pkg.runtime", "pkg.cli") == ["pkg.runtime.live -> pkg.cli.demo"]

"""Calls between the layers go one way: the command line calls the runtime, never back.

The runtime (sessions, devices, loops) is used by ``coach start``, ``coach
demo``, ``coach replay``, ``coach check``, the benchmarks and the tests; if
it reached up into ``coach.cli`` it could not be used without the command
line's argument parsing and printing.
"""

from __future__ import annotations

import re
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


# The runtime, the command line and the audio edge, top to bottom, as README's
# Development section lists them: a module imports only from its own layer or below.
LAYERS = (
    ("coach.cli",),
    ("coach.runtime.live", "coach.runtime.keys_mode", "coach.runtime.demo_run",
     "coach.runtime.demo_routine", "coach.runtime.replay_run"),
    ("coach.runtime.scripted_session",),
    ("coach.runtime.loop", "coach.runtime.clock", "coach.runtime.typed_input",
     "coach.runtime.live_microphone", "coach.runtime.simulated_room",
     "coach.runtime.virtual_user", "coach.runtime.person_voice", "coach.runtime.voice_events",
     "coach.runtime.speaker_pump", "coach.runtime.stop_signals", "coach.runtime.text_voice",
     "coach.runtime.keep_settings",
     "coach.runtime.listen_for", "coach.runtime.assembly"),
    ("coach.runtime.runner", "coach.runtime.messages", "coach.runtime.replay_script",
     "coach.runtime.replay_checks", "coach.runtime.memory"),
    ("coach.audio",),
)
README = Path(__file__).resolve().parents[2] / "README.md"


def layer_of(module: str) -> int | None:
    for number, layer in enumerate(LAYERS):
        if any(module == name or module.startswith(name + ".") for name in layer):
            return number
    return None


def test_the_runtime_layers_call_only_down() -> None:
    graph = import_graph()
    upward = [f"{module} -> {target}" for module, targets in sorted(graph.items())
              for target in sorted(targets)
              if (a := layer_of(module)) is not None and (b := layer_of(target)) is not None
              and b < a]
    assert not upward, "an import up a layer:\n" + "\n".join(upward)


def test_every_runtime_audio_and_command_module_has_its_layer_and_is_in_the_readme() -> None:
    development = README.read_text(encoding="utf-8").split("## Development", 1)[1]
    modules = [m for m in import_graph()
               if m.startswith(("coach.runtime.", "coach.audio."))]
    assert [m for m in modules if layer_of(m) is None] == []
    unnamed = [m for m in modules
               if f"{m.split('.')[-1]}.py" not in development]
    assert not unnamed, "README's Development section does not name: " + ", ".join(unnamed)


def test_the_core_reads_no_file() -> None:
    """The session's words come in with its construction: nothing under coach.core
    reads a lines file, a program, a vocabulary or any other file itself."""
    core = Path(__file__).resolve().parents[2] / "coach" / "core"
    reads = re.compile(r"(?<!\w)(load_lines|load_vocabulary|load_bundled|load_program|open|"
                       r"open_regular|read_text|read_bytes|read_yaml|safe_load)\(")
    calls = [f"{p.relative_to(core)}: {m.group(0)}" for p in sorted(core.rglob("*.py"))
             for m in reads.finditer(p.read_text(encoding="utf-8"))]
    assert not calls, calls

"""One name and one place per concept: the old names of merged and renamed modules are gone.

Each row is a module that was merged into another or renamed, and where its
contents live now. Nothing in the package, the tests or the scripts may
import the old name (nor mention it as ``coach.x.y`` in text), and the old
file must not come back beside the new one.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

MOVED = {
    "coach.testing": "coach.runtime.scripted_session",
    "coach.audio.wavio": "coach.audio.wavfile",
    "coach.history.reader": "coach.history.read",
    "coach.runtime.printed": "coach.runtime.text_voice",
    "coach.programs": "coach.bundled_programs",  # data only, beside the code in coach.program
    "coach.speech_out.render": "coach.speech_out.synthesis",  # render: now only synthesis
    "coach.core.spoken_lines": "coach.spoken_text",  # one loader for every lines.yaml
    # split by concept: stopping, sides, rating (pain), not_now, opening (resume)
    "coach.core.answers": "coach.core.stopping",
    "coach.core.voice_choice": "coach.core.voice_settings",  # with speed and loudness
    # split: open_listener and check_named to the listener's port, ListenFor on its own
    "coach.runtime.recogniser": "coach.runtime.listen_for",
}


def mentions(old: str, roots: list[Path]) -> list[str]:
    """``path:line`` of every mention of the dotted module name ``old`` under ``roots``."""
    pattern = re.compile(rf"\b{re.escape(old)}\b")
    found = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line) and path != Path(__file__).resolve():
                    found.append(f"{path.relative_to(root.parent)}:{number}")
    return found


def file_of(module: str) -> Path:
    return REPO.joinpath(*module.split(".")).with_suffix(".py")


@pytest.mark.parametrize("old", sorted(MOVED))
def test_nothing_uses_the_old_name(old: str) -> None:
    found = mentions(old, [REPO / "coach", REPO / "tests", REPO / "scripts"])
    assert not found, f"{old} is now {MOVED[old]}; still named at: " + ", ".join(found)


@pytest.mark.parametrize("old", sorted(MOVED))
def test_the_old_module_is_gone_and_the_new_one_is_there(old: str) -> None:
    new = MOVED[old]
    assert not file_of(old).exists() and not file_of(old).with_suffix("").is_dir()
    assert file_of(new).exists() or (file_of(new).with_suffix("") / "__init__.py").exists()


def test_the_scan_finds_an_old_import(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("from coach.testing import SessionHarness\n")
    (tmp_path / "pkg" / "b.py").write_text("import coach.testing_more\nfrom coach import tests\n")
    assert mentions("coach.testing", [tmp_path / "pkg"]) == ["pkg/a.py:1"]


# Functions renamed to say what they do: (module, old name) -> new name.
RENAMED = {
    ("coach.program.model", "render"): "fill_side",  # fills {side}; render is synthesis
}


@pytest.mark.parametrize("where", sorted(RENAMED), ids=lambda w: f"{w[0]}.{w[1]}")
def test_a_renamed_function_has_only_its_new_name(where: tuple[str, str]) -> None:
    module = importlib.import_module(where[0])
    assert not hasattr(module, where[1]) and callable(getattr(module, RENAMED[where]))

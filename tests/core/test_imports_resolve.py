"""Every name imported from coach, in the package and the scripts, exists.

Benchmarks and the soak import parts of coach inside functions, so a module
renamed in the package breaks them only when that function runs, often at the
end of a long measurement. This reads every import statement instead.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def missing_names(files: list[Path]) -> list[str]:
    missing = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module):
                continue
            if node.module.split(".")[0] != "coach":
                continue
            where = f"{path.name}:{node.lineno}"
            try:
                module = importlib.import_module(node.module)
            except ImportError as error:
                missing.append(f"{where}: {error}")
                continue
            for alias in node.names:
                if hasattr(module, alias.name):
                    continue
                try:
                    importlib.import_module(f"{node.module}.{alias.name}")
                except ImportError:
                    missing.append(f"{where}: {node.module} has no {alias.name}")
    return missing


def test_every_name_imported_from_coach_exists() -> None:
    files = sorted((ROOT / "scripts").glob("*.py")) + sorted((ROOT / "coach").rglob("*.py"))
    assert len(files) > 50
    assert missing_names(files) == []


def test_a_renamed_module_is_reported(tmp_path: Path) -> None:
    script = tmp_path / "bench.py"
    script.write_text(
        "def f():\n    from coach.no_such_module import x\n    from coach.audio.format import NOT_THERE\n",
        encoding="utf-8",
    )
    found = missing_names([script])
    assert len(found) == 2
    assert "no_such_module" in found[0] and "NOT_THERE" in found[1]

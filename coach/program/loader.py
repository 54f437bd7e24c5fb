"""Find and load programs: the bundled routines, or any YAML file a person names.

Loading validates everything (see ``coach.program.parse``): a program either
loads whole and valid, or ``ProgramError`` lists every problem as
``FILE:LINE: field: what is wrong``.
"""

from __future__ import annotations

from pathlib import Path

from coach.errors import CoachError
from coach.program.model import Program
from coach.program.parse import build_program
from coach.yamldata import read_yaml

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "bundled_programs"
DEFAULT_PROGRAM = "medial-knee"


def load_program(path: Path | str) -> Program:
    """Read, validate and build one program file; raises ProgramError."""
    return build_program(read_yaml(path))


def bundled_program_paths() -> dict[str, Path]:
    """The routines that ship with coach, by id (the file name without .yaml)."""
    return {p.stem: p for p in sorted(BUNDLED_DIR.glob("*.yaml"))}


def load_bundled(program_id: str = DEFAULT_PROGRAM) -> Program:
    paths = bundled_program_paths()
    if program_id not in paths:
        known = ", ".join(paths) or "none"
        raise CoachError(
            f"No bundled program is called '{program_id}'. Bundled programs: "
            f"{known}. Run 'coach programs' to list them."
        )
    return load_program(paths[program_id])


def find_program(name_or_path: str) -> Program:
    """A bundled id ("medial-knee") or the path to a YAML file, as typed on a command line."""
    if name_or_path in bundled_program_paths():
        return load_bundled(name_or_path)
    path = Path(name_or_path).expanduser()
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        return load_program(path)
    known = ", ".join(bundled_program_paths()) or "none"
    raise CoachError(
        f"No program called '{name_or_path}'. Give a bundled id ({known}) "
        "or the path to a program YAML file. Run 'coach programs' to list them."
    )

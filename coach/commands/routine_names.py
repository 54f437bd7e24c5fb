"""The names a person may say to choose today's routine: from the bundled program files.

Each routine's spoken name and title, and each of its conditions' names and
aliases ("meniscus tear", "torn meniscus"): the session matches what was said
against the same names (``coach.core.routines``).
"""

from __future__ import annotations

import functools


@functools.cache
def bundled_routine_names() -> tuple[str, ...]:
    from coach.program.loader import bundled_program_paths, load_program

    names: list[str] = []
    for path in bundled_program_paths().values():
        program = load_program(path)
        names += [program.name_to_say, program.title]
        for condition in program.conditions:
            names += [condition.name, *condition.aliases]
    return tuple(dict.fromkeys(name.lower() for name in names))

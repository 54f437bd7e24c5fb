"""Files a command is asked to write (--plot, --speak-to, --record-mic), checked before any work.

A person who gives a path with a typing slip should hear about it at once,
not after a session: and coach never makes folders they did not ask for.
"""

from __future__ import annotations

import os
from pathlib import Path

from coach.errors import CoachError


def output_file(path: Path, option: str, *, example: str, suffix: str | None = None) -> Path:
    """``path`` if a file can be written there as asked; else CoachError saying what to do.

    ``option`` names the option in the message ("--plot"); ``suffix`` is the
    one file type the option writes (".png"), and ``example`` a good name.
    """
    where = f"{option} {path}"
    if suffix is not None and path.suffix.lower() != suffix:
        raise CoachError(
            f"{where}: this writes a {suffix[1:].upper()} file; give a file name ending in "
            f"{suffix}, such as {example}."
        )
    if path.is_dir():
        raise CoachError(f"{where}: is a folder; give a file name in it, such as {path / example}.")
    folder = path.parent
    if not folder.exists():
        raise CoachError(
            f"{where}: the folder {folder} does not exist. Create it first, or choose a file "
            "in a folder that exists."
        )
    if not folder.is_dir():
        raise CoachError(f"{where}: {folder} is not a folder.")
    if not os.access(folder, os.W_OK):
        raise CoachError(f"{where}: the folder {folder} cannot be written to; choose another one.")
    return path

"""A data file that ships inside coach.speech_in (a small model's weights), read once."""

from __future__ import annotations

from importlib import resources

from coach.errors import CoachError


def shipped_bytes(name: str, what: str) -> tuple[bytes, str] | None:
    """The bytes of ``name`` and where they were read, or None when it is not there.

    Raises CoachError, naming ``what`` it is, when it is there but cannot be read.
    """
    where = resources.files("coach.speech_in").joinpath(name)
    try:
        return where.read_bytes(), str(where)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CoachError(f"The {what} {where} cannot be read ({exc}). "
                         "Reinstall coach to restore it.") from exc

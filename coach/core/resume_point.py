"""Where to carry on after an interrupted session."""

from __future__ import annotations

from dataclasses import dataclass

from coach.program.model import Side


@dataclass(frozen=True)
class ResumePoint:
    exercise_id: str
    set_number: int  # 1-based, the set to start
    side: Side | None

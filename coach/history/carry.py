"""What carries over from one session to the next: levels, familiarity, the side.

The session takes these in its constructor, so it can start where the person
left off without knowing anything about files.
"""

from __future__ import annotations

from coach.history.read import Reader, program_filter
from coach.program.model import Program, Side


def levels(reader: Reader, program_id: str, program: Program | None = None) -> dict[str, int]:
    """The latest level of each exercise: from a level change, a set, or a session's start.

    Whichever record came last wins, so a level dropped because of pain is
    the level the next session starts at. With ``program``, exercises it no
    longer has are left out and levels are kept inside its ladders (the file
    may have been edited since).
    """
    rows = reader.query(
        """
        SELECT exercise, level, record_id FROM (
            SELECT lc.exercise, lc.to_level AS level, lc.record_id
              FROM level_changes lc JOIN sessions s ON s.id = lc.session_id
             WHERE s.program = ?
            UNION ALL
            SELECT st.exercise, st.level, st.record_id
              FROM sets st JOIN sessions s ON s.id = st.session_id
             WHERE s.program = ? AND st.level IS NOT NULL
            UNION ALL
            SELECT se.exercise, se.level_start,
                   (SELECT MIN(r.id) FROM records r WHERE r.session_id = se.session_id)
              FROM session_exercises se JOIN sessions s ON s.id = se.session_id
             WHERE s.program = ? AND se.level_start IS NOT NULL
        ) ORDER BY record_id
        """,
        (program_id, program_id, program_id),
    )
    found: dict[str, int] = {}
    for exercise, level, _ in rows:
        found[str(exercise)] = int(level)
    if program is None:
        return found
    ladders = {ex.id: len(ex.levels) for ex in program.exercises}
    return {ex: min(max(0, lv), ladders[ex] - 1) for ex, lv in found.items() if ex in ladders}


def familiar(reader: Reader, program_id: str) -> frozenset[str]:
    """Exercises with at least one set done in any earlier session of this program."""
    rows = reader.query(
        """SELECT DISTINCT st.exercise FROM sets st JOIN sessions s ON s.id = st.session_id
           WHERE s.program = ?
           UNION
           SELECT se.exercise FROM session_exercises se JOIN sessions s ON s.id = se.session_id
           WHERE s.program = ? AND se.status = 'done'""",
        (program_id, program_id),
    )
    return frozenset(str(row[0]) for row in rows)


def last_side(reader: Reader, program_id: str | None = None) -> Side | None:
    """The knee trained in the latest session that named one (the demo's do not count)."""
    which, params = program_filter(program_id)
    rows = reader.query(
        f"SELECT side FROM sessions WHERE side IS NOT NULL AND {which}"
        " ORDER BY started_wall DESC, id DESC LIMIT 1",
        params,
    )
    if not rows:
        return None
    try:
        return Side(rows[0][0])
    except ValueError:
        return None

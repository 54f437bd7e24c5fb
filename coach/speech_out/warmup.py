"""Which phrases to render before a session starts, so counts land on the beat.

Numbers and a rep's cue words ("Lift.", "Hold.") recur every few seconds and
must start on their beat; rendering one on demand takes tens of
milliseconds. The runtime passes this list to ``Playout.warm`` (blocking, for
a manual clock) or ``PhraseCache.warm_later`` (live, while the welcome plays).
"""

from __future__ import annotations

from coach.program.model import Program, Side, fill_side

COUNT_UP_TO = 60  # the longest count: a 60 s hold, or 60 s of rest counted down


def recurring_phrases(program: Program, side: Side | None = None, *,
                      count_up_to: int = COUNT_UP_TO) -> list[str]:
    """Counts 1..``count_up_to`` and every phase cue of every exercise, in order of need."""
    phrases = [str(n) for n in range(1, count_up_to + 1)]
    sides = [side] if side is not None else [Side.LEFT, Side.RIGHT]
    for exercise in program.exercises:
        for phase in exercise.dose.phases:
            for s in sides:
                phrases.append(fill_side(phase.cue, s))
    return list(dict.fromkeys(phrases))

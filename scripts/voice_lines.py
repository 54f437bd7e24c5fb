"""Every line the coach can say, placeholders filled, for scripts/bench_voice.py.

From every ``lines.yaml`` (the session's, the runtime's, speech out's, the
history's), every bundled program (safety notes, each exercise's name, why,
steps, short cue, phase cues and level cues, for both sides), and every count
and countdown as the session says them (the numbers 1 to 60, alone). Lines
only ever printed (file paths, error details) and fragments said only inside
another line ("and", an exercise's name) are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from coach.program.loader import bundled_program_paths, load_program
from coach.program.model import Side, fill_side
from coach.speech_out.warmup import COUNT_UP_TO

COACH = Path(__file__).resolve().parents[1] / "coach"
PRINTED_ONLY = ("{path}", "{files}", "{braces}", "{problem}", "{index}", "{programs}")
PHASE_CUES = ("Lift.", "Hold.", "Lower.", "Lift your foot.", "Foot down.", "Bend.", "Straighten.",
              "Step out.", "Bring in.", "Step up.", "Step down.", "Slide down.", "Slide up.")
VALUES = {
    "exercise": "straight leg raise", "name": "straight leg raise", "side": "left", "set": 2,
    "sets": 3, "n": 5, "count": 6, "reps": 10, "level": "two second hold", "last": 4, "first": 2,
    "seconds": 30, "levels": "one second hold, two second hold, ", "set_number": 2,
    "reason": "the microphone stopped", "rating": 7, "ratings": "3, 4 and 5", "minutes": "20 minutes",
    "program": "Medial knee pain routine", "done": 8, "where": "the straight leg raise, set 2 of 3",
    "text": "go", "size": "10 on each leg", "rate": 150, "planned": 12, "percent": 80,
    "parts": "3 sessions, 8 of 12 planned sets", "of_sets": 3, "ms": 120, "items": "a sturdy chair",
    "exercises": 6, "engine": "Whisper", "direction": "clockwise", "days": 9,
    "changes": "slower and louder", "detail": "", "speed": "slower",
}


@dataclass(frozen=True)
class Line:
    text: str
    source: str  # where it comes from: "core/lines.yaml: welcome", "count"

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def is_cue(self) -> bool:
        """A one- or two-word line: a count, a phase cue, "Last set."."""
        return self.words <= 2

    @property
    def is_phase_cue_or_count(self) -> bool:
        return self.text in PHASE_CUES or (self.text.isdigit() and 1 <= int(self.text) <= 10)


def _fill(template: str) -> str | None:
    names = re.findall(r"{(\w+)}", template)
    if any(p in template for p in PRINTED_ONLY) or any(n not in VALUES for n in names):
        return None
    return template.format(**VALUES).strip()


def yaml_lines() -> list[Line]:
    found = []
    for path in sorted(COACH.glob("*/lines.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, template in data.items():
            text = _fill(str(template))
            if text and (text[0].isupper() or text[0].isdigit()):  # not a fragment ("and")
                found.append(Line(text, f"{path.parent.name}/lines.yaml: {key}"))
    return found


def program_lines() -> list[Line]:
    found = []
    for program_id, path in sorted(bundled_program_paths().items()):
        program = load_program(path)
        where = f"programs/{program_id}"
        texts: list[tuple[str, str]] = [(program.title + ".", "title")]
        texts += [(note.text, "safety") for note in program.safety]
        for ex in program.exercises:
            texts += [(ex.why, f"{ex.id} why")]  # its name is said inside "Next: {name}."
            texts += [(s.text, f"{ex.id} step") for s in ex.steps]
            texts += [(s, f"{ex.id} safety") for s in ex.safety]
            if ex.short_cue:
                texts.append((ex.short_cue, f"{ex.id} short cue"))
            texts += [(p.cue, f"{ex.id} phase cue") for p in ex.dose.phases]
            texts += [(lv.cue, f"{ex.id} level cue") for lv in ex.levels]
        for text, what in texts:
            for side in (Side.LEFT, Side.RIGHT):
                found.append(Line(fill_side(text, side), f"{where}: {what}"))
    return found


def count_lines() -> list[Line]:
    return [Line(str(n), "count") for n in range(1, COUNT_UP_TO + 1)]


def every_line() -> list[Line]:
    """Each distinct text once, the first source that says it."""
    seen: dict[str, Line] = {}
    for line in yaml_lines() + program_lines() + count_lines():
        seen.setdefault(line.text, line)
    return list(seen.values())

"""Keeps the listener's spoken voice changes: "slower", "faster", "louder", "quieter",
and the voice, verbosity and tones chosen by name ("simple voice", "talk less", "tones on"),
and the routine chosen by voice (``RoutineChosen``).

The session is pure: it changes the voice for itself and logs a
``SettingsChanged`` record with the new rate and volume (and the voice,
verbosity or tones when one of those changed). This sink, which ``coach
start`` adds (its keys and voice modes alike) and ``coach demo`` does not,
writes them to the per-user settings file, so the next session starts with
them. Only what the record carries is taken from it; the rest of the file is
read afresh and kept as it is, so an edit made meanwhile (``coach voices
--set``) is not undone.

Saving never ends a session: when the file cannot be written (a read-only or
missing folder, a full disk) or cannot be read (a hand edit with a mistake,
which is then left alone rather than overwritten), ``report`` is called once
with the reason, and the change still holds for this session.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from coach.core.actions import Action, Log
from coach.core.events import Event
from coach.core.records import RoutineChosen, SettingsChanged
from coach.errors import CoachError
from coach.settings import CountWith, Verbosity, load_settings, save_settings


def _to_stderr(detail: str) -> None:
    from coach.runtime.messages import runtime_line

    print(f"coach: {runtime_line('settings_not_saved')} ({detail})", file=sys.stderr, flush=True)


@dataclass
class SettingsSink:
    """A runner sink: on each ``SettingsChanged`` record, save rate and volume.

    ``path`` is the settings file (None: the per-user one, looked up at each
    save); ``report(detail)`` tells the person, once, that a change could not
    be saved (the runtime speaks or prints ``settings_not_saved``).
    """

    path: Path | None = None
    report: Callable[[str], None] | None = None
    saved: int = 0  # changes written so far
    reported: bool = False

    def __call__(self, action: Action, now: float) -> list[Event]:
        if isinstance(action, Log) and isinstance(action.record, SettingsChanged):
            record = action.record
            changed: dict[str, object] = {"rate_wpm": record.rate_wpm, "volume": record.volume}
            if record.voice is not None:
                changed["voice"] = record.voice
            if record.verbosity is not None:
                changed["verbosity"] = Verbosity(record.verbosity)
            if record.count_with is not None:
                changed["count_with"] = CountWith(record.count_with)
            self.save(**changed)
        elif isinstance(action, Log) and isinstance(action.record, RoutineChosen):
            chosen = action.record  # the routine chosen by voice: next time's too
            self.save(routine=":".join([chosen.program, *chosen.conditions[:1]]))
        return []

    def save(self, **changed: object) -> None:
        """Write ``changed`` (settings fields) over the file as it is now."""
        try:
            current = load_settings(self.path)
            save_settings(replace(current, **changed), self.path)  # type: ignore[arg-type]
        except (OSError, ValueError, CoachError) as exc:
            if not self.reported:
                self.reported = True
                detail = str(exc) or type(exc).__name__
                (self.report or _to_stderr)(detail)
            return
        self.saved += 1

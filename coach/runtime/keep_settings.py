"""Keeps the listener's spoken voice changes: "slower", "faster", "louder", "quieter",
and the voice, verbosity and tones chosen by name ("simple voice", "talk less", "tones on").

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
from coach.core.records import SettingsChanged
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
            self.save(record.rate_wpm, record.volume, voice=record.voice,
                      verbosity=record.verbosity, count_with=record.count_with)
        return []

    def save(self, rate_wpm: int, volume: float, *, voice: str | None = None,
             verbosity: str | None = None, count_with: str | None = None) -> None:
        """Rate and volume, and whichever of the others is given (None: kept as in the file)."""
        try:
            current = load_settings(self.path)
            changed = replace(current, rate_wpm=rate_wpm, volume=volume)
            if voice is not None:
                changed = replace(changed, voice=voice)
            if verbosity is not None:
                changed = replace(changed, verbosity=Verbosity(verbosity))
            if count_with is not None:
                changed = replace(changed, count_with=CountWith(count_with))
            save_settings(changed, self.path)
        except (OSError, ValueError, CoachError) as exc:
            if not self.reported:
                self.reported = True
                detail = str(exc) or type(exc).__name__
                (self.report or _to_stderr)(detail)
            return
        self.saved += 1

"""The voice's own events as an input of the loop: when each phrase really started and ended.

The playout reports SpeechStarted and SpeechDone, sample-accurate, as it
mixes; the session paces what it says next by them. Phrases the runtime says
for itself (a device gone, a setting not saved) have ids below zero and are
not the session's business.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from coach.core.events import Event, SpeechDone, SpeechStarted

if TYPE_CHECKING:
    from coach.speech_out.playout import Playout

OWN_ID = -1  # utterance ids below zero are the runtime's own, not the session's


class VoiceEvents:
    """An input: what the playout reported since the last step, in time order."""

    def __init__(self, playout: Playout) -> None:
        self.playout = playout

    def events(self, now: float) -> Iterator[Event]:
        for event in self.playout.drain_events():
            if isinstance(event, (SpeechStarted, SpeechDone)) and event.utterance_id <= OWN_ID:
                continue
            yield event

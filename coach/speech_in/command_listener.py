"""The recogniser as the runtime sees it: a typed port, whatever the engine behind it.

The live coach, the demo and ``coach check`` hand it microphone blocks and
what the speaker played, tell it what fits the moment, and take back
``Heard`` commands; they never reach into the Listener's workings. Tests may
pass any object with these members.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from coach.commands.intents import Intent
from coach.core.events import Heard

if TYPE_CHECKING:
    from coach.speech_in.listener import Decision


class CommandListener(Protocol):
    """Microphone in, commands out, on the audio clock (``coach.speech_in.listener.Listener``)."""

    description: str  # the engine and its model, for the person ("whisper tiny.en ...")
    fallback: str  # why the engine asked for was not used ("" when it was), said once
    decisions: list[Decision]  # what became of each recent utterance, newest last

    def expect(
        self,
        intents: Collection[Intent] | None,
        question: str = "",
        focus: Collection[Intent] | None = None,
    ) -> None:
        """Listen only for ``intents`` from the next utterance on (None: every command);
        ``focus``: the most likely of them; ``question``: the line just asked."""
        ...

    def playing(self, block: np.ndarray, at: float) -> None:
        """What the speaker plays from ``at`` (s) on: the echo reference."""
        ...

    def feed(self, frames: np.ndarray, at: float) -> list[Heard]:
        """Microphone samples whose first one was heard at ``at`` (s); commands decided."""
        ...

    def poll(self) -> list[Heard]:
        """Commands a background decode finished since the last look."""
        ...

    def on_decoded(self, notify: Callable[[], None]) -> None:
        """``notify()`` (from the decoding thread) each time a background decode is done."""
        ...

    def close(self) -> None:
        """Stop the decoding worker, if there is one."""
        ...


def rejected(decisions: Sequence[Decision]) -> list[str]:
    """A plain line for each utterance among ``decisions`` that was not taken as a command."""
    return [f"not a command ({d.reason})"
            + (f" '{d.hypothesis.text}'" if d.hypothesis.text else "")
            + f", {d.speech_start:.2f} to {d.speech_end:.2f} s"
            for d in decisions if d.heard is None]

"""The runtime's one door to speech in: build a Listener, feed it, describe it.

The live loop and the demo both go through these few functions, so the
recogniser's API is used in one place only.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from coach.core.actions import Action, Listen
from coach.core.events import Event, Heard

ECHO_CANCEL = True  # True: the Listener's own setting stands (see _runtime_settings)


def make_listener(
    engine: str | None = None, model: str | None = None, *, background: bool = False
) -> Any:
    """A Listener for ``engine`` ("whisper", "vosk", "sphinx"; None: the best installed).

    Loading takes from a fraction of a second (PocketSphinx, Whisper tiny.en)
    to seconds (a Vosk model): the live coach calls this on a thread of its
    own, and asks for ``background`` decoding, so that a decode never holds
    up the count.
    """
    from coach.blas_threads import one_blas_thread
    from coach.speech_in.listener import make_listener as build

    one_blas_thread()  # the echo canceller's small matrix calls, without busy worker threads
    return _runtime_settings(build(engine=engine, model=model, background=background))


def _runtime_settings(listener: Any) -> Any:
    """The live loop's choices on top of the Listener's own settings.

    The adaptive echo canceller stays on: without it the echo gate alone let
    the coach's own lines through as commands in a scripted run (5 in 20 s of
    echo at 0.3). Its cost was OpenBLAS's worker threads busy-waiting between
    its small matrix calls (83 % of a core while speaking, scripts/bench_live.py);
    make_listener keeps OpenBLAS on one thread (coach.blas_threads), where the
    canceller takes about 0.5 ms per 10 ms block.
    ECHO_CANCEL = False turns it off; the runtime lines the microphone up with
    the played reference itself (coach.runtime.echo_delay), which the echo
    gate needs either way. With ECHO_CANCEL = True the Listener's setting stands.
    """
    config = getattr(listener, "config", None)
    if config is not None and ECHO_CANCEL is False and hasattr(config, "echo_cancel"):
        listener.config = dataclasses.replace(config, echo_cancel=False)
    return listener


class ListenFor:
    """A sink: the session's ``Listen`` actions tell the recogniser what fits the moment.

    The recogniser may come later (the live coach loads it while the welcome
    is spoken): the last ``Listen`` is kept and given to it when it arrives.
    """

    def __init__(self, listener: Any = None) -> None:
        self.listener = listener
        self.last: Listen | None = None

    def __call__(self, action: Action, now: float) -> list[Event]:
        if isinstance(action, Listen):
            self.last = action
            if self.listener is not None:
                self.listener.expect(action.intents, action.question, action.focus)
        return []

    def attach(self, listener: Any) -> None:
        """From now on tell ``listener`` (None: nobody); it hears the current moment at once."""
        self.listener = listener
        if listener is not None and self.last is not None:
            listener.expect(self.last.intents, self.last.question, self.last.focus)


def feed(listener: Any, samples: np.ndarray, at: float) -> list[Heard]:
    """Microphone samples (16 kHz int16) whose first sample was at ``at``."""
    return list(listener.feed(samples, at))


def poll(listener: Any) -> list[Heard]:
    """Commands the engine finished decoding since the last look (background decoding)."""
    return list(listener.poll())


def fallback(listener: Any) -> str:
    """Why the engine asked for was not used ("" when it was), to be said once."""
    return str(getattr(listener, "fallback", ""))


def playing(listener: Any, samples: np.ndarray, at: float) -> None:
    """What the speaker plays from ``at`` on: the echo gate's reference."""
    listener.playing(samples, at)


def describe(listener: Any) -> str:
    return str(getattr(listener, "description", type(listener).__name__))


def rejected_since(listener: Any, seen: int) -> list[str]:
    """Plain lines for the utterances after the first ``seen`` that were not commands."""
    decisions = list(getattr(listener, "decisions", ()))
    out = []
    for d in decisions[min(seen, len(decisions)):]:
        if d.heard is None:
            words = f" '{d.hypothesis.text}'" if d.hypothesis.text else ""
            out.append(f"not a command ({d.reason}){words}, "
                       f"{d.speech_start:.2f} to {d.speech_end:.2f} s")
    return out

"""The runtime's side of the recogniser: opening it, and telling it what the session listens for."""

from __future__ import annotations

from coach.core.actions import Action, Listen
from coach.core.events import Event
from coach.errors import CoachError
from coach.speech_in.command_listener import CommandListener
from coach.speech_in.engine import Engine


def open_listener(engine: str | None = None, model: str | None = None, *,
                  background: bool = False) -> CommandListener:
    """A recogniser on ``engine`` ("whisper", "vosk", "sphinx"; None: the best installed).

    Loading takes from a fraction of a second (PocketSphinx, Whisper tiny.en)
    to seconds (a Vosk model): the live coach calls this on a thread of its
    own, and asks for ``background`` decoding, so that a decode never holds
    up the count.

    OpenBLAS is kept on one thread first. The echo canceller solves small
    matrices every 10 ms (about 0.5 ms a block on one thread); split over
    OpenBLAS's worker threads, their busy-waiting between calls took the
    live coach from 23 % of a core while listening to 83 % while it spoke
    (scripts/bench_live.py). Without the canceller the echo gate alone let the
    coach's own lines through as commands (5 in 20 s of echo at 0.3), so it
    stays on.
    """
    from coach.blas_threads import one_blas_thread
    from coach.speech_in.listener import make_listener

    one_blas_thread()
    listener = make_listener(engine=engine, model=model, background=background)
    if background:  # the live coach: its loader does now what the first command would wait for
        from coach.runtime.text_voice import load_heard_words

        warm_up(listener.engine)
        load_heard_words()
    return listener


WARM_UP_SECONDS = 0.5


def warm_up(engine: Engine) -> None:
    """Decode half a second of silence once, where the recogniser is loaded.

    An engine's first decode is its slowest: Whisper's took 0.49 s live, against
    0.1-0.2 s for every later one, and the first command a person gave (a "stop"
    over the coach) was acted on that much later. Done on the loader's thread,
    before the decoding worker exists, it costs the person nothing.
    """
    import numpy as np

    from coach.audio.format import RATE_HZ

    engine.begin()
    engine.accept(np.zeros(round(WARM_UP_SECONDS * RATE_HZ), np.int16))
    engine.finish()


def check_named(engine: str | None = None, model: str | None = None) -> None:
    """Raise CoachError when a recogniser the person named cannot be used.

    The live coach loads its recogniser once the session has begun, where a
    failure can only be said and the session goes on; one asked for by name
    (``--engine``, ``--model``, or a Whisper model in $COACH_WHISPER_MODEL)
    is checked first, so that it stops the command before anything is said.
    The default is not checked here: it may fall back, and says why.
    """
    from coach.speech_in.whisper_choice import named
    from coach.speech_in.whisper_model import checked_model

    if engine == "whisper" or (named(engine) and model is None):
        checked_model()  # read and checked again when loaded: what is loaded is what was checked
    if engine == "vosk" or (engine is None and model is not None):
        from coach.commands.parser import load_vocabulary
        from coach.speech_in.models import FETCH_HINT, find_vosk_model

        lang = (load_vocabulary().language or "en").split("-")[0]
        if find_vosk_model(model, lang=lang) is None:
            raise CoachError(f"No Vosk model for '{lang}' was found. {FETCH_HINT}")


class ListenFor:
    """A sink: the session's ``Listen`` actions tell the recogniser what fits the moment.

    The recogniser may come later (the live coach loads it while the welcome
    is spoken): the last ``Listen`` is kept and given to it when it arrives.
    """

    def __init__(self, listener: CommandListener | None = None) -> None:
        self.listener = listener
        self.last: Listen | None = None

    def __call__(self, action: Action, now: float) -> list[Event]:
        if isinstance(action, Listen):
            self.last = action
            if self.listener is not None:
                self.listener.expect(action.intents, action.question, action.focus)
        return []

    def attach(self, listener: CommandListener | None) -> None:
        """From now on tell ``listener`` (None: nobody); it hears the current moment at once."""
        self.listener = listener
        if listener is not None and self.last is not None:
            listener.expect(self.last.intents, self.last.question, self.last.focus)

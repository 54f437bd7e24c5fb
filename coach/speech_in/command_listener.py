"""The command listener as the rest of coach sees it: its typed port, and opening one.

The live coach, the demo and ``coach check`` open one here (``open_listener``,
after ``check_named`` for an engine the person named), hand it microphone
blocks and what the speaker played, tell it what fits the moment, and take
back ``Heard`` commands; they never reach into the Listener's workings
(``coach.speech_in.listener``). Tests may pass any object with these members.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from coach.commands.intents import Intent
from coach.core.events import Heard
from coach.errors import CoachError
from coach.speech_in.engine import Engine

if TYPE_CHECKING:
    from coach.commands.parser import Vocabulary
    from coach.speech_in.decision import Decision
    from coach.speech_in.listener import Listener, ListenerConfig


class CommandListener(Protocol):
    """Microphone in, commands out, on the audio clock (``coach.speech_in.listener.Listener``)."""

    description: str  # the engine and its model, for the person ("whisper tiny.en ...")
    fallback: str  # why the engine asked for was not used ("" when it was), said once

    @property
    def decisions(self) -> list[Decision]:
        """What became of each recent utterance, newest last."""
        ...

    def expect(
        self,
        intents: Collection[Intent] | None,
        question: str = "",
        focus: Collection[Intent] | None = None,
        decisive: Collection[Intent] = (),
        sound_alikes: Collection[Intent] = (),
        answers: Collection[Intent] = (),
    ) -> None:
        """Listen only for ``intents`` from the next utterance on (None: every command);
        ``focus``: the most likely of them; ``question``: the line just asked;
        ``decisive``: answers taken only when the engine is sure of them;
        ``sound_alikes``: commands also taken from the vocabulary's ``heard_as``
        spellings of them; ``answers``: the question's own answers, the only
        ones a word told by its sound may give at it."""
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

    @property
    def idle(self) -> bool:
        """No word under way, no decode out, the coach silent: it may be fed a little later."""
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


def open_listener(engine: str | None = None, model: str | None = None, *,
                  background: bool = False) -> CommandListener:
    """A recogniser on ``engine`` ("whisper", "vosk", "sphinx"; None: the best installed).

    Loading takes from a fraction of a second (PocketSphinx, Whisper tiny.en)
    to seconds (a Vosk model): the live coach calls this on a thread of its
    own, and asks for ``background`` decoding, so that a decode never holds
    up the count.
    """
    listener = make_listener(engine=engine, model=model, background=background)
    if background:  # the live coach: its loader does now what the first command would wait for
        warm_up(listener.engine)
    return listener


WARM_UP_SECONDS = 0.5


def warm_up(engine: Engine) -> None:
    """Decode half a second of silence once, where the recogniser is loaded.

    An engine's first decode is its slowest: Whisper's took 0.49 s live, against
    0.1-0.2 s for every later one, and the first command a person gave (a "stop"
    over the coach) was acted on that much later. Done on the loader's thread,
    before the decoding worker exists, it costs the person nothing.
    """
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


def make_listener(
    engine: str | None = None,
    model: str | None = None,
    vocabulary: Vocabulary | None = None,
    config: ListenerConfig | None = None,
    *,
    background: bool = False,
) -> Listener:
    """A Listener on the best engine installed, or on the one asked for.

    ``engine`` is "whisper", "vosk", "sphinx" or None. None picks Whisper when
    its packages and model are installed (the model's SHA-256 checked), Vosk
    when a Vosk model for the vocabulary's language is found (``model``,
    $COACH_VOSK_MODEL, a voice_models folder), and PocketSphinx otherwise.
    A Whisper model that fails its check is never loaded. Asked for by name
    (``engine``, or $COACH_WHISPER_MODEL), that is an error; as the default,
    another engine takes over, and ``Listener.fallback`` says why, for the
    command to say once.
    Loading takes 0.3-1 s (PocketSphinx, Whisper tiny.en) to seconds (a Vosk
    model); the runtime may call this on a thread (nothing here touches audio
    devices). ``background``: decode on a worker thread (the live coach).

    OpenBLAS is kept on one thread first, for every listener, so that
    ``coach hear``, the tests and the benchmark hear exactly as the live coach.
    The echo canceller solves small matrices every 10 ms (about 0.5 ms a block
    on one thread); split over OpenBLAS's worker threads, their busy-waiting
    between calls took the live coach from 23 % of a core while listening to
    83 % while it spoke (scripts/bench_live.py); without the canceller the echo
    gate alone let the coach's own lines through as commands (5 in 20 s of echo
    at 0.3), so it stays on. And OpenBLAS's thread count changes the last bit
    of a few of Whisper's log-mel features (0.03% of them for one recorded
    "up"), which with the pause's rule at the questions (before its limit:
    ``coach.speech_in.voice_activity``) turned that "up" into "Right, right,
    right," at "Which knee?" on one thread and not on several: a file heard
    with OpenBLAS on its own threads is not always heard as the live coach
    would hear it.
    """
    from coach.blas_threads import one_blas_thread
    from coach.commands.parser import load_vocabulary
    from coach.speech_in import ENGINES
    from coach.speech_in.listener import VOSK_CONFIG, WHISPER_CONFIG, Listener
    from coach.speech_in.models import find_vosk_model

    one_blas_thread()
    vocab = vocabulary or load_vocabulary()
    lang = (vocab.language or "en").split("-")[0]
    if engine not in (None, *ENGINES):
        raise CoachError(f"Unknown speech engine '{engine}'. Use {', '.join(ENGINES)}.")
    fallback = ""  # why Whisper, the default, is not used
    if engine == "whisper" or (engine is None and lang == "en" and model is None):
        from coach.speech_in.choice import closed_answers
        from coach.speech_in.whisper_choice import open_whisper

        whisper, fallback = open_whisper(engine, frozenset(vocab.number_words),
                                         answer_words=closed_answers(vocab),
                                         open_prompt=vocab.open_prompt,
                                         question_prompts=vocab.question_prompts,
                                         numbers_prompt=vocab.numbers_prompt)
        if whisper is not None:
            return Listener(whisper, vocab, config or WHISPER_CONFIG, background=background)
    if engine in (None, "vosk"):
        path = find_vosk_model(model, lang=lang)
        if path is not None:
            from coach.speech_in.vosk_engine import VoskEngine

            listener = Listener(VoskEngine(vocab, path), vocab, config or VOSK_CONFIG,
                                background=background)
            listener.fallback = fallback
            return listener
        if engine == "vosk":
            from coach.speech_in.models import FETCH_HINT

            raise CoachError(f"No Vosk model for '{lang}' was found. {FETCH_HINT}")
    from coach.speech_in.sphinx import SphinxEngine

    listener = Listener(SphinxEngine(vocab), vocab, config, background=background)
    listener.fallback = fallback
    return listener

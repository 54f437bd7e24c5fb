"""One "stop" is taken once: a "stop" whose utterance begins less than
``SAME_WORD_SECONDS`` after the last one ended is taken as the same word heard
again (live, one "stop" said over the coach was heard twice, 0.2 s apart, and
the second answered "End the session?" with yes); said again later, it counts.
"""

from __future__ import annotations

from coach.commands.intents import Intent
from coach.core.events import Heard
from coach.speech_in.engine import Hypothesis
from coach.speech_in.listener import SAME_WORD_SECONDS, Listener


class NoEngine:
    """The edge: this is about which decisions are taken, never about words."""

    name = "none"
    description = "none"

    def decode(self, *_args: object, **_kwargs: object) -> Hypothesis:
        return Hypothesis("", 0.0, False)


def decide(listener: Listener, intent: Intent, start: float, end: float) -> Heard | None:
    heard = Heard(intent, intent.value, 0.9, end)
    return listener._decide(heard, Hypothesis(intent.value, 0.9, True), "accepted", start, end, end)


def test_a_stop_begun_right_after_the_last_one_is_the_same_word() -> None:
    listener = Listener(NoEngine())  # type: ignore[arg-type]
    assert decide(listener, Intent.STOP, 1.0, 1.4) is not None
    assert decide(listener, Intent.STOP, 1.4 + SAME_WORD_SECONDS / 2, 2.2) is None
    assert listener.decisions[-1].reason == "same-word"


def test_said_again_later_or_another_word_counts() -> None:
    listener = Listener(NoEngine())  # type: ignore[arg-type]
    assert decide(listener, Intent.STOP, 1.0, 1.4) is not None
    assert decide(listener, Intent.PAIN, 1.5, 1.9) is not None  # "it hurts" right after: taken
    assert decide(listener, Intent.STOP, 4.0, 4.4) is not None  # a moment later: taken
    assert decide(listener, Intent.STOP, 4.4 + SAME_WORD_SECONDS * 2, 5.6) is not None


def test_a_new_stream_forgets_the_last_word() -> None:
    listener = Listener(NoEngine())  # type: ignore[arg-type]
    assert decide(listener, Intent.STOP, 1.0, 1.4) is not None
    listener.reset()
    assert decide(listener, Intent.STOP, 1.0, 1.4) is not None

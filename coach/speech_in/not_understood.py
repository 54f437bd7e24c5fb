"""An utterance the recogniser did not take, as the session's ``NotUnderstood`` event.

The Listener keeps a ``Decision`` for every utterance, with its reason. The
runtime turns each rejected one into a ``NotUnderstood`` so the session can
answer a person it did not understand. Whether there was speech is the
recogniser's own evidence: words written down for an utterance that passed
the wordless rules (long enough, voiced, not the coach's echo). Noise, clicks
and the echo are rejected before any words are looked for, so they never
have speech.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from coach.commands.parser import Vocabulary, load_vocabulary, parse
from coach.core.events import NotUnderstood
from coach.speech_in.transcript import command_text

if TYPE_CHECKING:
    from coach.speech_in.decision import Decision

# Reasons given after the engine wrote words down for voiced, echo-free sound.
WORDS_HEARD = frozenset({"not-a-command", "not-expected", "low-confidence", "not-a-number",
                         "not-an-answer"})
NO_SPEECH_MAX = 0.5  # the engine's own belief that there was no speech, above which there was none


@lru_cache(maxsize=1)
def _vocabulary() -> Vocabulary:
    return load_vocabulary()


def not_understood(decision: Decision, vocabulary: Vocabulary | None = None) -> NotUnderstood | None:
    """The event for a rejected ``decision``; None for one taken as a command."""
    if decision.heard is not None:
        return None
    hyp = decision.hypothesis
    text = hyp.text.strip()
    had_speech = (decision.reason in WORDS_HEARD and hyp.no_speech <= NO_SPEECH_MAX
                  and any(ch.isalnum() for ch in text))
    intent = number = None
    if decision.reason == "not-expected":
        vocab = vocabulary if vocabulary is not None else _vocabulary()
        parsed = parse(command_text(text, vocab, number_expected=True), vocab, spoken=True)
        if parsed is not None:
            intent, number = parsed.intent, parsed.number
    return NotUnderstood(decision.speech_end, decision.reason, had_speech, text, intent, number)

"""Whisper asked for, or Whisper by default: an error, or a reason to fall back.

A person asks for Whisper by name with ``--engine whisper`` or by naming a
model folder in ``$COACH_WHISPER_MODEL``. Then a model that cannot be used
(missing, changed, not pinned, its packages not installed) is an error with
the reason: they asked for it, and listening with something else instead
would hide that. When nobody named it, Whisper is only the default, and
another recogniser may take over, with the reason kept for the person to be
told once (``Listener.fallback``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from coach.errors import CoachError
from coach.speech_in.whisper_model import ENV_MODEL, checked_model

if TYPE_CHECKING:
    from coach.speech_in.whisper_engine import WhisperEngine


def named(engine: str | None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the person asked for Whisper by name (the flag, or a model in the environment)."""
    env = os.environ if environ is None else environ
    return engine == "whisper" or (engine is None and bool(env.get(ENV_MODEL, "").strip()))


def open_whisper(
    engine: str | None, number_words: frozenset[str] = frozenset(),
    environ: Mapping[str, str] | None = None, *, answer_words: Mapping[str, str] | None = None,
    open_prompt: str = "", question_prompts: Mapping[str, str] | None = None,
    numbers_prompt: str = "",
) -> tuple[WhisperEngine | None, str]:
    """The Whisper engine, or None and why it could not be used.

    Raises CoachError instead when Whisper was asked for by name.
    """
    try:
        from coach.speech_in.whisper_engine import WhisperEngine

        engine_ = WhisperEngine(checked_model(environ), number_words=number_words,
                                answer_words=answer_words, open_prompt=open_prompt,
                                question_prompts=question_prompts,
                                numbers_prompt=numbers_prompt)
        return engine_, ""
    except CoachError as exc:
        if named(engine, environ):
            raise
        return None, str(exc)

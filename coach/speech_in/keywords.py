"""A closed question's one-word answer told by the sound of the word itself.

Across a room Whisper tiny.en writes many a "left" as "Yeah", "Then" or
"Where?", and many a "go" as "Oh." or "Done.": the free transcript is
wrong, and so is the first word the decoder would choose. But the
encoder's states for the utterance (computed for that transcript anyway)
still tell the word apart: a linear model over them, pooled over the
utterance (the mean, the largest value and the spread of each of the 384
channels), trained on recordings said clean, in noise and across simulated
rooms, names the word among a few.

It is asked only after the transcript and the choice among the phrases
(coach.speech_in.choice) gave no command of the moment, and only for a
short utterance, said on its own (no speech in the second before it), that
Whisper wrote a few words for. At a question it can only give one of that
question's answers (``TAKEN`` that are among the moment's phrases; never
"yes", which ends the session); when the coach asked nothing (a set, a
rest) only "stop" (``UNASKED``), which asks "End the session?" first; and
only when the model is sure enough (its ``threshold``). The digits it has
heard in training are one class (``NUMBER``), never given as an answer but
used to refuse a one-word rating whose sound is surely no number
(``KeywordModel.no_number``, below ``number_floor``) and to take the number
Whisper writes for a word after the numbers (coach.speech_in.whisper_engine)
when its sound is surely a number (from ``number_sure``: "Same" for a
seven, "Thanks." for a six), or likely one and the number written with
confidence (from ``number_likely``, written with at least
``number_written``: "Bait" and "A. A." for an eight across a room):
``KeywordModel.number_needs``; everything else is its ``OTHER`` class. At
a question, an answer it knows (go, yes, no, left, right, stop) written
for a short utterance whose sound it finds surely ``OTHER``
(``KeywordModel.other_word``, from ``other_sure``) is not taken: across a
room Whisper writes "No." and "Go." for many a "down", "off" or "up". And
a "yes" that would end the session ("End the session?") is not taken
from a short utterance whose sound the model finds less than ``yes_floor``
likely a yes (``KeywordModel.not_yes``): across a room Whisper writes
"Yeah." for a "cat" or a "down" whose sound is under 1% "yes".

Its weights are data (``keywords.npz``), written by
``scripts/fit_keywords.py`` from the development speakers' recordings and
checked on the held-out ones; without the file no answer is told this way.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from coach.errors import CoachError
from coach.speech_in.shipped import shipped_bytes

# The answers the model may name (each a one-word phrase of a closed question),
# and the class for everything else it was trained on.
KEYWORDS = ("go", "yes", "no", "left", "right", "stop")
OTHER = "other"
# Any of the digits zero to nine: never an answer given this way alone (the model
# cannot tell one number from another), but a one-word transcript at the rating
# question that the sound says is surely no number ("One." for an "on", "Ten?"
# for a "down", "Three." for a "tree", written after "from zero to ten?") is
# not taken for a rating (``KeywordModel.no_number``), and one it says is surely
# or likely a number may be taken for the number Whisper writes for it after the
# numbers (``KeywordModel.number_needs``; coach.speech_in.whisper_engine).
NUMBER = "number"
# The answers it may give at a question: "yes" is a class the others are told
# apart from, but is never given this way, since at "End the session?" it ends
# the session.
TAKEN = ("go", "no", "left", "right")
# ... and when the coach asked nothing (a set, a rest): "stop" only, which asks
# "End the session?" and breaks off nothing else. Across a room Whisper writes
# many a "stop" as "Stuff", "Sarp" or nothing a command.
UNASKED = ("stop",)
# Encoder frames per second (Whisper: 100 feature frames a second, halved).
FRAMES_PER_SECOND = 50
# Only a short utterance with a short transcript (its words, a word written
# again and again counted once: "Yeah. Yeah. Yeah." is one) is told so: a
# sentence or a long stretch of sound is not a one-word answer, whatever it
# sounds like ("Let's have faith.", a piece of a sentence, was told "left").
MAX_SECONDS = 2.5
MAX_WORDS = 2
# ... and only a word said on its own: no speech ended in the second before it
# began. A piece of a sentence cut out by the pauses in it (a television, a
# person talking) can sound like an answer: 100 sentences said at the three
# questions, in a quiet room and across one, gave 12 answers this way, 7 of
# them begun 0.2-0.3 s after the piece before; with this rule and two words
# at most, 3 (in the quiet room, one at each question). The Listener knows the
# speech before each utterance (``Utterance.after_speech``);
# coach.speech_in.decoding applies the rule.
ALONE_SECONDS = 1.0


def pooled(encoded: np.ndarray, seconds: float) -> np.ndarray:
    """The encoder's states over the utterance (not the padding after it), pooled:
    each channel's mean, largest value and standard deviation, as one vector."""
    states = np.asarray(encoded, dtype=np.float32)
    if states.ndim == 3:
        states = states[0]
    n = max(1, min(states.shape[0], math.ceil(seconds * FRAMES_PER_SECOND) + 1))
    x = states[:n]
    return np.concatenate([x.mean(0), x.max(0), x.std(0)]).astype(np.float64)


@dataclass(frozen=True)
class KeywordModel:
    """Softmax regression over standardised pooled encoder states."""

    classes: tuple[str, ...]
    weights: np.ndarray  # (classes, features)
    bias: np.ndarray  # (classes,)
    mean: np.ndarray  # (features,)
    scale: np.ndarray  # (features,)
    threshold: float  # the probability an answer needs to be taken
    # Below this probability of ``NUMBER`` a one-word rating is no number (None:
    # the model does not say).
    number_floor: float | None = None
    # At or above it, the word is surely a number (None: the model does not say).
    number_sure: float | None = None
    # At or above it (and under ``number_sure``), the word is likely a number: the
    # number written for it after the numbers needs Whisper's confidence of at
    # least ``number_written`` (None: only what is surely a number is taken so).
    number_likely: float | None = None
    number_written: float | None = None
    # At or above this probability of ``OTHER``, the word is surely none of the
    # answers it knows (None: the model does not say).
    other_sure: float | None = None
    # Below this probability of "yes", the word is surely no yes (None: the model
    # does not say).
    yes_floor: float | None = None

    def probabilities(self, features: np.ndarray) -> dict[str, float]:
        z = self.weights @ ((features - self.mean) / self.scale) + self.bias
        z = np.exp(z - z.max())
        p = z / z.sum()
        return {c: float(v) for c, v in zip(self.classes, p)}

    def answer(self, features: np.ndarray, allowed: tuple[str, ...], *, asked: bool = True,
               ) -> tuple[str, float] | None:
        """The most likely of ``allowed`` (the moment's phrases; only ``TAKEN`` ones
        count at a question, ``UNASKED`` ones when nothing was asked), with its
        probability, when it reaches the threshold; None otherwise."""
        takes = TAKEN if asked else UNASKED
        names = [a for a in allowed if a in takes and a in self.classes]
        if not names:
            return None
        p = self.probabilities(features)
        best = max(names, key=lambda a: p[a])
        return (best, p[best]) if p[best] >= self.threshold else None

    def no_number(self, features: np.ndarray) -> bool:
        """Whether the word is surely no number: ``NUMBER`` less likely than the floor."""
        if self.number_floor is None or NUMBER not in self.classes:
            return False
        return self.probabilities(features)[NUMBER] < self.number_floor

    def other_word(self, features: np.ndarray) -> bool:
        """Whether the word is surely another word: ``OTHER`` at least ``other_sure``."""
        if self.other_sure is None:
            return False
        return self.probabilities(features)[OTHER] >= self.other_sure

    def not_yes(self, features: np.ndarray) -> bool:
        """Whether the word is surely no yes: "yes" less likely than ``yes_floor``."""
        if self.yes_floor is None or "yes" not in self.classes:
            return False
        return self.probabilities(features)["yes"] < self.yes_floor

    def number_needs(self, features: np.ndarray) -> float | None:
        """The confidence the number Whisper writes for the word after the numbers
        needs to be taken: none (0.0) when the word is surely a number,
        ``number_written`` when it is likely one, None when it is neither."""
        if self.number_sure is None or NUMBER not in self.classes:
            return None
        p = self.probabilities(features)[NUMBER]
        if p >= self.number_sure:
            return 0.0
        if self.number_likely is not None and self.number_written is not None \
                and p >= self.number_likely:
            return self.number_written
        return None


@lru_cache(maxsize=1)
def load_keyword_model() -> KeywordModel | None:
    """The shipped model, or None when there is none (nothing is then told this way).

    Raises CoachError when it is there but damaged: the engine that needs it
    then stands down with the reason, like a damaged recogniser model.
    """
    found = shipped_bytes("keywords.npz", "answer model")
    return None if found is None else parse_keyword_model(*found)


def parse_keyword_model(data: bytes, where: str = "keywords.npz") -> KeywordModel:
    """A model from keywords.npz's bytes (numpy arrays only: nothing is unpickled)."""
    damaged = f"The answer model {where} is damaged"
    if not data.startswith(b"PK\x03\x04"):  # an .npz is a zip archive of arrays
        raise CoachError(f"{damaged} (not an archive of arrays). Reinstall coach to restore it.")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            classes = tuple(str(c) for c in z["classes"])
            model = KeywordModel(
                classes=classes,
                weights=np.array(z["weights"], dtype=np.float64),
                bias=np.array(z["bias"], dtype=np.float64),
                mean=np.array(z["mean"], dtype=np.float64),
                scale=np.array(z["scale"], dtype=np.float64),
                threshold=float(z["threshold"]),
                number_floor=float(z["number_floor"]) if "number_floor" in z.files else None,
                number_sure=float(z["number_sure"]) if "number_sure" in z.files else None,
                number_likely=(float(z["number_likely"]) if "number_likely" in z.files
                               else None),
                number_written=(float(z["number_written"]) if "number_written" in z.files
                                else None),
                other_sure=float(z["other_sure"]) if "other_sure" in z.files else None,
                yes_floor=float(z["yes_floor"]) if "yes_floor" in z.files else None,
            )
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
        # numpy's word for an object array ("pickled data... load it unsafely") is
        # no advice to give: such a file is refused, never loaded.
        why = "it holds objects, not numbers" if "pickle" in str(exc) else str(exc)
        raise CoachError(f"{damaged} ({why}). Reinstall coach to restore it.") from exc
    k, d = len(model.classes), model.mean.shape[0] if model.mean.ndim == 1 else -1
    shapes_ok = (d > 0 and model.weights.shape == (k, d) and model.bias.shape == (k,)
                 and model.scale.shape == (d,) and OTHER in model.classes
                 and len(set(model.classes)) == k)
    numbers = (model.weights, model.bias, model.mean, model.scale)
    if (not shapes_ok or not all(np.all(np.isfinite(a)) for a in numbers)
            or np.any(model.scale <= 0) or not 0.0 < model.threshold <= 1.0
            or not all(0.0 < v < 1.0 and NUMBER in model.classes
                       for v in (model.number_floor, model.number_sure) if v is not None)
            or (model.number_floor is not None and model.number_sure is not None
                and model.number_sure <= model.number_floor)
            or not _likely_fits(model)
            or (model.other_sure is not None and not 0.5 <= model.other_sure < 1.0)
            or (model.yes_floor is not None and not 0.0 < model.yes_floor < 0.5)):
        raise CoachError(f"{damaged} (its arrays do not fit together, a weight is not a number, "
                         "or a threshold is outside 0-1). Reinstall coach to restore it.")
    return model


def _likely_fits(model: KeywordModel) -> bool:
    """Whether the likely-a-number bar and its confidence fit the model: both or
    neither, probabilities, the bar between the floor and ``number_sure``."""
    likely, written = model.number_likely, model.number_written
    if likely is None and written is None:
        return True
    if likely is None or written is None or model.number_sure is None:
        return False
    floor = model.number_floor if model.number_floor is not None else 0.0
    return floor < likely < model.number_sure and 0.0 < written < 1.0

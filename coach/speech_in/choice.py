"""A closed question answered as a choice among its few phrases, not as a transcript.

At "How is your knee, from zero to ten?" the answer is one of eleven
numbers; at "End the session?" yes or no; at "Which knee?" left or right.
When Whisper's free transcript is no command of the moment ("Bye", "Porn",
"Text"), each of the moment's one-word answers (numbers, yes/no, left/right,
go: ``closed_answers``; stop, repeat and the like are left to the
transcript) is scored by how likely the
decoder found it as the first word of the answer (the same decoding step
that wrote the transcript, so it costs nothing more), and a small logistic
model decides whether the best one was said:

- ``best``: log-probability of the best phrase (its spellings summed:
  " Five", "five", " 5", ...);
- ``margin``: ``best`` minus the runner-up's;
- ``behind``: ``best`` minus the log-probability of the word the free
  decode chose (0 when it chose the phrase);
- ``no_speech``: Whisper's own probability that there was no speech;
- ``seconds``: the utterance's length (pre-roll included);
- ``near``: how near the free transcript sounds to the phrase (0..1, on a
  rough phonetic key: "Bye" is far from five, "File" near it);
- ``confidence``: the free decode's mean token log-probability.

Its coefficients are data (``choice.yaml``), written by
``scripts/fit_choice.py`` from the development speakers' recordings and
checked there on the held-out speakers. The threshold on its probability is
chosen in the same script for each kind of answer (``GROUPS``: a number,
yes, no, left or right, go), so that other words, sentences and noise said
at that question stay nothing: few words sound like "left" or "go", many
like a number ("on", "tree"), so one threshold for all was set by the
numbers and lost "left"s and "go"s that nothing else competes with. "yes"
keeps the cautious default, since it can end the session; so does any
choice made when the coach asked nothing (the thresholds were measured at
the questions), except "stop" while counting or resting (``UNASKED``): its
threshold was measured there, against other words, sentences and noise
said mid-set. Whisper writes some "stop"s as "step", "Stole" or "Can you
stop?" (across a room its last sound is lost in the echo) while still
finding " Stop" a likely first word; a false stop only asks "End the session?".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

import yaml

from coach.commands.parser import Vocabulary
from coach.errors import CoachError
from coach.speech_in.shipped import shipped_bytes

# The intents that may be chosen (numbers: the vocabulary's number words), each
# with its kind of answer, by which the choice's threshold is set; other commands
# (repeat, help, next...) are left to the transcript.
GROUPS = {"number": "number", "yes": "yes", "no": "no", "left": "side", "right": "side", "go": "go",
          "stop": "stop"}
# The kinds of answer chosen only when the coach asked nothing (a set, a rest), with
# the threshold measured there: "stop" said while counting, which Whisper may write
# "step" or "Stole". At a question the answer is the question's, and stop is left
# to the transcript there, as before.
UNASKED = frozenset({"stop"})

FEATURES = ("best", "margin", "behind", "no_speech", "seconds", "near", "confidence")

# Sounds confused at a distance or in a cut-off word, folded together.
_FOLD = str.maketrans({"b": "p", "d": "t", "g": "k", "v": "f", "z": "s", "c": "k", "q": "k",
                       "x": "k", "j": "k", "y": "i", "w": "u", "e": "i", "o": "u", "a": "i"})


def phonetic_key(text: str) -> str:
    """A rough sound key: letters only, like sounds folded, doubled letters once."""
    letters = "".join(ch for ch in text.lower() if ch.isalpha())
    if letters.startswith(("ph", "wh", "kn")):
        letters = {"ph": "f", "wh": "w", "kn": "n"}[letters[:2]] + letters[2:]
    folded = letters.translate(_FOLD).replace("h", "")
    out: list[str] = []
    for ch in folded:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def nearness(heard: str, phrase: str) -> float:
    """0..1: how alike ``heard`` and ``phrase`` sound, by their phonetic keys."""
    a, b = phonetic_key(heard), phonetic_key(phrase)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


def chosen_at(kind: str, *, asked: bool) -> bool:
    """Whether an answer of ``kind`` is among the choices (at a question: not ``UNASKED``)."""
    return not (asked and kind in UNASKED)


def threshold_kind(kind: str | None, *, asked: bool) -> str | None:
    """The kind whose threshold an answer of ``kind`` needs: its own at a question,
    where the thresholds were measured; with nothing asked only ``UNASKED`` kinds
    keep theirs, the rest need the default (None)."""
    return kind if asked or kind in UNASKED else None


def closed_answers(vocab: Vocabulary) -> dict[str, str]:
    """The one-word phrases that may be chosen (numbers, yes/no, left/right, go; stop
    when nothing was asked: ``UNASKED``), each with its kind of answer (``GROUPS``)."""
    not_spoken = set(vocab.not_spoken)
    return {p: GROUPS[intent.value] for intent, ps in vocab.phrases().items()
            if intent.value in GROUPS for p in ps if len(p.split()) == 1 and p not in not_spoken}


@dataclass(frozen=True)
class ChoiceModel:
    """Logistic regression over ``FEATURES`` (standardised) and its thresholds."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float  # for a kind of answer without its own
    thresholds: Mapping[str, float] = field(default_factory=dict)  # by GROUPS' kind

    def threshold_for(self, group: str | None) -> float:
        """The probability an answer of this kind needs to be taken."""
        return self.thresholds.get(group or "", self.threshold)

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias
        for name, w, m, s in zip(FEATURES, self.weights, self.mean, self.scale):
            z += w * (features[name] - m) / s
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


@lru_cache(maxsize=1)
def load_choice_model() -> ChoiceModel | None:
    """The shipped model, or None when there is none (no choice is then made).

    Raises CoachError when it is there but damaged: the engine that needs it
    then stands down with the reason, like a damaged recogniser model.
    """
    found = shipped_bytes("choice.yaml", "answer-choice model")
    if found is None:
        return None
    data, where = found
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CoachError(f"The answer-choice model {where} cannot be read ({exc}). "
                         "Reinstall coach to restore it.") from exc
    return parse_choice_model(text, where)


def parse_choice_model(text: str, where: str = "choice.yaml") -> ChoiceModel | None:
    """A model from choice.yaml's text; None when it has no weights."""
    try:
        data = yaml.safe_load(text) or {}
        if not isinstance(data, dict):
            raise TypeError("not a mapping")
        if not data.get("weights"):
            return None
        model = ChoiceModel(
            weights=tuple(float(data["weights"][f]) for f in FEATURES),
            bias=float(data["bias"]),
            mean=tuple(float(data["mean"][f]) for f in FEATURES),
            scale=tuple(float(data["scale"][f]) for f in FEATURES),
            threshold=float(data["threshold"]),
            thresholds={str(k): float(v) for k, v in (data.get("thresholds") or {}).items()},
        )
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise CoachError(f"The answer-choice model {where} is damaged (not valid YAML{at}). "
                         "Reinstall coach to restore it.") from exc
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CoachError(f"The answer-choice model {where} is damaged (a value missing or "
                         f"wrong: {exc}). Reinstall coach to restore it.") from exc
    numbers = (*model.weights, model.bias, *model.mean, *model.scale)
    limits = (model.threshold, *model.thresholds.values())
    if (not all(math.isfinite(x) for x in numbers) or any(s <= 0 for s in model.scale)
            or not all(0.0 < t <= 1.0 for t in limits)):
        raise CoachError(f"The answer-choice model {where} is damaged (a weight is not a "
                         "number, or a threshold is outside 0-1). Reinstall coach to restore it.")
    return model


def features(
    scores: dict[str, float], free_first: float, free_text: str, *, no_speech: float,
    seconds: float, confidence: float,
) -> tuple[str, dict[str, float]] | None:
    """The best phrase of ``scores`` (log-probabilities) and the features for the model."""
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best_phrase, best = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else best - 20.0
    return best_phrase, {
        "best": best,
        "margin": min(20.0, best - second),
        "behind": min(0.0, best - free_first),
        "no_speech": no_speech,
        "seconds": seconds,
        "near": nearness(free_text, best_phrase),
        "confidence": max(-10.0, confidence),
    }

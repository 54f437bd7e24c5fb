"""Recogniser grammars built from the command vocabulary (data, never code).

Every engine hears only the phrases of ``coach/commands/vocabulary.yaml`` (or
another language's file), so changing the words a person may say is an edit
to that file. Fillers ("um", "please") are left out on purpose: each extra
word is one more way for background speech to look like a command.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

from coach.commands.intents import Intent
from coach.commands.parser import Vocabulary

JSGF_RESERVED = frozenset({"public", "import", "grammar"})


def command_phrases(vocab: Vocabulary) -> tuple[str, ...]:
    """Every phrase a recogniser should listen for, sorted, no duplicates.

    The vocabulary's ``not_spoken`` phrases are left out: they sound too much
    like other commands for a recogniser, and stay understood when typed. So
    are its ``not_in_grammars`` phrases, which only Whisper listens for.
    """
    found: set[str] = set()
    for intent, phrases in vocab.phrases().items():
        if intent is Intent.CHOOSE:
            continue  # routine names: heard by Whisper's free transcript, or typed
        found.update(p for p in phrases
                     if p and p not in vocab.not_spoken and p not in vocab.not_in_grammars)
    return tuple(sorted(found))


def narrowed(phrases: tuple[str, ...], wanted: Iterable[str] | None) -> tuple[str, ...]:
    """The engine's ``phrases`` that are in ``wanted`` (None: all), in their order."""
    if wanted is None:
        return phrases
    keep = set(wanted)
    return tuple(p for p in phrases if p in keep)


def phrase_words(phrases: Iterable[str]) -> set[str]:
    return {w for p in phrases for w in p.split()}


def pick_garbage_words(
    pronunciations: dict[str, str], avoid: set[str], count: int, seed: int = 7
) -> tuple[str, ...]:
    """Ordinary words that absorb speech which is not a command.

    A grammar that can only say commands will force any sound onto the nearest
    command. Offering it a fixed, seeded sample of short everyday words (one to
    two syllables) gives "bed" or "cat" somewhere better to go. A word about
    one sound away from a command word ("staat" from "stop") is left out: it
    would steal the command itself. The sample is drawn from the pronouncing
    dictionary, not from any test recording.
    """
    near = _near_set(pronunciations[w].split() for w in avoid if w in pronunciations)
    candidates = sorted(
        w
        for w, pron in pronunciations.items()
        if w.isalpha()
        and w not in avoid
        and w not in JSGF_RESERVED
        and 2 <= len(pron.split()) <= 5
        and not near & _variants(pron.split())
    )
    if len(candidates) <= count:
        return tuple(candidates)
    return tuple(sorted(random.Random(seed).sample(candidates, count)))


def _variants(phones: list[str]) -> set[tuple[str, ...]]:
    """The sequence itself, with any one phone deleted, and with any one phone a wildcard.

    The sets of two sequences meet when they are one edit apart (a swap, an
    insertion or a deletion), or when deleting one phone from each makes them
    equal: both count as sounding alike.
    """
    out = {tuple(phones)}
    for i in range(len(phones)):
        out.add(tuple(phones[:i] + phones[i + 1 :]))
        out.add(tuple(phones[:i] + ["*"] + phones[i + 1 :]))
    return out


def _near_set(prons: Iterable[list[str]]) -> set[tuple[str, ...]]:
    near: set[tuple[str, ...]] = set()
    for phones in prons:
        near |= _variants(phones)
    return near


def to_token(word: str) -> str:
    """The JSGF token for a word: PocketSphinx's JSGF reader takes no apostrophes."""
    return word.replace("'", "_")


def from_token(word: str) -> str:
    return word.replace("_", "'")


def jsgf(
    phrases: Iterable[str],
    garbage: Iterable[str] = (),
    garbage_weight: float = 1.0,
    garbage_pairs: bool = True,
) -> str:
    """A JSGF grammar: one command phrase, or one (or two) garbage words."""
    cmd = " | ".join(" ".join(to_token(w) for w in p.split()) for p in phrases)
    rules = ["#JSGF V1.0;", "grammar coach;"]
    garbage = tuple(garbage)
    if garbage:
        w = garbage_weight
        pair = f" | /{w * w:g}/ (<garbage> <garbage>)" if garbage_pairs else ""
        rules.append(f"public <utt> = /1/ <cmd> | /{w:g}/ <garbage>{pair};")
        rules.append(f"<garbage> = {' | '.join(garbage)};")
    else:
        rules.append("public <utt> = <cmd>;")
    rules.append(f"<cmd> = {cmd};")
    return "\n".join(rules) + "\n"

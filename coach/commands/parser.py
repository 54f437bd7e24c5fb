"""From text (typed, or a recogniser's best guess) to a command.

A command is a whole utterance: one phrase from the vocabulary, said on its
own, possibly wrapped in fillers ("um, next please") or repeated ("stop stop").
Anything else is ordinary speech and gives ``None``: the person talking to
someone else in the room, or a radio, must not drive the session. This is why
matching is on the whole token sequence and never on a word found inside a
sentence.

The phrases are data (``vocabulary.yaml``); a vocabulary in another language
is another file with the same keys, read by the same code.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from coach.commands.intents import Intent
from coach.errors import CoachError
from coach.regular_files import NotAFileError, open_regular

BUNDLED = Path(__file__).with_name("vocabulary.yaml")

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_NOT_WORD = re.compile(r"[^\w' ]+")


def normalize(text: str) -> tuple[str, ...]:
    """Lower-case words with punctuation removed (apostrophes kept: "that's")."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES).casefold()
    text = _NOT_WORD.sub(" ", text)
    return tuple(w.strip("'") for w in text.split() if w.strip("'"))


@dataclass(frozen=True)
class ParsedCommand:
    intent: Intent
    number: int | None  # when intent is NUMBER: the value said, which may be out of 0..10
    text: str  # the input, as given


@dataclass(frozen=True)
class Vocabulary:
    """Phrases per intent, spoken numbers and fillers, already normalised."""

    language: str
    intent_phrases: Mapping[Intent, tuple[tuple[str, ...], ...]]
    number_words: Mapping[str, int]  # "seven" -> 7
    number_prefix_words: frozenset[str]
    number_suffix_words: frozenset[str]
    fillers: frozenset[str]
    source: str = "<memory>"  # the file it came from, for messages
    not_spoken: frozenset[str] = frozenset()  # phrases understood typed, left out of grammars
    # Numbers that are not a rating but are still numbers ("eleven", "minus"),
    # so that "eleven" is answered with the range instead of being ignored.
    numbers_beyond: Mapping[str, int] = field(default_factory=dict)
    negative_words: frozenset[str] = frozenset()
    # How a routine's name may be said to choose it ("the {name} routine"); the
    # names themselves come from the program files (``with_names``).
    choose_forms: tuple[str, ...] = ()

    def with_names(self, names: Iterable[str]) -> Vocabulary:
        """This vocabulary, where each of ``names`` said in a ``choose_forms`` form
        is the ``choose`` command. A phrase that is already a command stays one."""
        phrases = dict(self.intent_phrases)
        found: list[tuple[str, ...]] = list(phrases.get(Intent.CHOOSE, ()))
        for name in names:
            for form in self.choose_forms:
                words = normalize(form.replace("{name}", name))
                if words and words not in found:
                    found.append(words)
        if found:
            phrases[Intent.CHOOSE] = tuple(found)
        return replace(self, intent_phrases=phrases)
    # Phrases heard by a recogniser that writes down what it hears (Whisper),
    # left out of the grammar engines' lists (PocketSphinx, Vosk).
    not_in_grammars: frozenset[str] = frozenset()
    # What a transcribing recogniser (Whisper) is told came just before, when
    # the coach asked nothing: the commands of a set, so that a word like
    # "pause" is written as the command rather than as "Paul's" or "paws".
    open_prompt: str = ""
    # What a transcribing recogniser is told came just before a rating it could not
    # write as a number, when the rating is decoded again: the numbers.
    numbers_prompt: str = ""
    # What a transcribing recogniser is told came just before the answer to a
    # question, where the question as the coach says it is not the best text to
    # put there: the question's words (spaces collapsed) -> that text.
    question_prompts: Mapping[str, str] = field(default_factory=dict)
    # How a transcribing recogniser spells a command it did not catch whole
    # ("Start." for "stop"), taken for it only where the session says so
    # (``Listen.sound_alikes``): phrase (as words) -> intent.
    heard_as: Mapping[tuple[str, ...], Intent] = field(default_factory=dict)

    def sound_alike(self, words: Sequence[str], intents: Collection[Intent]) -> Intent | None:
        """The intent of ``intents`` that ``words`` (the whole utterance) is a spelling of."""
        intent = self.heard_as.get(tuple(words))
        return intent if intent is not None and intent in intents else None

    def phrases(self) -> dict[Intent, tuple[str, ...]]:
        """Every phrase as text, by intent; NUMBER lists the number words."""
        out = {i: tuple(" ".join(p) for p in ps) for i, ps in self.intent_phrases.items()}
        by_value = sorted(self.number_words.items(), key=lambda kv: kv[1])
        out[Intent.NUMBER] = tuple(word for word, _ in by_value)
        return out

    def words(self) -> set[str]:
        """Every word a recogniser grammar needs to hear all commands and fillers."""
        found: set[str] = set()
        for phrases in self.intent_phrases.values():
            for phrase in phrases:
                if " ".join(phrase) not in self.not_in_grammars:
                    found.update(phrase)
        found.update(self.number_words)
        found.update(self.number_prefix_words)
        found.update(self.number_suffix_words)
        found.update(self.fillers)
        return found

    @functools.cached_property
    def lookup(self) -> dict[tuple[str, ...], Intent]:
        """Phrase (as words) to intent, built once per vocabulary."""
        table: dict[tuple[str, ...], Intent] = {}
        for intent, phrases in self.intent_phrases.items():
            for phrase in phrases:
                table.setdefault(phrase, intent)
        return table

    @functools.cached_property
    def spoken_lookup(self) -> dict[tuple[str, ...], Intent]:
        """The phrases a recogniser may return: ``not_spoken`` look-alikes left out."""
        return {k: v for k, v in self.lookup.items() if " ".join(k) not in self.not_spoken}


def load_vocabulary(path: Path | str | None = None) -> Vocabulary:
    """Read a vocabulary file (the bundled English one by default)."""
    file = Path(path) if path is not None else BUNDLED
    try:
        with open_regular(file) as f:
            raw = yaml.safe_load(f.read().decode("utf-8"))
    except NotAFileError as exc:
        raise CoachError(exc.message) from None
    except UnicodeDecodeError:
        raise CoachError(f"{file}: the vocabulary is not UTF-8 text; save it as UTF-8.") from None
    except OSError as exc:
        raise CoachError(
            f"{file}: cannot read the command vocabulary ({exc.strerror}). "
            "Check the path, or leave it out to use the bundled English one."
        ) from exc
    except yaml.YAMLError as exc:
        raise CoachError(f"{file}: not valid YAML: {exc}. Fix the file and try again.") from exc
    vocabulary = vocabulary_from_data(raw, source=str(file))
    if path is None:
        from coach.commands.routine_names import bundled_routine_names

        vocabulary = vocabulary.with_names(bundled_routine_names())
    return vocabulary


def vocabulary_from_data(raw: Any, *, source: str = "<memory>") -> Vocabulary:
    """Build a Vocabulary from parsed YAML, with messages that name the field."""
    if not isinstance(raw, dict):
        raise CoachError(f"{source}: expected a mapping with 'intents' and 'numbers'.")
    intents_raw = raw.get("intents")
    if not isinstance(intents_raw, dict) or not intents_raw:
        raise CoachError(f"{source}: 'intents' must map intent names to lists of phrases.")
    known = {i.value: i for i in Intent if i is not Intent.NUMBER}
    intent_phrases: dict[Intent, tuple[tuple[str, ...], ...]] = {}
    for name, phrases in intents_raw.items():
        key = str(name).lower() if not isinstance(name, bool) else ("yes" if name else "no")
        if key not in known:
            raise CoachError(
                f"{source}: intents.{name}: unknown intent; expected one of "
                f"{', '.join(sorted(known))}."
            )
        intent_phrases[known[key]] = _phrase_list(phrases, f"{source}: intents.{name}")
    owner: dict[tuple[str, ...], Intent] = {}
    for intent, phrases in intent_phrases.items():
        for phrase in phrases:
            first = owner.setdefault(phrase, intent)
            if first is not intent:  # one of the two would never be heard
                raise CoachError(f"{source}: intents.{intent.value}: '{' '.join(phrase)}' is "
                                 f"already a phrase of {first.value}; keep it under one intent.")
    numbers_raw = raw.get("numbers") or {}
    if not isinstance(numbers_raw, dict):
        raise CoachError(f"{source}: 'numbers' must map 0..10 to lists of words.")
    number_words: dict[str, int] = {}
    for value, words in numbers_raw.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10:
            raise CoachError(f"{source}: numbers.{value}: expected a whole number 0 to 10.")
        for phrase in _phrase_list(words, f"{source}: numbers.{value}"):
            number_words[" ".join(phrase)] = value
    beyond_raw = raw.get("numbers_beyond") or {}
    if not isinstance(beyond_raw, dict):
        raise CoachError(f"{source}: 'numbers_beyond' must map numbers to lists of words.")
    numbers_beyond: dict[str, int] = {}
    for value, words in beyond_raw.items():
        if not isinstance(value, int) or isinstance(value, bool) or 0 <= value <= 10:
            raise CoachError(
                f"{source}: numbers_beyond.{value}: expected a whole number outside 0 to 10.")
        for phrase in _phrase_list(words, f"{source}: numbers_beyond.{value}"):
            numbers_beyond[" ".join(phrase)] = value
    not_in_grammars = _phrase_set(raw.get("not_in_grammars"), f"{source}: not_in_grammars")
    every = {" ".join(p) for ps in intent_phrases.values() for p in ps}
    stray = sorted(not_in_grammars - every)
    if stray:
        raise CoachError(f"{source}: not_in_grammars: '{stray[0]}' is no intent's phrase; "
                         "list it under its intent, or remove it here.")
    not_spoken = _phrase_set(raw.get("not_spoken"), f"{source}: not_spoken")
    heard_as = _heard_as(raw.get("heard_as"), known, every - not_spoken, f"{source}: heard_as")
    return Vocabulary(
        language=str(raw.get("language", "")),
        intent_phrases=intent_phrases,
        number_words=number_words,
        number_prefix_words=_word_set(raw.get("number_prefix_words"), source),
        number_suffix_words=_word_set(raw.get("number_suffix_words"), source),
        fillers=_word_set(raw.get("fillers"), source),
        source=source,
        not_spoken=not_spoken,
        numbers_beyond=numbers_beyond,
        negative_words=_word_set(raw.get("negative_words"), source),
        choose_forms=_forms(raw.get("choose_forms"), f"{source}: choose_forms"),
        not_in_grammars=not_in_grammars,
        open_prompt=_text(raw.get("open_prompt"), f"{source}: open_prompt"),
        numbers_prompt=_text(raw.get("numbers_prompt"), f"{source}: numbers_prompt"),
        question_prompts=_question_prompts(raw.get("question_prompts"),
                                           f"{source}: question_prompts"),
        heard_as=heard_as,
    )


def _heard_as(value: Any, known: Mapping[str, Intent], spoken: set[str],
              where: str) -> dict[tuple[str, ...], Intent]:
    """``heard_as``: intent name -> spellings, none of them a spoken command
    (a typed-only one, like "start", may be)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CoachError(f"{where}: expected intent names, each with a list of spellings.")
    out: dict[tuple[str, ...], Intent] = {}
    for name, spellings in value.items():
        if str(name).lower() not in known:
            raise CoachError(f"{where}.{name}: unknown intent; expected one of "
                             f"{', '.join(sorted(known))}.")
        for words in _phrase_list(spellings, f"{where}.{name}"):
            if " ".join(words) in spoken:
                raise CoachError(f"{where}.{name}: '{' '.join(words)}' is already a spoken "
                                 "command; a spelling taken for another command must be none.")
            out[words] = known[str(name).lower()]
    return out


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CoachError(f"{where}: expected one line of text.")
    return " ".join(value.split())


def _question_prompts(value: Any, where: str) -> dict[str, str]:
    """``question_prompts``: a question, as the coach says it -> what the recogniser is told."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CoachError(f"{where}: expected questions, each with the one line of text to use.")
    out: dict[str, str] = {}
    for question, prompt in value.items():
        said = " ".join(question.split()) if isinstance(question, str) else ""
        told = " ".join(prompt.split()) if isinstance(prompt, str) else ""
        if not said or not told:
            raise CoachError(f"{where}: expected questions, each with the one line of text to use;"
                             f" '{question}' has {prompt!r}.")
        out[said] = told
    return out


def _forms(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and "{name}" in v
                                               for v in value):
        raise CoachError(f"{where}: expected a list of phrases, each with {{name}} in it.")
    return tuple(value)


def _phrase_list(value: Any, where: str) -> tuple[tuple[str, ...], ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise CoachError(f"{where}: expected a non-empty list of phrases.")
    out = []
    for item in value:
        if isinstance(item, bool):
            item = "yes" if item else "no"  # YAML 1.1 reads a bare yes/no as a boolean
        words = normalize(str(item))
        if not words:
            raise CoachError(f"{where}: {item!r} has no words.")
        out.append(words)
    return tuple(out)


def _phrase_set(value: Any, where: str) -> frozenset[str]:
    if not value:
        return frozenset()
    return frozenset(" ".join(words) for words in _phrase_list(value, where))


def _word_set(value: Any, source: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise CoachError(f"{source}: expected a list of words, got {value!r}.")
    return frozenset(w for item in value for w in normalize(str(item)))


# A rating written the usual ways: "7/10", "7 / 10", "7 out of 10" (the "of ten"
# is then matched as suffix words), a decimal ("7.5"), a sign ("-1").
_OUT_OF_TEN = re.compile(r"\s*(?:/|\bout\s+of\b|\bof\b)\s*(?:10|ten)\b", re.IGNORECASE)
_DECIMAL = re.compile(r"(?<![\w.])(\d+)[.,](\d+)(?![\w.])")
_SIGNED = re.compile(r"(?<![\w])-\s*(\d+)")


def numbers_written(text: str) -> str:
    """Fractions of ten, decimals and signs as words the matcher reads.

    A decimal rating counts as the next whole number up ("7.5" is 8): pain
    is never rounded down. A sign becomes "minus", so "-1" is out of range
    rather than taken as 1.
    """
    text = _OUT_OF_TEN.sub(" out of ten", text)
    text = _DECIMAL.sub(lambda m: str(math.ceil(float(f"{m[1]}.{m[2]}"))), text)
    return _SIGNED.sub(lambda m: f" minus {m[1]}", text)


def parse(text: str, vocab: Vocabulary, *, spoken: bool = False) -> ParsedCommand | None:
    """The command in ``text``, or None when it is not a command on its own.

    ``spoken``: the text came from a recogniser, so phrases that are only
    understood typed (``not_spoken`` look-alikes such as "what" or "ow") are
    not commands.
    """
    tokens = normalize(numbers_written(text))
    if not tokens:
        return None
    table = vocab.spoken_lookup if spoken else vocab.lookup
    for candidate in (tokens, tuple(t for t in tokens if t not in vocab.fillers)):
        if not candidate:
            continue
        intent = _match_phrase(candidate, table)
        if intent is not None:
            return ParsedCommand(intent, None, text)
        number = _match_number(candidate, vocab)
        if number is not None:
            return ParsedCommand(Intent.NUMBER, number, text)
    return None


def _match_phrase(
    tokens: tuple[str, ...], table: Mapping[tuple[str, ...], Intent]
) -> Intent | None:
    """The phrase, alone or repeated ("stop stop stop")."""
    if tokens in table:
        return table[tokens]
    for size in range(1, len(tokens) // 2 + 1):
        if len(tokens) % size:
            continue
        unit = tokens[:size]
        if unit in table and tokens == unit * (len(tokens) // size):
            return table[unit]
    return None


def _number_value(token: str, vocab: Vocabulary) -> int | None:
    value = vocab.number_words.get(token)
    if value is None:
        value = vocab.numbers_beyond.get(token)
    if value is None and token.isascii() and token.isdigit():
        value = int(token[-6:]) if len(token) > 6 else int(token)  # out of range either way
    return value


def _match_number(tokens: Sequence[str], vocab: Vocabulary) -> int | None:
    """prefix words, one number (word or digits), suffix words: "pain seven out of ten".

    The value may be out of 0..10 ("eleven", "minus one"): the session answers
    those with the range, instead of ignoring them.
    """
    sign = 1
    for i, token in enumerate(tokens):
        value = _number_value(token, vocab)
        if value is None:
            if token in vocab.negative_words and sign == 1:
                sign = -1
                continue
            if token in vocab.number_prefix_words and sign == 1:
                continue
            return None
        if all(t in vocab.number_suffix_words for t in tokens[i + 1 :]):
            return sign * value
        return None
    return None

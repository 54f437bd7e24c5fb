"""Whisper adapter: the embedded English engine (tiny.en through CTranslate2).

Whisper transcribes freely: a word that is not a command comes out as itself
("cat", "up") and the parser rejects it, where a grammar engine would force it
onto the nearest command. It is also told the question the coach just asked
(as Whisper's "previous text"), which steers "for" towards "four" after "How
is your knee, from zero to ten?". Where the vocabulary names better words
to be heard after (``question_prompts``), it is told those instead: after
"Which knee hurts, left or right?" it wrote "Right?" for "left"s said
across a room, and after "Left or right?" alone it hears more of both.

One utterance (the Listener's voice activity detection has already cut it out,
with a little audio before it) is decoded like this:

- zero-padded to ``window_seconds`` (5 s) rather than Whisper's 30 s window:
  the encoder's cost grows with the window, and a command lasts under 2 s;
- log-mel features as Whisper computes them (faster-whisper's extractor);
- the prompt ``<|startofprev|> question <|startoftranscript|> <|notimestamps|>``
  (with ``<|en|><|transcribe|>`` for a multilingual model);
- greedy decoding of at most ``max_new_tokens`` (6) tokens: a command is at
  most four words, and a short window makes Whisper repeat a word ("Yes.
  Yes. Yes."), which the transcript rules collapse; a transcript that
  reaches the limit without being such a repetition is refused;
- the result: the text, the mean log-probability of its tokens (the
  confidence is its exponential) and Whisper's own probability that there
  was no speech at all;
- where the question was told other words (``question_prompts``) and the
  text begins with one of them, the utterance decoded again after the
  question as said, which may overrule it (``_checked_against_question``);
- when that text is no command the moment expects, ``rescues`` make the
  answer a choice among the moment's likely one-word phrases
  (``listen_for``): each is scored by the free decode's own first step,
  and ``coach.speech_in.choice`` decides whether the best was said; failing
  that, at a question, ``coach.speech_in.keywords`` may tell the answer
  (go, no, left or right) from the encoder's states themselves; when
  the coach asked nothing (a set, a rest), the utterance is decoded again
  with the set's commands as previous text (the vocabulary's
  ``open_prompt``), and that answer is taken when it sounds like the first,
  and failing that the keyword model may tell a "stop";
- at the rating question, a one-word transcript whose sound the keyword
  model finds surely no number is marked ``no_number``, and the Judge does
  not take a number from it ("One." written for an "on"); and when
  nothing else was taken and the keyword model finds the word's sound
  surely a number, or likely one, the utterance is decoded again with the
  numbers as the text before it (the vocabulary's ``numbers_prompt``) and
  the number written then is taken, for a word only likely a number when
  Whisper writes it with confidence ("Same" for a seven, "Thanks." for a
  six, "Bait" for an eight: ``_number_by_sound``);
- at any question, a short transcript whose sound the keyword model finds
  surely another word is marked ``other_word``, and the Judge takes none of
  the question's answers the model knows from it ("No." written for a
  "down" after "End the session?"), and one whose sound it finds surely
  no yes is marked ``not_yes``, and the Judge takes no yes that would end
  the session from it ("Yeah." written for a "cat").

Measured on the development recordings (README, "Speech recognition"): the
question as previous text gained 5.7 points of commands; thresholds on the
no-speech probability or the mean log-probability alone only cost correct
answers, so the Listener does not use them for Whisper (the choice weighs
them with the rest). The choice took ratings at 10 dB from 67.5% to 75%
(quick subset); it recovers fewer "left"s than the constrained second
decode it replaced did, which also made numbers of other words. Since
2026-12-05 each kind of answer has its own threshold at its question (a
"left" or a "go" at 0.5, "yes" at 0.75; coach.speech_in.choice), and a
choice made when nothing was asked needs the model's default (0.75).

CTranslate2 runs ``threads`` threads (one by default), so that decoding on
the Listener's worker leaves the other core to the audio and the count.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import numpy as np

from coach.audio.format import RATE_HZ
from coach.errors import CoachError
from coach.speech_in.choice import (
    ChoiceModel,
    chosen_at,
    features,
    load_choice_model,
    nearness,
    threshold_kind,
)
from coach.speech_in.engine import EngineBase, Hypothesis
from coach.speech_in.keywords import (
    MAX_SECONDS,
    MAX_WORDS,
    KeywordModel,
    load_keyword_model,
    pooled,
)
from coach.speech_in.sealed_files import sealed_folder
from coach.speech_in.transcript import DIGIT_WORDS, said_once
from coach.speech_in.whisper_model import INSTALL_HINT, WhisperModelInfo, checked_model

WINDOW_SECONDS = 5.0
# How alike (coach.speech_in.choice.nearness) the first and the second answer
# must sound for the second to be taken when nothing was asked. "Paul's" and
# "Pause." 0.8, "step" and "Stop." 0.75; "done!" and "Stop!" 0.5, "That
# was..." and "Stop." 0.25 (a "dog" and a "down" said across a room).
OPEN_NEAR = 0.6
# How alike the first words of the two decodes of ``_checked_against_question`` must
# sound for the answer heard after the told words to stand: "Let's" and "Left"
# 0.75, "Lens" 0.5, "Yeah?" 0.4, "Then" 0.29, "Up." 0.
AS_SAID_NEAR = 0.5
MAX_NEW_TOKENS = 6
HOP_SAMPLES = 160  # one log-mel frame every 10 ms


class WhisperEngine(EngineBase):
    """Decodes one utterance with Whisper, prompted with the coach's last question."""

    name = "whisper"

    def __init__(
        self,
        model: WhisperModelInfo,
        *,
        threads: int = 1,
        window_seconds: float = WINDOW_SECONDS,
        max_new_tokens: int = MAX_NEW_TOKENS,
        number_words: frozenset[str] = frozenset(),
        answer_words: Mapping[str, str] | None = None,
        open_prompt: str = "",
        question_prompts: Mapping[str, str] | None = None,
        numbers_prompt: str = "",
    ) -> None:
        try:
            import ctranslate2
            import tokenizers

            from coach.speech_in.faster_whisper_parts import feature_extractor_class

            FeatureExtractor = feature_extractor_class()
        except ImportError as exc:
            raise CoachError(f"Whisper's packages are not installed. {INSTALL_HINT}") from exc
        self.model_info = model
        self.description = f"{self.name}, {model.name}"
        files = model.files.take()  # the bytes that were checked: the folder is not read again
        tokenizer = files.pop("tokenizer.json")
        options = {"device": "cpu", "compute_type": "int8", "intra_threads": max(1, threads),
                   "inter_threads": 1}
        try:
            # From sealed in-memory copies of the checked bytes: built from the
            # bytes themselves, CTranslate2 would keep a copy of them (73 MB).
            with sealed_folder(files) as folder:
                self._model = (ctranslate2.models.Whisper(str(folder), **options)
                               if folder is not None
                               else ctranslate2.models.Whisper(str(model.path), files=files,
                                                               **options))
            del files
            self._tokenizer = tokenizers.Tokenizer.from_str(tokenizer.decode("utf-8"))
        except (RuntimeError, ValueError, OSError) as exc:
            raise CoachError(
                f"The Whisper model in {model.path} could not be loaded ({exc}). {INSTALL_HINT}"
            ) from exc
        self._features = FeatureExtractor(feature_size=self._model.n_mels)
        self.window_samples = round(window_seconds * RATE_HZ)
        self.max_new_tokens = max_new_tokens
        token = self._special
        self._eot = token("<|endoftext|>")
        self._start = [token("<|startoftranscript|>")]
        if self._model.is_multilingual:
            self._start += [token("<|en|>"), token("<|transcribe|>")]
        self._start.append(token("<|notimestamps|>"))
        self._previous = token("<|startofprev|>")
        self._question: tuple[int, ...] = ()
        # A question whose answer is heard better after other words than its own
        # (the vocabulary's question_prompts): its words -> those words.
        self._question_prompts = dict(question_prompts or {})
        self._as_said: tuple[int, ...] = ()  # the question as said, when told other words
        self._told_words: frozenset[str] = frozenset()  # those other words
        # The set's commands, heard first on a second try when nothing was asked.
        self._open = self._tokens(open_prompt)
        # The numbers, heard first on a second try at a rating whose sound is surely
        # or likely one.
        self._numbers_said = self._tokens(numbers_prompt)
        self._chunks: list[np.ndarray] = []
        self._likely: tuple[str, ...] | None = None  # listen_for's phrases
        self._numbers = number_words  # the vocabulary's number words: a rating may be said
        # The words a closed question's answer may be chosen among, each with its kind of
        # answer (coach.speech_in.choice.GROUPS; None: any one-word phrase).
        self._answers = answer_words
        self._choices: dict[tuple[tuple[str, ...], bool], dict[str, list[int]]] = {}
        self._encoded: Any = None  # the last utterance's encoder output
        self._states: np.ndarray | None = None  # its pooled states, when asked for
        self._first_logprobs: np.ndarray | None = None  # the free decode's first step
        self._last: Hypothesis | None = None  # the free decode's result
        self._last_seconds = 0.0
        self.choice_model: ChoiceModel | None = load_choice_model()
        self.keyword_model: KeywordModel | None = load_keyword_model()
        # When a list, every decode records its pooled encoder states there
        # (scripts/fit_keywords.py gathers the keyword model's training data so).
        self.pooled: list[np.ndarray] | None = None
        # When a list, rescues() records (phrase, features) there and chooses nothing
        # (scripts/fit_choice.py gathers the model's training data so).
        self.collect: list[tuple[str, dict[str, float]]] | None = None

    def _special(self, text: str) -> int:
        found = self._tokenizer.token_to_id(text)
        if found is None:
            raise CoachError(
                f"The Whisper model in {self.model_info.path} has no token {text}: it is not a "
                f"Whisper model. {INSTALL_HINT}")
        return int(found)

    def listen_for(self, phrases: tuple[str, ...] | None) -> None:
        """The phrases most likely said now, for ``rescues`` (None: every phrase)."""
        self._likely = phrases

    def prompt_with(self, question: str) -> None:
        """The line the coach last asked ("" for none), as Whisper's previous text.

        Where the vocabulary gives the question other words to be heard after
        (``question_prompts``), those are Whisper's previous text instead.
        """
        text = " ".join(question.split())
        told = self._question_prompts.get(text, text)
        self._question = self._tokens(told)
        self._as_said = self._tokens(text) if told != text else ()
        self._told_words = frozenset(said_once(told).split()) if told != text else frozenset()

    def _tokens(self, text: str) -> tuple[int, ...]:
        """``text``'s tokens as Whisper's previous text (none for a blank one)."""
        text = " ".join(text.split())
        return tuple(self._tokenizer.encode(" " + text, add_special_tokens=False).ids) if text else ()

    def _after(self, previous: tuple[int, ...]) -> list[int]:
        """The decoder's prompt with ``previous`` as the text said before (none: no text)."""
        return [self._previous, *previous, *self._start] if previous else list(self._start)

    def prompt(self) -> list[int]:
        return self._after(self._question)

    def begin(self) -> None:
        self._chunks = []

    def accept(self, pcm: np.ndarray) -> None:
        self._chunks.append(np.asarray(pcm, dtype=np.int16).reshape(-1))

    def finish(self) -> Hypothesis:
        audio = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
        self._chunks = []
        if audio.size == 0:
            return Hypothesis("", 0.0, False)
        return self.decode(audio)

    def decode(self, audio: np.ndarray) -> Hypothesis:
        import ctranslate2

        wave = audio.astype(np.float32) / 32768.0
        self._last_seconds = audio.size / RATE_HZ
        size = max(self.window_samples, wave.size)
        wave = np.pad(wave, (0, size - wave.size))
        mel = self._features(wave)[:, : size // HOP_SAMPLES]
        features = ctranslate2.StorageView.from_array(np.ascontiguousarray(mel[None]))
        self._encoded = self._model.encode(features)
        self._states = None
        if self.pooled is not None:
            self.pooled.append(self._pooled())
        self._last, self._first_logprobs = self._free(self.prompt())
        if self._as_said and _first_word(self._last.text) in self._told_words:
            self._last, self._first_logprobs = self._checked_against_question(
                self._last, self._first_logprobs)
        if self._no_number():
            self._last = replace(self._last, no_number=True)
        if self._other_word():
            self._last = replace(self._last, other_word=True)
        if self._not_yes():
            self._last = replace(self._last, not_yes=True)
        return self._last

    def _short_answer(self, most: int = MAX_WORDS) -> bool:
        """Whether the last utterance was short enough, in time and in words (a
        word written again and again counted once), for the keyword model to
        judge: at most ``most`` words and ``MAX_SECONDS``."""
        last = self._last
        if last is None or self._encoded is None or self._last_seconds > MAX_SECONDS:
            return False
        words = said_once(last.text, truncated=last.truncated).split()
        return 0 < len(words) <= most

    def _other_word(self) -> bool:
        """Whether, at a question, the last utterance is short and the keyword
        model finds its sound surely none of the answers it knows: across a
        room Whisper wrote "No." after "End the session?" and "Go." after "Say
        go" for many a "down", "off" or "up". The Judge then takes no such
        answer from it (coach.speech_in.decision)."""
        model = self.keyword_model
        if model is None or not self._question or not self._short_answer():
            return False
        return model.other_word(self._pooled())

    def _not_yes(self) -> bool:
        """Whether, at a question a yes answers, the last utterance is short and the
        keyword model finds its sound surely no yes (``KeywordModel.not_yes``):
        across a room Whisper wrote "Yeah." after "End the session?" for a "cat"
        less than 1% "yes". The Judge then takes no yes from it where a yes
        would end the session (coach.speech_in.decision)."""
        model = self.keyword_model
        if (model is None or not self._question or "yes" not in (self._likely or ())
                or not self._short_answer()):
            return False
        return model.not_yes(self._pooled())

    def _no_number(self) -> bool:
        """Whether, at a question a rating answers, the last utterance is one word
        that the keyword model says is surely no number (coach.speech_in.keywords):
        after "from zero to ten?" Whisper writes "One." for an "on" and "Ten?" for
        a "down" said across a room. Longer answers ("it's about a six") are
        left to the transcript: the model knows single words."""
        model = self.keyword_model
        if (model is None or not self._question or not self._likely
                or not any(p in self._numbers for p in self._likely)
                or not self._short_answer(most=1)):
            return False
        return model.no_number(self._pooled())

    def _pooled(self) -> np.ndarray:
        """The last utterance's encoder states pooled for the keyword model, once."""
        if self._states is None:
            self._states = pooled(self._encoded, self._last_seconds)
        return self._states

    def _free(self, prompt: list[int]) -> tuple[Hypothesis, np.ndarray | None]:
        """The free decode of the last utterance after ``prompt``, and its first step."""
        result = self._model.generate(
            self._encoded, [prompt], beam_size=1,
            max_length=_max_length(prompt, self.max_new_tokens), return_scores=True,
            return_no_speech_prob=True, return_logits_vocab=True)[0]
        ids = list(result.sequences_ids[0])
        logits = result.logits[0]
        first = _log_softmax(np.asarray(logits[0], np.float32)) if logits else None
        return self._hypothesis(ids, result, finished=len(logits) > len(ids),
                                no_speech=float(result.no_speech_prob)), first

    def _checked_against_question(self, told: Hypothesis, first: np.ndarray | None,
                                  ) -> tuple[Hypothesis, np.ndarray | None]:
        """An answer heard after the other words a question is told with, checked
        against the same utterance decoded after the question as said.

        Told "Left or right?", Whisper also writes "Left." for an "up" or an
        "off"; after the question as said it wrote "Up.". The told answer stands
        when the other decode wrote nothing, one of the told words too (a "left"
        across a room it wrote "Right?"), or a word that sounds like it ("Lens",
        "Let's"); otherwise the other decode is the answer, as it was before
        the question was told other words. The encoder's output is reused.
        """
        said, said_first = self._free(self._after(self._as_said))
        word = _first_word(said.text)
        if not word or word in self._told_words or nearness(word, _first_word(told.text)) >= AS_SAID_NEAR:
            return told, first
        return said, said_first

    def rescues(self) -> Iterator[Hypothesis]:
        """Other answers for the last utterance, when the free decode gave no command.

        At a closed question, a choice among the likely one-word phrases, and
        then the answer told by the sound of the word (the keyword model; at
        the rating question, the number written after the numbers); when
        nothing was asked (a set, a rest), the choice, the utterance decoded
        again with the set's commands as the text before it, and then "stop"
        told by its sound. Each is tried only when the ones before it were
        not taken: the decode after the set's commands wrote "Step," for a
        "stop" whose sound the keyword model found 99.7% a stop.
        """
        for attempt in (self._chosen, self._prompted_again, self._told_by_sound):
            found = attempt()
            if found is not None:
                yield found

    def _told_by_sound(self) -> Hypothesis | None:
        """The answer told by the keyword model from the encoder's states
        (coach.speech_in.keywords), for a short utterance Whisper wrote a few
        words for: at a question one of its answers, or the number written
        after the numbers (``_number_by_sound``); when nothing was asked "stop"; None when
        it is not one of the moment's keywords or the model is not sure
        enough."""
        last, model = self._last, self.keyword_model
        if (model is None or last is None or not self._likely or self.collect is not None
                or not self._short_answer()):
            return None
        found = model.answer(self._pooled(), self._likely,
                             asked=bool(self._question))
        if found is None:
            return self._number_by_sound(model)
        phrase, p = found
        return Hypothesis(phrase, p, True, no_speech=last.no_speech, rescued=True, by_sound=True,
                          written=last.text)

    def _number_by_sound(self, model: KeywordModel) -> Hypothesis | None:
        """At a question a rating answers, the number Whisper writes for the
        utterance told that the numbers were just said, when the keyword model
        finds the word's sound surely a number, or likely one and Whisper
        writes the number with confidence (``KeywordModel.number_needs``).

        The keyword model hears whether it was a number at all, the decode
        after the numbers which one: "Same" for a seven said across a room
        becomes "seven, seven, seven,". Neither alone is enough: told the
        numbers first, Whisper writes a number for many another word, and a
        number's sound says not which (the choice among the numbers' first
        tokens, used here before, named ten for that seven). Across a room
        many an eight ("Bait", "A. A.") sounds only 40-70% a number, but
        Whisper writes it "eight, eight, eight," with a confidence it gives
        few other words. None when the sound is not number enough, the
        second decode is not one number the moment takes, or not confident
        enough. The encoder's output is reused.
        """
        last = self._last  # _told_by_sound found it short, its encoder states at hand
        needs = model.number_needs(self._pooled())
        if last is None or not self._question or needs is None:
            return None
        found = self.number_written()
        if found is None or found[1] < needs:
            return None
        return Hypothesis(found[0], found[1], True, no_speech=last.no_speech, rescued=True,
                          by_sound=True, written=last.text)

    def number_written(self) -> tuple[str, float] | None:
        """The number Whisper writes for the last utterance decoded again after the
        numbers (the vocabulary's ``numbers_prompt``), with its confidence; None
        when it writes no one number the moment takes, or there is no prompt."""
        if self._encoded is None or not self._numbers_said:
            return None
        again, _ = self._free(self._after(self._numbers_said))
        word = said_once(again.text, truncated=again.truncated)
        word = _WORD_OF_DIGIT.get(word, word)
        if word not in self._numbers or word not in (self._likely or ()):
            return None
        return word, again.confidence

    def _prompted_again(self) -> Hypothesis | None:
        """The last utterance decoded again after the set's commands, if it sounds alike.

        Told the commands first, Whisper writes "Pause." where it wrote
        "Paul's" and "Stop." where it wrote "step", but also "Stop." for a
        "dog" or a "down" across a room, where it first wrote "done!" or
        "That was...". So the second answer is taken only when it sounds
        like the first (``OPEN_NEAR``), and the Listener still checks that
        it is a command of the moment. The encoder's output is reused: the
        second try costs a decode of a few tokens.
        """
        last = self._last
        if self._question or not self._open or self._encoded is None or last is None:
            return None
        if not last.text or self.collect is not None:
            return None
        again, _ = self._free(self._after(self._open))
        first = said_once(last.text, truncated=last.truncated)
        if not again.text or nearness(first, said_once(again.text, truncated=again.truncated)) < OPEN_NEAR:
            return None
        return replace(again, rescued=True)

    def _chosen(self) -> Hypothesis | None:
        """The last utterance as a choice among the likely one-word phrases.

        None when there is nothing to choose from, no choice model, or the
        model finds the best phrase too unlikely to have been said.
        """
        first, last = self._first_logprobs, self._last
        if first is None or last is None or not self._likely:
            return None
        choices = self._choice_ids(self._likely, asked=bool(self._question))
        scores = {word: _logsumexp(first[ids]) for word, ids in choices.items()}
        found = features(scores, float(first.max()), last.text, no_speech=last.no_speech,
                         seconds=self._last_seconds,
                         confidence=math.log(last.confidence) if last.confidence > 0 else -10.0)
        if found is None:
            return None
        phrase, values = found
        if self.collect is not None:
            self.collect.append((phrase, values))
            return None
        model = self.choice_model
        if model is None:
            return None
        p = model.probability(values)
        # Each kind of answer's threshold was measured at its question: with none
        # asked (a set, a rest), the default, but for stop, measured there.
        kind = self._answers.get(phrase) if self._answers is not None else None
        if p < model.threshold_for(threshold_kind(kind, asked=bool(self._question))):
            return None
        return Hypothesis(phrase, p, True, no_speech=last.no_speech, rescued=True,
                          no_number=last.no_number, other_word=last.other_word,
                          not_yes=last.not_yes)

    def _hypothesis(self, ids: list[int], result: Any, *, finished: bool,
                    no_speech: float) -> Hypothesis:
        tokens = [t for t in ids if t < self._eot]
        text = self._tokenizer.decode(tokens).strip()
        score = float(result.scores[0]) if result.scores else -math.inf
        return Hypothesis(
            text=text,
            confidence=math.exp(score) if text else 0.0,
            in_grammar=bool(text),
            no_speech=no_speech,
            truncated=not finished,
        )

    def _choice_ids(self, phrases: tuple[str, ...], *, asked: bool) -> dict[str, list[int]]:
        """Each one-word phrase and the first tokens of its spellings (" Five", "five", " 5").

        At a question (``asked``) the kinds chosen only when nothing was asked are left out.
        """
        found = self._choices.get((phrases, asked))
        if found is None:
            found = {}
            answers = self._answers
            for word in (p for p in phrases if len(p.split()) == 1
                         and (answers is None or (p in answers
                                                  and chosen_at(answers[p], asked=asked)))):
                forms = {word, word.capitalize()}
                if word in self._numbers and word in _DIGIT_OF:
                    forms.add(_DIGIT_OF[word])
                ids = {self._tokenizer.encode(lead + form, add_special_tokens=False).ids[0]
                       for form in forms for lead in (" ", "")}
                found[word] = sorted(ids)
            self._choices[(phrases, asked)] = found
        return found


def _first_word(text: str) -> str:
    """The first word of a transcript, as the parser reads it ("" for none)."""
    words = said_once(text).split()
    return words[0] if words else ""


def _max_length(prompt: list[int], new_tokens: int) -> int:
    """``max_length`` that lets CTranslate2's Whisper generate exactly ``new_tokens``.

    CTranslate2 4.x yields at most min(max_length - len(prompt) + 1, max_length // 2)
    new tokens (measured on 4.8.5).
    """
    return max(len(prompt) - 1 + new_tokens, 2 * new_tokens)


_DIGIT_OF = {w: str(n) for n, w in enumerate(DIGIT_WORDS)}
_WORD_OF_DIGIT = {d: w for w, d in _DIGIT_OF.items()}


def _logsumexp(x: np.ndarray) -> float:
    top = float(x.max())
    return top + float(np.log(np.exp(x - top).sum()))


def _log_softmax(x: np.ndarray) -> np.ndarray:
    top = float(x.max())
    return x - (top + float(np.log(np.exp(x - top).sum())))


def load_whisper(
    model: WhisperModelInfo | None = None, *, threads: int = 1,
    number_words: frozenset[str] = frozenset(),
) -> WhisperEngine:
    """The Whisper engine on ``model`` (default: the model found and verified)."""
    if model is None:
        model = checked_model()
    return WhisperEngine(model, threads=threads, number_words=number_words)


"""Whisper adapter: the embedded English engine (tiny.en through CTranslate2).

Whisper transcribes freely: a word that is not a command comes out as itself
("cat", "up") and the parser rejects it, where a grammar engine would force it
onto the nearest command. It is also told the question the coach just asked
(as Whisper's "previous text"), which steers "for" towards "four" after "How
is your knee, from zero to ten?" and "Lift" towards "left" after "Which knee
hurts, left or right?".

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
- when that text is no command the moment expects, ``rescue`` decodes the
  same encoder output again with every token suppressed but those of the
  moment's likely phrases (``listen_for``), and keeps the result only if
  the free decode itself found its first token likely enough (log-probability
  at least -3, or -2 where numbers are listened for: many one-syllable words
  sound like one: "on", "tree", "for").

Measured on the development recordings (README, "Speech recognition"): the
question as previous text gained 5.7 points of commands, the rescue another
3.1; thresholds on the no-speech probability or the mean log-probability
only cost correct answers, so the Listener does not use them for Whisper.

CTranslate2 runs ``threads`` threads (one by default), so that decoding on
the Listener's worker leaves the other core to the audio and the count.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np

from coach.audio.format import RATE_HZ
from coach.errors import CoachError
from coach.speech_in.engine import Hypothesis
from coach.speech_in.whisper_model import INSTALL_HINT, WhisperModelInfo, checked_model

WINDOW_SECONDS = 5.0
MAX_NEW_TOKENS = 6
RESCUE_NEW_TOKENS = 4
RESCUE_FLOOR = -3.0  # log-probability of the rescue's first token under the free decode
RESCUE_FLOOR_NUMBERS = -2.0  # the same where a number may be said
HOP_SAMPLES = 160  # one log-mel frame every 10 ms
PUNCTUATION = (".", ",", "?", "!")


class WhisperEngine:
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
    ) -> None:
        try:
            import ctranslate2
            import tokenizers
            from faster_whisper.feature_extractor import FeatureExtractor
        except ImportError as exc:
            raise CoachError(f"Whisper's packages are not installed. {INSTALL_HINT}") from exc
        self.model_info = model
        self.description = f"{self.name}, {model.name}"
        files = model.files.take()  # the bytes that were checked: the folder is not read again
        tokenizer = files.pop("tokenizer.json")
        try:
            self._model = ctranslate2.models.Whisper(
                str(model.path), device="cpu", compute_type="int8",
                intra_threads=max(1, threads), inter_threads=1, files=files)
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
        self._chunks: list[np.ndarray] = []
        self._likely: tuple[str, ...] | None = None  # listen_for's phrases
        self._numbers = number_words  # the vocabulary's number words: a rating may be said
        self._suppress: dict[tuple[str, ...], list[int]] = {}
        self._encoded: Any = None  # the last utterance's encoder output, for rescue()
        self._first_logprobs: np.ndarray | None = None  # the free decode's first step

    def _special(self, text: str) -> int:
        found = self._tokenizer.token_to_id(text)
        if found is None:
            raise CoachError(
                f"The Whisper model in {self.model_info.path} has no token {text}: it is not a "
                f"Whisper model. {INSTALL_HINT}")
        return int(found)

    def listen_for(self, phrases: tuple[str, ...] | None) -> None:
        """The phrases most likely said now, for ``rescue`` (None: every phrase)."""
        self._likely = phrases

    def prompt_with(self, question: str) -> None:
        """The line the coach last asked ("" for none), as Whisper's previous text."""
        text = " ".join(question.split())
        self._question = tuple(
            self._tokenizer.encode(" " + text, add_special_tokens=False).ids) if text else ()

    def prompt(self) -> list[int]:
        if not self._question:
            return list(self._start)
        return [self._previous, *self._question, *self._start]

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
        size = max(self.window_samples, wave.size)
        wave = np.pad(wave, (0, size - wave.size))
        mel = self._features(wave)[:, : size // HOP_SAMPLES]
        features = ctranslate2.StorageView.from_array(np.ascontiguousarray(mel[None]))
        self._encoded = self._model.encode(features)
        prompt = self.prompt()
        result = self._model.generate(
            self._encoded, [prompt], beam_size=1,
            max_length=_max_length(prompt, self.max_new_tokens), return_scores=True,
            return_no_speech_prob=True, return_logits_vocab=True)[0]
        ids = list(result.sequences_ids[0])
        logits = result.logits[0]
        self._first_logprobs = _log_softmax(np.asarray(logits[0], np.float32)) if logits else None
        return self._hypothesis(ids, result, finished=len(logits) > len(ids),
                                no_speech=float(result.no_speech_prob))

    def rescue(self) -> Hypothesis | None:
        """The last utterance decoded again, limited to the likely phrases' words.

        None when there is nothing to limit it to, or the free decode found
        the limited decode's first token unlikely (see the module docstring).
        """
        first = self._first_logprobs
        if self._encoded is None or first is None or not self._likely:
            return None
        prompt = self.prompt()
        result = self._model.generate(
            self._encoded, [prompt], beam_size=1,
            max_length=_max_length(prompt, RESCUE_NEW_TOKENS), return_scores=True,
            return_logits_vocab=True, suppress_tokens=self._suppressed(self._likely))[0]
        ids = list(result.sequences_ids[0])
        numbers = any(p in self._numbers for p in self._likely)
        floor = RESCUE_FLOOR_NUMBERS if numbers else RESCUE_FLOOR
        if not ids or float(first[ids[0]]) < floor:
            return None
        found = self._hypothesis(ids, result, finished=len(result.logits[0]) > len(ids),
                                 no_speech=0.0)
        return replace(found, rescued=True)

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

    def _suppressed(self, phrases: tuple[str, ...]) -> list[int]:
        """Every text token but those that spell the phrases' words (and punctuation)."""
        found = self._suppress.get(phrases)
        if found is None:
            allowed = {self._eot}
            words = {w for p in phrases for w in p.split()}
            words |= {str(n) for n in range(11)} if words & self._numbers else set()
            for word in words:
                forms = {word, word.capitalize(), word[:1].upper() + word[1:]}
                for form in forms:
                    for text in (" " + form, form):
                        allowed.update(self._tokenizer.encode(text, add_special_tokens=False).ids)
            for mark in PUNCTUATION:
                allowed.update(self._tokenizer.encode(mark, add_special_tokens=False).ids)
            found = [-1] + [t for t in range(self._eot) if t not in allowed]
            self._suppress[phrases] = found
        return found


def _max_length(prompt: list[int], new_tokens: int) -> int:
    """``max_length`` that lets CTranslate2's Whisper generate exactly ``new_tokens``.

    CTranslate2 4.x yields at most min(max_length - len(prompt) + 1, max_length // 2)
    new tokens (measured on 4.8.5).
    """
    return max(len(prompt) - 1 + new_tokens, 2 * new_tokens)


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


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
- greedy decoding of at most ``max_new_tokens`` tokens: a command is at most
  four words, and a short window makes Whisper repeat a word ("Yes. Yes.
  Yes."), which the transcript rules collapse;
- the result: the text, the mean log-probability of its tokens (the
  confidence is its exponential) and Whisper's own probability that there
  was no speech at all. The Listener rejects on both.

CTranslate2 runs ``threads`` threads (one by default), so that decoding on
the Listener's worker leaves the other core to the audio and the count.
"""

from __future__ import annotations

import math

import numpy as np

from coach.audio.format import RATE_HZ
from coach.errors import CoachError
from coach.speech_in.engine import Hypothesis
from coach.speech_in.whisper_model import INSTALL_HINT, WhisperModelInfo

WINDOW_SECONDS = 5.0
MAX_NEW_TOKENS = 10
HOP_SAMPLES = 160  # one log-mel frame every 10 ms


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
    ) -> None:
        try:
            import ctranslate2
            import tokenizers
            from faster_whisper.feature_extractor import FeatureExtractor
        except ImportError as exc:
            raise CoachError(f"Whisper's packages are not installed. {INSTALL_HINT}") from exc
        self.model_info = model
        self.description = f"{self.name}, {model.name}"
        try:
            self._model = ctranslate2.models.Whisper(
                str(model.path), device="cpu", compute_type="int8",
                intra_threads=max(1, threads), inter_threads=1)
            self._tokenizer = tokenizers.Tokenizer.from_file(str(model.path / "tokenizer.json"))
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

    def _special(self, text: str) -> int:
        found = self._tokenizer.token_to_id(text)
        if found is None:
            raise CoachError(
                f"The Whisper model in {self.model_info.path} has no token {text}: it is not a "
                f"Whisper model. {INSTALL_HINT}")
        return int(found)

    # The Listener tells the engine what the coach just asked; commands are
    # parsed from the free transcript, so the phrase list needs no grammar.
    def listen_for(self, phrases: tuple[str, ...] | None) -> None:
        """Whisper transcribes freely: the Listener's rules keep what fits the moment."""

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
        prompt = self.prompt()
        result = self._model.generate(
            features, [prompt], beam_size=1, max_length=len(prompt) + self.max_new_tokens,
            return_scores=True, return_no_speech_prob=True)[0]
        tokens = [t for t in result.sequences_ids[0] if t < self._eot]
        text = self._tokenizer.decode(tokens).strip()
        score = float(result.scores[0]) if result.scores else -math.inf
        return Hypothesis(
            text=text,
            confidence=math.exp(score) if text else 0.0,
            in_grammar=bool(text),
            no_speech=float(result.no_speech_prob),
            truncated=len(result.sequences_ids[0]) >= self.max_new_tokens,
        )


def load_whisper(model: WhisperModelInfo | None = None, *, threads: int = 1) -> WhisperEngine:
    """The Whisper engine on ``model`` (default: the model found and verified)."""
    if model is None:
        from coach.speech_in.whisper_model import (
            WhisperModelError,
            find_whisper_model,
            verify_whisper_model,
        )

        found = find_whisper_model()
        if found is None:
            raise WhisperModelError(f"No Whisper model is installed. {INSTALL_HINT}")
        model = verify_whisper_model(*found)
    return WhisperEngine(model, threads=threads)


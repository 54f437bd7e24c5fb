"""Vosk adapter: the primary engine when a Vosk model is installed.

Vosk is limited to the vocabulary's phrases plus ``[unk]`` (a runtime
grammar), so anything else comes out as ``[unk]`` and is rejected. A model
whose graph lacks ``[unk]`` (Vosk warns and drops it; the small Korean model
does) forces every word onto a phrase, and only the confidence rejects it. Word
confidences (``SetWords``) give the utterance's confidence: the lowest word
confidence, since one doubtful word is enough to doubt the command.

Phrases with words the model does not know are left out of the grammar
(Vosk would only warn about them); ``missing_words`` lists them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from coach.audio.format import RATE_HZ
from coach.commands.parser import Vocabulary
from coach.errors import CoachError
from coach.speech_in.engine import EngineBase, Hypothesis
from coach.speech_in.grammar import command_phrases, narrowed, phrase_words

UNKNOWN = "[unk]"


def _model_words(path: Path) -> set[str] | None:
    words = path / "graph" / "words.txt"
    if not words.is_file():
        return None
    with open(words, encoding="utf-8") as f:
        return {line.split()[0] for line in f if line.strip()}


class VoskEngine(EngineBase):
    """Decodes an utterance with Vosk against the vocabulary's phrases."""

    name = "vosk"

    def __init__(self, vocab: Vocabulary, model_path: str | Path) -> None:
        try:
            import vosk
        except ImportError as exc:
            raise CoachError("Vosk is not installed. Install it with: pip install vosk") from exc
        path = Path(model_path)
        vosk.SetLogLevel(-1)
        try:
            self._model = vosk.Model(str(path))
        except Exception as exc:  # vosk raises a bare Exception on a bad folder
            raise CoachError(
                f"{path}: Vosk could not load this model ({exc}). Check the folder, or "
                "download the model again."
            ) from exc
        phrases = command_phrases(vocab)
        known = _model_words(path)
        if known is None:
            self.missing_words: list[str] = []
            self.phrases = phrases
        else:
            self.missing_words = sorted(w for w in phrase_words(phrases) if w not in known)
            self.phrases = tuple(p for p in phrases if all(w in known for w in p.split()))
        if not self.phrases:
            raise CoachError(
                f"{vocab.source}: none of its phrases are known to the Vosk model in {path}. "
                "Use a model for the vocabulary's language."
            )
        self._grammar = self._json(self.phrases)  # used from the next utterance on
        self.model_path = path
        self._rec = self._new_recognizer()

    @staticmethod
    def _json(phrases: tuple[str, ...]) -> str:
        return json.dumps(list(phrases) + [UNKNOWN], ensure_ascii=False)

    def listen_for(self, phrases: tuple[str, ...] | None) -> None:
        """Decode against these phrases only (None: every phrase), from the next utterance."""
        self._grammar = self._json(narrowed(self.phrases, phrases) or self.phrases)

    def _new_recognizer(self):  # type: ignore[no-untyped-def]
        import vosk

        rec = vosk.KaldiRecognizer(self._model, RATE_HZ, self._grammar)
        rec.SetWords(True)
        return rec

    def begin(self) -> None:
        # A fresh recogniser for every utterance (about 0.3 ms): one reused with
        # Reset() carries its feature adaptation from one utterance to the next,
        # so what was heard before changed the answer (a Korean test word scored
        # 0.52 after one utterance and 1.0 after another). It also takes up the
        # grammar ``listen_for`` chose.
        self._rec = self._new_recognizer()

    def accept(self, pcm: np.ndarray) -> None:
        self._rec.AcceptWaveform(np.ascontiguousarray(pcm, dtype=np.int16).tobytes())

    def finish(self) -> Hypothesis:
        result = json.loads(self._rec.FinalResult())
        words = result.get("result") or []
        text = str(result.get("text", "")).strip()
        if not text or not words:
            return Hypothesis("", 0.0, False)
        tokens = [str(w.get("word", "")) for w in words]
        confidence = min(float(w.get("conf", 0.0)) for w in words)
        in_grammar = UNKNOWN not in tokens
        return Hypothesis(" ".join(t for t in tokens if t != UNKNOWN), confidence, in_grammar)

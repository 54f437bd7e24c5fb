"""PocketSphinx adapter: the embedded engine that works right after install.

The PyPI wheel carries a US English acoustic model and pronouncing dictionary
(``pocketsphinx.get_model_path()``), so this needs no download.

Why a grammar with garbage words: on isolated one-second commands spoken by
many people, a JSGF grammar of the command phrases beats keyword spotting by
far (keyword spotting fired on most non-command words at any threshold that
still heard the commands), and the full language model is slower and worse at
single words. A grammar alone forces every sound onto some command, so the
grammar also offers a fixed sample of everyday words (see
``grammar.pick_garbage_words``): when one of them wins, the utterance is not a
command. ``garbage_weight`` is the one knob: higher rejects more.

Only the words the grammar uses are given to the decoder (a dictionary of a
few hundred words instead of 130 000), which keeps start-up near 0.2 s.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from coach.commands.parser import Vocabulary
from coach.errors import CoachError
from coach.speech_in.engine import EngineBase, Hypothesis
from coach.speech_in.grammar import (
    command_phrases,
    from_token,
    jsgf,
    narrowed,
    phrase_words,
    pick_garbage_words,
    to_token,
)

GARBAGE_WORDS = 60
GARBAGE_WEIGHT = 3.0
GARBAGE_PAIRS = True
DECODER_OPTIONS: dict[str, object] = {"beam": 1e-30, "wbeam": 1e-20, "pbeam": 1e-30}


class SphinxEngine(EngineBase):
    """Decodes an utterance against the vocabulary's grammar with PocketSphinx."""

    name = "sphinx"

    def __init__(
        self,
        vocab: Vocabulary,
        *,
        garbage_words: int = GARBAGE_WORDS,
        garbage_weight: float = GARBAGE_WEIGHT,
        model_dir: str | Path | None = None,
        decoder_options: dict[str, object] | None = None,
        garbage_pairs: bool = GARBAGE_PAIRS,
    ) -> None:
        try:
            import pocketsphinx
        except ImportError as exc:
            raise CoachError(
                "PocketSphinx is not installed. Install it with: pip install pocketsphinx"
            ) from exc
        base = Path(model_dir) if model_dir else Path(pocketsphinx.get_model_path()) / "en-us"
        hmm, full_dict = base / "en-us", base / "cmudict-en-us.dict"
        if not hmm.is_dir() or not full_dict.is_file():
            raise CoachError(
                f"The PocketSphinx English model was not found in {base}. "
                "Reinstall it with: pip install --force-reinstall pocketsphinx"
            )
        alternates = _read_dict(full_dict)
        pron = {w: prons[0] for w, prons in alternates.items()}
        phrases = command_phrases(vocab)
        self.missing_words = sorted(w for w in phrase_words(phrases) if w not in pron)
        self.phrases = tuple(p for p in phrases if all(w in pron for w in p.split()))
        if not self.phrases:
            raise CoachError(
                f"{vocab.source}: none of its phrases are in the PocketSphinx English "
                "dictionary. Use an English vocabulary, or the Vosk engine with a model "
                "for that language."
            )
        garbage = (
            pick_garbage_words(pron, vocab.words(), garbage_words)
            if garbage_words
            else ()
        )
        self.garbage = frozenset(garbage)
        needed = phrase_words(self.phrases) | self.garbage
        lines = [
            f"{to_token(w)}{'' if i == 0 else f'({i + 1})'} {p}\n"
            for w in sorted(needed)
            for i, p in enumerate(alternates[w] if w not in self.garbage else alternates[w][:1])
        ]
        fd, dict_path = tempfile.mkstemp(suffix=".dict", prefix="coach-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.writelines(lines)
            config = pocketsphinx.Config(
                hmm=str(hmm), dict=dict_path, lm=None, loglevel="FATAL",
                **{**DECODER_OPTIONS, **(decoder_options or {})},
            )
            self._decoder = pocketsphinx.Decoder(config)
        finally:
            os.unlink(dict_path)
        self._grammar_options = (garbage_weight, garbage_pairs)
        self._searches: dict[tuple[str, ...], str] = {}
        self._active = ""
        self._wanted = self._search_for(self.phrases)
        self._chunks: list[bytes] = []

    def listen_for(self, phrases: tuple[str, ...] | None) -> None:
        """Decode against these phrases only (None: every phrase), from the next utterance.

        Each distinct set becomes one grammar, built once and kept: switching
        between them costs nothing.
        """
        self._wanted = self._search_for(narrowed(self.phrases, phrases))

    def _search_for(self, phrases: tuple[str, ...]) -> str:
        name = self._searches.get(phrases)
        if name is None:
            name = f"commands{len(self._searches)}"
            weight, pairs = self._grammar_options
            self._decoder.add_jsgf_string(
                name, jsgf(phrases or self.phrases, sorted(self.garbage), weight, pairs))
            self._searches[phrases] = name
        return name

    def begin(self) -> None:
        self._chunks = []

    def accept(self, pcm: np.ndarray) -> None:
        self._chunks.append(np.ascontiguousarray(pcm, dtype=np.int16).tobytes())

    def finish(self) -> Hypothesis:
        """Decode the whole utterance at once.

        Commands are under two seconds, and decoding them whole lets the
        decoder normalise the cepstra over the utterance itself (batch CMN).
        Streamed decoding with live normalisation missed most commands that
        start without a lead-in of silence.
        """
        audio, self._chunks = b"".join(self._chunks), []
        if not audio:
            return Hypothesis("", 0.0, False)
        if self._active != self._wanted:
            self._decoder.activate_search(self._wanted)
            self._active = self._wanted
        self._decoder.start_utt()
        self._decoder.process_raw(audio, False, True)
        self._decoder.end_utt()
        hyp = self._decoder.hyp()
        if hyp is None or not hyp.hypstr.strip():
            return Hypothesis("", 0.0, False)
        text = " ".join(from_token(w) for w in hyp.hypstr.split())
        # A whole phrase, or nothing: when no path reaches the grammar's end,
        # PocketSphinx hands back the best partial one ("what" of "what can i
        # say", "too" of "too easy"), which is not something the person said.
        in_grammar = text in self.phrases
        return Hypothesis(text, float(min(1.0, max(0.0, hyp.prob))), in_grammar)


def _read_dict(path: Path) -> dict[str, list[str]]:
    """Every pronunciation of each word in a CMU-format dictionary, main one first."""
    pron: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            word = parts[0].split("(")[0]
            pron.setdefault(word, []).append(" ".join(parts[1:]).split("#")[0].strip())
    return pron

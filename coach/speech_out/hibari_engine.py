"""hibari's bundled voice, built from checked bytes, rendering phrases to PCM.

``build`` makes hibari's synthesiser from the bytes ``read_voice_files``
checked: the ONNX models go to onnxruntime as bytes, the pronunciation tables
are parsed from bytes. hibari's own constructors open their files by name
(and, for a voice that is not bundled, download it); they are not called.
The objects are filled in as hibari 0.2.1's constructors fill them (pinned
version; tests/speech_out/test_hibari.py renders with the real engine).

One lock serialises the synthesiser: renders come from the runtime thread and
from the warm-up thread, and one core's worth of work at a time is all it
needs (it runs about 100x real time on one thread).
"""

from __future__ import annotations

import gzip
import threading
from typing import Any

import numpy as np

from coach.audio.wavfile import Pcm
from coach.speech_out import stepwise_json
from coach.speech_out.packed_tables import packed_lexicon, packed_tagger_model
from coach.speech_out.hibari_files import VERSION, VoiceFiles, VoiceFilesChanged

VOICE = "heart"  # hibari's bundled voice (Kokoro af_heart)
RATE_HZ_OUT = 24000  # hibari's output rate
SEED = 0  # fixes the noise component: the same text renders to the same samples
NORMAL_RATE_WPM = 150  # the coach's default rate; hibari's speed 1.0
SPEED_MIN, SPEED_MAX = 0.5, 2.0  # hibari's documented range
# hibari speaks 8-12 dB below espeak-ng; this gain brings its speech to espeak-ng's
# level (active-speech RMS, measured by scripts/bench_voice.py over every line).
GAIN = 1.7
PEAK = 32000  # a phrase is scaled down to keep its peak below this (no clipping)


def speed_for(rate_wpm: int) -> float:
    """hibari's speed for the coach's words-per-minute setting (150 wpm is 1.0)."""
    return float(min(SPEED_MAX, max(SPEED_MIN, rate_wpm / NORMAL_RATE_WPM)))


def _text(data: bytes) -> str:
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8")


def _json(data: bytes) -> Any:
    """Parsed entry by entry: this runs while the welcome plays (see ``stepwise_json``)."""
    return stepwise_json.loads(_text(data))


def session_options(*, arena: bool = False, mem_pattern: bool = False) -> Any:
    """One thread; onnxruntime's arena and memory pattern off by default (less RSS, see README)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    options.enable_cpu_mem_arena = arena
    options.enable_mem_pattern = mem_pattern
    return options


def build(files: VoiceFiles, *, arena: bool = False, mem_pattern: bool = False) -> Any:
    """hibari's ``Hibari`` for the bundled voice, from the checked bytes only."""
    import importlib

    import onnxruntime as ort
    from hibari.g2p import G2P
    from hibari.g2p.lexicon import Lexicon
    from hibari.g2p.oov import OOV
    from hibari.g2p.tagger import Tagger
    from hibari.g2p.tokenize import Tokenizer
    from hibari.tts import Hibari
    from hibari.voices import VOICES

    hibari_normalize = importlib.import_module("hibari.g2p.normalize")  # the module, not its function
    # The two tables hibari read by itself on import must be the ones checked.
    if hibari_normalize._T != _json(files["normalize.json"]) or VOICES != _json(files["voices.json"]):
        raise VoiceFilesChanged(
            "The neural voice's normalize.json or voices.json changed after it was checked; "
            "it was not loaded. Reinstall it: run scripts/setup.")
    options = session_options(arena=arena, mem_pattern=mem_pattern)
    providers = ["CPUExecutionProvider"]

    oov = object.__new__(OOV)
    meta = _json(files["oov.json"])
    oov.cin = {c: i + 1 for i, c in enumerate(meta["in"])}
    oov.cout = {i + 1: c for i, c in enumerate(meta["out"])}
    oov.maxlen = meta["maxlen"]
    oov.sess = ort.InferenceSession(files["oov.onnx"], options, providers=providers)

    g2p = object.__new__(G2P)
    # the large tables packed (about 10 MB against some 60 as dicts: see packed_tables)
    g2p.lexicon = Lexicon(packed_lexicon(_text(files["lexicon_us_gold.json.gz"])),
                          packed_lexicon(_text(files["lexicon_us_silver.json.gz"])), False)
    g2p.tokenizer = Tokenizer(_json(files["tokenizer_exceptions.json"]))
    g2p.tagger = Tagger(packed_tagger_model(_text(files["tagger.json.gz"])))
    g2p._oov = oov
    g2p.unk = ""
    g2p.british = False

    tts = object.__new__(Hibari)
    tts.voice = VOICE
    tts.model_path = f"{files.folder / 'hibari.onnx'} (checked, from memory)"
    tts.sess = ort.InferenceSession(files["hibari.onnx"], options, providers=providers)
    tts.vocab = _json(files["vocab.json"])
    tts._g2p = g2p
    return tts


def return_freed_memory() -> None:
    """Hand freed memory (after the load: the files' bytes and the unpacked JSON text,
    some 30 MB) back to the system: glibc keeps it for reuse otherwise."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to do


class HibariEngine:
    """The built synthesiser and the level and format the coach wants from it."""

    def __init__(self, files: VoiceFiles, *, arena: bool = False, mem_pattern: bool = False):
        self._tts = build(files, arena=arena, mem_pattern=mem_pattern)
        return_freed_memory()
        self._lock = threading.Lock()
        self.version = f"hibari-tts {VERSION} {VOICE} {files.model_sha256[:12]}"
        self.renders = 0

    def render(self, text: str, rate_wpm: int) -> Pcm:
        """``text`` at ``rate_wpm``, 24 kHz int16, levelled to espeak-ng's loudness."""
        if not text.strip():
            return Pcm(np.zeros(0, dtype=np.int16), RATE_HZ_OUT)
        with self._lock:
            audio = self._tts(text, speed=speed_for(rate_wpm), seed=SEED)
            self.renders += 1
        scaled = np.asarray(audio, dtype=np.float32) * (32767.0 * GAIN)
        peak = float(np.max(np.abs(scaled))) if scaled.size else 0.0
        if peak > PEAK:
            scaled *= PEAK / peak
        return Pcm(np.round(scaled).astype(np.int16), RATE_HZ_OUT)

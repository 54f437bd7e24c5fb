#!/usr/bin/env python3
"""Speech-out figures: how long from a Say to its first playable sample, and how
fast espeak-ng renders, on this machine. Prints a plain-text table.

    .venv/bin/python scripts/bench_speech.py [--phrases N]

"Say to first sample" is the time ``Playout.submit`` takes: once it returns,
the very next ``pull`` can play the phrase. Uncached phrases are rendered by
espeak-ng (through pyttsx3) and resampled; cached ones come from memory.
The phrases are the coach's own lines (coach/core/lines.yaml, those without
placeholders) and counts. The cache lives in a temporary folder: your own
phrase cache is not touched.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from coach.audio.format import RATE_HZ
from coach.audio.wavfile import Pcm
from coach.core.actions import Say
from coach.speech_out.cache import PhraseCache
from coach.speech_out.playout import Playout
from coach.speech_out.pyttsx3_renderer import Pyttsx3Renderer
from coach.speech_out.synthesis import prepare

sys.path.insert(0, str(Path(__file__).resolve().parent))
from readme_figures import machine_line, update_readme

LINES = Path(__file__).resolve().parent.parent / "coach" / "core" / "lines.yaml"


def phrases(count: int) -> list[str]:
    lines = yaml.safe_load(LINES.read_text(encoding="utf-8"))
    texts = [t for t in lines.values() if isinstance(t, str) and "{" not in t and t.strip()]
    texts += [f"{n}" for n in range(1, 61)]
    return texts[:count]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def row(name: str, values_ms: list[float]) -> str:
    return (f"{name:<34} {len(values_ms):>5} {statistics.median(values_ms):>9.2f} "
            f"{percentile(values_ms, 0.95):>9.2f} {max(values_ms):>9.2f}")


def md_row(name: str, values: list[float], unit: str) -> str:
    return (f"| {name} | {len(values)} | {statistics.median(values):.2f} {unit} "
            f"| {percentile(values, 0.95):.2f} {unit} | {max(values):.2f} {unit} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phrases", type=int, default=80, help="how many phrases (default 80)")
    args = parser.parse_args(argv)
    texts = phrases(args.phrases)
    renderer = Pyttsx3Renderer()
    renderer.render("Warming up.", "en-us", 150)  # engine start-up is not a per-phrase cost

    with tempfile.TemporaryDirectory() as folder:
        playout = Playout(PhraseCache(renderer, Path(folder)))
        uncached, cached = [], []
        for i, text in enumerate(texts):
            start = time.perf_counter()
            playout.submit(Say(text, i), 0.0)
            uncached.append((time.perf_counter() - start) * 1000)
            playout.submit(Say("", 10_000 + i), 0.0)  # nothing; keeps ids apart
        for i, text in enumerate(texts):
            start = time.perf_counter()
            playout.submit(Say(text, 1000 + i), 0.0)
            cached.append((time.perf_counter() - start) * 1000)

        pull_us = []
        for _ in range(500):
            start = time.perf_counter()
            playout.pull(160)  # 10 ms, a typical audio callback block
            pull_us.append((time.perf_counter() - start) * 1e6)

    render_ms, prepare_ms, audio_s = [], [], []
    for text in texts:
        start = time.perf_counter()
        pcm: Pcm = renderer.render(text, "en-us", 150)
        middle = time.perf_counter()
        ready = prepare(pcm)
        end = time.perf_counter()
        render_ms.append((middle - start) * 1000)
        prepare_ms.append((end - middle) * 1000)
        audio_s.append(len(ready) / RATE_HZ)
    renderer.close()

    print(f"speech out, {len(texts)} phrases (en-us, 150 wpm), times in milliseconds")
    print(f"{'measure':<34} {'n':>5} {'p50':>9} {'p95':>9} {'max':>9}")
    print(row("Say to first sample, uncached", uncached))
    print(row("Say to first sample, cached", cached))
    print(row("espeak-ng render (pyttsx3)", render_ms))
    print(row("resample + trim to 16 kHz", prepare_ms))
    print(row("pull of 10 ms, in microseconds", pull_us))
    total_audio = sum(audio_s)
    total_work = (sum(render_ms) + sum(prepare_ms)) / 1000
    rtf = (f"render real-time factor: {total_work / total_audio:.4f} "
           f"({total_work:.2f} s of work for {total_audio:.1f} s of speech; below 1 is faster "
           "than real time)")
    print(rtf)
    print(f"espeak-ng syntheses restarted after a cancel: {renderer.engine.retries}")
    update_readme("speech", "\n".join([
        (f"{len(texts)} phrases of the coach's own lines and counts, voice en-us at 150 words "
         "a minute."),
        "",
        "| measure | n | median | 95th percentile | max |",
        "| --- | --- | --- | --- | --- |",
        md_row("Say to first sample, uncached", uncached, "ms"),
        md_row("Say to first sample, cached", cached, "ms"),
        md_row("espeak-ng render (pyttsx3)", render_ms, "ms"),
        md_row("resample and trim to 16 kHz", prepare_ms, "ms"),
        md_row("pull of one 10 ms block", pull_us, "microseconds"),
        "",
        rtf[0].upper() + rtf[1:] + ".",
        "",
        machine_line(),
    ]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

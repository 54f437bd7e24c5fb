#!/usr/bin/env python3
"""Benchmark command recognition: accuracy, false accepts, latency, speed, memory.

Real human recordings come from ../shared/audio (relative to the repository
root); without them only the synthetic sets run, and the output says so.
Every clip is placed on a timeline (0.5 s lead-in, 1 s after) and streamed
through the same Listener the microphone uses, in 30 ms blocks. Each system
runs beside a naive baseline: the same engine with the command grammar only
(no garbage words), no length limit, no confidence floor and no echo gate.

The coach's rules hear each clip at the moment it would be said: "yes" and
"no" when the coach asks a yes/no question, digits when it asks for a pain
rating, "left"/"right" when it asks which knee, every other phrase and all
non-commands, noise and sentences between questions (coach.core.expect).
The naive baseline listens for every phrase at once.

Held-out split: speakers whose name hashes (CRC32) to 0 mod 4 are held out;
the figures are printed for all speakers and for the held-out ones. The
decision rule was tuned on the others.

    .venv/bin/python scripts/bench_recognition.py            # full, about 8-10 min on 2 cores
    .venv/bin/python scripts/bench_recognition.py --quick    # about 2 minutes

The fixed subset: the first 20 clips of each command word (first 14 of each
digit, 12 of each non-command word) in manifest order, 60 noise clips, 40
LibriSpeech sentences; every vocabulary phrase in 6 espeak-ng voices at 160
wpm, and the core phrases (CORE_PHRASES) at 130, 160 and 200 wpm too.

Prints a table, writes JSON (--json), and refreshes the README section between
the bench:recognition markers when the markers are there.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import resource
import sys
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "audio"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from readme_figures import machine_line, update_readme  # noqa: E402

COMMAND_WORDS = ["stop", "go", "yes", "no", "left", "right"]
DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
NON_COMMAND = ["bed", "bird", "cat", "dog", "happy", "house", "marvin", "sheila", "tree", "wow",
               "backward", "forward", "follow", "learn", "up", "down", "on", "off"]
VOICES = ["en-us", "en-us+m3", "en+f3", "en-gb", "en-gb-scotland", "en-029"]
RATES = [160, 130, 200]
# Said at every rate; the rest of the vocabulary at 160 wpm only, to keep a full run short.
CORE_PHRASES = {"next", "repeat", "harder", "easier", "pause", "stop", "go", "yes", "no",
                "how many left"}
SNRS = [20, 10, 5]


def held_out(speaker: str) -> bool:
    return zlib.crc32(speaker.encode()) % 4 == 0


def manifest() -> list[dict[str, str]]:
    with open(SHARED / "manifest.csv", newline="") as f:
        return list(csv.DictReader(f))


def plan(quick: bool) -> dict[str, Any]:
    """The fixed, documented subset: the first N files of each word in manifest order."""
    per_word = 8 if quick else 20
    rows = manifest() if (SHARED / "manifest.csv").exists() else []
    sc = [r for r in rows if r["dataset"] == "speech_commands"]
    by_word: dict[str, list[dict[str, str]]] = {}
    for r in sc:
        by_word.setdefault(r["word"], []).append(r)
    commands = [r for w in COMMAND_WORDS for r in by_word.get(w, [])[:per_word]]
    commands += [r for w in DIGITS for r in by_word.get(w, [])[: per_word // 2 + 4]]
    non = [r for w in NON_COMMAND for r in by_word.get(w, [])[: (4 if quick else 12)]]
    noise = by_word.get("_silence_", [])[: (10 if quick else 60)]
    libri = [r for r in rows if r["dataset"] == "librispeech"][: (8 if quick else 40)]
    return {"commands": commands, "non": non, "noise": noise, "libri": libri}


# Where in a session each word is said: the coach's rules listen for what fits
# that moment (coach.core.expect); the naive baseline listens for everything.
ANSWERED_IN = {"yes": "CONFIRM_STOP", "no": "CONFIRM_STOP", "left": "ASK_SIDE",
               "right": "ASK_SIDE", "number": "ASK_PAIN"}
BETWEEN_QUESTIONS = "WORKING"


def expected_of(word: str) -> tuple[str, int | None]:
    if word in DIGITS:
        return "number", DIGITS.index(word)
    return word, None


def run_system(job: dict[str, Any]) -> dict[str, Any]:
    """One system (engine + rules) over every set; runs in its own process."""
    from coach.audio.wavio import read_audio
    from coach.commands.parser import load_vocabulary
    from coach.core.expect import expected_intents
    from coach.core.states import State
    from coach.runtime.person_voice import PersonVoice, flite_path
    from coach.speech_in.listener import Listener, ListenerConfig
    from coach.speech_in.scripted import Timeline, mix_at_snr, stream, synthesize
    from coach.speech_in.sphinx import SphinxEngine

    vocab = load_vocabulary()
    t_load = time.perf_counter()
    if job.get("vosk_model"):
        from coach.speech_in.listener import VOSK_CONFIG
        from coach.speech_in.vosk_engine import VoskEngine

        engine = VoskEngine(vocab, job["vosk_model"])
        config = VOSK_CONFIG
    elif job["naive"]:
        engine = SphinxEngine(vocab, garbage_words=0)
        config = ListenerConfig(max_seconds=1e9, echo_gate=False, echo_cancel=False,
                                min_voiced_seconds=0.0)
    else:
        engine = SphinxEngine(vocab)
        config = ListenerConfig()
    listener = Listener(engine, vocab, config)
    load_seconds = time.perf_counter() - t_load
    cpu = {"audio_s": 0.0, "cpu_s": 0.0}
    latencies: list[float] = []
    rng = np.random.default_rng(0)
    noise_pool = [read_audio(SHARED / r["path"]) for r in job["plan"]["noise"][:20]]

    def listen(
        pcm: np.ndarray, reference: np.ndarray | None = None, lead: float = 0.5, tail: float = 1.0,
        said: str | None = None,
    ) -> list[Any]:
        """``said``: the intent the person means (its moment), None: between questions."""
        if not job["naive"]:
            moment = ANSWERED_IN.get(said or "", BETWEEN_QUESTIONS)
            listener.expect(expected_intents(State[moment]))
        tl = Timeline(lead + pcm.size / 16000 + tail)
        tl.place(pcm, lead)
        mic = tl.pcm()
        ref = None
        if reference is not None:
            rt = Timeline(tl.seconds)
            rt.place(reference, 0.0)
            ref = rt.pcm()
        listener.reset()
        c0 = time.process_time()
        out = stream(listener, mic, block_samples=480, reference=ref)
        cpu["cpu_s"] += time.process_time() - c0
        cpu["audio_s"] += tl.seconds
        latencies.extend(r.decided_at - r.heard.at for r in out)
        return out

    def correct(out: list[Any], word: str) -> bool:
        intent, number = expected_of(word)
        return len(out) == 1 and out[0].heard.intent.value == intent and out[0].heard.number == number

    res: dict[str, Any] = {"system": job["name"], "load_seconds": round(load_seconds, 2)}
    p = job["plan"]
    if p["commands"]:
        clips = [(r, read_audio(SHARED / r["path"])) for r in p["commands"]]
        for cond in ["clean"] + [f"{s} dB" for s in SNRS]:
            ok = {"all": [0, 0], "held-out": [0, 0]}
            for r, pcm in clips:
                if cond != "clean":
                    noise = noise_pool[int(rng.integers(len(noise_pool)))]
                    pcm = mix_at_snr(pcm, noise, float(cond.split()[0]))
                good = correct(listen(pcm, said=expected_of(r["word"])[0]), r["word"])
                for k in ("all",) + (("held-out",) if held_out(r["speaker"]) else ()):
                    ok[k][0] += good
                    ok[k][1] += 1
            res[f"real commands {cond}"] = {k: round(a / max(1, n), 3) for k, (a, n) in ok.items()}
            res[f"real commands {cond}"]["n"] = ok["all"][1]
        for key in ("non", "noise", "libri"):
            fa = sum(bool(listen(read_audio(SHARED / r["path"]))) for r in p[key])
            res[f"false accepts {key}"] = {"rate": round(fa / max(1, len(p[key])), 3), "n": len(p[key])}
    # Synthetic: every phrase in several voices at 160 wpm; the core phrases at every rate.
    phrases = [(i, ph) for i, phs in vocab.phrases().items() for ph in phs]
    voices = VOICES[: job["voices"]]
    phrases = [(i, ph) for i, ph in phrases if ph not in vocab.not_spoken]
    ok_n = [0, 0]
    for intent, phrase in phrases:
        rates = RATES[: job["rates"]] if phrase in CORE_PHRASES else [160]
        for v in voices:
            for rate in rates:
                out = listen(synthesize(phrase, v, rate), lead=0.3, tail=0.5, said=intent.value)
                ok_n[0] += len(out) == 1 and out[0].heard.intent is intent
                ok_n[1] += 1
    res["espeak-ng phrases clean"] = {"all": round(ok_n[0] / max(1, ok_n[1]), 3), "n": ok_n[1]}
    if flite_path():  # a person's stand-in voice (coach.runtime.person_voice)
        person = PersonVoice()
        ok_n = [0, 0]
        for intent, phrase in phrases:
            for try_number in range(1, len(person.voices) + 1):
                out = listen(person(phrase, try_number), lead=0.3, tail=0.5, said=intent.value)
                ok_n[0] += len(out) == 1 and out[0].heard.intent is intent
                ok_n[1] += 1
        res["Flite phrases clean"] = {"all": round(ok_n[0] / max(1, ok_n[1]), 3), "n": ok_n[1]}
    # The coach's own speech: a routine's worth of lines, echoed into the mic.
    lines = job["coach_lines"]
    track = np.concatenate([np.concatenate([synthesize(t, "en-us", 160), np.zeros(4800, np.int16)])
                            for t in lines])
    seconds = track.size / 16000
    echo = np.round(track * 0.5).astype(np.int16)
    fa = len(listen(echo, reference=track, lead=0.0))
    res["coach speech"] = {"false_accepts": fa, "minutes": round(seconds / 60, 1),
                           "per_hour": round(fa * 3600 / seconds, 1)}
    # Barge-in: "stop" over the coach at 20/10/5 dB above the echo.
    user = [synthesize("stop", v, 150) for v in VOICES[:3]]
    for snr in SNRS:
        hits = n = 0
        for k in range(6):
            start = int((4 + 6 * k) * 16000)
            if start + 32000 > track.size:
                break
            ref = track[start - 48000 : start + 32000]  # 3 s of coach first: the canceller learns
            u = user[k % len(user)].astype(np.float64)
            # The person speaks at their own level; the echo is scaled to sit snr dB under them.
            seg = ref[48000 : 48000 + u.size].astype(np.float64)
            pe = float(np.mean(seg**2)) + 1.0
            e = np.sqrt(float(np.mean(u**2)) / (pe * 10 ** (snr / 10)))
            mixed = e * ref.astype(np.float64)
            mixed[48000 : 48000 + u.size] += u
            mic = np.clip(np.round(mixed), -32768, 32767).astype(np.int16)
            out = listen(mic, reference=ref, lead=0.0)
            hits += any(r.heard.intent.value == "stop" for r in out)
            n += 1
        res[f"barge-in stop {snr} dB over coach"] = {"all": round(hits / max(1, n), 3), "n": n}
    lat = np.array(latencies) * 1000 if latencies else np.zeros(1)
    res["latency ms p50/p95"] = [round(float(np.percentile(lat, 50))), round(float(np.percentile(lat, 95)))]
    res["real-time factor"] = round(cpu["cpu_s"] / max(1e-9, cpu["audio_s"]), 4)
    res["peak memory MB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return res


def coach_lines(limit: int) -> list[str]:
    """Spoken lines of the bundled routine (what the coach itself says)."""
    import yaml

    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            if len(node.split()) >= 2 and "{" not in node:
                found.append(node)
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for path in (REPO / "coach" / "speech_out" / "lines.yaml", REPO / "coach" / "programs" / "medial-knee.yaml"):
        if path.exists():
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found[:limit]


def table(results: list[dict[str, Any]]) -> str:
    keys = [k for k in results[0] if k != "system"]
    width = max(len(k) for k in keys) + 2
    head = "measure".ljust(width) + "".join(r["system"].ljust(34) for r in results)
    rows = [head, "-" * len(head)]
    for k in keys:
        rows.append(k.ljust(width) + "".join(json.dumps(r.get(k)).ljust(34) for r in results))
    return "\n".join(rows)


def cell(value: Any) -> str:
    """One figure in words a screen reader says well."""
    if isinstance(value, dict) and "all" in value:
        held = f", held-out {value['held-out']:.1%}" if "held-out" in value else ""
        return f"{value['all']:.1%}{held} (n {value['n']})"
    if isinstance(value, dict) and "rate" in value:
        return f"{value['rate']:.1%} of {value['n']}"
    if isinstance(value, dict) and "false_accepts" in value:
        return (f"{value['false_accepts']} in {value['minutes']} min "
                f"({value['per_hour']} per hour)")
    if isinstance(value, list):
        return " / ".join(str(v) for v in value)
    return str(value)


def markdown(results: list[dict[str, Any]]) -> str:
    keys = [k for k in results[0] if k != "system"]
    rows = ["| measure | " + " | ".join(r["system"] for r in results) + " |",
            "| --- |" + " --- |" * len(results)]
    rows += [f"| {k} | " + " | ".join(cell(r.get(k)) for r in results) + " |" for k in keys]
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a smaller fixed subset (about 2 minutes)")
    ap.add_argument("--json", type=Path, default=REPO / "scripts" / "bench_recognition.json")
    args = ap.parse_args()
    started = time.time()
    header = (f"coach recognition benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, "
              f"{platform.machine()} {platform.processor() or ''}, "
              f"Python {platform.python_version()}, {'quick' if args.quick else 'full'} run")
    print(header)
    if not (SHARED / "manifest.csv").exists():
        print(f"note: real recordings not found at {SHARED}; only synthetic sets run.")
    p = plan(args.quick)
    lines = coach_lines(20 if args.quick else 60)
    jobs: list[dict[str, Any]] = [
        {"name": "sphinx (coach rules)", "naive": False},
        {"name": "sphinx naive baseline", "naive": True},
    ]
    try:
        from coach.errors import CoachError
        from coach.speech_in.models import find_vosk_model

        vosk_model = find_vosk_model(lang="en")
        if vosk_model is None:
            vosk_note = "Vosk: no English model installed; not measured."
        else:
            vosk_note = f"Vosk: measured with the model in {vosk_model}."
            jobs.append({"name": "vosk (coach rules)", "naive": False, "vosk_model": str(vosk_model)})
    except CoachError as exc:  # a broken COACH_VOSK_MODEL should not stop the benchmark
        vosk_note = f"Vosk: not measured ({exc})."
    for j in jobs:
        j.update(plan=p, coach_lines=lines, voices=2 if args.quick else 6, rates=1 if args.quick else 3)
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run_system, jobs))
    text = "\n".join([header, table(results), vosk_note,
                      f"wall time {time.time() - started:.0f} s; held-out = speakers with CRC32 % 4 == 0"])
    print(text[len(header) + 1:])
    args.json.write_text(json.dumps({"header": header, "results": results, "note": vosk_note}, indent=2))
    print(f"JSON written to {args.json}")
    update_readme("recognition", "\n\n".join([
        markdown(results), vosk_note,
        f"Wall time {time.time() - started:.0f} s, {'quick' if args.quick else 'full'} run; "
        "held-out: speakers whose CRC32 is 0 mod 4 (the rules were tuned on the others).",
        machine_line()]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

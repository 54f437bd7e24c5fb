#!/usr/bin/env python3
"""Benchmark command recognition: accuracy, false accepts, latency, speed, memory.

Real human recordings come from ../shared/audio (relative to the repository
root) or the folder named in $COACH_SHARED_AUDIO; without them only the coach's own speech and synthetic barge-in run,
and the output says so. Every clip is placed on a timeline (0.5 s lead-in,
1 s after) and streamed through the same Listener the microphone uses, in
30 ms blocks, with decoding inline (the live coach decodes on a worker; the
decisions are the same).

Each word is heard at the moment it would be said in a session, as the
coach listens then (coach.core.expect) and with the question the coach has
just asked (for an engine that takes one):

- command words: "stop" while counting, "go" after "Say go when you are
  ready.", "yes"/"no" after "Stopping. End the session?", "left"/"right"
  after "Which knee hurts, left or right?";
- ratings: spoken digits after "How is your knee, from zero to ten?"
  (correct means the right number);
- other words (must give no command): while counting, at each question,
  since a word like "on" is only dangerous where a number is expected, and
  at "Say go when you are ready.", where one taken for "go" starts a set;
- noise clips and unrelated sentences: while counting (noise also at the
  rating question);
- the same command words and ratings mixed with real background noise at 20,
  10 and 5 dB, and the other words at 10 dB;
- the coach's own voice, echoed into the microphone: nothing may be heard;
- barge-in: real recordings of "stop" over the coach's voice at 30, 20, 10
  and 5 dB above its echo, timed from the word's own end.

Held-out split: speakers whose name hashes (CRC32) to 0 mod 4; figures are
given for all speakers and for those. The rules were tuned on the others.

    .venv/bin/python scripts/bench_recognition.py            # full, about 40 minutes on 2 cores
    .venv/bin/python scripts/bench_recognition.py --quick    # a fixed subset, about 5 minutes
    .venv/bin/python scripts/bench_recognition.py --engines whisper

Prints a table, writes JSON (--json), and refreshes the README section between
the bench:recognition markers.
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
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from living_room import INSTALL_HINT as ROOM_HINT
from living_room import Rooms, available, bed_for, noise_under
from readme_figures import machine_line, update_readme
from recordings import SHARED_AUDIO as SHARED
from word_timing import word_end_seconds

from coach.audio.format import RATE_HZ

DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
# Where each command word is said, as a moment of coach hear --moment.
COMMAND_MOMENTS = {"stop": "working", "go": "ready", "yes": "confirm-stop", "no": "confirm-stop",
                   "left": "ask-side", "right": "ask-side"}
NON_COMMAND = ["bed", "bird", "cat", "dog", "happy", "house", "marvin", "sheila", "tree", "wow",
               "backward", "forward", "follow", "learn", "up", "down", "on", "off"]
QUESTION_MOMENTS = ["ask-pain", "confirm-stop", "ask-side"]
# Where other words are said besides counting: the questions, and "Say go".
OTHER_MOMENTS = [*QUESTION_MOMENTS, "ready"]
SNRS = [20, 10, 5]
Cond = tuple[str, "float | None"]  # (where, SNR in dB or None for clean)
# Where a clip is said: close to the microphone, across a room, or across it with a
# television on (both need the living room's simulation).
IN_A_ROOM = ("room", "tv")
CONDITIONS: dict[str, Cond] = {
    "clean": ("close", None), "20 dB": ("close", 20), "10 dB": ("close", 10), "5 dB": ("close", 5),
    "room 20 dB": ("room", 20), "room 10 dB": ("room", 10),
    "room TV 20 dB": ("tv", 20), "room TV 10 dB": ("tv", 10)}
# A television in the room: a LibriSpeech sentence, through a room of its own
# (seed TV_ROOM_SEED), on for TV_LEAD_SECONDS before the person speaks and after.
TV_ROOM_SEED = 99
TV_LEAD_SECONDS = 3.0
PARTS = ("commands", "other", "coach", "barge-in")
# Reasons the front end gives when the engine never heard the utterance.
WORDLESS = ("too-long", "too-short", "noise", "echo")
ROOM_SEED = 17
ROOM_COUNT = 16
FSDD_PER_DIGIT = 30  # of 150 (10 from each of the 3 speakers): a fifth of the time


def held_out(speaker: str) -> bool:
    return zlib.crc32(speaker.encode()) % 4 == 0


def plan(quick: bool, speakers: str = "all", per_word: int | None = None,
         ) -> dict[str, list[dict[str, str]]]:
    """The fixed subsets, in manifest order (the same every run).

    ``speakers``: "all", "dev" (the speakers rules are tuned on) or "held-out".
    """
    rows = []
    if (SHARED / "manifest.csv").exists():
        with open(SHARED / "manifest.csv", newline="") as f:
            rows = list(csv.DictReader(f))
    if speakers != "all":  # noise clips have no speaker: they stay in both
        rows = [r for r in rows
                if not r["speaker"] or held_out(r["speaker"]) == (speakers == "held-out")]
    by_word: dict[tuple[str, str], list[dict[str, str]]] = {}
    for r in rows:
        by_word.setdefault((r["dataset"], r["word"]), []).append(r)

    def take(dataset: str, word: str, n: int | None) -> list[dict[str, str]]:
        return by_word.get((dataset, word), [])[:n]

    def spread(dataset: str, word: str, n: int) -> list[dict[str, str]]:
        """``n`` clips of ``word``, shared out between its speakers (FSDD has three)."""
        clips = by_word.get((dataset, word), [])
        speakers = sorted({r["speaker"] for r in clips})
        each = max(1, n // max(1, len(speakers)))
        return [r for sp in speakers for r in [c for c in clips if c["speaker"] == sp][:each]]

    n_cmd, n_digit, n_fsdd, n_non = (20, 4, 6, 4) if quick else (None, None, FSDD_PER_DIGIT, None)
    if per_word is not None:
        n_cmd, n_digit, n_fsdd, n_non = per_word, max(1, per_word // 3), max(3, per_word // 3), 2
    return {
        "commands": [r for w in COMMAND_MOMENTS for r in take("speech_commands", w, n_cmd)],
        "ratings": [r for w in DIGITS for r in take("speech_commands", w, n_digit)],
        "fsdd": [r for w in DIGITS for r in spread("fsdd", w, n_fsdd)],
        "other": [r for w in NON_COMMAND for r in take("speech_commands", w, n_non)],
        "noise": take("speech_commands", "_silence_", 20 if quick else None),
        "sentences": take("librispeech", "_speech_", 10 if quick else None),
        "stop": take("speech_commands", "stop", 12 if quick else 40),
    }


def run_system(job: dict[str, Any]) -> dict[str, Any]:
    """One engine with the coach's rules over every set; runs in its own process."""
    from coach.audio.wavfile import read_audio
    from coach.cli.hear import moment_question
    from coach.commands.intents import Intent
    from coach.commands.parser import parse
    from coach.core.expect import expected_intents, listening
    from coach.core.states import State
    from coach.runtime.listen_for import tell
    from coach.speech_in.command_listener import make_listener
    from coach.speech_in.scripted import AudioTrack, mix_at_snr, stream, synthesize
    from coach.speech_in.transcript import command_text

    rooms = None
    if any(CONDITIONS[c][0] in IN_A_ROOM for c in job["conditions"]) or "barge-in" in job["parts"]:
        rooms = Rooms(ROOM_COUNT, job["room_seed"]) if available() else None
    t_load = time.perf_counter()
    from dataclasses import replace

    from coach.speech_in.listener import WHISPER_CONFIG, ListenerConfig

    base = WHISPER_CONFIG if job["engine"] == "whisper" else ListenerConfig()
    config = replace(base, vad=job["vad"]) if job.get("vad") else None
    if job.get("settings"):
        config = replace(config or base, **job["settings"])
    listener = make_listener(job["engine"], job.get("model"), config=config)
    enhance = None
    if job.get("enhance"):
        from front_end import enhancer

        enhance = enhancer(job["enhance"])
    aec = None
    if job.get("aec") == "webrtc":
        from front_end import webrtc_aec3

        aec = webrtc_aec3()
    echo_paths = None
    if job.get("echo") == "room":
        from living_room import EchoPaths

        echo_paths = EchoPaths()
    load_seconds = time.perf_counter() - t_load
    cpu = {"audio_s": 0.0, "cpu_s": 0.0, "enhance_s": 0.0}
    latencies: list[float] = []
    decodes: list[float] = []
    p = job["plan"]
    noise_pool = [read_audio(SHARED / r["path"]) for r in p["noise"][:20]]
    television: list[np.ndarray] = []
    if rooms is not None and any(CONDITIONS[c][0] == "tv" for c in job["conditions"]):
        tv_rooms = Rooms(8, TV_ROOM_SEED)
        television = [tv_rooms.say(read_audio(SHARED / r["path"]), r["path"])
                      for r in p["sentences"]]
    audio: dict[str, np.ndarray] = {}
    last_mic: dict[str, np.ndarray] = {}

    def clip(r: dict[str, str]) -> np.ndarray:
        if r["path"] not in audio:
            audio[r["path"]] = read_audio(SHARED / r["path"])
        return audio[r["path"]]

    def listen(pcm: np.ndarray, moment: str, reference: np.ndarray | None = None,
               lead: float = 0.5, tail: float = 1.0,
               bed: tuple[np.ndarray, float] | None = None) -> list[Any]:
        """``bed``: noise laid under the whole timeline at an SNR below ``pcm``."""
        state = State(moment)  # as the session listens: what fits, and what is most likely said
        tell(listener, listening(state, question=moment_question(moment)))
        tl = AudioTrack(lead + pcm.size / RATE_HZ + tail)
        tl.place(pcm, lead)
        mic = tl.pcm() if bed is None else noise_under(tl.pcm(), pcm, *bed)
        ref = None
        if reference is not None:
            rt = AudioTrack(tl.seconds)
            rt.place(reference, 0.0)
            ref = rt.pcm()
        c0 = time.process_time()  # the front end: the echo taken out first, then the noise
        if aec is not None and ref is not None:
            mic = aec(mic, ref)
        if enhance is not None:
            mic = enhance(mic)
        cpu["enhance_s"] += time.process_time() - c0
        listener.reset()
        last_mic["pcm"] = mic
        c0 = time.process_time()
        out = stream(listener, mic, block_samples=480, reference=ref)
        cpu["cpu_s"] += time.process_time() - c0
        cpu["audio_s"] += tl.seconds
        for d in listener.decisions:
            if d.decode_seconds:
                decodes.append(d.decode_seconds)
            if d.heard is not None:
                latencies.append(d.answered_at - d.speech_end)
        return out

    def noisy(r: dict[str, str], moment: str, snr: float | None) -> np.ndarray:
        """The clip with noise under it: the noise chosen by the clip, its moment and
        the level, so a clip hears the same noise whichever conditions and parts run."""
        if snr is None:
            return clip(r)
        return mix_at_snr(clip(r), bed_for(noise_pool, f"{r['path']}|{moment}|{snr:g}"), snr)

    def hear(r: dict[str, str], moment: str, cond: Cond) -> list[Any]:
        """One clip at its moment, close (noise under the clip) or across the room
        (reverberant, with noise, or a television's talk, under the whole timeline)."""
        where, snr = cond
        if where == "close":
            return listen(noisy(r, moment, snr), moment)
        if where == "tv alone":  # ``r`` a sentence: the television's talk, nobody speaking
            return listen(television[p["sentences"].index(r)], moment)
        assert rooms is not None and snr is not None
        if where == "tv":
            return listen(rooms.say(clip(r), r["path"]), moment, lead=TV_LEAD_SECONDS,
                          bed=(bed_for(television, r["path"]), snr))
        return listen(rooms.say(clip(r), r["path"]), moment, bed=(bed_for(noise_pool, r["path"]), snr))

    def why() -> list[str]:
        """Each utterance's reason, with what the engine wrote when it was asked."""
        return [f"{x.reason} {x.hypothesis.text!r}" if x.hypothesis.text else x.reason
                for x in listener.decisions]

    def whole_clip(moment: str) -> str:
        """The engine on the whole timeline, no front end: what could have been heard."""
        engine: Any = listener.engine
        if not hasattr(engine, "decode"):
            return ""
        engine.prompt_with(moment_question(moment))
        return str(engine.decode(last_mic["pcm"]).text)

    def whole_clip_heard(moment: str, want: tuple[str, int | None]) -> bool:
        """Whether the engine, given the whole clip, writes down the right answer."""
        state = State(moment)
        expected = expected_intents(state)
        text = command_text(whole_clip(moment), listener.vocabulary,
                            number_expected=expected is None or Intent.NUMBER in expected)
        parsed = parse(text, listener.vocabulary, spoken=True)
        return parsed is not None and (parsed.intent.value, parsed.number) == want

    def score(rows: list[dict[str, str]], want: Any, moment: Any, cond: Cond) -> dict[str, Any]:
        ok = {"all": [0, 0], "held-out": [0, 0]}
        per: dict[str, list[int]] = {}
        misses: list[str] = []
        dropped = 0
        for r in rows:
            out = hear(r, moment(r), cond)
            got = [(x.heard.intent.value, x.heard.number) for x in out]
            good = got == [want(r)]
            if not good:
                misses.append(f"{r['path']}: {got or why()}; whole clip: "
                              f"{whole_clip(moment(r))!r}")
            if (not good and hasattr(listener.engine, "decode")
                    and all(d.reason in WORDLESS for d in listener.decisions)):
                # The front end gave the engine nothing: would it have heard the word?
                dropped += whole_clip_heard(moment(r), want(r))
            for k in ("all",) + (("held-out",) if held_out(r["speaker"]) else ()):
                ok[k][0] += good
                ok[k][1] += 1
            m = per.setdefault(moment(r), [0, 0, 0, 0])
            m[0] += good
            m[1] += 1
            if held_out(r["speaker"]):
                m[2] += good
                m[3] += 1
        res: dict[str, Any] = {k: round(a / max(1, n), 3) for k, (a, n) in ok.items()}
        res["n"] = ok["all"][1]
        res["held-out n"] = ok["held-out"][1]
        if len(per) > 1:
            res["by moment"] = {m: [round(a / max(1, n), 3), n, round(b / max(1, h), 3), h]
                                for m, (a, n, b, h) in per.items()}
        if hasattr(listener.engine, "decode"):
            res["front end dropped"] = round(dropped / max(1, len(rows)), 3)
        res["misses"] = misses
        return res

    def obeyed(rows: list[dict[str, str]], moment: str, cond: Cond = ("close", None)) -> dict[str, Any]:
        hits: list[str] = []
        taken_as: dict[str, int] = {}  # what each clip obeyed was taken for
        for r in rows:
            out = hear(r, moment, cond)
            if out:
                hits.append(r["path"])
                for x in out:
                    name = x.heard.intent.value + (f" {x.heard.number}" if x.heard.number is not None
                                                   else "")
                    taken_as[name] = taken_as.get(name, 0) + 1
        return {"rate": round(len(hits) / max(1, len(rows)), 3), "n": len(rows), "hits": hits[:40],
                "taken as": dict(sorted(taken_as.items(), key=lambda kv: -kv[1]))}

    res: dict[str, Any] = {"system": job["name"], "load_seconds": round(load_seconds, 2)}
    def word_of(r: dict[str, str]) -> tuple[str, None]:
        return (r["word"], None)

    def number_of(r: dict[str, str]) -> tuple[str, int]:
        return ("number", DIGITS.index(r["word"]))

    conds = job["conditions"]
    parts = job["parts"]
    at_moment = lambda r: COMMAND_MOMENTS[r["word"]]
    if p["commands"] and "commands" in parts:
        for name in conds:
            res[f"commands {name}"] = score(p["commands"], word_of, at_moment, CONDITIONS[name])
            res[f"ratings {name}"] = score(p["ratings"], number_of, lambda r: "ask-pain",
                                           CONDITIONS[name])
            if p["fsdd"]:
                res[f"ratings, Free Spoken Digits {name}"] = score(
                    p["fsdd"], number_of, lambda r: "ask-pain", CONDITIONS[name])
    if p["other"] and "other" in parts:
        close, room20, room10 = ("close", None), ("room", 20), ("room", 10)
        if "clean" in conds:
            res["other words obeyed, counting"] = obeyed(p["other"], "working")
            for moment in OTHER_MOMENTS:
                res[f"other words obeyed, {moment}"] = obeyed(p["other"], moment)
        if "10 dB" in conds:
            res["other words obeyed, counting, 10 dB"] = obeyed(p["other"], "working", ("close", 10))
            res["other words obeyed, ask-pain, 10 dB"] = obeyed(p["other"], "ask-pain", ("close", 10))
        if "room 20 dB" in conds:
            for moment in ["working", *OTHER_MOMENTS]:
                res[f"other words obeyed, {moment}, room 20 dB"] = obeyed(p["other"], moment, room20)
            res["sentences obeyed, room 20 dB"] = obeyed(p["sentences"], "working", room20)
        if "room 10 dB" in conds:
            res["other words obeyed, ask-pain, room 10 dB"] = obeyed(p["other"], "ask-pain", room10)
        if television:
            for moment in ["working", *OTHER_MOMENTS]:
                res[f"television alone obeyed, {moment}"] = obeyed(p["sentences"], moment,
                                                                   ("tv alone", None))
        if "clean" in conds:
            res["sentences obeyed"] = obeyed(p["sentences"], "working", close)
            res["noise obeyed, counting"] = obeyed(p["noise"], "working", close)
            res["noise obeyed, ask-pain"] = obeyed(p["noise"], "ask-pain", close)
    # The coach's own speech: a routine's worth of lines, echoed into the mic.
    lines = job["coach_lines"]
    track = np.concatenate([np.concatenate([synthesize(t, "en-us", 160), np.zeros(4800, np.int16)])
                            for t in lines])
    seconds = track.size / RATE_HZ
    if "coach" in parts:
        echoed = track.astype(np.float64) if echo_paths is None else echo_paths.echo(track, "coach")
        echo = np.clip(np.round(echoed * 0.5), -32768, 32767).astype(np.int16)
        fa = len(listen(echo, "working", reference=track, lead=0.0))
        res["coach speech"] = {"false_accepts": fa, "minutes": round(seconds / 60, 1)}
    # Barge-in: real "stop" over the coach at 30/20/10/5 dB above its echo, 3 s into a line;
    # in the room, the "stop" said across it, 10 dB over the echo, with noise 20 dB under it.
    stops = [(r["path"], clip(r)) for r in p["stop"]] or [("", synthesize("stop", "en-us", 150))]
    # 30 dB: the coach's echo far under the word (a quiet speaker, or one across the
    # room from the microphone): the echo gate then lets the recording's own background
    # through, as it does live (scripts/bench_live.py).
    barge = [(f"barge-in stop {snr} dB over coach", snr, False) for snr in [30] + SNRS]
    if rooms is not None and noise_pool:  # without the recordings there is no room's noise
        barge.append(("barge-in stop in the room, 10 dB over coach, noise 20 dB", 10, True))
    for label, snr, in_room in barge if "barge-in" in parts else []:
        hits = n = 0
        cut_ms: list[float] = []
        after_word_ms: list[float] = []
        vad_end_ms: list[float] = []  # where the VAD ended the word, against its own end
        misses: list[str] = []
        for k, (path, user) in enumerate(stops):
            word_end = 3.0 + (word_end_seconds(user) or 0.0)
            if in_room and rooms is not None:
                word_end += rooms.direct_delay_seconds(path)
                user = rooms.say(user, path)
            start = int((4 + 5 * k) * RATE_HZ) % max(RATE_HZ, track.size - 5 * RATE_HZ)
            start = max(start, 48000)
            ref = track[start - 48000 : start + 32000]  # 3 s of coach first: the canceller learns
            u = user.astype(np.float64)
            echoed = ref.astype(np.float64) if echo_paths is None else echo_paths.echo(ref, path)
            seg = echoed[48000 : 48000 + u.size]
            pe = float(np.mean(seg**2)) + 1.0
            e = np.sqrt(float(np.mean(u**2)) / (pe * 10 ** (snr / 10)))
            mixed = e * echoed
            mixed[48000 : 48000 + u.size] += u
            mic = np.clip(np.round(mixed), -32768, 32767).astype(np.int16)
            if in_room:
                mic = noise_under(mic, user, bed_for(noise_pool, path), 20.0)
            out = listen(mic, "working", reference=ref, lead=0.0)
            got = [x for x in out if x.heard.intent.value == "stop"]
            hits += bool(got)
            n += 1
            if not got:
                misses.append(f"{path}: {why()}")
            for d in listener.decisions:
                if d.heard is not None and d.heard.intent.value == "stop":
                    cut_ms.append(1000 * (d.answered_at - d.speech_end))
                    after_word_ms.append(1000 * (d.answered_at - word_end))
                    vad_end_ms.append(1000 * (d.speech_end - word_end))
                    break
        res[label] = {
            "all": round(hits / max(1, n), 3), "n": n,
            "decided_ms_p95": round(float(np.percentile(cut_ms, 95))) if cut_ms else None,
            # From the word's own end (its last sound above 3% of its peak, as the live
            # benchmark places it), not from where the VAD ended the utterance.
            "after word ms p50/p95": ([round(float(np.percentile(after_word_ms, q))) for q in (50, 95)]
                                      if after_word_ms else None),
            "VAD end after word ms p50/p95": ([round(float(np.percentile(vad_end_ms, q)))
                                               for q in (50, 95)] if vad_end_ms else None),
            "misses": misses}
    lat = np.array(latencies) * 1000 if latencies else np.zeros(1)
    dec = np.array(decodes) * 1000 if decodes else np.zeros(1)
    res["end of speech to decision ms p50/p95"] = [round(float(np.percentile(lat, 50))),
                                                   round(float(np.percentile(lat, 95)))]
    res["decode ms p50/p95"] = [round(float(np.percentile(dec, 50))), round(float(np.percentile(dec, 95)))]
    res["real-time factor"] = round(cpu["cpu_s"] / max(1e-9, cpu["audio_s"]), 4)
    if enhance is not None or aec is not None:
        res["front end real-time factor"] = round(cpu["enhance_s"] / max(1e-9, cpu["audio_s"]), 4)
    res["peak memory MB"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return res


def coach_lines(limit: int) -> list[str]:
    """Spoken lines of the bundled routine and the coach's own copy."""
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

    for path in (REPO / "coach" / "core" / "lines.yaml", REPO / "coach" / "bundled_programs" / "medial-knee.yaml"):
        if path.exists():
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return found[:limit]


def cell(value: Any) -> str:
    """One figure in words a screen reader says well."""
    if isinstance(value, dict) and "all" in value:
        held = f", held-out {value['held-out']:.1%}" if "held-out" in value else ""
        extra = f", held-out n {value['held-out n']}" if "held-out n" in value else ""
        extra += f", decided p95 {value['decided_ms_p95']} ms" if value.get("decided_ms_p95") else ""
        if value.get("after word ms p50/p95"):
            extra += ", after the word p50/p95 {} / {} ms".format(*value["after word ms p50/p95"])
        if "front end dropped" in value:
            extra += f", dropped by the front end {value['front end dropped']:.1%}"
        return f"{value['all']:.1%}{held} (n {value['n']}{extra})"
    if isinstance(value, list) and len(value) == 4 and isinstance(value[0], float):
        return f"{value[0]:.1%}, held-out {value[2]:.1%} (n {value[1]}, held-out n {value[3]})"
    if isinstance(value, dict) and "rate" in value:
        return f"{value['rate']:.1%} of {value['n']}"
    if isinstance(value, dict) and "false_accepts" in value:
        return f"{value['false_accepts']} in {value['minutes']} min"
    if isinstance(value, list):
        return " / ".join(str(v) for v in value)
    return str(value)


def markdown(results: list[dict[str, Any]]) -> str:
    keys = [k for k in results[0] if k != "system"]
    rows = ["| measure | " + " | ".join(r["system"] for r in results) + " |",
            "| --- |" + " --- |" * len(results)]
    for k in keys:
        rows.append(f"| {k} | " + " | ".join(cell(r.get(k)) for r in results) + " |")
        moments = results[0][k].get("by moment", {}) if isinstance(results[0][k], dict) else {}
        if "room" in k:  # the living room, moment by moment
            for m in moments:
                rows.append(f"| {k}, at {m} | " + " | ".join(
                    cell(r.get(k, {}).get("by moment", {}).get(m)) for r in results) + " |")
    return "\n".join(rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a smaller fixed subset (about 5 minutes)")
    ap.add_argument("--engines", default="whisper,sphinx", help="comma-separated (default whisper,sphinx;"
                    " vosk is added when a Vosk model is installed)")
    ap.add_argument("--conditions", default=",".join(CONDITIONS),
                    help=f"comma-separated, of: {', '.join(CONDITIONS)} (default all)")
    ap.add_argument("--parts", default=",".join(PARTS),
                    help=f"comma-separated, of: {', '.join(PARTS)} (default all)")
    ap.add_argument("--vad", choices=("energy", "silero"), default=None,
                    help="the voice activity detector (default: the engine's own setting)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="a listener setting to try (coach.speech_in.listener.ListenerConfig), "
                    "e.g. --set min_seconds=0.06, or --set talk_db=none (off); may be given "
                    "more than once")
    ap.add_argument("--per-word", type=int, default=None, metavar="N",
                    help="a smaller subset: N clips of each command word, N/3 of each digit")
    ap.add_argument("--speakers", choices=("all", "dev", "held-out"), default="all",
                    help="whose recordings (default all; tune on dev, check on held-out)")
    ap.add_argument("--enhance", default="", help="a speech enhancement candidate in front of the"
                    " listener (scripts/front_end.py: webrtc-ns, webrtc-ns-agc, wpe, deepfilternet)")
    ap.add_argument("--echo", choices=("gain", "room"), default="gain",
                    help="the coach's echo in the coach and barge-in parts: its own sound at a "
                    "gain (default), or through a seeded room from a loudspeaker 0.1-0.4 m away")
    ap.add_argument("--aec", choices=("none", "webrtc"), default="none",
                    help="an echo canceller in front of the listener wherever the coach plays: "
                    "WebRTC's AEC3 (pywebrtc-audio); add --set echo_cancel=0 to take coach's own out")
    ap.add_argument("--room-seed", type=int, default=ROOM_SEED, metavar="N",
                    help=f"draw the living rooms with this seed (default {ROOM_SEED}, the rooms "
                    "the rules were tuned in; another seed gives rooms nothing was tuned or "
                    "fitted in: the keyword model's are seed 1001)")
    ap.add_argument("--json", type=Path, default=REPO / "scripts" / "bench_recognition.json")
    ap.add_argument("--no-readme", action="store_true", help="do not write the figures into README.md")
    args = ap.parse_args()
    started = time.time()
    header = (f"coach recognition benchmark, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, "
              f"{platform.machine()}, Python {platform.python_version()}, "
              f"{'quick' if args.quick else 'full'} run"
              + (f", {args.per_word} clips of each command word" if args.per_word else "")
              + (f", {args.speakers} speakers" if args.speakers != "all" else "")
              + (f", rooms seed {args.room_seed}" if args.room_seed != ROOM_SEED else ""))
    print(header)
    if not (SHARED / "manifest.csv").exists():
        print(f"note: real recordings not found at {SHARED}; only the coach's own speech and "
              "synthetic barge-in run.")
    p = plan(args.quick, args.speakers, args.per_word)
    lines = coach_lines(20 if args.quick else 60)
    names = {"whisper": "Whisper tiny.en", "sphinx": "PocketSphinx", "vosk": "Vosk"}
    jobs = [{"name": names.get(e, e), "engine": e} for e in args.engines.split(",") if e]
    notes = []
    try:
        from coach.errors import CoachError
        from coach.speech_in.models import find_vosk_model

        vosk_model = find_vosk_model(lang="en")
        if vosk_model is None:
            notes.append("Vosk: no English model installed; not measured.")
        elif not any(j["engine"] == "vosk" for j in jobs):
            notes.append(f"Vosk: measured with the model in {vosk_model}.")
            jobs.append({"name": "Vosk", "engine": "vosk", "model": str(vosk_model)})
    except CoachError as exc:  # a broken COACH_VOSK_MODEL should not stop the benchmark
        notes.append(f"Vosk: not measured ({exc}).")
    conds = [c.strip() for c in args.conditions.split(",") if c.strip()]
    parts = [x.strip() for x in args.parts.split(",") if x.strip()]
    unknown = [c for c in conds if c not in CONDITIONS] + [x for x in parts if x not in PARTS]
    if unknown:
        print(f"error: unknown condition or part {', '.join(unknown)}; use --help to list them.",
              file=sys.stderr)
        return 2
    if not available() and any(CONDITIONS[c][0] in IN_A_ROOM for c in conds):
        notes.append(f"Living room: not measured. {ROOM_HINT}")
        conds = [c for c in conds if CONDITIONS[c][0] not in IN_A_ROOM]
    partial = (conds != list(CONDITIONS) or parts != list(PARTS) or args.speakers != "all"
               or bool(args.enhance) or bool(args.set) or args.per_word is not None
               or args.echo != "gain" or args.aec != "none" or args.room_seed != ROOM_SEED)
    try:
        settings = {k.strip(): None if v.strip().lower() == "none" else float(v)
                    for k, v in (x.split("=", 1) for x in args.set)}
    except ValueError:
        print("error: --set takes NAME=NUMBER or NAME=none, e.g. --set min_seconds=0.06.",
              file=sys.stderr)
        return 2
    if args.enhance:
        from front_end import HINT, NAMES, enhancer

        if args.enhance not in NAMES:
            print(f"error: no front end {args.enhance!r}; choose one of {', '.join(NAMES)}.",
                  file=sys.stderr)
            return 2
        try:
            enhancer(args.enhance)
        except ImportError as exc:
            print(f"error: {args.enhance} cannot run ({exc}). {HINT}", file=sys.stderr)
            return 2
    if args.aec == "webrtc":
        try:
            import pywebrtc_audio  # noqa: F401
        except ImportError as exc:
            from front_end import HINT

            print(f"error: AEC3 cannot run ({exc}). {HINT}", file=sys.stderr)
            return 2
    if args.echo == "room" and not available():
        print(f"error: {ROOM_HINT}", file=sys.stderr)
        return 2
    from dataclasses import fields

    from coach.speech_in.listener import ListenerConfig

    wrong = sorted(set(settings) - {f.name for f in fields(ListenerConfig)})
    if wrong:
        print(f"error: no listener setting {', '.join(wrong)}; see ListenerConfig in "
              "coach/speech_in/listener.py.", file=sys.stderr)
        return 2
    for j in jobs:
        j["settings"] = settings
        j["room_seed"] = args.room_seed
        if args.room_seed != ROOM_SEED:
            j["name"] += f" (rooms seed {args.room_seed})"
        if settings:
            j["name"] += " (" + ", ".join(args.set) + ")"
        j.update(plan=p, coach_lines=lines, conditions=conds, parts=parts, vad=args.vad,
                 enhance=args.enhance, echo=args.echo, aec=args.aec)
        if args.echo != "gain":
            j["name"] += ", echo through a room"
        if args.aec != "none":
            j["name"] += " + AEC3"
        if args.enhance:
            j["name"] += f" + {args.enhance}"
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run_system, jobs))
    brief = [{k: ({kk: vv for kk, vv in v.items() if kk not in ("misses", "hits")}
                  if isinstance(v, dict) else v) for k, v in r.items()} for r in results]
    for r in brief:
        print(f"\n{r['system']}")
        for k, v in r.items():
            if k != "system":
                print(f"  {k:<40} {cell(v)}")
    print("\n".join(notes))
    wall = time.time() - started
    print(f"wall time {wall:.0f} s")
    args.json.write_text(json.dumps({"header": header, "results": results, "notes": notes}, indent=2))
    print(f"JSON written to {args.json} (with the misses and false accepts, file by file)")
    if partial and not args.no_readme:
        print("README not updated: only some conditions or parts were measured.")
    elif not args.no_readme:
        update_readme("recognition", "\n\n".join([
            markdown(brief), *notes,
            (f"Wall time {wall:.0f} s, {'quick' if args.quick else 'full'} run; held-out: speakers "
             "whose CRC32 is 0 mod 4 (the rules were tuned on the others)."),
            machine_line()]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

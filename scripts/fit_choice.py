#!/usr/bin/env python3
"""Fit the closed-question choice (coach/speech_in/choice.py) and write choice.yaml.

Every clip is streamed through the coach's Listener with Whisper at the
moment it would be said (as scripts/bench_recognition.py does), clean,
with real noise at 10 dB, and across a simulated living room with noise at
20 dB. Whenever the free transcript is no command of the moment, the
engine's choice features are recorded with the phrase it would choose
(at the closed questions, and mid-set, where "stop" may be chosen):

- a positive is a command word or a digit whose chosen phrase is the word said;
- a negative is anything else: the wrong phrase for a command or a digit,
  and every choice made on another word, a sentence or a noise clip.

A logistic regression (standardised features, L2, plain gradient descent)
is fitted on the development speakers (CRC32 of the name not 0 mod 4). Then
a threshold for each kind of answer (coach.speech_in.choice.GROUPS: a
number, yes, no, left or right, go): the lowest probability that keeps
the development set's other words, sentences and noise said at that
answer's question (other words are said at every closed question) under
``--max-false`` (default 1%) of those clips, and never under
``--min-threshold`` (0.5); an answer that can end the session ("yes",
found from coach.core.dispatch.ENDS_SESSION) never under
``--min-decisive`` (0.75). The model's default threshold
(for a kind of answer without its own) is the highest of them. The same
model and thresholds are then checked on the held-out speakers and both
are printed. Writes coach/speech_in/choice.yaml (or --out). ``--only KIND``
sets that kind's threshold again from the clips said at its moment and keeps
the model and the other thresholds as they are (a few minutes).

    .venv/bin/python scripts/fit_choice.py --per-word 40   # about 5 minutes on 2 cores
    .venv/bin/python scripts/fit_choice.py --per-word 6
    .venv/bin/python scripts/fit_choice.py --only stop     # stop's threshold, the model kept
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from bench_recognition import COMMAND_MOMENTS, DIGITS, held_out
from bench_recognition import NON_COMMAND as OTHER
from bench_recognition import QUESTION_MOMENTS as QUESTIONS
from living_room import Rooms, across_room, bed_for, on_track
from recordings import SHARED_AUDIO as SHARED

from coach.core.dispatch import ENDS_SESSION
from coach.core.states import State
from coach.speech_in.choice import FEATURES, GROUPS, threshold_kind

CONDITIONS = [("close", None), ("room", 20.0), ("close", 10.0)]
# The question each kind of answer is chosen at.
MOMENT_OF = {"number": "ask-pain", "yes": "confirm-stop", "no": "confirm-stop", "side": "ask-side",
             "go": "ready", "stop": "working"}
NOT_COMMANDS = ("other", "noise", "sentences")
# The kinds of answer that end the session at the moment they are chosen ("yes" to
# "End the session?"; "stop" ends it there too, but is chosen only mid-set, where it
# asks that question), from the session's own table: never chosen under --min-decisive.
DECISIVE = {kind for kind, moment in MOMENT_OF.items()
            if any(GROUPS.get(i.value) == kind for i in ENDS_SESSION.get(State(moment), ()))}


def rows_of(per_word: int) -> dict[str, list[dict[str, str]]]:
    with open(SHARED / "manifest.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    by: dict[tuple[str, str], list[dict[str, str]]] = {}
    for r in rows:
        by.setdefault((r["dataset"], r["word"]), []).append(r)

    def take(dataset: str, word: str, n: int) -> list[dict[str, str]]:
        clips = by.get((dataset, word), [])
        dev = [r for r in clips if not held_out(r["speaker"])][:n]
        held = [r for r in clips if held_out(r["speaker"])][: max(1, n // 3)]
        return dev + held

    return {
        "commands": [r for w in COMMAND_MOMENTS for r in take("speech_commands", w, per_word)],
        "digits": [r for w in DIGITS for r in take("speech_commands", w, per_word)],
        "fsdd": [r for w in DIGITS for r in by.get(("fsdd", w), [])[: per_word // 2]],
        "other": [r for w in OTHER for r in take("speech_commands", w, max(2, per_word // 3))],
        "pool": by.get(("speech_commands", "_silence_"), [])[:20],
        "noise": by.get(("speech_commands", "_silence_"), [])[20:40],
        "sentences": by.get(("librispeech", "_speech_"), [])[: per_word],
    }


def group(s: dict[str, Any]) -> bool:
    """Held out: by speaker, or by file where there is none (noise)."""
    return held_out(s["speaker"] or s["path"])


def gather(per_word: int, vad: str | None, conditions: int,
           only: str | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The choices made (with their features and label), and every clip that was
    no command heard at each moment (what the false choices are counted among).
    ``only``: a kind of answer; then only the clips said at its moment."""
    from dataclasses import replace

    from coach.audio.wavfile import read_audio
    from coach.cli.hear import moment_question
    from coach.commands.parser import parse
    from coach.core.expect import listening
    from coach.core.states import State
    from coach.runtime.listen_for import tell
    from coach.speech_in.command_listener import make_listener
    from coach.speech_in.listener import WHISPER_CONFIG
    from coach.speech_in.scripted import mix_at_snr, stream

    listener = make_listener("whisper", config=replace(WHISPER_CONFIG, vad=vad) if vad else None)
    engine: Any = listener.engine
    engine.collect = []
    rooms = Rooms()
    plan = rows_of(per_word)
    noise_pool = [read_audio(SHARED / r["path"]) for r in plan["pool"]]
    rng = np.random.default_rng(0)
    samples: list[dict[str, Any]] = []
    heard: list[dict[str, Any]] = []

    def listen(r: dict[str, str], moment: str, cond: tuple[str, float | None], kind: str) -> None:
        pcm = read_audio(SHARED / r["path"])
        state = State(moment)
        tell(listener, listening(state, question=moment_question(moment)))
        where, snr = cond
        if where == "room":
            mic = across_room(rooms, pcm, r["path"], bed_for(noise_pool, r["path"]), snr or 20.0)
        elif snr is not None:
            mic = on_track(mix_at_snr(pcm, noise_pool[int(rng.integers(len(noise_pool)))], snr))
        else:
            mic = on_track(pcm)
        listener.reset()
        engine.collect.clear()
        stream(listener, mic, block_samples=480)
        truth = r["word"] if r["word"] in COMMAND_MOMENTS or r["word"] in DIGITS else None
        if kind in NOT_COMMANDS:
            heard.append({"path": r["path"], "speaker": r["speaker"], "moment": moment,
                          "cond": f"{where} {snr}", "kind": kind})
        for phrase, values in engine.collect:
            parsed = parse(phrase, listener.vocabulary, spoken=True)
            said = None
            if truth is not None:
                said = parse(truth, listener.vocabulary, spoken=True)
            good = (parsed is not None and said is not None and parsed.intent == said.intent
                    and parsed.number == said.number)
            samples.append({"path": r["path"], "speaker": r["speaker"], "moment": moment,
                            "cond": f"{where} {snr}", "kind": kind, "phrase": phrase,
                            "label": int(good), **values})

    # Every moment with an answer that may be chosen; noise and sentences where most
    # words compete (the numbers) and mid-set (stop).
    moments = (*QUESTIONS, "ready", "working") if only is None else (MOMENT_OF[only],)
    quiet_moments = [m for m in ("ask-pain", "working") if m in moments]
    for cond in CONDITIONS[:conditions]:
        for kind, moment_of in (("commands", lambda r: COMMAND_MOMENTS[r["word"]]),
                                ("digits", lambda r: "ask-pain"), ("fsdd", lambda r: "ask-pain")):
            for r in plan[kind]:
                if moment_of(r) in moments:
                    listen(r, moment_of(r), cond, kind)
        for moment in moments:
            for r in plan["other"]:
                listen(r, moment, cond, "other")
        for kind in ("noise", "sentences"):
            for moment in quiet_moments:
                for r in plan[kind]:
                    listen(r, moment, cond, kind)
        print(f"{cond}: {len(samples)} choices so far", flush=True)
    return samples, heard


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 4000) -> tuple[np.ndarray, float]:
    w = np.zeros(x.shape[1])
    b = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        g = p - y
        w -= 0.5 * (x.T @ g / len(y) + l2 * w)
        b -= 0.5 * float(g.mean())
    return w, b


def thresholds_for(dev: list[dict[str, Any]], heard: list[dict[str, Any]], prob: Any,
                   max_false: float, floor: float, decisive_floor: float,
                   groups: tuple[str, ...] = tuple(MOMENT_OF)) -> dict[str, float]:
    """Each kind of answer's threshold: the lowest that keeps the development clips
    that are no command chosen as such an answer (at any moment: "right" may be
    chosen at "Say go" too) under ``max_false`` of those heard at its question."""
    out: dict[str, float] = {}
    for group in groups:
        moment = MOMENT_OF[group]
        n_clips = sum(1 for h in heard if h["moment"] == moment)
        highs: dict[tuple[str, str, str, str], float] = {}
        for s in dev:
            if s["kind"] in NOT_COMMANDS and s["group"] == group:
                key = (s["path"], s["moment"], s["cond"], s["kind"])
                highs[key] = max(highs.get(key, 0.0), prob(s))
        ranked = sorted(highs.values(), reverse=True)
        allowed = int(max_false * n_clips)
        lowest = decisive_floor if group in DECISIVE else floor
        found = (ranked[allowed] + 1e-4) if allowed < len(ranked) else 0.0
        out[group] = round(min(0.99, max(lowest, found)), 4)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-word", type=int, default=40, help="development clips per word (default 40)")
    ap.add_argument("--conditions", type=int, default=len(CONDITIONS),
                    help="how many of clean, room 20 dB and 10 dB to gather (default all)")
    ap.add_argument("--max-false", type=float, default=0.01,
                    help="share of the other words, sentences and noise heard at a question "
                         "that may be chosen (default 0.01)")
    ap.add_argument("--min-threshold", type=float, default=0.5,
                    help="the lowest threshold allowed (default 0.5)")
    ap.add_argument("--min-decisive", type=float, default=0.75,
                    help="the lowest threshold allowed for yes (default 0.75: 'yes' to "
                         "'End the session?' ends it)")
    ap.add_argument("--samples", type=Path, default=None,
                    help="reuse (or write) the gathered choices as JSON")
    ap.add_argument("--vad", choices=("energy", "silero"), default=None,
                    help="the voice activity detector (default: the Listener's own)")
    ap.add_argument("--only", choices=sorted(MOMENT_OF), default=None,
                    help="set the threshold of this kind of answer only, from the clips said at "
                         "its moment, and keep the model and the other thresholds of --out")
    ap.add_argument("--out", type=Path, default=REPO / "coach" / "speech_in" / "choice.yaml")
    args = ap.parse_args()
    if not (SHARED / "manifest.csv").exists():
        print(f"error: the recordings were not found at {SHARED}; set COACH_SHARED_AUDIO.",
              file=sys.stderr)
        return 2
    kept = None
    if args.only is not None:  # the model kept: read it before an hour of gathering
        from coach.errors import CoachError
        from coach.speech_in.choice import parse_choice_model

        try:
            kept = parse_choice_model(args.out.read_text("utf-8"), str(args.out))
        except (OSError, UnicodeDecodeError, CoachError) as exc:
            print(f"error: --only keeps the model in {args.out}, which cannot be used ({exc}).",
                  file=sys.stderr)
            return 2
        if kept is None:
            print(f"error: --only keeps the model in {args.out}, which has none.", file=sys.stderr)
            return 2
    if args.samples is not None and args.samples.exists():
        saved = json.loads(args.samples.read_text())
        samples, heard = saved["samples"], saved["heard"]
    else:
        samples, heard = gather(args.per_word, args.vad, args.conditions, args.only)
        if args.samples is not None:
            args.samples.write_text(json.dumps({"samples": samples, "heard": heard}))
    from coach.commands.parser import load_vocabulary, parse

    vocab = load_vocabulary()
    for s in samples:  # each choice's kind of answer, as the vocabulary has it now
        parsed = parse(s["phrase"], vocab, spoken=True)
        s["group"] = GROUPS.get(parsed.intent.value) if parsed is not None else None
    dev = [s for s in samples if not group(s)]
    stamp = f"{datetime.now(timezone.utc):%Y-%m-%d}"
    conds = ", ".join(sorted({s["cond"] for s in dev}))
    if args.only is None:
        x = np.array([[s[f] for f in FEATURES] for s in dev])
        y = np.array([s["label"] for s in dev], dtype=float)
        mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
        w, b = fit((x - mean) / scale, y)
        kept_thresholds: dict[str, float] = {}
        header = [
            "# The closed-question choice (coach/speech_in/choice.py): a logistic regression on",
            f"# standardised features, written by scripts/fit_choice.py on {stamp} from {len(dev)}",
            f"# choices of the development speakers ({conds}),",
            f"# other words heard at every closed question; at most {args.max_false:.0%} of them chosen.",
        ]
    else:  # the model as it is; one kind's threshold set again
        assert kept is not None
        w, b = np.array(kept.weights), kept.bias
        mean, scale = np.array(kept.mean), np.array(kept.scale)
        kept_thresholds = {k: v for k, v in kept.thresholds.items() if k != args.only}
        header = [line for line in args.out.read_text("utf-8").splitlines()
                  if line.startswith("#") and "Regenerate" not in line
                  and f'"{args.only}" set again' not in line and f"--only {args.only})" not in line]
        header += [f'# The threshold for "{args.only}" set again on {stamp} from {len(dev)} choices',
                   f"# at its moment ({conds}; --only {args.only}), the model kept."]

    def prob(s: dict[str, Any]) -> float:
        z = b + sum(wi * (s[f] - m) / sc for wi, f, m, sc in zip(w, FEATURES, mean, scale))
        return float(1.0 / (1.0 + np.exp(-z)))

    dev_heard = [h for h in heard if not group(h)]
    by_group = {**kept_thresholds, **thresholds_for(
        dev, dev_heard, prob, args.max_false, args.min_threshold, args.min_decisive,
        tuple(MOMENT_OF) if args.only is None else (args.only,))}
    default = max(by_group.values())

    def taken(s: dict[str, Any]) -> bool:
        # As the engine decides (coach.speech_in.choice.threshold_kind).
        kind = threshold_kind(s["group"], asked=s["moment"] != "working")
        return prob(s) >= by_group.get(kind or "", default)

    def report(name: str, chosen: list[dict[str, Any]], clips: list[dict[str, Any]]) -> None:
        for moment in dict.fromkeys((*MOMENT_OF.values(), "working")):
            for kind in ("commands", "digits", "fsdd"):
                sub = [s for s in chosen if s["kind"] == kind and s["moment"] == moment]
                if sub:
                    right = sum(1 for s in sub if taken(s) and s["label"])
                    wrong = sum(1 for s in sub if taken(s) and not s["label"])
                    print(f"  {name} {moment:<12} {kind:<9} choices {len(sub):4d}: "
                          f"chosen right {right:4d}, wrong {wrong:3d}")
            n_clips = sum(1 for h in clips if h["moment"] == moment)
            false = {(s["path"], s["cond"], s["kind"]) for s in chosen
                     if s["kind"] in NOT_COMMANDS and s["moment"] == moment and taken(s)}
            if n_clips:
                print(f"  {name} {moment:<12} no command: {len(false)} of {n_clips} clips chosen "
                      f"({100 * len(false) / n_clips:.1f}%)")

    print(f"{len(samples)} choices ({len(dev)} development); thresholds "
          + ", ".join(f"{k} {v:.3f}" for k, v in by_group.items()))
    report("development", dev, dev_heard)
    report("held-out   ", [s for s in samples if group(s)], [h for h in heard if group(h)])
    lines = [
        *header,
        "# Regenerate it with that script; do not edit by hand.",
        f"threshold: {default:.4f}",
        "thresholds:", *[f'  "{k}": {v:.4f}' for k, v in by_group.items()],  # quoted: YAML reads yes as true
        f"bias: {b:.5f}",
        "weights:", *[f"  {f}: {v:.5f}" for f, v in zip(FEATURES, w)],
        "mean:", *[f"  {f}: {v:.5f}" for f, v in zip(FEATURES, mean)],
        "scale:", *[f"  {f}: {v:.5f}" for f, v in zip(FEATURES, scale)],
    ]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

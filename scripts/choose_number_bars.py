#!/usr/bin/env python3
"""Choose the bars from which a rating said across a room is taken by its sound.

At the rating question, when nothing else was taken, the engine decodes the
word again after the numbers and takes the number Whisper writes, when the
keyword model finds the word's sound surely a number (``number_sure``), or
likely one (``number_likely``) and Whisper writes the number with a
confidence of at least ``number_written`` (coach.speech_in.keywords,
``KeywordModel.number_needs``). This script hears the benchmark's ratings
(Speech Commands digits and Free Spoken Digits) and other words through the
Listener at the rating question, in the benchmark's conditions (clean, 10 dB,
across its rooms at 20 and 10 dB), with only ``number_sure`` in force; for
each utterance nothing took, it records the sound's probability of a number
and the number written after the numbers with its confidence. Then, on the
development speakers, it tries each pair of bars and chooses the one that
gains the most digits (right minus wrong) with no other word taken, even
with each bar a step lower (on the benchmark's rooms the best pair without
that margin took two held-out speakers' other words); the held-out
speakers' figures for that pair are printed beside it. The pair is
given to ``scripts/fit_keywords.py`` (``--number-likely``,
``--number-written``), which writes it into keywords.npz.

    .venv/bin/python scripts/choose_number_bars.py                 # about 3 minutes on 2 cores
    .venv/bin/python scripts/choose_number_bars.py --room-seed 29  # other rooms

Besides the pair it chooses, it prints what the shipped pair (keywords.npz)
gains: in rooms nothing was chosen in, that is the check.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from bench_recognition import CONDITIONS, DIGITS, ROOM_COUNT, ROOM_SEED, held_out, plan
from living_room import Rooms, across_room, bed_for, on_track
from recordings import SHARED_AUDIO as SHARED

HEARD_IN = ("clean", "10 dB", "room 20 dB", "room 10 dB")
# The bars tried: the probability of a number, and the confidence of the number written.
LIKELY_STEP, WRITTEN_STEP = 0.05, 0.02
LIKELY = [round(i * LIKELY_STEP, 2) for i in range(1, 18)]  # 0.05 .. 0.85
WRITTEN = [round(0.4 + i * WRITTEN_STEP, 2) for i in range(20)]  # 0.40 .. 0.78
NUMBERS = (*DIGITS, "ten")


def hear(condition: str, room_seed: int) -> list[dict[str, Any]]:
    """Each rating and other word heard at the rating question in ``condition``:
    whether anything was taken, and for each short utterance its sound's
    probability of a number and the number written after the numbers with its
    confidence (runs in its own process)."""
    from dataclasses import replace

    from coach.audio.wavfile import read_audio
    from coach.cli.hear import moment_question
    from coach.core.expect import listening
    from coach.core.states import State
    from coach.runtime.listen_for import tell
    from coach.speech_in.command_listener import make_listener
    from coach.speech_in.keywords import NUMBER
    from coach.speech_in.scripted import mix_at_snr, stream

    p = plan(False)
    rooms = Rooms(ROOM_COUNT, room_seed)
    beds = [read_audio(SHARED / r["path"]) for r in p["noise"][:20]]
    listener = make_listener("whisper")
    engine: Any = listener.engine
    # Only what is surely a number is taken by its sound: the bars are what is chosen.
    engine.keyword_model = replace(engine.keyword_model, number_likely=None, number_written=None)
    question = moment_question("ask-pain")
    seen: list[tuple[float, int, float]] = []
    decode = engine.decode

    def noted(audio: Any) -> Any:
        heard = decode(audio)
        if engine._encoded is not None and engine._short_answer():
            number = engine.keyword_model.probabilities(engine._pooled())[NUMBER]
            found = engine.number_written()
            if found is not None:
                seen.append((number, NUMBERS.index(found[0]), found[1]))
        return heard

    engine.decode = noted
    where, snr = CONDITIONS[condition]
    out = []
    for kind in ("ratings", "fsdd", "other"):
        for r in p[kind]:
            pcm = read_audio(SHARED / r["path"])
            if where == "room":  # the benchmark's bed, under the room's speech
                mic = across_room(rooms, pcm, r["path"], bed_for(beds, r["path"]), snr)
            elif snr is not None:
                mic = on_track(mix_at_snr(pcm, bed_for(beds, f"{r['path']}|ask-pain|{snr:g}"), snr))
            else:
                mic = on_track(pcm)
            tell(listener, listening(State("ask-pain"), question=question))
            listener.reset()
            seen.clear()
            taken = stream(listener, mic, block_samples=480)
            out.append({"condition": condition, "kind": kind, "word": r["word"],
                        "held": held_out(r["speaker"]), "taken": bool(taken),
                        "seen": list(seen)})
    return out


def gained(heard: list[dict[str, Any]], likely: float, written: float, *, held: bool,
           ) -> Counter[tuple[str, str, str]]:
    """What the bars would add, by condition, kind and outcome (right, wrong, other)."""
    out: Counter[tuple[str, str, str]] = Counter()
    for h in heard:
        if h["taken"] or h["held"] != held:
            continue
        want = DIGITS.index(h["word"]) if h["kind"] != "other" else None
        found = None
        for number, said, confidence in h["seen"]:
            if likely <= number and confidence >= written:
                found = said
        if found is None:
            continue
        outcome = "other" if want is None else "right" if found == want else "wrong"
        out[(h["condition"], h["kind"], outcome)] += 1
    return out


def total(counts: Counter[tuple[str, str, str]], outcome: str) -> int:
    return sum(v for k, v in counts.items() if k[2] == outcome)


def choose(heard: list[dict[str, Any]]) -> tuple[float, float] | None:
    """The pair of bars that gains the development speakers the most digits (right
    minus wrong) with none of their other words taken, even with both a step lower."""
    best = None
    for likely in LIKELY:
        for written in WRITTEN:
            # A pair at the edge of the other words' region takes some in other rooms.
            lower = gained(heard, likely - LIKELY_STEP, written - WRITTEN_STEP, held=False)
            if total(lower, "other"):
                continue
            dev = gained(heard, likely, written, held=False)
            score = total(dev, "right") - total(dev, "wrong")
            if best is None or score > best[0]:
                best = (score, likely, written)
    return None if best is None else best[1:]


def report(heard: list[dict[str, Any]], likely: float, written: float, title: str) -> None:
    """What a pair of bars gains, development and held-out speakers apart."""
    print(f"{title}: likely a number from {likely:.2f}, written with confidence {written:.2f}.")
    for name, held in (("development", False), ("held-out", True)):
        counts = gained(heard, likely, written, held=held)
        print(f"  {name}: digits gained {total(counts, 'right')}, wrong numbers "
              f"{total(counts, 'wrong')}, other words taken {total(counts, 'other')}")
        for key in sorted(counts):
            print("     ", " / ".join(key), counts[key])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--room-seed", type=int, default=ROOM_SEED,
                    help=f"draw the rooms with this seed (default {ROOM_SEED}, the benchmark's)")
    args = ap.parse_args()
    if not (SHARED / "manifest.csv").exists():
        print(f"No recordings at {SHARED}: set COACH_SHARED_AUDIO to the folder of manifest.csv.")
        return 2
    from multiprocessing import get_context

    with get_context("spawn").Pool(2) as workers:
        parts = workers.starmap(hear, [(c, args.room_seed) for c in HEARD_IN])
    heard = [h for part in parts for h in part]
    best = choose(heard)
    if best is None:
        print("No pair of bars takes no other word of the development speakers.")
        return 1
    print(f"Rooms seed {args.room_seed}; only what is surely a number was taken by its sound.")
    report(heard, *best, "Chosen on the development speakers")
    from coach.speech_in.keywords import load_keyword_model

    shipped = load_keyword_model()
    if shipped is not None and shipped.number_likely is not None \
            and shipped.number_written is not None:
        report(heard, shipped.number_likely, shipped.number_written, "Shipped (keywords.npz)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

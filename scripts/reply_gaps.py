#!/usr/bin/env python3
"""For each exercise of the bundled routine: a reply asked at every 0.1 s of a set.
A: wait for a gap between beats that holds the whole reply (delay before it is said).
B: hold the count while it is said (delay added to the set)."""
from coach.core.count_plan import work_plan, LEAD_IN_SECONDS
from coach.spoken_text import load_lines
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.settings import CountWith
lines = load_lines(); prog = load_bundled("medial-knee"); rate = 150
est = lambda t: len(t.split()) * 60.0 / rate
replies = {"status (7 words)": 7, "harder, one line (9 words)": 9, "help in a set (13 words)": 13}
for ex in prog.exercises:
    plan = work_plan(ex.dose_at(prog.exercise(ex.id).default_level), Side.LEFT, lines, CountWith.VOICE, announce=None)
    beats = [(b.offset, b.offset + (est(b.text) if b.text else 0.0)) for b in plan.beats]
    row = []
    for name, words in replies.items():
        need = words * 60.0 / rate * 1.25 + 0.3
        waits, never = [], 0
        t = 0.0
        while t < plan.end:
            busy_until = max([e for s, e in beats if s <= t] + [t])
            starts = [busy_until] + [e for s, e in beats if e > busy_until]
            found = None
            for start in sorted(starts):
                nxt = [s for s, _ in beats if s >= start - 1e-9 and s > start]
                nxt_at = min(nxt) if nxt else plan.end + 99
                if nxt_at - start >= need:
                    found = start; break
            if found is None or found > plan.end: never += 1
            else: waits.append(found - t)
            t += 0.1
        mean = sum(waits) / len(waits) if waits else float("nan")
        row.append(f"{name}: A waits {mean:.1f} s on average (max {max(waits or [0]):.1f}), B holds {need - 0.3 + 0.5 + LEAD_IN_SECONDS:.1f} s")
    print(ex.id); [print("   ", r) for r in row]

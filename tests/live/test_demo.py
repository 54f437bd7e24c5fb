"""``coach demo``: a whole session through the real recogniser, no sound card needed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from coach.history import HistoryStore
from coach.program.loader import load_bundled

REPO = Path(__file__).resolve().parents[2]


def test_demo_json_shows_the_whole_routine_and_is_kept_apart_in_history(
    private_home: Path, tmp_path: Path
) -> None:
    wav = tmp_path / "demo.wav"
    done = subprocess.run(
        [sys.executable, "-m", "coach", "demo", "--json", "--speak-to", str(wav)],
        cwd=REPO, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["ok"] and all(result["checks"].values()), result["failures"]
    assert result["recogniser"].startswith(("whisper", "sphinx", "vosk"))

    coach = [x["text"] for x in result["transcript"] if x["who"] == "coach"]
    for exercise in load_bundled("medial-knee").exercises:
        assert any(exercise.name.lower() in line.lower() for line in coach), exercise.name
    heard = {h["intent"] for h in result["heard"]}
    assert {"go", "pause", "harder", "number", "stop", "no"} <= heard
    # A good session: every set done to its end, the routine finished.
    summary = result["summary"]
    assert summary["completed"] and summary["sets_partial"] == 0, summary
    assert summary["exercises_done"] == len(load_bundled("medial-knee").exercises)
    # The coach's own voice was in the microphone all along, and never obeyed.
    assert result["false_accepts"] == 0, [
        (h, [x for x in result["transcript"] if abs(x["at"] - h["at"]) < 6])
        for h in result["false_accepted"]]

    # The coach's speech was rendered on its timeline: as long as the session.
    assert wav.stat().st_size > 2 * 16000 * result["session_seconds"] * 0.9

    store = HistoryStore.open()
    try:
        demo = store.sessions("medial-knee-demo")
        real = store.sessions("medial-knee")
    finally:
        store.close()
    assert len(demo) == 1 and demo[0].ended and not real
    assert "recorded as medial-knee-demo" in result["history"]

"""The soak run, short: beats on time, memory steady, no threads left behind."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "soak.py"


def load_soak() -> ModuleType:
    spec = importlib.util.spec_from_file_location("coach_soak", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["coach_soak"] = module
    spec.loader.exec_module(module)
    return module


def test_six_minutes_of_sessions_keep_every_beat_within_5_ms() -> None:
    figures = load_soak().soak(6.0)
    assert figures["session_minutes"] >= 6.0
    assert figures["beats"] > 50  # counts and cue words really were played
    assert figures["commands"] >= 3  # the scripted user got answers in
    assert figures["beats_late_over_5ms"] == 0, figures
    assert figures["beats_cut_plain"] == 0, figures  # no word lost with nobody interrupting
    assert figures["beats_cut_short"] == 0, figures
    assert figures["beat_error_max_ms"] <= 5.0
    # A long run must not grow: the phrase cache is bounded, blocks are reused.
    assert figures["rss_end_mb"] - figures["rss_after_first_session_mb"] < 30.0, figures
    assert figures["threads_end"] <= figures["threads_start"] + 2, figures


def test_spoken_commands_through_the_recogniser_and_the_coach_never_obeys_itself() -> None:
    """Three minutes with the person speaking into the simulated room, over the
    coach's own voice: the recogniser hears them, and never the coach."""
    figures = load_soak().soak(3.0, recogniser=True)
    assert figures["phrases_said"] >= 1 and figures["commands_heard"] >= 1, figures
    assert figures["heard_with_nobody_speaking"] == 0, figures
    assert figures["beats"] > 20 and figures["beats_late_over_5ms"] == 0, figures
    assert figures["beats_cut_plain"] == 0 and figures["beats_cut_short"] == 0, figures

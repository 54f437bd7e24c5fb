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
    # Replies never sound over a cue or a count; the counts said and kept are the reps done.
    assert figures["replies_said"] >= 1, figures
    assert figures["replies_over_a_cue_word"] == 0 and figures["replies_over_a_count"] == 0
    assert figures["sessions_counts_honest"] == "1 of 1", figures
    assert figures["answered_no_overlap_honest"] == "yes", figures


def test_spoken_commands_through_the_recogniser_and_the_coach_never_obeys_itself() -> None:
    """Three minutes with the person speaking into the simulated room, over the
    coach's own voice: the recogniser hears them, and never the coach."""
    figures = load_soak().soak(3.0, recogniser=True)
    assert figures["phrases_said"] >= 1 and figures["commands_heard"] >= 1, figures
    assert figures["heard_with_nobody_speaking"] == 0, figures
    assert figures["beats"] > 20 and figures["beats_late_over_5ms"] == 0, figures
    assert figures["beats_cut_plain"] == 0 and figures["beats_cut_short"] == 0, figures
    # Every try with speech was acted on or answered aloud (a first miss in a set aside).
    assert figures["tries_with_speech_left_silent"] == 0, figures
    assert figures["tries_heard_as_another_command"] == 0, figures
    assert figures["answered_no_overlap_honest"] == "yes", figures


def test_the_soak_tells_a_try_left_silent_from_one_answered() -> None:
    """The check itself: speech not understood at a question, with and without an answer."""
    load_soak()
    from soak_outcomes import Outcomes, _Decision

    from coach.audio.format import RATE_HZ
    from coach.commands.intents import Intent
    from coach.core.events import NotUnderstood
    from coach.core.states import State
    from coach.runtime.simulated_room import SpokenPhrase

    import numpy as np

    said = [SpokenPhrase("two", Intent.NUMBER, 10 * RATE_HZ, np.zeros(RATE_HZ // 2, np.int16))]
    for words, silent in ((0, 1), (9, 0)):
        outcomes = Outcomes()
        missed = NotUnderstood(10.8, "not-a-command", True, "too")
        outcomes.decisions.append(_Decision(missed, State.ASK_PAIN, words))
        figures = outcomes.figures(said)
        assert figures["tries_with_speech_left_silent"] == silent
        assert figures["tries_answered"] == 1 - silent
        assert outcomes.ok(figures) is (silent == 0)

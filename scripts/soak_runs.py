"""The soak's runs: sessions back to back on the one loop, accelerated or in real time.

See scripts/soak.py for what is measured and how it is reported.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from soak_beats import BeatWatch, beat_figures
from soak_outcomes import Outcomes
from soak_user import Asking, TypedPerson

from coach.audio.format import RATE_HZ
from coach.core.events import Event, Heard
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.runtime.assembly import build_session
from coach.runtime.clock import Clock, LiveClock, PlayoutClock
from coach.runtime.loop import Input
from coach.runtime.runner import Sink
from coach.runtime.voice_events import VoiceEvents
from coach.settings import Settings
from coach.speech_in.typed import TypedText
from coach.speech_out.cache import PhraseCache
from coach.speech_out.playout import Playout
from coach.speech_out.voices import Voices
from coach.runtime.scripted_session import SessionHarness

TRY_AGAIN_SECONDS = 15.0  # a person not understood four times tries again after this


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class WatchedVoice:
    """An input: the voice's events, seen by the beat watch (and the outcomes) on their
    way to the session."""

    def __init__(self, watch: BeatWatch, playout: Playout,
                 outcomes: Outcomes | None = None) -> None:
        self.watch = watch
        self.voice = VoiceEvents(playout)
        self.outcomes = outcomes

    def events(self, now: float) -> Any:
        seen = self.watch.observe(self.voice.events(now))
        return self.outcomes.observe(seen) if self.outcomes is not None else seen


class Speaking:
    """An input: the spoken person listens to the session and may say something (no events)."""

    def __init__(self, user: Any, microphone: Any) -> None:
        self.user = user
        self.microphone = microphone
        self.harness: SessionHarness | None = None  # the current session's

    def events(self, now: float) -> list[Event]:
        harness = self.harness
        if harness is not None and not harness.ended:
            self.user.watch(harness.session, now, now - self.microphone.last_sound)
        return []


class Steps:
    """An input that only times the loop: how late each step came, on the wall clock."""

    def __init__(self, step_seconds: float) -> None:
        self.step_seconds = step_seconds
        self.last: float | None = None
        self.late: list[float] = []  # s each step came after the one before, beyond its step

    def events(self, now: float) -> list[Event]:
        t = time.monotonic()
        if self.last is not None:
            self.late.append(max(0.0, t - self.last - self.step_seconds))
        self.last = t
        return []


class Spoken:
    """The person speaking into the simulated room, and what the recogniser made of it."""

    def __init__(self, engine: str | None, *, background: bool = False,
                 echo: Callable[[np.ndarray], np.ndarray] | None = None) -> None:
        from soak_voice import RecordedVoice, SoakScript

        from coach.speech_in.command_listener import open_listener
        from coach.runtime.simulated_room import SimulatedMicrophone
        from coach.runtime.virtual_user import VirtualUser

        self.listener = listener = open_listener(engine, background=background)
        self.voice = RecordedVoice()
        self.user = VirtualUser(self.voice, script=SoakScript(), try_again_seconds=TRY_AGAIN_SECONDS)
        self.user.room.echo_path = echo
        self.heard: list[Heard] = []
        self.microphone = SimulatedMicrophone(self.user.room, listener, heard=self._heard)
        self.speaking = Speaking(self.user, self.microphone)

    def _heard(self, heard: Heard) -> None:
        self.heard.append(heard)
        self.user.heard(heard)

    def inputs(self, watched: WatchedVoice) -> list[Input]:
        """The loop's inputs, in the demo's order: the room, the voice's events, the person."""
        return [self.microphone, watched, self.speaking]

    def figures(self) -> dict[str, Any]:
        from coach.runtime.demo_run import false_accepts

        said = self.user.said
        return {
            "recogniser": self.listener.description,
            "recordings": "real recordings" if self.voice.found else "none found: all synthesised",
            "phrases_said": len(said),
            "phrases_recorded": self.voice.recorded,
            "phrases_synthesised": self.voice.synthesised,
            "commands_heard": len(self.heard),
            "heard_with_nobody_speaking": len(false_accepts(said, self.heard)),
            "phrases_given_up": len(self.user.gave_up),
            "heard_by_phrase": self.by_phrase(),
        }

    def obeyed_itself(self) -> list[str]:
        """A line per command heard with nobody speaking: what, when, and what the person said last."""
        from coach.runtime.demo_run import false_accepts

        lines = []
        for h in false_accepts(self.user.said, self.heard):
            last = max((s for s in self.user.said if s[0] <= h.at), default=None)
            lines.append(f"heard {h.intent.value} ({h.text!r}) at {h.at:.2f} s with nobody speaking; "
                         + (f"the person said {last[1]!r} at {last[0]:.2f} s" if last else "before anyone spoke"))
        return lines

    def by_phrase(self) -> str:
        """For each phrase: how many times it was said (each try), and heard."""
        from soak_voice import INTENTS

        said = [phrase for _, phrase in self.user.said]
        heard = [h.intent for h in self.heard]
        return ", ".join(f"{phrase} {heard.count(intent)} of {said.count(phrase)}"
                         for phrase, intent in INTENTS.items() if said.count(phrase))


def run_sessions(clock: Clock, playout: Playout, watch: BeatWatch, limit_seconds: float,
                 settings: Settings, inputs_for: Any, sinks: list[Sink],
                 outcomes: Outcomes | None = None) -> dict[str, Any]:
    """Sessions back to back on ``clock`` until ``limit_seconds`` of session time."""
    program = load_bundled("medial-knee")
    sessions = commands = 0
    rss_after_first: float | None = None
    while clock.now() < limit_seconds:
        session = build_session(program, settings, side=Side.LEFT)
        inputs, typed = inputs_for(session)
        harness = SessionHarness(session, voice=watch, sinks=sinks, clock=clock,
                                 inputs=inputs, record=False)
        watch.new_session(harness.runner)
        if outcomes is not None:
            outcomes.new_session(harness.runner)
        for source in inputs:
            if isinstance(source, Speaking):
                source.harness = harness
        harness.start()
        sessions += 1
        harness.run(limit_seconds=limit_seconds)
        if outcomes is not None and not harness.ended:  # cut off by the run's end
            outcomes.cut_off(harness.session.summary())
        commands += typed.commands if typed is not None else 0
        if rss_after_first is None:
            rss_after_first = rss_mb()
    return {"sessions": sessions, "commands": commands,
            "rss_after_first": rss_after_first or rss_mb()}


def soak(minutes: float, *, settings: Settings | None = None, notes: list[str] | None = None,
         recogniser: bool = False, engine: str | None = None,
         echo: Callable[[np.ndarray], np.ndarray] | None = None) -> dict[str, Any]:
    """The figures of an accelerated soak run; ``notes`` receives a line per beat cut with
    no reply or pause involved, and per beat cut short. ``echo``: the coach's sound
    through a room (``SimulatedRoom.echo_path``) instead of at a gain."""
    settings = settings or Settings()
    playout = Playout(PhraseCache(Voices()), settings)
    watch = BeatWatch(playout)
    threads_start = threading.active_count()
    rss_start = rss_mb()
    clock = PlayoutClock(playout)
    outcomes = Outcomes()
    watched = WatchedVoice(watch, playout, outcomes)
    asking = Asking()  # how often they ask, across sessions
    spoken = Spoken(engine, echo=echo) if recogniser else None
    from coach.history import HistorySink, HistoryStore

    history_path = Path(outcomes.history_dir.name) / "history.sqlite3"
    store = HistoryStore.open(history_path)
    sinks: list[Sink] = [HistorySink(store), outcomes]
    if spoken is not None:
        from coach.runtime.listen_for import ListenFor

        clock.played.append(spoken.microphone.played)
        sinks.append(ListenFor(spoken.listener))

    def inputs_for(session: Any) -> tuple[list[Input], TypedPerson | None]:
        if spoken is not None:
            return spoken.inputs(watched), None
        typed = TypedPerson(session, asking, TypedText())
        return [watched, typed], typed

    started = time.monotonic()
    try:
        run = run_sessions(clock, playout, watch, int(minutes * 60 * RATE_HZ) / RATE_HZ,
                           settings, inputs_for, sinks, outcomes)
    finally:
        playout.phrases.renderer.close()  # type: ignore[attr-defined]
        store.close()
        if spoken is not None:
            spoken.listener.close()
    outcomes.check_history(history_path, "medial-knee")
    wall = time.monotonic() - started
    session_seconds = playout.frames_pulled / RATE_HZ
    figures = {
        "session_minutes": round(session_seconds / 60, 1),
        "wall_seconds": round(wall, 1),
        "speed": round(session_seconds / max(wall, 1e-6), 1),
        "sessions": run["sessions"],
    }
    if spoken is None:
        figures["commands"] = run["commands"]
    figures.update(beat_figures(watch, notes))
    if spoken is not None:
        figures.update(spoken.figures())
    figures.update(outcomes.figures(spoken.user.spoken if spoken is not None else None))
    figures["answered_no_overlap_honest"] = "yes" if outcomes.ok(figures) else "NO"
    if notes is not None:
        notes.extend(outcomes.problems)
        if spoken is not None:
            notes.extend(spoken.obeyed_itself())
    outcomes.history_dir.cleanup()
    figures.update(machine_figures(rss_start, run["rss_after_first"], threads_start))
    return figures


def soak_realtime(minutes: float, *, settings: Settings | None = None,
                  engine: str | None = None, notes: list[str] | None = None) -> dict[str, Any]:
    """A soak paced by the wall clock, as live: a pump thread pulls the playout, the
    recogniser decodes on its worker, and the loop steps as the live one waits with
    nothing to do (``coach.runtime.live.LOOP_SECONDS``)."""
    from coach.runtime.live import LOOKAHEAD_SECONDS
    from coach.runtime.live import LOOP_SECONDS as STEP_SECONDS
    from coach.runtime.live_microphone import DecisionsSeen
    from coach.runtime.listen_for import ListenFor
    from coach.runtime.speaker_pump import SpeakerPump
    from coach.speech_out.warmup import recurring_phrases

    settings = settings or Settings()
    playout = Playout(PhraseCache(Voices()), settings)
    watch = BeatWatch(playout)
    threads_start = threading.active_count()
    rss_start = rss_mb()
    spoken = Spoken(engine, background=True)
    clock = LiveClock(STEP_SECONDS, LOOKAHEAD_SECONDS)  # as live
    clock.follow(playout)
    pump = SpeakerPump(playout, None, [spoken.microphone.played])
    steps = Steps(STEP_SECONDS)
    decodes: list[float] = []
    seen = DecisionsSeen()

    class Decodes:
        """An input that only counts the recogniser's decodes, and how long each took."""

        def events(self, now: float) -> list[Event]:
            decodes.extend(d.decode_seconds for d in seen.new(spoken.listener.decisions)
                           if d.decode_seconds > 0)
            return []

    watched = WatchedVoice(watch, playout)
    warm = threading.Thread(target=playout.warm, name="coach-warm", daemon=True,
                            args=(recurring_phrases(load_bundled("medial-knee"), Side.LEFT),))
    cpu_start, started = time.process_time(), time.monotonic()
    warm.start()
    pump.start()
    try:
        run = run_sessions(clock, playout, watch, minutes * 60, settings,
                           lambda session: ([steps, *spoken.inputs(watched), Decodes()], None),
                           [ListenFor(spoken.listener)])
    finally:
        pump.stop()
        spoken.listener.close()
        warm.join()
        playout.phrases.renderer.close()  # type: ignore[attr-defined]
    wall = time.monotonic() - started
    late = sorted(steps.late)
    figures: dict[str, Any] = {
        "session_minutes": round(playout.frames_pulled / RATE_HZ / 60, 1),
        "wall_seconds": round(wall, 1),
        "sessions": run["sessions"],
    }
    figures.update(beat_figures(watch, notes))
    figures.update({
        "sound_card_waits": pump.late_blocks,
        "sound_card_wait_max_ms": round(1000 * pump.latest_seconds, 1),
        "loop_step_late_max_ms": round(1000 * (late[-1] if late else 0.0), 1),
        "loop_step_late_p99_ms": round(1000 * (late[int(0.99 * (len(late) - 1))]
                                               if late else 0.0), 1),
        "decodes": len(decodes),
        "decode_median_ms": round(1000 * sorted(decodes)[len(decodes) // 2], 1) if decodes else 0,
        "decode_max_ms": round(1000 * max(decodes), 1) if decodes else 0,
        "cpu_percent": round(100 * (time.process_time() - cpu_start) / max(wall, 1e-6)),
    })
    figures.update(spoken.figures())
    figures.update(machine_figures(rss_start, run["rss_after_first"], threads_start))
    return figures


def machine_figures(rss_start: float, rss_after_first: float,
                    threads_start: int) -> dict[str, Any]:
    return {
        "rss_start_mb": round(rss_start, 1),
        "rss_after_first_session_mb": round(rss_after_first, 1),
        "rss_end_mb": round(rss_mb(), 1),
        "threads_start": threads_start,
        "threads_end": threading.active_count(),
    }

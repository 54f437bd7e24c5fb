"""The live coach: speaker, microphone and keyboard around one session.

Threads, and who owns what::

    PortAudio out ── copies from the speaker ring (audio_io.Speaker)
    PortAudio in  ── copies blocks into the microphone queue (audio_io.Microphone)
    pump          ── keeps the speaker ring topped up from the Playout, and
                     hands each block it pulled to the loop (the echo reference)
    loader        ── loads the recogniser (seconds) once the welcome is rendered,
                     while it is spoken
    keys          ── reads typed lines (runtime.typed_input.LineReader)
    loop (caller) ── the only thread that touches the Runner, Session, Listener:
                     typed lines, recognised commands and ticks in; actions out

The session clock is the audio clock: the Playout's pull position plus a
short look-ahead, so a beat is handed to the Playout before the pump reaches
its sample and plays exactly on it. Microphone blocks are dated by the
speaker position when they arrived. With no speaker (or once it fails) the
clock carries on from a monotonic clock, and the coach's words are printed.
"""

from __future__ import annotations

import collections
import functools
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from coach.audio.format import BLOCK_FRAMES, RATE_HZ
from coach.commands.intents import URGENT
from coach.core.actions import Action, Say, StopSpeaking
from coach.core.events import Event, Heard, SpeechDone, SpeechStarted, Tick
from coach.errors import CoachError
from coach.runtime.assembly import StartSession
from coach.runtime.audio_io import AudioDeviceError, Microphone, Speaker
from coach.runtime.live_text import PrintSink, runtime_line
from coach.runtime.recogniser import ListenFor, open_listener
from coach.runtime.runner import Runner, Sink, TextSink, TranscriptLine
from coach.runtime.typed_input import EOF, LineReader
from coach.speech_in.command_listener import CommandListener, rejected
from coach.speech_in.echo_delay import BULK, EchoDelay

LOOP_SECONDS = 0.01  # how often the loop looks at keys, microphone and clock
LOOKAHEAD_SECONDS = 0.05  # the session runs this far ahead of the pump
# Frames queued for the speaker beyond what it has taken. Enough to ride out the
# loop thread holding the interpreter (a recogniser decode) without an underrun;
# a cut ("Stopping.") is heard at most this much later.
LEAD_FRAMES = 12 * BLOCK_FRAMES
MIC_SILENT_SECONDS = 3.0  # no microphone block for this long: it is gone
MIC_RESYNC_SECONDS = 0.25  # microphone time this far from the speaker's: anchor it again
FINISH_SECONDS = 30.0  # at the end, wait at most this long for the last words
OWN_ID = -1  # utterance ids below zero are the runtime's own, not the session's


@dataclass(frozen=True)
class LiveOptions:
    engine: str | None = None  # "vosk", "sphinx", or None for the best installed
    model: str | None = None  # a Vosk model folder
    input_device: str | None = None  # an index or part of a name; None: the default
    output_device: str | None = None
    speak_to: Path | None = None  # also write what is played to this WAV file
    timestamps: bool = True
    listen: bool = True  # False: keys only, no microphone
    show_rejected: bool = False  # print what was heard but not taken as a command, and why
    record_mic: Path | None = None  # keep what the microphone heard (only when asked)


class LiveRun:
    """One live session. ``run()`` blocks until the session ends or is interrupted."""

    def __init__(self, started: StartSession, options: LiveOptions, *,
                 write: Callable[[str], None], stdin: TextIO | None = None) -> None:
        self.session = started.session
        self.options = options
        self.write = write
        self.printer = PrintSink(write, options.timestamps)
        self.extra_sinks = started.sinks
        # Failures to keep what the session changes are said once, and it carries on.
        started.settings_sink.report = (
            lambda detail: self.say_once("settings_not_saved", detail=detail))
        if started.history is not None:
            started.history.report = (
                lambda problem: self._note(f"{problem} Carrying on without history."))
        self.stdin = stdin if stdin is not None else sys.stdin
        self.speaker: Speaker | None = None
        self.mic: Microphone | None = None
        self.voice: Any = None  # FallbackVoice, or a TextSink when there is no speaker
        self.voice_sink: Any = None  # the voice, with urgent cuts made at once
        self.ears = ListenFor()  # the session's Listen actions, for the recogniser
        self.playout: Any = None
        self.listener: CommandListener | None = None
        self.reference: collections.deque[tuple[np.ndarray, float]] = collections.deque()
        self.notes: set[str] = set()  # runtime messages already given (each is said once)
        self.stopping = threading.Event()
        self._pump_thread: threading.Thread | None = None
        self._loader: threading.Thread | None = None
        self._loaded: list[Any] = []
        self._wav: Any = None
        self._mono_origin = time.monotonic()
        self._mono_offset = 0.0  # session time when the clock became monotonic
        self._audio_clock = False
        self._last_mic = time.monotonic()
        self.runner: Runner | None = None
        self._keys_closed = False
        self._mic_next: float | None = None  # session time of the next microphone sample
        self._mic_skips = 0  # the speaker's skips the microphone's dating has followed
        self._urgent = False  # an urgent command ("stop") is being handled: cut at once
        self.echo_delay = EchoDelay(BULK)  # the microphone is dated with it taken off
        self._decisions_seen = 0
        self._mic_wav: Any = None

    # -- clock ------------------------------------------------------------------
    def now(self) -> float:
        if self._audio_clock:
            return float(self.playout.next_sample_at()) + LOOKAHEAD_SECONDS
        return self._mono_offset + time.monotonic() - self._mono_origin

    def _to_monotonic_clock(self) -> None:
        if self._audio_clock:
            self._mono_offset = self.now()
            self._mono_origin = time.monotonic()
            self._audio_clock = False

    # -- start-up ---------------------------------------------------------------
    def _open_output(self) -> None:
        from coach.settings import Settings  # noqa: F401 - settings travel in the session
        from coach.speech_out.cache import PhraseCache
        from coach.speech_out.engine import Pyttsx3Renderer
        from coach.speech_out.playout import Playout
        from coach.speech_out.sinks import FallbackVoice

        text = TextSink(rate_wpm=self.session.settings.rate_wpm, write=None)
        try:
            from coach.runtime.audio_io import pick_device

            index = pick_device(self.options.output_device, "output")
            if index is None and self.options.speak_to is None:
                raise AudioDeviceError(runtime_line("no_speaker"))
            if index is not None:
                self.speaker = Speaker(index)
                self.speaker.start()
                # a first guess until the echo is measured: both buffers' latency
                self.echo_delay.delay_samples = round(2 * self.speaker.latency_seconds * RATE_HZ)
        except AudioDeviceError as exc:
            self.say_once("no_speaker", spoken=False, detail=str(exc))
            self.voice = self.voice_sink = text
            return
        self.playout = Playout(PhraseCache(Pyttsx3Renderer()), self.session.settings)
        self.voice = FallbackVoice(self.playout, text, self._note)
        self.voice_sink = self._voice
        if self.options.speak_to is not None:
            from coach.audio.wavfile import WavWriter

            self._wav = WavWriter(self.options.speak_to, RATE_HZ)
        self._audio_clock = True
        self._pump_thread = threading.Thread(target=self._pump, name="coach-pump", daemon=True)
        self._pump_thread.start()

    def _start_listening(self) -> None:
        if not self.options.listen:
            return

        def load() -> None:
            try:
                from coach.runtime.audio_io import pick_device

                index = pick_device(self.options.input_device, "input")
                if index is None:
                    self._loaded.append(AudioDeviceError("no microphone"))
                    return
                mic = Microphone(index, self.speaker)
                listener = open_listener(self.options.engine, self.options.model,
                                         background=True)
                mic.start()
                self._loaded.extend([mic, listener])
            except CoachError as exc:
                self._loaded.append(exc)

        self._loader = threading.Thread(target=load, name="coach-loader", daemon=True)
        self._loader.start()

    def _collect_loaded(self) -> None:
        if self._loader is None or self._loader.is_alive():
            return
        self._loader = None
        failure = next((x for x in self._loaded if isinstance(x, CoachError)), None)
        if failure is not None:
            self.say_once("no_microphone", detail=str(failure))
            return
        self.mic, self.listener = self._loaded[0], self._loaded[1]
        self.ears.attach(self.listener)
        if self.options.record_mic is not None:
            from coach.audio.wavfile import WavWriter

            self._mic_wav = WavWriter(self.options.record_mic, RATE_HZ)
        self._last_mic = time.monotonic()
        listener = self.listener
        self._note(runtime_line("listening", name=self.options.input_device or "the default",
                                engine=listener.description))
        if listener.fallback:
            self.say_once("engine_fallback", detail=listener.fallback)

    def _voice(self, action: Action, now: float) -> list[Event]:
        """The voice; an urgent command's StopSpeaking is heard at once.

        A StopSpeaking would cut the playout at the session clock, which runs
        ahead of what is sounding by the look-ahead, with the speaker's queue
        on top: over 150 ms of the coach still talking after "stop". For an
        urgent command the cut is made at the next sample the playout hands
        out, and the speaker drops what it has queued beyond a couple of
        blocks (its frame count jumps; the microphone's dating follows).
        """
        if not (self._urgent and isinstance(action, StopSpeaking) and self._audio_clock):
            return list(self.voice(action, now))
        events = list(self.voice(action, self.playout.next_sample_at()))
        if self.speaker is not None:
            self.speaker.ring.skip(0)
        return events

    # -- the pump (its own thread) ----------------------------------------------
    def _pump(self) -> None:
        speaker, playout = self.speaker, self.playout
        paced_at = time.monotonic()
        while not self.stopping.is_set():
            if speaker is not None:
                speaker.wake.wait(0.05)
                speaker.wake.clear()
                if speaker.check() is not None:
                    return
                allowed = speaker.frames_played + LEAD_FRAMES
            else:  # a WAV file only: pace by the monotonic clock
                time.sleep(LOOP_SECONDS)
                allowed = int((time.monotonic() - paced_at) * RATE_HZ) + LEAD_FRAMES
            while playout.frames_pulled + BLOCK_FRAMES <= allowed:
                at = playout.next_sample_at()
                block = playout.pull(BLOCK_FRAMES)
                if speaker is not None:
                    speaker.ring.write(block)
                if self._wav is not None:
                    self._wav.write(block)
                self.reference.append((block, at))

    # -- the loop ---------------------------------------------------------------
    def run(self) -> int:
        previous = signal.signal(signal.SIGTERM, lambda *_: self.stopping.set()) \
            if threading.current_thread() is threading.main_thread() else None
        reader = LineReader(self.stdin).start()
        try:
            self._open_output()
            sinks: list[Sink] = [self.printer, self.voice_sink, self.ears, *self.extra_sinks]
            self.runner = Runner(self.session, sinks)
            # The welcome is rendered before the recogniser starts loading: the load is
            # about half a second of pure Python (PocketSphinx's dictionary and grammar),
            # and run beside espeak-ng's first phrase it held that phrase back by as
            # much (scripts/bench_live.py). The pump and the audio callback still get
            # the interpreter every few milliseconds, so the welcome plays while it loads.
            self.runner.start(self.now())
            self._start_listening()
            if self.playout is not None:
                from coach.speech_out.warmup import recurring_phrases

                texts = recurring_phrases(self.session.program, self.session.side)
                threading.Thread(target=self.playout.warm, args=(texts,), name="coach-warm",
                                 daemon=True).start()
            while not self.runner.ended and not self.stopping.is_set():
                if not self._step(reader):
                    self.write(runtime_line("goodbye"))
                    return 0
            if self.runner.ended:
                self._finish_speaking()
                self.write(runtime_line("goodbye"))
            else:
                self.write(runtime_line("interrupted"))
            return 0
        except KeyboardInterrupt:
            self.write(runtime_line("interrupted"))
            return 0
        finally:
            self.close()
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def _step(self, reader: LineReader) -> bool:
        runner = self.runner
        assert runner is not None
        line = reader.get(LOOP_SECONDS)
        if line is EOF:
            self._keys_closed = True
        if self._keys_closed and self.mic is None and self._loader is None:
            return False  # no microphone, and the keys are gone: nobody can answer
        if isinstance(line, str) and line.strip():
            self.typed(line)
        self._collect_loaded()
        self._check_devices()
        self._listen()
        self._feed_events()
        runner.feed(Tick(self.now()))
        return True

    def typed(self, text: str) -> None:
        from coach.commands.parser import load_vocabulary, parse

        command = parse(text, load_vocabulary())
        if command is None:
            self.printer.emit(TranscriptLine(self.now(), "you", f"{text} (not a command)"))
            return
        heard = Heard(command.intent, text, 1.0, self.now(), command.number)
        self.printer.emit(TranscriptLine(heard.at, "you", f"{text} (typed)"))
        self._command(heard)

    def _listen(self) -> None:
        while self.reference:
            block, at = self.reference.popleft()
            self.echo_delay.played(block, round(at * RATE_HZ))
            if self.listener is not None:
                self._safely(functools.partial(self.listener.playing, block, at))
        mic = self.mic
        if mic is None:
            return
        while self.listener is not None:
            try:
                item = mic.blocks.get_nowait()
            except queue.Empty:
                break
            self._last_mic = time.monotonic()
            if item.overflow:
                self.say_once("input_overflow", spoken=False)
            if item.speaker_skips != self._mic_skips:
                # The speaker skipped queued sound (an urgent cut): its frame count
                # jumped, and the microphone's dating follows it, so the echo
                # reference stays lined up with what was really played.
                self._mic_skips = item.speaker_skips
                self._mic_next = None
            raw = self._mic_time(item.speaker_frame, len(item.samples))
            self._mic_next = raw + len(item.samples) / RATE_HZ
            self.echo_delay.heard(item.samples, round(raw * RATE_HZ))
            if self._mic_wav is not None:
                self._mic_wav.write(item.samples)
            if self.echo_delay.measured and "echo_measured" not in self.notes:
                self.notes.add("echo_measured")
                self._note(runtime_line("echo_measured", ms=round(1000 * self.echo_delay.seconds)))
            at = raw - self.echo_delay.seconds
            heard = self._safely(functools.partial(self.listener.feed, item.samples, at))
            if self.options.show_rejected and self.listener is not None:
                decisions = self.listener.decisions
                for text in rejected(decisions[min(self._decisions_seen, len(decisions)):]):
                    self._note(text)
                self._decisions_seen = len(decisions)
            self._hear(heard or [])
        if self.listener is not None:  # a decode the worker finished after the last block
            self._hear(self._safely(self.listener.poll) or [])

    def _hear(self, heard: list[Heard]) -> None:
        for h in heard:
            self.printer.emit(TranscriptLine(h.at, "you", f"{h.text} (heard, {h.confidence:.2f})"))
            self._command(h)

    def _command(self, heard: Heard) -> None:
        """A command, spoken or typed: an urgent one cuts the voice at once."""
        self._urgent = heard.intent in URGENT
        try:
            self._deliver(heard)
        finally:
            self._urgent = False

    def _mic_time(self, speaker_frame: int | None, frames: int) -> float:
        """When the block's first sample was heard, on the session clock.

        Microphone samples follow one another: each block starts where the
        last ended, so the echo reference stays aligned sample for sample. The
        speaker position (or the monotonic clock) only anchors the first block,
        and re-anchors after lost input (an overflow, a stall).
        """
        if speaker_frame is not None and self._audio_clock:
            measured = speaker_frame / RATE_HZ - frames / RATE_HZ  # the echo delay comes off later
        else:
            measured = self.now() - LOOKAHEAD_SECONDS * self._audio_clock - frames / RATE_HZ
        expected = self._mic_next
        if expected is None or abs(measured - expected) > MIC_RESYNC_SECONDS:
            return max(0.0, measured)
        return expected

    def _safely(self, work: Callable[[], Any]) -> Any:
        """Run recogniser work; if it fails, say so once and carry on with keys."""
        try:
            return work()
        except Exception as exc:  # noqa: BLE001 - any recogniser fault must not end the session
            self.say_once("listener_failed", detail=f"{type(exc).__name__}: {exc}")
            self._close_mic()
            return None

    def _check_devices(self) -> None:
        if self.speaker is not None and self.speaker.failed is not None and self._audio_clock:
            reason = self.speaker.failed
            now = self.now()
            self._to_monotonic_clock()
            self.stopping_pump()
            for event in self.voice.device_failed(reason, now):
                self._deliver(event)
        mic = self.mic
        if mic is not None:
            silent = time.monotonic() - self._last_mic > MIC_SILENT_SECONDS
            lost: str | None = mic.check() or ("the microphone stopped sending sound" if silent else None)
            if lost is not None:
                self.say_once("microphone_lost", detail=lost)
                self._close_mic()

    def _feed_events(self) -> None:
        if self.playout is None:
            return
        for event in self.playout.drain_events():
            if isinstance(event, (SpeechStarted, SpeechDone)) and event.utterance_id < 0:
                continue  # the runtime's own words
            self._deliver(event)

    def _deliver(self, event: Event) -> None:
        runner = self.runner
        assert runner is not None
        runner.feed(event)

    # -- messages ---------------------------------------------------------------
    def say_once(self, key: str, *, spoken: bool = True, detail: str = "") -> None:
        """A runtime message, printed (and spoken, when there is a voice) only once."""
        if key in self.notes:
            return
        self.notes.add(key)
        text = runtime_line(key)
        self._note(text + (f" ({detail})" if detail and detail != text else ""))
        if spoken and self.playout is not None and self._audio_clock:
            self._own_id = getattr(self, "_own_id", OWN_ID) - 1
            self.playout.submit(Say(text, self._own_id), self.now())

    def _note(self, text: str) -> None:
        self.printer.emit(TranscriptLine(self.now(), "note", text))

    # -- shutdown ---------------------------------------------------------------
    def _finish_speaking(self) -> None:
        if self.playout is None or not self._audio_clock:
            return
        deadline = time.monotonic() + FINISH_SECONDS
        while self.playout.busy and time.monotonic() < deadline and self.speaker_ok():
            time.sleep(LOOP_SECONDS)
            self._feed_events()
        time.sleep(min(0.3, 2 * (self.speaker.latency_seconds if self.speaker else 0.0)))

    def speaker_ok(self) -> bool:
        return self.speaker is None or self.speaker.failed is None

    def stopping_pump(self) -> None:
        thread, self._pump_thread = self._pump_thread, None
        if thread is not None and thread is not threading.current_thread():
            self.stopping.set()
            thread.join(timeout=2.0)
            self.stopping.clear()

    def _close_mic(self) -> None:
        mic, self.mic = self.mic, None
        if mic is not None:
            mic.close()
        listener, self.listener = self.listener, None
        self.ears.attach(None)
        if listener is not None:
            listener.close()

    def close(self) -> None:
        self.stopping.set()
        thread, self._pump_thread = self._pump_thread, None
        if thread is not None:
            thread.join(timeout=2.0)
        self._close_mic()
        if self.speaker is not None:
            self.speaker.close()
        if self._wav is not None:
            self._wav.close()
        if self._mic_wav is not None:
            self._mic_wav.close()
        if self.playout is not None:
            renderer = self.playout.phrases.renderer
            if hasattr(renderer, "close"):
                renderer.close()


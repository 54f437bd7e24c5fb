"""The live coach: speaker, microphone and keyboard around one session, on the one loop.

Threads, and who owns what::

    PortAudio out ── copies from the speaker ring (devices.Speaker)
    PortAudio in  ── copies blocks into the microphone queue (devices.Microphone)
    pump          ── keeps the speaker ring topped up from the Playout, and hands
                     each block it pulled on as the echo reference (speaker_pump)
    loader        ── loads the recogniser (seconds) once the welcome is rendered,
                     while it is spoken (live_microphone)
    decoder       ── the recogniser's decodes, off the loop (speech_in.decoding)
    keys          ── reads typed lines (typed_input.LineReader)
    loop (caller) ── the only thread that touches the Runner, Session, Listener:
                     typed lines, device changes, recognised commands and the
                     voice's events in, then the Tick; actions out. It sleeps
                     until one of the others has something for it (a microphone
                     block, a decode, a line, a failure), 25 ms at most

The session clock is the audio clock (``LiveClock``): the Playout's pull
position plus a short look-ahead, so a beat is handed to the Playout before
the pump reaches its sample and plays exactly on it. Microphone blocks are
dated by the speaker position when they arrived (``LiveMicrophone``). With no
speaker (or once it fails) the clock carries on from a monotonic clock, and
the coach's words are printed.

A thread that dies, or an output that fails on it (a ``--speak-to`` file on
a full disk), is reported through one queue (``coach.workers.Failures``),
which the loop looks at every step: the coach says once what failed, and
carries on without it. The pump's death turns the clock monotonic and the
voice to text, as a speaker that stops does.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from coach.audio.devices import AudioDeviceError, Speaker
from coach.audio.format import RATE_HZ
from coach.core.actions import Action, Say, StopSpeaking
from coach.core.events import Event, Heard
from coach.core.states import QUESTIONS
from coach.runtime.assembly import StartSession
from coach.runtime.clock import LiveClock
from coach.runtime.live_microphone import Hearing, LiveMicrophone
from coach.runtime.loop import Ending, Input, SessionLoop
from coach.runtime.memory import limit_malloc_arenas
from coach.runtime.messages import interrupted_line, runtime_line
from coach.runtime.text_voice import TextVoice, TranscriptLine, TranscriptPrinter
from coach.runtime.listen_for import ListenFor
from coach.runtime.runner import Runner, Sink
from coach.runtime.speaker_pump import OptionalOutput, SpeakerPump
from coach.runtime.stop_signals import EXIT_INTERRUPTED, StopOnSignal
from coach.runtime.typed_input import LineReader, TypedLines
from coach.runtime.voice_events import OWN_ID, VoiceEvents
from coach.speech_in.typed import TypedText
from coach.workers import Failure, Failures
from coach.speech_out.voices import is_neural

# The loop wakes when there is something to do: a microphone block (every 40 ms;
# every 80 ms while nobody speaks and the coach is silent),
# a decode done, a typed line, a failure. With nothing (no microphone) it steps
# every LOOP_SECONDS. A beat is handed to the playout once the clock reaches it,
# LOOKAHEAD_SECONDS before the pump pulls its sample; some step must fall in
# that window, after the pump's last pull (20 ms, speaker_pump.PULL_FRAMES) and
# with room for a late step: 75 - 20 - 25 ms leaves 30 ms, as 50 - 10 - 10 did
# when the loop woke every 10 ms (100 times a second, most of them for nothing).
LOOP_SECONDS = 0.025  # the longest the loop waits with nothing to do
# While a question is open (nothing is counted: no beat can be late), the voice is
# silent and nobody speaks, the loop waits up to this long instead: a word, a
# decode or a typed line still wakes it at once.
PATIENT_SECONDS = 0.1
LOOKAHEAD_SECONDS = 0.075  # the session runs this far ahead of the pump
FINISH_SECONDS = 30.0  # at the end, wait at most this long for the last words
CLOSE_WARM_SECONDS = 10.0  # at the end, wait at most this long for the phrase being rendered
START_VOICE_AFTER_FRAMES = RATE_HZ // 4  # the neural voice loads once 0.25 s has been played


@dataclass(frozen=True)
class LiveOptions:
    engine: str | None = None  # "whisper", "vosk", "sphinx", or None for the best installed
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
        self.printer = TranscriptPrinter(write, options.timestamps, keep=False)  # printed only
        self.extra_sinks = started.sinks
        # Failures to keep what the session changes are said once, and it carries on.
        started.settings_sink.report = (
            lambda detail: self.say_once("settings_not_saved", detail=detail))
        # A history that cannot be used is said once, aloud, at the start or when
        # a write fails; what was kept decides what an interruption says.
        self.history = started.history
        self.history_problem = started.history_problem
        if started.history is not None:
            started.history.report = (
                lambda problem: self.say_once("history_unavailable", detail=str(problem)))
        self.stdin = stdin if stdin is not None else sys.stdin
        self.wake = threading.Event()  # a typed line came in: the loop's step is now
        self.clock = LiveClock(LOOP_SECONDS, LOOKAHEAD_SECONDS, self.wake,
                               patient_seconds=PATIENT_SECONDS)
        self.clock.patient = self._patient
        self.failures = Failures(self.wake)  # threads and outputs that failed, for the loop
        self.speaker: Speaker | None = None
        self.playout: Any = None
        self.voice: Any = None  # FallbackVoice, or a TextVoice when there is no speaker
        self.pump: SpeakerPump | None = None
        self.ears = ListenFor()  # the session's Listen actions, for the recogniser
        self.microphone = LiveMicrophone(
            Hearing(options.engine, options.model, options.input_device,
                    options.show_rejected, options.record_mic),
            self.clock, self.ears, note=self._note, say_once=self.say_once,
            show=self.printer.emit, failures=self.failures, wake=self.wake)
        self.notes: set[str] = set()  # runtime messages already given (each is said once)
        self.loop: SessionLoop | None = None
        self._wav: Any = None
        self._wav_output: OptionalOutput | None = None
        self._own_id = OWN_ID
        self.voices: Any = None  # the speech engines, when there is a speaker
        self._warming: threading.Thread | None = None  # the warm-up, while it renders
        self._closing = threading.Event()  # the run is over: the warm-up stops

    def now(self) -> float:
        return self.clock.now()

    # -- start-up ---------------------------------------------------------------
    def _open_output(self) -> None:
        from coach.speech_out.cache import PhraseCache
        from coach.speech_out.playout import Playout
        from coach.speech_out.voices import NeuralVoice, Voices
        from coach.speech_out.sinks import FallbackVoice

        text = TextVoice(rate_wpm=self.session.settings.rate_wpm, write=None, keep=False)
        try:
            from coach.audio.devices import pick_device

            index = pick_device(self.options.output_device, "output")
            if index is None and self.options.speak_to is None:
                raise AudioDeviceError(runtime_line("no_speaker"))
            if index is not None:
                self.speaker = Speaker(index)
                self.speaker.start()
                self.microphone.follow(self.speaker)
        except AudioDeviceError as exc:
            self.say_once("no_speaker", spoken=False, detail=str(exc))
            self.voice = text
            return
        # The neural voice starts loading once the welcome is on its way (see run()).
        self.voices = Voices(NeuralVoice(start=False), stand_in=True)
        self.playout = Playout(PhraseCache(self.voices), self.session.settings)
        self.voice = FallbackVoice(self.playout, text, self._note)
        played = [self.microphone.played]
        if self.options.speak_to is not None:
            from coach.audio.wavfile import WavWriter

            wav = self._wav = WavWriter(self.options.speak_to, RATE_HZ)
            self._wav_output = OptionalOutput(lambda block, at: wav.write(block), "speak_to",
                                              self.failures)
            played.insert(0, self._wav_output)
        self.clock.follow(self.playout)
        self.pump = SpeakerPump(self.playout, self.speaker, played, failures=self.failures)
        self.pump.start()

    def _voice(self, action: Action, now: float) -> list[Event]:
        """The voice; a StopSpeaking ``at_once`` (stop, pause, pain) is heard at once.

        A StopSpeaking would cut the playout at the session clock, which runs
        ahead of what is sounding by the look-ahead, with the speaker's queue
        on top: over 150 ms of the coach still talking after "stop". When the
        session asks for it at once (spoken or typed) the cut is made at the next sample
        the playout hands out, and the speaker drops what it has queued beyond
        a couple of blocks (its frame count jumps; the microphone's dating
        follows).
        """
        if not (isinstance(action, StopSpeaking) and action.at_once and self.clock.audio):
            return list(self.voice(action, now))
        events = list(self.voice(action, self.playout.next_sample_at()))
        if self.speaker is not None:
            self.speaker.ring.skip(0)
        return events

    def _patient(self) -> bool:
        """The loop may wait longer: a question is open, the voice is silent, nobody speaks.

        So may the pump (``SpeakerPump.relaxed``): no beat is due, and a reply
        is pulled at its next wake as before."""
        patient = (self.session.state in QUESTIONS and self.microphone.idle
                   and (self.playout is None or not self.playout.busy))
        if self.pump is not None:
            self.pump.relaxed = patient
        return patient

    # -- the loop ---------------------------------------------------------------
    def run(self) -> int:
        """The exit code: 0, 130 after Ctrl-C, 128 + the signal after SIGTERM or SIGHUP."""
        limit_malloc_arenas()  # before the threads start
        with StopOnSignal() as stop:
            return self._run(stop)

    def _run(self, stop: StopOnSignal) -> int:
        reader = LineReader(self.stdin, self.wake).start()
        try:
            self._open_output()
            sinks: list[Sink] = [self.printer, self._voice, self.ears, *self.extra_sinks]
            typed = TypedLines(reader, TypedText(), self._show_typed)
            inputs: list[Input] = [typed, _Devices(self), self.microphone]
            if self.playout is not None:
                inputs.append(VoiceEvents(self.playout))
            self.loop = loop = SessionLoop(Runner(self.session, sinks), self.clock, inputs)
            stop.attach(loop)
            # The welcome is rendered before the recogniser starts loading: the load is
            # about half a second of pure Python (PocketSphinx's dictionary and grammar),
            # and run beside espeak-ng's first phrase it held that phrase back by as
            # much (scripts/bench_live.py). The pump and the audio callback still get
            # the interpreter every few milliseconds, so the welcome plays while it loads.
            loop.start()
            if self.history_problem is not None:
                self.say_once("history_unavailable", detail=str(self.history_problem))
            if self.options.listen:
                self.microphone.load()
            if self.playout is not None:
                from coach.speech_out.warmup import recurring_phrases

                # The opening too (welcome, safety notes: product copy): kept on disk, the
                # next launch says it at once, in the neural voice, while that loads.
                texts = [self.session.lines.get("welcome"), *self.session.program.safety_lines,
                         *recurring_phrases(self.session.program, self.session.side)]
                self._warming = self.failures.thread(lambda: self._warm(texts),
                                                     name="coach-warm", what="warm-up")
            ending = loop.run(nobody_left=lambda: typed.ended and self.microphone.gone)
            if ending is Ending.SESSION_ENDED:
                self._finish_speaking()
            if ending is Ending.STOPPED:  # SIGTERM or SIGHUP
                self.write(interrupted_line(self.session, self.history))
                return stop.exit_code
            self.write(runtime_line("goodbye"))
            return 0
        except KeyboardInterrupt:
            self.write(interrupted_line(self.session, self.history))
            return EXIT_INTERRUPTED
        finally:
            self.close()

    def _show_typed(self, text: str, heard: Heard | None, at: float) -> None:
        if heard is None:
            self.printer.emit(TranscriptLine(at, "you", f"{text} (not a command)"))
        else:
            self.printer.emit(TranscriptLine(heard.at, "you", f"{text} (typed)"))

    def _speaker_failed(self) -> Iterator[Event]:
        """The speaker stopped: the clock goes monotonic and the voice goes to text."""
        speaker = self.speaker
        if speaker is None or speaker.failed is None:
            return
        yield from self._to_text(speaker.failed)

    def _to_text(self, reason: str) -> Iterator[Event]:
        """No sound any more: the clock goes monotonic and the voice goes to text."""
        if not self.clock.audio:
            return
        now = self.now()
        self.clock.to_monotonic()
        if self.pump is not None:
            self.pump.stop()
        yield from self.voice.device_failed(reason, now)

    def _failed(self) -> Iterator[Event]:
        """Threads and outputs that failed since the last step: each said once, then done without."""
        for failure in self.failures.take():
            yield from self._carry_on_without(failure)

    def _carry_on_without(self, failure: Failure) -> Iterator[Event]:
        if failure.what == "pump":  # nothing feeds the speaker, nor times the session
            yield from self._to_text(failure.detail)
            self._note(f"({failure.detail})")
        elif failure.what == "speak_to":
            self.say_once("speak_to_failed", spoken=self.speaker is not None,
                          detail=failure.detail)
        elif failure.what == "microphone":
            self.microphone.failed(failure)
        else:  # the warm-up: each phrase is rendered when it is first said instead
            self.say_once("warm_up_failed", detail=failure.detail)

    def _warm(self, texts: list[str]) -> None:
        """Render the recurring phrases in the chosen voice (after it has loaded)."""
        from coach.speech_out.hibari_engine import return_freed_memory
        from coach.speech_out.hibari_files import VoiceFilesError

        try:
            if is_neural(self.session.settings.voice):
                self.voices.neural.engine()
        except (VoiceFilesError, TimeoutError):
            pass  # refused: espeak-ng renders them, under its own key
        for text in texts:  # one at a time: the run may end meanwhile (see ``close``)
            if self._closing.is_set():
                return
            self.playout.warm([text])
        return_freed_memory()  # what the renders left behind

    def _voice_refused(self) -> None:
        """The neural voice was refused (files changed or missing): said once; espeak-ng speaks.

        It starts loading once the first words are playing (its load holds the
        interpreter now and then; before they play, that would hold them back);
        meanwhile espeak-ng says what is not on disk (``Voices`` stand-in)."""
        if self.voices is not None and is_neural(self.session.settings.voice) \
                and self.playout.frames_pulled >= START_VOICE_AFTER_FRAMES:
            self.voices.neural.start()  # once; later calls do nothing
        refusal = self.voices.refusal if self.voices is not None else None
        if refusal is not None and "voice_refused" not in self.notes:
            self.say_once("voice_refused", detail=refusal)

    # -- messages ---------------------------------------------------------------
    def say_once(self, key: str, *, spoken: bool = True, detail: str = "") -> None:
        """A runtime message, printed (and spoken, when there is a voice) only once."""
        if key in self.notes:
            return
        self.notes.add(key)
        text = runtime_line(key)
        self._note(text + (f" ({detail})" if detail and detail != text else ""))
        if spoken and self.playout is not None and self.clock.audio and not self.voice.failed:
            from coach.speech_out.pyttsx3_renderer import SpeechEngineError

            self._own_id -= 1
            try:
                self.playout.submit(Say(text, self._own_id), self.now())
            except SpeechEngineError:
                pass  # printed above; the session's voice finds out at its next line

    def _note(self, text: str) -> None:
        self.printer.emit(TranscriptLine(self.now(), "note", text))

    # -- shutdown ---------------------------------------------------------------
    def _finish_speaking(self) -> None:
        if self.playout is None or not self.clock.audio:
            return
        deadline = time.monotonic() + FINISH_SECONDS
        while self.playout.busy and time.monotonic() < deadline and self.speaker_ok():
            time.sleep(LOOP_SECONDS)
            self.playout.drain_events()  # the session has ended: nobody waits for them
        time.sleep(min(0.3, 2 * (self.speaker.latency_seconds if self.speaker else 0.0)))

    def speaker_ok(self) -> bool:
        return self.speaker is None or self.speaker.failed is None

    def close(self) -> None:
        # The warm-up renders no more, and the phrase under way ends here: a process
        # that exited while the neural voice was rendering on it aborted in
        # onnxruntime's teardown ("terminate called without an active exception").
        self._closing.set()
        if self._warming is not None:
            self._warming.join(timeout=CLOSE_WARM_SECONDS)
        if self.pump is not None:
            self.pump.stop()
        self.microphone.close()
        self.microphone.close_record()
        if self.speaker is not None:
            self.speaker.close()
        if self._wav is not None:
            from coach.audio.wavfile import WavFileError

            try:
                self._wav.close()
            except WavFileError as exc:  # the disk filled up at the very end
                if self._wav_output is None or not self._wav_output.failed:
                    self._note(f"{runtime_line('speak_to_failed')} ({exc})")
        if self.playout is not None:
            renderer = self.playout.phrases.renderer
            if hasattr(renderer, "close"):
                renderer.close()


class _Devices:
    """An input: a speaker that stopped, or a thread that died, is dealt with here."""

    def __init__(self, live: LiveRun) -> None:
        self.live = live

    def events(self, now: float) -> Iterator[Event]:
        self.live._voice_refused()
        yield from self.live._speaker_failed()
        yield from self.live._failed()

"""``coach check``: a spoken and printed self-test a person can run alone.

Each check prints one line (and the important ones are spoken): what was
tested, what was found, and for a failure what to do about it. Exit code 1
when anything failed, so scripts can use it too.
"""

from __future__ import annotations

import argparse
import queue
import time
from typing import TYPE_CHECKING, Any

import numpy as np

from coach.audio.format import RATE_HZ
from coach.cli.check_findings import Check, advice_lines, closing_line, level_problem
from coach.speech_in import ENGINES
from coach.speech_in.command_listener import rejected

if TYPE_CHECKING:
    from coach.speech_in.command_listener import CommandListener

HELP = "test the speaker, microphone, speech recognition and files, by voice"
DESCRIPTION = """\
A self-test you can run on your own, by ear: the coach speaks a test phrase,
then asks you to say 'go' and tells you how loud it heard you and what it
recognised. It also names the speech recogniser and its model, the voice, and
where your settings and history are kept. Every problem comes with what to do
about it. Exit code 0 when everything works, 1 otherwise."""

LISTEN_SECONDS = 4.0  # time to answer, after the prompt has been spoken
TRIES = 3  # not understood: ask again, as a person would
ROOM_SECONDS = 6.0  # listened to before the prompt: the recogniser learns the room's noise


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check", help=HELP, description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--engine", choices=ENGINES,
                        help="speech recogniser: whisper (the default), vosk (needs a model) or sphinx")
    parser.add_argument("--model", metavar="PATH", help="a Vosk model folder")
    parser.add_argument("--input-device", metavar="X", help="microphone: a number or part of a name")
    parser.add_argument("--output-device", metavar="Y", help="speaker: a number or part of a name")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coach import paths
    from coach.audio.devices import AudioDeviceError, Microphone, Speaker, pick_device
    from coach.runtime.messages import runtime_line
    from coach.settings import load_settings, settings_path

    check = Check()
    settings = load_settings()
    check.ok("settings file", str(settings_path()))
    _history(check)
    check.ok("phrase cache", str(paths.cache_dir()))
    phrases = _phrases(check, settings)
    speaker = None
    try:
        index = pick_device(args.output_device, "output")
        if index is None:
            raise AudioDeviceError("no speaker was found")
        speaker = Speaker(index)
        speaker.start()
        check.ok("speaker", f"device {index} opened")
    except AudioDeviceError as exc:
        check.fail("speaker", str(exc), "plug in a speaker or headphones, check the volume, "
                   "and run 'coach devices'; 'coach start --keys' prints the words instead",
                   advice="check_no_speaker")

    def speak(text: str) -> None:
        print(f"coach: {text}", flush=True)
        if speaker is not None and phrases is not None:
            _play(speaker, phrases.get(text, settings.voice, settings.rate_wpm), settings.volume)

    def say(key: str, **values: Any) -> None:
        """One line, after any problem found since the last: each said as it is found."""
        for line in advice_lines(check):
            speak(line)
        speak(runtime_line(key, **values))

    try:
        speak(runtime_line("check_start"))
        if speaker is not None:
            say("check_speaker")
        if speaker is not None and speaker.callbacks == 0:
            check.fail("speaker", "the device took no sound", "check 'coach devices' and the volume",
                       advice="check_speaker_silent")
        _microphone(check, args, speaker, say, Microphone, pick_device, AudioDeviceError)
        for line in advice_lines(check):
            speak(line)
        speak(closing_line(check))
    finally:
        if speaker is not None:
            speaker.close()
        if phrases is not None:
            phrases.renderer.close()
    problems = len(check.failed)
    if problems:
        print(f"{problems} problem{'s' if problems != 1 else ''}.")
    else:
        print("Everything works.")
    return 1 if check.failed else 0


def _history(check: Check) -> None:
    """The history file as a session would find it: the same judgement, not a second one."""
    from coach.history import HistoryUnavailable, file_health

    try:
        health = file_health()
    except HistoryUnavailable as exc:
        fix = exc.fix or "move the file elsewhere to start a new history"
        check.fail("history file", exc.problem, fix, advice="check_history_unusable")
        return
    if health.disk_full:
        from coach.history.phrases import phrase

        check.fail("history file", phrase("disk_full_note", path=health.path),
                   f"to keep new sessions, free some space on the disk that holds {health.path}",
                   advice="check_history_disk_full")
    elif health.read_only:
        from coach.history.phrases import phrase

        check.fail("history file", phrase("read_only_note", path=health.path),
                   "to keep new sessions, make the file and its folder writable again "
                   f"(chmod u+w {health.path} {health.path.parent})",
                   advice="check_history_read_only")
    elif health.sessions is None:
        check.ok("history file", f"{health.path} (none yet: your first session makes it)")
    else:
        count = "1 session" if health.sessions == 1 else f"{health.sessions} sessions"
        check.ok("history file", f"{health.path}, {count}")


def _phrases(check: Check, settings: Any) -> Any:
    from coach.errors import CoachError
    from coach.speech_out.cache import PhraseCache
    from coach.speech_out.voices import FALLBACK_VOICE, Voices, is_neural

    voices = Voices()
    phrases = PhraseCache(voices)
    try:
        phrases.get("Test.", settings.voice, settings.rate_wpm)
    except CoachError as exc:
        check.fail("voice", str(exc), "install espeak-ng, or run 'coach voices' to pick a voice",
                   advice="check_voice_missing")
        return None
    if voices.refusal is not None and is_neural(settings.voice):
        check.fail("voice", voices.refusal, f"espeak-ng ({FALLBACK_VOICE}) speaks instead; "
                   "run scripts/setup to reinstall the neural voice", advice="check_voice_refused")
        return phrases
    check.ok("voice", f"{voices.engine_of(settings.voice)} voice {settings.voice} "
             f"at {settings.rate_wpm} words a minute")
    return phrases


def _play(speaker: Any, pcm: np.ndarray, volume: float) -> None:
    """Play ``pcm`` to the end (blocking): the self-test speaks one line at a time."""
    samples = np.clip(pcm.astype(np.float32) * volume, -32768, 32767).astype(np.int16)
    target = speaker.frames_played + len(samples)
    done = 0
    deadline = time.monotonic() + len(samples) / RATE_HZ + 5.0
    while speaker.frames_played < target and time.monotonic() < deadline:
        if done < len(samples):
            done += speaker.ring.write(samples[done:])
        if speaker.check() is not None:
            return
        time.sleep(0.01)
    time.sleep(speaker.latency_seconds + 0.1)


def _listen(mic: Any, listener: CommandListener | None, at: float,
            seconds: float) -> tuple[float, list[Any], list[np.ndarray]]:
    """``seconds`` of microphone from ``at`` on: the clock after it, what was heard,
    and the blocks."""
    heard: list[Any] = []
    blocks: list[np.ndarray] = []
    start = at
    deadline = time.monotonic() + seconds + 2.0
    while at - start < seconds and time.monotonic() < deadline:
        try:
            block = mic.blocks.get(timeout=0.2).samples
        except queue.Empty:
            continue  # nothing yet: keep waiting until the deadline
        blocks.append(block)
        if listener is not None:
            heard += listener.feed(block, at)
        at += len(block) / RATE_HZ
    if listener is not None:
        silence = np.zeros(RATE_HZ, dtype=np.int16)  # a second: an utterance that ended late finishes
        heard += listener.feed(silence, at)
        at += 1.0
    return at, heard, blocks


def _microphone(check: Check, args: argparse.Namespace, speaker: Any, say: Any,
                microphone: Any, pick_device: Any, device_error: type[Exception]) -> None:
    from coach.errors import CoachError
    from coach.speech_in.command_listener import open_listener

    listener: CommandListener | None
    try:
        listener = open_listener(args.engine, args.model)
        check.ok("speech recognition", listener.description)
        if listener.fallback:
            check.fail("speech recognition model", listener.fallback,
                       "reinstall it with scripts/setup; until then the simpler recogniser is used",
                       advice="check_model_fallback")
    except CoachError as exc:
        check.fail("speech recognition", str(exc),
                   "run scripts/setup (PocketSphinx), or 'coach start --keys' to type commands",
                   advice="check_no_recogniser")
        listener = None
    try:
        index = pick_device(args.input_device, "input")
        if index is None:
            raise device_error("no microphone was found")
        mic = microphone(index, speaker)
        mic.start()
    except device_error as exc:
        check.fail("microphone", str(exc), "plug in a microphone or headset and run "
                   "'coach devices'; you can always type commands instead",
                   advice="check_no_microphone")
        return
    try:
        # Listen to the room first: the recogniser learns its background noise.
        at, _, _ = _listen(mic, listener, 0.0, ROOM_SECONDS)
        if listener is not None:
            from coach.commands.intents import Intent
            from coach.core.expect import ALWAYS
            from coach.runtime.messages import runtime_line

            # A question whose answer is "go": listened for as the coach listens
            # for any question's answer, beside the words that always work.
            listener.expect({Intent.GO} | ALWAYS, runtime_line("check_say_go"))
        blocks: list[np.ndarray] = []
        heard: list[Any] = []
        for attempt in range(TRIES):
            say("check_say_go" if attempt == 0 else "check_say_go_again")
            while not mic.blocks.empty():
                mic.blocks.get_nowait()  # what came in while the prompt played
            at += 5.0  # a gap on the recogniser's clock: the prompt is not fed to it
            at, found, got = _listen(mic, listener, at, LISTEN_SECONDS)
            heard += found
            blocks += got
            if heard or listener is None:
                break
    finally:
        mic.close()
    if not blocks:
        check.fail("microphone", "no sound came in", "check that the microphone is plugged in "
                   "and not muted, and run 'coach devices'", advice="check_no_sound_in")
        return
    audio = np.concatenate(blocks).astype(np.float64)
    peak = float(np.max(np.abs(audio))) if audio.size else 0.0
    level = 20 * np.log10(max(peak, 1.0) / 32768.0)
    problem = level_problem(peak)
    if problem is not None:
        detail, fix, line = problem
        check.fail("microphone level", f"loudest sound {level:.0f} dBFS, {detail}", fix,
                   advice=line)
    else:
        check.ok("microphone level", f"loudest sound {level:.0f} dBFS")
    if listener is None:
        return
    if heard:
        words = ", ".join(h.text for h in heard)
        check.ok("recognised", f"{words} ({heard[0].intent.value})")
        say("check_heard", text=words)
    else:
        for line in rejected(listener.decisions):
            print(f"heard, {line}", flush=True)
        say("check_heard_nothing")
        check.fail("recognised", "nothing", "say 'go' clearly after the prompt; in a noisy "
                   "room, move closer to the microphone", advice="check_not_heard_fix")

#!/usr/bin/env python3
"""Live figures for the README: start-up to the first spoken word, CPU, memory.

Runs the real ``coach start`` against a private PulseAudio server (started
here through scripts/audio-server when none is running) and records its
virtual speaker. Prints a table:

- start-up: from launching the process to the first audible sample on the
  speaker, with an empty phrase cache (first run) and a filled one, once the
  sound server has run its first stream (see ``wake_server``);
- CPU: the process's CPU time per second of wall time while it waits for
  "go" (listening, silent), and while it speaks (listening to its own echo);
- memory: resident set size while listening;
- barge-in: real recordings of "stop" (../shared/audio or $COACH_SHARED_AUDIO,
  or a stand-in voice without them) played into the virtual microphone while the coach speaks:
  how many were obeyed, and how long after the end of the word the coach's
  voice was cut, from a recording of the microphone and one of the speaker;
  and how loud each word was over the coach's echo in the microphone (the
  word's power over its clip, against the microphone's in the half second
  before it: echo and the room's hiss).

The coach's echo: the audio server's loopback (its own sound at a fixed
gain, -44.5 dB: PulseAudio's 18 % volume is cubic), or with ``--echo room``
its sound through a seeded room's loudspeaker-to-microphone path
(scripts/living_room.py, the path the recognition benchmark's own lines
take), streamed block by block, at ``--echo-db`` (dB, the path scaled to
unit energy).

Usage: scripts/bench_live.py [--runs 3] [--stops 30] [--engine whisper|sphinx|vosk]
                             [--echo loopback|room] [--echo-db -12] [--transcript FILE]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO))
from readme_figures import machine_line, table, update_readme
from word_timing import word_end_seconds

from coach.audio.format import RATE_HZ

LOUD = 500  # |sample| above this counts as speech on the virtual speaker


def inside_audio_server() -> None:
    if os.environ.get("COACH_AUDIO_SERVER"):
        return
    script = (". scripts/audio-server; audio_server_start; trap audio_server_stop EXIT; "
              '[ -n "${COACH_AUDIO_SERVER:-}" ] || { echo "the audio server did not start" >&2; '
              'exit 1; }; "$0" "$@"')
    done = subprocess.run(["bash", "-c", script, sys.executable, *sys.argv],
                          check=False, cwd=REPO)
    sys.exit(done.returncode)


class Coach:
    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.launched = time.monotonic()
        self.proc = subprocess.Popen([sys.executable, "-m", "coach", "start", *args], cwd=REPO,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, bufsize=1, env=env)
        self.lines: list[tuple[float, str]] = []
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append((time.monotonic(), line.rstrip()))
                self._cond.notify_all()

    def wait_for(self, pattern: str, timeout: float = 90.0) -> float:
        wanted = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for at, line in self.lines:
                    if wanted.search(line):
                        return at
                if time.monotonic() > deadline:
                    raise SystemExit(f"coach never printed {pattern!r}:\n" +
                                     "\n".join(x for _, x in self.lines))
                self._cond.wait(0.2)

    def wait_for_after(self, pattern: str, since: int, timeout: float) -> float:
        wanted = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for at, line in self.lines[since:]:
                    if wanted.search(line):
                        return at
                if time.monotonic() > deadline:
                    raise TimeoutError(pattern)
                self._cond.wait(0.05)

    def mark(self, text: str) -> None:
        """A line of the benchmark's own in the transcript (``--transcript``)."""
        with self._cond:
            self.lines.append((time.monotonic(), f"## {text}"))

    def type(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


class EchoThroughRoom:
    """The coach's speaker heard by the microphone through a room, in place of the
    audio server's loopback: parec on the speaker, the room's echo path block by
    block, pacat into the microphone."""

    def __init__(self, level_db: float, block: int = 320) -> None:
        sys.path.insert(0, str(REPO / "scripts"))
        from living_room import INSTALL_HINT, EchoPaths, EchoStream, available

        if not available():
            raise SystemExit(INSTALL_HINT)

        self.stream = EchoStream(EchoPaths().pick("coach"), level_db)
        self.block = block
        unloaded = subprocess.run(["pactl", "unload-module", "module-loopback"],
                                  capture_output=True, text=True, check=False)
        if unloaded.returncode != 0:  # the room's echo would come on top of the loopback's
            raise SystemExit("--echo room: the audio server's loopback could not be taken out "
                             f"({unloaded.stderr.strip() or unloaded.returncode}); start the "
                             "server with scripts/audio-server, which loads it.")
        self.source = subprocess.Popen(
            ["parec", "-d", "coach_speaker.monitor", f"--rate={RATE_HZ}", "--channels=1",
             "--format=s16le", "--latency-msec=10"], stdout=subprocess.PIPE)
        self.sink = subprocess.Popen(
            ["pacat", "-d", "coach_mic_in", f"--rate={RATE_HZ}", "--channels=1",
             "--format=s16le", "--latency-msec=30"], stdin=subprocess.PIPE)
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        assert self.source.stdout is not None and self.sink.stdin is not None
        size = 2 * self.block
        while True:
            data = self.source.stdout.read(size)
            if len(data) < size:
                return
            try:
                self.sink.stdin.write(self.stream(np.frombuffer(data, np.int16)).tobytes())
                self.sink.stdin.flush()
            except (BrokenPipeError, ValueError):
                return

    def stop(self) -> None:
        self.source.kill()
        self.sink.kill()


class Speaker:
    """parec on the virtual speaker's monitor, with the time each byte arrived."""

    def __init__(self, device: str = "coach_speaker.monitor") -> None:
        self.proc = subprocess.Popen(
            ["parec", "-d", device, f"--rate={RATE_HZ}", "--channels=1",
             "--format=s16le", "--latency-msec=10"], stdout=subprocess.PIPE)
        self.chunks: list[tuple[float, bytes]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while True:
            data = self.proc.stdout.read1(640)  # type: ignore[attr-defined]
            if not data:
                return
            self.chunks.append((time.monotonic(), data))

    def first_loud_after(self, since: float) -> float | None:
        """Monotonic time when the first loud sample after ``since`` arrived."""
        for arrived, data in list(self.chunks):
            if arrived < since:
                continue
            samples = np.frombuffer(data[: len(data) // 2 * 2], dtype=np.int16)
            loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > LOUD)
            for index in loud:
                at = arrived - (len(samples) - index) / RATE_HZ
                if at >= since:  # earlier samples are the tail of a previous run
                    return at
        return None

    def wait_quiet(self, seconds: float = 1.0, timeout: float = 10.0) -> None:
        """Wait until nothing loud has arrived for ``seconds``: the last run has died away."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.first_loud_after(time.monotonic() - seconds) is None:
                return
            time.sleep(0.1)

    def samples(self, since: float, until: float) -> tuple[np.ndarray, float]:
        """What arrived between two moments, and the time of its first sample."""
        parts, first = [], None
        for arrived, data in list(self.chunks):
            if since <= arrived <= until:
                samples = np.frombuffer(data[: len(data) // 2 * 2], dtype=np.int16)
                if first is None:
                    first = arrived - samples.size / RATE_HZ
                parts.append(samples)
        if not parts or first is None:
            return np.zeros(0, np.int16), since
        return np.concatenate(parts), first

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


def env_for(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    return env


def startup(env: dict[str, str], speaker: Speaker, engine: str | None) -> float:
    args = ["--side", "left", "--no-history"] + (["--engine", engine] if engine else [])
    speaker.wait_quiet()
    coach = Coach(args, env)
    try:
        coach.wait_for(r"coach: Hello")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            first = speaker.first_loud_after(coach.launched)
            if first is not None:
                return first - coach.launched
            time.sleep(0.05)
        raise SystemExit("the coach printed its welcome but nothing was heard on the speaker")
    finally:
        coach.stop()


def load(env: dict[str, str], engine: str | None) -> dict[str, float]:
    """CPU and memory while speaking (the opening) and while waiting, silent, for "go"."""
    (Path(env["XDG_CONFIG_HOME"]) / "coach").mkdir(parents=True, exist_ok=True)
    (Path(env["XDG_CONFIG_HOME"]) / "coach" / "settings.yaml").write_text("verbosity: short\n")
    args = ["--side", "left", "--no-history"] + (["--engine", engine] if engine else [])
    coach = Coach(args, env)
    try:
        coach.wait_for(r"note: Listening through")
        t0, c0 = time.monotonic(), coach.cpu_seconds()
        coach.wait_for(r"coach: Today there are")
        t1, c1 = time.monotonic(), coach.cpu_seconds()
        coach.wait_for(r"coach: Say go when you are ready")
        # Ten seconds in which the coach says nothing: a prompt nobody answers
        # is said once more, so a window it falls in is measured again.
        for _ in range(4):
            time.sleep(3.0)  # the last line's own echo dies away
            seen = len(coach.lines)
            t2, c2 = time.monotonic(), coach.cpu_seconds()
            time.sleep(10.0)
            t3, c3 = time.monotonic(), coach.cpu_seconds()
            if not any("coach:" in line for _, line in coach.lines[seen:]):
                break
        return {"cpu_speaking": (c1 - c0) / (t1 - t0), "cpu_listening": (c3 - c2) / (t3 - t2),
                "rss_mb": coach.rss_mb()}
    finally:
        coach.stop()


def stop_recordings(count: int) -> list[np.ndarray]:
    """Real recordings of "stop" (the first of the manifest), or a stand-in voice."""
    sys.path.insert(0, str(REPO))
    from recordings import SHARED_AUDIO

    from coach.audio.wavfile import read_audio

    found = sorted((SHARED_AUDIO / "speech_commands" / "stop").glob("*.wav"))
    if found:
        return [read_audio(p) for p in found[:count]]
    from coach.runtime.person_voice import PersonVoice

    person = PersonVoice()
    return [person("stop", 1 + k % len(person.voices)) for k in range(count)]


def _placed(recording: np.ndarray, sound: np.ndarray) -> int | None:
    """Where ``sound`` lies in ``recording`` (its first sample's index), by cross-correlation."""
    n = recording.size + sound.size
    if sound.size == 0 or recording.size < sound.size:
        return None
    size = 1 << int(np.ceil(np.log2(n)))
    r = recording.astype(np.float64)
    x = sound.astype(np.float64)
    xc = np.fft.irfft(np.fft.rfft(r, size) * np.conj(np.fft.rfft(x, size)), size)
    lag = int(np.argmax(xc[: recording.size - sound.size + 1]))
    return lag


def barge_in(env: dict[str, str], engine: str | None, words: list[np.ndarray],
             transcript: Path | None = None) -> dict[str, Any]:
    """"stop" said over the coach: obeyed, and the voice cut how long after the word ended.

    Both moments are found by cross-correlation, so a pause between the
    coach's own words is never taken for the cut: the word's end in a
    recording of the microphone (the recording placed there, then its last
    sound above 3 % of its peak), and the coach's "Stopping. End the
    session?" (rendered the same way the coach renders it) in a recording of
    the speaker; the cut is the last sound of the old line before that
    answer. A line that had ended on its own before the word did has nothing
    to cut: counted apart, not as a cut. Between tries the coach is told "no"
    (typed) and carries on.
    """
    sys.path.insert(0, str(REPO))
    from coach.spoken_text import load_lines
    from coach.speech_out.voices import Voices
    from coach.speech_out.synthesis import prepare

    from coach.settings import Settings

    renderer = Voices()
    answer = prepare(renderer.render(load_lines().get("stop_confirm"), Settings().voice, 150))
    renderer.close()
    (Path(env["XDG_CONFIG_HOME"]) / "coach").mkdir(parents=True, exist_ok=True)
    (Path(env["XDG_CONFIG_HOME"]) / "coach" / "settings.yaml").write_text("verbosity: full\n")
    args = (["--side", "left", "--no-history", "--show-rejected"]
            + (["--engine", engine] if engine else []))
    mic, speaker = Speaker("coach_mic"), Speaker()
    coach = Coach(args, env)
    obeyed, cuts, printed, over_echo = 0, [], [], []
    missed: list[list[str]] = []  # for each try not obeyed, what the coach printed meanwhile
    ended_before = 0  # obeyed tries whose line ended on its own before the word did
    ended_at: int | None = None  # the try after which the session ended by itself
    try:
        coach.wait_for(r"note: Listening through")
        for k, word in enumerate(words):
            if coach.proc.poll() is not None:  # nobody left to say it to
                ended_at = k
                break
            # Wait until the coach is speaking, then say the word over it.
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if speaker.first_loud_after(time.monotonic() - 0.15) is not None:
                    break
                time.sleep(0.05)
            coach.mark("stop said into the microphone")
            seen = len(coach.lines)
            said = time.monotonic()
            before, _ = mic.samples(said - 0.5, said)
            if before.size:
                echo_power = float(np.mean(before.astype(np.float64) ** 2)) + 1.0
                word_power = float(np.mean(np.asarray(word, np.float64) ** 2))
                over_echo.append(10 * np.log10(word_power / echo_power))
            subprocess.run(["pacat", "-d", "coach_mic_in", f"--rate={RATE_HZ}", "--channels=1",
                            "--format=s16le", "--latency-msec=10"],
                           input=np.asarray(word, np.int16).tobytes(), check=False)
            try:
                answered = coach.wait_for_after(r"coach: Stopping\. End the session\?", seen,
                                                timeout=4.0)
            except TimeoutError:
                time.sleep(1.0)
                missed.append([line for _, line in coach.lines[seen:]])
                continue
            obeyed += 1
            time.sleep(2.5)  # the answer has been played and recorded
            heard, start = mic.samples(said - 0.5, time.monotonic())
            played, pstart = speaker.samples(said - 0.5, time.monotonic())
            at = _placed(heard, word)
            onset = _placed(played, answer)
            ends = word_end_seconds(word)
            if at is not None and onset is not None and ends is not None:
                word_end = start + at / RATE_HZ + ends
                before = np.flatnonzero(np.abs(played[:onset].astype(np.int32)) > LOUD)
                if before.size:
                    cut = pstart + (before[-1] + 1) / RATE_HZ - word_end
                    if cut >= 0:
                        cuts.append(cut)
                    else:  # the line had ended before the word did: nothing to cut
                        ended_before += 1
                printed.append(answered - word_end)
            try:
                coach.type("no")
            except BrokenPipeError:  # the session ended by itself meanwhile
                pass
            time.sleep(2.0)
    finally:
        coach.stop()
        mic.stop()
        speaker.stop()
        if transcript is not None:
            try:
                transcript.write_text("".join(f"{at - coach.launched:8.2f}  {line}\n"
                                              for at, line in coach.lines))
            except OSError as exc:
                print(f"the transcript could not be written to {transcript}: {exc}", file=sys.stderr)
    return {"n": len(words), "obeyed": obeyed, "cuts_ms": [round(1000 * c) for c in cuts],
            "printed_ms": [round(1000 * p) for p in printed],
            "over_echo_db": [round(d, 1) for d in over_echo], "ended_before": ended_before,
            "missed": missed, "ended_after_try": ended_at}


def wake_server() -> float:
    """Play 0.1 s of silence to the virtual speaker; returns how long that took.

    A freshly started PulseAudio server takes about 2 s to run its first
    playback stream (pacat alone: 1.99 s, then 0.12 s). A desktop's sound server
    has long been running when the coach starts, so the start-ups below are timed
    after this first stream; its time is reported on a row of its own.
    """
    began = time.monotonic()
    subprocess.run(["pacat", "-d", "coach_speaker", f"--rate={RATE_HZ}", "--channels=1",
                    "--format=s16le"], input=bytes(3200), check=False)
    return time.monotonic() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="start-ups to time (3)")
    parser.add_argument("--stops", type=int, default=30, help="barge-in tries (30)")
    parser.add_argument("--engine", choices=("whisper", "sphinx", "vosk"))
    parser.add_argument("--echo", choices=("loopback", "room"), default="loopback",
                        help="the coach's echo: the server's loopback (default), or through a room")
    parser.add_argument("--echo-db", type=float, default=-12.0,
                        help="with --echo room: the echo path's level, dB (-12: a word a median 13 dB over it)")
    parser.add_argument("--transcript", type=Path,
                        help="write what the coach printed during the barge-in tries to this file")
    args = parser.parse_args()
    # Ended by a signal (a time limit), the benchmark still stops the coach, the
    # audio streams and the server, and writes the transcript.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    inside_audio_server()
    home = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    room = EchoThroughRoom(args.echo_db) if args.echo == "room" else None
    speaker = Speaker()
    try:
        server_first = wake_server()
        cold, warm = [], []
        for run in range(args.runs):
            shutil.rmtree(home / "cache", ignore_errors=True)
            cold.append(startup(env_for(home), speaker, args.engine))
            warm.append(startup(env_for(home), speaker, args.engine))
            print(f"run {run + 1}: first word {cold[-1]:.2f} s (empty cache), "
                  f"{warm[-1]:.2f} s (cache filled)", flush=True)
        figures = load(env_for(home), args.engine)
        barge = barge_in(env_for(home), args.engine, stop_recordings(args.stops), args.transcript)
    finally:
        speaker.stop()
        if room is not None:
            room.stop()
        shutil.rmtree(home, ignore_errors=True)
    cores = os.cpu_count() or 1
    sys.path.insert(0, str(REPO))
    from coach.speech_in.command_listener import make_listener

    engine = make_listener(args.engine).description
    cuts = np.array(barge["cuts_ms"] or [0])
    printed = np.array(barge["printed_ms"] or [0])
    over = np.array(barge["over_echo_db"] or [0.0])
    echo = ("the server's loopback, its own sound at -44.5 dB" if room is None
            else f"through a seeded room's loudspeaker-to-microphone path, at {args.echo_db:g} dB")
    rows = [
        ("start-up to first spoken word, empty phrase cache",
         f"{statistics.median(cold):.2f} s (median of {len(cold)}; max {max(cold):.2f} s)"),
        ("start-up to first spoken word, phrase cache filled",
         f"{statistics.median(warm):.2f} s (median of {len(warm)}; max {max(warm):.2f} s)"),
        ("the sound server's first stream, 0.1 s of silence (pacat, before the runs)",
         f"{server_first:.2f} s"),
        ("CPU while listening, coach silent",
         f"{100 * figures['cpu_listening']:.0f} % of one core ({cores} cores here)"),
        ("CPU while speaking and listening (echo)",
         f"{100 * figures['cpu_speaking']:.0f} % of one core"),
        ("memory (RSS) while listening", f"{figures['rss_mb']:.0f} MB"),
        ("the coach's echo in the microphone", echo),
        ("\"stop\" over the echo: the word's level over it",
         (f"median {np.median(over):.1f} dB, 5th-95th percentile {np.percentile(over, 5):.1f} to "
          f"{np.percentile(over, 95):.1f} dB (n {len(barge['over_echo_db'])})")),
        ("\"stop\" said over the coach (real recordings), obeyed",
         f"{barge['obeyed']} of {barge['n']}"
         + ("" if barge["ended_after_try"] is None else
            f" (the session ended by itself after try {barge['ended_after_try']})")),
        ("the coach's voice cut after the end of \"stop\"",
         (f"median {np.median(cuts):.0f} ms, 95th percentile {np.percentile(cuts, 95):.0f} ms, "
          f"max {cuts.max():.0f} ms (n {len(barge['cuts_ms'])}; in {barge['ended_before']} more "
          "the line had ended before the word did)")),
        ("...its answer printed (the decision) after the end of \"stop\"",
         (f"median {np.median(printed):.0f} ms, 95th percentile "
          f"{np.percentile(printed, 95):.0f} ms (n {len(barge['printed_ms'])})")),
    ]
    print("\nbarge-in, each obeyed try: answer printed, ms after the word's end: "
          + ", ".join(str(p) for p in barge["printed_ms"]))
    print("voice cut, ms after the word's end (the coach still speaking then): "
          + ", ".join(str(c) for c in barge["cuts_ms"]))
    for k, lines in enumerate(barge["missed"], 1):
        print(f"try not obeyed ({k}), what the coach printed meanwhile:",
              " | ".join(lines) if lines else "nothing")
    print()
    print(f"{'measure':<52} value")
    for name, value in rows:
        print(f"{name:<52} {value}")
    update_readme("live" if room is None else "live-room",
                  f"Speech recogniser: {engine}.\n\n" + table(("measure", "value"), rows)
                  + "\n\n" + machine_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())

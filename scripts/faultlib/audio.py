"""Audio files for `coach hear`: cut, damaged, absurd, or named like an option."""

from __future__ import annotations

import os
import struct
import subprocess
import wave
from pathlib import Path

from faultlib.kit import Home, Result, Verdict, attempt, need, verdict

G = "audio"
NEXT_HEARD = "a one-line message naming the file, exit 1, then the next file heard"


def silence_wav(path: Path, seconds: float, rate_hz: int = 16_000, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate_hz)
        w.writeframes(bytes(int(seconds * rate_hz) * 2 * channels))
    return path


def spoken_wav(path: Path, words: str) -> Path:
    """``words`` said by espeak-ng, as a WAV file."""
    subprocess.run([need("espeak-ng"), "-w", str(path), words], check=True, capture_output=True)
    return path


def bad_then_good(home: Home, bad: Path, *options: str) -> Verdict:
    good = silence_wav(home.root / "good.wav", 1.0)
    result = home.run("hear", *options, bad.name, good.name, timeout=90)
    return judged(result, bad.name)


def judged(result: Result, bad_name: str) -> Verdict:
    named = [line for line in result.err.splitlines() if bad_name in line]
    ok = (
        result.code == 1
        and not result.crashed()
        and len(named) == 1
        and any(line.startswith("good.wav") for line in result.out.splitlines())
    )
    heard = "good.wav heard" if "good.wav" in result.out else "good.wav NOT heard"
    return verdict(ok, f"{result.summary(80)}; {heard}")


@attempt(G, "coach hear cut.wav good.wav (WAV cut at an odd byte)", NEXT_HEARD, fast=True, defect=1)
def hear_cut_at_odd_byte(home: Home) -> Verdict:
    whole = silence_wav(home.root / "whole.wav", 1.0).read_bytes()
    return bad_then_good(home, home.write("cut.wav", whole[:1001]))


@attempt(G, "coach hear of random bytes named .wav", NEXT_HEARD)
def hear_garbage(home: Home) -> Verdict:
    return bad_then_good(home, home.write("noise.wav", os.urandom(20_000)))


@attempt(G, "WAV header claiming 1 Hz", NEXT_HEARD)
def hear_absurd_rate(home: Home) -> Verdict:
    data = bytearray(silence_wav(home.root / "w.wav", 0.5).read_bytes())
    struct.pack_into("<II", data, 24, 1, 2)  # sample rate, byte rate
    return bad_then_good(home, home.write("onehz.wav", bytes(data)))


@attempt(
    G,
    "WAV whose data chunk claims 4 GB",
    "heard (what is there) or refused: one line, the next file heard",
)
def hear_huge_data_chunk(home: Home) -> Verdict:
    data = bytearray(silence_wav(home.root / "w.wav", 0.5).read_bytes())
    struct.pack_into("<I", data, 40, 0xFFFFFFF0)
    path = home.write("liar.wav", bytes(data))
    good = silence_wav(home.root / "good.wav", 1.0)
    result = home.run("hear", path.name, good.name, timeout=90)
    ok = not result.crashed() and result.code in (0, 1) and "good.wav" in result.out
    return verdict(ok, result.summary(80))


@attempt(G, "empty .wav file", NEXT_HEARD)
def hear_empty(home: Home) -> Verdict:
    return bad_then_good(home, home.write("empty.wav", b""))


@attempt(G, "a folder named x.wav", NEXT_HEARD)
def hear_folder(home: Home) -> Verdict:
    (home.root / "x.wav").mkdir()
    return bad_then_good(home, home.root / "x.wav")


@attempt(G, "a named pipe (FIFO) named f.wav", NEXT_HEARD + "; no hang")
def hear_fifo(home: Home) -> Verdict:
    os.mkfifo(home.root / "f.wav")
    return bad_then_good(home, home.root / "f.wav")


@attempt(
    G,
    "coach hear -- -n.flac (a name starting with '-')",
    "the file heard (its name never taken as a sox option), exit 0",
    defect=14,
)
def hear_dash_name(home: Home) -> Verdict:
    sox = need("sox")
    silence_wav(home.root / "s.wav", 1.0)
    subprocess.run([sox, "s.wav", "--", "-n.flac"], cwd=home.root, check=True, capture_output=True)
    result = home.run("hear", "--", "-n.flac", timeout=90)
    ok = result.code == 0 and not result.crashed() and "-n.flac" in result.out
    return verdict(ok, result.summary(80))


@attempt(G, "stereo 44.1 kHz WAV", "heard: exit 0, one line for the file")
def hear_stereo(home: Home) -> Verdict:
    path = silence_wav(home.root / "stereo.wav", 1.0, 44_100, 2)
    result = home.run("hear", path.name, timeout=90)
    ok = result.code == 0 and not result.crashed() and "stereo.wav" in result.out
    return verdict(ok, result.summary(80))

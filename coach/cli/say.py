"""``coach say TEXT...``: speak any text in any voice, to try a voice before choosing it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from coach.cli.command import add_command

ABOUT = """speak some text, to try a voice

Speak TEXT with the current voice (or --voice NAME) at the rate and volume in the
settings file, through the speaker or into a WAV file (--to). 'coach voices' lists the
voices.
"""


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "say", run, ABOUT)
    parser.add_argument("text", nargs="+", metavar="TEXT", help="the words to say")
    parser.add_argument("--voice", metavar="NAME", help="a voice from 'coach voices'")
    parser.add_argument("--to", metavar="FILE.wav", type=Path,
                        help="write the speech to this WAV file (16 kHz mono) instead of playing it")
    parser.add_argument("--output-device", metavar="DEVICE",
                        help="speaker: an index or part of a name from 'coach devices'")


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from coach.audio.format import RATE_HZ
    from coach.audio.wavfile import Pcm, write_wav
    from coach.settings import load_settings
    from coach.speech_out.synthesis import prepare
    from coach.speech_out.voices import NeuralVoice, Voices, is_neural, voice_named

    settings = load_settings()
    voice = args.voice or settings.voice
    text = " ".join(args.text).strip()
    if not text:
        print("There is nothing to say: give the words after 'coach say'.")
        return 1
    voices = Voices(NeuralVoice(start=is_neural(voice)))
    try:
        if not is_neural(voice) and voice_named(voice, voices.listing()) is None:
            print(f"There is no installed voice called '{voice}'. Run 'coach voices' to see the names.")
            return 1
        samples = prepare(voices.render(text, voice, settings.rate_wpm))
    finally:
        voices.close()
    if voices.refusal is not None and is_neural(voice):
        print(f"The neural voice cannot be used, so espeak-ng spoke instead: {voices.refusal}")
    loud = np.clip(samples.astype(np.float32) * settings.volume, -32768, 32767).astype(np.int16)
    if args.to is not None:
        try:
            write_wav(args.to, Pcm(loud, RATE_HZ))
        except OSError as exc:
            print(f"Cannot write {args.to} ({exc.strerror}). Choose a folder you can write to.")
            return 1
        print(f"{args.to}: {len(loud) / RATE_HZ:.2f} s, voice {voice}.")
        return 0
    return _play(samples, settings.volume, args.output_device)


def _play(samples: Any, volume: float, device: str | None) -> int:
    from coach.audio.devices import AudioDeviceError, Speaker, pick_device
    from coach.cli.check import _play as play_to_end

    try:
        index = pick_device(device, "output")
        if index is None:
            raise AudioDeviceError("no speaker was found")
        speaker = Speaker(index)
        speaker.start()
    except AudioDeviceError as exc:
        print(f"Cannot play the speech ({exc}). Plug in a speaker, or write it to a file with --to.")
        return 1
    try:
        play_to_end(speaker, samples, volume)
    finally:
        speaker.close()
    return 0

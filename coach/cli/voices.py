"""``coach voices``: list every voice the coach can speak with, marking the current one."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from coach.cli.command import add_command

ABOUT = """list the voices the coach can speak with

List the voices, one a line: the name to put in the settings file, then the language,
the engine (hibari: the natural neural voice, the default; espeak-ng: fast and clear to
screen-reader users) and the size on disk. The voice in use is marked 'current'. To
change it, set 'voice:' in the settings file, or use --set. To hear one first: coach say
'Lift your leg.' --voice NAME
"""


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "voices", run, ABOUT)
    parser.add_argument("--language", metavar="CODE",
                        help="only voices whose language starts with CODE, e.g. en")
    parser.add_argument("--set", metavar="VOICE", dest="set_voice",
                        help="make VOICE the current voice (saved in the settings file)")


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from coach.settings import load_settings, save_settings, settings_path
    from coach.speech_out.voices import NeuralVoice, Voices, is_neural, voice_named

    settings = load_settings()
    voices = Voices(NeuralVoice(start=False))  # listing needs the files checked, not the model
    try:
        listing = voices.listing()
    finally:
        voices.close()
    if args.set_voice:
        if voice_named(args.set_voice, listing) is None:
            print(f"There is no installed voice called '{args.set_voice}'. "
                  "Run 'coach voices' to see the names.")
            return 1
        settings = replace(settings, voice=args.set_voice)
        path = settings_path()
        try:
            save_settings(settings, path)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            print(f"coach: could not save the voice in {path}: {reason}. Free some space "
                  "there or make its folder writable, then try again.", file=sys.stderr)
            return 1
        print(f"The voice is now {args.set_voice} (saved in {path}).")
        if is_neural(args.set_voice) and listing[0].note:
            print(f"It cannot be used now, so espeak-ng speaks instead: {listing[0].note}")
        return 0
    wanted = (args.language or "").lower()
    shown = [v for v in listing if v.language.lower().startswith(wanted)]
    if not shown:
        print(f"No installed voice has a language starting with '{args.language}'.")
        return 1
    current = voice_named(settings.voice, shown)
    count = "1 voice" if len(shown) == 1 else f"{len(shown)} voices"
    print(f"{count}. The current voice is {settings.voice}; "
          f"change it with 'coach voices --set NAME' or in {settings_path()}.")
    for v in shown:
        size = f"{v.size_mb:g} MB" if v.engine == "hibari" else f"{v.size_mb:g} MB shared"
        mark = ", current" if v is current else ""
        note = f" (cannot be used: {v.note})" if v.note else ""
        print(f"{v.id}: {v.name}, language {v.language}, {v.engine}, {size}{mark}{note}")
    return 0

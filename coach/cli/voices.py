"""``coach voices``: list the installed espeak-ng voices, marking the current one."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "voices",
        help="list the voices the coach can speak with",
        description="List the installed espeak-ng voices, one a line: the name to put in "
        "the settings file, then the language. The voice in use is marked 'current'. "
        "To change it, set 'voice:' in the settings file, or use --set.",
    )
    parser.add_argument("--language", metavar="CODE",
                        help="only voices whose language starts with CODE, e.g. en")
    parser.add_argument("--set", metavar="VOICE", dest="set_voice",
                        help="make VOICE the current voice (saved in the settings file)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from coach.settings import load_settings, save_settings, settings_path
    from coach.speech_out.pyttsx3_renderer import Pyttsx3Renderer, voice_known

    settings = load_settings()
    renderer = Pyttsx3Renderer()
    try:
        voices = renderer.voices()
    finally:
        renderer.close()
    if args.set_voice:
        if not voice_known(args.set_voice, voices):
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
        return 0
    wanted = (args.language or "").lower()
    shown = [v for v in voices if v.language.lower().startswith(wanted)]
    if not shown:
        print(f"No installed voice has a language starting with '{args.language}'.")
        return 1
    current = [v for v in shown if voice_known(settings.voice, [v])]
    count = "1 voice" if len(shown) == 1 else f"{len(shown)} voices"
    print(f"{count}. The current voice is {settings.voice}; "
          f"change it with 'coach voices --set NAME' or in {settings_path()}.")
    for v in shown:
        mark = ", current" if v in current else ""
        print(f"{v.id}: {v.name}, language {v.language}{mark}")
    return 0

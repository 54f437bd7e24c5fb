"""``coach start`` in voice mode: the glue between the command line and LiveRun."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coach.runtime.audio_io import AudioDeviceError
from coach.runtime.live import LiveOptions, LiveRun
from coach.runtime.live_text import runtime_line


def has_any_device() -> tuple[bool, str]:
    """Whether this computer has any sound device, and if not, why not."""
    from coach.runtime.audio_io import list_devices

    try:
        devices = list_devices()
    except AudioDeviceError as exc:
        return False, str(exc)
    if not any(d.max_output_channels or d.max_input_channels for d in devices):
        return False, "no sound card or sound server was found."
    return True, ""


def run_live(prepared: Any, options: LiveOptions) -> int:
    """``coach start`` with voice: ``prepared`` is coach.cli.start.Prepared."""
    from coach.runtime.keep_settings import SettingsSink

    live = LiveRun(prepared.session, list(prepared.sinks), options,
                   write=lambda line: print(line, flush=True))
    for sink in prepared.sinks:
        if isinstance(sink, SettingsSink):  # a voice change not saved: said and printed once
            sink.report = lambda detail: live.say_once("settings_not_saved", detail=detail)
    return live.run()


def start_live(args: Any, prepare: Callable[[Any], Any]) -> int:
    """``coach start`` without --keys: voice, with keys alongside (see coach.cli.start)."""
    if getattr(args, "or_demo", False):
        found, reason = has_any_device()
        if not found:
            print(runtime_line("no_audio_demo", reason=reason), flush=True)
            from coach.cli import demo

            parser = demo_parser(demo)
            return int(demo.run(parser.parse_args(["--side", args.side or "left"])))
    options = LiveOptions(
        engine=args.engine, model=args.model, input_device=args.input_device,
        output_device=args.output_device, speak_to=args.speak_to,
        timestamps=not args.no_times, listen=not args.no_listen,
        show_rejected=getattr(args, "show_rejected", False),
        record_mic=getattr(args, "record_mic", None),
    )
    prepared = prepare(args)
    try:
        return run_live(prepared, options)
    finally:
        prepared.close()


def demo_parser(module: Any) -> Any:
    import argparse

    parser = argparse.ArgumentParser(prog="coach")
    sub = parser.add_subparsers()
    module.register(sub)
    return sub.choices["demo"]

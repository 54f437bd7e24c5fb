"""``coach devices``: the sound devices this computer has, in plain text."""

from __future__ import annotations

import argparse

HELP = "list the microphones and speakers the coach can use"
DESCRIPTION = """\
List the sound devices, one a line: the number and name to give to
'coach start --input-device' or '--output-device', how many input (microphone)
and output (speaker) channels each has, and which are the defaults."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("devices", help=HELP, description=DESCRIPTION)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coach.audio.devices import list_devices

    devices = list_devices()
    if not devices:
        print("No sound devices found. The coach can still run with typed commands and "
              "printed words: 'coach start --keys'. 'coach demo' needs no sound card.")
        return 1
    print("1 sound device:" if len(devices) == 1 else f"{len(devices)} sound devices:")
    for d in devices:
        marks = []
        if d.default_input:
            marks.append("default microphone")
        if d.default_output:
            marks.append("default speaker")
        mark = f", {' and '.join(marks)}" if marks else ""
        print(f"{d.index}: {d.name} ({d.host_api}), {d.max_input_channels} in, "
              f"{d.max_output_channels} out{mark}")
    return 0

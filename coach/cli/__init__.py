"""The ``coach`` command line.

Each subcommand lives in its own module in this package and exposes
``register(subparsers)``, which adds its parser and sets ``run`` (a function
taking the parsed args and returning an exit code). Output is plain text: no
colour, no cursor movement, so it reads well in a screen reader.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import select
import signal
import sys

from coach import __version__
from coach.cli.plain import OutputFailed
from coach.errors import CoachError
from coach.spoken_text import check_bundled

# In the order `coach --help` lists them.
COMMANDS = (
    "start",
    "demo",
    "programs",
    "show",
    "validate",
    "replay",
    "hear",
    "history",
    "voices",
    "say",
    "devices",
    "check",
)

DESCRIPTION = """\
coach leads a home exercise routine by voice: it reads each step, counts
reps and holds aloud, rests between sets, and listens for spoken commands.
Everything runs on this computer; nothing is sent anywhere.

Run 'coach COMMAND --help' for the options of one command."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"coach {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"coach.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from coach.cli.plain import plain_streams

    with plain_streams():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run = getattr(args, "run", None)
    if run is None:
        parser.print_help()
        return 2
    try:
        check_bundled()  # a line missing stops coach here, naming the file and the key
        code = int(run(args) or 0)
        if sys.stdout is not None:
            sys.stdout.flush()  # output still buffered fails here, not as Python exits
        return code
    except OutputFailed as exc:
        # The output could not be written (`coach programs > /dev/full`): what
        # is still buffered goes nowhere, and stderr says why in one line.
        _stdout_nowhere()
        reason = exc.strerror or type(exc).__name__
        print(f"coach: could not write the output: {reason}. Free some space where "
              "it goes, or send it elsewhere.", file=sys.stderr)
        return 1
    except CoachError as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("coach: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        if not _stdout_closed():
            raise  # another pipe (one to sox, say): not ours to hide
        # Whoever read the output has stopped (`coach voices | head -1`): stop
        # quietly, as Unix tools do, with the exit status of a closed pipe.
        # Output still buffered would fail again as Python exits, so stdout
        # now goes nowhere.
        _stdout_nowhere()
        return 128 + signal.SIGPIPE


def print_line(line: str) -> None:
    """Print ``line`` at once; once the terminal is gone, print nothing more.

    A terminal that was closed (or an ssh session that dropped) fails every
    write with EIO; the hang-up that comes with it (SIGHUP) ends the run at
    its next step, with the honest line and 129. Until then nothing printed
    can be seen, so stdout goes nowhere rather than raising.
    """
    try:
        print(line, flush=True)
    except OSError as exc:
        if exc.errno != errno.EIO:
            raise
        _stdout_nowhere()


def _stdout_nowhere() -> None:
    """Stdout goes to /dev/null from now on (output still buffered included)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _stdout_closed() -> bool:
    """True when stdout is a pipe (or socket) that nobody reads any more."""
    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no stdout, or not a file
        return False

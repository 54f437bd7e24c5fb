"""Opening a file a person named: regular files only, and never a wait.

Programs, settings, replay scripts and recordings are all paths a person
gives. A named pipe there made ``open`` wait for a writer forever; a device
can be endless (/dev/zero) or act on being opened. So the path is checked
before it is opened, opened without waiting, and what was opened is checked
again (the path may have been swapped in between). Every reader of such
files opens them here.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO


class NotAFileError(OSError):
    """The path names something that is not a regular file (a pipe, a device, ...)."""

    def __init__(self, path: Path | str, kind: str):
        super().__init__(f"{path}: is {kind}, not a file; give the path of a saved file")
        self.path = str(path)
        self.kind = kind

    @property
    def message(self) -> str:
        return str(self.args[0])


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _refuse_unless_regular(path: Path | str, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    raise NotAFileError(path, _kind(mode))


def check_regular(path: Path | str) -> None:
    """Raise unless ``path`` is a regular file (following links).

    ``FileNotFoundError`` and other ``OSError`` pass through; a folder raises
    ``IsADirectoryError``; anything else not a file raises ``NotAFileError``.
    """
    _refuse_unless_regular(path, os.stat(path).st_mode)


def open_regular(path: Path | str) -> BinaryIO:
    """Open a regular file for reading in binary, with the errors of ``check_regular``."""
    check_regular(path)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        _refuse_unless_regular(path, os.fstat(fd).st_mode)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise

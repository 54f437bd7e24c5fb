"""A real full disk for tests: a small tmpfs, filled to the last byte.

Mounting needs root; where it is not allowed, the test skips and says why.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def mount_small_disk(where: Path, size_bytes: int) -> None:
    """A tmpfs of ``size_bytes`` at ``where`` (made); skips the test where none can be mounted."""
    where.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None:
        pytest.skip("cannot make a full disk here: mount is not installed")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_bytes},mode=0700", "tmpfs", str(where)],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill here: {done.stderr.strip()}")


def fill(folder: Path) -> None:
    """Write zeros until the disk refuses one more byte."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, bytes(size))
    finally:
        os.close(fd)
    assert os.statvfs(folder).f_bavail == 0


@contextlib.contextmanager
def small_disk(where: Path, size_bytes: int = 512 * 1024) -> Iterator[Path]:
    """A small tmpfs mounted at ``where`` for the ``with`` block; unmounted after."""
    mount_small_disk(where, size_bytes)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)

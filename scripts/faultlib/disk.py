"""A full disk for the attempts: a small real tmpfs, mounted where this user may."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from faultlib.kit import Home, Skip, decode


def mount_tmpfs(home: Home, where: Path, size_kb: int) -> Path:
    """A small real file system at ``where``; unmounted when the attempt ends."""
    if os.geteuid() != 0:
        raise Skip("a small tmpfs needs root to mount; not permitted for this user")
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=0700", "tmpfs", str(where)],
        check=False,
        capture_output=True,
    )
    if done.returncode != 0:
        raise Skip("mounting a tmpfs is not permitted here: " + decode(done.stderr).strip())
    home.mounts.append(where)
    return where


def fill(folder: Path) -> None:
    """Fill the file system under ``folder`` until it reports ENOSPC."""
    block = bytes(64 * 1024)
    with open(folder / ".filler", "wb", buffering=0) as f:
        try:
            while True:
                f.write(block)
        except OSError:
            pass
    n = 0
    try:
        while True:  # the last partial page
            (folder / f".filler{n}").write_bytes(b"x" * 512)
            n += 1
    except OSError:
        pass


def unmount_all(home: Home) -> None:
    for where in reversed(home.mounts):
        subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)
    home.mounts.clear()

"""Per-user files, following the platform's conventions (XDG on Linux).

Health data lives under the data dir, which is created readable by its owner
only (0700); files in it are created 0600. Set XDG_CONFIG_HOME, XDG_DATA_HOME,
XDG_CACHE_HOME or XDG_STATE_HOME to move them (the tests do).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import platformdirs

APP = "coach"


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP))


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP))


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it owner-only (0700).

    Every folder made on the way is made 0700 too, whatever the umask (under
    umask 000 they were 0777); folders that already exist above ``path`` are
    left as they are.
    """
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # made meanwhile by another process
            continue
        os.chmod(folder, 0o700)  # the umask may have taken bits away; a made folder is exact
    if not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(path))
    os.chmod(path, 0o700)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` atomically to an owner-only (0600) file.

    The new content goes to a temporary file in the same folder, is flushed to
    disk, then renamed over the old one: a crash leaves either the old file or
    the new one, never half of each.
    """
    private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise

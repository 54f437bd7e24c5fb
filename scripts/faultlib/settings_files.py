"""The settings file: damaged, absurd, not a file, and how it is saved."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from faultlib.disk import fill, mount_tmpfs
from faultlib.kit import Home, Result, Skip, Verdict, attempt, verdict
from faultlib.programs import billion_laughs

G = "settings"
REPORTED = "a one-line FILE:LINE message, no traceback, the file left byte-identical"
KEYS = ["start", "--keys", "--no-history", "--side", "left"]


def with_settings(home: Home, data: bytes | str) -> tuple[bytes, Result]:
    home.config.mkdir(parents=True)
    path = home.config / "settings.yaml"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    before = path.read_bytes()
    return before, home.run(*KEYS, timeout=30)


def reported(home: Home, data: bytes | str) -> Verdict:
    before, result = with_settings(home, data)
    same = (home.config / "settings.yaml").read_bytes() == before
    ok = not result.crashed() and "settings.yaml" in result.err and same
    return verdict(ok, result.summary() + ("" if same else "; FILE CHANGED"))


@attempt(G, "settings with a YAML syntax error", REPORTED, fast=True)
def settings_syntax_error(home: Home) -> Verdict:
    return reported(home, "rate_wpm: [150\n")


@attempt(G, "settings with rate_wpm: 5000", REPORTED, fast=True)
def settings_out_of_range(home: Home) -> Verdict:
    return reported(home, "rate_wpm: 5000\n")


@attempt(G, "settings of random bytes", REPORTED, fast=True)
def settings_binary(home: Home) -> Verdict:
    return reported(home, os.urandom(2048))


@attempt(G, "settings: billion laughs", REPORTED + ", at once", fast=True)
def settings_billion_laughs(home: Home) -> Verdict:
    return reported(home, billion_laughs())


@attempt(
    G, "settings.yaml that is a folder", "a one-line message naming it, no traceback", fast=True
)
def settings_folder(home: Home) -> Verdict:
    (home.config / "settings.yaml").mkdir(parents=True)
    result = home.run(*KEYS, timeout=30)
    return verdict(not result.crashed() and "settings.yaml" in result.err, result.summary())


@attempt(
    G,
    "settings.yaml that is a named pipe (FIFO)",
    "refused at once: not a regular file; no hang",
    fast=True,
    defect=13,
)
def settings_fifo(home: Home) -> Verdict:
    home.config.mkdir(parents=True)
    os.mkfifo(home.config / "settings.yaml")
    result = home.run(*KEYS, timeout=15)
    return verdict(not result.crashed() and "settings.yaml" in result.err, result.summary())


@attempt(
    G,
    "settings.yaml a link to /dev/zero, then coach voices --set",
    "refused at once: not a regular file; no hang; the link left as it was",
)
def settings_link_to_dev_zero(home: Home) -> Verdict:
    if not Path("/dev/zero").exists():
        raise Skip("this machine has no /dev/zero")
    home.config.mkdir(parents=True)
    link = home.config / "settings.yaml"
    link.symlink_to("/dev/zero")
    result = home.run("voices", "--set", "en-us", timeout=30)
    kept = link.is_symlink() and os.readlink(link) == "/dev/zero"
    ok = not result.crashed() and result.code != 0 and "settings.yaml" in result.text and kept
    return verdict(ok, result.summary() + ("" if kept else "; THE LINK WAS REPLACED"))


@attempt(
    G,
    "coach voices --set en-us saves the settings",
    "file 0600 in a 0700 folder, no temporary file left",
    fast=True,
)
def settings_saved_privately(home: Home) -> Verdict:
    result = home.run("voices", "--set", "en-us", timeout=30)
    path = home.config / "settings.yaml"
    if result.code != 0 or not path.exists():
        return verdict(False, result.summary())
    file_mode = stat.S_IMODE(path.stat().st_mode)
    dir_mode = stat.S_IMODE(home.config.stat().st_mode)
    others = sorted(p.name for p in home.config.iterdir() if p.name != "settings.yaml")
    ok = file_mode == 0o600 and dir_mode == 0o700 and not others and not result.crashed()
    return verdict(ok, f"file {file_mode:o}, folder {dir_mode:o}, other files: {others or 'none'}")


@attempt(
    G,
    "coach voices --set on a full disk",
    "a one-line message, the old settings byte-identical, no temporary file",
)
def settings_full_disk(home: Home) -> Verdict:
    mount_tmpfs(home, home.config, 64)
    path = home.config / "settings.yaml"
    path.write_text("rate_wpm: 130\n")
    fill(home.config)
    result = home.run("voices", "--set", "en-us", timeout=30)
    same = path.read_text() == "rate_wpm: 130\n"
    temp = [
        p.name for p in home.config.iterdir() if not p.name.startswith((".filler", "settings.yaml"))
    ]
    ok = not result.crashed() and result.code != 0 and same and not temp
    return verdict(
        ok,
        result.summary()
        + ("" if same else "; SETTINGS CHANGED")
        + (f"; left {temp}" if temp else ""),
    )

"""The history file: damaged, foreign, a folder, a full disk, absurd options, folder modes."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from pathlib import Path

from faultlib.disk import fill, mount_tmpfs
from faultlib.kit import Home, Result, Verdict, attempt, verdict

G = "history"
KEEP = "said once that the history cannot be used, no traceback, the file byte-identical"


def real_history(home: Home) -> bytes:
    """A history of one short session, made by coach itself (once per run)."""
    if "history" not in home.shared:
        maker = Home(home.root / "maker", home.coach, home.timeout)
        maker.root.mkdir()
        maker.typed(["start", "--keys", "--side", "left"], [(1.0, "go"), (1.5, "")], timeout=60)
        home.shared["history"] = maker.history.read_bytes()
    data = home.shared["history"]
    assert isinstance(data, bytes)
    return data


def place(home: Home, data: bytes) -> Path:
    home.data.mkdir(parents=True, mode=0o700)
    home.history.write_bytes(data)
    home.history.chmod(0o600)
    return home.history


def kept_untouched(home: Home, data: bytes, *args: str) -> Verdict:
    path = place(home, data)
    result = home.run(*args, timeout=40)
    same = path.read_bytes() == data
    sides = [p.name for p in home.data.iterdir() if p.name != "history.sqlite3"]
    ok = not result.crashed() and same and "history" in result.text.lower() and not sides
    extra = ("" if same else "; FILE CHANGED") + (f"; left {sides}" if sides else "")
    return verdict(ok, result.summary() + extra)


def garbage() -> bytes:
    return b"SQLite format 3\x00" + os.urandom(50_000)


@attempt(
    G,
    "coach history on a damaged file (random bytes after the header)",
    KEEP + ", exit 1",
    fast=True,
)
def history_damaged_listing(home: Home) -> Verdict:
    found = kept_untouched(home, garbage(), "history")
    return found


@attempt(
    G,
    "coach start --keys with a damaged history",
    "the session runs without history; " + KEEP,
    fast=True,
)
def history_damaged_session(home: Home) -> Verdict:
    return kept_untouched(home, garbage(), "start", "--keys", "--side", "left")


@attempt(G, "history that is another program's SQLite file", KEEP, fast=True)
def history_foreign(home: Home) -> Verdict:
    scratch = home.root / "other.db"
    with sqlite3.connect(scratch) as db:
        db.execute("CREATE TABLE invoices (id INTEGER, total REAL)")
        db.execute("INSERT INTO invoices VALUES (1, 9.5)")
    db.close()
    return kept_untouched(home, scratch.read_bytes(), "history")


@attempt(G, "history cut in half", KEEP, fast=True)
def history_truncated(home: Home) -> Verdict:
    data = real_history(home)
    return kept_untouched(home, data[: len(data) // 2], "history")


@attempt(
    G, "history path that is a folder", "a one-line message naming it, no traceback", fast=True
)
def history_folder(home: Home) -> Verdict:
    home.history.mkdir(parents=True)
    result = home.run("history")
    return verdict(not result.crashed() and "history" in result.err, result.summary())


def bounded(result: Result) -> Verdict:
    ok = result.code == 2 and not result.crashed() and "--limit" in result.err
    return verdict(ok, result.summary())


@attempt(
    G,
    "coach history --limit 99999999999999999999",
    "a usage error naming --limit, exit 2",
    fast=True,
    defect=9,
)
def history_limit_overflow(home: Home) -> Verdict:
    place(home, real_history(home))
    return bounded(home.run("history", "--limit", "99999999999999999999"))


@attempt(G, "coach history --limit -5", "a usage error naming --limit, exit 2", fast=True)
def history_limit_negative(home: Home) -> Verdict:
    place(home, real_history(home))
    return bounded(home.run("history", "--limit", "-5"))


@attempt(
    G,
    "coach history on a full disk (history of one session)",
    "the sessions listed, exit 0; nothing new on the disk",
    defect=7,
)
def history_full_disk_listing(home: Home) -> Verdict:
    data = real_history(home)
    mount_tmpfs(home, home.data, 256)
    home.history.write_bytes(data)
    fill(home.data)
    result = home.run("history", timeout=30)
    sides = [p.name for p in home.data.iterdir() if p.name.startswith("history.sqlite3-")]
    ok = result.code == 0 and not result.crashed() and "cannot be used" not in result.text
    ok = ok and re.search(r"^\d{4}-\d\d-\d\d ", result.out, re.MULTILINE) is not None and not sides
    return verdict(ok, result.summary() + (f"; left {sides}" if sides else ""))


@attempt(
    G,
    "coach start --keys on a full disk with a history",
    "says the disk is full and nothing new will be kept; runs; the history still readable",
    defect=7,
)
def history_full_disk_session(home: Home) -> Verdict:
    data = real_history(home)
    mount_tmpfs(home, home.data, 256)
    home.history.write_bytes(data)
    fill(home.data)
    # the note is said in the opening, after the program's safety lines (about 20 s
    # of speech): input that ends sooner ends the session before it
    result = home.typed(["start", "--keys", "--side", "left"], [(1.0, "go"), (40.0, "")], timeout=70)
    intact = (
        sqlite3.connect(f"file:{home.history}?mode=ro&immutable=1", uri=True)
        .execute("PRAGMA quick_check")
        .fetchone()[0]
        == "ok"
    )
    said = "full" in result.text.lower()
    ok = not result.crashed() and intact and said and "cannot be used" not in result.text
    return verdict(ok, result.summary() + ("" if intact else "; HISTORY DAMAGED"))


def modes_under(root: Path, top: Path) -> dict[str, int]:
    """The modes of ``top`` and each folder between it and ``root``."""
    found = {}
    path = top
    while path != root and path.exists():
        found[str(path.relative_to(root))] = stat.S_IMODE(path.stat().st_mode)
        path = path.parent
    return found


@attempt(
    G,
    "folders coach creates, under umask 000",
    "~/.cache/coach, ~/.local/share/coach and the parents coach made: 0700",
    fast=True,
    defect=14,
)
def folders_umask_000(home: Home) -> Verdict:
    spoken = str(home.root / "spoken.wav")  # with no speaker, phrases are rendered for this file
    home.typed(
        ["start", "--no-listen", "--side", "left", "--speak-to", spoken],
        [(3.0, "stop"), (1.0, "yes")],
        timeout=60,
        umask=0,
    )
    modes = {**modes_under(home.root, home.cache), **modes_under(home.root, home.data)}
    loose = {k: f"{v:o}" for k, v in modes.items() if v & 0o077}
    return verdict(
        bool(modes) and not loose, f"too open: {loose}" if loose else f"{len(modes)} folders 0700"
    )


@attempt(
    G,
    "~/.cache/coach under the usual umask 022",
    "0700: the phrase cache is private",
    fast=True,
    defect=14,
)
def cache_folder_mode(home: Home) -> Verdict:
    spoken = str(home.root / "spoken.wav")
    home.typed(
        ["start", "--no-listen", "--side", "left", "--no-history", "--speak-to", spoken],
        # The folder is made when the neural voice keeps its first phrase: go on until
        # then (however long the voice takes to load), not for a fixed time.
        [(home.cache.exists, "stop"), (1.0, "yes")],
        timeout=60,
        umask=0o022,
    )
    if not home.cache.exists():
        return verdict(False, "no cache folder was made")
    mode = stat.S_IMODE(home.cache.stat().st_mode)
    return verdict(mode == 0o700, f"~/.cache/coach is {mode:o}")

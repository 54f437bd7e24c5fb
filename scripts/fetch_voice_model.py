#!/usr/bin/env python3
"""Download, verify and install a Vosk speech model for coach.

coach never downloads anything by itself. This script is the one place that
does, and only when someone runs it:

    .venv/bin/python scripts/fetch_voice_model.py                  # small English model
    .venv/bin/python scripts/fetch_voice_model.py NAME --url URL --sha256 HEX
    .venv/bin/python scripts/fetch_voice_model.py --dest ~/.local/share/coach/voice_models

What it guarantees:
- the archive's SHA-256 is checked before anything is unpacked; a mismatch
  deletes the download;
- an interrupted download resumes where it stopped (HTTP Range on NAME.zip.part),
  both within one run and on the next run;
- the archive is inspected before anything is extracted: absolute paths, '..'
  entries, symbolic links, special files, encrypted entries, names twice or
  too long, a file where a folder must be, compression it cannot unpack and
  archives that would unpack to an absurd size or ratio (zip bombs, however
  split) are refused; while unpacking, the bytes written are counted, never
  taken from the headers;
- the model is unpacked into a hidden staging folder of its own beside the
  destination, then renamed into place, so a model folder is never
  half-written or half-replaced;
- it deletes only what it made: its staging folders (each marked with its own
  name) and its download; a folder at the model's place that is not a Vosk
  model is left alone, even with --force.

Progress goes to stderr as plain lines every 10 percent (a screen reader reads
each once); the result goes to stdout. Standard library only.

Exit codes:
    0  installed, or already installed
    1  another file-system problem (permissions, a path that is a file...)
    2  wrong command-line usage
    3  no network, or the connection dropped and could not be resumed
    4  the server answered with an HTTP error
    5  the download's SHA-256 did not match (the download was deleted)
    6  the disk is full
    7  the archive is unsafe or does not hold a Vosk model (nothing installed)
    8  no checksum is known for this model: downloaded, not installed
  130  interrupted with Ctrl-C (run again to resume)
"""

from __future__ import annotations

import argparse
import errno
import hashlib
import http.client
import importlib.util
import os
import re
import shutil
import ssl
import stat
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO


@dataclass(frozen=True)
class KnownModel:
    url: str
    sha256: str | None  # hex; None when no trustworthy value is known
    size_bytes: int | None


# alphacephei.com publishes no checksums for its models. The SHA-256 and size
# below are the values that several independent public projects pin for this
# same archive (an Arch Linux AUR build script among them); they were not
# re-computed by downloading the archive while writing this table. If the
# server's file ever changes, the check fails and nothing is installed.
KNOWN_MODELS: dict[str, KnownModel] = {
    "vosk-model-small-en-us-0.15": KnownModel(
        url="https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip",
        sha256="30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498",
        size_bytes=41_205_931,
    ),
}
DEFAULT_MODEL = "vosk-model-small-en-us-0.15"
DEFAULT_DEST = Path(__file__).resolve().parent.parent / "voice_models"

TIMEOUT_SECONDS = 30.0
CHUNK_BYTES = 64 * 1024
MAX_RESUMES = 5  # automatic resumes in one run, each after some progress
# The largest English Vosk models unpack to about 2-3 GB (the large English
# model to about 2.7 GB); 4,000 MB leaves room for them and nothing much larger.
MAX_UNPACKED_MB = 4000
# Real models compress about 1.5-3x as a whole (the small Korean Vosk model of
# the test extras, zipped at zip's default level: 264 MB in 87 MB, 3.0x). An
# archive that unpacks to more than ten times its own size is a zip bomb,
# however its entries are split: so 4,000 MB need an archive of 400 MB or more.
MAX_TOTAL_RATIO = 10
TOTAL_RATIO_FLOOR_BYTES = 20_000_000  # below this, the whole may compress as it likes
MAX_COMPRESSION_RATIO = 100  # for one entry over 1 MB: far beyond any real model file
MAX_NAME_BYTES = 255  # one part of a path, as Linux file systems allow
MAX_PATH_BYTES = 1024  # a whole path inside the archive; real models need under 100
STAGING_MARK = ".fetch_voice_model-staging"  # inside each staging folder: its own name

EXIT_OTHER, EXIT_NETWORK, EXIT_HTTP, EXIT_CHECKSUM = 1, 3, 4, 5
EXIT_DISK_FULL, EXIT_UNSAFE, EXIT_UNVERIFIED, EXIT_INTERRUPTED = 6, 7, 8, 130


class FetchError(Exception):
    """A one-line message for the person, and the exit code that goes with it."""

    def __init__(self, message: str, exit_code: int = EXIT_OTHER):
        super().__init__(message)
        self.exit_code = exit_code


def megabytes(n_bytes: int) -> str:
    return f"{n_bytes / 1_000_000:.1f} MB"


def disk_full(where: Path) -> FetchError:
    return FetchError(
        f"The disk is full at {where}. Free some space, then run this again "
        "(a download resumes where it stopped).",
        EXIT_DISK_FULL,
    )


def need_space(folder: Path, n_bytes: int, what: str) -> None:
    free = shutil.disk_usage(folder).free
    if free < n_bytes:
        raise FetchError(
            f"Not enough disk space in {folder} to {what}: needs {megabytes(n_bytes)}, "
            f"{megabytes(free)} free. Free some space, then run this again.",
            EXIT_DISK_FULL,
        )


class Progress:
    """Plain progress lines on stderr, one per 10 percent, no carriage returns.

    A bar that redraws itself in place makes a screen reader repeat or skip;
    a line per tenth is read once. On a terminal each line also gets a text bar.
    """

    def __init__(self, out: IO[str], total_bytes: int | None, start_bytes: int):
        self.out = out
        self.total = total_bytes
        self.bar = out.isatty()
        self.next_tenth = (start_bytes * 10 // total_bytes + 1) if total_bytes else 0
        self.next_mb = (start_bytes // 5_000_000 + 1) * 5_000_000

    def update(self, done_bytes: int) -> None:
        if not self.total:  # size unknown: a line every 5 MB
            while done_bytes >= self.next_mb:
                self.out.write(f"  {megabytes(self.next_mb)} downloaded\n")
                self.next_mb += 5_000_000
            self.out.flush()
            return
        while self.next_tenth <= 10 and done_bytes * 10 >= self.next_tenth * self.total:
            tenth = self.next_tenth
            bar = f"[{'#' * tenth}{'-' * (10 - tenth)}] " if self.bar else ""
            self.out.write(
                f"  {bar}{tenth * 10}% ({megabytes(min(done_bytes, self.total))} "
                f"of {megabytes(self.total)})\n"
            )
            self.next_tenth += 1
        self.out.flush()


def _network_error(url: str, exc: BaseException) -> FetchError:
    host = urllib.parse.urlsplit(url).hostname or url
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ssl.SSLCertVerificationError):
        return FetchError(
            f"Cannot check the identity of {host}: {reason.verify_message}. Install the "
            "system's certificate authorities (Debian: the ca-certificates package), "
            "then run this again.",
            EXIT_NETWORK,
        )
    text = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
    return FetchError(
        f"Cannot reach {host}: {text}. Check the network connection, then run this again.",
        EXIT_NETWORK,
    )


class RangeRefused(Exception):
    """The server will not send from where the partial download stops."""


def _open(url: str, have: int) -> http.client.HTTPResponse | None:
    """Open ``url`` from byte ``have``; None if the server says we have it all."""
    headers = {"User-Agent": "coach-fetch-voice-model/1"}
    if have:
        headers["Range"] = f"bytes={have}-"
    try:
        response = urllib.request.urlopen(
            urllib.request.Request(url, headers=headers), timeout=TIMEOUT_SECONDS
        )
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:
            total = re.fullmatch(r"bytes \*/(\d+)", exc.headers.get("Content-Range", ""))
            if total and int(total.group(1)) == have:
                return None
            raise RangeRefused() from None
        raise FetchError(
            f"The server answered HTTP {exc.code} {exc.reason} for {url}. "
            "Check the model name or --url, then run this again.",
            EXIT_HTTP,
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        raise _network_error(url, exc) from None
    return response  # type: ignore[no-any-return]


def download(url: str, part: Path, size_bytes: int | None, out: IO[str]) -> None:
    """Bring ``part`` up to the whole file, resuming whatever is already there."""
    resumes = 0
    restarted = False  # the partial file was thrown away once already
    while True:
        have = part.stat().st_size if part.exists() else 0
        if size_bytes is not None and have > size_bytes:
            part.unlink()
            have = 0
        if size_bytes is not None and have == size_bytes:
            return  # complete; the checksum decides whether it is right
        if size_bytes is not None:
            need_space(part.parent, size_bytes - have, "download the model")
        try:
            response = _open(url, have)
        except RangeRefused:
            if restarted:
                raise FetchError(
                    f"The server at {url} refuses to resume downloads.", EXIT_HTTP
                ) from None
            restarted = True
            part.unlink()  # older or longer than the file on the server: start again
            continue
        if response is None:
            return
        with response:
            if response.status == 206:
                start = re.match(r"bytes (\d+)-", response.headers.get("Content-Range", ""))
                if not start or int(start.group(1)) != have:
                    if restarted:
                        raise FetchError(f"The server at {url} sends wrong byte ranges.", EXIT_HTTP)
                    restarted = True
                    part.unlink(missing_ok=True)
                    continue
            else:
                have = 0  # the server ignored the range: start again
            length_header = response.headers.get("Content-Length")
            expected = int(length_header) if length_header else None
            total = have + expected if expected is not None else size_bytes
            if have:
                of_total = f" of {megabytes(total)}" if total else ""
                out.write(f"Resuming at {megabytes(have)}{of_total}.\n")
            progress = Progress(out, total, have)
            got, dropped = _copy_body(response, part, "ab" if have else "wb", have, progress)
        if dropped is None and (expected is None or got == expected):
            return
        done = have + got
        reason = dropped or "the connection closed early"
        if got > 0 and resumes < MAX_RESUMES:
            resumes += 1
            out.write(f"The connection dropped at {megabytes(done)} ({reason}); resuming.\n")
            continue
        raise FetchError(
            f"The download stopped at {megabytes(done)}: {reason}. "
            "Run this again to resume where it stopped.",
            EXIT_NETWORK,
        )


def _copy_body(
    response: http.client.HTTPResponse, part: Path, mode: str, have: int, progress: Progress
) -> tuple[int, str | None]:
    """Append the body to ``part``; the byte count, and why it stopped early if it did."""
    got = 0
    try:
        with open(part, mode) as f:
            while True:
                try:
                    chunk = response.read(CHUNK_BYTES)
                except (OSError, http.client.HTTPException) as exc:
                    return got, getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
                if not chunk:
                    return got, None
                f.write(chunk)
                got += len(chunk)
                progress.update(have + got)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise disk_full(part.parent) from None
        raise


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _unpackable_methods() -> frozenset[int]:
    """The compression methods this Python's zipfile can unpack."""
    methods = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
    for module, method in (("bz2", zipfile.ZIP_BZIP2), ("lzma", zipfile.ZIP_LZMA)):
        if importlib.util.find_spec(module) is not None:
            methods.add(method)
    return frozenset(methods)


UNPACKABLE_METHODS = _unpackable_methods()


def name_parts(name: str) -> tuple[str, ...]:
    """An entry's path inside the archive, as the folders and name it makes."""
    return tuple(p for p in name.split("/") if p not in ("", "."))


def entry_problem(info: zipfile.ZipInfo) -> str | None:
    """Why extracting this entry would be unsafe, or None if it is fine."""
    name = info.filename
    if not name or "\x00" in name:
        return "has an empty or broken name"
    if "\\" in name:
        return "uses backslashes, which could point outside the model folder"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "has an absolute path"
    if ".." in name.split("/"):
        return "climbs out of the model folder with '..'"
    if info.flag_bits & 0x1:
        return "is encrypted"
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return "is a symbolic link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "is a special file, not a plain file or folder"
    if info.compress_type not in UNPACKABLE_METHODS:
        return f"uses compression method {info.compress_type}, which cannot be unpacked here"
    parts = name_parts(name)
    if len(name.encode()) > MAX_PATH_BYTES or any(len(p.encode()) > MAX_NAME_BYTES for p in parts):
        return "has a name too long for the file system"
    ratio_limit = MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
    if info.file_size > max(1_000_000, ratio_limit):
        return "has a compression ratio only a zip bomb has"
    return None


def layout_problem(infos: list[zipfile.ZipInfo]) -> tuple[zipfile.ZipInfo, str] | None:
    """An entry that cannot be written as the archive says: a name twice, or a
    file where a folder must be."""
    files: set[tuple[str, ...]] = set()
    folders: set[tuple[str, ...]] = set()
    for info in infos:
        parts = name_parts(info.filename)
        if not parts:
            continue
        if info.is_dir():
            folders.add(parts)
        elif parts in files:
            return info, "appears twice"
        else:
            files.add(parts)
        folders.update(parts[:n] for n in range(1, len(parts)))
    for info in infos:
        if not info.is_dir() and name_parts(info.filename) in folders:
            return info, "is both a file and a folder"
    return None


def unsafe_entry(info: zipfile.ZipInfo, problem: str) -> FetchError:
    return FetchError(f"The archive is unsafe: entry '{info.filename}' {problem}.", EXIT_UNSAFE)


def check_archive(archive: zipfile.ZipFile, archive_bytes: int, max_unpacked_bytes: int) -> int:
    """Refuse an unsafe archive before anything is written; the unpacked size.

    Zip bombs either compress one huge run of bytes (a ratio far above the 2:1
    of real models), split that run into many entries (the whole archive's
    ratio gives them away), or let many entries share one compressed block
    (their compressed sizes then add up to more than the archive itself).
    """
    infos = archive.infolist()
    for info in infos:
        problem = entry_problem(info)
        if problem:
            raise unsafe_entry(info, problem)
    clash = layout_problem(infos)
    if clash:
        raise unsafe_entry(*clash)
    unpacked = sum(info.file_size for info in infos)
    if unpacked > max_unpacked_bytes:
        raise FetchError(
            f"The archive is unsafe: it would unpack to {megabytes(unpacked)}, more than "
            f"the limit of {megabytes(max_unpacked_bytes)} (--max-unpacked-mb).",
            EXIT_UNSAFE,
        )
    if sum(info.compress_size for info in infos) > archive_bytes:
        raise FetchError(
            "The archive is unsafe: its entries overlap, a trick only zip bombs use.",
            EXIT_UNSAFE,
        )
    if unpacked > max(TOTAL_RATIO_FLOOR_BYTES, MAX_TOTAL_RATIO * archive_bytes):
        raise FetchError(
            f"The archive is unsafe: it would unpack to {megabytes(unpacked)} from "
            f"{megabytes(archive_bytes)}, a compression ratio only a zip bomb has "
            f"(real models stay under {MAX_TOTAL_RATIO}:1).",
            EXIT_UNSAFE,
        )
    return unpacked


def extract(archive: zipfile.ZipFile, into: Path, max_bytes: int) -> None:
    """Write every entry under ``into`` (already checked by check_archive).

    The bytes are counted as they are written, never taken from the headers:
    an entry that gives more than its header says, or more than ``max_bytes``
    in all, stops the extraction.
    """
    written = 0
    for info in archive.infolist():
        parts = name_parts(info.filename)
        if not parts:
            continue
        target = into.joinpath(*parts)
        try:
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, open(target, "xb") as dst:
                entry_bytes = 0
                while chunk := src.read(CHUNK_BYTES):
                    entry_bytes += len(chunk)
                    written += len(chunk)
                    if entry_bytes > info.file_size or written > max_bytes:
                        raise unsafe_entry(
                            info,
                            "unpacks to more than the headers say "
                            f"(over {megabytes(max_bytes)} in all)",
                        )
                    dst.write(chunk)
        except NotImplementedError:
            raise unsafe_entry(info, "uses a compression that cannot be unpacked here") from None
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG):
                raise unsafe_entry(info, f"cannot be written: {exc.strerror}") from None
            raise


def is_vosk_model(path: Path) -> bool:
    """The layout Vosk loads (same rule as coach.speech_in.models)."""
    has_am = (path / "am" / "final.mdl").is_file() or (path / "final.mdl").is_file()
    return path.is_dir() and has_am and (path / "conf" / "mfcc.conf").is_file()


def model_root(unpacked: Path) -> Path:
    """The model folder inside what was unpacked: the top, or its one subfolder."""
    if is_vosk_model(unpacked):
        return unpacked
    children = [c for c in unpacked.iterdir()]
    if len(children) == 1 and is_vosk_model(children[0]):
        return children[0]
    raise FetchError(
        "The archive does not hold a Vosk model (no am/final.mdl and conf/mfcc.conf). "
        "Nothing was installed.",
        EXIT_UNSAFE,
    )


def make_staging(dest: Path, name: str) -> Path:
    """A new staging folder in ``dest``, unique, marked with its own name.

    The mark is how a later run knows a leftover folder is one this script
    made (and may delete) and not a folder of the person's that looks alike.
    """
    work = Path(tempfile.mkdtemp(prefix=f".{name}.unpacking-", dir=dest))
    (work / STAGING_MARK).write_text(work.name + "\n")
    return work


def remove_stale_staging(dest: Path, name: str) -> None:
    """Delete staging folders left by runs that were killed, and nothing else."""
    for folder in dest.glob(f".{name}.unpacking-*"):
        mark = folder / STAGING_MARK
        try:
            ours = (
                not folder.is_symlink()
                and folder.is_dir()
                and not mark.is_symlink()
                and mark.read_text() == folder.name + "\n"
            )
        except (OSError, UnicodeDecodeError):
            ours = False
        if ours:
            shutil.rmtree(folder, ignore_errors=True)


def refuse_foreign(final: Path) -> None:
    """A model replaces only a model: anything else at its place is left alone."""
    if (final.exists() or final.is_symlink()) and not is_vosk_model(final):
        raise FetchError(
            f"{final} exists and is not a Vosk model, so it was left alone. "
            "Move it away or choose another --dest, then run this again."
        )


def install(archive_path: Path, dest: Path, name: str, max_unpacked_bytes: int) -> Path:
    """Unpack beside ``dest/name``, then rename into place; the old model goes last."""
    remove_stale_staging(dest, name)
    final = dest / name
    refuse_foreign(final)
    work = make_staging(dest, name)
    try:
        try:
            with zipfile.ZipFile(archive_path) as archive:
                unpacked = check_archive(archive, archive_path.stat().st_size, max_unpacked_bytes)
                need_space(dest, unpacked, "unpack the model")
                extract(archive, work / "unpacked", unpacked)
        except zipfile.BadZipFile as exc:
            raise FetchError(
                f"The download is not a valid zip archive: {exc}.", EXIT_UNSAFE
            ) from None
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise disk_full(dest) from None
            raise
        root = model_root(work / "unpacked")
        old = work / "previous"
        refuse_foreign(final)
        if final.exists() or final.is_symlink():
            os.rename(final, old)
        try:
            os.rename(root, final)
        except OSError:
            if old.exists() or old.is_symlink():
                os.rename(old, final)
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="fetch_voice_model.py",
        description="Download a Vosk speech model, check its SHA-256, and install it "
        "safely for coach. Known models: " + ", ".join(KNOWN_MODELS) + ".",
        epilog="Exit codes: 0 installed, 1 file-system problem, 2 usage, 3 no network, "
        "4 HTTP error, 5 checksum mismatch, 6 disk full, 7 unsafe archive, "
        "8 no checksum known (downloaded, not installed), 130 interrupted.",
    )
    parser.add_argument("name", nargs="?", help=f"model name (default: {DEFAULT_MODEL})")
    parser.add_argument("--url", help="download from this http(s) address instead")
    parser.add_argument("--sha256", metavar="HEX", help="the archive's expected SHA-256")
    parser.add_argument(
        "--dest",
        type=Path,
        metavar="DIR",
        default=DEFAULT_DEST,
        help=f"install folder (default: {DEFAULT_DEST})",
    )
    parser.add_argument("--force", action="store_true", help="replace an installed model")
    parser.add_argument(
        "--max-unpacked-mb",
        type=int,
        default=MAX_UNPACKED_MB,
        metavar="MB",
        help=f"refuse an archive that unpacks to more (default: {MAX_UNPACKED_MB})",
    )
    args = parser.parse_args(argv)
    if args.name is None:
        args.name = DEFAULT_MODEL if args.url is None else _name_from_url(args.url)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", args.name):
        parser.error(f"model name {args.name!r}: use letters, digits, '.', '_' and '-'")
    if args.sha256 is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", args.sha256):
        parser.error("--sha256: expected 64 hexadecimal digits")
    if args.url is None and args.name not in KNOWN_MODELS:
        parser.error(f"unknown model {args.name!r}: give its --url (and --sha256)")
    if args.url is not None and urllib.parse.urlsplit(args.url).scheme not in ("http", "https"):
        parser.error("--url: expected an http:// or https:// address")
    return args


def _name_from_url(url: str) -> str:
    base = Path(urllib.parse.urlsplit(url).path).name
    return base.removesuffix(".zip")


def fetch(args: argparse.Namespace, out: IO[str]) -> Path:
    known = KNOWN_MODELS.get(args.name)
    url = args.url or (known.url if known else "")
    same_file = known is not None and url == known.url
    expected = (args.sha256 or (known.sha256 if same_file and known else None) or "").lower()
    size = known.size_bytes if same_file and known else None
    dest: Path = args.dest.expanduser().resolve()
    final = dest / args.name
    if is_vosk_model(final) and not args.force:
        out.write(f"{args.name} is already installed at {final}. Use --force to replace it.\n")
        return final
    refuse_foreign(final)
    dest.mkdir(parents=True, exist_ok=True)
    part = dest / f"{args.name}.zip.part"
    size_text = f" ({megabytes(size)})" if size else ""
    out.write(f"Downloading {args.name}{size_text} from {urllib.parse.urlsplit(url).hostname}.\n")
    download(url, part, size, out)
    actual = sha256_of(part)
    if not expected:
        raise FetchError(
            f"No checksum is known for {args.name}, so it was not installed. "
            f"SHA-256 of the download: {actual} . Compare it with the one its author "
            f"publishes, then run again with --sha256 {actual} (no new download).",
            EXIT_UNVERIFIED,
        )
    if actual != expected:
        part.unlink()
        raise FetchError(
            f"Checksum mismatch: the download's SHA-256 is {actual}, expected {expected}. "
            "The download was deleted and nothing was installed. Run this again; if it "
            "fails again, the file on the server is not the expected one.",
            EXIT_CHECKSUM,
        )
    out.write("Checksum verified. Unpacking.\n")
    try:
        installed = install(part, dest, args.name, args.max_unpacked_mb * 1_000_000)
    except FetchError as exc:
        if exc.exit_code == EXIT_UNSAFE:
            part.unlink()
            raise FetchError(f"{exc} The download was deleted.", EXIT_UNSAFE) from None
        raise
    part.unlink()
    return installed


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        installed = fetch(args, sys.stderr)
    except FetchError as exc:
        print(f"fetch_voice_model: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("fetch_voice_model: interrupted. Run this again to resume.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            print(f"fetch_voice_model: {disk_full(args.dest)}", file=sys.stderr)
            return EXIT_DISK_FULL
        print(f"fetch_voice_model: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return EXIT_OTHER
    print(f"Installed {args.name} at {installed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

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
  entries, symbolic links, special files, encrypted entries and archives that
  would unpack to an absurd size (zip bombs) are refused;
- the model is unpacked into a hidden temporary folder beside the destination,
  then renamed into place, so a model folder is never half-written or
  half-replaced.

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
MAX_UNPACKED_MB = 4096  # the large English model unpacks to about 2.7 GB
MAX_COMPRESSION_RATIO = 100  # real models compress about 2:1

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
    return None


def check_archive(archive: zipfile.ZipFile, archive_bytes: int, max_unpacked_bytes: int) -> int:
    """Refuse an unsafe archive before anything is written; the unpacked size.

    Zip bombs either compress one huge run of bytes (a ratio far above the 2:1
    of real models) or let many entries share one compressed block (their
    compressed sizes then add up to more than the archive itself).
    """
    infos = archive.infolist()
    for info in infos:
        problem = entry_problem(info)
        ratio_limit = MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        if not problem and info.file_size > max(1_000_000, ratio_limit):
            problem = "has a compression ratio only a zip bomb has"
        if problem:
            raise FetchError(
                f"The archive is unsafe: entry '{info.filename}' {problem}.", EXIT_UNSAFE
            )
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
    return unpacked


def extract(archive: zipfile.ZipFile, into: Path) -> None:
    """Write every entry under ``into`` (already checked by check_archive)."""
    for info in archive.infolist():
        parts = [p for p in info.filename.split("/") if p not in ("", ".")]
        if not parts:
            continue
        target = into.joinpath(*parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as src, open(target, "xb") as dst:
            shutil.copyfileobj(src, dst, CHUNK_BYTES)


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


def install(archive_path: Path, dest: Path, name: str, max_unpacked_bytes: int) -> Path:
    """Unpack beside ``dest/name``, then rename into place; the old model goes last."""
    for stale in dest.glob(f".{name}.*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by a run that crashed
    final = dest / name
    work = Path(tempfile.mkdtemp(prefix=f".{name}.unpacking-", dir=dest))
    try:
        try:
            with zipfile.ZipFile(archive_path) as archive:
                unpacked = check_archive(archive, archive_path.stat().st_size, max_unpacked_bytes)
                need_space(dest, unpacked, "unpack the model")
                extract(archive, work / "unpacked")
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
        if final.exists():
            os.rename(final, old)
        try:
            os.rename(root, final)
        except OSError:
            if old.exists():
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

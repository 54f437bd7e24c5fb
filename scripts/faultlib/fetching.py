"""Crafted archives for scripts/fetch_voice_model.py, served from 127.0.0.1."""

from __future__ import annotations

import hashlib
import io
import stat
import struct
import subprocess
import sys
import threading
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from faultlib.kit import Home, Verdict, attempt, verdict

G = "fetch"
SCRIPT = Path(__file__).resolve().parents[1] / "fetch_voice_model.py"
TOP = "vosk-model-small-en-fault-0.1"
REFUSED = "refused: exit 7, a one-line message, nothing installed, no .part, no traceback"


@contextmanager
def serving(files: dict[str, bytes]) -> Iterator[str]:
    """A plain HTTP server for ``files``; yields its base address."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def model_files() -> dict[str, bytes]:
    blob = hashlib.shake_256(b"fault model").digest(200_000)
    return {
        "am/final.mdl": blob[:150_000],
        "conf/mfcc.conf": b"--use-energy=false\n",
        "conf/model.conf": b"--min-active=200\n",
        "graph/Gr.fst": blob[150_000:],
    }


def build(
    entries: list[tuple[zipfile.ZipInfo | str, bytes]], method: int = zipfile.ZIP_DEFLATED
) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point of one attempt
        with zipfile.ZipFile(buffer, "w", method) as archive:
            for info, data in entries:
                archive.writestr(info, data)
    return buffer.getvalue()


def model_entries() -> list[tuple[zipfile.ZipInfo | str, bytes]]:
    return [(f"{TOP}/{name}", data) for name, data in model_files().items()]


def fetch(
    home: Home, file_name: str, body: bytes, dest: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    with serving({f"/{file_name}": body}) as base:
        sha = hashlib.sha256(body).hexdigest()
        return subprocess.run(
            [
                sys.executable,
                str(SCRIPT),
                "--url",
                f"{base}/{file_name}",
                "--sha256",
                sha,
                "--dest",
                str(dest),
                *extra,
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=home.timeout,
            env=home.env(),
            cwd=home.root,
        )


def refused(home: Home, body: bytes, expected_code: int = 7) -> Verdict:
    dest = home.root / "voice_models"
    done = fetch(home, "m.zip", body, dest)
    left = sorted(p.name for p in dest.iterdir()) if dest.exists() else []
    crashed = "Traceback" in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("fetch_voice_model:")]
    ok = done.returncode == expected_code and not crashed and not left and len(lines) == 1
    last = (lines or done.stderr.strip().splitlines() or ["(no output)"])[-1][:90]
    return verdict(
        ok,
        f"exit {done.returncode}{'; TRACEBACK' if crashed else ''}; "
        f"left {left or 'nothing'}; {last}",
    )


def keepsake(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "mine.txt").write_text("keep me")
    return folder


@attempt(
    G,
    "--url .../bashrc.zip --dest ~/x beside ~/x/.bashrc.d/",
    "installed as bashrc; .bashrc.d/ untouched",
    fast=True,
    defect=4,
)
def fetch_dotfile_name(home: Home) -> Verdict:
    dest = home.root / "x"
    mine = keepsake(dest / ".bashrc.d")
    done = fetch(home, "bashrc.zip", build(model_entries()), dest)
    kept = (mine / "mine.txt").exists()
    ok = done.returncode == 0 and kept
    return verdict(ok, f"exit {done.returncode}; .bashrc.d {'kept' if kept else 'DELETED'}")


@attempt(
    G,
    "a failing install of a model named vim beside .vim.bak/",
    "exit 7; .vim.bak/ untouched",
    fast=True,
    defect=4,
)
def fetch_failed_install_beside_dotfolder(home: Home) -> Verdict:
    dest = home.root / "x"
    mine = keepsake(dest / ".vim.bak")
    done = fetch(home, "vim.zip", build([*model_entries(), ("../evil", b"x")]), dest)
    kept = (mine / "mine.txt").exists()
    return verdict(
        done.returncode == 7 and kept,
        f"exit {done.returncode}; .vim.bak {'kept' if kept else 'DELETED'}",
    )


@attempt(
    G,
    "--url .../Documents.zip --dest ~ (a folder that is not a model)",
    "refused, exit 1; ~/Documents untouched, even with --force",
    fast=True,
)
def fetch_foreign_folder(home: Home) -> Verdict:
    mine = keepsake(home.root / "Documents")
    body = build(model_entries())
    runs = [fetch(home, "Documents.zip", body, home.root, *extra) for extra in ((), ("--force",))]
    codes = [run.returncode for run in runs]
    kept = (mine / "mine.txt").exists() and sorted(p.name for p in mine.iterdir()) == ["mine.txt"]
    ok = codes == [1, 1] and kept
    said = "" if ok else "; " + " | ".join(run.stderr.strip()[-120:] for run in runs)
    return verdict(ok, f"exits {codes}; Documents {'kept' if kept else 'REPLACED'}{said}")


@attempt(
    G,
    "600 entries of 1 MB of zeros (a 0.6 MB archive)",
    REFUSED + " (the whole archive's ratio)",
    fast=True,
    defect=5,
)
def fetch_split_bomb(home: Home) -> Verdict:
    zeros = bytes(1_000_000)
    return refused(
        home, build([*model_entries(), *((f"{TOP}/graph/z{n:03d}", zeros) for n in range(600))])
    )


@attempt(G, "one entry of 200 MB of zeros", REFUSED, fast=True)
def fetch_single_bomb(home: Home) -> Verdict:
    return refused(home, build([*model_entries(), (f"{TOP}/am/pad.bin", bytes(200_000_000))]))


@attempt(
    G, "an entry named ../evil (zip-slip)", REFUSED + "; nothing outside the folder", fast=True
)
def fetch_zip_slip(home: Home) -> Verdict:
    found = refused(home, build([*model_entries(), ("../evil", b"x")]))
    escaped = (home.root / "evil").exists()
    return verdict(found.held and not escaped, found.observed + ("; ESCAPED" if escaped else ""))


@attempt(G, "a symbolic-link entry", REFUSED, fast=True)
def fetch_symlink(home: Home) -> Verdict:
    info = zipfile.ZipInfo(f"{TOP}/link")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return refused(home, build([*model_entries(), (info, b"/etc/passwd")]))


def with_method(archive: bytes, name: str, method: int) -> bytes:
    data = bytearray(archive)
    encoded = name.encode()
    for signature, method_at, name_at in ((b"PK\x03\x04", 8, 30), (b"PK\x01\x02", 10, 46)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            if data[at + name_at : at + name_at + len(encoded)] == encoded:
                struct.pack_into("<H", data, at + method_at, method)
            start = at + 4
    return bytes(data)


@attempt(G, "an entry compressed with deflate64 (method 9)", REFUSED, fast=True, defect=11)
def fetch_unsupported_method(home: Home) -> Verdict:
    body = build(model_entries(), zipfile.ZIP_STORED)
    return refused(home, with_method(body, f"{TOP}/conf/model.conf", 9))


@attempt(G, "the same entry twice", REFUSED, fast=True, defect=11)
def fetch_duplicate_entry(home: Home) -> Verdict:
    return refused(home, build([*model_entries(), (f"{TOP}/conf/model.conf", b"again")]))


@attempt(
    G, "a file where a folder must be (conf, then conf/mfcc.conf)", REFUSED, fast=True, defect=11
)
def fetch_file_folder_clash(home: Home) -> Verdict:
    return refused(home, build([(f"{TOP}/conf", b"a file"), *model_entries()]))


@attempt(G, "an entry name of 300 characters", REFUSED, fast=True, defect=11)
def fetch_long_name(home: Home) -> Verdict:
    return refused(home, build([*model_entries(), (f"{TOP}/{'n' * 300}", b"x")]))


@attempt(G, "entries sharing one compressed block (overlap bomb)", REFUSED, fast=True)
def fetch_overlap(home: Home) -> Verdict:
    one = build([("data/block.bin", hashlib.shake_256(b"b").digest(200_000))], zipfile.ZIP_STORED)
    end = one.rindex(b"PK\x05\x06")
    size, offset = struct.unpack("<II", one[end + 12 : end + 20])
    record = one[offset : offset + size]
    records = [record] + [
        record[:46] + f"data/blk{n:02d}.bin".encode() + record[60:] for n in range(1, 4)
    ]
    directory = b"".join(records)
    tail = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 4, 4, len(directory), offset, 0)
    return refused(home, one[:offset] + directory + tail)


@attempt(G, "a download that is not a zip (right checksum)", REFUSED, fast=True)
def fetch_not_a_zip(home: Home) -> Verdict:
    return refused(home, b"<html>not found</html>" * 100)


@attempt(
    G,
    "a download whose SHA-256 does not match",
    "exit 5, the download deleted, nothing installed",
    fast=True,
)
def fetch_checksum_mismatch(home: Home) -> Verdict:
    dest = home.root / "voice_models"
    with serving({"/m.zip": build(model_entries())}) as base:
        done = subprocess.run(
            [
                sys.executable,
                str(SCRIPT),
                "--url",
                f"{base}/m.zip",
                "--sha256",
                "0" * 64,
                "--dest",
                str(dest),
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=home.timeout,
            env=home.env(),
        )
    left = sorted(p.name for p in dest.iterdir()) if dest.exists() else []
    ok = done.returncode == 5 and not left and "Traceback" not in done.stderr
    return verdict(ok, f"exit {done.returncode}; left {left or 'nothing'}")

"""A local model server and model archives for the download tests.

The server is a real HTTP server on 127.0.0.1 (a free port), in a thread. It
serves in-memory files, honours ``Range: bytes=N-`` like the real model site,
can drop the connection halfway through a body, and logs every request so a
test can check what the script asked for. Nothing here touches the internet.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import re
import socket
import ssl
import struct
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "fetch_voice_model.py"
MODEL = "vosk-model-small-en-test-0.1"


@dataclass
class Request:
    path: str
    range: str | None
    status: int


@dataclass
class ModelServer:
    """What the server serves and what it was asked."""

    host: str
    port: int
    files: dict[str, bytes] = field(default_factory=dict)
    # path -> body bytes to send before dropping the connection (first request only)
    drop_after: dict[str, int] = field(default_factory=dict)
    ignore_range: bool = False
    tls: ssl.SSLContext | None = None  # set to serve https instead of http
    log: list[Request] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"


def _handler(state: ModelServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output quiet; requests go to state.log instead

        def do_GET(self) -> None:
            body = state.files.get(self.path)
            wanted = self.headers.get("Range")
            if body is None:
                return self._reply(404, b"not found", wanted)
            start = 0
            match = re.fullmatch(r"bytes=(\d+)-", wanted or "")
            if match and not state.ignore_range:
                start = int(match.group(1))
                if start >= len(body):
                    return self._reply(416, b"", wanted, {"Content-Range": f"bytes */{len(body)}"})
            status = 206 if start else 200
            headers = (
                {"Content-Range": f"bytes {start}-{len(body) - 1}/{len(body)}"} if start else {}
            )
            drop = state.drop_after.pop(self.path, None)
            self._reply(status, body[start:], wanted, headers, drop)

        def _reply(
            self,
            status: int,
            body: bytes,
            wanted: str | None,
            headers: dict[str, str] | None = None,
            drop_after: int | None = None,
        ) -> None:
            state.log.append(Request(self.path, wanted, status))
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Type", "application/zip")
            self.end_headers()
            if drop_after is None:
                self.wfile.write(body)
                return
            self.wfile.write(body[:drop_after])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)  # the rest of the body never comes

    return Handler


@pytest.fixture
def server() -> Iterator[ModelServer]:
    state = ModelServer("127.0.0.1", 0)
    httpd = ThreadingHTTPServer((state.host, 0), _handler(state))
    httpd.daemon_threads = True
    plain_socket = httpd.get_request

    def get_request() -> tuple[socket.socket, Any]:
        connection, address = plain_socket()
        if state.tls is not None:
            connection = state.tls.wrap_socket(connection, server_side=True)
        return connection, address

    httpd.get_request = get_request  # type: ignore[method-assign]
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.fixture(scope="session")
def fetch() -> ModuleType:
    """scripts/fetch_voice_model.py, loaded as a module (it is not a package)."""
    spec = importlib.util.spec_from_file_location("fetch_voice_model", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


class Archives:
    """Builders for model archives, handed to tests by the ``archives`` fixture."""

    model = MODEL

    @staticmethod
    def files(seed: int = 1) -> dict[str, bytes]:
        return model_files(seed)

    @staticmethod
    def zip(files: dict[str, bytes], top: str | None = MODEL) -> bytes:
        return model_zip(files, top)

    @staticmethod
    def add(archive_bytes: bytes, info: zipfile.ZipInfo, data: bytes) -> bytes:
        return add_entry(archive_bytes, info, data)

    @staticmethod
    def overlapping(copies: int = 3) -> bytes:
        return overlapping_zip(copies)

    @staticmethod
    def sha256(data: bytes) -> str:
        return sha256(data)


@pytest.fixture(scope="session")
def archives() -> Archives:
    return Archives()


def model_files(seed: int = 1) -> dict[str, bytes]:
    """A model-shaped file set: Vosk's layout, pseudo-random (incompressible) bytes."""
    blob = hashlib.shake_256(f"model {seed}".encode()).digest(300_000)
    return {
        "am/final.mdl": blob[:200_000],
        "conf/mfcc.conf": b"--use-energy=false\n--sample-frequency=16000\n",
        "conf/model.conf": b"--min-active=200\n",
        "graph/HCLr.fst": blob[200_000:280_000],
        "graph/Gr.fst": blob[280_000:],
        "README": f"test model {seed}\n".encode(),
    }


def model_zip(files: dict[str, bytes], top: str | None = MODEL) -> bytes:
    """A zip of ``files`` under one top folder, the way Vosk publishes models."""
    buffer = io.BytesIO()
    prefix = f"{top}/" if top else ""
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if top:
            archive.writestr(zipfile.ZipInfo(prefix), b"")
        for name, data in files.items():
            archive.writestr(prefix + name, data)
    return buffer.getvalue()


def add_entry(archive_bytes: bytes, info: zipfile.ZipInfo, data: bytes) -> bytes:
    """``archive_bytes`` with one more entry, exactly as given (no name clean-up)."""
    buffer = io.BytesIO(archive_bytes)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(info, data)
    return buffer.getvalue()


def overlapping_zip(copies: int) -> bytes:
    """A zip whose central directory lists one stored block under several names.

    This is how the small, non-recursive zip bombs work: every entry reuses
    the same compressed bytes, so the listed sizes add up to more than the file.
    """
    one = io.BytesIO()
    with zipfile.ZipFile(one, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("data/block.bin", hashlib.shake_256(b"block").digest(200_000))
    raw = one.getvalue()
    end = raw.rindex(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack("<II", raw[end + 12 : end + 20])
    record = raw[cd_offset : cd_offset + cd_size]
    name_at = 46
    records = [record]
    for n in range(1, copies):
        name = f"data/blk{n:02d}.bin".encode()  # as long as the original name
        records.append(record[:name_at] + name + record[name_at + len(name) :])
    directory = b"".join(records)
    tail = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, copies, copies, len(directory), cd_offset, 0
    )
    return raw[:cd_offset] + directory + tail


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Script:
    """Runs the script in this process against the test server, as ``main(argv)``."""

    def __init__(self, module: ModuleType, capsys: pytest.CaptureFixture[str], server: ModelServer):
        self.module = module
        self.capsys = capsys
        self.server = server

    def run(self, *argv: str) -> tuple[int, str, str]:
        """Exit code, stdout and stderr of one run."""
        try:
            code = self.module.main(list(argv))
        except SystemExit as exc:  # argparse refusing the command line
            code = int(exc.code or 0)
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err

    def serve(self, body: bytes | None = None) -> tuple[str, bytes]:
        """Serve ``body`` (default: a good model archive); its URL and bytes."""
        body = model_zip(model_files()) if body is None else body
        self.server.files["/models/model.zip"] = body
        return self.server.url("/models/model.zip"), body

    @staticmethod
    def leftovers(dest: Path) -> list[str]:
        """Everything in ``dest``; after a failure: no model, no temp folder, no archive."""
        return sorted(p.name for p in dest.iterdir()) if dest.exists() else []


@pytest.fixture
def script(fetch: ModuleType, capsys: pytest.CaptureFixture[str], server: ModelServer) -> Script:
    return Script(fetch, capsys, server)

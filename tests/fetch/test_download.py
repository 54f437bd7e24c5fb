"""scripts/fetch_voice_model.py downloading from a real HTTP server on 127.0.0.1.

Every test downloads for real over a socket, writes real files and unpacks
real zip archives; only the server's content is made up. Covered: a good
install, checksum mismatch, resume (within a run and across runs), servers
that ignore ranges, no server, HTTP errors, unknown checksums, reinstall,
a full disk, an untrusted certificate, a destination that cannot exist.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from coach.speech_in.models import find_vosk_model


def test_good_archive_installs_and_is_found(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    url, body = script.serve()
    dest = tmp_path / "voice_models"
    code, out, err = script.run(
        archives.model,
        "--url",
        url,
        "--sha256",
        archives.sha256(body),
        "--dest",
        str(dest),
    )
    assert code == 0, err
    model = dest / archives.model
    for name, data in archives.files().items():
        assert (model / name).read_bytes() == data
    assert script.leftovers(dest) == [archives.model]  # the .part and the temp folder are gone
    assert f"Installed {archives.model} at {model}" in out
    assert "Checksum verified" in err
    assert [r.range for r in server.log] == [None]
    assert find_vosk_model(folders=[dest]) == model.resolve()


def test_bad_checksum_deletes_the_download_and_installs_nothing(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    url, body = script.serve()
    wrong = archives.sha256(body + b"tampered")
    dest = tmp_path / "voice_models"
    code, _, err = script.run("--url", url, "--sha256", wrong, "--dest", str(dest))
    assert code == fetch.EXIT_CHECKSUM == 5
    assert f"Checksum mismatch: the download's SHA-256 is {archives.sha256(body)}" in err
    assert "was deleted" in err
    assert script.leftovers(dest) == []


def test_dropped_connection_resumes_with_a_range_request(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    url, body = script.serve()
    half = len(body) // 2
    server.drop_after["/models/model.zip"] = half
    dest = tmp_path / "voice_models"
    code, _, err = script.run(
        "--url",
        url,
        "--sha256",
        archives.sha256(body),
        "--dest",
        str(dest),
        archives.model,
    )
    assert code == 0, err
    assert [(r.range, r.status) for r in server.log] == [(None, 200), (f"bytes={half}-", 206)]
    assert "The connection dropped at" in err and "resuming" in err
    assert (dest / archives.model / "graph" / "Gr.fst").read_bytes() == archives.files()[
        "graph/Gr.fst"
    ]


def test_interrupted_run_leaves_a_part_file_that_the_next_run_resumes(
    fetch: ModuleType,
    server: Any,
    archives: Any,
    tmp_path: Path,
    script: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, body = script.serve()
    half = len(body) // 2
    server.drop_after["/models/model.zip"] = half
    dest = tmp_path / "voice_models"
    args = ("--url", url, "--sha256", archives.sha256(body), "--dest", str(dest), archives.model)
    monkeypatch.setattr(fetch, "MAX_RESUMES", 0)
    code, _, err = script.run(*args)
    assert code == fetch.EXIT_NETWORK == 3
    assert "Run this again to resume where it stopped" in err
    part = dest / f"{archives.model}.zip.part"
    assert part.read_bytes() == body[:half]
    monkeypatch.undo()
    code, _, err = script.run(*args)
    assert code == 0, err
    assert server.log[-1].range == f"bytes={half}-"
    assert "Resuming at" in err
    assert not part.exists()


def test_server_that_ignores_ranges_restarts_from_zero(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    url, body = script.serve()
    server.ignore_range = True
    dest = tmp_path / "voice_models"
    (dest).mkdir()
    (dest / f"{archives.model}.zip.part").write_bytes(b"stale bytes from some other file")
    code, _, err = script.run(
        "--url",
        url,
        "--sha256",
        archives.sha256(body),
        "--dest",
        str(dest),
        archives.model,
    )
    assert code == 0, err
    assert server.log[0].range == "bytes=32-" and server.log[0].status == 200
    assert (dest / archives.model / "README").is_file()


def test_no_server_listening_is_a_clear_network_error(
    fetch: ModuleType, tmp_path: Path, script: Any
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free now, and nobody listens on it
    sha = "0" * 64
    code, _, err = script.run(
        "--url",
        f"http://127.0.0.1:{port}/m.zip",
        "--sha256",
        sha,
        "--dest",
        str(tmp_path / "d"),
        "vosk-model-x",
    )
    assert code == fetch.EXIT_NETWORK
    lines = err.strip().splitlines()
    assert lines[-1] == (
        "fetch_voice_model: Cannot reach 127.0.0.1: Connection refused. "
        "Check the network connection, then run this again."
    )


def test_http_error_names_the_status(
    fetch: ModuleType, server: Any, tmp_path: Path, script: Any
) -> None:
    code, _, err = script.run(
        "--url",
        server.url("/missing.zip"),
        "--sha256",
        "a" * 64,
        "--dest",
        str(tmp_path / "d"),
    )
    assert code == fetch.EXIT_HTTP == 4
    assert "The server answered HTTP 404 Not Found for" in err
    assert err.count("\n") <= 3  # a short message, not a traceback
    assert "Traceback" not in err


def test_unknown_checksum_downloads_but_does_not_install_until_given(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    url, body = script.serve()
    dest = tmp_path / "voice_models"
    code, _, err = script.run("--url", url, "--dest", str(dest), archives.model)
    assert code == fetch.EXIT_UNVERIFIED == 8
    assert f"SHA-256 of the download: {archives.sha256(body)}" in err
    assert not (dest / archives.model).exists()
    code, _, err = script.run(
        "--url",
        url,
        "--dest",
        str(dest),
        archives.model,
        "--sha256",
        archives.sha256(body).upper(),
    )
    assert code == 0, err
    # The second run asked only for the bytes after the end, and got none.
    assert [(r.range, r.status) for r in server.log[1:]] == [(f"bytes={len(body)}-", 416)]


def test_installed_model_is_kept_unless_forced_then_replaced_whole(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    dest = tmp_path / "voice_models"
    old = dest / archives.model
    for name, data in archives.files(seed=1).items():
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_bytes(data)
    (old / "only-in-the-old-model").write_text("old")
    url, body = script.serve(archives.zip(archives.files(seed=2)))
    args = ("--url", url, "--sha256", archives.sha256(body), "--dest", str(dest), archives.model)
    code, _, err = script.run(*args)
    assert code == 0 and "already installed" in err
    assert server.log == []  # nothing was downloaded
    code, _, err = script.run(*args, "--force")
    assert code == 0, err
    assert not (old / "only-in-the-old-model").exists()
    assert (old / "README").read_text() == "test model 2\n"
    assert script.leftovers(dest) == [archives.model]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_is_a_clear_error(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    url, body = script.serve()
    dest = tmp_path / "voice_models"
    dest.mkdir()
    # Every write to /dev/full fails with ENOSPC, exactly as on a full disk.
    os.symlink("/dev/full", dest / f"{archives.model}.zip.part")
    code, _, err = script.run(
        "--url",
        url,
        "--sha256",
        archives.sha256(body),
        "--dest",
        str(dest),
        archives.model,
    )
    assert code == fetch.EXIT_DISK_FULL == 6
    assert err.strip().splitlines()[-1] == (
        f"fetch_voice_model: The disk is full at {dest}. Free some space, then run this "
        "again (a download resumes where it stopped)."
    )


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_untrusted_certificate_is_a_clear_error(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    """A machine without CA certificates sees every https server this way."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.tls = context
    url, body = script.serve()
    code, _, err = script.run(
        "--url",
        url.replace("http:", "https:"),
        "--sha256",
        archives.sha256(body),
        "--dest",
        str(tmp_path / "d"),
    )
    assert code == fetch.EXIT_NETWORK
    assert "Cannot check the identity of 127.0.0.1: self-signed certificate" in err
    assert "ca-certificates" in err
    assert server.log == []  # the handshake failed before any request


def test_destination_that_cannot_be_a_folder_is_a_one_line_error(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    url, body = script.serve()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, out, err = script.run(
        "--url",
        url,
        "--sha256",
        archives.sha256(body),
        "--dest",
        str(blocker / "voice_models"),
        archives.model,
    )
    assert code == fetch.EXIT_OTHER == 1
    assert err.strip().splitlines()[-1].startswith("fetch_voice_model: Not a directory: ")
    assert out == "" and server.log == []

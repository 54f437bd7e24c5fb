"""scripts/fetch_voice_model.py against a real HTTP server on 127.0.0.1.

Every test downloads for real over a socket, writes real files and unpacks
real zip archives; only the server's content is made up.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import ssl
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from coach.speech_in.models import find_vosk_model

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fetch_voice_model.py"


def run(fetch: ModuleType, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = fetch.main(list(argv))
    except SystemExit as exc:  # argparse refusing the command line
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def leftovers(dest: Path) -> list[str]:
    """Everything in ``dest``: after a failure it must hold no model and no temp folder."""
    return sorted(p.name for p in dest.iterdir()) if dest.exists() else []


def serve_model(server: Any, archives: Any, body: bytes | None = None) -> tuple[str, bytes]:
    body = archives.zip(archives.files()) if body is None else body
    server.files["/models/model.zip"] = body
    return server.url("/models/model.zip"), body


def test_good_archive_installs_and_is_found(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, capsys: Any
) -> None:
    url, body = serve_model(server, archives)
    dest = tmp_path / "voice_models"
    code, out, err = run(
        fetch,
        capsys,
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
    assert leftovers(dest) == [archives.model]  # the .part and the temp folder are gone
    assert f"Installed {archives.model} at {model}" in out
    assert "Checksum verified" in err
    assert [r.range for r in server.log] == [None]
    assert find_vosk_model(folders=[dest]) == model.resolve()


def test_progress_is_plain_lines_every_tenth_when_run_as_a_command(
    server: Any, archives: Any, tmp_path: Path
) -> None:
    url, body = serve_model(server, archives)
    dest = tmp_path / "models"
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--url",
            url,
            "--sha256",
            archives.sha256(body),
            "--dest",
            str(dest),
            archives.model,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr and "\x1b" not in done.stderr
    percent_lines = [line for line in done.stderr.splitlines() if "%" in line]
    assert [line.split("%")[0].split()[-1] for line in percent_lines] == [
        str(p) for p in range(10, 101, 10)
    ]
    assert (dest / archives.model / "am" / "final.mdl").is_file()
    assert done.stdout.strip() == f"Installed {archives.model} at {dest / archives.model}"


def test_bad_checksum_deletes_the_download_and_installs_nothing(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, capsys: Any
) -> None:
    url, body = serve_model(server, archives)
    wrong = archives.sha256(body + b"tampered")
    dest = tmp_path / "voice_models"
    code, _, err = run(fetch, capsys, "--url", url, "--sha256", wrong, "--dest", str(dest))
    assert code == fetch.EXIT_CHECKSUM == 5
    assert f"Checksum mismatch: the download's SHA-256 is {archives.sha256(body)}" in err
    assert "was deleted" in err
    assert leftovers(dest) == []


@pytest.mark.parametrize(
    ("label", "make_info", "content"),
    [
        ("dot-dot", lambda tmp: zipfile.ZipInfo("../evil"), b"climbed out"),
        (
            "deep dot-dot",
            lambda tmp: zipfile.ZipInfo("vosk-model-small-en-test-0.1/../../evil"),
            b"x",
        ),
        ("absolute", lambda tmp: zipfile.ZipInfo(str(tmp / "evil")), b"written anywhere"),
        ("backslash", lambda tmp: zipfile.ZipInfo("..\\evil"), b"windows climb"),
        ("symlink", lambda tmp: _symlink("vosk-model-small-en-test-0.1/link"), b"/etc"),
    ],
)
def test_malicious_archive_is_refused_before_anything_is_written(
    fetch: ModuleType,
    server: Any,
    archives: Any,
    tmp_path: Path,
    capsys: Any,
    label: str,
    make_info: Any,
    content: bytes,
) -> None:
    body = archives.add(archives.zip(archives.files()), make_info(tmp_path), content)
    url, _ = serve_model(server, archives, body)
    dest = tmp_path / "area" / "voice_models"
    code, _, err = run(
        fetch,
        capsys,
        "--url",
        url,
        "--sha256",
        archives.sha256(body),
        "--dest",
        str(dest),
        archives.model,
    )
    assert code == fetch.EXIT_UNSAFE == 7, label
    assert "The archive is unsafe: entry" in err
    assert "The download was deleted" in err
    assert leftovers(dest) == []  # no model, no half-unpacked folder, no archive
    assert not (tmp_path / "evil").exists() and not (tmp_path / "area" / "evil").exists()


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix, so the mode bits below mean what they say
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def test_zip_bomb_is_refused_by_its_size(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, capsys: Any
) -> None:
    files = archives.files()
    files["am/padding.bin"] = bytes(30_000_000)  # compresses about 1000:1
    body = archives.zip(files)
    url, _ = serve_model(server, archives, body)
    dest = tmp_path / "voice_models"
    code, _, err = run(
        fetch,
        capsys,
        "--url",
        url,
        "--sha256",
        archives.sha256(body),
        "--dest",
        str(dest),
        archives.model,
    )
    assert code == 7
    assert "entry 'vosk-model-small-en-test-0.1/am/padding.bin' has a compression ratio" in err
    assert leftovers(dest) == []


def test_archive_over_the_size_limit_is_refused(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, capsys: Any
) -> None:
    body = archives.zip(archives.files())  # about 0.3 MB unpacked
    url, _ = serve_model(server, archives, body)
    dest = tmp_path / "voice_models"
    code, _, err = run(
        fetch,
        capsys,
        "--url",
        url,
        "--sha256",
        archives.sha256(body),
        "--dest",
        str(dest),
        "--max-unpacked-mb",
        "0",
        archives.model,
    )
    assert code == 7 and "more than the limit of 0.0 MB (--max-unpacked-mb)" in err
    assert leftovers(dest) == []


def test_overlapping_entries_are_refused(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, capsys: Any
) -> None:
    body = archives.overlapping(copies=3)
    url, _ = serve_model(server, archives, body)
    dest = tmp_path / "voice_models"
    code, _, err = run(
        fetch,
        capsys,
        "--url",
        url,
        "--sha256",
        archives.sha256(body),
        "--dest",
        str(dest),
        archives.model,
    )
    assert code == 7 and "entries overlap" in err
    assert leftovers(dest) == []


def test_archive_without_a_model_is_not_installed(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, capsys: Any
) -> None:
    body = archives.zip({"notes.txt": b"not a model"})
    url, _ = serve_model(server, archives, body)
    dest = tmp_path / "voice_models"
    code, _, err = run(
        fetch,
        capsys,
        "--url",
        url,
        "--sha256",
        archives.sha256(body),
        "--dest",
        str(dest),
        archives.model,
    )
    assert code == 7 and "does not hold a Vosk model" in err
    assert leftovers(dest) == []


def test_dropped_connection_resumes_with_a_range_request(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, capsys: Any
) -> None:
    url, body = serve_model(server, archives)
    half = len(body) // 2
    server.drop_after["/models/model.zip"] = half
    dest = tmp_path / "voice_models"
    code, _, err = run(
        fetch,
        capsys,
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
    capsys: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, body = serve_model(server, archives)
    half = len(body) // 2
    server.drop_after["/models/model.zip"] = half
    dest = tmp_path / "voice_models"
    args = ("--url", url, "--sha256", archives.sha256(body), "--dest", str(dest), archives.model)
    monkeypatch.setattr(fetch, "MAX_RESUMES", 0)
    code, _, err = run(fetch, capsys, *args)
    assert code == fetch.EXIT_NETWORK == 3
    assert "Run this again to resume where it stopped" in err
    part = dest / f"{archives.model}.zip.part"
    assert part.read_bytes() == body[:half]
    monkeypatch.undo()
    code, _, err = run(fetch, capsys, *args)
    assert code == 0, err
    assert server.log[-1].range == f"bytes={half}-"
    assert "Resuming at" in err
    assert not part.exists()


def test_server_that_ignores_ranges_restarts_from_zero(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, capsys: Any
) -> None:
    url, body = serve_model(server, archives)
    server.ignore_range = True
    dest = tmp_path / "voice_models"
    (dest).mkdir()
    (dest / f"{archives.model}.zip.part").write_bytes(b"stale bytes from some other file")
    code, _, err = run(
        fetch,
        capsys,
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
    fetch: ModuleType, tmp_path: Path, capsys: Any
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free now, and nobody listens on it
    sha = "0" * 64
    code, _, err = run(
        fetch,
        capsys,
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
    fetch: ModuleType, server: Any, tmp_path: Path, capsys: Any
) -> None:
    code, _, err = run(
        fetch,
        capsys,
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
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, capsys: Any
) -> None:
    url, body = serve_model(server, archives)
    dest = tmp_path / "voice_models"
    code, _, err = run(fetch, capsys, "--url", url, "--dest", str(dest), archives.model)
    assert code == fetch.EXIT_UNVERIFIED == 8
    assert f"SHA-256 of the download: {archives.sha256(body)}" in err
    assert not (dest / archives.model).exists()
    code, _, err = run(
        fetch,
        capsys,
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
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, capsys: Any
) -> None:
    dest = tmp_path / "voice_models"
    old = dest / archives.model
    for name, data in archives.files(seed=1).items():
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_bytes(data)
    (old / "only-in-the-old-model").write_text("old")
    url, body = serve_model(server, archives, archives.zip(archives.files(seed=2)))
    args = ("--url", url, "--sha256", archives.sha256(body), "--dest", str(dest), archives.model)
    code, _, err = run(fetch, capsys, *args)
    assert code == 0 and "already installed" in err
    assert server.log == []  # nothing was downloaded
    code, _, err = run(fetch, capsys, *args, "--force")
    assert code == 0, err
    assert not (old / "only-in-the-old-model").exists()
    assert (old / "README").read_text() == "test model 2\n"
    assert leftovers(dest) == [archives.model]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_is_a_clear_error(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, capsys: Any
) -> None:
    url, body = serve_model(server, archives)
    dest = tmp_path / "voice_models"
    dest.mkdir()
    # Every write to /dev/full fails with ENOSPC, exactly as on a full disk.
    os.symlink("/dev/full", dest / f"{archives.model}.zip.part")
    code, _, err = run(
        fetch,
        capsys,
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


@pytest.mark.parametrize(
    ("argv", "complaint"),
    [
        (["some-model"], "unknown model 'some-model'"),
        (["--url", "ftp://example.org/m.zip", "--sha256", "a" * 64], "http:// or https://"),
        (["--sha256", "xyz"], "64 hexadecimal digits"),
        (["../escape", "--url", "http://127.0.0.1/x.zip"], "use letters, digits"),
    ],
)
def test_bad_command_lines_exit_2(
    fetch: ModuleType, capsys: Any, argv: list[str], complaint: str
) -> None:
    code, _, err = run(fetch, capsys, *argv)
    assert code == 2 and complaint in err


def test_default_model_entry_is_the_official_small_english_model(fetch: ModuleType) -> None:
    known = fetch.KNOWN_MODELS[fetch.DEFAULT_MODEL]
    assert fetch.DEFAULT_MODEL == "vosk-model-small-en-us-0.15"
    assert known.url == "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"
    assert known.sha256 is not None and len(known.sha256) == 64
    assert known.size_bytes is not None and 30_000_000 < known.size_bytes < 60_000_000


class Terminal(io.StringIO):
    """A text stream that says it is a terminal, as stderr does interactively."""

    def isatty(self) -> bool:
        return True


def test_progress_lines_plain_on_a_pipe_with_a_text_bar_on_a_terminal(fetch: ModuleType) -> None:
    pipe, terminal = io.StringIO(), Terminal()
    for stream in (pipe, terminal):
        progress = fetch.Progress(stream, 1_000_000, 0)
        for done in range(0, 1_000_001, 1_000):  # a thousand updates...
            progress.update(done)
    assert pipe.getvalue().count("\n") == 10  # ...ten lines
    assert pipe.getvalue().splitlines()[4] == "  50% (0.5 MB of 1.0 MB)"
    assert terminal.getvalue().splitlines()[2] == "  [###-------] 30% (0.3 MB of 1.0 MB)"
    assert "\r" not in terminal.getvalue()


def test_progress_after_a_resume_starts_at_the_next_tenth(fetch: ModuleType) -> None:
    out = io.StringIO()
    progress = fetch.Progress(out, 1_000_000, 450_000)
    progress.update(1_000_000)
    assert [line.split("%")[0].strip() for line in out.getvalue().splitlines()] == [
        "50",
        "60",
        "70",
        "80",
        "90",
        "100",
    ]


def test_progress_of_unknown_size_counts_megabytes(fetch: ModuleType) -> None:
    out = io.StringIO()
    progress = fetch.Progress(out, None, 0)
    progress.update(12_000_000)
    assert out.getvalue() == "  5.0 MB downloaded\n  10.0 MB downloaded\n"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_untrusted_certificate_is_a_clear_error(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, capsys: Any
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
    url, body = serve_model(server, archives)
    code, _, err = run(
        fetch,
        capsys,
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
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, capsys: Any
) -> None:
    url, body = serve_model(server, archives)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code, out, err = run(
        fetch,
        capsys,
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

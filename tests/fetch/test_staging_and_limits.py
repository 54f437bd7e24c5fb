"""What the script may delete, how much an archive may unpack to, and the
archives zipfile itself cannot unpack.

Every archive is built here, served over a real socket, checksum-verified and
unpacked for real; nothing is mocked. The folders the script must never touch
are real folders beside the destination.
"""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

MODEL = "vosk-model-small-en-test-0.1"  # the test archives' top folder


def serve_as(server: Any, file_name: str, body: bytes) -> str:
    server.files[f"/models/{file_name}"] = body
    return str(server.url(f"/models/{file_name}"))


def run(script: Any, archives: Any, url: str, body: bytes, dest: Path, *extra: str) -> Any:
    return script.run("--url", url, "--sha256", archives.sha256(body), "--dest", str(dest), *extra)


def keepsake(folder: Path) -> Path:
    """A folder of the person's own, with a file in it."""
    folder.mkdir(parents=True)
    (folder / "mine.txt").write_text("keep me")
    return folder


# -- what the script may delete -------------------------------------------


def test_a_model_named_after_a_dotfile_leaves_the_dotfile_folders_alone(
    server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    """--url .../bashrc.zip once deleted ~/x/.bashrc.d/; 'vim' deleted .vim.bak/."""
    dest = tmp_path / "x"
    bashrc_d = keepsake(dest / ".bashrc.d")
    vim_bak = keepsake(dest / ".vim.bak")
    body = archives.zip(archives.files())
    code, _, err = run(script, archives, serve_as(server, "bashrc.zip", body), body, dest)
    assert code == 0, err
    unsafe = archives.add(body, zipfile.ZipInfo("../evil"), b"x")
    code, _, err = run(script, archives, serve_as(server, "vim.zip", unsafe), unsafe, dest)
    assert code == 7, err
    assert (bashrc_d / "mine.txt").read_text() == "keep me"
    assert (vim_bak / "mine.txt").read_text() == "keep me"
    assert script.leftovers(dest) == [".bashrc.d", ".vim.bak", "bashrc"]


def test_a_folder_that_is_not_a_model_is_never_replaced(
    server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    """--dest ~ --url .../Documents.zip must not swap ~/Documents for a model."""
    dest = tmp_path / "home"
    documents = keepsake(dest / "Documents")
    body = archives.zip(archives.files())
    for extra in ((), ("--force",)):
        url = serve_as(server, "Documents.zip", body)
        code, _, err = run(script, archives, url, body, dest, *extra)
        assert code == 1, err
        last = err.strip().splitlines()[-1]
        assert last == (
            f"fetch_voice_model: {documents} exists and is not a Vosk model, so it was "
            "left alone. Move it away or choose another --dest, then run this again."
        )
        assert (documents / "mine.txt").read_text() == "keep me"
        assert sorted(p.name for p in documents.iterdir()) == ["mine.txt"]


def test_staging_left_by_a_killed_run_is_removed_but_lookalikes_are_not(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    dest = tmp_path / "voice_models"
    dest.mkdir()
    crashed = fetch.make_staging(dest, archives.model)  # as a run killed mid-unpack leaves it
    (crashed / "unpacked").mkdir()
    (crashed / "unpacked" / "half.bin").write_bytes(b"half")
    lookalike = keepsake(dest / f".{archives.model}.unpacking-abcdefgh")
    url, body = script.serve()
    code, _, err = run(script, archives, url, body, dest, archives.model)
    assert code == 0, err
    assert not crashed.exists()
    assert (lookalike / "mine.txt").read_text() == "keep me"
    assert script.leftovers(dest) == [lookalike.name, archives.model]


# -- how much an archive may unpack to -------------------------------------


def test_many_small_entries_of_zeros_are_refused_by_the_total_ratio(
    server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    """Entries of 1 MB or less once skipped the ratio check: 600 x 1 MB installed."""
    files = archives.files()
    for n in range(120):
        files[f"graph/zeros{n:03d}.bin"] = bytes(1_000_000)
    body = archives.zip(files)
    assert len(body) < 1_000_000
    dest = tmp_path / "voice_models"
    code, _, err = run(script, archives, script.serve(body)[0], body, dest, archives.model)
    assert code == 7, err
    last = err.strip().splitlines()[-1]
    assert "The archive is unsafe: it would unpack to 120.3 MB from" in last
    assert "a compression ratio only a zip bomb has" in last
    assert script.leftovers(dest) == []


def test_limits_fit_real_models_and_nothing_much_larger(fetch: ModuleType) -> None:
    # The largest English Vosk models unpack to about 2-3 GB at about 2:1.
    assert 3_000 <= fetch.MAX_UNPACKED_MB <= 4_000
    assert 2 < fetch.MAX_TOTAL_RATIO <= 10
    # 4 GB can no longer come out of a few megabytes.
    assert fetch.MAX_UNPACKED_MB * 1_000_000 / fetch.MAX_TOTAL_RATIO > 300_000_000


def test_extraction_counts_the_bytes_it_writes(fetch: ModuleType, tmp_path: Path) -> None:
    """Headers are never trusted: writing stops once the budget is spent."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("m/a.bin", bytes(600_000))
        archive.writestr("m/b.bin", bytes(600_000))
    with zipfile.ZipFile(buffer) as archive, pytest.raises(fetch.FetchError) as caught:
        fetch.extract(archive, tmp_path / "out", max_bytes=1_000_000)
    assert caught.value.exit_code == 7
    assert str(caught.value) == (
        "The archive is unsafe: entry 'm/b.bin' unpacks to more than the headers "
        "say (over 1.0 MB in all)."
    )
    written = sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert written <= 1_000_000


# -- archives zipfile cannot unpack ----------------------------------------


def with_method(archive_bytes: bytes, name: str, method: int) -> bytes:
    """``archive_bytes`` with entry ``name`` claiming compression ``method``."""
    data = bytearray(archive_bytes)
    encoded = name.encode()
    for signature, method_at, name_at in ((b"PK\x03\x04", 8, 30), (b"PK\x01\x02", 10, 46)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            if data[at + name_at : at + name_at + len(encoded)] == encoded:
                struct.pack_into("<H", data, at + method_at, method)
            start = at + 4
    return bytes(data)


def stored(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate on purpose
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for name, data in files.items():
                archive.writestr(name.split("#")[0], data)  # "#n" makes a duplicate name
    return buffer.getvalue()


def model_entries(archives: Any) -> dict[str, bytes]:
    return {f"{archives.model}/{name}": data for name, data in archives.files().items()}


@pytest.mark.parametrize(
    ("label", "build", "problem"),
    [
        (
            "deflate64",
            lambda a: with_method(stored(model_entries(a)), f"{a.model}/README", 9),
            f"entry '{MODEL}/README' uses compression method 9, which cannot be unpacked here",
        ),
        (
            "duplicate",
            lambda a: stored({**model_entries(a), f"{a.model}/README#2": b"again"}),
            f"entry '{MODEL}/README' appears twice",
        ),
        (
            "file and folder",
            lambda a: stored({f"{a.model}/conf": b"a file", **model_entries(a)}),
            f"entry '{MODEL}/conf' is both a file and a folder",
        ),
        (
            "long name",
            lambda a: stored({**model_entries(a), f"{a.model}/{'n' * 300}": b"x"}),
            f"entry '{MODEL}/{'n' * 300}' has a name too long for the file system",
        ),
    ],
)
def test_archives_zipfile_cannot_unpack_are_refused_cleanly(
    server: Any, archives: Any, tmp_path: Path, script: Any, label: str, build: Any, problem: str
) -> None:
    body = build(archives)
    dest = tmp_path / "voice_models"
    code, out, err = run(script, archives, script.serve(body)[0], body, dest, archives.model)
    assert code == 7, (label, err)
    assert "Traceback" not in err and out == ""
    last = err.strip().splitlines()[-1]
    assert last == (
        f"fetch_voice_model: The archive is unsafe: {problem}. The download was deleted."
    ), label
    assert script.leftovers(dest) == []  # no model, no staging folder, no .part

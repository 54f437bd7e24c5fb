"""Unsafe archives are refused before a single file is written.

Each archive is served, downloaded and checksum-verified for real, so the
only thing standing between it and the disk is the script's inspection.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest


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
def test_malicious_archive_is_refused_and_nothing_lands_anywhere(
    fetch: ModuleType,
    server: Any,
    archives: Any,
    tmp_path: Path,
    script: Any,
    label: str,
    make_info: Any,
    content: bytes,
) -> None:
    body = archives.add(archives.zip(archives.files()), make_info(tmp_path), content)
    url, _ = script.serve(body)
    dest = tmp_path / "area" / "voice_models"
    code, _, err = script.run(
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
    assert script.leftovers(dest) == []  # no model, no half-unpacked folder, no archive
    assert not (tmp_path / "evil").exists() and not (tmp_path / "area" / "evil").exists()


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix, so the mode bits below mean what they say
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def test_zip_bomb_is_refused_by_its_size(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    files = archives.files()
    files["am/padding.bin"] = bytes(30_000_000)  # compresses about 1000:1
    body = archives.zip(files)
    url, _ = script.serve(body)
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
    assert code == 7
    assert "entry 'vosk-model-small-en-test-0.1/am/padding.bin' has a compression ratio" in err
    assert script.leftovers(dest) == []


def test_archive_over_the_size_limit_is_refused(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    body = archives.zip(archives.files())  # about 0.3 MB unpacked
    url, _ = script.serve(body)
    dest = tmp_path / "voice_models"
    code, _, err = script.run(
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
    assert script.leftovers(dest) == []


def test_overlapping_entries_are_refused(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    body = archives.overlapping(copies=3)
    url, _ = script.serve(body)
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
    assert code == 7 and "entries overlap" in err
    assert script.leftovers(dest) == []


def test_archive_without_a_model_is_not_installed(
    fetch: ModuleType, server: Any, archives: Any, tmp_path: Path, script: Any
) -> None:
    body = archives.zip({"notes.txt": b"not a model"})
    url, _ = script.serve(body)
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
    assert code == 7 and "does not hold a Vosk model" in err
    assert script.leftovers(dest) == []

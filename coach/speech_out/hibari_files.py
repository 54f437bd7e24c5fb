"""The neural voice's files: found inside ``hibari-tts``, checked, and read once.

The default voice is hibari's one bundled voice (``heart``: an int8 ONNX
model distilled from Kokoro-82M's af_heart) and the files its English
pronunciation needs. They decide every word the coach says, so each is
checked against a SHA-256 pinned below before it is used, and what is used is
the very bytes that were checked: ``read_voice_files`` returns them, and the
engine is built from those bytes, never by opening the files again.

Two of the files (``normalize.json``, ``voices.json``) are read by hibari
itself when it is imported; ``build`` in ``hibari_engine`` compares what it
read with the checked bytes and refuses the voice if they differ.

hibari can download other voices on first use; coach never asks it to:
nothing here or in ``hibari_engine`` calls its download path.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from coach.errors import CoachError

PACKAGE = "hibari-tts"
VERSION = "0.2.1"
INSTALL_HINT = f"Run scripts/setup (or: pip install --force-reinstall '{PACKAGE}=={VERSION}')."

# assets/<name> -> SHA-256, every file of the bundled voice that coach loads (hibari-tts 0.2.1).
PINNED_SHA256 = {
    "hibari.onnx": "5f70741d4e900f4e85d0037498736cc1b3e1b9a63a13546a5da1e63abf4fccd8",
    "vocab.json": "70abefbe8a1c8865e43e0a43bbdc25b91a33e4aa053479d443ccf23e20a59e5d",
    "lexicon_us_gold.json.gz": "63ae94f8ef0e906d5b24fe9b59ffcbd1529aca5686a774610e43973cbaa86ad2",
    "lexicon_us_silver.json.gz": "c4c2546ebf1eb07010331e7ef785a431aa17ba8e7bfb6b4af8d654ee96a71fd3",
    "tokenizer_exceptions.json": "ddf3a3da07bdcf5144270ea4530191d8580fb4fd6f5ae93296e87916e795659a",
    "tagger.json.gz": "d2da7502284bbbe45d49e0b7ce3ce67bdab82254150f4317f1b8559b4d38d0eb",
    "oov.onnx": "d3cfd8122c5f172a98c8de38268bf1213ee09f2c2ae4df6e055fc6532590fe76",
    "oov.json": "b462e6e5dbdf0e7346c732385d0dd844f612f1770871441c56932bff4ca75d8c",
    "normalize.json": "d478ff05404bc43ac3e0468e306674e51085f1b1afc94cdef7c7ea4fb0d56bd8",
    "voices.json": "f8b7657ecd0e0e362d3403e99538c0e5bfe20d6a903dfcd04c772b2c73abb204",
}
MODEL_FILE = "hibari.onnx"


class VoiceFilesError(CoachError):
    """The neural voice cannot be used: not installed, incomplete, or not the files pinned."""


class VoiceFilesMissing(VoiceFilesError):
    """hibari-tts is not installed (or not the version pinned)."""


class VoiceFilesChanged(VoiceFilesError):
    """A file is there but its SHA-256 is not the pinned one, or it is missing."""


@dataclass(frozen=True)
class VoiceFiles:
    """The checked bytes of every file the voice loads, by asset name."""

    folder: Path  # where they were read from
    contents: dict[str, bytes]

    def __getitem__(self, name: str) -> bytes:
        return self.contents[name]

    @property
    def model_sha256(self) -> str:
        return PINNED_SHA256[MODEL_FILE]

    @property
    def size_bytes(self) -> int:
        return sum(len(b) for b in self.contents.values())


def assets_folder() -> Path | None:
    """hibari's assets folder, found without importing hibari, or None if it is not installed."""
    try:
        spec = importlib.util.find_spec("hibari")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "assets"


def installed_version() -> str | None:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return None


def read_voice_files(folder: Path | None = None) -> VoiceFiles:
    """Read every pinned file once and check it; raise if anything is off.

    ``folder`` is for tests (a copy of the assets with one file changed);
    by default the installed package's assets folder.
    """
    if folder is None:
        version = installed_version()
        if version is None:
            raise VoiceFilesMissing(f"The neural voice ({PACKAGE}) is not installed. {INSTALL_HINT}")
        if version != VERSION:
            raise VoiceFilesMissing(
                f"{PACKAGE} {version} is installed, but coach is pinned to {VERSION}. {INSTALL_HINT}")
        found = assets_folder()
        if found is None:
            raise VoiceFilesMissing(f"The neural voice ({PACKAGE}) is not installed. {INSTALL_HINT}")
        folder = found
    contents: dict[str, bytes] = {}
    for name, pinned in PINNED_SHA256.items():
        path = folder / name
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise VoiceFilesChanged(f"The neural voice's file {path} is missing. {INSTALL_HINT}") from None
        except OSError as exc:
            raise VoiceFilesChanged(
                f"The neural voice's file {path} cannot be read ({exc.strerror}). {INSTALL_HINT}") from None
        found_sha = hashlib.sha256(data).hexdigest()
        if found_sha != pinned:
            raise VoiceFilesChanged(
                f"The neural voice's file {path} has changed: its SHA-256 is {found_sha}, not the "
                f"pinned {pinned}. It was not loaded. {INSTALL_HINT}")
        contents[name] = data
    return VoiceFiles(folder, contents)

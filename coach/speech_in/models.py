"""Where coach finds an installed Vosk model.

coach never downloads anything at run time: a Vosk model is either on disk or
not, and when it is not the caller falls back to PocketSphinx. The places
looked in, in order (the first that answers wins):

1. an explicit path (``coach start --model PATH``);
2. the ``COACH_VOSK_MODEL`` environment variable;
3. model folders under ``voice_models/`` at the root of the source tree
   (where ``scripts/fetch_voice_model.py`` installs by default);
4. model folders under ``coach.paths.data_dir() / "voice_models"``.

An explicit path or the environment variable that names something that is not
a Vosk model is an error, not a silent fall-back: the person asked for that
model and should hear why it was not used. In the two folders, only models
whose folder name carries the wanted language tag count (``en`` in
``vosk-model-small-en-us-0.15``), since a command grammar of English words is
useless with a Korean model. Models that accept a runtime grammar (those with
``graph/HCLr.fst`` and ``graph/Gr.fst``, like the small models) come first,
because coach listens for a short list of command phrases.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from coach import paths
from coach.errors import CoachError

ENV_VAR = "COACH_VOSK_MODEL"
FOLDER = "voice_models"
FETCH_HINT = "Run 'python scripts/fetch_voice_model.py' to download the small English model."

# coach/speech_in/models.py -> the source tree's root, for an editable install.
_SOURCE_ROOT = Path(__file__).resolve().parents[2]


class ModelNotFoundError(CoachError):
    """A model path was asked for explicitly but does not hold a Vosk model."""


def is_vosk_model(path: Path) -> bool:
    """True if ``path`` is a folder laid out the way Vosk loads a model.

    Vosk needs the acoustic model (``am/final.mdl``, or ``final.mdl`` at the
    top in older models) and the feature configuration (``conf/mfcc.conf``).
    """
    if not path.is_dir():
        return False
    has_am = (path / "am" / "final.mdl").is_file() or (path / "final.mdl").is_file()
    return has_am and (path / "conf" / "mfcc.conf").is_file()


def supports_grammar(path: Path) -> bool:
    """True if the model can take a runtime grammar (a dynamic graph).

    Large Vosk models ship a static ``HCLG.fst`` and ignore a grammar; small
    ones ship ``HCLr.fst`` and ``Gr.fst`` and can be limited to a phrase list.
    """
    graph = path / "graph"
    return (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()


def model_language(path: Path) -> str | None:
    """The language tag in a model folder's name, or None if it carries none.

    Official names look like ``vosk-model[-small]-LANG[-REGION]-VERSION``.
    """
    parts = path.name.lower().split("-")
    if parts[:2] != ["vosk", "model"]:
        return None
    rest = parts[2:]
    if rest and rest[0] == "small":
        rest = rest[1:]
    if not rest or not rest[0].isalpha():
        return None
    return rest[0]


def search_folders() -> list[Path]:
    """The folders scanned for models, in order (they need not exist)."""
    return [_SOURCE_ROOT / FOLDER, paths.data_dir() / FOLDER]


def installed_models(folder: Path, lang: str | None = "en") -> list[Path]:
    """Models directly inside ``folder`` (best first) for ``lang`` (None: any).

    Best means grammar-capable first, then by folder name, newest version
    first among the same kind.
    """
    if not folder.is_dir():
        return []
    found = [
        child
        for child in folder.iterdir()
        if not child.name.startswith(".")
        and is_vosk_model(child)
        and (lang is None or model_language(child) == lang.lower())
    ]
    # Names sort descending so "...-0.22" comes before "...-0.15".
    found.sort(key=lambda p: p.name, reverse=True)
    found.sort(key=lambda p: not supports_grammar(p))
    return found


def _checked(path_text: str, source: str) -> Path:
    """Resolve a path the person named; it must be a model or hold one."""
    path = Path(path_text).expanduser()
    if is_vosk_model(path):
        return path.resolve()
    if path.is_dir():
        inside = installed_models(path, lang=None)
        if len(inside) == 1:
            return inside[0].resolve()
        if len(inside) > 1:
            names = ", ".join(p.name for p in inside)
            raise ModelNotFoundError(
                f"{source} '{path}' holds several Vosk models ({names}). Name one of them."
            )
    if not path.exists():
        what = "does not exist"
    elif not path.is_dir():
        what = "is a file, not a model folder"
    else:
        what = "is not a Vosk model folder (no am/final.mdl and conf/mfcc.conf)"
    raise ModelNotFoundError(f"{source} '{path}' {what}. {FETCH_HINT}")


def find_vosk_model(
    explicit: str | None = None,
    *,
    lang: str | None = "en",
    environ: Mapping[str, str] | None = None,
    folders: Sequence[Path] | None = None,
) -> Path | None:
    """The Vosk model to use, or None when none is installed.

    ``explicit`` and ``$COACH_VOSK_MODEL`` may name a model folder or a
    folder holding exactly one model; either raises ``ModelNotFoundError``
    when it does not. ``environ`` and ``folders`` default to the process
    environment and ``search_folders()``; tests pass their own.
    """
    if explicit:
        return _checked(explicit, "The model path")
    env = os.environ if environ is None else environ
    from_env = env.get(ENV_VAR, "").strip()
    if from_env:
        return _checked(from_env, f"The model path in {ENV_VAR}")
    for folder in search_folders() if folders is None else folders:
        models = installed_models(folder, lang=lang)
        if models:
            return models[0].resolve()
    return None

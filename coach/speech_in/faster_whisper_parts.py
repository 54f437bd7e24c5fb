"""The two parts of faster-whisper coach uses, without importing the package.

Importing ``faster_whisper`` imports all of it: PyAV, huggingface_hub,
tokenizers, tqdm (24 MB of resident memory in the live coach, and time at
start-up). coach needs only its Silero VAD model file and its feature
extractor, a module that needs numpy alone; both are found in the
installed package's folder and the module is loaded from its file.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from coach.errors import CoachError

INSTALL_HINT = "Install coach's dependencies again: .venv/bin/python -m pip install -e ."
_MODULE = "coach._faster_whisper_feature_extractor"


def package_folder() -> Path:
    """The installed faster-whisper's folder (its package is not imported)."""
    spec = importlib.util.find_spec("faster_whisper")
    if spec is None or not spec.submodule_search_locations:
        raise CoachError(f"faster-whisper is not installed. {INSTALL_HINT}")
    return Path(list(spec.submodule_search_locations)[0])


def silero_model_path() -> Path:
    return package_folder() / "assets" / "silero_vad_v6.onnx"


def feature_extractor_class() -> Any:
    """faster-whisper's ``FeatureExtractor`` (the log-Mel spectrogram Whisper reads)."""
    module = sys.modules.get(_MODULE)
    if module is None:
        module = _load(package_folder() / "feature_extractor.py")
    return module.FeatureExtractor


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(_MODULE, path)
    if spec is None or spec.loader is None or not path.is_file():
        raise CoachError(f"faster-whisper's {path.name} was not found in {path.parent}. "
                         f"{INSTALL_HINT}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[_MODULE] = module
    try:
        spec.loader.exec_module(module)
    except Exception:
        del sys.modules[_MODULE]
        raise
    return module

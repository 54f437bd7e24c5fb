"""The Whisper engine keeps the model, not a second copy of its checked files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coach.speech_in.sealed_files import sealed_folder

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]

GROWTH = """
import resource, sys
def rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
from coach.speech_in.whisper_engine import WhisperEngine
from coach.speech_in.whisper_model import checked_model
model = checked_model()
size = len(model.files._contents["model.bin"])
before = rss_kb()
engine = WhisperEngine(model)
print(size // 1024, rss_kb() - before)
"""


def test_building_the_engine_does_not_keep_the_model_files_bytes() -> None:
    pytest.importorskip("ctranslate2")
    if not Path("/proc/self/status").exists():
        pytest.skip("reads resident memory from /proc")
    done = subprocess.run([sys.executable, "-c", GROWTH], cwd=REPO, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"no Whisper model here: {done.stderr.strip().splitlines()[-1]}")
    model_kb, growth_kb = map(int, done.stdout.split())
    # The checked bytes were resident before; built from them, CTranslate2 kept a copy
    # as large as model.bin on top of the model itself (73 MB more for tiny.en).
    assert growth_kb < model_kb / 2, (model_kb, growth_kb)


def test_a_sealed_folder_reads_as_the_bytes_and_cannot_be_written() -> None:
    files = {"a.bin": b"\\x00\\x01" * 70000, "config.json": b"{}"}
    with sealed_folder(files) as folder:
        if folder is None:
            pytest.skip("no sealed in-memory files here")
        for name, data in files.items():
            assert (folder / name).read_bytes() == data
        with pytest.raises(PermissionError):
            (folder / "a.bin").write_bytes(b"changed")
    assert not folder.exists()


IMPORTED = """
import sys
from coach.speech_in.silero import SileroVad
from coach.speech_in.whisper_engine import WhisperEngine
from coach.speech_in.whisper_model import checked_model
SileroVad()
WhisperEngine(checked_model())
print(" ".join(m for m in ("faster_whisper", "av", "huggingface_hub") if m in sys.modules))
"""


def test_silero_and_whisper_leave_faster_whispers_package_and_pyav_unimported() -> None:
    """faster-whisper's package imports PyAV and huggingface_hub (24 MB); coach needs
    only its Silero model file and its feature extractor."""
    pytest.importorskip("ctranslate2")
    done = subprocess.run([sys.executable, "-c", IMPORTED], cwd=REPO, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"no Whisper model here: {done.stderr.strip().splitlines()[-1]}")
    assert done.stdout.split() == []

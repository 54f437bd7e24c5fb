"""The voice's settings, changed by voice: its speed and loudness, the voice
by name, how much is said, and tones.

"slower", "faster", "louder" and "quieter" apply at once, even during a
set (the count goes on in the new voice). "simple voice" (espeak-ng) and
"natural voice" (the neural voice), "talk less" and "more detail" (the
verbosity setting), "tones on" and "tones off" (counting with beat tones or
spoken numbers). Each is answered in one short line in the new state
("Simple voice." said in the simple voice) and logged as a
``SettingsChanged`` record, which ``coach start`` saves for next time.

The voice by name, verbosity and tones never change during a set: a new
voice would have to render the count's words while they are due, and tones
or verbosity change nothing until the next set or exercise anyway. During a
set each is answered "Say that again after this set." (``dispatch`` lists
where); in a rest, at a question or before a set it applies at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from coach.core.context import Context
from coach.core.events import Heard
from coach.core.records import SettingsChanged
from coach.settings import (
    NATURAL_VOICE,
    RATE_MAX_WPM,
    RATE_MIN_WPM,
    RATE_STEP_WPM,
    SIMPLE_VOICE,
    VOLUME_MAX,
    VOLUME_MIN,
    VOLUME_STEP,
    CountWith,
    Verbosity,
    is_natural,
)

Handler = Callable[[Context, Heard], None]


def rate(step_wpm: int) -> Callable[[Context, Heard], None]:
    """ "slower" (negative ``step_wpm``) or "faster", kept within the voice's range."""

    def change(ctx: Context, heard: Heard) -> None:
        new = min(RATE_MAX_WPM, max(RATE_MIN_WPM, ctx.settings.rate_wpm + step_wpm))
        if new == ctx.settings.rate_wpm:
            ctx.say(ctx.lines.get("rate_limit"))
            return
        change_voice(ctx, new, ctx.settings.volume, ctx.lines.get("rate_now", rate=new))

    return change


def volume(step: float) -> Callable[[Context, Heard], None]:
    """ "louder" or "quieter" (negative ``step``); never so quiet the coach cannot be heard."""

    def change(ctx: Context, heard: Heard) -> None:
        new = round(min(VOLUME_MAX, max(VOLUME_MIN, ctx.settings.volume + step)), 2)
        if abs(new - ctx.settings.volume) < 1e-9:
            ctx.say(ctx.lines.get("volume_limit"))
            return
        said = ctx.lines.get("volume_now", percent=round(new * 100))
        change_voice(ctx, ctx.settings.rate_wpm, new, said)

    return change


slower = rate(-RATE_STEP_WPM)
faster = rate(+RATE_STEP_WPM)
louder = volume(+VOLUME_STEP)
quieter = volume(-VOLUME_STEP)


def change_voice(ctx: Context, rate_wpm: int, volume: float, said: str) -> None:
    """The new voice at once, the new setting said in it, then a
    ``SettingsChanged`` record: ``coach start`` saves rate and volume to the
    settings file when it sees one (the session itself does no I/O), and any
    word that they could not be saved follows what was said here."""
    ctx.change_voice(rate_wpm, volume)
    ctx.say(said)
    _saved(ctx)


def voice_named(natural: bool) -> Handler:
    """ "natural voice" (``natural``) or "simple voice"; a simple voice already
    chosen (en-gb, say) is kept as it is."""

    def change(ctx: Context, heard: Heard) -> None:
        if is_natural(ctx.settings.voice) == natural:
            ctx.say(ctx.lines.get("voice_already_natural" if natural else "voice_already_simple"))
            return
        voice = NATURAL_VOICE if natural else SIMPLE_VOICE
        ctx.change_voice(ctx.settings.rate_wpm, ctx.settings.volume, voice)
        ctx.say(ctx.lines.get("voice_natural" if natural else "voice_simple"))
        _saved(ctx, voice=voice)

    return change


def verbosity(wanted: Verbosity) -> Handler:
    """ "talk less" (short: the one-line reminder for every exercise that has one)
    or "more detail" (full: every step, every time)."""
    short = wanted is Verbosity.SHORT
    return _setting("verbosity", wanted, "verbosity_short" if short else "verbosity_full",
                    "verbosity_already_short" if short else "verbosity_already_full")


def tones(on: bool) -> Handler:
    """ "tones on" (beat tones instead of spoken numbers) or "tones off"; from the next set."""
    return _setting("count_with", CountWith.TONES if on else CountWith.VOICE,
                    "tones_on" if on else "tones_off",
                    "tones_already_on" if on else "tones_already_off")


def _setting(name: str, wanted: Verbosity | CountWith, done: str, already: str) -> Handler:
    """Set the setting ``name`` to ``wanted``, saying ``done`` (a line's key), or
    ``already`` when it is so."""

    def change(ctx: Context, heard: Heard) -> None:
        if getattr(ctx.settings, name) is wanted:
            ctx.say(ctx.lines.get(already))
            return
        new: dict[str, Any] = {name: wanted}  # one field, named by the caller
        ctx.change_settings(replace(ctx.settings, **new))
        ctx.say(ctx.lines.get(done))
        _saved(ctx, **{name: wanted.value})

    return change


def after_the_set(ctx: Context, heard: Heard) -> None:
    """Asked for during a set: said again after it, the count goes on as it was."""
    ctx.say(ctx.lines.get("voice_after_set"))


def _saved(ctx: Context, **changed: str) -> None:
    ctx.log(SettingsChanged(ctx.now, ctx.settings.rate_wpm, ctx.settings.volume, **changed))

"""The voice by name, how much is said, and tones, changed by voice.

"simple voice" (espeak-ng) and "natural voice" (the neural voice), "talk
less" and "more detail" (the verbosity setting), "tones on" and "tones off"
(counting with beat tones or spoken numbers). Each is answered in one short
line in the new state ("Simple voice." said in the simple voice) and logged
as a ``SettingsChanged`` record, which ``coach start`` saves for next time,
as it does "slower" and "louder".

Never during a set: a new voice would have to render the count's words
while they are due, and tones or verbosity change nothing until the next
set or exercise anyway. During a set each is answered "Say that again
after this set." (``dispatch`` lists where); in a rest, at a question or
before a set it applies at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from coach.core.context import Context
from coach.core.events import Heard
from coach.core.records import SettingsChanged
from coach.settings import NATURAL_VOICE, SIMPLE_VOICE, CountWith, Verbosity, is_natural

Handler = Callable[[Context, Heard], None]


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
        ctx.change_settings(replace(ctx.settings, **{name: wanted}))
        ctx.say(ctx.lines.get(done))
        _saved(ctx, **{name: wanted.value})

    return change


def after_the_set(ctx: Context, heard: Heard) -> None:
    """Asked for during a set: said again after it, the count goes on as it was."""
    ctx.say(ctx.lines.get("voice_after_set"))


def _saved(ctx: Context, **changed: str) -> None:
    ctx.log(SettingsChanged(ctx.now, ctx.settings.rate_wpm, ctx.settings.volume, **changed))

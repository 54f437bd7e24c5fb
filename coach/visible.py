"""Text from outside the coach, made safe to print.

A program, a replay script, the settings file, a file name, what was typed
and what the recogniser heard all reach the terminal. A terminal obeys
control characters (ESC ] 0 ; ... BEL retitles it; ESC [ moves the cursor)
and a line break inside one field starts what reads as a new transcript line.
Screen readers read both. So such text is refused where it is loaded
(``yamldata``) and escaped where it is printed (``visible``).

"Control" here is every C0 and C1 control character and DEL, the line and
paragraph separators, and the bidirectional embedding, override and isolate
characters (they reorder what is shown).
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SHORT = {"\n": "\\n", "\t": "\\t"}


def first_control(text: str) -> str | None:
    """The first control character in ``text``, or None."""
    found = _CONTROL.search(text)
    return found.group() if found else None


def name_of(char: str) -> str:
    """How a message names one control character: "a line break", "U+001B"..."""
    if char == "\n":
        return "a line break"
    if char == "\t":
        return "a tab"
    return f"the control character U+{ord(char):04X}"


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    if char in _SHORT:
        return _SHORT[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character written out (``\\n``, ``\\x1b``, ``\\u202e``)."""
    return _CONTROL.sub(_escape, text)


def visible_lines(text: str) -> str:
    """Like ``visible`` but keeping line breaks: for whole messages of several lines."""
    return "\n".join(visible(line) for line in text.split("\n"))

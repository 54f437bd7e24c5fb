"""From what an engine wrote down to the words of a command.

A grammar engine (PocketSphinx, Vosk) can only return the vocabulary's
phrases. Whisper writes down what it heard, with the habits of a
transcriber, which this module undoes before the parser sees the text:

- repeats: a short audio window makes Whisper write a word again and again
  ("Yes. Yes. Yes. Yes."); a repeated phrase counts once, and a last copy
  cut off by the length limit ("Pause. Pause. Pau") is dropped; a
  transcript cut off by the limit that is not such a repetition ("I will
  stop. I will") is no command at all;
- numbers: digits and ordinals ("7", "6th", "sixth") become number words;
  when a rating is expected, exact sound-alikes of a number ("for", "to",
  "won", "ate") become that number. Near ones ("fine", "tree") are not:
  they would take other words for ratings. Nor is "A", though Whisper
  writes it for many an "eight" said across a room: it writes it for "off"
  too (measured: README, ""A" for eight").

(Measured and not kept: removing the question echoed back; tiny.en almost
never echoes it, and doing so changed no decision.)

Nothing here invents a command: the parser still needs the whole utterance
to be one phrase.
"""

from __future__ import annotations

from coach.commands.parser import Vocabulary, normalize, numbers_written

ORDINALS = {
    "zeroth": "zero", "first": "one", "second": "two", "third": "three", "fourth": "four",
    "fifth": "five", "sixth": "six", "seventh": "seven", "eighth": "eight", "ninth": "nine",
    "tenth": "ten",
}
# Sound-alikes of number words, read as numbers only when the coach asked for a rating.
NUMBER_HOMOPHONES = {"for": "four", "fore": "four", "to": "two", "too": "two", "won": "one",
                     "ate": "eight"}
MIN_WORDS_ONE_COPY = 3  # a cut-off loop of a phrase this long may show one whole copy
DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
               "ten")


def command_text(
    text: str,
    vocab: Vocabulary,
    *,
    question: str = "",
    number_expected: bool = False,
    truncated: bool = False,
) -> str:
    """``text`` rewritten as the words of the command it may be ("" when it cannot be one).

    ``question`` is the line the coach last asked (kept for engines that need
    it; Whisper's answers need nothing from it here).
    """
    words = [_number_word(w, number_expected) for w in normalize(numbers_written(text))]
    words = [w for w in words if w not in vocab.fillers] or words
    unit = _repeated_unit(words, finished=not truncated)
    if unit is not None:
        return " ".join(unit)
    return "" if truncated else " ".join(words)


def said_once(text: str, *, truncated: bool = False) -> str:
    """``text``'s words, a phrase written again and again counted once ("Pause, pause, pau")."""
    words = list(normalize(text))
    unit = _repeated_unit(words, finished=not truncated)
    return " ".join(unit if unit is not None else words)


def _number_word(word: str, number_expected: bool) -> str:
    if word in ORDINALS:
        return ORDINALS[word] if number_expected else word
    stem = word[:-2] if word[-2:] in ("st", "nd", "rd", "th") else word
    if stem.isascii() and stem.isdigit() and stem != word and int(stem) <= 10:
        return DIGIT_WORDS[int(stem)]
    if number_expected and word in NUMBER_HOMOPHONES:
        return NUMBER_HOMOPHONES[word]
    return word


def _repeated_unit(words: list[str], *, finished: bool) -> list[str] | None:
    """The phrase ``words`` repeats ("stop stop stop" -> "stop"), or None if none.

    A repetition is at least two whole copies. When the transcript was cut
    off (not ``finished``), a last, incomplete copy may follow them ("pause
    pause pau"). One copy of a phrase of three words or more and the start
    of another ("how many left how many") is a repetition too; one copy of a
    shorter one ("let's go let's", said: "stop") is not enough to tell.
    """
    n = len(words)
    for size in range(1, n):
        unit = words[:size]
        copies = n // size
        while copies >= (1 if size >= MIN_WORDS_ONE_COPY and not finished else 2):
            tail = words[copies * size :]
            if words[: copies * size] == unit * copies and (
                    not tail or (not finished and _starts(unit, tail))):
                return unit
            copies -= 1
    return None


def _starts(unit: list[str], tail: list[str]) -> bool:
    """``tail`` is the start of ``unit``, its last word maybe cut short."""
    if not tail or len(tail) > len(unit):
        return False
    whole, last = tail[:-1], tail[-1]
    return unit[: len(whole)] == whole and unit[len(whole)].startswith(last)

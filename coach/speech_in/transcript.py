"""From what an engine wrote down to the words of a command.

A grammar engine (PocketSphinx, Vosk) can only return the vocabulary's
phrases. Whisper writes down what it heard, with the habits of a
transcriber, which this module undoes before the parser sees the text:

- repeats: a short audio window makes Whisper write a word again and again
  ("Yes. Yes. Yes. Yes."); a repeated phrase counts once, and a last
  repetition cut off by the length limit is dropped;
- the question echoed back: prompted with "Say go when you are ready.",
  Whisper sometimes writes "Say go."; words at the start that belong to the
  question the coach just asked, and are not a command themselves, are
  dropped;
- numbers: digits and ordinals ("7", "6th", "sixth") become number words;
  when a rating is expected, words that sound like a number and mean nothing
  there ("for", "to", "won", "ate") become that number.

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
    """``text`` rewritten as the words of the command it may be (or as it was)."""
    words = list(normalize(numbers_written(text)))
    if truncated and len(words) > 1:
        words = words[:-1]  # the length limit cut the last word, maybe in half
    words = [_number_word(w, number_expected) for w in words]
    words = _without_echo(words, normalize(question), vocab)
    return " ".join(_collapsed(words))


def _number_word(word: str, number_expected: bool) -> str:
    if word in ORDINALS:
        return ORDINALS[word]
    stem = word[:-2] if word[-2:] in ("st", "nd", "rd", "th") else word
    if stem.isascii() and stem.isdigit() and stem != word and int(stem) <= 10:
        return DIGIT_WORDS[int(stem)]
    if number_expected and word in NUMBER_HOMOPHONES:
        return NUMBER_HOMOPHONES[word]
    return word


def _without_echo(words: list[str], question: tuple[str, ...], vocab: Vocabulary) -> list[str]:
    """Drop leading words that repeat the question, unless they are the answer."""
    if not question:
        return words
    asked = set(question)
    known = vocab.words()
    start = 0
    while start < len(words) - 1 and words[start] in asked and words[start] not in known:
        start += 1
    return words[start:]


def _collapsed(words: list[str]) -> list[str]:
    """A phrase said several times over, once ("stop stop stop" -> "stop")."""
    n = len(words)
    for size in range(1, n // 2 + 1):
        unit = words[:size]
        if all(words[i] == unit[i % size] for i in range(n)):
            return unit
    return words

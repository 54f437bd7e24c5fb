"""The decision: what becomes of one decoded utterance, for the moment it was said in.

    Utterance + Hypothesis ─▶ the word rules ─▶ the same-word rule ─▶ Heard | None
                                                                 └─▶ Decision (kept)

The rules that need the engine's words: its garbage path or ``[unk]`` won,
it found no speech, its confidence is too low, the words are no command, a
number written for one word whose sound the engine says is no number, a
question's answer written for a short utterance whose sound the engine
says is surely another word, or the command does not fit the moment. A
"stop" or "it hurts" that begins just after the last one ended is the same
word heard again. Every utterance leaves a ``Decision`` with its reason,
for ``coach hear``, the benchmark and the runtime's "not understood".

The rules that need no words (length, voicing, the coach's echo) are the
Listener's, applied before an engine is asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.commands.intents import DECIDED_AT_FIRST_PAUSE, Intent
from coach.commands.parser import ParsedCommand, Vocabulary, parse
from coach.core.events import Heard
from coach.speech_in.decoding import Utterance
from coach.speech_in.engine import Hypothesis
from coach.speech_in.keywords import KEYWORDS
from coach.speech_in.transcript import command_text

# A command (the same intent, the same number) that begins less than this after
# the last one taken ended is taken as the same word heard again: the word's own
# tail. Live, one "stop" said over the coach was heard twice, 0.2 s apart, as the
# voice was cut, and the second answered "End the session?" with yes; in the
# spoken soak a rating "two" said across the room was heard again from its
# echo 0.2 s after it ended, and acted on twice.
SAME_WORD_SECONDS = 0.5
KEPT = 100  # decisions kept, newest last


@dataclass(frozen=True)
class Decision:
    """What became of one utterance (kept for ``coach hear`` and the benchmark)."""

    heard: Heard | None
    hypothesis: Hypothesis
    reason: str  # "accepted", "sound-alike" (taken from a heard_as spelling), "too-long",
    # "garbage", "no-speech", "low-confidence", "not-a-command", "not-expected", "echo",
    # "too-short", "noise", "same-word", "not-a-number", "not-an-answer"
    speech_start: float  # s, audio clock
    speech_end: float  # s
    decided_at: float  # s
    decode_seconds: float = 0.0  # wall time the engine took (0 when it was not asked)
    # On the audio clock, when the decode was done: inline (tests, the benchmark), when
    # a decoding worker would have had it; live, when it came (None: not known).
    ready_at: float | None = None

    @property
    def answered_at(self) -> float:
        """When the command could be acted on: decided, and the decode done."""
        if self.ready_at is not None:
            return max(self.decided_at, self.ready_at)
        return self.decided_at + self.decode_seconds


Verdict = tuple[Heard | None, str]  # the command (None: none) and the reason


def cut_short(verdict: Verdict) -> bool:
    """Whether a decode at a pause may have lost the end of the word.

    The VAD does not count a word's soft ending as speech (the "z" of
    "pause"), so the decode at the pause can miss it, and a transcribing
    engine then writes down another word ("Power."). Such a decode, words
    that are no command, is done again on the whole utterance when it has
    ended. Any other rejection stands: a grammar engine's garbage path, low
    confidence or no speech say the sound was not a command, and deciding
    again on more audio would only give a second chance to take one.
    """
    return verdict[0] is None and verdict[1] == "not-a-command"


class Judge:
    """Judges decoded utterances and keeps what became of each.

    ``verdict`` reads only the utterance, the vocabulary and the limits, which
    do not change, so the decoding thread may ask it too (whether a second
    try is worth making); ``decide`` is called on the Listener's thread only.
    """

    def __init__(self, vocabulary: Vocabulary, *, min_confidence: float = 0.0,
                 max_no_speech: float = 1.0, decisive_confidence: float = 0.0) -> None:
        self.vocabulary = vocabulary
        self.min_confidence = min_confidence
        self.decisive_confidence = decisive_confidence  # for answers that end the session
        self.max_no_speech = max_no_speech  # the engine's "no speech" probability above which it was none
        self.decisions: list[Decision] = []  # every utterance, newest last
        self.last_decision_at: float | None = None
        # (intent, number, end) of the last command taken (or of its tail, dropped)
        self._last_heard: tuple[Intent, int | None, float] | None = None

    def reset(self) -> None:
        self.decisions = []
        self._last_heard = None

    def verdict(self, utt: Utterance, hyp: Hypothesis) -> Verdict:
        """The rules that need the engine's words, for the moment ``utt`` was said in."""
        if not hyp.in_grammar or not hyp.text:
            return None, "garbage"
        if hyp.no_speech > self.max_no_speech:
            return None, "no-speech"
        if hyp.confidence < self.min_confidence:
            return None, "low-confidence"
        text = command_text(hyp.text, self.vocabulary, question=utt.question,
                            number_expected=utt.expected is None or Intent.NUMBER in utt.expected,
                            truncated=hyp.truncated)
        parsed = parse(text, self.vocabulary, spoken=True)
        reason = "accepted"
        if parsed is None and utt.sound_alikes:
            intent = self.vocabulary.sound_alike(text.split(), utt.sound_alikes)
            parsed = None if intent is None else ParsedCommand(intent, None, text)
            reason = "sound-alike"
        if parsed is None:
            return None, "not-a-command"
        if parsed.intent is Intent.NUMBER and hyp.no_number:
            return None, "not-a-number"  # one word, and its sound is surely no number
        if (hyp.other_word and utt.question and parsed.intent in utt.answers
                and parsed.intent.value in KEYWORDS):
            # A question's own answer the keyword model knows, from a short utterance
            # whose sound it finds surely another word ("No." for a "down").
            return None, "not-an-answer"
        if hyp.by_sound and utt.question and utt.answers and parsed.intent not in utt.answers:
            # Told by its sound alone: only the question's own answer ("go" to "Say
            # go"); a side said before it is asked must be heard in words.
            return None, "not-expected"
        if (hyp.by_sound and parsed.intent not in utt.sound_alikes
                and self.vocabulary.sound_alike(
                    command_text(hyp.written, self.vocabulary, question=utt.question,
                                 number_expected=False).split(), {parsed.intent})):
            # Told by its sound, but written as a spelling of it that this moment
            # does not take: "Start." in a rest, where "start" means the set (the
            # keyword model never heard "start", and found three of four synthetic
            # ones a stop). The moment's rule for the words stands.
            return None, "not-expected"
        if utt.expected is not None and parsed.intent not in utt.expected:
            return None, "not-expected"
        if parsed.intent in utt.decisive and hyp.confidence < self.decisive_confidence:
            return None, "low-confidence"
        if parsed.intent is Intent.YES and parsed.intent in utt.decisive and hyp.not_yes:
            # A yes that would end the session: not from a short utterance whose
            # sound is surely no yes ("Yeah." written for a "cat" said across a room).
            return None, "not-an-answer"
        return Heard(parsed.intent, hyp.text, hyp.confidence, utt.end, parsed.number), reason

    def at_first_pause(self, verdict: Verdict) -> bool:
        """Whether a command found in a decode at a pause is acted on there,
        before the utterance has ended: "stop", "pause" and "it hurts"
        (``DECIDED_AT_FIRST_PAUSE``), unless taken from a spelling made only
        of words that begin sentences (the vocabulary's fillers: a lone "So"
        for a "stop" across a room), which waits for the end: the person may
        go on ("So... what now?")."""
        heard, reason = verdict
        if heard is None or heard.intent not in DECIDED_AT_FIRST_PAUSE:
            return False
        if reason != "sound-alike":
            return True
        words = command_text(heard.text, self.vocabulary, number_expected=False).split()
        return not all(w in self.vocabulary.fillers for w in words)

    def accepts(self, utt: Utterance, hyp: Hypothesis) -> bool:
        """Whether ``hyp`` would be taken as a command."""
        return self.verdict(utt, hyp)[0] is not None

    def decide(
        self, heard: Heard | None, hyp: Hypothesis, reason: str, start: float, end: float,
        now: float, decode_seconds: float = 0.0, ready_at: float | None = None,
    ) -> Heard | None:
        """Record the utterance's fate and return the command to act on (None: none).

        ``start`` and ``end`` are the speech's on the audio clock, ``now`` when
        it was decided.
        """
        if heard is not None:
            last, self._last_heard = self._last_heard, (heard.intent, heard.number, end)
            if (last is not None and last[:2] == (heard.intent, heard.number)
                    and start - last[2] < SAME_WORD_SECONDS):
                heard, reason = None, "same-word"  # its own tail, heard again
        self.decisions.append(Decision(heard, hyp, reason, start, end, now, decode_seconds, ready_at))
        del self.decisions[:-KEPT]
        self.last_decision_at = now
        return heard

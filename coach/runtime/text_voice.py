"""What the coach prints: the transcript's lines, the text voice, and the printer beside a real voice.

The transcript goes to stdout one line at a time (time, who, words), which a
screen reader reads as it comes and a test can follow. Two sinks print it:

- ``TextVoice`` is the voice when there is no sound: it prints each line and
  reports it spoken, ending after an estimate from its words (keys mode,
  replays, the tests, and the live coach with no speaker);
- ``TranscriptPrinter`` prints beside a real voice, which reports for itself.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from coach.commands.parser import Vocabulary, load_vocabulary, normalize

from coach.core.actions import Action, ChangeVoice, Cue, DropLines, Log, Say, StopSpeaking
from coach.core.events import Event, Heard, SpeechDone, SpeechStarted
from coach.core.records import journal
from coach.spoken_text import speaking_seconds
from coach.visible import visible


# A line due to start within this of now has begun (sums of estimates are not exact).
BEGUN_TOLERANCE_SECONDS = 0.001


@dataclass(frozen=True)
class TranscriptLine:
    at: float  # s on the run's clock
    who: str  # "coach", "you", "tone", "note"
    text: str


@dataclass
class TextVoice:
    """Coach lines as plain text, for a screen reader or a terminal.

    With no audio, it reports speech as if spoken: SpeechStarted when the line
    is due (after any line still "playing"), SpeechDone after an estimate of
    ``words / rate_wpm``. ``write`` receives each printed line (the CLI passes
    ``print``); every line is also kept in ``transcript``, unless ``keep`` is
    off: keys mode and the live coach, which may run for hours and never read
    it back, keep nothing per line. A line dropped before it began
    (``DropLines``: a reply a newer command made stale) ends at once,
    interrupted, and the next line goes after what is left; its printed line
    stays printed.
    """

    rate_wpm: int = 150
    write: Callable[[str], None] | None = None
    timestamps: bool = True
    show_logs: bool = False
    tones: bool = True  # print a line for each tone ("tone: start"); plain text leaves them out
    keep: bool = True  # keep each line in ``transcript`` (replays, the demo and tests read it)
    labels: bool = True  # "coach: " before the coach's lines; plain text prints only its words
    transcript: list[TranscriptLine] = field(default_factory=list)
    _busy_until: float = 0.0
    _lines: deque[tuple[int, float, float]] = field(default_factory=deque)  # (id, start, end)
    # of the lines not yet ended, in the order said

    def __call__(self, action: Action, now: float) -> list[Event]:
        while self._lines and self._lines[0][2] <= now:
            self._lines.popleft()
        if isinstance(action, Say):
            # A beat plays on its beat; any other line after the one still playing.
            start = action.at if action.at is not None else max(now, self._busy_until)
            end = start + self.estimate_seconds(action.text)
            self._busy_until = max(self._busy_until, end)
            self._lines.append((action.id, start, end))
            # The transcript shows when the coach decided to say it, so replies
            # line up with what was typed; the voice queue shows in SpeechDone.
            self.emit(TranscriptLine(now if action.at is None else action.at, "coach", action.text))
            return [SpeechStarted(action.id, start), SpeechDone(action.id, end)]
        if isinstance(action, Cue):
            if self.tones:
                at = now if action.at is None else action.at
                self.emit(TranscriptLine(at, "tone", action.kind.value))
        elif isinstance(action, StopSpeaking):
            self._busy_until = now
            self._lines.clear()
        elif isinstance(action, DropLines):
            return self._drop(frozenset(action.ids), now)
        elif isinstance(action, ChangeVoice):
            self.rate_wpm = action.rate_wpm
        elif isinstance(action, Log) and self.show_logs:
            self.emit(TranscriptLine(now, "note", str(journal(action.record))))
        return []

    def _drop(self, ids: frozenset[int], now: float) -> list[Event]:
        """Lines in ``ids`` not begun by ``now`` end now, interrupted (the runner then
        forgets their start and end, dated later); the voice is free after what is left."""
        begun = now + BEGUN_TOLERANCE_SECONDS
        kept = [line for line in self._lines if line[0] not in ids or line[1] <= begun]
        dropped = [line[0] for line in self._lines if line[0] in ids and line[1] > begun]
        if not dropped:
            return []
        self._lines = deque(kept)
        self._busy_until = max([now, *(end for _, _, end in kept)])
        return [SpeechDone(line_id, now, interrupted=True) for line_id in dropped]

    def estimate_seconds(self, text: str) -> float:
        return speaking_seconds(max(1, len(text.split())), self.rate_wpm)

    def emit(self, line: TranscriptLine) -> None:
        if self.keep:
            self.transcript.append(line)
        if self.write is not None:
            self.write(format_line(line, timestamps=self.timestamps, labels=self.labels))


def format_line(line: TranscriptLine, *, timestamps: bool = True, labels: bool = True) -> str:
    """One transcript line; without ``labels``, the coach's lines are its words alone
    (a screen reader would read "coach colon" before each), others keep theirs."""
    label = {"coach": "coach:", "you": "you:", "tone": "tone:", "note": "note:"}.get(
        line.who, f"{line.who}:"
    )
    words = visible(line.text)
    text = words if not labels and line.who == "coach" else f"{label} {words}"
    return f"{line.at:8.2f}  {text}" if timestamps else text


@dataclass
class TranscriptPrinter:
    """Every coach line and tone as a plain transcript line (stdout for screen readers).

    ``keep`` as for ``TextVoice``: off, nothing is kept per line.
    """

    write: Callable[[str], None]
    timestamps: bool = True
    keep: bool = True
    transcript: list[TranscriptLine] = field(default_factory=list)

    def __call__(self, action: Action, now: float) -> list[Event]:
        if isinstance(action, Say):
            self.emit(TranscriptLine(now if action.at is None else action.at, "coach", action.text))
        elif isinstance(action, Cue):
            self.emit(TranscriptLine(now if action.at is None else action.at, "tone",
                                     action.kind.value))
        return []

    def emit(self, line: TranscriptLine) -> None:
        if self.keep:
            self.transcript.append(line)
        self.write(format_line(line, timestamps=self.timestamps))


_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten")


def heard_text(heard: Heard, *, raw: bool = False) -> str:
    """A command as the transcript shows it: as understood ("four", not Whisper's
    "Four Four Four Four"), with the recogniser's own words only when ``raw``."""
    said = " ".join(normalize(heard.text))
    phrases = {" ".join(p) for p in _vocabulary().intent_phrases.get(heard.intent, ())}
    if heard.number is not None:
        understood = _NUMBER_WORDS[heard.number] if 0 <= heard.number <= 10 else str(heard.number)
    elif said in phrases:
        understood = said
    else:
        first = _vocabulary().intent_phrases.get(heard.intent, ())
        understood = " ".join(first[0]) if first else heard.intent.value
    words = f" '{heard.text}'" if raw else ""
    return f"{understood} (heard{words}, {heard.confidence:.2f})"


@lru_cache(maxsize=1)
def _vocabulary() -> Vocabulary:
    return load_vocabulary()


def load_heard_words() -> None:
    """Read the vocabulary ``heard_text`` shows commands with, ahead of the first one.

    Read when the first command came (35-60 ms of YAML), it held up that
    command: the live coach's first "stop" cut its voice that much later.
    """
    _vocabulary()

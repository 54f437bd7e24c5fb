"""The soak's watch on the beats: when each count and cue word was due, and what became of it.

A sink in front of the playout (coach.speech_out.playout): every action is
handed on, and every beat (a Say with ``at``) is followed from the moment it
is planned to the moment the playout starts it, drops it or cuts it short.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from coach.audio.format import RATE_HZ
from coach.core.actions import Action, Cue, Say, StopSpeaking
from coach.core.events import Event, Heard, SpeechDone, SpeechStarted
from coach.runtime.runner import Runner
from coach.speech_out.playout import Playout
from coach.speech_out.synthesis import TAIL_SECONDS

BEAT_LIMIT_SECONDS = 0.005  # a beat more than this off its deadline is late


class BeatWatch:
    """The runner's sink in front of the playout: it hands every action on and
    watches the beats (Say with ``at``): when each was due, when it started,
    which were dropped and why.

    A beat the session dates at the end of a spoken command ("Set 1 of 3."
    after "go") is handed out only once the recogniser has decided, after
    its time: it starts as soon as it can, and how late is the recogniser's
    decision time, not the timing's. Those are kept apart (``after_command``).

    The person is ``asking`` while the runner handles something they said
    (an event fed from outside, watched on ``Runner.feed``): a Say without a beat handed out then is a
    reply to them, and a StopSpeaking is their pause (or stop). A beat dropped while a reply is
    planned or playing, or by that StopSpeaking, was cut by what the person
    asked for; any other dropped beat was cut in plain counting.
    """

    def __init__(self, playout: Playout) -> None:
        self.playout = playout
        self.runner: Runner | None = None  # the session's, set for each session
        self._input: Event | None = None  # the event fed from outside, while it is handled
        self.due: dict[int, float] = {}  # beat id -> its beat (s), until it starts or is dropped
        self.phrases: dict[int, tuple[str, int]] = {}  # beat id -> its text, its length
        self.playing: dict[int, float] = {}  # beat id -> when it started, until it is done
        self.errors: list[float] = []
        self.after_command: list[float] = []  # how late the beats dated at a spoken command began
        self._handed_late: set[int] = set()  # those beats, until they start or are dropped
        self.tones = 0
        self.replies: set[int] = set()  # replies to the person, planned or playing
        self.stopped: set[int] = set()  # beats playing when the person's pause stopped the voice
        self.cut_by_reply = 0
        self.cut_by_pause = 0
        self.cut_plain = 0
        self.cut_short = 0
        self.notes: list[str] = []  # each beat cut with no reply or pause involved, or cut short

    def __call__(self, action: Action, now: float) -> list[Event]:
        if isinstance(action, Say) and action.at is not None:
            self.due[action.id] = action.at
            if self.asking and action.at < self.playout.next_sample_at():
                self._handed_late.add(action.id)
        elif isinstance(action, Say) and self.asking:
            self.replies.add(action.id)
        elif isinstance(action, Cue) and action.at is not None:
            self.tones += 1
        elif isinstance(action, StopSpeaking) and self.asking:
            self.stopped |= set(self.playing)
        events = self.playout.submit(action, now)
        if isinstance(action, Say) and action.at is not None:
            pcm = self.playout.phrases.get(action.text, self.playout.voice, self.playout.rate_wpm)
            self.phrases[action.id] = (action.text, len(pcm))  # a memory hit: submit fetched it
        for event in events:  # phrases this action dropped before they started
            if not isinstance(event, SpeechDone):
                continue
            self.replies.discard(event.utterance_id)
            if self.due.pop(event.utterance_id, None) is None:
                continue
            if isinstance(action, StopSpeaking) and self.asking:
                self.cut_by_pause += 1
            elif self.replies:  # a reply is planned or playing (or is this action)
                self.cut_by_reply += 1
            else:
                self._cut_plain(event.utterance_id, event.at)
        return events

    @property
    def asking(self) -> bool:
        """The session is handling something the person said."""
        return isinstance(self._input, Heard)

    def observe(self, events: Iterable[Event]) -> Iterator[Event]:
        """The voice's events, seen on their way to the session."""
        for event in events:
            if isinstance(event, SpeechStarted):
                self.started(event)
            elif isinstance(event, SpeechDone):
                self.done(event)
            yield event

    def started(self, event: SpeechStarted) -> None:
        due = self.due.pop(event.utterance_id, None)
        if due is not None:
            if event.utterance_id in self._handed_late:
                self._handed_late.discard(event.utterance_id)
                self.after_command.append(event.at - due)
            else:
                self.errors.append(event.at - due)
            self.playing[event.utterance_id] = event.at

    def done(self, event: SpeechDone) -> None:
        uid = event.utterance_id
        self.replies.discard(uid)
        if self.due.pop(uid, None) is not None:  # dropped while the audio played on
            if self.replies:
                self.cut_by_reply += 1
            else:
                self._cut_plain(uid, event.at)
        started = self.playing.pop(uid, None)
        if started is None or not event.interrupted:
            return
        text, samples = self.phrases.get(uid, ("", 0))
        lost = started + samples / RATE_HZ - event.at
        if uid in self.stopped or lost <= TAIL_SECONDS + 1e-6:
            return
        self.cut_short += 1
        self.notes.append(f"cut short: {text!r} lost its last {lost:.2f} s at {event.at:.1f} s")

    def _cut_plain(self, uid: int, at: float) -> None:
        self.cut_plain += 1
        text, _ = self.phrases.get(uid, ("", 0))
        self.notes.append(f"cut before it started: {text!r} at {at:.1f} s")

    def _reacting_to(self, event: Event | None) -> None:
        self._input = event  # what the session is reacting to, while it does

    def new_session(self, runner: Runner) -> None:
        """Utterance ids start again at 1 in each session."""
        self.runner = runner
        self._input = None
        watch_outer(runner, lambda event: True, self._reacting_to)
        self.cut_plain += len(self.due)  # none is expected: each beat is started or dropped
        self.due.clear()
        self._handed_late.clear()
        self.phrases.clear()
        self.playing.clear()
        self.replies.clear()
        self.stopped.clear()


def beat_figures(watch: BeatWatch, notes: list[str] | None) -> dict[str, Any]:
    if notes is not None:
        notes.extend(watch.notes)
    errors = sorted(abs(e) for e in watch.errors)
    return {
        "beats": len(errors),
        "beats_cut_by_reply": watch.cut_by_reply,
        "beats_cut_by_pause": watch.cut_by_pause,
        "beats_cut_plain": watch.cut_plain,
        "beats_cut_short": watch.cut_short,
        "tones": watch.tones,
        "beat_error_max_ms": round(1000 * (errors[-1] if errors else 0.0), 3),
        "beat_error_p99_ms": round(1000 * (errors[int(0.99 * (len(errors) - 1))]
                                           if errors else 0.0), 3),
        "beats_late_over_5ms": sum(e > BEAT_LIMIT_SECONDS for e in errors),
        **({"beats_after_command": len(watch.after_command),
            "beats_after_command_max_ms": round(1000 * max(watch.after_command), 1)}
           if watch.after_command else {}),
    }


def watch_outer(runner: Runner, wanted: Callable[[Event], bool],
                during: Callable[[Event | None], None]) -> None:
    """Wrap ``runner.feed`` so ``during`` is told of each ``wanted`` event fed from
    outside (not one the session feeds itself while handling it), and of its end (None)."""
    feed = runner.feed
    busy = False

    def watched(event: Event) -> None:
        nonlocal busy
        outer = not busy and wanted(event)
        if outer:
            busy = True
            during(event)
        try:
            feed(event)
        finally:
            if outer:
                busy = False
                during(None)

    runner.feed = watched  # type: ignore[method-assign]

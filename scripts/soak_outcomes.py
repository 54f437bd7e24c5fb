"""What the session did with what the person said, and whether its counts are honest.

Three checks of a soak run, each printed:

- answered: every phrase the person said (each try) that had speech got the
  right action or a short spoken answer. A try heard as its own command was
  acted on; one heard as another command is a wrong action; one not
  understood was answered when the session said something while handling it.
  The one silence by design: a first miss during a set or a rest (a second
  within seconds is answered with "Say help..."), counted on its own row.
  Tries in which the recogniser found no speech are counted apart.
- replies over cues: a reply (a line said while handling something the
  person said) sounding, on the audio timeline, when a cue word or a count
  was due. Must be none: a reply waits for room or the count holds.
- honest counts: at each session's end, the summary's sets done and ended
  early per exercise match the SetDone records (and each record's "complete"
  matches its reps), the history read back from its file says the same, and
  the spoken summary names the same numbers.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from soak_beats import watch_outer

from coach.audio.format import RATE_HZ
from coach.core.actions import Action, Log, Say, SayKind, SessionEnded
from coach.core.events import Event, Heard, NotUnderstood, SpeechDone, SpeechStarted
from coach.core.progress import set_complete
from coach.core.records import SessionSummary, SetDone
from coach.core.states import State
from coach.runtime.runner import Runner

DECISION_WINDOW_SECONDS = 3.5  # a try's decision comes this soon after it ends (the user's retry)
SHORT_ANSWER_WORDS = 20  # an answer to a command not understood is one or two short lines
IN_WORK = frozenset({State.WORKING, State.RESTING})


@dataclass
class _Decision:
    event: Heard | NotUnderstood
    state: State
    answer_words: int = 0  # words the session said while handling it


@dataclass
class Outcomes:
    """A sink and an observer of the voice's events, for the session under way."""

    decisions: list[_Decision] = field(default_factory=list)
    overlaps_cue: int = 0  # replies sounding when a cue word was due
    overlaps_count: int = 0  # replies sounding when a count was due
    replies_said = 0
    answer_words_max = 0
    sessions_checked = 0
    sessions_honest = 0
    problems: list[str] = field(default_factory=list)
    _input: _Decision | None = None
    _replies: dict[int, tuple[str, float | None]] = field(default_factory=dict)  # id -> text, start
    _beats: list[tuple[float, SayKind]] = field(default_factory=list)  # due, kind (this session)
    _intervals: list[tuple[float, float, str]] = field(default_factory=list)  # replies as they sounded
    _sets: list[SetDone] = field(default_factory=list)
    _said: list[str] = field(default_factory=list)
    summaries: list[SessionSummary] = field(default_factory=list)
    history_dir: tempfile.TemporaryDirectory[str] = field(
        default_factory=tempfile.TemporaryDirectory)

    # -- following a session ---------------------------------------------------------
    def new_session(self, runner: Runner) -> None:
        self._close_session()

        def during(event: Event | None) -> None:
            if event is None:
                self._input = None
                return
            assert isinstance(event, (Heard, NotUnderstood))
            self._input = _Decision(event, runner.session.state)
            self.decisions.append(self._input)

        watch_outer(runner, lambda event: isinstance(event, (Heard, NotUnderstood)), during)

    def __call__(self, action: Action, now: float) -> list[Event]:
        if isinstance(action, Say) and action.at is not None:
            if action.kind in (SayKind.CUE_WORD, SayKind.COUNT):
                self._beats.append((action.at, action.kind))
        elif isinstance(action, Say):
            self._said.append(action.text)
            if self._input is not None:
                self._input.answer_words += len(action.text.split())
                self._replies[action.id] = (action.text, None)
        elif isinstance(action, Log) and isinstance(action.record, SetDone):
            self._sets.append(action.record)
        elif isinstance(action, SessionEnded):
            self._check_counts(action.summary)
        return []

    def observe(self, events: Any) -> Any:
        for event in events:
            if isinstance(event, SpeechStarted) and event.utterance_id in self._replies:
                self._replies[event.utterance_id] = (self._replies[event.utterance_id][0], event.at)
            elif isinstance(event, SpeechDone) and event.utterance_id in self._replies:
                text, started = self._replies.pop(event.utterance_id)
                if started is not None:
                    self._intervals.append((started, event.at, text))
            yield event

    # -- at each session's end ------------------------------------------------------
    def _close_session(self) -> None:
        for start, end, text in self._intervals:
            self.replies_said += 1
            due = [(at, kind) for at, kind in self._beats if start <= at < end]
            kinds = {kind for _, kind in due}
            self.overlaps_cue += SayKind.CUE_WORD in kinds
            self.overlaps_count += SayKind.COUNT in kinds and SayKind.CUE_WORD not in kinds
            if due:
                self.problems.append(
                    f"reply '{text}' sounded {start:.2f}-{end:.2f} s, over a "
                    f"{due[0][1].value} due at {due[0][0]:.2f} s")
        self._intervals, self._beats, self._replies = [], [], {}

    def cut_off(self, summary: SessionSummary) -> None:
        """The run ended in the middle of a session: its counts so far (nothing said)."""
        self._check_counts(summary, said=False)

    def _check_counts(self, summary: SessionSummary, *, said: bool = True) -> None:
        self.sessions_checked += 1
        self.summaries.append(summary)
        wrong: list[str] = []
        for row in summary.exercises:
            sets = [s for s in self._sets if s.exercise == row.id]
            full = sum(s.complete for s in sets)
            if (row.sets_done, row.sets_partial) != (full, len(sets) - full):
                wrong.append(f"{row.id}: summary {row.sets_done}+{row.sets_partial}, "
                             f"records {full}+{len(sets) - full}")
        for s in self._sets:
            if s.complete != set_complete(s.reps, s.reps_planned):
                wrong.append(f"{s.exercise} set {s.set_number}: {s.reps} of {s.reps_planned} "
                             f"reps marked complete={s.complete}")
        counts = [line for line in self._said if line.startswith("You did")]
        sets_said = f"{summary.sets_done} set"
        if said and (not counts or sets_said not in counts[-1]):
            wrong.append(f"spoken summary {counts[-1:]} does not say {sets_said}")
        if wrong:
            self.problems += [f"session {self.sessions_checked}: {w}" for w in wrong]
        else:
            self.sessions_honest += 1
        self._sets, self._said = [], []

    def check_history(self, path: Path, program_id: str) -> None:
        """The history file read back: the same sets done, exercise by exercise."""
        from coach.history import HistoryStore

        store = HistoryStore.open(path)
        try:
            kept = list(reversed(store.sessions(program_id)))
        finally:
            store.close()
        for number, (record, summary) in enumerate(zip(kept, self.summaries), 1):
            for row in summary.exercises:
                entry = record.exercise(row.id)
                done = entry.sets_done if entry is not None else 0
                if done != row.sets_done:
                    self.problems.append(f"session {number}: history has {done} sets of "
                                         f"{row.id}, the summary {row.sets_done}")
                    self.sessions_honest -= 1
                    break
        if len(kept) != len(self.summaries):
            self.problems.append(f"history kept {len(kept)} sessions of {len(self.summaries)}")

    # -- the figures -------------------------------------------------------------------
    def figures(self, spoken: list[Any] | None) -> dict[str, Any]:
        self._close_session()
        out: dict[str, Any] = {}
        if spoken is not None:
            out.update(self._answered(spoken))
        out["replies_said"] = self.replies_said
        out["replies_over_a_cue_word"] = self.overlaps_cue
        out["replies_over_a_count"] = self.overlaps_count
        out["sessions_counts_honest"] = f"{max(0, self.sessions_honest)} of {self.sessions_checked}"
        return out

    def _answered(self, spoken: list[Any]) -> dict[str, Any]:
        acted = wrong = answered = silent_by_design = silent = no_speech = twice = 0
        for i, phrase in enumerate(spoken):
            start = phrase.start_sample / RATE_HZ
            until = phrase.end_sample / RATE_HZ + DECISION_WINDOW_SECONDS
            if i + 1 < len(spoken):
                until = min(until, spoken[i + 1].start_sample / RATE_HZ)
            found = [d for d in self.decisions if start <= d.event.at < until]
            heard = [d.event for d in found if isinstance(d.event, Heard)]
            missed = [d for d in found if isinstance(d.event, NotUnderstood)
                      and d.event.had_speech]
            if len(heard) > 1:  # one try, one action
                twice += 1
                self.problems.append(
                    f"'{phrase.phrase}' at {start:.1f} s acted on {len(heard)} times: "
                    + ", ".join(f"{h.intent.value}"
                                + (f" {h.number}" if h.number is not None else "")
                                + f" at {h.at:.2f} s" for h in heard))
            if any(h.intent is phrase.intent for h in heard):
                acted += 1
            elif heard:
                wrong += 1
                self.problems.append(f"'{phrase.phrase}' at {start:.1f} s heard as "
                                     f"{heard[0].intent.value}")
            elif any(d.answer_words for d in missed):
                answered += 1
                words = max(d.answer_words for d in missed)
                self.answer_words_max = max(self.answer_words_max, words)
            elif missed and all(d.state in IN_WORK for d in missed):
                silent_by_design += 1
            elif missed:
                silent += 1
                self.problems.append(f"'{phrase.phrase}' at {start:.1f} s: not understood "
                                     f"({missed[0].event.reason}), and no answer")
            else:
                no_speech += 1
        return {
            "tries_acted_on": acted,
            "tries_answered": answered,
            "tries_first_miss_in_a_set": silent_by_design,
            "tries_with_speech_left_silent": silent,
            "tries_heard_as_another_command": wrong,
            "tries_acted_on_twice": twice,
            "tries_no_speech_found": no_speech,
            "answer_words_max": self.answer_words_max,
        }

    def ok(self, figures: dict[str, Any]) -> bool:
        return (figures.get("tries_with_speech_left_silent", 0) == 0
                and figures.get("tries_heard_as_another_command", 0) == 0
                and figures.get("tries_acted_on_twice", 0) == 0
                and figures.get("answer_words_max", 0) <= SHORT_ANSWER_WORDS
                and figures["replies_over_a_cue_word"] == 0
                and figures["replies_over_a_count"] == 0
                and not self.problems
                and self.sessions_honest == self.sessions_checked)

"""A burst of commands never queues their replies: what is waiting to be said stays bounded.

Typed fast (or a stuck key), "how many left" two thousand times used to queue
every answer behind the one before: an hour of speech waiting, about 1 KB a
command held by the runner, and the coach's next instruction said only after
it. A newer command makes the replies not yet started stale: they are
dropped, the one playing ends, and only the newest answer is said. Counted
here as queued items, never as time or bytes.
"""

from __future__ import annotations

from coach.core.actions import Action, DropLines, Say
from coach.core.events import Event, SpeechStarted
from coach.core.session import Session
from coach.core.states import State
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.runtime.keys_mode import keys_voice
from coach.settings import Settings
from coach.runtime.scripted_session import SessionHarness
from coach.spoken_text import load_lines

BURST = 2000
MOST_WAITING = 12  # a line playing, the newest reply's lines, their starts and ends


def _keys_run(started: list[SpeechStarted] | None = None) -> tuple[SessionHarness, list[str]]:
    """Keys mode's voice on a simulated clock; ``started`` gets each line's SpeechStarted."""
    printed: list[str] = []
    session = Session(load_bundled("medial-knee"), settings=Settings(), side=Side.LEFT, lines=load_lines())
    text = keys_voice(session.settings, write=printed.append)

    def voice(action: Action, now: float) -> list[Event]:
        events = text(action, now)
        if started is not None:
            started.extend(e for e in events if isinstance(e, SpeechStarted))
        return events

    return SessionHarness(session, voice=voice).start(), printed


def test_a_burst_of_typed_commands_leaves_only_a_few_lines_waiting() -> None:
    run, printed = _keys_run()
    run.advance(1.0)
    for _ in range(BURST):
        run.type_line("how many left")
    answered = sum("5 exercises left after this one." in line for line in printed)
    assert answered == BURST  # every command is answered on the screen at once
    assert run.runner.waiting <= MOST_WAITING, f"{run.runner.waiting} events queued"


def test_the_voice_says_the_first_answer_and_the_newest_one_only() -> None:
    run, _ = _keys_run()
    run.advance(1.0)
    mark = len(run.actions)
    for _ in range(5):
        run.type_line("how many left")
    replies = [s for s in run.says(mark) if s.at is None]
    dropped = {i for _, a in run.actions[mark:] if isinstance(a, DropLines) for i in a.ids}
    kept = [s.text for s in replies if s.id not in dropped]
    assert len(replies) == 10  # two lines each
    assert len(kept) <= 4, kept  # the one playing (and its second line), and the newest answer
    assert kept[-2:] == [replies[-2].text, replies[-1].text]


def test_the_opening_goes_on_soon_after_a_burst() -> None:
    started: list[SpeechStarted] = []
    run, _ = _keys_run(started)
    run.advance(1.0)
    for _ in range(200):
        run.type_line("how many left")
    burst_at, mark = run.now, len(run.actions)
    run.advance(30.0)  # a burst of status answers must not hold the session for an hour
    opening = {s.id for s in run.says(mark) if s.at is None}
    begun = [e.at for e in started if e.utterance_id in opening]
    assert begun and begun[0] < burst_at + 30.0, "the opening waited behind the burst"


def test_counts_and_instructions_are_never_dropped() -> None:
    run, _ = _keys_run()
    run.to_ready()
    run.hear("go")
    run.until_said("Lift.")
    mark = len(run.actions)
    for _ in range(30):
        run.type_line("how many left")
        run.advance(0.1)
    run.until_state(State.RESTING, limit=300)
    dropped = {i for _, a in run.actions if isinstance(a, DropLines) for i in a.ids}
    beats = [s for s in run.says(mark) if isinstance(s, Say) and s.at is not None]
    assert beats and not dropped & {s.id for s in beats}
    texts = {s.id: s.text for s in run.says()}
    assert dropped and all(texts[i].endswith("to go.") for i in dropped)  # status answers only

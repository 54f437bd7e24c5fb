"""The recogniser hears what the session says fits the moment, and its question."""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.commands.intents import Intent
from coach.core.session import Session
from coach.core.states import State
from coach.program.loader import load_bundled
from coach.runtime.listen_for import ListenFor
from coach.runtime.scripted_session import SessionHarness
from coach.settings import Settings
from coach.spoken_text import load_lines


@dataclass
class Ears:
    """Stands in for the Listener at the edge: records what it is told."""

    told: list[tuple[frozenset[Intent] | None, str]] = field(default_factory=list)
    focus: frozenset[Intent] | None = None
    decisive: frozenset[Intent] = frozenset()
    sound_alikes: frozenset[Intent] = frozenset()
    answers: frozenset[Intent] = frozenset()

    def expect(self, intents: frozenset[Intent] | None, question: str = "",
               focus: frozenset[Intent] | None = None,
               decisive: frozenset[Intent] = frozenset(),
               sound_alikes: frozenset[Intent] = frozenset(),
               answers: frozenset[Intent] = frozenset()) -> None:
        self.told.append((intents, question))
        self.focus = focus
        self.decisive = decisive
        self.sound_alikes = sound_alikes
        self.answers = answers


def test_the_question_and_its_answers_reach_the_recogniser() -> None:
    ears = Ears()
    listen = ListenFor(ears)
    session = Session(load_bundled("medial-knee"), settings=Settings(), lines=load_lines())  # no side: it asks
    SessionHarness(session, sinks=[listen]).start().advance(40.0)
    intents, question = ears.told[-1]
    assert question == "Which knee hurts, left or right?"
    assert intents is not None and {Intent.LEFT, Intent.RIGHT, Intent.STOP} <= intents
    assert Intent.NUMBER not in intents
    # Most likely said: the answers and what always works, not "next".
    assert ears.focus is not None and {Intent.LEFT, Intent.RIGHT, Intent.STOP} <= ears.focus
    assert Intent.NEXT not in ears.focus
    # The question's own answers: all a word told by its sound alone may give there.
    assert ears.answers == {Intent.LEFT, Intent.RIGHT}


def test_a_recogniser_that_comes_later_hears_the_moment_at_once() -> None:
    listen = ListenFor()
    session = Session(load_bundled("medial-knee"), settings=Settings(), lines=load_lines())
    SessionHarness(session, sinks=[listen]).start().advance(40.0)
    ears = Ears()
    listen.attach(ears)
    assert ears.told == [(listen.last.intents, "Which knee hurts, left or right?")]  # type: ignore[union-attr]


def test_only_the_answers_that_end_the_session_are_decisive() -> None:
    """ "yes" or "stop" to "End the session?" ends it: the recogniser is told to take
    them only when sure. Nothing else, anywhere, is held to that."""
    ears = Ears()
    session = Session(load_bundled("medial-knee"), settings=Settings(), lines=load_lines())
    harness = SessionHarness(session, sinks=[ListenFor(ears)]).start()
    harness.advance(40.0)
    assert ears.decisive == frozenset()
    harness.hear("stop")
    assert ears.told[-1][1].endswith("End the session?")
    assert ears.decisive == {Intent.YES, Intent.STOP}
    harness.hear("no")
    assert ears.decisive == frozenset()


def test_stop_s_misspellings_are_taken_only_while_a_set_is_counted() -> None:
    """Whisper's "Start." for a "stop" it did not catch whole is stop during a
    set, where "start" means nothing; at "Say go" it could mean go."""
    ears = Ears()
    session = Session(load_bundled("medial-knee"), settings=Settings(side="left"),
                      lines=load_lines())
    harness = SessionHarness(session, sinks=[ListenFor(ears)]).start()
    harness.to_ready()
    assert ears.sound_alikes == frozenset()
    harness.hear("go")
    harness.until_state(State.WORKING)
    assert ears.sound_alikes == {Intent.STOP}
    harness.hear("stop")
    assert ears.sound_alikes == frozenset()

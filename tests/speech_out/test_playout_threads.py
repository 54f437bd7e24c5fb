"""The playout used as an audio callback would use it: one thread pulls blocks
while another submits actions. Nothing is lost, nothing is reported twice."""

from __future__ import annotations

import threading

import numpy as np

from coach.core.actions import Cue, CueKind, Priority, Say, SayKind, StopSpeaking
from coach.core.events import Event, SpeechDone, SpeechStarted
from coach.speech_out.playout import Playout

JOIN_LIMIT_SECONDS = 120.0  # a hang guard only


def test_pulling_and_submitting_from_two_threads(playout: Playout) -> None:
    playout.warm([str(n) for n in range(1, 21)])
    blocks: list[np.ndarray] = []
    events: list[Event] = []
    failures: list[BaseException] = []
    submitted = threading.Event()

    def callback() -> None:  # the audio side: pull 10 ms blocks until everything is played
        try:
            while not submitted.is_set() or playout.busy:
                blocks.append(playout.pull(160))
                events.extend(playout.drain_events())
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    def runtime() -> None:
        try:
            for i in range(200):
                now = playout.next_sample_at()
                if i % 50 == 49:
                    events.extend(playout.submit(StopSpeaking(), now))
                elif i % 7 == 0:
                    playout.submit(Cue(CueKind.BEAT, at=now + 0.05), now)
                else:
                    say = Say(str(i % 20 + 1), i, Priority(i % 3), now + 0.02 * (i % 4), SayKind.COUNT)
                    events.extend(playout.submit(say, now))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            submitted.set()

    threads = [threading.Thread(target=callback), threading.Thread(target=runtime)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(JOIN_LIMIT_SECONDS)
    assert not any(t.is_alive() for t in threads), "pull or submit hung"
    assert not failures, failures
    said = {i for i in range(200) if i % 50 != 49 and i % 7 != 0}
    done = [e.utterance_id for e in events if isinstance(e, SpeechDone)]
    started = [e.utterance_id for e in events if isinstance(e, SpeechStarted)]
    assert sorted(done) == sorted(said)  # exactly one end for every phrase
    assert len(started) == len(set(started)) and set(started) <= said
    assert all(len(b) == 160 and b.dtype == np.int16 for b in blocks)

"""The placement rules, in samples, without audio (phrases are blocks of given length)."""

from __future__ import annotations

import numpy as np

from coach.core.actions import Priority, Say
from coach.speech_out.timeline import FADE, PhraseTimeline, ScheduledPhrase

_seq = iter(range(10**6))


def seg(uid: int, length: int, priority: Priority = Priority.NORMAL) -> ScheduledPhrase:
    return ScheduledPhrase(Say(f"phrase {uid}", uid, priority), np.ones(length, np.int16), next(_seq),
                   fixed=False)


def placed(t: PhraseTimeline) -> list[tuple[int, int, int]]:
    return [(s.say.id, s.start, s.end) for s in t.segments]


def test_asap_phrases_queue_in_order() -> None:
    t = PhraseTimeline()
    t.add_asap(seg(1, 100), 0, 0)
    t.add_asap(seg(2, 50), 0, 0)
    assert placed(t) == [(1, 0, 100), (2, 100, 150)]


def test_asap_fills_a_gap_before_a_beat_when_it_fits() -> None:
    t = PhraseTimeline()
    t.add_fixed(seg(1, 100), 500, 0)
    t.add_asap(seg(2, 200), 0, 0)
    t.add_asap(seg(3, 400), 0, 0)  # does not fit before the beat: goes after it
    assert placed(t) == [(2, 0, 200), (1, 500, 600), (3, 600, 1000)]


def test_a_beat_postpones_asap_phrases_of_equal_priority() -> None:
    t = PhraseTimeline()
    t.add_asap(seg(1, 100), 0, 0)
    t.add_asap(seg(2, 100), 0, 0)
    dropped = t.add_fixed(seg(3, 100), 150, 50)  # phrase 1 is playing
    assert dropped == []
    assert placed(t) == [(1, 0, 100), (3, 150, 250), (2, 250, 350)]


def test_an_asap_line_goes_after_a_planned_count_rather_than_drop_it() -> None:
    """A count handed over just before a reply was asked for is still said, first:
    the session holds the count for the reply, but cannot take back a beat the
    voice already has (a soak found "how many left" answered on a beat, and that
    count missing from the set)."""
    t = PhraseTimeline()
    count = seg(1, 100, Priority.COUNT)
    t.add_fixed(count, 300, 0)
    assert t.add_asap(seg(2, 500), 0, 0) == []
    assert placed(t) == [(1, 300, 400), (2, 400, 900)]


def test_an_asap_line_at_a_count_due_on_the_same_sample_waits_for_it() -> None:
    t = PhraseTimeline()
    count = seg(1, 100, Priority.COUNT)
    t.add_fixed(count, 300, 300)  # due where the speaker is: not started yet
    assert t.add_asap(seg(2, 500), 300, 300) == []
    assert placed(t) == [(1, 300, 400), (2, 400, 900)]



def test_a_count_never_moves_and_is_dropped_under_an_instruction() -> None:
    t = PhraseTimeline()
    t.add_asap(seg(1, 500), 0, 0)
    count = seg(2, 100, Priority.COUNT)
    assert t.add_fixed(count, 200, 100) == [count]
    assert placed(t) == [(1, 0, 500)]


def test_a_playing_count_is_faded_where_the_next_beat_starts() -> None:
    t = PhraseTimeline()
    t.add_fixed(seg(1, 300, Priority.COUNT), 0, 0)
    t.add_fixed(seg(2, 300, Priority.COUNT), 250, 50)
    assert placed(t) == [(1, 0, 250), (2, 250, 550)]
    assert t.segments[0].fade == FADE
    t.add_fixed(seg(3, 300, Priority.COUNT), 500, 450)  # only 50 samples left to fade over
    assert placed(t)[1:] == [(2, 250, 500), (3, 500, 800)] and t.segments[1].fade == 50


def test_an_earlier_beat_that_mostly_fits_is_shortened_not_dropped() -> None:
    t = PhraseTimeline()
    t.add_fixed(seg(2, 100, Priority.COUNT), 280, 0)
    assert t.add_fixed(seg(1, 300, Priority.COUNT), 0, 0) == []
    assert placed(t) == [(1, 0, 280), (2, 280, 380)]


def test_urgent_cuts_within_a_fade_and_pushes_the_queue_after_it() -> None:
    t = PhraseTimeline()
    t.add_asap(seg(1, 1000), 0, 0)
    t.add_asap(seg(2, 100), 0, 0)
    count = seg(3, 100, Priority.COUNT)
    t.add_fixed(count, 1200, 0)
    dropped = t.add_urgent(seg(4, 300, Priority.URGENT), 400, 400)
    assert placed(t) == [(1, 0, 400 + FADE), (4, 400 + FADE, 700 + FADE), (2, 700 + FADE, 800 + FADE),
                         (3, 1200, 1300)]
    assert dropped == []


def test_stop_fades_what_plays_and_drops_the_rest() -> None:
    t = PhraseTimeline()
    t.add_asap(seg(1, 1000), 0, 0)
    later = seg(2, 100)
    t.add_asap(later, 0, 0)
    assert t.stop(300, 300) == [later]
    assert placed(t) == [(1, 0, 300 + FADE)]
    assert t.finished(300 + FADE - 1) == []
    assert [s.say.id for s in t.finished(300 + FADE)] == [1] and t.segments == []


def test_phrases_never_overlap_and_beats_never_move() -> None:
    rng = np.random.default_rng(7)
    t = PhraseTimeline()
    played = 0
    beats: dict[int, int] = {}
    for i in range(300):
        played += int(rng.integers(0, 200))
        kind = rng.integers(0, 4)
        s = seg(i, int(rng.integers(50, 800)), Priority(int(rng.integers(0, 3))))
        if kind == 0:
            beats[i] = played + int(rng.integers(0, 1000))
            t.add_fixed(s, beats[i], played)
        elif kind == 1 and s.priority == Priority.URGENT:
            t.add_urgent(s, played, played)
        elif kind == 2:
            t.stop(played, played)
        else:
            t.add_asap(s, played, played)
        t.finished(played)
        ordered = sorted(t.segments, key=lambda x: x.start)
        for a, b in zip(ordered, ordered[1:]):  # noqa: RUF007
            assert a.end <= b.start, (a, b)
        assert all(x.end > x.start for x in t.segments)
        assert all(x.start == beats[x.say.id] for x in t.segments if x.say.id in beats)

"""The live coach's ears show each rejected utterance once, however many there were."""

from __future__ import annotations

from coach.runtime.live_microphone import DecisionsSeen


def test_each_decision_is_new_once_even_past_the_recognisers_hundred() -> None:
    kept: list[object] = []  # the recogniser keeps its last hundred decisions, newest last
    seen = DecisionsSeen()
    shown: list[object] = []
    for n in range(250):
        kept.append(n)
        del kept[:-100]
        if n % 7 == 0:  # looked at now and then, several new each time
            shown += seen.new(kept)  # type: ignore[arg-type]
    shown += seen.new(kept)  # type: ignore[arg-type]
    assert shown == list(range(250))
    assert seen.new(kept) == []  # type: ignore[arg-type]
    kept.clear()  # the recogniser was reset
    kept.append("after")
    assert seen.new(kept) == ["after"]  # type: ignore[arg-type]

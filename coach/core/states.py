"""Session states, and the diagram of how one leads to another.

::

    OPENING ──lines done──▶ ASK_RESUME? ──yes/no──▶ ASK_SIDE? ──left/right──▶ PLAN
    PLAN ──lines done──▶ INTRO
    INTRO ──steps done / next──▶ READY ──go──▶ WORKING (lead-in, reps, holds)
    WORKING ──set done──▶ RESTING ──rest over──▶ WORKING
    WORKING ──last set done──▶ ASK_PAIN ──rating──▶ INTRO (next exercise) | SUMMARY
    INTRO/READY/WORKING/RESTING ──pause──▶ PAUSED ──go──▶ (back where it was)
    (any live state) ──"it hurts"──▶ ASK_PAIN ──0..2──▶ (back where it was)
                                              ──3..5──▶ PAUSED
                                              ──above 5──▶ PAIN_STOPPED ──easier──▶ READY
                                                                        ──next──▶ INTRO | SUMMARY
                                              ──above 5 twice──▶ CONFIRM_STOP
    INTRO/READY/WORKING/RESTING/PAUSED ──a rating said unasked──▶ as after ASK_PAIN
    (any live state) ──stop──▶ CONFIRM_STOP ──yes──▶ SUMMARY ──lines done──▶ ENDED
                                            ──no──▶ (back where it was)

Questions (ASK_*, CONFIRM_STOP, READY, PAUSED, PAIN_STOPPED) wait for an
answer, re-prompt once after a silence, then wait quietly.

The moves themselves are declared where they are made: each command's in
``dispatch.TABLE``, the ones the session makes by itself in
``flow.ON_ITS_OWN``; ``transitions`` derives the whole table from the two.
"""

from __future__ import annotations

import enum


class State(enum.Enum):
    """Where the session is; see the diagram above."""

    # Members are singletons, equal only to themselves: hashed by identity, in C
    # (Enum's own hash is a Python call, and every tick looks a state up in a set).
    __hash__ = object.__hash__

    OPENING = "opening"
    ASK_RESUME = "ask-resume"
    ASK_SIDE = "ask-side"
    PLAN = "plan"
    INTRO = "intro"
    READY = "ready"
    WORKING = "working"
    RESTING = "resting"
    PAUSED = "paused"
    ASK_PAIN = "ask-pain"
    PAIN_STOPPED = "pain-stopped"
    CONFIRM_STOP = "confirm-stop"
    SUMMARY = "summary"
    ENDED = "ended"


# Lines read out one after another, each after the last one ended.
NARRATION = frozenset({State.OPENING, State.PLAN, State.INTRO, State.SUMMARY})
# Counted on the clock, beat by beat.
TIMED = frozenset({State.WORKING, State.RESTING})
# What a pause, a stop or a pain question can hold and carry on from.
FREEZABLE = NARRATION | TIMED | {State.READY}
# Waiting for an answer: re-asked once after a silence, then waiting quietly.
QUESTIONS = frozenset(
    {
        State.ASK_RESUME,
        State.ASK_SIDE,
        State.ASK_PAIN,
        State.CONFIRM_STOP,
        State.READY,
        State.PAUSED,
        State.PAIN_STOPPED,
    }
)
# The session under way: where carrying on after a stop question or a pain rating may lead.
LIVE = frozenset(State) - {State.CONFIRM_STOP, State.SUMMARY, State.ENDED}

"""Session states and the transitions between them, in one table.

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
"""

from __future__ import annotations

import enum

from coach.errors import CoachError


class State(enum.Enum):
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


S = State
LIVE = frozenset(
    {
        S.OPENING,
        S.ASK_RESUME,
        S.ASK_SIDE,
        S.PLAN,
        S.INTRO,
        S.READY,
        S.WORKING,
        S.RESTING,
        S.PAUSED,
        S.ASK_PAIN,
        S.PAIN_STOPPED,
    }
)

# state -> states it may move to. Anything else is a bug in the session.
TRANSITIONS: dict[State, frozenset[State]] = {
    S.OPENING: frozenset({S.ASK_RESUME, S.ASK_SIDE, S.PLAN, S.PAUSED, S.CONFIRM_STOP, S.ASK_PAIN}),
    S.ASK_RESUME: frozenset({S.ASK_SIDE, S.PLAN, S.CONFIRM_STOP, S.ASK_PAIN}),
    S.ASK_SIDE: frozenset({S.PLAN, S.CONFIRM_STOP, S.ASK_PAIN}),
    S.PLAN: frozenset({S.INTRO, S.PAUSED, S.CONFIRM_STOP, S.ASK_PAIN, S.SUMMARY}),
    S.INTRO: frozenset({S.READY, S.PAUSED, S.CONFIRM_STOP, S.ASK_PAIN, S.PAIN_STOPPED}),
    S.READY: frozenset(
        {S.WORKING, S.INTRO, S.PAUSED, S.CONFIRM_STOP, S.ASK_PAIN, S.PAIN_STOPPED, S.SUMMARY}
    ),
    S.WORKING: frozenset({S.RESTING, S.ASK_PAIN, S.PAUSED, S.CONFIRM_STOP, S.PAIN_STOPPED}),
    S.RESTING: frozenset({S.WORKING, S.PAUSED, S.CONFIRM_STOP, S.ASK_PAIN, S.PAIN_STOPPED}),
    S.PAUSED: frozenset(
        {
            S.OPENING,
            S.PLAN,
            S.INTRO,
            S.READY,
            S.WORKING,
            S.RESTING,
            S.CONFIRM_STOP,
            S.ASK_PAIN,
            S.PAIN_STOPPED,
        }
    ),
    S.ASK_PAIN: frozenset(LIVE | {S.CONFIRM_STOP, S.SUMMARY}),
    S.PAIN_STOPPED: frozenset({S.READY, S.INTRO, S.SUMMARY, S.CONFIRM_STOP, S.ASK_PAIN}),
    S.CONFIRM_STOP: frozenset(LIVE | {S.SUMMARY}),
    S.SUMMARY: frozenset({S.ENDED}),
    S.ENDED: frozenset(),
}

QUESTIONS = frozenset(
    {S.ASK_RESUME, S.ASK_SIDE, S.ASK_PAIN, S.CONFIRM_STOP, S.READY, S.PAUSED, S.PAIN_STOPPED}
)


def check_transition(old: State, new: State) -> None:
    """Refuse a move the table does not list (staying put is always allowed)."""
    if new is not old and new not in TRANSITIONS[old]:
        raise CoachError(
            f"session: cannot move from {old.value} to {new.value}. "
            "This is a bug in coach; please report it with the session log."
        )

"""What a pain rating leads to, and going back to an interrupted question.

The rules themselves (bands, the per-session limit) are in ``pain``; this
module applies them to the session: carry on, pause with an offer of the
easier level, stop the exercise, or advise stopping for today.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from coach.core import flow, interrupt
from coach.core.actions import Priority
from coach.core.pain import HIGH_PER_SESSION_LIMIT, PainBand, PainWhen, band
from coach.core.records import PainRated
from coach.core.states import State

if TYPE_CHECKING:
    from coach.core.session import Session


def ask_pain(s: Session, when: PainWhen) -> None:
    s._pain_when = when
    text = s.lines.get("ask_pain")
    if when is PainWhen.DURING:
        text = f"{s.lines.get('pain_stop_now')} {text}"
        s._ask(State.ASK_PAIN, text, priority=Priority.URGENT)
    else:
        s._ask(State.ASK_PAIN, text)


def pain_choice(s: Session) -> str:
    ex = s.exercise
    if ex is not None and s.levels[ex.id] > 0:
        return s.lines.get("pain_high_choice")
    return s.lines.get("pain_high_skip")


def apply_rating(s: Session, value: int) -> None:
    """Apply the pain model to a rating of ``value`` (0..10)."""
    ex = s.exercise
    when = s._pain_when
    s.progress.pain.append(
        {"exercise": ex.id if ex else None, "rating": value, "when": when.value, "at": s._now}
    )
    s._log(PainRated(s._now, ex.id if ex else None, value, when))
    level = band(value)
    if level is PainBand.TOO_MUCH and s.progress.high_pain_count() >= HIGH_PER_SESSION_LIMIT:
        s._stop_advised = True
        s._stop_return = None
        s._frozen = None
        s._tl = None
        s._ask(State.CONFIRM_STOP, s.lines.get("pain_twice"), priority=Priority.URGENT)
        return
    if when is PainWhen.AFTER_EXERCISE:
        key = {PainBand.SAFE: "pain_safe", PainBand.ACCEPTABLE: "pain_ok"}.get(
            level, "pain_high_after"
        )
        s._say(s.lines.get(key))
        flow.next_exercise(s)
        return
    if level is PainBand.TOO_MUCH:
        s._frozen = None
        s._tl = None
        s._say(s.lines.get("pain_high"), priority=Priority.URGENT)
        s._ask(State.PAIN_STOPPED, pain_choice(s))
        return
    back = s._pain_return
    s._pain_return = None
    if level is PainBand.SAFE:
        s._say(s.lines.get("pain_safe"))
        if s._frozen is not None:
            interrupt.thaw(s)
        else:
            reask(s, back)
        return
    if s._frozen is not None:
        ex_now = s.exercise
        can_ease = ex_now is not None and s.levels[ex_now.id] > 0
        s._ask(State.PAUSED, s.lines.get("pain_ok_easier" if can_ease else "pain_ok_during"))
    else:
        s._say(s.lines.get("pain_ok"))
        reask(s, back)


def reask(s: Session, state: State | None) -> None:
    """Go back to a question that was interrupted, and ask it again."""
    if state is State.ASK_RESUME:
        flow.after_opening(s)
    elif state is State.ASK_SIDE:
        s._ask(State.ASK_SIDE, s.lines.get("ask_side"))
    elif state is State.ASK_PAIN:
        ask_pain(s, s._pain_when)
    elif state is State.PAIN_STOPPED:
        s._ask(State.PAIN_STOPPED, pain_choice(s))
    elif state is State.PAUSED:
        s._ask(State.PAUSED, s.lines.get("paused"))
    elif state is State.READY:
        s._ask(State.READY, s.lines.get("start_prompt"))
    elif s._frozen is not None:
        interrupt.thaw(s)
    else:
        flow.start_exercise(s)

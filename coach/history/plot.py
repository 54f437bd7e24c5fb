"""A picture of pain and adherence over time, for a physiotherapist or a sighted helper.

matplotlib is an optional extra (``coach[plot]``): without it, one clear
error says how to install it.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from coach.core.pain import ACCEPTABLE_MAX
from coach.errors import CoachError
from coach.history.read import SessionRecord


class PlotUnavailable(CoachError):
    """The plot cannot be drawn (matplotlib missing, nothing to draw, file not writable)."""


def plot(sessions: Sequence[SessionRecord], path: Path) -> Path:
    """Draw max pain and the share of planned sets done, per session, into ``path``."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only: no window, no display needed
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise PlotUnavailable(
            "Drawing the plot needs matplotlib, which is not installed. Install it with: "
            f"{sys.executable} -m pip install 'matplotlib>=3.7'  (or: pip install 'coach[plot]')"
        ) from exc
    ordered = sorted(sessions, key=lambda session: (session.started_wall, session.id))
    if not ordered:
        raise PlotUnavailable("There are no sessions to plot yet. Do a session first.")
    dates = [datetime.fromtimestamp(session.started_wall) for session in ordered]
    days = list(zip(dates, ordered))
    rated = [(day, session.max_pain) for day, session in days if session.max_pain is not None]
    adherence = [
        (day, 100.0 * session.sets_done / session.sets_planned)
        for day, session in days
        if session.sets_planned
    ]
    fig, (pain_ax, sets_ax) = plt.subplots(2, 1, sharex=True, figsize=(8, 6))
    try:
        if rated:
            pain_ax.plot([day for day, _ in rated], [pain for _, pain in rated], marker="o")
        pain_ax.axhline(ACCEPTABLE_MAX, linestyle="--", color="grey", label="acceptable limit")
        pain_ax.set_ylim(0, 10)
        pain_ax.set_ylabel("Highest pain (0-10)")
        pain_ax.legend(loc="upper right")
        pain_ax.set_title("Knee pain and sets done, per session")
        if adherence:
            percents = [percent for _, percent in adherence]
            sets_ax.bar([day for day, _ in adherence], percents, width=0.6)
        sets_ax.set_ylim(0, 105)
        sets_ax.set_ylabel("Planned sets done (%)")
        fig.autofmt_xdate()
        fig.tight_layout()
        image = io.BytesIO()
        fig.savefig(image, format="png", dpi=100)
    finally:
        plt.close(fig)
    try:
        # Pain over time is health data: a new file is readable by its owner only.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(image.getvalue())
    except OSError as exc:
        raise PlotUnavailable(f"Cannot write the plot to {path}: {exc.strerror or exc}.") from exc
    return path

"""The largest dose a program may ask for.

A program file is data a person may write by hand, and the session plans every
beat of a set in advance: a typing slip such as ``reps: 100000000`` would
plan a set lasting years, hold gigabytes of beats, or overflow. Each limit
below is generous for a physiotherapy routine yet finite, so a file within
them always makes a session that can be led and shown.
"""

from __future__ import annotations

# Home routines give 1 to 5 sets; 20 leaves room for many short sets
# (balance or mobility work done as brief, frequent bouts).
MAX_SETS = 20

# High-repetition work (ankle pumps, heel slides, quadriceps sets) runs to
# 30 or 50 reps a set; 100 is twice the most a routine plausibly asks.
MAX_REPS = 100

# One phase of a rep, including a counted hold (s). Isometric holds and wall
# sits last up to a minute or two, and a low-load stretch up to 5 minutes;
# 10 minutes leaves room beyond that.
MAX_PHASE_SECONDS = 600.0

# Rest between sets (s). Rests are usually 30 seconds to 3 minutes; after
# heavy work up to 5. 10 minutes is generous.
MAX_REST_SECONDS = 600.0

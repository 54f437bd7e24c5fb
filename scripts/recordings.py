"""Where the benchmarks and fitting scripts find the real recordings.

The folder beside the repository (``../shared/audio``), or the one named in
``$COACH_SHARED_AUDIO``; the tests read it from here too (tests/conftest.py).
Each script says plainly when it is absent and what it does instead.
"""

from __future__ import annotations

import os
from pathlib import Path

SHARED_AUDIO = Path(os.environ.get("COACH_SHARED_AUDIO")
                    or Path(__file__).resolve().parents[2] / "shared" / "audio")

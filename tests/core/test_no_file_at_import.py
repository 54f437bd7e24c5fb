"""The core reads no file when it is imported: its lines come in with the session."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import pkgutil, sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0]))
                 if event == "open" and str(args[0]).endswith(".yaml") else None)
import coach.core
for module in pkgutil.walk_packages(coach.core.__path__, "coach.core."):
    __import__(module.name)
import coach.spoken_text
print("\\n".join(opened))
"""


def test_importing_the_core_opens_no_data_file() -> None:
    run = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True)
    assert run.stdout.strip() == ""


def test_the_probe_sees_a_data_file_read_at_import() -> None:
    probe = PROBE.replace("import coach.spoken_text", "coach.spoken_text.load_lines()")
    run = subprocess.run([sys.executable, "-c", "import coach.spoken_text\n" + probe],
                         capture_output=True, text=True, check=True)
    assert "lines.yaml" in run.stdout

#!/usr/bin/env python3
"""How well "help" is recognised beside other commands, during a set (Whisper):
synthesised voices (espeak-ng at two speeds, Flite), each phrase once per voice."""
import subprocess
import tempfile
from pathlib import Path
from coach.core.expect import expected_intents
from coach.core.states import State
from coach.speech_in.command_listener import make_listener
from coach.speech_in.scripted import AudioTrack, stream
listener = make_listener("whisper")
words = {"help": "help", "what can I say": "help", "pause": "pause", "stop": "stop", "next": "next", "how many left": "status", "repeat": "repeat"}
voices = [("espeak-ng", v, s) for v in ("en-us", "en", "en+f3", "en+m7", "en-gb-scotland") for s in ("130", "170")]
flite = ["kal", "slt", "awb", "rms"]
tmp = Path(tempfile.mkdtemp())
res = {}
for phrase, intent in words.items():
    good = total = 0
    for i, (tool, v, s) in enumerate(voices + [("flite", f, None) for f in flite]):
        out = tmp / f"{i}.wav"
        if tool == "espeak-ng":
            subprocess.run(["espeak-ng", "-v", v, "-s", s, "-w", str(out), phrase], check=True)
        else:
            subprocess.run(["flite", "-voice", v, "-t", phrase, "-o", str(out)], check=True)
        tr = AudioTrack(4.0); tr.place_file(out, 0.5)
        listener.expect(expected_intents(State.WORKING), ""); listener.reset()
        got = [r.heard.intent.value for r in stream(listener, tr.pcm())]
        total += 1; good += got == [intent]
    res[phrase] = (good, total)
    print(f"{phrase!r}: {good} of {total}")

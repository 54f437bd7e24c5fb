"""coach: an offline, hands-free, voice-guided home exercise coach."""

import os

__version__ = "0.1.0"

# ONNX Runtime (which runs Silero VAD and the neural voice) records telemetry
# on Linux from version 1.29 on: a device identifier and events about the
# process, kept in ~/.cache/Microsoft and sent out when a network is there.
# coach keeps everything on the computer, so it is turned off before any part
# of coach can start the runtime; the runtime reads this once, at its start.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

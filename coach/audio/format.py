"""The coach's one audio format: 16 kHz mono signed 16-bit samples, in 10 ms blocks.

Speech out renders to it, the speaker plays it, the microphone records it,
the echo canceller compares the two sample for sample, and every recogniser
decodes it. With one rate everywhere nothing is resampled while the coach
runs (a recording at another rate is converted once, when it is read), and a
sample's number is its time: sample ``k`` of a stream plays ``k / RATE_HZ``
seconds after the stream's first.

The facts live here and nowhere else (``tests/audio/test_one_format.py``
finds any other module that writes the rate down itself).
"""

from __future__ import annotations

from typing import Final

import numpy as np

RATE_HZ: Final = 16000  # samples a second, mono
BLOCK_FRAMES: Final = 160  # samples in one 10 ms block: the audio callbacks', the pump's and the VAD's step
BLOCK_SECONDS: Final = BLOCK_FRAMES / RATE_HZ
SAMPLE_TYPE: Final = np.int16  # signed 16-bit; full scale is 32768

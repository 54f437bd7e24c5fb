"""sounddevice adapters: a speaker and a microphone whose callbacks only copy.

PortAudio calls the callbacks on its own real-time thread. Anything slow
there (rendering, mixing, Python allocation storms, a lock held by another
thread) turns into clicks and dropped frames, so:

- the speaker's callback copies frames out of a preallocated ring buffer that
  a pump thread fills from the playout ahead of time (silence when empty);
- the microphone's callback copies each block into a bounded queue together
  with the speaker's position at that moment, so frames can be dated on the
  session clock without asking any clock later.

Two separate streams, not one full-duplex stream: through ALSA's pulse plugin
a duplex stream proved unreliable, two simplex streams did not. The output
stream is opened first, because its start-up latency is what delays the
first spoken word.
"""

from __future__ import annotations

import queue
import sys
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from coach.audio.format import BLOCK_FRAMES, RATE_HZ, SAMPLE_TYPE
from coach.errors import CoachError

STREAM_DTYPE = np.dtype(SAMPLE_TYPE).name  # PortAudio's name for the sample type
RING_FRAMES = RATE_HZ  # 1 s of room; the pump keeps far less than that queued
# The microphone's block: 40 ms. Its PortAudio thread wakes half as often as with
# 20 ms blocks (live, listening in silence: the process 5% of a core against 6%);
# "stop" over the coach was obeyed as often and the voice cut as soon (README).
MIC_BLOCK_FRAMES = 4 * BLOCK_FRAMES
MIC_QUEUE_BLOCKS = 250  # 10 s of microphone audio waits for the runtime at most
SKIP_FADE_FRAMES = 32  # 2 ms: the fade-out of the sound a skip cuts off
CHECK_EVERY = 40  # checks of a stream's health between two questions to PortAudio
_FADE_OUT = np.linspace(1.0, 0.0, SKIP_FADE_FRAMES, endpoint=False, dtype=np.float32)
_FADE_IN = _FADE_OUT[::-1].copy()


class AudioDeviceError(CoachError):
    """A sound device is missing or could not be opened."""


@dataclass(frozen=True)
class DeviceInfo:
    index: int
    name: str
    host_api: str
    max_input_channels: int
    max_output_channels: int
    default_input: bool
    default_output: bool


def _sounddevice() -> Any:
    with _FIRST_IMPORT:
        try:
            import sounddevice
        except OSError as exc:  # PortAudio itself is missing
            raise AudioDeviceError(
                f"The audio library PortAudio could not be loaded ({exc}). Install it "
                "(Debian/Ubuntu: sudo apt-get install libportaudio2), or use 'coach start --keys'."
            ) from None
        global _probed_plugins_released
        if not _probed_plugins_released:
            _probed_plugins_released = True
            release_probed_alsa_plugins()
    return sounddevice


_FIRST_IMPORT = threading.Lock()
_probed_plugins_released = False


def release_probed_alsa_plugins() -> bool:
    """Unload the ALSA plugins PortAudio loaded only to list the devices.

    As it starts, PortAudio opens every PCM that ALSA's configuration defines
    to see what it can do (on Debian with the ALSA plugins installed: the
    a52 encoder, jack, oss, speex, upmix, ...), and ALSA keeps each plugin's
    library loaded: libavcodec with some 70 libraries behind it, about 11 MB
    resident for nothing (measured with the coach's two streams open: 48.6 ->
    37.9 MB in a process with only them). Freeing ALSA's global configuration
    once the list is made unloads them; the next stream opened reads the
    configuration again and loads its own plugin only. PortAudio keeps its own
    copy of the list. Called once, before any stream is open (``_sounddevice``);
    False where there is no ALSA (another system) or nothing was done.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes
        import ctypes.util

        name = ctypes.util.find_library("asound") or "libasound.so.2"
        asound = ctypes.CDLL(name)
        return int(asound.snd_config_update_free_global()) == 0
    except (OSError, AttributeError):
        return False


def list_devices() -> list[DeviceInfo]:
    """Every device PortAudio sees, with the default input and output marked."""
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        apis = sd.query_hostapis()
        default_in, default_out = sd.default.device
    except sd.PortAudioError as exc:
        raise AudioDeviceError(f"Could not list the sound devices ({exc}).") from None
    found = []
    for index, dev in enumerate(devices):
        found.append(
            DeviceInfo(
                index=index,
                name=str(dev["name"]),
                host_api=str(apis[dev["hostapi"]]["name"]),
                max_input_channels=int(dev["max_input_channels"]),
                max_output_channels=int(dev["max_output_channels"]),
                default_input=index == default_in,
                default_output=index == default_out,
            )
        )
    return found


def has_any_device() -> tuple[bool, str]:
    """Whether this computer has any sound device, and if not, why not."""
    try:
        devices = list_devices()
    except AudioDeviceError as exc:
        return False, str(exc)
    if not any(d.max_output_channels or d.max_input_channels for d in devices):
        return False, "no sound card or sound server was found."
    return True, ""


def pick_device(wanted: str | None, kind: str) -> int | None:
    """The index of the device to use for ``kind`` ("input" or "output").

    ``wanted`` is an index or part of a name; None means the default device.
    Returns None when there is no such device at all (so the caller can carry
    on without it); raises when a device was asked for by name and is absent.
    """
    devices = list_devices()
    channels = "max_input_channels" if kind == "input" else "max_output_channels"
    usable = [d for d in devices if getattr(d, channels) > 0]
    if wanted is None or wanted == "":
        default = [d for d in usable if getattr(d, f"default_{kind}")]
        if default:
            return default[0].index
        return usable[0].index if usable else None
    if wanted.isascii() and wanted.isdigit():  # "²" is a digit to isdigit, not to int
        for d in usable:
            if d.index == int(wanted):
                return d.index
    else:
        for d in usable:
            if wanted.lower() in d.name.lower():
                return d.index
    names = ", ".join(f"{d.index} {d.name}" for d in usable) or "none"
    raise AudioDeviceError(
        f"No {kind} device matches '{wanted}'. Devices with {kind}: {names}. "
        "Run 'coach devices' to list them."
    )


class Ring:
    """A single-producer, single-consumer ring of int16 frames.

    One thread writes, one reads; each index is written by one side only, so
    the two never wait for each other. ``read_into`` fills what it cannot
    serve with silence and counts the shortfall.
    """

    def __init__(self, capacity_frames: int = RING_FRAMES) -> None:
        self._buf = np.zeros(capacity_frames, dtype=SAMPLE_TYPE)
        self._cap = capacity_frames
        self._written = 0  # frames ever written (writer side)
        self._read = 0  # frames ever read (reader side)
        self.underrun_frames = 0
        self._skip_keep: int | None = None  # a skip asked for, done by the reader
        self.skips = 0  # skips done (reader side): each moved frames_read forward at once
        self.skipped_frames = 0
        self._fade_in_done = SKIP_FADE_FRAMES  # frames faded in after the last skip

    @property
    def queued(self) -> int:
        return self._written - self._read

    @property
    def frames_read(self) -> int:
        return self._read

    def space(self) -> int:
        return self._cap - self.queued

    def write(self, block: np.ndarray) -> int:
        n = min(len(block), self.space())
        start = self._written % self._cap
        first = min(n, self._cap - start)
        self._buf[start : start + first] = block[:first]
        if n > first:
            self._buf[: n - first] = block[first:n]
        self._written += n
        return n

    def skip(self, keep_frames: int) -> None:
        """Drop what is queued beyond ``keep_frames``, from the next read on.

        For a cut that must be heard at once ("stop"): the frames already
        written would otherwise play out first. The reader does the skip, so
        each index keeps one writer; the dropped frames count as read, so a
        frame's number still says which sample of the stream it is.
        """
        self._skip_keep = max(0, keep_frames)

    def read_into(self, out: np.ndarray) -> int:
        """Copy up to ``len(out)`` frames into ``out``; silence for the rest."""
        keep, self._skip_keep = self._skip_keep, None
        done = 0
        if keep is not None and self.queued > keep:
            # The sound playing now fades out over a couple of milliseconds, the
            # queue jumps ahead, and what follows fades in: no click either side.
            fade = min(SKIP_FADE_FRAMES, len(out), self.queued - keep)
            head = np.zeros(fade, dtype=SAMPLE_TYPE)
            self._copy_out(head, fade)
            out[:fade] = (head * _FADE_OUT[:fade]).astype(SAMPLE_TYPE)
            target = self._written - keep
            self.skipped_frames += target - self._read
            self.skips += 1
            self._read = target
            self._fade_in_done = 0
            done = fade
            out = out[fade:]
        want = len(out)
        n = min(want, self.queued)
        self._copy_out(out, n)
        if n < want:
            out[n:] = 0
            self.underrun_frames += want - n
        if self._fade_in_done < SKIP_FADE_FRAMES and n:
            k = min(n, SKIP_FADE_FRAMES - self._fade_in_done)
            ramp = _FADE_IN[self._fade_in_done : self._fade_in_done + k]
            out[:k] = (out[:k] * ramp).astype(SAMPLE_TYPE)
            self._fade_in_done += k
        return done + n

    def _copy_out(self, out: np.ndarray, n: int) -> None:
        start = self._read % self._cap
        first = min(n, self._cap - start)
        out[:first] = self._buf[start : start + first]
        if n > first:
            out[first:n] = self._buf[: n - first]
        self._read += n


class _Stream:
    """What a speaker and a microphone share: noticing that their stream
    stopped by itself (``failed``, with the reason said), and closing it."""

    _stopped = "the sound stream stopped"  # said when it fails
    _stream: Any
    failed: str | None
    _closing: bool
    _checks = 0  # calls of ``check``: the stream itself is asked every CHECK_EVERY

    def start(self) -> None:
        self._stream.start()

    def _finished(self) -> None:
        if not self._closing and self.failed is None:
            self.failed = self._stopped

    def check(self) -> str | None:
        """The reason the stream failed, or None while it works.

        A stream that stops says so itself (``finished_callback``); asking
        PortAudio too, in case it does not, is a call into the library, and
        the pump and the loop check every few milliseconds: it is asked once
        every ``CHECK_EVERY`` checks (about a second apart).
        """
        self._checks += 1
        if self._checks % CHECK_EVERY == 0 and self.failed is None and not self._closing \
                and not self._stream.active:
            self.failed = self._stopped
        return self.failed

    def close(self) -> None:
        self._closing = True
        try:
            self._stream.abort()
            self._stream.close()
        except Exception:  # noqa: BLE001, S110 - a vanished device may fail to close
            pass


class Speaker(_Stream):
    """An output stream that plays whatever is written to its ring.

    ``frames_played`` counts the written frames the device has taken: the
    playout position that is sounding now (give or take the device latency).
    ``failed`` is set (with a reason) when the stream reports an error or
    stops by itself; the pump notices and hands over to text.
    """

    _stopped = "the sound output stopped"

    def __init__(self, device: int | None, *, rate_hz: int = RATE_HZ,
                 block_frames: int = BLOCK_FRAMES, latency: str | float = "low") -> None:
        sd = _sounddevice()
        self.ring = Ring()
        self.wake = threading.Event()  # set after a callback: the pump may top up
        # The callback wakes the pump only once the ring holds this little or less
        # (None: after every callback); the pump sets it (coach.runtime.speaker_pump).
        self.wake_below_frames: int | None = None
        self.failed: str | None = None
        self.callbacks = 0
        self.first_callback = threading.Event()
        self._closing = False
        try:
            self._stream = sd.OutputStream(
                samplerate=rate_hz, channels=1, dtype=STREAM_DTYPE, device=device,
                blocksize=block_frames, latency=latency, callback=self._callback,
                finished_callback=self._finished,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise AudioDeviceError(
                f"The speaker could not be opened ({exc}). Check 'coach devices', or use "
                "'coach start --keys' to read the coach's words instead."
            ) from None
        self.latency_seconds = float(self._stream.latency)

    @property
    def frames_played(self) -> int:
        return self.ring.frames_read

    def _callback(self, outdata: np.ndarray, frames: int, time: Any, status: Any) -> None:
        ring = self.ring
        ring.read_into(outdata[:, 0])
        self.callbacks += 1
        if not self.first_callback.is_set():
            self.first_callback.set()
        below = self.wake_below_frames
        if below is None or ring.queued <= below:
            self.wake.set()

    def _finished(self) -> None:
        super()._finished()
        self.wake.set()  # the pump notices at once


@dataclass(frozen=True)
class MicBlock:
    samples: np.ndarray  # int16 mono
    speaker_frame: int | None  # the speaker's frames_played when it arrived (None: no speaker)
    overflow: bool  # PortAudio dropped input before this block
    speaker_skips: int = 0  # the speaker's skips so far: a new one means its frames jumped


class Microphone(_Stream):
    """An input stream that queues each block, dated by the speaker's position.

    ``wake`` is set once ``wake_every`` blocks are queued: the loop that
    takes the blocks waits on it rather than looking every few milliseconds,
    and while nothing is being said it asks to be woken every few blocks
    instead of every one (``coach.runtime.live_microphone``).
    """

    _stopped = "the microphone stopped"

    def __init__(self, device: int | None, speaker: Speaker | None, *,
                 rate_hz: int = RATE_HZ, block_frames: int = MIC_BLOCK_FRAMES,
                 wake: threading.Event | None = None) -> None:
        sd = _sounddevice()
        self.wake = wake if wake is not None else threading.Event()
        self.wake_every = 1  # blocks queued before the loop is woken (set by the loop)
        self.blocks: queue.Queue[MicBlock] = queue.Queue(maxsize=MIC_QUEUE_BLOCKS)
        self.dropped_blocks = 0
        self.overflows = 0
        self.failed: str | None = None
        self._speaker = speaker
        self._closing = False
        try:
            self._stream = sd.InputStream(
                samplerate=rate_hz, channels=1, dtype=STREAM_DTYPE, device=device,
                blocksize=block_frames, latency="low", callback=self._callback,
                finished_callback=self._finished,
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise AudioDeviceError(
                f"The microphone could not be opened ({exc}). Check 'coach devices', or "
                "type your commands instead."
            ) from None

    def _callback(self, indata: np.ndarray, frames: int, time: Any, status: Any) -> None:
        overflow = bool(status.input_overflow)
        if overflow:
            self.overflows += 1
        speaker = self._speaker
        block = MicBlock(indata[:, 0].copy(), speaker.frames_played if speaker else None,
                         overflow, speaker.ring.skips if speaker else 0)
        try:
            self.blocks.put_nowait(block)
        except queue.Full:
            self.dropped_blocks += 1
        if self.blocks.qsize() >= self.wake_every:
            self.wake.set()


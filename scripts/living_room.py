"""A living room for the benchmarks: a person 1.5-3.5 m from the laptop, in a room that echoes.

Seeded image-source impulse responses (pyroomacoustics): a shoebox room
3.5-6 x 3-5 x 2.4-2.8 m, reverberation time (RT60, Sabine) 0.3-0.7 s, the
microphone on a table or shelf (0.7-1.0 m high) near a wall, the talker
1.5-3.5 m away with the mouth 0.4-1.7 m above the floor (lying down to
standing). The same seed gives the same rooms on every machine.

A clip said in the room is the dry recording convolved with one of the
rooms, brought back to the dry clip's level (as a laptop's input gain
would), with its reverberant tail kept. Real background noise is then laid
under it at a given SNR (speech power over the clip's length, as
``mix_at_snr``), running through the whole timeline: a fan or a television
is on before the person speaks and after.

    from living_room import Rooms, across_room, bed_for
    rooms = Rooms(count=16, seed=17)
    wet = rooms.say(pcm, key="speech_commands/go/abc_nohash_0.wav")
    path = "speech_commands/go/abc_nohash_0.wav"
    mic = across_room(rooms, pcm, path, bed_for(noise_clips, path), 20.0)

Every benchmark, fitting script and test that places a clip in a room or
under noise does it with these helpers, so each hears it the same way.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from coach.audio.format import RATE_HZ
from coach.speech_in.scripted import AudioTrack

INSTALL_HINT = ("The living-room rows need pyroomacoustics: "
                ".venv/bin/python -m pip install -e '.[bench]'")


@dataclass(frozen=True)
class Room:
    dims: tuple[float, float, float]  # m
    rt60: float  # s, the target (Sabine)
    distance: float  # m, talker to microphone
    talker_height: float  # m
    impulse: np.ndarray  # float64, at RATE_HZ


def available() -> bool:
    try:
        import pyroomacoustics  # noqa: F401
    except ImportError:
        return False
    return True


def _draw_room(rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """A shoebox room's size (m) and reverberation time (s)."""
    dims = np.array([rng.uniform(3.5, 6.0), rng.uniform(3.0, 5.0), rng.uniform(2.4, 2.8)])
    return dims, float(rng.uniform(0.3, 0.7))


def _draw_mic(rng: np.random.Generator, dims: np.ndarray) -> np.ndarray:
    """The microphone near a wall, at table height (a laptop's)."""
    return np.array([rng.uniform(0.5, dims[0] - 0.5), rng.uniform(0.3, 0.6), rng.uniform(0.7, 1.0)])


def _impulse(dims: np.ndarray, rt60: float, mic: np.ndarray, source: np.ndarray) -> np.ndarray:
    """The image-source impulse response from ``source`` to ``mic``, at RATE_HZ."""
    import pyroomacoustics as pra

    absorption, max_order = pra.inverse_sabine(rt60, dims)
    room = pra.ShoeBox(dims, fs=RATE_HZ, materials=pra.Material(absorption), max_order=max_order)
    room.add_microphone(mic)
    room.add_source(source)
    room.compute_rir()
    return np.asarray(room.rir[0][0], dtype=np.float64)


def _through(pcm: np.ndarray, impulse: np.ndarray, length: int, power_over: int) -> np.ndarray:
    """``pcm`` through ``impulse``, ``length`` samples of it, at the power ``pcm`` has,
    measured over the first ``power_over`` samples of each (float64)."""
    from scipy.signal import fftconvolve

    dry = pcm.astype(np.float64)
    wet = fftconvolve(dry, impulse)[:length]
    p_dry = float(np.mean(dry[:power_over] ** 2))
    p_wet = float(np.mean(wet[:power_over] ** 2))
    return wet * np.sqrt(p_dry / p_wet) if p_wet > 0 else wet


def make_room(rng: np.random.Generator) -> Room:
    """One seeded room, talker and microphone placed inside it."""
    dims, rt60 = _draw_room(rng)
    while True:  # a talker position at the wanted distance, inside the room
        mic = _draw_mic(rng, dims)
        distance = float(rng.uniform(1.5, 3.5))
        height = float(rng.uniform(0.4, 1.7))
        horizontal = np.sqrt(max(0.0, distance**2 - (height - mic[2]) ** 2))
        angle = rng.uniform(0.15 * np.pi, 0.85 * np.pi)
        talker = mic + np.array([horizontal * np.cos(angle), horizontal * np.sin(angle), 0.0])
        talker[2] = height
        if np.all(talker[:2] > 0.3) and np.all(talker[:2] < dims[:2] - 0.3):
            break
    impulse = _impulse(dims, rt60, mic, talker)
    return Room(tuple(float(d) for d in dims), rt60, distance, height, impulse)  # type: ignore[arg-type]


class Rooms:
    """A fixed pool of seeded rooms; each clip always goes to the same one."""

    def __init__(self, count: int = 16, seed: int = 17) -> None:
        rng = np.random.default_rng(seed)
        self.rooms = [make_room(rng) for _ in range(count)]

    def pick(self, key: str) -> Room:
        return self.rooms[zlib.crc32(key.encode()) % len(self.rooms)]

    def direct_delay_seconds(self, key: str) -> float:
        """How late the direct sound reaches the microphone in the room ``say`` uses for ``key``."""
        return int(np.argmax(np.abs(self.pick(key).impulse))) / RATE_HZ

    def say(self, pcm: np.ndarray, key: str, tail_seconds: float = 0.3) -> np.ndarray:
        """``pcm`` as the microphone hears it across the room (same RMS as the dry clip)."""
        wet = _through(pcm, self.pick(key).impulse, pcm.size + round(tail_seconds * RATE_HZ),
                       pcm.size)
        return np.clip(np.round(wet), -32768, 32767).astype(np.int16)


def make_echo_path(rng: np.random.Generator) -> np.ndarray:
    """The coach's loudspeaker to the microphone in one seeded room: the speaker
    0.1-0.4 m from the microphone (a laptop's own, or one beside it), the room
    as ``make_room`` draws it. The impulse response, at RATE_HZ."""
    dims, rt60 = _draw_room(rng)
    mic = _draw_mic(rng, dims)
    distance = float(rng.uniform(0.1, 0.4))
    angle = rng.uniform(0.0, 2 * np.pi)
    speaker = mic + np.array([distance * np.cos(angle), abs(distance * np.sin(angle)), -0.02])
    return _impulse(dims, rt60, mic, speaker)


class EchoPaths:
    """A fixed pool of seeded loudspeaker-to-microphone paths (``make_echo_path``)."""

    def __init__(self, count: int = 8, seed: int = 23) -> None:
        rng = np.random.default_rng(seed)
        self.paths = [make_echo_path(rng) for _ in range(count)]

    def echo(self, reference: np.ndarray, key: str) -> np.ndarray:
        """``reference`` (float64) through the path picked for ``key``, at its own power."""
        path = self.pick(key)
        return _through(reference, path, reference.size, reference.size)

    def pick(self, key: str) -> np.ndarray:
        """The impulse response ``echo`` uses for ``key``."""
        return self.paths[zlib.crc32(key.encode()) % len(self.paths)]


class EchoStream:
    """One echo path applied block by block as the sound arrives (overlap-add): the
    live benchmark's loudspeaker heard by its microphone through a room.

    The impulse response is scaled to unit energy, then by ``level_db``.
    """

    def __init__(self, impulse: np.ndarray, level_db: float) -> None:
        from scipy.signal import fftconvolve

        self._convolve = fftconvolve
        self.impulse = impulse / np.sqrt(float(np.sum(impulse**2))) * 10 ** (level_db / 20)
        self._tail = np.zeros(self.impulse.size - 1)

    def __call__(self, block: np.ndarray) -> np.ndarray:
        """The microphone's share of ``block`` (int16), with the ring of earlier blocks."""
        wet = self._convolve(block.astype(np.float64), self.impulse)
        wet[: self._tail.size] += self._tail
        self._tail = wet[block.size :]
        return np.clip(np.round(wet[: block.size]), -32768, 32767).astype(np.int16)


def noise_under(timeline: np.ndarray, speech: np.ndarray, noise: np.ndarray,
                snr_db: float) -> np.ndarray:
    """``noise`` laid under the whole ``timeline``, scaled to ``snr_db`` below ``speech``."""
    while noise.size < timeline.size:  # a short clip runs on, mirrored: no click where it joins
        noise = np.concatenate([noise, noise[::-1]])
    n = noise[: timeline.size].astype(np.float64)
    s = speech.astype(np.float64)
    ps, pn = float(np.mean(s * s)), float(np.mean(n * n))
    if pn <= 0 or ps <= 0:
        return timeline.astype(np.int16)
    gain = np.sqrt(ps / (pn * 10 ** (snr_db / 10)))
    return np.clip(np.round(timeline.astype(np.float64) + gain * n), -32768, 32767).astype(np.int16)


def bed_for(pool: Sequence[np.ndarray], key: str) -> np.ndarray:
    """The noise clip of ``pool`` that ``key`` always gets, whatever else runs."""
    return pool[zlib.crc32(key.encode()) % len(pool)]


def on_track(pcm: np.ndarray, lead: float = 0.5, tail: float = 1.0) -> np.ndarray:
    """``pcm`` said ``lead`` s into a quiet track, with ``tail`` s of quiet after it."""
    track = AudioTrack(lead + pcm.size / RATE_HZ + tail)
    track.place(pcm, lead)
    return track.pcm()


def across_room(rooms: Rooms, pcm: np.ndarray, key: str, bed: np.ndarray | None,
                snr_db: float | None) -> np.ndarray:
    """The microphone's track when ``pcm`` is said across the room (``rooms.say``),
    with ``bed`` laid under the whole track ``snr_db`` below the room's speech;
    no noise when either is None."""
    said = rooms.say(pcm, key)
    track = on_track(said)
    if bed is None or snr_db is None:
        return track
    return noise_under(track, said, bed, snr_db)

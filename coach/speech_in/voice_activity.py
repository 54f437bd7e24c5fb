"""Which frames of a block are speech, over the coach's voice and in silence.

Whisper listens through Silero VAD (``coach.speech_in.silero``); PocketSphinx
and Vosk through the energy VAD (``coach.speech_in.vad.EnergyVad``). Around
the coach's own voice Silero alone lost words (README, "Recognition"):

- While the coach plays, the energy VAD decides: Silero flagged too few
  frames of a short word said over the voice (the neural voice above all),
  and "stop" was rejected as too short; the live coach obeyed about half of
  them, 9 of 10 with the energy VAD there (scripts/bench_live.py). The echo
  gate (``coach.speech_in.echo_filter``) already asks each frame to stand
  above the echo.
- In the pauses just after the coach's voice, where people say "stop" most,
  Silero's state is still full of that voice and it gave short words too
  little probability: a frame is speech there when Silero says so, or when
  the energy VAD flags it and Silero gives it at least ``gap_threshold``.
  The energy VAD alone there took the hum of a recording for speech and
  handed Whisper long stretches of it ("Let's go." for a "stop").
  At the questions that rule holds too (``gap``; the caller says where):
  under noise it kept the short answers ("No.", "Yeah.") Silero flagged
  too little of; while counting it lost "stop"s, so not there. There it
  takes no frame within ``gap_after_word_seconds`` after one Silero
  flagged: Silero's probability decays slowly after a word (0.49, 0.31,
  0.29...), and a click just after a recorded "up" passed 0.2, made the
  utterance 0.12 s longer, and was written "Right, right, right,".

- ``loud_db`` (20 dB in the coach, when it asked nothing, a set or a rest,
  and at the questions whose answers do not end the session): with the coach
  silent, a frame the energy VAD flags that stands that far over the room's
  level (the median frame of the last ``loud_window_seconds``) is speech
  whatever Silero says. Across a room Silero gave some words almost no
  probability (a "right" 0.01-0.02 in every chunk) and Whisper was given
  nothing of them. While counting, more "stop"s were heard (across the room
  77.9% -> 82.4%) for a few more other words obeyed there (1.2% -> 2.0%); at
  the questions the words the front end dropped across the room fell from
  1.5% to 0.1%, but at "End the session?" more other words ended the session,
  so it does not apply there. Over the room's floor (its quietest) instead
  of its median, a noise that swells and fades (a television) was taken for
  speech (README, "Loud frames as speech"). The caller says when it may
  apply.

- ``talk_db`` (8 dB in the coach): a television, a radio or people talking
  in the room are speech to both detectors, so every utterance ran on past a
  command's length and the person's word was lost in the talk (across the
  room with a television 20 dB under the person, 17% of commands heard).
  Once the room has talked (``TALK_SHARE`` of the frames heard in the last
  ``TALK_WINDOW_SECONDS`` with the coach silent were speech), a frame is
  speech only when it also stands ``talk_db`` over the talk's level (its
  ``TALK_PERCENTILE``-th percentile over that window): the person's word,
  said over it, is; the talk is not. The frames kept as the person's are
  left out of the window, so one word does not raise the bar for the next;
  the coach's voice and the pause after it are left out too. In a quiet
  room, or with a fan, the room never talks and nothing changes (README,
  "A television in the room").

The energy VAD runs on every block all the same, so its noise floor follows
the room; so does Silero, whose state follows every block, except where the
room is quiet while the coach is silent: a frame no more than ``quiet_db``
over the energy VAD's floor is quiet, and Silero does not run on a chunk of
quiet frames while it hears no speech (``coach.speech_in.silero``; most of
what listening in silence cost).
"""

from __future__ import annotations

from collections import deque

import numpy as np

from coach.speech_in.echo import levels
from coach.speech_in.silero import SileroVad
from coach.speech_in.vad import DIGITAL_SILENCE_DB, FRAME_SECONDS, EnergyVad

QUIET_DB = 5.0  # a frame this little over the room's floor is the room
LOUD_WINDOW_SECONDS = 2.0
# Talk in the room (a television, a radio, people): the room is talking when at
# least TALK_SHARE of the frames heard in the last TALK_WINDOW_SECONDS (the coach
# silent) were speech. Then a frame is speech only when it also stands
# ``talk_db`` over the TALK_PERCENTILE-th percentile of those frames' levels: the
# person's word over the room's talk, never the talk itself.
TALK_WINDOW_SECONDS = 2.0
TALK_SHARE = 0.6
TALK_PERCENTILE = 95.0


class VoiceActivity:
    """Speech flags per 10 ms frame, from the energy VAD and (for Whisper) Silero.

    ``silero_threshold`` None: the energy VAD alone. ``around_coach`` False:
    Silero everywhere, the coach's voice or not (the echo gate is off).
    """

    def __init__(self, *, margin_db: float, silero_threshold: float | None = None,
                 gap_threshold: float = 0.2, around_coach: bool = True,
                 quiet_db: float | None = QUIET_DB, loud_db: float | None = None,
                 loud_window_seconds: float = LOUD_WINDOW_SECONDS,
                 gap_after_word_seconds: float = 0.0, talk_db: float | None = None) -> None:
        self._energy = EnergyVad(margin_db=margin_db)
        # With ``gap``, a frame this soon after one Silero flagged is not taken by
        # the pause's rule: Silero's probability decays slowly after a word.
        self._gap_after_word = round(gap_after_word_seconds / FRAME_SECONDS)
        self._since_silero = 1 << 30  # frames since the last one Silero flagged
        self._silero = SileroVad(silero_threshold) if silero_threshold is not None else None
        self.gap_threshold = gap_threshold
        self.around_coach = around_coach
        self.quiet_db = quiet_db  # None: Silero runs on every chunk
        self.loud_db = loud_db  # a frame this far over the room is speech, Silero or not
        # The room's level for loud_db: the median frame of this many seconds
        # heard before the block (0: the energy VAD's noise floor).
        frames = round(loud_window_seconds / FRAME_SECONDS)
        self._recent = deque[float](maxlen=frames) if frames > 0 else None
        self.talk_db = talk_db  # None: the room's talk is not told from the person's
        talk_frames = round(TALK_WINDOW_SECONDS / FRAME_SECONDS)
        self._talk_levels = deque[float](maxlen=talk_frames)
        self._talk_flags = deque[bool](maxlen=talk_frames)

    @property
    def room_talking(self) -> bool:
        """Whether the room has been talking (``TALK_SHARE`` of the last
        ``TALK_WINDOW_SECONDS`` the coach was silent were speech)."""
        window = self._talk_flags
        return (window.maxlen is not None and len(window) == window.maxlen
                and sum(window) >= TALK_SHARE * window.maxlen)

    def frames(self, clean16: np.ndarray, *, coach_playing: bool = False,
               after_coach: bool = False, levels_db: np.ndarray | None = None,
               loud: bool = True, gap: bool = False) -> np.ndarray:
        """One flag per frame of ``clean16`` (the echo already taken out).

        ``coach_playing``: the coach's voice is in this block; ``after_coach``:
        the block falls in the pause just after it. ``levels_db``: each frame's
        speech-band level (``coach.speech_in.echo.levels``), if the caller has it.
        ``loud``: the ``loud_db`` rule may flag frames of this block (the
        listener keeps it to the moments where it was measured to help).
        ``gap``: the pause's rule (a frame the energy VAD flags is speech if
        Silero gives it ``gap_threshold``) holds here too, with the coach silent.
        """
        if levels_db is None:
            levels_db = levels(clean16)
        flags = self._flags(clean16, levels_db, coach_playing, after_coach, loud, gap)
        if self.talk_db is None:
            return flags
        return self._over_talk(flags, levels_db, room_alone=not (coach_playing or after_coach))

    def _over_talk(self, flags: np.ndarray, levels_db: np.ndarray, room_alone: bool) -> np.ndarray:
        """``flags`` kept only where they stand over the room's talk, when it talks.
        The frames heard with the coach silent go into the window the talk is
        measured on, except those kept as the person's (so their own word does
        not raise the bar for the next one)."""
        assert self.talk_db is not None
        heard = flags
        if self.room_talking:
            bar = float(np.percentile(np.fromiter(self._talk_levels, np.float64), TALK_PERCENTILE))
            flags = flags & (levels_db >= bar + self.talk_db)
            person = flags
        else:
            person = np.zeros_like(flags)
        if room_alone:
            for level, speech, theirs in zip(levels_db, heard, person, strict=True):
                if not theirs:
                    self._talk_levels.append(float(level))
                    self._talk_flags.append(bool(speech))
        return flags

    def _flags(self, clean16: np.ndarray, levels_db: np.ndarray, coach_playing: bool,
               after_coach: bool, loud: bool, gap: bool) -> np.ndarray:
        """The speech flags before the room's talk is told apart (``frames``)."""
        energy = self._energy.is_speech(levels_db)
        over_room = None if self.loud_db is None else self._over_room(levels_db)
        if self._silero is None:
            return energy
        # Only while the coach is silent: over its voice and in the pause after it
        # Silero runs on every chunk (a "stop" said over the coach ends on its
        # flags). Live, with quiet chunks skipped there too, 2 of 30 "stop"s said
        # over the coach were written down as "start" (the code before: none).
        around = coach_playing or after_coach
        quiet = (None if self.quiet_db is None or around
                 else self._energy.over_floor_db <= self.quiet_db)
        silero = self._silero.speech_frames(clean16, quiet)
        after_word = self._after_word(silero)
        if coach_playing and self.around_coach:
            return energy
        pause = after_coach and self.around_coach
        flags = silero
        if pause or gap:
            rule = energy & (self._silero.frame_probability >= self.gap_threshold)
            flags = flags | (rule if pause else rule & ~after_word)
        if over_room is not None and loud and not pause:
            flags = flags | (energy & (over_room >= self.loud_db))
        return flags

    def _after_word(self, silero: np.ndarray) -> np.ndarray:
        """Per frame, whether one Silero flagged is at most ``gap_after_word`` frames before it."""
        index = np.arange(1, silero.size + 1)
        # Frames numbered from 1 in this block; the last one Silero flagged before
        # it is frame -since. Each frame's last flagged one, at or before it:
        last = np.maximum.accumulate(np.where(silero, index, -self._since_silero))
        since = index - last
        if since.size:
            self._since_silero = int(since[-1])
        return (since > 0) & (since <= self._gap_after_word)

    def _over_room(self, levels_db: np.ndarray) -> np.ndarray:
        """Each frame's level over the room's: the energy VAD's floor, or the median
        of the recent frames (which then take in this block's)."""
        if self._recent is None:
            return self._energy.over_floor_db
        over: np.ndarray
        if not self._recent:
            over = np.full(levels_db.shape, -np.inf, dtype=np.float32)
        else:
            over = levels_db - float(np.median(np.fromiter(self._recent, np.float32)))
        self._recent.extend(float(x) for x in levels_db if x > DIGITAL_SILENCE_DB)
        return over

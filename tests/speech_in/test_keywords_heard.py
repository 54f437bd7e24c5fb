"""Across a living room (the benchmark's rooms, real noise 20 dB under the speech),
answers Whisper wrote as other words ("Yeah", "Where?", "Oh.") are told by their
sound, for speakers the keyword model was never fitted on; other words said there
stay nothing. At the rating question an "on" Whisper wrote as "One." is refused
for its sound, while the digits it wrote right are still taken, and a digit it
wrote as another word ("Takes" for a six, "Same" for a seven) is taken for the
number it writes when told the numbers were just said, when its sound is surely
a number; at "End the session?" and "Say go" a
"No." or "Go." written for another word whose sound is surely no answer is
refused, and the answers themselves are not; mid-set a "stop" it missed is
told by its sound, even when decoding it again wrote another word."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from coach.audio.wavfile import read_audio
from coach.cli.hear import moment_question
from coach.core.expect import listening
from coach.core.states import State
from coach.runtime.listen_for import tell
from coach.speech_in.decision import Decision
from coach.speech_in.listener import Listener
from coach.speech_in.scripted import AudioTrack, stream

pytest.importorskip("pyroomacoustics")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from bench_recognition import DIGITS, ROOM_COUNT, ROOM_SEED, held_out  # noqa: E402
from living_room import Rooms, bed_for, noise_under, on_track  # noqa: E402
from living_room import across_room as said_across  # noqa: E402

pytestmark = pytest.mark.slow

# Held-out speakers' answers that Whisper, across the benchmark's rooms, wrote as
# no answer of the moment ("Yeah", "So", "Where?"...), and the keyword model tells.
MISSED = {
    State.READY: ["go/3659fc1c_nohash_0", "go/3df9a3d4_nohash_1", "go/63f7a489_nohash_0",
                  "go/68dd409e_nohash_2"],
    State.ASK_SIDE: ["left/0cb74144_nohash_1", "left/1acc97de_nohash_1", "left/5c8af87a_nohash_0",
                     "left/5c8af87a_nohash_3", "left/68dd409e_nohash_1", "left/692a88e6_nohash_3",
                     "right/4620dc14_nohash_0", "right/5c8af87a_nohash_0"],
}
OTHER_WORDS = ("up", "down", "off", "on")


def decided(listener: Listener, mic: np.ndarray, moment: State) -> list[Decision]:
    """The decisions ``listener`` makes on ``mic`` at ``moment``, as the session tells it."""
    tell(listener, listening(moment, question=moment_question(moment.value)))
    listener.reset()
    stream(listener, mic, block_samples=480)
    return list(listener.decisions)


def across_room(rooms: Rooms, noise: list, shared: Path, path: str) -> np.ndarray:
    """The clip said across the room, the benchmark's noise for it 20 dB under."""
    return said_across(rooms, read_audio(shared / path), path, bed_for(noise, path), 20.0)


def heard(listener: Listener, rooms: Rooms, noise: list, shared: Path, path: str,
          moment: State) -> list[tuple[str, bool]]:
    """What ``listener`` takes from the clip said across the room at ``moment``,
    as the session tells it: (intent, whether it was told by a second try)."""
    mic = across_room(rooms, noise, shared, path)
    return [(d.heard.intent.value, d.hypothesis.rescued) for d in decided(listener, mic, moment)
            if d.heard is not None]


def rated(listener: Listener, rooms: Rooms, noise: list, shared: Path, path: str,
          ) -> list[tuple[int | None, bool]]:
    """The ratings ``listener`` takes from the clip said across the room at the
    rating question: (the number, whether it was told by its sound)."""
    mic = across_room(rooms, noise, shared, path)
    return [(d.heard.number, d.hypothesis.by_sound)
            for d in decided(listener, mic, State.ASK_PAIN) if d.heard is not None]


@contextmanager
def without_keywords(listener: Listener) -> Iterator[None]:
    engine = listener.engine
    model = engine.keyword_model  # type: ignore[attr-defined]
    engine.keyword_model = None  # type: ignore[attr-defined]
    try:
        yield
    finally:
        engine.keyword_model = model  # type: ignore[attr-defined]


def noise_pool(shared: Path) -> list:
    with open(shared / "manifest.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["word"] == "_silence_"]
    return [read_audio(shared / r["path"]) for r in rows[:20]]  # the benchmark's


def test_answers_the_transcript_missed_across_the_room_are_told_by_their_sound(
        shared_audio: Path, whisper: Listener) -> None:
    rooms, noise = Rooms(ROOM_COUNT, ROOM_SEED), noise_pool(shared_audio)
    told = without = 0
    misses = []
    for moment, clips in MISSED.items():
        for clip in clips:
            word, path = clip.split("/")[0], f"speech_commands/{clip}.wav"
            assert held_out(clip.split("/")[1].split("_")[0])
            got = heard(whisper, rooms, noise, shared_audio, path, moment)
            told += got == [(word, True)]
            if got != [(word, True)]:
                misses.append((path, got, [(d.reason, d.hypothesis.text)
                                           for d in whisper.decisions]))
            with without_keywords(whisper):
                alone = heard(whisper, rooms, noise, shared_audio, path, moment)
            without += [w for w, _ in alone] == [word]
    assert told >= 10, misses  # 12 of 12 when they were chosen
    assert without <= 2  # the transcript and the choice alone: 0 of 12 then


def test_other_words_across_the_room_are_not_told_for_an_answer(
        shared_audio: Path, whisper: Listener) -> None:
    rooms, noise = Rooms(ROOM_COUNT, ROOM_SEED), noise_pool(shared_audio)
    with open(shared_audio / "manifest.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f)
                if r["dataset"] == "speech_commands" and r["word"] in OTHER_WORDS
                and held_out(r["speaker"])]
    clips = [r["path"] for w in OTHER_WORDS for r in [x for x in rows if x["word"] == w][:10]]
    assert len(clips) == 40
    told = []
    for path in clips:
        for moment in (State.ASK_SIDE, State.READY, State.CONFIRM_STOP):
            got = heard(whisper, rooms, noise, shared_audio, path, moment)
            told += [(path, moment.value, w) for w, rescued in got
                     if rescued and w in ("go", "no", "left", "right")]
    # Each word at each question: at most 2 of the 3 x 40 told for an answer.
    assert len(told) <= 2, told
    numbers = []
    for path in clips:
        heard(whisper, rooms, noise, shared_audio, path, State.ASK_PAIN)
        numbers += [(path, d.hypothesis.text) for d in whisper.decisions
                    if d.heard is not None and d.hypothesis.by_sound]
    assert len(numbers) <= 1, numbers  # none of the 40 when this was written


# Free Spoken Digits (a corpus the keyword model never heard) by a held-out speaker,
# said close and clean, that Whisper after "How is your knee, from zero to ten?"
# wrote as other words ("Train.", "Takes? Takes? Takes?", "Takes.", "A"; and
# "Takes", "T", "Takes? Takes? Takes?", the last three, which the choice among
# the numbers' first tokens, asked which number before 2026-12-07, did not take).
DIGITS_AS_WORDS = {"fsdd/three/3_george_12.wav": 3, "fsdd/six/6_george_15.wav": 6,
                   "fsdd/six/6_george_16.wav": 6, "fsdd/eight/8_george_15.wav": 8,
                   "fsdd/six/6_george_10.wav": 6, "fsdd/six/6_george_11.wav": 6,
                   "fsdd/six/6_george_17.wav": 6}


def test_a_digit_written_as_another_word_is_taken_when_its_sound_is_surely_a_number(
        shared_audio: Path, whisper: Listener) -> None:
    assert held_out("george")

    def taken(path: str) -> list[tuple[int | None, bool]]:
        mic = on_track(read_audio(shared_audio / path))
        return [(d.heard.number, d.hypothesis.by_sound)
                for d in decided(whisper, mic, State.ASK_PAIN) if d.heard is not None]

    told, alone = {}, {}
    for path, number in DIGITS_AS_WORDS.items():
        told[path] = taken(path) == [(number, True)]
        with without_keywords(whisper):
            alone[path] = taken(path)
    assert sum(told.values()) >= 6, told  # 7 of 7 when they were chosen
    assert not any(alone.values()), alone  # the transcript and the choice alone: none


def test_which_number_is_the_one_written_after_the_numbers(
        shared_audio: Path, whisper: Listener) -> None:
    """Across the room Whisper wrote "Same" for a seven and "Thanks." for a six;
    their sound is surely a number, and decoded again after the numbers they are
    "seven" and "six". The choice among the numbers' first tokens named ten for
    the seven (and it was taken so, until 2026-12-07)."""
    rooms, noise = Rooms(ROOM_COUNT, ROOM_SEED), noise_pool(shared_audio)

    def taken(path: str) -> list[tuple[int | None, bool]]:
        return rated(whisper, rooms, noise, shared_audio, path)

    # The seven's sound is 99% a number.
    assert taken("speech_commands/seven/563aa4e6_nohash_1.wav") == [(7, True)]
    # The six's is 91% and 96% (its two pieces), near the 90% bar: Whisper's int8
    # arithmetic differs a little between processors, so it may be left untaken
    # (the coach asks again), but never taken for another number.
    assert taken("speech_commands/six/3efef882_nohash_0.wav") in ([(6, True)], [])


def test_a_word_likely_a_number_is_taken_when_the_number_is_written_with_confidence(
        shared_audio: Path, whisper: Listener) -> None:
    """Across the room Whisper wrote "Bait" and "Paint." for an eight whose sound
    is only 66-68% a number (under the 90% bar), but decoded again after the
    numbers it wrote "eight, eight, eight," with confidence (69-76%): it is taken.
    A held-out "bird" there sounds 84% a number, and Whisper writes it "Three,
    three, three," but with less confidence (53-55%): it is not."""
    rooms, noise = Rooms(ROOM_COUNT, ROOM_SEED), noise_pool(shared_audio)

    def taken(path: str) -> list[tuple[int | None, bool]]:
        return rated(whisper, rooms, noise, shared_audio, path)

    assert taken("speech_commands/eight/4fd1443e_nohash_2.wav") == [(8, True)]
    assert taken("speech_commands/bird/2c6d3924_nohash_0.wav") == []


def test_an_answer_told_by_its_sound_must_be_said_on_its_own(
        shared_audio: Path, whisper: Listener, monkeypatch: pytest.MonkeyPatch) -> None:
    """A piece of a sentence can sound like an answer: a word told by its sound is
    taken only when no speech ended in the second before it. The same held-out
    "left", across the room, 1.7 s after an "up" and 0.8 s after it."""
    from coach.speech_in import decoding

    rooms, noise = Rooms(ROOM_COUNT, ROOM_SEED), noise_pool(shared_audio)
    left = "speech_commands/left/5c8af87a_nohash_0.wav"
    up = "speech_commands/up/0c40e715_nohash_0.wav"
    word = rooms.say(read_audio(shared_audio / left), left)
    before = rooms.say(read_audio(shared_audio / up), up)

    def told(offset: float) -> list[tuple[str, str, bool]]:
        """The decisions when the clip of "left" begins ``offset`` s after the end
        of the clip of "up" (the clips have silence around their words)."""
        track = AudioTrack(1.0 + before.size / 16000 + offset + word.size / 16000 + 1.5)
        track.place(before, 0.5)
        track.place(word, 0.5 + before.size / 16000 + offset)
        mic = noise_under(track.pcm(), word, bed_for(noise, left), 20.0)
        return [(d.reason, d.hypothesis.text, d.hypothesis.by_sound)
                for d in decided(whisper, mic, State.ASK_SIDE)]

    assert ("accepted", "left", True) in told(0.5)  # 1.7 s between the words
    close = told(-0.4)  # 0.8 s between them
    assert not any(text == "left" for _, text, _ in close), close
    monkeypatch.setattr(decoding, "ALONE_SECONDS", 0.5)
    assert ("accepted", "left", True) in told(-0.4)  # only the rule kept it out


# Held-out "on"s said across the room that Whisper, after "How is your knee, from
# zero to ten?", wrote as a number ("One.", "Four."): their sound is surely no number.
ON_AS_A_NUMBER = ["on/1acc97de_nohash_1", "on/2c6d3924_nohash_0", "on/3df9a3d4_nohash_0",
                  "on/5c8af87a_nohash_1", "on/63f7a489_nohash_1", "on/63f7a489_nohash_2",
                  "on/692a88e6_nohash_1", "on/692a88e6_nohash_2"]


def test_a_word_whose_sound_is_no_number_is_not_taken_for_a_rating(
        shared_audio: Path, whisper: Listener) -> None:
    rooms, noise = Rooms(ROOM_COUNT, ROOM_SEED), noise_pool(shared_audio)
    taken = refused = without = 0
    for clip in ON_AS_A_NUMBER:
        path = f"speech_commands/{clip}.wav"
        assert held_out(clip.split("/")[1].split("_")[0])
        got = heard(whisper, rooms, noise, shared_audio, path, State.ASK_PAIN)
        taken += any(w == "number" for w, _ in got)
        refused += any(d.reason == "not-a-number" for d in whisper.decisions)
        with without_keywords(whisper):
            alone = heard(whisper, rooms, noise, shared_audio, path, State.ASK_PAIN)
        without += any(w == "number" for w, _ in alone)
    assert taken <= 1  # 0 of 8 when they were chosen
    assert refused >= 7  # refused for their sound, said so in the decision
    assert without >= 7  # the transcript alone: 8 of 8 numbers then


def test_ratings_said_across_the_room_are_still_taken(
        shared_audio: Path, whisper: Listener) -> None:
    """The held-out speakers' spoken digits: the number floor refuses none that the
    transcript gets right (22 of 28 across the room)."""
    rooms, noise = Rooms(ROOM_COUNT, ROOM_SEED), noise_pool(shared_audio)
    with open(shared_audio / "manifest.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["dataset"] == "speech_commands"
                and r["word"] in DIGITS and held_out(r["speaker"])]
    assert len(rows) >= 25
    right = alone = 0

    def numbers(path: str) -> list[int | None]:
        heard(whisper, rooms, noise, shared_audio, path, State.ASK_PAIN)
        return [d.heard.number for d in whisper.decisions if d.heard is not None]

    for r in rows:
        want = DIGITS.index(r["word"])
        right += numbers(r["path"]) == [want]
        with without_keywords(whisper):
            alone += numbers(r["path"]) == [want]
    assert alone >= 20  # the transcript alone: 22 of 28 when this was written
    assert right >= alone - 1  # the floor: 22 of 28 too


def test_stop_missed_mid_set_is_told_by_its_sound_but_not_at_a_question(
        shared_audio: Path, whisper: Listener) -> None:
    """A held-out "stop" in noise (10 dB) that Whisper wrote as no command: while
    counting (nothing asked) it is told by its sound; at "Which knee?" the
    sound gives no stop (the transcript alone answers there)."""
    from coach.speech_in.scripted import mix_at_snr

    path = "speech_commands/stop/27c30960_nohash_1.wav"
    assert held_out("27c30960")
    noise = noise_pool(shared_audio)
    mic = on_track(mix_at_snr(read_audio(shared_audio / path), bed_for(noise, f"{path}|working|10"),
                              10.0))

    def decisions(moment: State) -> list[tuple[str, str, bool]]:
        return [(d.reason, d.hypothesis.text, d.hypothesis.by_sound)
                for d in decided(whisper, mic, moment)]

    assert ("accepted", "stop", True) in decisions(State.WORKING)
    with without_keywords(whisper):
        assert not any(r == "accepted" for r, _, _ in decisions(State.WORKING))
    assert not any(by for _, _, by in decisions(State.ASK_SIDE))


# Held-out "stop"s said close and clean that Whisper wrote "step" and "store.",
# and again "Step," and "Store, store, store," after the set's commands: a second
# try that sounds like the first but is no command.
STOPS_WRITTEN_ALIKE = ("speech_commands/stop/48a8a69d_nohash_0.wav",
                       "speech_commands/stop/5f01c798_nohash_0.wav")


def test_stop_is_told_by_its_sound_after_a_second_try_that_gave_no_command(
        shared_audio: Path, whisper: Listener) -> None:
    """Each of the engine's other answers is tried when the one before it was
    not taken: the decode after the set's commands gave no stop here, and the
    sound did (it once ended the tries, and these stops were lost)."""

    def decisions(path: str) -> list[tuple[str, str, bool]]:
        mic = on_track(read_audio(shared_audio / path))
        return [(d.reason, d.heard.intent.value if d.heard else "", d.hypothesis.by_sound)
                for d in decided(whisper, mic, State.WORKING)]

    for path in STOPS_WRITTEN_ALIKE:
        assert held_out(path.split("/")[2].split("_")[0])
        assert decisions(path) == [("accepted", "stop", True)], path
        with without_keywords(whisper):
            assert [r for r, _, _ in decisions(path)] == ["not-a-command"], path


# Held-out speakers' other words said across the room that Whisper wrote as an
# answer ("No.", "Oh, no.", and a "go" chosen for an "on"), at the question.
OTHER_AS_ANSWERS = {"down/27c30960_nohash_1": State.CONFIRM_STOP,
                    "on/0cb74144_nohash_0": State.CONFIRM_STOP,
                    "on/1acc97de_nohash_2": State.CONFIRM_STOP,
                    "on/2c6d3924_nohash_0": State.READY}


def test_an_answer_written_for_a_word_whose_sound_is_surely_another_is_refused(
        shared_audio: Path, whisper: Listener) -> None:
    rooms, noise = Rooms(ROOM_COUNT, ROOM_SEED), noise_pool(shared_audio)
    refused, without = [], []
    for clip, moment in OTHER_AS_ANSWERS.items():
        path = f"speech_commands/{clip}.wav"
        assert held_out(clip.split("/")[1].split("_")[0])
        got = heard(whisper, rooms, noise, shared_audio, path, moment)
        refused.append(not got and any(d.reason == "not-an-answer" for d in whisper.decisions))
        with without_keywords(whisper):
            without.append(bool(heard(whisper, rooms, noise, shared_audio, path, moment)))
    assert sum(refused) >= 3, refused  # 4 of 4 when they were chosen
    assert all(without), without  # each taken for an answer without the model


def test_answers_said_across_the_room_are_not_refused_for_their_sound(
        shared_audio: Path, whisper: Listener) -> None:
    """The held-out speakers' "no"s at "End the session?" and "go"s at "Say go"
    across the room: none refused as another word."""
    rooms, noise = Rooms(ROOM_COUNT, ROOM_SEED), noise_pool(shared_audio)
    with open(shared_audio / "manifest.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["dataset"] == "speech_commands"
                and r["word"] in ("no", "go") and held_out(r["speaker"])]
    assert len(rows) >= 60
    refused = []
    for r in rows:
        moment = State.CONFIRM_STOP if r["word"] == "no" else State.READY
        heard(whisper, rooms, noise, shared_audio, r["path"], moment)
        refused += [(r["path"], d.hypothesis.text) for d in whisper.decisions
                    if d.reason == "not-an-answer"]
    assert not refused, refused


def test_a_yes_written_for_a_word_whose_sound_is_surely_no_yes_does_not_end_the_session(
        shared_audio: Path, whisper: Listener) -> None:
    """A held-out speaker's "cat" said across the room to "End the session?" is
    written "Yeah.": its sound is under 1% a yes, so the session goes on (the
    coach asks again), where without the yes floor it ended; real yeses said
    across the room by held-out speakers, the least sure of them among them,
    still end it."""
    rooms, noise = Rooms(ROOM_COUNT, ROOM_SEED), noise_pool(shared_audio)
    cat = "speech_commands/cat/4620dc14_nohash_0.wav"
    assert held_out("4620dc14")
    decisions = decided(whisper, across_room(rooms, noise, shared_audio, cat), State.CONFIRM_STOP)
    assert [d.heard for d in decisions if d.heard is not None] == []
    refused = [d for d in decisions if d.reason == "not-an-answer"]
    assert refused and refused[0].hypothesis.text.strip(" .?!").lower() == "yeah", [
        (d.reason, d.hypothesis.text) for d in decisions]
    engine = whisper.engine
    model = engine.keyword_model  # type: ignore[attr-defined]
    engine.keyword_model = replace(model, yes_floor=None)  # type: ignore[attr-defined]
    try:
        assert heard(whisper, rooms, noise, shared_audio, cat, State.CONFIRM_STOP) == [
            ("yes", False)]
    finally:
        engine.keyword_model = model  # type: ignore[attr-defined]
    for clip in ("yes/2c6d3924_nohash_1", "yes/27c30960_nohash_0"):
        assert held_out(clip.split("/")[1].split("_")[0])
        assert heard(whisper, rooms, noise, shared_audio, f"speech_commands/{clip}.wav",
                     State.CONFIRM_STOP) == [("yes", False)], clip

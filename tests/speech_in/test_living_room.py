"""Words said across a living room (reverberant, 1.5-3.5 m, real noise 20 dB under
them), and close in louder noise (10 dB), reach Whisper and are heard; the
room's noise alone is nothing."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from coach.audio.wavfile import read_audio
from coach.cli.hear import moment_question
from coach.core.expect import expected_intents, focus_intents, listening
from coach.core.states import State
from coach.runtime.listen_for import tell
from coach.speech_in.listener import Listener
from coach.speech_in.scripted import stream

pytest.importorskip("pyroomacoustics")
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from living_room import Rooms, across_room, bed_for, noise_under, on_track  # noqa: E402

pytestmark = pytest.mark.slow
WORDS = {"stop": State.WORKING, "go": State.READY, "yes": State.CONFIRM_STOP,
         "no": State.CONFIRM_STOP, "left": State.ASK_SIDE, "right": State.ASK_SIDE}
WORDLESS = ("too-long", "too-short", "noise", "echo")


@pytest.fixture(scope="module")
def rooms() -> Rooms:
    return Rooms(count=8, seed=17)


def rows(shared: Path, word: str, n: int) -> list[dict[str, str]]:
    with open(shared / "manifest.csv", newline="") as f:
        found = [r for r in csv.DictReader(f) if r["word"] == word and r["dataset"] == "speech_commands"]
    return found[:n]


def in_room(listener: Listener, rooms: Rooms | None, shared: Path, path: str, moment: State,
            noise: list, snr: float = 20.0, *, as_session: bool = False,
            ) -> list[tuple[str, int | None]]:
    """``as_session``: the listener told what the session tells it at ``moment``
    (the answers that end it, the sound-alike spellings), not only what fits.
    ``rooms`` None: said close to the microphone, in the noise alone."""
    pcm = read_audio(shared / path)
    if rooms is not None:
        mic = across_room(rooms, pcm, path, bed_for(noise, path), snr)
    else:
        mic = noise_under(on_track(pcm), pcm, bed_for(noise, path), snr)
    if as_session:
        tell(listener, listening(moment, question=moment_question(moment.value)))
    else:
        listener.expect(expected_intents(moment), moment_question(moment.value), focus_intents(moment))
    listener.reset()
    return [(h.heard.intent.value, h.heard.number) for h in stream(listener, mic, block_samples=480)]


def test_command_words_across_the_room_are_heard_and_reach_the_engine(
        shared_audio: Path, whisper: Listener, rooms: Rooms) -> None:
    noise = [read_audio(shared_audio / r["path"]) for r in rows(shared_audio, "_silence_", 20)]
    good = dropped = total = 0
    misses = []
    for word, moment in WORDS.items():
        for r in rows(shared_audio, word, 5):
            got = in_room(whisper, rooms, shared_audio, r["path"], moment, noise)
            total += 1
            good += got == [(word, None)]
            if not any(d.reason not in WORDLESS for d in whisper.decisions):
                dropped += 1  # the front end gave Whisper nothing of it
            if got != [(word, None)]:
                misses.append((r["path"], got, [d.reason for d in whisper.decisions]))
    assert total == 30
    # Floors under what the benchmark measures (77% heard, 7.5% given to Whisper as
    # nothing), to catch a regression.
    assert good / total >= 0.7, misses
    assert dropped <= 5, misses


def test_no_word_whisper_hears_in_the_whole_clip_is_dropped_by_the_front_end(
        shared_audio: Path, whisper: Listener, rooms: Rooms) -> None:
    """The front end (VAD, segmenter, wordless rules) may only drop what Whisper
    itself, given the whole clip with no front end, would not have heard."""
    from coach.commands.parser import parse
    from coach.speech_in.transcript import command_text

    noise = [read_audio(shared_audio / r["path"]) for r in rows(shared_audio, "_silence_", 20)]
    engine = whisper.engine
    checked = 0
    dropped = []
    for word, moment in WORDS.items():
        for r in rows(shared_audio, word, 5):
            in_room(whisper, rooms, shared_audio, r["path"], moment, noise)
            if any(d.reason not in WORDLESS for d in whisper.decisions):
                checked += 1
                continue  # Whisper was given the word
            mic = across_room(rooms, read_audio(shared_audio / r["path"]), r["path"],
                              bed_for(noise, r["path"]), 20.0)
            engine.prompt_with(moment_question(moment.value))
            text = engine.decode(mic).text
            parsed = parse(command_text(text, whisper.vocabulary), whisper.vocabulary, spoken=True)
            checked += 1
            if parsed is not None and parsed.intent.value == word:
                dropped.append((r["path"], text, [d.reason for d in whisper.decisions]))
    assert checked == 30
    assert dropped == []


def test_the_coachs_echo_through_a_room_is_seeded_and_keeps_its_level() -> None:
    """The benchmark's loudspeaker-to-microphone paths (``--echo room``): the same
    paths every run, the echo at the reference's power, arriving after the
    0.1-0.4 m from speaker to microphone and ringing on after the sound stops."""
    import numpy as np
    import pyroomacoustics as pra

    from living_room import EchoPaths

    filter_delay = pra.constants.get("frac_delay_length") // 2  # the simulator's own, in samples

    a, b = EchoPaths(count=3, seed=23), EchoPaths(count=3, seed=23)
    assert all(np.array_equal(x, y) for x, y in zip(a.paths, b.paths))
    click = np.zeros(16000)
    click[100] = 10000.0
    burst = np.random.default_rng(3).normal(0.0, 3000.0, 16000)
    for key in ("one", "two", "three"):
        echo = a.echo(burst, key)
        assert echo.size == burst.size
        assert abs(np.mean(echo**2) / np.mean(burst**2) - 1.0) < 1e-6
        ring = a.echo(click, key)
        direct = int(np.argmax(np.abs(ring))) - 100 - filter_delay
        assert round(0.09 / 343 * 16000) <= direct <= round(0.45 / 343 * 16000) + 1, direct
        assert np.abs(ring[100 + direct + 800 :]).max() > 0  # the room after 50 ms


# The coach's lines that, through a room, it once took for commands of its own
# ("Shall we stop?" as stop, "Say next, or stop." as next, "Say yes or no." as go).
OWN_LINES = ["Hello. Let's do your knee exercises together.", "Shall we stop?",
             "Say next, or stop.", "Say yes or no.", "Please say yes or no.",
             "Say a number from zero to ten. Zero is no pain.", "Stopping. End the session?"]


def test_the_coachs_own_lines_echoed_through_a_room_are_no_command(whisper: Listener) -> None:
    """Its own voice through a room (the benchmark's ``--echo room`` paths): the
    room rings on for hundreds of milliseconds, carrying its words; none of it
    may be obeyed."""
    import numpy as np

    from living_room import EchoPaths
    from coach.speech_in.scripted import synthesize

    paths = EchoPaths()
    heard = []
    for key in ("coach", "kitchen", "lounge"):
        track = np.concatenate([np.concatenate([synthesize(t, "en-us", 160), np.zeros(4800, np.int16)])
                                for t in OWN_LINES])
        echo = np.clip(np.round(paths.echo(track.astype(np.float64), key) * 0.5),
                       -32768, 32767).astype(np.int16)
        whisper.expect(expected_intents(State.WORKING), moment_question("working"),
                       focus_intents(State.WORKING))
        whisper.reset()
        heard += [(key, r.heard.intent.value, round(r.heard.at, 2))
                  for r in stream(whisper, echo, block_samples=480, reference=track)]
    assert heard == []


def test_stop_said_over_the_coachs_echo_through_a_room_is_obeyed(
        shared_audio: Path, whisper: Listener) -> None:
    """A person's "stop" 10 dB over that echo, 3 s into the coach's speech."""
    import numpy as np

    from living_room import EchoPaths
    from coach.speech_in.scripted import synthesize

    paths = EchoPaths()
    track = np.concatenate([synthesize(t, "en-us", 160) for t in OWN_LINES[:3]])[: 16000 * 5]
    obeyed, tries = 0, rows(shared_audio, "stop", 10)
    for r in tries:
        user = read_audio(shared_audio / r["path"]).astype(np.float64)
        echo = paths.echo(track.astype(np.float64), r["path"])
        at = 3 * 16000
        scale = np.sqrt(np.mean(user**2) / ((np.mean(echo[at : at + user.size] ** 2) + 1.0) * 10.0))
        mic = scale * echo
        mic[at : at + user.size] += user
        whisper.expect(expected_intents(State.WORKING), moment_question("working"),
                       focus_intents(State.WORKING))
        whisper.reset()
        got = [x.heard.intent.value for x in stream(
            whisper, np.clip(np.round(mic), -32768, 32767).astype(np.int16), block_samples=480,
            reference=track)]
        obeyed += got == ["stop"]
    # The benchmark obeys 77.5% of 40 at 10 dB over a room's echo (62.5-67.5% before
    # the room's filter); a floor under it, to catch a regression.
    assert obeyed >= 6, obeyed


def test_the_echo_streamed_block_by_block_is_the_rooms_own() -> None:
    """The live benchmark and the soak (``--echo room``) hand the room's echo path
    one block at a time: the same sound as the whole clip through it, the ring
    of a line carried into the blocks after it, into the simulated microphone."""
    import numpy as np
    from scipy.signal import fftconvolve

    from coach.runtime.simulated_room import SimulatedRoom
    from living_room import EchoPaths, EchoStream

    path = EchoPaths(count=3, seed=23).paths[1]
    line = np.concatenate([np.random.default_rng(5).normal(0.0, 3000.0, 16000),
                           np.zeros(16000)]).astype(np.int16)
    stream = EchoStream(path, -6.0)
    whole = np.clip(np.round(fftconvolve(line.astype(np.float64), stream.impulse)[: line.size]),
                    -32768, 32767)
    blocks = np.concatenate([stream(line[i : i + 320]) for i in range(0, line.size, 320)])
    assert np.abs(blocks - whole).max() <= 1
    assert np.abs(blocks[16000 + 1600 :]).max() > 30  # still ringing 0.1 s after the line
    room = SimulatedRoom(noise_level=0.0, echo_path=EchoStream(path, -6.0))
    heard = np.concatenate([room.microphone(i, line[i : i + 160]) for i in range(0, line.size, 160)])
    assert np.abs(heard - whole).max() <= 1



def compared(listeners: dict[str, Listener], rooms: Rooms | None, shared: Path, word: str,
             moment: State, snr: float = 20.0,
             ) -> Iterator[tuple[str, str, list[tuple[str, int | None]], Listener]]:
    """Every recording of ``word`` said at ``moment`` across the room (``rooms``
    None: close, in the noise alone), heard by each of ``listeners`` as the
    session tells it: (path, name, what it took, listener)."""
    noise = [read_audio(shared / r["path"]) for r in rows(shared, "_silence_", 20)]
    for r in rows(shared, word, 200):
        for name, listener in listeners.items():
            yield (r["path"], name, in_room(listener, rooms, shared, r["path"], moment, noise, snr,
                                            as_session=True), listener)


def test_which_knee_is_heard_across_the_room_after_left_or_right(
        shared_audio: Path, whisper: Listener, rooms: Rooms) -> None:
    """After "Which knee hurts, left or right?" Whisper wrote "Right?" for many
    "left"s said across the room. Told "Left or right?" instead (the vocabulary's
    ``question_prompts``, each side checked against the question as said), it
    hears more of both sides and takes fewer for the other; the same Whisper
    told the question as the coach says it is the comparison."""
    from dataclasses import replace

    from coach.commands.parser import load_vocabulary
    from coach.speech_in.command_listener import make_listener

    vocabulary = load_vocabulary()
    assert vocabulary.question_prompts[moment_question("ask-side")] == "Left or right?"
    as_said = make_listener("whisper", vocabulary=replace(vocabulary, question_prompts={}))
    heard_right = {"told": 0, "as said": 0}
    other_side = {"told": 0, "as said": 0}
    said = set()
    for word in ("left", "right"):
        for path, name, got, _ in compared({"told": whisper, "as said": as_said}, rooms,
                                           shared_audio, word, State.ASK_SIDE):
            said.add(path)
            heard_right[name] += got == [(word, None)]
            other_side[name] += any(g[0] in ("left", "right") and g[0] != word for g in got)
    total = len(said)
    assert total == 303
    # Measured: 246 of 303 against 232, and 4 taken for the other side against 9.
    assert heard_right["told"] >= heard_right["as said"] + 7, (heard_right, other_side)
    assert heard_right["told"] >= 240, (heard_right, other_side)
    assert other_side["told"] < other_side["as said"], (heard_right, other_side)


def test_answers_the_front_end_lost_across_the_room_reach_whisper(
        shared_audio: Path, whisper: Listener, rooms: Rooms) -> None:
    """Across the room Silero gave some answers almost no probability ("right"
    0.01-0.02 in every chunk), and Whisper was given nothing of them. At a
    question a frame far over the room's level is speech too (at one whose
    answers do not end the session, as while counting), and so is one the
    energy VAD flags that Silero gives 0.2 (as in the pause after the coach's
    voice): the recorded "right"s said at "Which knee?" reach Whisper and more
    are heard, and few are taken for the other side. The same Whisper with
    Silero alone at the questions is the comparison (at "End the session?" the
    coach keeps the loud rule off: test_voice_activity)."""
    from dataclasses import replace

    from coach.speech_in.command_listener import make_listener

    silero_alone = make_listener("whisper", config=replace(
        whisper.config, loud_at_questions=False, gap_at_questions=False))
    heard = {"coach": 0, "silero": 0}
    wordless = {"coach": 0, "silero": 0}
    left = {"coach": 0, "silero": 0}
    said = set()
    for path, name, got, listener in compared({"coach": whisper, "silero": silero_alone}, rooms,
                                              shared_audio, "right", State.ASK_SIDE):
        said.add(path)
        heard[name] += got == [("right", None)]
        left[name] += ("left", None) in got
        wordless[name] += all(d.reason in WORDLESS for d in listener.decisions)
    total = len(said)
    assert total == 156
    # Measured: 144 of 156 against 137; none given Whisper as nothing against 12;
    # taken for the left knee 1 against 0 (the same with the pause's rule kept off
    # just after a word Silero flagged). Either rule alone at the questions hears
    # most of them: the loud one 143, the pause's 146.
    assert heard["coach"] >= heard["silero"] + 5, (heard, wordless, left)
    assert heard["coach"] >= 140, (heard, wordless, left)
    assert wordless["coach"] <= 2 < wordless["silero"], (heard, wordless, left)
    assert left["coach"] <= 2, (heard, wordless, left)


def test_short_answers_in_loud_noise_reach_whisper(shared_audio: Path, whisper: Listener) -> None:
    """Close to the microphone, with real noise 10 dB under the word, Silero
    flagged too little of some short answers ("No.") and Whisper was given
    nothing of them, or too little to decode. At the questions the pause's rule
    holds too (a frame the energy VAD flags is speech if Silero gives it 0.2):
    the recorded "no"s and "yes"es said at "End the session?" reach Whisper, and
    more are heard. The same Whisper without the rule at the questions is the
    comparison."""
    from dataclasses import replace

    from coach.speech_in.command_listener import make_listener

    without = make_listener("whisper", config=replace(whisper.config, gap_at_questions=False))
    heard = {"coach": 0, "without": 0}
    wordless = {"coach": 0, "without": 0}
    other = {"coach": 0, "without": 0}
    said = set()
    for word in ("no", "yes"):
        for path, name, got, listener in compared({"coach": whisper, "without": without}, None,
                                                  shared_audio, word, State.CONFIRM_STOP, 10.0):
            said.add(path)
            heard[name] += got == [(word, None)]
            other[name] += any(g[0] != word for g in got)
            wordless[name] += all(d.reason in WORDLESS for d in listener.decisions)
    total = len(said)
    assert total == 299
    # Measured: 286 of 299 against 284 (288 and 285 before every listener was made
    # with OpenBLAS on one thread, as the live coach's: a clip or two go either way);
    # given Whisper nothing (or too little) 1 against 4; taken for another answer 1
    # against 1.
    assert heard["coach"] >= heard["without"], (heard, wordless, other)
    assert heard["coach"] >= 283, (heard, wordless, other)
    assert wordless["coach"] <= 2 < wordless["without"], (heard, wordless, other)
    assert other["coach"] <= 2, (heard, wordless, other)


def without_so() -> Listener:
    """The coach's Whisper without "so" among stop's sound-alike spellings."""
    from dataclasses import replace

    from coach.commands.parser import load_vocabulary
    from coach.speech_in.command_listener import make_listener

    vocabulary = load_vocabulary()
    heard_as = {words: intent for words, intent in vocabulary.heard_as.items() if words != ("so",)}
    assert len(heard_as) == len(vocabulary.heard_as) - 1
    return make_listener("whisper", vocabulary=replace(vocabulary, heard_as=heard_as))


def test_a_stop_across_the_room_written_so_stops_the_set(
        shared_audio: Path, whisper: Listener, rooms: Rooms) -> None:
    """Across the room the end of "stop" is lost in the echo, and Whisper
    writes a lone "So" for many said while a set is counted; the vocabulary
    takes that spelling for stop there. The same Whisper without it is the
    comparison: every recorded "stop", and nothing else taken for a command.
    Since each of the engine's second tries is made when the one before was
    not taken, the keyword model tells most of those stops by their sound
    even without the spelling (124 of 131 then, 125 with it)."""
    before = without_so()
    stopped = {"coach": 0, "without": 0}
    other = {"coach": 0, "without": 0}
    said = set()
    for path, name, got, _ in compared({"coach": whisper, "without": before}, rooms, shared_audio,
                                       "stop", State.WORKING):
        said.add(path)
        stopped[name] += got == [("stop", None)]
        other[name] += any(g != ("stop", None) for g in got)
    total = len(said)
    assert total == 131
    # Measured: 118 of 131 against 102 before the tries were made in turn, 125
    # against 124 after; 3 other commands taken in both.
    assert stopped["coach"] >= stopped["without"], (stopped, other)
    assert stopped["coach"] >= 120, (stopped, other)
    assert other["coach"] <= other["without"], (stopped, other)


def test_a_sentence_begun_with_so_across_the_room_stops_nothing(shared_audio: Path,
                                                                 whisper: Listener) -> None:
    """A recorded sentence said across the room while a set is counted: Whisper
    writes "So..." for its first words, decoded at the first pause. A stop
    said as itself is acted on there; "So" only sounds like one, and waits for
    the end of the utterance, which here goes on: nothing is stopped (at once,
    it was)."""
    noise = [read_audio(shared_audio / r["path"]) for r in rows(shared_audio, "_silence_", 20)]
    path = "librispeech/test-other/2609-156975-0002.flac"
    got = in_room(whisper, Rooms(count=16, seed=17), shared_audio, path, State.WORKING, noise,
                  as_session=True)
    assert got == [], [(d.reason, d.hypothesis.text) for d in whisper.decisions]


def television(shared: Path, n: int) -> list:
    """The benchmark's television: LibriSpeech sentences, each through a room of its own."""
    from bench_recognition import TV_ROOM_SEED

    with open(shared / "manifest.csv", newline="") as f:
        said = [r["path"] for r in csv.DictReader(f) if r["dataset"] == "librispeech"][:n]
    tv_rooms = Rooms(8, TV_ROOM_SEED)
    return [tv_rooms.say(read_audio(shared / path), path) for path in said]


def test_a_word_said_across_the_room_over_a_television_is_heard(
        shared_audio: Path, whisper: Listener, rooms: Rooms) -> None:
    """A television on in the room, 20 dB under the person (as the benchmark's
    "room TV 20 dB": on for 3 s before the word): the talk held every utterance
    open past a command's length, and the word was lost in it. Told apart from
    the room's talk, most words are heard; without that, few."""
    from bench_recognition import TV_LEAD_SECONDS

    from coach.speech_in.command_listener import make_listener
    from coach.speech_in.listener import WHISPER_CONFIG

    talk = television(shared_audio, 10)
    plain = make_listener("whisper", config=replace(WHISPER_CONFIG, talk_db=None))
    heard = {"told apart": 0, "not": 0}
    for word, moment in (("stop", State.WORKING), ("go", State.READY)):
        for r in rows(shared_audio, word, 8):
            pcm = rooms.say(read_audio(shared_audio / r["path"]), r["path"])
            track = on_track(pcm, lead=TV_LEAD_SECONDS)
            mic = noise_under(track, pcm, bed_for(talk, r["path"]), 20.0)
            for name, listener in (("told apart", whisper), ("not", plain)):
                tell(listener, listening(moment, question=moment_question(moment.value)))
                listener.reset()
                got = [h.heard.intent.value for h in stream(listener, mic, block_samples=480)]
                heard[name] += got == [word]
    # Here 15 and 3 of 16; the benchmark: 84.5% of commands with the rule, 17.9% without.
    assert heard["told apart"] >= 11, heard
    assert heard["not"] <= 6, heard


def test_a_television_alone_in_the_room_is_obeyed_in_nothing(
        shared_audio: Path, whisper: Listener) -> None:
    for pcm in television(shared_audio, 12):
        for moment in (State.WORKING, State.ASK_PAIN):
            tell(whisper, listening(moment, question=moment_question(moment.value)))
            whisper.reset()
            assert stream(whisper, on_track(pcm), block_samples=480) == []

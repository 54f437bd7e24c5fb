"""The neural voice's dictionaries, packed (coach.speech_out.packed_table): the
same answers as the dicts they came from, the same voice, far less memory."""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pytest

from coach.speech_out.hibari_engine import HibariEngine, _json
from coach.speech_out.hibari_files import read_voice_files
from coach.speech_out.packed_table import PackedTable


def test_every_key_answers_with_its_value_and_no_other_key_answers() -> None:
    table = {"read": {"VBD": "ɹˈɛd", "DEFAULT": "ɹˈid"}, "knee": "nˈi", "Knee": "nˈi",
             "café": "kæfˈA", "": "empty", "a": None, "zz top": [1, 2.5, "x"]}
    packed = PackedTable(table)
    assert len(packed) == len(table)
    for key, value in table.items():
        assert packed.get(key) == value and key in packed
    for missing in ("reads", "kne", "KNEE", "cafe", " ", "zz", "zz top ", "\udcff"):
        assert packed.get(missing) is None and missing not in packed
        assert packed.get(missing, "default") == "default"
    assert 3 not in packed


def test_a_value_handed_out_cannot_change_the_table() -> None:
    packed = PackedTable({"used": {"VBD": "jˈuzd", "DEFAULT": "jˈus"}})
    packed.get("used")["VBD"] = "changed"
    assert packed.get("used") == {"VBD": "jˈuzd", "DEFAULT": "jˈus"}


def test_a_key_with_a_nul_byte_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="a key holds a NUL byte: b'kn\\\\x00ee'"):
        PackedTable({"knee": "nˈi", "kn\x00ee": "?"})


def test_floats_come_back_exactly() -> None:
    weights = {f"w={i}": {"NN": float(x), "VB": -float(x) / 3}
               for i, x in enumerate(np.random.default_rng(0).standard_normal(500))}
    packed = PackedTable(weights)
    assert all(packed.get(k) == v for k, v in weights.items())


def test_the_voices_dictionary_packed_takes_a_fraction_of_its_dicts_memory() -> None:
    files = read_voice_files()
    gc.collect()
    tracemalloc.start()
    try:
        plain = _json(files["lexicon_us_gold.json.gz"])
        as_dicts = tracemalloc.get_traced_memory()[0]
        packed = PackedTable(plain)
        del plain
        gc.collect()
        as_packed = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(packed) == 90201
    assert as_packed < as_dicts / 3, (as_packed, as_dicts)


@pytest.fixture(scope="module")
def voices() -> tuple[HibariEngine, HibariEngine]:
    """The voice as coach builds it (packed tables) and one with hibari's own dicts."""
    from hibari.g2p.lexicon import Lexicon
    from hibari.g2p.tagger import Tagger

    files = read_voice_files()
    packed, plain = HibariEngine(files), HibariEngine(files)
    g2p = plain._tts._g2p
    g2p.lexicon = Lexicon(_json(files["lexicon_us_gold.json.gz"]),
                          _json(files["lexicon_us_silver.json.gz"]), False)
    g2p.tagger = Tagger(_json(files["tagger.json.gz"]))
    assert isinstance(packed._tts._g2p.tagger.tagdict, PackedTable)  # not the same thing twice
    return packed, plain


@pytest.mark.parametrize("text", [
    "Lie down, tighten your thigh, and lift your straight left leg.",
    "I read the record live yesterday; read it again and record it live.",
    "Used to it. 1,234 reps at 3:45 pm, twenty pounds, in 2026, with Dr. O'Neill.",
    "Wobble-board Pilates, thera-band, an x-ray of the MCL.",
])
def test_the_voice_says_the_same_with_its_tables_packed(
        voices: tuple[HibariEngine, HibariEngine], text: str) -> None:
    packed, plain = voices
    assert np.array_equal(packed.render(text, 160).samples, plain.render(text, 160).samples)

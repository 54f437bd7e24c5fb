"""The neural voice's packed tables answer exactly what hibari's own dicts answer."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from coach.speech_out.hibari_files import assets_folder, read_voice_files
from coach.speech_out.packed_tables import packed_lexicon, packed_object, packed_tagger_model

REPO = Path(__file__).resolve().parents[2]


def _assets() -> Path:
    folder = assets_folder()
    assert folder is not None, "hibari-tts is not installed: run scripts/setup"
    return folder


def _text(name: str) -> str:
    return gzip.decompress((_assets() / name).read_bytes()).decode("utf-8")


@pytest.mark.parametrize("name", ["lexicon_us_gold.json.gz", "lexicon_us_silver.json.gz"])
def test_every_word_of_a_lexicon_reads_as_json_gives_it(name: str) -> None:
    text = _text(name)
    expected = json.loads(text)
    table = packed_lexicon(text)
    assert len(table) == len(expected) > 50_000
    assert all(table.get(word) == value for word, value in expected.items())
    assert list(table.keys()) == sorted(expected, key=lambda k: k.encode("utf-8"))
    for absent in ("", "qqqzzz", "Knee-cap", "knee ", "KNEE", "ﬁ"):
        assert (absent in table) == (absent in expected)
        assert table.get(absent) == expected.get(absent)
    assert table.nbytes < 6_000_000  # the dict held some 18 MB


def test_the_tagger_model_reads_as_json_gives_it() -> None:
    text = _text("tagger.json.gz")
    expected = json.loads(text)
    model = packed_tagger_model(text)
    assert set(model) == set(expected)
    assert model["tags"] == expected["tags"] and model["vocab"] == expected["vocab"]
    for key in ("weights", "tagdict"):  # neither is in order in the file
        assert len(model[key]) == len(expected[key])
        assert all(model[key].get(f) == v for f, v in expected[key].items())
        assert model[key].get("no such feature") is None


def test_unordered_repeated_and_escaped_keys_read_as_json_gives_them() -> None:
    text = ('{"b": 1, "a": "x", "é": {"DEFAULT": "ɪ", "VBD": null}, "a\\"q": [1, 2.5], '
            '"b": 2, "\\u00e9t\\u00e9": "summer", "": 0, "a": "last"}')
    expected = json.loads(text)
    table, end = packed_object(text)
    assert end == len(text)
    assert len(table) == len(expected)
    for key, value in expected.items():
        assert key in table and table.get(key) == value
    assert table.get("c", "default") == "default" and table.get(3) is None  # type: ignore[arg-type]
    assert 3 not in table
    empty, _ = packed_object(" { } ")
    assert len(empty) == 0 and empty.get("a") is None


@pytest.mark.parametrize("bad", ['{"a": 1', '{"a" 1}', '{"a": 1,}', '{1: 2}',
                                 '{"a": 1} x', '{"a": tru}', ''])
def test_damaged_json_is_refused_as_json_refuses_it(bad: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(bad)
    with pytest.raises(json.JSONDecodeError):
        packed_lexicon(bad)


def test_json_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(json.JSONDecodeError, match="Expecting '{'"):
        packed_lexicon("[1, 2]")


def test_a_table_from_sorted_entries_needs_no_sort() -> None:
    table, _ = packed_object('{"a": "1", "b": "2", "ba": 3}')
    assert [table.get(k) for k in ("a", "b", "ba", "c")] == ["1", "2", 3, None]


def _spoken_lines() -> list[str]:
    """Every line the coach can say, placeholders filled (what scripts/bench_voice.py renders)."""
    sys.path.insert(0, str(REPO / "scripts"))
    from voice_lines import every_line

    return [line.text for line in every_line()]


def test_the_voice_reads_every_line_as_hibari_itself_would() -> None:
    """coach's build (packed tables, checked bytes) against hibari's own G2P, which
    reads the same files into dicts: the same phonemes for every line coach speaks."""
    from hibari.g2p import G2P

    from coach.speech_out.hibari_engine import build

    ours = build(read_voice_files())._g2p
    theirs = G2P()
    lines = _spoken_lines() + [
        "I read it yesterday; now read it again.", "Live here, and watch it live.",
        "I used to. It is used daily.", "Record a record of 12.5% at 3:30 on 2024-05-01.",
        "Dr. Smith's MRI: the VMO and IT band; Pes anserine bursitis.", "A an the to in by am I.",
    ]
    assert len(lines) > 200
    for line in lines:
        assert ours(line) == theirs(line), line


def test_the_stepwise_reader_gives_what_json_gives() -> None:
    from coach.speech_out import stepwise_json

    for text in (_text("tagger.json.gz"), '{"a": {"b": {"c": [1, {"d": 2.5}]}}, "e": {}}', " {} "):
        assert stepwise_json.loads(text) == json.loads(text)
    for bad in ('{"a": 1', '{"a": {"b" 1}}', '{"a": 1,}', '{"a": 1} x'):
        with pytest.raises(json.JSONDecodeError):
            stepwise_json.loads(bad)

"""A question's one-word answer told by the sound of the word: the model is data
that loads (or says it is damaged), it looks at the utterance and not the padding,
it never gives "yes", and across a room it hears answers the transcript missed
while other words stay nothing."""

from __future__ import annotations

import io

import numpy as np
import pytest

from coach.errors import CoachError
from coach.speech_in.keywords import (
    KEYWORDS,
    NUMBER,
    OTHER,
    TAKEN,
    UNASKED,
    KeywordModel,
    load_keyword_model,
    parse_keyword_model,
    pooled,
)


def model_bytes(**changes: object) -> bytes:
    """The shipped model's file, with some of its arrays changed."""
    model = load_keyword_model()
    assert model is not None
    arrays = {"classes": np.array(model.classes), "weights": model.weights, "bias": model.bias,
              "mean": model.mean, "scale": model.scale, "threshold": np.float64(model.threshold),
              "number_floor": np.float64(model.number_floor),
              "number_sure": np.float64(model.number_sure),
              "number_likely": np.float64(model.number_likely),
              "number_written": np.float64(model.number_written),
              "other_sure": np.float64(model.other_sure),
              "yes_floor": np.float64(model.yes_floor)}
    arrays.update(changes)  # type: ignore[arg-type]
    out = io.BytesIO()
    np.savez(out, **arrays)  # type: ignore[arg-type]
    return out.getvalue()


def model_bytes_without(*names: str) -> bytes:
    """The shipped model's file without its arrays ``names``."""
    with np.load(io.BytesIO(model_bytes())) as z:
        kept = {k: z[k] for k in z.files if k not in names}
    out = io.BytesIO()
    np.savez(out, **kept)  # type: ignore[arg-type]
    return out.getvalue()


def model_without(name: str) -> KeywordModel:
    """The shipped model as read from a file without its array ``name``."""
    return parse_keyword_model(model_bytes_without(name))


def surest_of(model: KeywordModel, word: str) -> np.ndarray:
    """Pooled states the model is surest are ``word``: along its own weights."""
    return model.mean + model.scale * model.weights[model.classes.index(word)] * 50.0


def test_the_shipped_model_loads_and_knows_each_answer_and_everything_else() -> None:
    model = load_keyword_model()
    assert model is not None
    assert model.classes == (*KEYWORDS, NUMBER, OTHER)
    assert model.weights.shape == (len(model.classes), model.mean.shape[0])
    assert 0.5 <= model.threshold < 1.0
    assert parse_keyword_model(model_bytes()).classes == model.classes


def test_yes_is_never_given_whatever_the_sound() -> None:
    """"Yes" ends the session at "End the session?": it is a class the others are
    told apart from, never an answer given this way; the others are given."""
    model = load_keyword_model()
    assert model is not None and "yes" in model.classes and "yes" not in TAKEN

    def surest(word: str) -> np.ndarray:
        return surest_of(model, word)

    for word in TAKEN:
        found = model.answer(surest(word), KEYWORDS)
        assert found is not None and found[0] == word and found[1] > 0.99
        assert model.answer(surest(word), tuple(w for w in KEYWORDS if w != word)) is None
    x = surest("yes")
    assert model.probabilities(x)["yes"] > 0.99
    assert model.answer(x, ("yes",)) is None
    assert model.answer(x, KEYWORDS) is None  # and no other answer is sure enough
    assert model.answer(surest(OTHER), KEYWORDS) is None


def test_stop_is_told_only_when_nothing_was_asked() -> None:
    """Mid-set (nothing asked) "stop" may be told by its sound, and nothing else;
    at a question "stop" is left to the transcript."""
    model = load_keyword_model()
    assert model is not None and UNASKED == ("stop",) and "stop" not in TAKEN

    def surest(word: str) -> np.ndarray:
        return surest_of(model, word)

    found = model.answer(surest("stop"), KEYWORDS, asked=False)
    assert found is not None and found[0] == "stop" and found[1] > 0.99
    assert model.answer(surest("stop"), KEYWORDS, asked=True) is None
    assert model.answer(surest("stop"), ("go", "left"), asked=False) is None  # not listened for
    for word in TAKEN:
        assert model.answer(surest(word), KEYWORDS, asked=False) is None
    assert model.answer(surest(OTHER), KEYWORDS, asked=False) is None


def test_a_word_is_no_number_only_when_the_model_is_sure_of_it() -> None:
    """At the rating question a one-word number is refused when the sound is surely
    no number; a number is never given this way (the model cannot tell which)."""
    model = load_keyword_model()
    assert model is not None and model.number_floor is not None
    assert 0.0 < model.number_floor <= 0.05 and NUMBER not in TAKEN + UNASKED

    def surest(word: str) -> np.ndarray:
        return surest_of(model, word)

    assert not model.no_number(surest(NUMBER))
    assert model.no_number(surest(OTHER))
    assert model.answer(surest(NUMBER), (*KEYWORDS, NUMBER)) is None
    assert model.answer(surest(NUMBER), (*KEYWORDS, NUMBER), asked=False) is None
    # Without a floor in the file the model says nothing about numbers.
    assert not model_without("number_floor").no_number(surest(OTHER))


def number_at(model: KeywordModel, low: float, high: float) -> np.ndarray:
    """Pooled states whose probability of a number is in [low, high): on the line
    from what the model is surest is another word to what it is surest is a number."""
    other, number = surest_of(model, OTHER), surest_of(model, NUMBER)
    a, b = 0.0, 1.0
    for _ in range(60):
        mid = (a + b) / 2
        x = other + mid * (number - other)
        p = model.probabilities(x)[NUMBER]
        if low <= p < high:
            return x
        a, b = (mid, b) if p < low else (a, mid)
    raise AssertionError(f"no point {low}-{high} a number")


def test_the_number_written_for_a_word_needs_more_the_less_it_sounds_like_one() -> None:
    """Surely a number: the number Whisper writes after the numbers is taken as
    written; likely one: only when written with confidence; otherwise not at all.
    Other words and the answers are neither."""
    model = load_keyword_model()
    assert model is not None and model.number_sure is not None and model.number_floor is not None
    assert model.number_likely is not None and model.number_written is not None
    assert model.number_floor < model.number_likely < 0.5 <= model.number_sure < 1.0
    assert 0.0 < model.number_written < 1.0
    assert model.number_needs(surest_of(model, NUMBER)) == 0.0
    likely = number_at(model, model.number_likely, model.number_sure)
    assert model.number_needs(likely) == model.number_written
    assert model.number_needs(number_at(model, model.number_floor, model.number_likely)) is None
    for word in (*KEYWORDS, OTHER):
        assert model.number_needs(surest_of(model, word)) is None, word
    for missing in ("number_likely", "number_written"):
        with pytest.raises(CoachError):  # one without the other is a damaged file
            model_without(missing)
    # Without the likely bar in the file, only what is surely a number is taken so.
    older = parse_keyword_model(model_bytes_without("number_likely", "number_written"))
    assert older.number_needs(likely) is None
    assert older.number_needs(surest_of(model, NUMBER)) == 0.0
    # Without number_sure the model never says a word is a number at all.
    oldest = parse_keyword_model(model_bytes_without("number_sure", "number_likely",
                                                     "number_written"))
    assert oldest.number_needs(surest_of(model, NUMBER)) is None
    assert oldest.no_number(surest_of(model, OTHER))  # the floor still applies


def test_a_word_is_surely_another_only_when_the_model_is_sure_of_it() -> None:
    """The sound of a word surely none of the answers (an answer written for it is
    then not taken); the answers and the digits are not."""
    model = load_keyword_model()
    assert model is not None and model.other_sure is not None
    assert 0.9 <= model.other_sure < 1.0
    assert model.other_word(surest_of(model, OTHER))
    for word in (*KEYWORDS, NUMBER):
        assert not model.other_word(surest_of(model, word)), word
    older = model_without("other_sure")
    assert older.other_sure is None and not older.other_word(surest_of(model, OTHER))


def test_a_word_is_surely_no_yes_only_when_the_model_is_sure_of_it() -> None:
    """The sound of a word surely no yes (a yes written for it, which would end the
    session, is then not taken): every other word it knows, and a yes is not."""
    model = load_keyword_model()
    assert model is not None and model.yes_floor is not None
    assert 0.0 < model.yes_floor <= 0.05
    assert not model.not_yes(surest_of(model, "yes"))
    for word in (OTHER, NUMBER, *(k for k in KEYWORDS if k != "yes")):
        assert model.not_yes(surest_of(model, word)), word
    older = model_without("yes_floor")
    assert older.yes_floor is None and not older.not_yes(surest_of(model, OTHER))
    # The rest of an older file still works as before.
    assert older.other_word(surest_of(model, OTHER)) and older.no_number(surest_of(model, OTHER))


@pytest.mark.parametrize("change", [
    {"number_floor": np.float64(0.0)},
    {"number_floor": np.float64(1.5)},
    {"number_floor": np.float64(np.nan)},
    {"number_sure": np.float64(1.0)},
    {"number_sure": np.float64(np.nan)},
    {"number_sure": np.float64(0.005)},  # under the floor: surely a number and surely none
    {"number_likely": np.float64(0.95)},  # above surely a number
    {"number_likely": np.float64(0.005)},  # under the floor
    {"number_likely": np.float64(np.nan)},
    {"number_written": np.float64(1.0)},
    {"number_written": np.float64(0.0)},
    {"number_written": np.float64(np.nan)},
    {"other_sure": np.float64(0.3)},  # under a half: another word and an answer at once
    {"other_sure": np.float64(1.0)},
    {"other_sure": np.float64(np.nan)},
    {"yes_floor": np.float64(0.0)},  # refuses nothing: leave it out instead
    {"yes_floor": np.float64(0.5)},  # a yes and no yes at once
    {"yes_floor": np.float64(np.nan)},
    {"weights": np.zeros((6, 3))},
    {"bias": np.zeros(2)},
    {"scale": None},
    {"threshold": np.float64(0.0)},
    {"threshold": np.float64(1.5)},
    {"classes": np.array(["go", "no", "left", "right", "yes", "maybe"])},
    {"weights": None},
])
def test_a_damaged_model_is_a_clear_error_not_a_traceback(change: dict[str, object]) -> None:
    model = load_keyword_model()
    assert model is not None
    if change.get("scale", 1) is None:
        change = {"scale": np.where(np.arange(model.scale.size) == 3, 0.0, model.scale)}
    if change.get("weights", 1) is None:
        w = model.weights.copy()
        w[1, 7] = np.nan
        change = {"weights": w}
    with pytest.raises(CoachError, match="damaged.*Reinstall coach"):
        parse_keyword_model(model_bytes(**change))


@pytest.mark.parametrize("data", [b"", b"not a model", b"PK\x03\x04 cut short"])
def test_a_file_that_is_no_model_is_a_clear_error(data: bytes) -> None:
    with pytest.raises(CoachError, match="damaged.*Reinstall coach"):
        parse_keyword_model(data)


def test_a_model_file_with_an_array_missing_is_a_clear_error() -> None:
    out = io.BytesIO()
    np.savez(out, classes=np.array(["go", OTHER]), weights=np.zeros((2, 3)))
    with pytest.raises(CoachError, match="damaged"):
        parse_keyword_model(out.getvalue())


def test_a_pickled_array_is_refused_not_run() -> None:
    out = io.BytesIO()
    np.savez(out, classes=np.array([object()], dtype=object))
    with pytest.raises(CoachError, match="damaged"):
        parse_keyword_model(out.getvalue())


def test_the_states_are_pooled_over_the_utterance_not_the_padding_after_it() -> None:
    rng = np.random.default_rng(1)
    states = rng.normal(size=(1, 250, 384)).astype(np.float32)
    x = pooled(states, 0.5)  # 26 frames of 20 ms
    assert x.shape == (3 * 384,)
    later = states.copy()
    later[0, 26:] += 100.0  # the window's padding
    assert np.array_equal(pooled(later, 0.5), x)
    within = states.copy()
    within[0, 25] += 100.0
    assert not np.array_equal(pooled(within, 0.5), x)
    assert np.allclose(x[:384], states[0, :26].mean(0), atol=1e-5)
    assert pooled(states, 0.0).shape == (3 * 384,)  # an empty utterance: one frame
    assert pooled(states, 60.0).shape == (3 * 384,)  # longer than the window: all of it


def test_the_message_never_advises_loading_a_file_unsafely() -> None:
    out = io.BytesIO()
    np.savez(out, classes=np.array([object()], dtype=object))
    for data in (b"garbage", out.getvalue()):
        with pytest.raises(CoachError) as caught:
            parse_keyword_model(data)
        assert "pickle" not in str(caught.value) and "unsafe" not in str(caught.value)

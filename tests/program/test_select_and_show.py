"""Choosing exercises by condition, filling in the side, and the plain-text description."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from coach.errors import CoachError
from coach.program.describe import describe_program
from coach.program.loader import find_program, load_bundled
from coach.program.model import Program, Side, fill_side
from coach.program.select import resolve_conditions, select_routine
from coach.spoken_text import load_lines

REPO_PROGRAM = Path(__file__).resolve().parents[2] / "coach" / "bundled_programs" / "medial-knee.yaml"

PES_ANSERINE = [
    "straight-leg-raise",
    "seated-knee-extension",
    "resisted-side-stepping",
    "wall-squat",
]


@pytest.fixture(scope="module")
def program() -> Program:
    return load_bundled()


@pytest.mark.parametrize(
    "name", ["pes-anserine", "bursitis", "Pes Anserine Bursitis", " pes anserine "]
)
def test_select_by_id_name_or_alias(program: Program, name: str) -> None:
    chosen = select_routine(program, [name])
    assert [e.id for e in chosen.exercises] == PES_ANSERINE
    assert chosen.sources == program.sources and chosen.safety == program.safety


def test_select_several_conditions_keeps_the_article_order(program: Program) -> None:
    chosen = select_routine(program, ["bursitis", "kneecap"])
    assert [e.id for e in chosen.exercises] == [e.id for e in program.exercises]
    only_pes_or_knee_ext = select_routine(program, ["pes-anserine", "pes-anserine"])
    assert [e.id for e in only_pes_or_knee_ext.exercises] == PES_ANSERINE
    no_kneecap = {e.id for e in program.exercises} - {
        e.id for e in select_routine(program, ["patellar subluxation"]).exercises
    }
    assert no_kneecap == {"seated-knee-extension"}


def test_no_condition_means_the_whole_program(program: Program) -> None:
    assert select_routine(program, []) is program


def test_unknown_condition_lists_the_known_ones(program: Program) -> None:
    with pytest.raises(CoachError) as caught:
        select_routine(program, ["gout"])
    message = str(caught.value)
    assert "'gout'" in message
    for cond in program.conditions:
        assert cond.id in message
    assert "bursitis" in message and "oa" in message
    assert resolve_conditions(program, ["OA", "mcl"])[1].id == "mcl-sprain"


def test_render_fills_the_side_or_speaks_of_the_sore_leg() -> None:
    template = "Lift your {side} leg. Bend your {other_side} knee."
    assert fill_side(template, Side.LEFT) == "Lift your left leg. Bend your right knee."
    assert fill_side(template, Side.RIGHT) == "Lift your right leg. Bend your left knee."
    assert fill_side(template, None) == "Lift your sore leg. Bend your other knee."


def test_show_pes_anserine_on_the_left(program: Program) -> None:
    conditions = resolve_conditions(program, ["pes-anserine"])
    text = describe_program(select_routine(program, ["pes-anserine"]), Side.LEFT, conditions)
    headings = re.findall(r"^Exercise \d of (\d): (.+) \(", text, re.MULTILINE)
    assert headings == [
        ("4", "straight leg raise"),
        ("4", "seated knee extension"),
        ("4", "resisted side-stepping"),
        ("4", "wall squat"),
    ]
    assert "{" not in text and "sore" not in text
    assert "your left leg" in text and "your left knee" in text
    # "right" appears only as the other leg, never as the one being trained
    for match in re.finditer(r"\bright\b\s+(\w+)", text):
        sentence = text[: match.start()].rsplit("\n", 1)[-1] + match.group(0)
        assert match.group(1) in ("leg", "knee", "foot"), sentence
    step_lines = [line for line in text.splitlines() if re.search(r"\bright\b", line)]
    assert step_lines and all("your right" in line for line in step_lines)
    for ex in program.exercises:
        for step in ex.steps:
            if "{other_side}" in step.text and ex.id in PES_ANSERINE:
                assert fill_side(step.text, Side.LEFT) in text


def test_show_lists_every_fact_of_an_exercise(program: Program) -> None:
    text = describe_program(program, Side.RIGHT)
    squat = program.exercise("wall-squat")
    for step in squat.steps:
        assert fill_side(step.text, Side.RIGHT) in text
    for level in squat.levels:
        assert level.cue in text
    assert "  2. halfway down (default): same dose." in text
    assert "Ranges in the source: 2 to 3 sets." in text
    assert "Ranges in the source: 5 to 10 reps; hold up to 30 seconds." in text
    assert "Ranges in the source: hold 1 to 2 seconds; lift 12 to 16 inches." in text
    assert "Rest 45 seconds between sets." in text
    assert "each set is 10 steps one way, then 10 back" in text
    assert "Equipment: a resistance band" in text
    assert "Needs: a sofa cushion or a thick bath towel." in text
    assert "Hold 5 seconds (counted)" in text
    for source in program.sources:
        assert source.text in text
        if source.doi:
            assert f"doi:{source.doi}" in text
    assert program.credit in text
    for safety in program.safety_lines:
        assert safety in text
    for cond in program.conditions:
        assert f"{cond.id}: {cond.name}" in text


def test_show_without_a_side_speaks_of_the_sore_leg(program: Program) -> None:
    text = describe_program(program, None)
    assert "your sore leg" in text and "your other knee" in text
    assert not re.search(r"\b(left|right)\b", text)


def test_find_program_by_id_or_path(program: Program, tmp_path) -> None:
    from coach.program.loader import bundled_program_paths

    copy = tmp_path / "mine.yaml"
    copy.write_bytes(bundled_program_paths()["medial-knee"].read_bytes())
    assert find_program(str(copy)) == program
    assert find_program("medial-knee") == program
    with pytest.raises(CoachError, match="No program called 'knee-thing'"):
        find_program("knee-thing")
    with pytest.raises(CoachError, match="No bundled program is called 'nope'"):
        load_bundled("nope")


def test_the_opening_safety_follows_the_exercises_in_the_routine(program: Program) -> None:
    """Pes anserine bursitis leaves out the balance work, and its safety line with it."""
    whole = " ".join(program.safety_lines)
    assert "For the balance work" in whole
    bursitis = select_routine(program, ["pes-anserine"])
    assert all(e.id != "single-leg-balance" for e in bursitis.exercises)
    chosen = " ".join(bursitis.safety_lines)
    assert "For the balance work" not in chosen and "doctor" in chosen and "shoes" in chosen
    from coach.core.session import Session
    from coach.settings import Settings

    said = [a.text for a in Session(bursitis, settings=Settings(), lines=load_lines()).start(0.0) if hasattr(a, "text")]
    assert said and not any("balance" in line for line in said)


def test_a_safety_line_for_an_exercise_the_program_lacks_is_an_error(tmp_path: Path) -> None:
    from coach.errors import ProgramError
    from coach.program.loader import load_program

    text = (REPO_PROGRAM.read_text(encoding="utf-8")
            .replace("exercises: [single-leg-balance]", "exercises: [tightrope]"))
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProgramError, match=r"p\.yaml:\d+: safety\[2\]\.exercises\[0\]: unknown exercise id 'tightrope'"):
        load_program(path)

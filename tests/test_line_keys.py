"""Every line the code asks for is in its ``lines.yaml``: found by reading the source.

The walk finds each lookup (``lines.get``/``lines.count`` for the routine's
copy, ``phrase`` for the history's, ``runtime_line`` and ``speech_out_line``)
and works out which keys it can ask for: a literal, a name bound to literals
(a constant, a table of keys, a local, a parameter filled in by its callers).
A key it cannot work out, or one built at run time, is a failure too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from coach.spoken_text import read_lines

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "coach"

# Each lines file, and the calls that ask it for a line (``lines.get``: a
# ``get`` on anything named ``lines``).
LOOKUPS: dict[str, tuple[str, ...]] = {
    "core/lines.yaml": ("lines.get", "lines.count"),
    "history/lines.yaml": ("phrase",),
    "runtime/lines.yaml": ("runtime_line",),
    "speech_out/lines.yaml": ("speech_out_line",),
}
SKIP = {"spoken_text.py"}  # the loader itself (``count`` adds ``_one`` to a key it is given)


@dataclass
class Walk:
    """What the walk found for one lines file: ``file:line`` of each key, and what it could not tell."""

    keys: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _lookup(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return f"{_name(func.value)}.{func.attr}"
    return ""


class Module:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.tree = ast.parse(text)
        self.parents: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node

    def functions_of(self, node: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
        """The functions ``node`` is in, innermost first (a closure sees its outer names)."""
        found = []
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found.append(node)
        return found

    def is_method(self, function: ast.AST) -> bool:
        return isinstance(self.parents.get(function), ast.ClassDef)


class Walker:
    def __init__(self, modules: list[Module]) -> None:
        self.modules = modules

    def keys(self, expr: ast.expr, module: Module, depth: int = 0) -> Iterator[str | None]:
        """The keys ``expr`` can be; None for a key that cannot be worked out."""
        if depth > 6:
            yield None
        elif isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            yield expr.value
        elif isinstance(expr, ast.IfExp):
            yield from self.keys(expr.body, module, depth + 1)
            yield from self.keys(expr.orelse, module, depth + 1)
        elif isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
            for element in expr.elts:
                yield from self.keys(element, module, depth + 1)
        elif isinstance(expr, ast.Dict):
            for value in expr.values:
                yield from self.keys(value, module, depth + 1)
        elif isinstance(expr, ast.Subscript) and getattr(expr, "unpacked", False):
            assert isinstance(expr.slice, ast.Constant)
            for element in self.elements(expr.value, expr.slice.value, module, depth + 1):
                yield from self.keys(element, module, depth + 1)
        elif isinstance(expr, ast.Subscript):
            yield from self.keys(expr.value, module, depth + 1)  # a table of keys
        elif isinstance(expr, ast.Call) and _lookup(expr).endswith(".get") and expr.args:
            assert isinstance(expr.func, ast.Attribute)
            yield from self.keys(expr.func.value, module, depth + 1)  # table.get(x, default)
            for default in expr.args[1:]:
                yield from self.keys(default, module, depth + 1)
        elif isinstance(expr, ast.Name):
            yield from self.bound(expr, module, depth + 1)
        else:
            yield None  # an f-string (a key built at run time) or anything else

    def bound(self, name: ast.Name, module: Module, depth: int) -> Iterator[str | None]:
        for function in module.functions_of(name):
            params = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
            if name.id in params or name.id in [a.arg for a in function.args.kwonlyargs]:
                yield from self.callers(function, module, name.id, depth)
                default = _default(function.args, name.id)
                if default is not None:
                    yield from self.keys(default, module, depth)
                return
            values = list(self.assigned(function, name.id))
            if values:
                for value in values:
                    yield from self.keys(value, module, depth)
                return
        values = list(self.assigned(module.tree, name.id, top_only=True))
        if not values:
            yield None
        for value in values:
            yield from self.keys(value, module, depth)

    def elements(self, value: ast.expr, index: int, module: Module,
                 depth: int) -> Iterator[ast.expr]:
        """Element ``index`` of what ``value`` can be (``a, b = value``)."""
        if depth > 6:
            return
        if isinstance(value, ast.Tuple):
            if index < len(value.elts):
                yield value.elts[index]
        elif isinstance(value, ast.IfExp):
            yield from self.elements(value.body, index, module, depth + 1)
            yield from self.elements(value.orelse, index, module, depth + 1)
        elif isinstance(value, ast.Call):  # a, b = f(): what f returns
            for returned in self.returns(value, module):
                yield from self.elements(returned, index, module, depth + 1)
        elif isinstance(value, ast.Name):
            scopes = [*module.functions_of(value), module.tree]
            for scope in scopes:
                found = list(self.assigned(scope, value.id, top_only=scope is module.tree))
                for bound in found:
                    yield from self.elements(bound, index, module, depth + 1)
                if found:
                    return

    @staticmethod
    def returns(call: ast.Call, module: Module) -> Iterator[ast.expr]:
        """What a function of this module, called by name, returns (None left out)."""
        for node in ast.iter_child_nodes(module.tree):
            if isinstance(node, ast.FunctionDef) and _name(call.func) == node.name:
                for returned in ast.walk(node):
                    if isinstance(returned, ast.Return) and returned.value is not None:
                        if not (isinstance(returned.value, ast.Constant)
                                and returned.value.value is None):
                            yield returned.value

    @staticmethod
    def assigned(scope: ast.AST, name: str, top_only: bool = False) -> Iterator[ast.expr]:
        nodes = ast.iter_child_nodes(scope) if top_only else ast.walk(scope)
        for node in nodes:
            if isinstance(node, ast.AnnAssign) and _name(node.target) == name and node.value:
                yield node.value
            if not isinstance(node, ast.Assign):
                continue
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == name:
                    yield node.value
                elif isinstance(target, ast.Tuple):
                    for i, element in enumerate(target.elts):
                        if isinstance(element, ast.Name) and element.id == name:
                            yield _unpacked(node.value, i)

    def callers(self, function: ast.FunctionDef | ast.AsyncFunctionDef, home: Module,
                param: str, depth: int) -> Iterator[str | None]:
        """What the callers of ``function`` (by its name) pass as ``param``.

        A method is called as ``x.name(...)``, a function as ``name(...)``; a
        function nested in another only from its own module.
        """
        method = home.is_method(function)
        nested = bool(home.functions_of(function))
        positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        if method and positional:
            positional = positional[1:]
        found = False
        for module in [home] if nested else self.modules:
            for call in ast.walk(module.tree):
                if not isinstance(call, ast.Call):
                    continue
                kind = ast.Attribute if method else ast.Name
                if not (isinstance(call.func, kind) and _name(call.func) == function.name):
                    continue
                args = [k.value for k in call.keywords if k.arg == param]
                if param in positional and positional.index(param) < len(call.args):
                    args.append(call.args[positional.index(param)])
                for arg in args:
                    found = True
                    yield from self.keys(arg, module, depth + 1)
        if not found:
            yield None


def _default(args: ast.arguments, name: str) -> ast.expr | None:
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    return next((default for arg, default in pairs if arg.arg == name), None)


def _unpacked(value: ast.expr, index: int) -> ast.Subscript:
    """Stands for element ``index`` of ``value`` in ``a, b = value``."""
    node = ast.Subscript(value, ast.Constant(index), ast.Load())
    node.unpacked = True  # type: ignore[attr-defined]
    return node


def walk(sources: Mapping[Path, str]) -> dict[str, Walk]:
    """For each lines file, every key the code in ``sources`` asks it for."""
    modules = [Module(path, text) for path, text in sources.items()]
    walker = Walker(modules)
    found = {file: Walk() for file in LOOKUPS}
    for module in modules:
        for call in ast.walk(module.tree):
            if not (isinstance(call, ast.Call) and call.args):
                continue
            name = _lookup(call)
            for file, lookups in LOOKUPS.items():
                if name not in lookups:
                    continue
                where = f"{module.path.name}:{call.lineno}"
                for key in set(walker.keys(call.args[0], module)):
                    if key is None:
                        found[file].problems.append(f"{where}: cannot tell which line it asks for")
                    else:
                        found[file].keys.setdefault(key, []).append(where)
    return found


def gaps(walked: Walk, templates: Mapping[str, str]) -> list[str]:
    return [f"{', '.join(sorted(set(places)))}: no line '{key}'"
            for key, places in sorted(walked.keys.items()) if key not in templates]


def package_sources() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in sorted(PACKAGE.rglob("*.py"))
            if path.name not in SKIP}


WALKED = walk(package_sources())


@pytest.mark.parametrize("file", sorted(LOOKUPS))
def test_every_line_the_code_asks_for_is_in_its_file(file: str) -> None:
    walked = WALKED[file]
    assert not walked.problems, "\n".join(walked.problems)
    assert walked.keys, f"found no lookups of {file}: the walk is broken"
    missing = gaps(walked, read_lines(PACKAGE / file).templates)
    assert not missing, f"coach/{file}:\n" + "\n".join(missing)


def test_the_walk_finds_a_missing_line_and_a_key_it_cannot_tell() -> None:
    source = '''
NOT_NOW = {1: "not_now_set", 2: "gone_line"}

def answer(ctx, state, which):
    key = "ask_pain" if state else "welcome"
    ctx.say(ctx.lines.get(key))
    ctx.say(ctx.lines.get(NOT_NOW.get(state, "not_now")))
    ctx.say(ctx.lines.get(f"help_levels_{which}"))
    say_once(ctx, "no_such_runtime_line")

def say_once(ctx, note):
    return runtime_line(note)
'''
    walked = walk({Path("made_up.py"): source})
    core = read_lines(PACKAGE / "core/lines.yaml").templates
    assert {"ask_pain", "welcome", "not_now_set", "gone_line", "not_now"} <= set(walked[
        "core/lines.yaml"].keys)
    assert gaps(walked["core/lines.yaml"], core) == ["made_up.py:7: no line 'gone_line'"]
    assert walked["core/lines.yaml"].problems == [
        "made_up.py:8: cannot tell which line it asks for"]
    runtime = read_lines(PACKAGE / "runtime/lines.yaml").templates
    assert gaps(walked["runtime/lines.yaml"], runtime) == [
        "made_up.py:12: no line 'no_such_runtime_line'"]


def test_a_line_taken_out_of_a_file_is_found() -> None:
    core = dict(read_lines(PACKAGE / "core/lines.yaml").templates)
    del core["ask_pain"]
    assert any("no line 'ask_pain'" in gap for gap in gaps(WALKED["core/lines.yaml"], core))


def test_a_file_without_a_line_its_part_requires_is_refused_naming_file_and_key(
    tmp_path: Path,
) -> None:
    from coach.history.phrases import REQUIRED
    from coach.spoken_text import LinesError

    text = (PACKAGE / "history/lines.yaml").read_text(encoding="utf-8")
    copy = tmp_path / "lines.yaml"
    copy.write_text("\n".join(line for line in text.splitlines()
                              if not line.startswith("long_gap:")), encoding="utf-8")
    with pytest.raises(LinesError, match=rf"{copy}: missing lines: long_gap\."):
        read_lines(copy, placeholders=REQUIRED)


@pytest.mark.parametrize("file", sorted(LOOKUPS))
def test_the_list_checked_at_start_is_every_key_the_code_asks_for(file: str) -> None:
    """``coach/line_keys.yaml`` (what ``coach`` checks each file against as it
    starts) holds exactly the keys the walk finds in the source."""
    from coach.spoken_text import keys_used

    listed, found = keys_used(file), set(WALKED[file].keys)
    assert listed == found, (
        f"coach/line_keys.yaml, {file}: add {sorted(found - listed)}, "
        f"take out {sorted(listed - found)}"
    )


def test_a_lines_file_missing_a_key_stops_coach_at_its_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A key the code asks for taken out of a bundled file: ``coach`` stops as it
    starts, before the command runs, with one line naming the file and the key."""
    import coach.spoken_text
    from coach.cli import main

    for name in LOOKUPS:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        text = (PACKAGE / name).read_text(encoding="utf-8")
        if name == "runtime/lines.yaml":  # a line only said when a session is interrupted
            text = "\n".join(line for line in text.splitlines()
                             if not line.startswith("interrupted_nothing_done:"))
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(coach.spoken_text, "PACKAGE", tmp_path)
    assert main(["programs"]) == 1
    out, err = capsys.readouterr()
    assert out == ""  # the command did not run
    assert err == (f"coach: {tmp_path / 'runtime/lines.yaml'}: missing lines: "
                   "interrupted_nothing_done. Add them and try again.\n")

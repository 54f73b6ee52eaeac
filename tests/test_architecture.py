"""The shape of the code, checked (issue 13, ``DEVELOPERS.md``): data flows one way, rules live in
their families, the engine keeps nothing between calls, and functions stay short.

Each check reads the source with :mod:`ast`; none runs the code.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "racedesk"
#: Longest function outside tests, unless a comment in it says why it must be longer.
MOST_LINES = 80
#: The words a comment uses to say why a function is long.
WHY = "longer than"


def modules(folder: str = "") -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        if "static" in path.parts:
            continue
        yield path, ast.parse(path.read_text(), filename=str(path))


def imported(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


@pytest.mark.parametrize("folder", ["sources", "store", "model"])
def test_adapters_the_store_and_the_model_do_not_import_the_engine(folder: str) -> None:
    wrong = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path, tree in modules(folder)
        for name in imported(tree)
        if name == "racedesk.engine" or name.startswith("racedesk.engine.")
    ]
    assert not wrong, "\n".join(wrong)


def test_the_engine_the_rules_and_the_tabulation_import_no_outside_layer() -> None:
    outside = ("racedesk.sources", "racedesk.store", "racedesk.publish", "racedesk.desk")
    wrong = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for folder in ("engine", "rules", "model", "rcv", "money")
        for path, tree in modules(folder)
        for name in imported(tree)
        if name.startswith(outside) or name == "racedesk.cli"
    ]
    assert not wrong, "\n".join(wrong)


def _mentions_rule_kind(node: ast.AST) -> bool:
    """``….rule.kind`` or ``rule.kind`` compared or tested (``==``, ``in``, ``if``)."""
    for sub in ast.walk(node):
        if (
            isinstance(sub, ast.Attribute)
            and sub.attr == "kind"
            and (
                (isinstance(sub.value, ast.Name) and sub.value.id in ("rule", "spec"))
                or (isinstance(sub.value, ast.Attribute) and sub.value.attr == "rule")
            )
        ):
            return True
    return False


def test_no_code_outside_the_rules_branches_on_a_rule_s_kind() -> None:
    """A rule's kind may be written out (an export's column, a document's field) or looked up
    in ``rules.FAMILIES``, but only ``rules/`` decides anything by it."""
    wrong: list[str] = []
    for path, tree in modules():
        if "rules" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(tree):
            tests: list[ast.AST] = []
            if isinstance(node, ast.If | ast.IfExp | ast.While | ast.Assert):
                tests.append(node.test)
            elif isinstance(node, ast.Compare):
                tests.append(node)
            elif isinstance(node, ast.Subscript):
                tests.append(node.slice)  # a table keyed by the kind: NAMES[rule.kind]
            elif isinstance(node, ast.comprehension):
                tests.extend(node.ifs)
            wrong.extend(
                f"{path.relative_to(PACKAGE)}:{test.lineno}"  # type: ignore[attr-defined]
                for test in tests
                if _mentions_rule_kind(test)
            )
    assert not sorted(set(wrong)), "branches on a rule's kind:\n" + "\n".join(sorted(set(wrong)))


def test_the_engine_keeps_no_module_global_cache() -> None:
    """No memo at a module's top level in the engine or the rules: what is kept between calls
    belongs to an object the caller owns (``engine.index.ElectionIndex``)."""
    wrong: list[str] = []
    for folder in ("engine", "rules"):
        for path, tree in modules(folder):
            for node in tree.body:
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Name) and sub.id in ("lru_cache", "cache", "PerObject"):
                        wrong.append(f"{path.relative_to(PACKAGE)}:{sub.lineno} {sub.id}")
                    if isinstance(sub, ast.Attribute) and sub.attr in ("lru_cache", "cache"):
                        wrong.append(f"{path.relative_to(PACKAGE)}:{sub.lineno} {sub.attr}")
                if isinstance(node, ast.Assign | ast.AnnAssign):
                    value = node.value
                    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                    name = target.id if isinstance(target, ast.Name) else ""
                    mutable = isinstance(value, ast.Dict | ast.List | ast.Set) or (
                        isinstance(value, ast.Call)
                        and isinstance(value.func, ast.Name)
                        and value.func.id in ("dict", "list", "set", "OrderedDict")
                    )
                    if mutable and not name.isupper() and name != "__all__":
                        wrong.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {name}")
    assert not wrong, "module-level caches:\n" + "\n".join(wrong)


def _long_functions() -> Iterator[str]:
    benchmarks = sorted((ROOT / "benchmarks").glob("*.py"))
    scripts = [(path, ast.parse(path.read_text(), filename=str(path))) for path in benchmarks]
    for path, tree in [*modules(), *scripts]:
        lines = path.read_text().splitlines()
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            body = "\n".join(lines[node.lineno - 1 : node.end_lineno])
            if length > MOST_LINES and WHY not in body:
                yield f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)"


def test_no_function_is_longer_than_80_lines_unless_it_says_why() -> None:
    """In the package and the benchmarks (everything but the tests)."""
    long = list(_long_functions())
    assert not long, "\n".join(long)


def test_create_app_is_short() -> None:
    path = PACKAGE / "publish" / "web" / "app.py"
    tree = ast.parse(path.read_text())
    (create,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "create_app"]
    assert (create.end_lineno or 0) - create.lineno + 1 <= 60


def test_every_import_of_racedesk_resolves_even_inside_functions() -> None:
    """Imports made inside functions (the CLI's, to start fast) are only run when the command
    is: each must name a module and a name that exist."""
    import importlib

    wrong: list[str] = []
    for path, tree in modules():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.module and node.level == 0):
                continue
            if not node.module.startswith("racedesk"):
                continue
            try:
                module = importlib.import_module(node.module)
            except ImportError as exc:
                wrong.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {exc}")
                continue
            for alias in node.names:
                if not hasattr(module, alias.name):
                    try:
                        importlib.import_module(f"{node.module}.{alias.name}")
                    except ImportError:
                        wrong.append(
                            f"{path.relative_to(PACKAGE)}:{node.lineno} "
                            f"{node.module} has no {alias.name}"
                        )
    assert not wrong, "\n".join(wrong)

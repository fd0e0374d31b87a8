"""The layering DESIGN-style habits promise, checked on the source (ast, nothing imported):
no import cycle inside the package, Flask only in the HTTP layer, environment variables read
only in config.py."""

from __future__ import annotations

import ast
from pathlib import Path

import emulator

ROOT = Path(emulator.__file__).parent
PACKAGE = "emulator"


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _type_checking_only(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the package that `name` imports at run time, lazy imports in functions
    included (a cycle through a lazy import is still a cycle); `if TYPE_CHECKING:` left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for block in ast.walk(tree) if _type_checking_only(block)
               for n in ast.walk(block)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports(name, path, known) for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = counter
                counter += 1
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_the_graph_sees_the_package():
    graph = import_graph()
    assert len(graph) > 80
    assert "emulator.delivery.dispatcher" in graph["emulator.backend"]
    assert "emulator.api.common" in graph["emulator.api.stream"]  # relative imports resolved
    assert "emulator.catalog.types" in graph["emulator.fields"]  # lazy, inside a function


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_the_package():
    assert cycles(import_graph()) == []


def test_flask_is_imported_only_by_the_http_layer():
    offenders = []
    for name, path in modules().items():
        if name == "emulator.api" or name.startswith("emulator.api."):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and
                     not node.level else [])
            offenders += [f"{name}: {n}" for n in names
                          if n.split(".")[0] in ("flask", "flask_wtf")]
    assert offenders == []


def test_environment_is_read_only_in_config():
    offenders = []
    for name, path in modules().items():
        if name == "emulator.config":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
                offenders.append(f"{name}:{node.lineno} .{node.attr}")
            elif isinstance(node, ast.ImportFrom) and node.module == "os" and any(
                    a.name in ("environ", "getenv", "environb") for a in node.names):
                offenders.append(f"{name}:{node.lineno} from os import …")
    assert offenders == []


def test_no_pointers_to_files_that_do_not_ship():
    """The package's text says the fact; DESIGN.md, the reference notes and issue numbers are
    not in the wheel, so a pointer to them tells a user nothing."""
    import re

    pointer = re.compile(r"DESIGN\.md|reference/|stream-api\.md|moto-notes|issue \d+ ?§")
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in sorted(ROOT.rglob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pointer.search(line)]
    assert offenders == []

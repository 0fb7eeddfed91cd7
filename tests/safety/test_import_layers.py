"""The imports of diazlog/ run one way: no module imports one that imports it back (directly or
around a loop), no lower layer imports a higher one, nothing private crosses modules, and the
lower layers stay free of the libraries of the higher ones (store never imports Textual).

Every import counts: those inside functions, under `if TYPE_CHECKING:`, and relative ones
(resolved against the importing module's package). The checker is plain `ast` over the
files, so it sees what a lazy import would hide from a running program, and it is tried on
small planted packages below to show that it fails when it should.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import diazlog

PACKAGE = Path(diazlog.__file__).resolve().parent  # wherever this test file is moved to

# The layers, lowest first: a module may import its own layer's modules (cycles aside) and
# any layer of a lower rank, never one of the same or a higher rank. A name covers its
# sub-packages and modules (the longest name wins); "diazlog" is only the package's __init__.
LAYERS: dict[str, int] = {
    "diazlog": 0,  # __init__: the version, nothing else
    "diazlog.domain": 0,  # pure rules over plain data: nothing of diazlog outside domain
    "diazlog.paths": 1,  # where the diary lives by default (platformdirs)
    "diazlog.collector": 1,  # pausing Python's cycle collector while the app starts
    "diazlog.store.file": 2,  # the diary file: open, encrypt, back up, check, migrate, lock
    "diazlog.store.queries": 3,  # the rows: all the SQL of what is recorded; may use file
    "diazlog.store": 4,  # the package: open_database and StoreError for the layers above
    "diazlog.report": 5,  # the visit report (PDF, Markdown, text) from store's queries
    "diazlog.transfer": 5,  # export and import of whole tables
    "diazlog.demo": 5,  # a demo diary, written through store
    "diazlog.passphrase": 5,  # asking for a passphrase; raises, opening words it
    "diazlog.themes": 5,  # the app's Textual themes
    "diazlog.key_order": 5,  # keys typed ahead, handled in the order typed
    "diazlog.widgets": 5,  # reusable widgets: show domain data, run no SQL
    "diazlog.diary_file": 7,  # the app's open diary file, watched for being replaced
    "diazlog.reminders": 6,  # the calendar file, schedule file and notifications from the plan
    "diazlog.serve": 10,  # the app for a browser (textual-serve behind a token and an Origin check)
    "diazlog.dialogs": 6,  # modal dialogs on one base (dialogs/base.py): forms, questions, help
    "diazlog.palette": 8,  # the command palette's catalogue, imported when it opens
    "diazlog.screens": 8,  # each screen's layout and keys
    "diazlog.app": 9,  # the App: modes, dialogs, start-up
    "diazlog.opening": 10,  # opening the diary and running the app; words store's errors
    "diazlog.commands": 11,  # one module per subcommand; shared needs in commands/support.py
    "diazlog.cli": 12,  # wires the subcommands; only the script imports it
    "diazlog.launch": 13,  # the `diazlog` script
    "diazlog.__main__": 14,  # python -m diazlog
}

# Libraries a layer must never import (a prefix covers the library's submodules).
FORBIDDEN: dict[str, frozenset[str]] = {
    "diazlog.domain": frozenset(
        {"textual", "rich", "click", "sqlite3", "sqlite_utils", "sqlcipher3", "fpdf", "plotext"}
    ),
    "diazlog.store.file": frozenset({"textual", "rich", "click", "fpdf", "plotext"}),
    "diazlog.store.queries": frozenset({"textual", "rich", "click", "fpdf", "plotext"}),
    "diazlog.store": frozenset({"textual", "rich", "click", "fpdf", "plotext"}),
    "diazlog.transfer": frozenset({"textual", "rich", "click"}),
    "diazlog.report": frozenset({"textual", "rich", "click"}),
}


@dataclass(frozen=True)
class Import:
    """One import statement's target, with where it is."""

    source: str  # the importing module
    target: str  # a module of the package, or an outside library's dotted name
    line: int
    private: str = ""  # the private name imported from `target`, if any


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _own(name: str, known: set[str]) -> str | None:
    """The package module `name` refers to (itself or the nearest enclosing one), or None."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(root: Path) -> tuple[set[str], list[Import], list[Import]]:
    """Every module of the package at `root`, its imports of the package's modules, and its
    imports of outside libraries (inside functions and TYPE_CHECKING blocks included)."""
    files = sorted(root.rglob("*.py"))
    known = {module_name(root, f) for f in files}
    inside: list[Import] = []
    outside: list[Import] = []
    for path in files:
        me = module_name(root, path)
        package = me if path.name == "__init__.py" else me.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        modules: dict[str, str] = {}  # local name -> package module (`from x import mod as m`)
        for node in ast.walk(tree):
            found: list[tuple[str, str]] = []  # (dotted name, private name imported)
            if isinstance(node, ast.Import):
                found = [(alias.name, "") for alias in node.names]
                modules.update(
                    {a.asname: a.name for a in node.names if a.name in known and a.asname}
                )
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(up + ([base] if base else []))
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    if full in known:  # `from diazlog.store import cipher`: the module
                        found.append((full, ""))
                        modules[alias.asname or alias.name] = full
                    else:  # a name defined in `base`
                        found.append((base, alias.name if _is_private(alias.name) else ""))
            for name, private in found:
                own = _own(name, known)
                if own is None:
                    outside.append(Import(me, name, node.lineno))
                elif own != me and not me.startswith(own + "."):  # not itself or its parents
                    inside.append(Import(me, own, node.lineno, private))
        for node in ast.walk(tree):  # `cipher._keys`: a private name reached through its module
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and modules.get(node.value.id, me) != me
                and _is_private(node.attr)
            ):
                inside.append(Import(me, modules[node.value.id], node.lineno, node.attr))
    return known, inside, outside


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def cycles(known: set[str], edges: list[Import]) -> list[str]:
    """One path for each group of modules that import each other: "a -> b (line) -> a"."""
    graph: dict[str, dict[str, int]] = {m: {} for m in known}
    for edge in edges:
        graph[edge.source].setdefault(edge.target, edge.line)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_loop(graph, group) for group in groups]


def _loop(graph: dict[str, dict[str, int]], group: set[str]) -> str:
    """A shortest way from the group's first module around and back to it (breadth first)."""
    start = min(group)
    came: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph[v]):
                if w not in group:
                    continue
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(came[path[-1]])
                    path.reverse()
                    ends = [*path[1:], start]
                    hops = [f"{a} -> (line {graph[a][b]})" for a, b in zip(path, ends, strict=True)]
                    return " ".join(hops) + f" {start}"
                if w not in came:
                    came[w] = v
                    nxt.append(w)
        frontier = nxt
    raise AssertionError(f"no loop through {start}")  # an SCC always has one


def layer_of(module: str, layers: dict[str, int]) -> str | None:
    """The LAYERS name covering `module` (the longest that matches)."""
    top = module.split(".")[0]
    if module == top:
        return top if top in layers else None
    matches = [n for n in layers if n != top and (module == n or module.startswith(n + "."))]
    return max(matches, key=len) if matches else None


def upward(edges: list[Import], layers: dict[str, int]) -> list[str]:
    """Imports into the same or a higher layer than the importer's (other than its own)."""
    found: dict[str, None] = {}  # in order, once per statement
    for edge in edges:
        mine, theirs = layer_of(edge.source, layers), layer_of(edge.target, layers)
        if mine is None or theirs is None or mine == theirs:
            continue
        if layers[theirs] >= layers[mine]:
            found[
                f"{edge.source}:{edge.line} imports {edge.target} "
                f"({theirs}, layer {layers[theirs]}; {mine} is layer {layers[mine]})"
            ] = None
    return list(found)


def unplaced(known: set[str], layers: dict[str, int]) -> list[str]:
    return sorted(m for m in known if layer_of(m, layers) is None)


def private_imports(edges: list[Import]) -> list[str]:
    return [f"{e.source}:{e.line} imports {e.private} from {e.target}" for e in edges if e.private]


def forbidden(outside: list[Import], rules: dict[str, frozenset[str]]) -> list[str]:
    found = []
    for edge in outside:
        for prefix, banned in rules.items():
            if edge.source == prefix or edge.source.startswith(prefix + "."):
                library = edge.target.split(".")[0]
                if library in banned:
                    found.append(f"{edge.source}:{edge.line} imports {edge.target}")
    return found


# -- diazlog itself ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def diazlog_imports() -> tuple[set[str], list[Import], list[Import]]:
    return imports_of(PACKAGE)


def test_no_module_imports_one_that_imports_it_back(diazlog_imports) -> None:
    known, inside, _ = diazlog_imports
    assert cycles(known, inside) == []


def test_every_module_has_a_layer(diazlog_imports) -> None:
    known, _, _ = diazlog_imports
    assert unplaced(known, LAYERS) == []


def test_imports_run_down_the_layers(diazlog_imports) -> None:
    _, inside, _ = diazlog_imports
    assert upward(inside, LAYERS) == []


def test_nothing_private_is_imported_across_modules(diazlog_imports) -> None:
    _, inside, _ = diazlog_imports
    assert private_imports(inside) == []


def test_lower_layers_import_none_of_the_higher_ones_libraries(diazlog_imports) -> None:
    _, _, outside = diazlog_imports
    assert forbidden(outside, FORBIDDEN) == []


def library_privates(folder: Path, own: tuple[str, ...] = ("diazlog", "tests")) -> list[str]:
    """Imports, in the files under `folder`, of a library's private module or name
    (`textual.widgets._toast`, `from sqlite_utils.db import _first_keyword`): they change
    without notice between releases, so no test (or module) leans on them."""
    found = []
    for path in sorted(folder.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules, names = [node.module], [a.name for a in node.names]
            elif isinstance(node, ast.Import):
                modules, names = [a.name for a in node.names], []
            else:
                continue
            for module in modules:
                if module.split(".")[0] in own:
                    continue
                parts = module.split(".")
                hidden = [p for p in parts if _is_private(p)] + [n for n in names if _is_private(n)]
                if hidden:
                    found.append(f"{path.relative_to(folder)}:{node.lineno} {module}: {hidden}")
    return found


def test_no_test_or_module_reaches_into_a_librarys_private_names() -> None:
    assert library_privates(PACKAGE.parent / "tests") == []
    assert library_privates(PACKAGE) == []


# -- the checker fails where it should: small planted packages -------------------------------


def plant(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


CLEAN = {
    "__init__.py": "",
    "low.py": "import json\n",
    "high.py": "from pkg import low\nfrom .low import json\n",
}


def test_a_clean_planted_package_passes(tmp_path: Path) -> None:
    known, inside, outside = imports_of(plant(tmp_path, CLEAN))
    layers = {"pkg": 0, "pkg.low": 0, "pkg.high": 1}
    assert known == {"pkg", "pkg.low", "pkg.high"}
    assert cycles(known, inside) == []
    assert upward(inside, layers) == []
    assert private_imports(inside) == []


@pytest.mark.parametrize(
    ("files", "loop"),
    [
        pytest.param(
            {
                "__init__.py": "",
                "a.py": "def f():\n    from pkg import b\n",  # inside a function
                "b.py": (  # relative, and only for type checking
                    "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n"
                ),
            },
            "pkg.a -> (line 2) pkg.b -> (line 3) pkg.a",
            id="two modules, hidden in a function and TYPE_CHECKING",
        ),
        pytest.param(
            {
                "__init__.py": "",
                "sub/__init__.py": "",
                "sub/x.py": "from ..y import thing\n",  # `..`: up from pkg.sub
                "y.py": "import pkg.z\nthing = 1\n",
                "z.py": "from pkg.sub.x import *\n",
            },
            "pkg.sub.x -> (line 1) pkg.y -> (line 1) pkg.z -> (line 1) pkg.sub.x",
            id="three modules around a loop, relative from a sub-package",
        ),
    ],
)
def test_a_planted_cycle_is_reported_with_its_path(
    tmp_path: Path, files: dict[str, str], loop: str
) -> None:
    known, inside, _ = imports_of(plant(tmp_path, files))
    assert cycles(known, inside) == [loop]


def test_a_planted_upward_import_is_reported(tmp_path: Path) -> None:
    files = {
        "__init__.py": "",
        "low.py": "def f():\n    from pkg.high import g\n",
        "high.py": "def g():\n    pass\n",
    }
    known, inside, _ = imports_of(plant(tmp_path, files))
    layers = {"pkg": 0, "pkg.low": 0, "pkg.high": 1}
    assert cycles(known, inside) == []  # no loop: only the direction is wrong
    assert upward(inside, layers) == [
        "pkg.low:2 imports pkg.high (pkg.high, layer 1; pkg.low is layer 0)"
    ]
    same_rank = {"pkg": 0, "pkg.low": 1, "pkg.high": 1}  # another layer of the same rank
    assert upward(inside, same_rank) == [
        "pkg.low:2 imports pkg.high (pkg.high, layer 1; pkg.low is layer 1)"
    ]


def test_a_planted_private_import_and_library_are_reported(tmp_path: Path) -> None:
    files = {
        "__init__.py": "",
        "store.py": "import textual.app\ndef _secret():\n    pass\n__all__ = []\n",
        "cli.py": "from pkg.store import _secret, __all__\n",
        "app.py": "from pkg import store\nimport pkg.store as s\nstore._secret(); s._secret()\n",
    }
    known, inside, outside = imports_of(plant(tmp_path, files))
    assert private_imports(inside) == [
        "pkg.app:3 imports _secret from pkg.store",
        "pkg.app:3 imports _secret from pkg.store",
        "pkg.cli:1 imports _secret from pkg.store",
    ]
    assert forbidden(outside, {"pkg.store": frozenset({"textual"})}) == [
        "pkg.store:1 imports textual.app"
    ]
    assert unplaced(known, {"pkg": 0, "pkg.store": 0}) == ["pkg.app", "pkg.cli"]


def test_a_planted_library_private_import_is_reported(tmp_path: Path) -> None:
    folder = plant(
        tmp_path,
        {
            "test_a.py": "from textual.widgets._toast import Toast\nimport sqlite_utils\n",
            "test_b.py": "def f():\n    from sqlite_utils.db import _first_keyword, Database\n",
            "test_c.py": "from tests.conftest import _helper\nfrom . import _ours\n",
        },
    )
    assert library_privates(folder) == [
        "test_a.py:1 textual.widgets._toast: ['_toast']",
        "test_b.py:2 sqlite_utils.db: ['_first_keyword']",
    ]

"""Imports have no side effects, and paquet's modules import each other without a cycle.

Each expression runs in a fresh interpreter after different prior imports and must give the
same result. The import graph is built from the top-level imports of every module under
src/paquet (``import``, ``from ... import``, relative ones included; imports inside functions,
which run on first use, are left out) and must be acyclic.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import paquet

SRC = Path(paquet.__file__).parent
PACKAGE_ROOT = SRC.parent

# Prior imports that used to change what the engine answers (net.sendrecv installed the system
# resolver when imported), and the public API's ways in.
PRIOR_IMPORTS = [
    "",
    "import paquet",
    "import paquet.net.sendrecv",
    "from paquet import *",
    "import paquet.net.conf, paquet.net.sniff, paquet.probe.scan",
    "import paquet.probe.ping",
]

# Expressions whose value depends on the resolver. Only route lookups: nothing is sent.
EXPRESSIONS = [
    'IP(dst="192.0.2.2").src',
    'IP(dst="127.0.0.1").src',
    'IPv6(dst="::1").src',
    'bytes(IP(dst="198.51.100.7") / ICMP()).hex()',
    "type(get_resolver()).__name__",
]


def _run(prior: str, expressions: list[str], setup: str = "") -> list[str]:
    code = "\n".join(
        [
            prior,
            "from paquet.layers import ICMP, IP, IPv6",
            "from paquet.packet.resolver import get_resolver, set_resolver",
            setup,
            *(f"print(repr({e}))" for e in expressions),
        ]
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.parametrize("prior", PRIOR_IMPORTS[1:])
def test_same_packet_whatever_was_imported_before(prior: str) -> None:
    assert _run(prior, EXPRESSIONS) == _run(PRIOR_IMPORTS[0], EXPRESSIONS)


def test_the_system_resolver_answers_by_default() -> None:
    assert _run("", ["type(get_resolver()).__name__"]) == ["'SystemResolver'"]


@pytest.mark.parametrize("prior", ["", "import paquet.net.sendrecv"])
def test_no_resolver_gives_the_fixed_answers(prior: str) -> None:
    assert _run(prior, ['IP(dst="192.0.2.2").src', 'IPv6(dst="2001:db8::1").src'],
                setup="set_resolver(None)") == ["'127.0.0.1'", "'::1'"]


def test_importing_net_changes_no_engine_state() -> None:
    code = (
        "import paquet.packet.resolver as r\n"
        "before = r._State.resolver\n"
        "import paquet.net.sendrecv, paquet.net.sniff, paquet.net.conf\n"
        "print(r._State.resolver is before)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "True"


# --- the import graph ---------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> tuple[dict[str, Path], set[str]]:
    """Python modules, and the names of compiled ones (C extensions, with a .pyi or .c)."""
    python = {_module_name(p): p for p in SRC.rglob("*.py")}
    compiled = {
        _module_name(p.with_name(p.name.split(".")[0] + ".py"))
        for pattern in ("*.so", "*.pyi", "*.c")
        for p in SRC.rglob(pattern)
    }
    return python, compiled - set(python)


def _top_level_imports(
    tree: ast.Module, local: bool = False
) -> list[ast.Import | ast.ImportFrom]:
    """The imports a module runs when it is imported: at top level, in top-level ``if`` and
    ``try`` blocks (not under ``if TYPE_CHECKING``); with ``local`` also those inside
    functions (run on first use)."""
    if local:  # every import that can run (not those under ``if TYPE_CHECKING``)
        typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                       and "TYPE_CHECKING" in ast.unparse(block.test)
                       for stmt in block.body for n in ast.walk(stmt)}
        return [n for n in ast.walk(tree)
                if isinstance(n, ast.Import | ast.ImportFrom) and id(n) not in typing_only]
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                stack.extend(node.body)
            stack.extend(node.orelse)
        elif isinstance(node, ast.Try):
            stack.extend([*node.body, *node.orelse, *node.finalbody])
            for handler in node.handlers:
                stack.extend(handler.body)
    return found


def import_graph(local: bool = False) -> dict[str, set[str]]:
    """Module -> the paquet modules its top-level imports load.

    ``from pkg import sub`` where ``sub`` is a submodule is an edge to ``pkg.sub`` only; a
    package's ``__init__`` that Python runs first is not counted as an edge of its children.
    """
    python, compiled = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in python.items():
        edges: set[str] = set()
        is_package = path.name == "__init__.py"
        for node in _top_level_imports(ast.parse(path.read_text()), local):
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in python)
                continue
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join([*base, *([node.module] if node.module else [])])
            else:
                prefix = node.module or ""
            subs = [f"{prefix}.{a.name}" for a in node.names]
            edges.update(s for s in subs if s in python)
            if not all(s in python or s in compiled for s in subs) and prefix in python:
                edges.add(prefix)
        graph[name] = edges - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
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
    return found


# Cycles still there in parts of issue 14 that other changes own (none today).
ALLOWED_CYCLES: list[list[str]] = []


def test_the_import_graph_has_no_cycle() -> None:
    graph = import_graph()
    assert "paquet.net.sendrecv" in graph and "paquet.numbers" in graph
    assert [c for c in cycles(graph) if c not in ALLOWED_CYCLES] == []


def test_cycles_are_found() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_numbers_sit_below_everything() -> None:
    graph = import_graph()
    assert graph["paquet.numbers"] == set()
    for low in ("paquet.checksums", "paquet.errors", "paquet.numbers"):
        assert not any(d.startswith(("paquet.net", "paquet.probe", "paquet.explainer"))
                       for d in graph[low])


# With the imports functions make on first use too (those under ``if TYPE_CHECKING`` are never
# run, so they are not counted), no cycle is left. The Scapy sockets' ``sr``/``sr1`` methods
# call the exchange engine (net/exchange.py), which knows the sockets only by duck typing, so
# net/sockets.py and net/sendrecv.py no longer import each other. The packet engine's method
# modules read its classes from paquet.packet.kinds (set by base.py), never from base.py, and
# the random values know the fields only by the kind they declare (paquet.volatile.fieldkinds).
KNOWN_LOCAL_CYCLES: list[set[str]] = []
KNOWN_CYCLE_PACKAGES: tuple[str, ...] = ()


def _known(cycle: list[str]) -> bool:
    if set(cycle) in KNOWN_LOCAL_CYCLES:
        return True
    return bool(KNOWN_CYCLE_PACKAGES) and all(m.startswith(KNOWN_CYCLE_PACKAGES) for m in cycle)


def test_no_new_cycle_through_local_imports() -> None:
    assert [c for c in cycles(import_graph(local=True)) if not _known(c)] == []


def test_typing_only_imports_are_not_counted() -> None:
    """An import under ``if TYPE_CHECKING:`` never runs (mypy reads it): it makes no edge,
    with or without ``local``; the same import in a function does with ``local``."""
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import a\n"
        "def f():\n    import b\n"
    )
    names = {a.name for n in _top_level_imports(tree, local=True) if isinstance(n, ast.Import)
             for a in n.names}
    assert names == {"b"}
    assert not any(isinstance(n, ast.Import) for n in _top_level_imports(tree))


def test_the_engine_s_hubs_sit_below_it() -> None:
    """paquet.packet.kinds (the engine's classes, for the modules that implement their
    methods) and paquet.volatile.fieldkinds (the random value of a field's kind) import
    nothing of the engine, even on first use."""
    graph = import_graph(local=True)
    assert graph["paquet.packet.kinds"] == set()
    assert not any(d.startswith("paquet.packet") for d in graph["paquet.volatile.fieldkinds"])
    assert "paquet.packet.base" not in graph["paquet.volatile.base"]


def test_the_exchange_engine_sits_below_the_sockets() -> None:
    graph = import_graph(local=True)
    above = {"paquet.net.sockets", "paquet.net.sendrecv", "paquet.net.conf"}
    for low in ("paquet.net.exchange", "paquet.net.frames"):
        assert not graph[low] & above, low
    assert "paquet.net.sendrecv" not in graph["paquet.net.sockets"]


def test_no_public_name_is_also_a_submodule_of_paquet() -> None:
    """A submodule named as a public name replaces it in the package once imported
    (``paquet.explain`` the package hid ``explain`` the function): none may share a name."""
    import pkgutil

    import paquet

    submodules = {m.name for m in pkgutil.iter_modules(paquet.__path__)}
    assert submodules & set(paquet.__all__) == set()


def test_every_public_name_is_listed_once_and_exists() -> None:
    """``from paquet import *``'s table lists a name under one module only (a second listing
    would silently win), and each name is defined by the module it is listed under."""
    import importlib
    from collections import Counter

    from paquet._exports import _NAMES_BY_MODULE as table

    listed = Counter(n for names in table.values() for n in names.split())
    assert [name for name, count in listed.items() if count > 1] == []
    missing = [
        f"{module}.{name}"
        for module, names in table.items()
        for name in names.split()
        if not hasattr(importlib.import_module(module), name)
    ]
    assert missing == []

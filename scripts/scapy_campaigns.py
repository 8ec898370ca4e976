#!/usr/bin/env python3
"""Run Scapy's own test campaigns (``.uts`` files) against paquet and print the pass rate.

Scapy is GPL-2.0: its campaigns are never copied into this repository. This harness reads them
from a Scapy checkout outside the repository (``--scapy DIR``, or ``$SCAPY_SRC``, or a shallow
clone made on first use in ``~/.cache/paquet/scapy``) and runs each test the way Scapy's
UTscapy does, with paquet answering every ``scapy`` import:

- the tests of one campaign share one namespace that starts as ``from paquet import *``;
- each test is fed line by line to an interactive interpreter; it fails when a statement
  raises, or when the last expression it displayed is false;
- tests whose keywords say they need the network (``netaccess``, ``needs_root``, ...) or
  another operating system are skipped, and as root the whole run happens in a new, empty
  network namespace (``unshare --net``): nothing a campaign sends can leave this machine.

Usage::

    python scripts/scapy_campaigns.py                       # the campaigns of issue 15
    python scripts/scapy_campaigns.py test/regression.uts -v --failures 20
    python scripts/scapy_campaigns.py --json report.json

Exit status: 0 whatever the pass rate (this measures, it does not gate); 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import builtins
import code
import importlib.abc
import importlib.machinery
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import types
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_CAMPAIGNS = (
    "test/regression.uts",
    "test/random.uts",
    "test/fields.uts",
    "test/scapy/layers/inet.uts",
    "test/scapy/layers/inet6.uts",
)
SKIP_KEYWORDS = frozenset({
    "netaccess", "needs_root", "require_gui", "windows", "osx", "bsd", "solaris",
    "not_pypy", "crypto_advanced", "manufdb", "tshark", "tcpdump", "ipython",
    "brotli", "zstd", "mock_read_routes_bsd", "mock_read_routes6_bsd", "libpcap",
    "tun", "tap",
    # test/imports.uts: imports each of Scapy's own files in a new interpreter (its module
    # layout, not paquet's), hundreds of processes
    "imports",
})
# Run with --root-tests (as root, so in the campaign's own empty network namespace): these
# tests then run too (they make tun/tap/veth interfaces and send on them, inside it).
ROOT_KEYWORDS = frozenset({"needs_root", "tun", "tap"})
SCAPY_REPO = "https://github.com/secdev/scapy.git"
_ROOT: list[Path] = [Path(".")]  # the checkout, once known (scapy_path reads it)


@dataclass
class UnitTest:
    """One ``= name`` block of a campaign."""

    name: str
    section: str
    keywords: set[str] = field(default_factory=set)
    code: str = ""
    result: str = "skipped"
    reason: str = ""


def parse_campaign(text: str) -> list[UnitTest]:
    """The tests of a ``.uts`` file, in order, with the keywords of their section."""
    tests: list[UnitTest] = []
    section, section_kw = "", set[str]()
    current: UnitTest | None = None
    for line in text.splitlines(keepends=True):
        head = line[:1]
        if head == "#":
            continue
        if head == "~":
            (current.keywords if current else section_kw).update(line[1:].split())
        elif head == "+":
            section, section_kw, current = line[1:].strip(), set(), None
        elif head == "=":
            current = UnitTest(line[1:].strip(), section, set(section_kw))
            tests.append(current)
        elif head in "%*":
            continue
        elif current is not None:
            current.code += line
    return tests


# Scapy's modules answered by paquet's module of the same job, so that a campaign's
# mock.patch("scapy.MODULE.NAME") reaches the name paquet's code looks up.
_REAL_MODULES = {
    "scapy.ansmachine": "paquet.net.answering",
    "scapy.automaton": "paquet.net.automaton",
    "scapy.libs.matplot": "paquet.draw.plots",
    "scapy.pipetool": "paquet.net.pipetool",
    "scapy.scapypipes": "paquet.net.scapypipes",
}


# Scapy modules whose names campaigns patch while the module also serves paquet's public names
# (mock.patch("scapy.layers.l2.srp") next to "from scapy.layers.l2 import Ether"): a name the
# paquet module defines is patched there, and put back when the patch ends.
_PATCHED_THROUGH = {
    "scapy.layers.l2": "paquet.net.arptools",
    "scapy.utils": "paquet.utils",  # mock.patch("scapy.utils.input") for import_hexcap()
}


class _PatchThrough(types.ModuleType):
    """An alias of Scapy's module: paquet's names, patched through to the module that uses
    them."""

    def __getattr__(self, attr: str) -> Any:
        import paquet

        real = self.__dict__["_real"]
        return getattr(real, attr) if attr in vars(real) else getattr(paquet, attr)

    def __setattr__(self, attr: str, value: Any) -> None:
        real = self.__dict__.get("_real")
        if real is not None and attr in vars(real):
            self.__dict__["_saved"].setdefault(attr, vars(real)[attr])
            setattr(real, attr, value)
        super().__setattr__(attr, value)

    def __delattr__(self, attr: str) -> None:
        super().__delattr__(attr)
        saved = self.__dict__["_saved"]
        if attr in saved:
            setattr(self.__dict__["_real"], attr, saved.pop(attr))


class _ScapyAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Answers every import of one of Scapy's modules (``scapy``, ``scapy.layers.inet``...)
    with paquet's public namespace; a name that is no module of Scapy's is an ImportError."""

    def __init__(self, checkout: Path) -> None:
        self.checkout = checkout

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "scapy" and not name.startswith("scapy."):
            return None
        where = self.checkout.joinpath(*name.split("."))
        if not (where.is_dir() or where.with_suffix(".py").is_file()):
            raise ImportError(f"No module named {name!r}", name=name)
        return importlib.machinery.ModuleSpec(name, self, is_package=True)

    def create_module(self, spec: Any) -> types.ModuleType:
        import paquet

        real = _REAL_MODULES.get(spec.name)
        if real is not None:  # campaigns patch names there (mock.patch("scapy.ansmachine.sniff"))
            return importlib.import_module(real)
        through = _PATCHED_THROUGH.get(spec.name)
        if through is not None:
            alias = _PatchThrough(spec.name)
            alias.__dict__.update(_real=importlib.import_module(through), _saved={}, __path__=[])
            alias.__dict__["__all__"] = list(getattr(paquet, "__all__", ()))
            return alias
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = lambda attr: self._attribute(spec.name, attr)  # type: ignore[method-assign]
        module.__dict__["__all__"] = list(getattr(paquet, "__all__", ()))
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        return None

    def _attribute(self, package: str, attr: str) -> Any:
        """A name of paquet's namespace, or Scapy's submodule of that name (``scapy.data``
        without ``import scapy.data`` first, as after Scapy's own imports)."""
        import paquet

        try:
            return getattr(paquet, attr)
        except AttributeError:
            if attr.startswith("_"):
                raise
            try:
                return importlib.import_module(f"{package}.{attr}")
            except ImportError:
                raise AttributeError(attr) from None


def _run_test(test: UnitTest, namespace: dict[str, Any], timeout: float) -> None:
    """Run one test as UTscapy does: line by line; fail on an exception or a false result."""
    last: list[Any] = [None]

    def hook(value: Any) -> None:
        if value is not None:
            last[0] = value
            builtins._ = value  # type: ignore[attr-defined]

    interp = code.InteractiveInterpreter(namespace)
    errors: list[str] = []

    def show_error(data: str) -> None:
        errors.append(data)

    interp.write = show_error  # type: ignore[method-assign]
    outcome: dict[str, str] = {}

    def body() -> None:
        old_hook = sys.displayhook
        sys.displayhook = hook
        out = io.StringIO()
        try:
            with redirect_stdout(out), redirect_stderr(out):
                pending = ""
                lines = [*test.code.strip().splitlines(), ""]
                for line in lines:
                    pending = f"{pending}\n{line}" if pending else line
                    if interp.runsource(pending, "<uts>", "single"):
                        continue
                    pending = ""
                    if errors:
                        outcome["error"] = errors[-1].strip().splitlines()[-1]
                        return
        finally:
            sys.displayhook = old_hook

    runner = threading.Thread(target=body, daemon=True)
    runner.start()
    runner.join(timeout)
    if runner.is_alive():
        test.result, test.reason = "failed", f"timeout after {timeout:g} s"
    elif "error" in outcome:
        test.result, test.reason = "failed", outcome["error"]
    elif last[0] is not None and not _truth(last[0]):
        test.result, test.reason = "failed", f"false result: {_short(last[0])}"
    else:
        test.result = "passed"


def _truth(value: Any) -> bool:
    try:
        return bool(value)
    except Exception:
        return False


def _short(value: Any) -> str:
    try:
        text = repr(value)
    except Exception as exc:
        text = f"<repr failed: {exc!r}>"
    return text if len(text) < 100 else text[:97] + "..."


def run_campaign(path: Path, timeout: float,
                 skip: frozenset[str] = SKIP_KEYWORDS) -> list[UnitTest]:
    """Every test of one campaign, run in one shared namespace."""
    tests = parse_campaign(path.read_text("utf-8", errors="replace"))
    namespace: dict[str, Any] = {"__name__": "__uts__"}
    exec("from paquet import *", namespace)
    namespace["scapy"] = importlib.import_module("scapy")  # UTscapy's sessions have it
    namespace.update(_utscapy_tools())
    namespace.update(_scapy_loaders(namespace))
    for test in tests:
        if test.keywords & skip:
            test.reason = "keywords: " + " ".join(sorted(test.keywords & skip))
            continue
        _run_test(test, namespace, timeout)
    return tests


def _utscapy_tools() -> dict[str, Any]:
    """The few names UTscapy itself adds to a campaign's namespace (they are not Scapy's API)."""
    import contextlib

    class Bunch(types.SimpleNamespace):
        pass

    def retry_test(func: Any) -> Any:
        for _ in range(3):
            try:
                return func()
            except AssertionError:
                continue
        return func()

    def scapy_path(path: str) -> str:
        # UTscapy's: a file of Scapy's checkout (the campaigns' sample captures).
        return str(_ROOT[0] / path.lstrip("/"))

    return {"Bunch": Bunch, "retry_test": retry_test, "scapy_path": scapy_path,
            "no_debug_dissector": lambda *args, **kwargs: contextlib.nullcontext()}


def _scapy_loaders(namespace: dict[str, Any]) -> dict[str, Any]:
    """``load_layer`` and ``load_contrib`` as a UTscapy session sees them: paquet's, and
    then, as Scapy's (which copies every public global of a module without ``__all__`` into
    the session), the standard library modules the Scapy module imports (``base64`` after
    ``load_layer("http")``), read from the checkout."""
    from paquet.utils import load_contrib, load_layer

    def wrap(load: Any, package: str) -> Any:
        def loader(name: str, globals_dict: Any = None, symb_list: Any = None) -> None:
            load(name, globals_dict, symb_list)
            namespace.update(_module_imports(f"{package}/{name}.py"))
        return loader

    return {"load_layer": wrap(load_layer, "scapy/layers"),
            "load_contrib": wrap(load_contrib, "scapy/contrib")}


def _module_imports(relpath: str) -> dict[str, Any]:
    """The public standard library modules a module of Scapy's checkout imports at its top
    level (``import base64``), when it has no ``__all__`` (then Scapy exports its globals)."""
    import ast
    import importlib

    try:
        tree = ast.parse((_ROOT[0] / relpath).read_text("utf-8", errors="replace"))
    except (OSError, SyntaxError):
        return {}
    out: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and "__all__" in ast.dump(node):
            return {}
        if not isinstance(node, ast.Import):
            continue
        for alias in node.names:
            top = alias.name.split(".")[0]
            name = alias.asname or top
            if top in sys.stdlib_module_names and not name.startswith("_"):
                try:
                    out[name] = importlib.import_module(alias.name if alias.asname else top)
                except ImportError:
                    continue
    return out


def _scapy_checkout(given: str | None) -> Path:
    if given:
        return Path(given)
    cache = Path.home() / ".cache" / "paquet" / "scapy"
    if not (cache / "test").is_dir():
        cache.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "-q", "--depth", "1", SCAPY_REPO, str(cache)], check=True)
    return cache


def _reason_kind(reason: str) -> str:
    m = re.match(r"(\w+Error|\w+Exception|timeout|false result)", reason)
    kind = m.group(1) if m else reason[:40]
    if kind == "NameError":
        name = re.search(r"name '([^']+)'", reason)
        return f"NameError {name.group(1)}" if name else kind
    if kind in ("AttributeError", "ImportError"):
        return reason[:90]
    return kind


def main() -> int:
    """Parse the arguments, run the campaigns, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("campaigns", nargs="*", help="paths inside the Scapy checkout")
    parser.add_argument("--scapy", default=os.environ.get("SCAPY_SRC"), help="a Scapy checkout")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per test")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per test")
    parser.add_argument("--failures", type=int, default=15, help="most common failure causes")
    parser.add_argument("--json", help="write every test's result to this file")
    parser.add_argument("--root-tests", action="store_true",
                        help="as root, also run the tests that need root, tun or tap "
                             "(inside the campaign's own empty network namespace)")
    parser.add_argument("--in-netns", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if os.geteuid() == 0 and not args.in_netns:
        cmd = ["unshare", "--net", "--", sys.executable, *sys.argv, "--in-netns"]
        return subprocess.run(cmd, check=False).returncode
    if args.in_netns:
        subprocess.run(["ip", "link", "set", "lo", "up"], check=False)
    root = _scapy_checkout(args.scapy)
    _ROOT[0] = root
    sys.meta_path.insert(0, _ScapyAlias(root))
    report: dict[str, list[dict[str, Any]]] = {}
    causes: Counter[str] = Counter()
    total = Counter[str]()
    for name in args.campaigns or DEFAULT_CAMPAIGNS:
        path = root / name
        if not path.is_file():
            print(f"error: no campaign {path}", file=sys.stderr)
            return 2
        started = time.monotonic()
        skip = SKIP_KEYWORDS - ROOT_KEYWORDS if args.root_tests and args.in_netns else SKIP_KEYWORDS
        tests = run_campaign(path, args.timeout, skip)
        counts = Counter(t.result for t in tests)
        total.update(counts)
        ran = counts["passed"] + counts["failed"]
        rate = 100 * counts["passed"] / ran if ran else 0.0
        print(f"{name:40} {counts['passed']:4} passed {counts['failed']:4} failed "
              f"{counts['skipped']:4} skipped  {rate:5.1f} %  ({time.monotonic() - started:.1f} s)")
        for t in tests:
            if t.result == "failed":
                causes[_reason_kind(t.reason)] += 1
            if args.verbose and t.result != "skipped":
                print(f"  {t.result:7} {t.section[:30]:30} | {t.name[:60]:60} {t.reason[:80]}")
        report[name] = [{"name": t.name, "section": t.section, "result": t.result,
                         "reason": t.reason} for t in tests]
    ran = total["passed"] + total["failed"]
    print(f"{'all':40} {total['passed']:4} passed {total['failed']:4} failed "
          f"{total['skipped']:4} skipped  {100 * total['passed'] / max(ran, 1):5.1f} %")
    if args.failures:
        print("\nmost common causes of failure:")
        for cause, n in causes.most_common(args.failures):
            print(f"  {n:4}  {cause}")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

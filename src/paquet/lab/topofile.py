"""Topology files: reading them (UTF-8, size limits), the built-in labs, ``extends`` chains.

What :mod:`paquet.lab.topology` parses comes from here: a file's text read with its limits
(``MAX_FILE_BYTES``, ``MAX_LINE``, ``MAX_DEPTH``), a built-in lab's text, and the data a chain of
``extends`` merges (at most ``MAX_EXTENDS`` files, no cycle). Errors are one-line LabErrors.
"""

from __future__ import annotations

import stat
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from paquet.errors import LabError

__all__ = ["builtin_names", "builtin_text", "read_topology_file", "split_ref"]

#: a topology file: bytes, characters on one line, nesting of arrays and tables, extends chain
MAX_FILE_BYTES = 1 << 20
MAX_LINE = 4096
MAX_DEPTH = 16
MAX_EXTENDS = 8
#: the longest error message (a message quoting hostile input is cut)
MAX_MESSAGE = 400


def builtin_names() -> list[str]:
    """The names of the built-in labs (``tp``, ``chain``, ...), sorted."""
    folder = resources.files("paquet.lab") / "builtin"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def builtin_text(name: str) -> str:
    """The TOML text of built-in lab ``name``."""
    if name not in builtin_names():
        raise LabError(f"no built-in lab {name!r} (built-ins: {', '.join(builtin_names())})")
    return (resources.files("paquet.lab") / "builtin" / f"{name}.toml").read_text("utf-8")


def split_ref(ref: str) -> tuple[str, dict[str, int]]:
    """Split ``"chain:8"`` into ``("chain", {"n": 8})``; other references are returned as is."""
    if ":" in ref and not Path(ref).exists():
        base, _, arg = ref.partition(":")
        if not arg.isdigit() or len(arg) > 9:
            raise LabError(f"{ref!r}: expected NAME:N with N a number, e.g. chain:8")
        return base, {"n": int(arg)}
    return ref, {}


def _is_file_ref(ref: str | Path) -> bool:
    return isinstance(ref, Path) or "/" in ref or ref.endswith(".toml")


def read_topology_file(path: Path, where: str = "") -> str:
    """The text of topology file ``path``: a regular file of UTF-8 text, at most 1 MiB.

    Errors start with ``where`` (e.g. ``"a.toml: extends 'b.toml'"``), else the path.
    """
    where = where or repr(str(path))
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise LabError(f"cannot read topology {where}: not a regular file")
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise LabError(f"cannot read topology {where}: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise LabError(f"topology {where} is larger than {MAX_FILE_BYTES >> 10} KiB")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LabError(f"topology {where} is not UTF-8 text (byte 0x{raw[exc.start]:02x} at "
                       f"offset {exc.start})") from None


def _one_line(message: str) -> str:
    """``message`` on one line, cut to ``MAX_MESSAGE`` characters."""
    flat = " ".join(message.split())
    return flat if len(flat) <= MAX_MESSAGE else flat[: MAX_MESSAGE - 3] + "..."


def _loads(text: str, source: str) -> dict[str, Any]:
    """TOML ``text`` as data, refused when too large or nested too deeply (one-line errors)."""
    if len(text) > MAX_FILE_BYTES:
        raise LabError(f"{source}: larger than {MAX_FILE_BYTES >> 10} KiB")
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > MAX_LINE:
            raise LabError(f"{source}: line {number} is longer than {MAX_LINE} characters")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LabError(f"{source}: not valid TOML: {_one_line(str(exc))}") from None
    except RecursionError:
        raise LabError(f"{source}: arrays or tables nested more than {MAX_DEPTH} levels "
                       "deep") from None
    _check_depth(data, source)
    return data


def _check_depth(data: dict[str, Any], source: str) -> None:
    """Refuse values nested deeper than ``MAX_DEPTH`` (no recursion: a loop over a stack)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise LabError(f"{source}: arrays or tables nested more than {MAX_DEPTH} levels "
                           "deep")
        children = value.values() if isinstance(value, dict) else value
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))


def _file_key(path: Path) -> str:
    """What identifies a topology file in an ``extends`` chain: its resolved path."""
    try:
        return "file:" + str(path.resolve())
    except (OSError, RuntimeError):  # a symlink loop: reading it fails with a clear error
        return "file:" + str(path.absolute())


def _extend(
    data: dict[str, Any], source: str, base_dir: Path | None, chain: tuple[str, ...],
    names: list[str],
) -> dict[str, Any]:
    """Apply ``extends = "tp"`` (or a file): the base's nodes and links, updated by this file's.

    ``chain`` identifies the files already on the way (a cycle is an error), ``names`` shows it.
    """
    base_ref = data.pop("extends", None)
    if base_ref is None:
        return data
    if not isinstance(base_ref, str) or not base_ref:
        raise LabError(f"{source}: 'extends' must be a lab name or a file")
    where = f"{source}: extends {base_ref!r}"
    if len(names) > MAX_EXTENDS:
        raise LabError(f"{where}: more than {MAX_EXTENDS} files extend each other "
                       f"({' -> '.join(names[:3])} -> ...)")
    if _is_file_ref(base_ref):
        path = (base_dir or Path()) / base_ref
        key, base_source, base_base = _file_key(path), str(path), path.parent
    else:
        key, base_source, base_base = f"builtin:{base_ref}", base_ref, None
    if key in chain:
        raise LabError(f"{where}: a cycle ({' -> '.join([*names, base_ref])})")
    if base_base is None:
        try:
            base_text = builtin_text(base_ref)
        except LabError as exc:
            raise LabError(f"{where}: {exc}") from None
    else:
        base_text = read_topology_file(Path(base_source), where)
    base = _extend(_loads(base_text, base_source), base_source, base_base, (*chain, key),
                   [*names, base_ref])
    return _merge(base, data, base_source, source)


def _tables(value: Any, source: str, key: str) -> dict[str, dict[str, Any]]:
    """``nodes`` of one file, checked: a table of tables."""
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise LabError(f"{source}: {key} is a table of tables ([{key}.NAME])")
    return value


def _table_list(value: Any, source: str, key: str) -> list[dict[str, Any]]:
    """``links`` of one file, checked: an array of tables."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise LabError(f"{source}: {key} is an array of tables ([[{key}]])")
    return value


def _merge(base: dict[str, Any], data: dict[str, Any], base_source: str,
           source: str) -> dict[str, Any]:
    """``base`` updated by ``data``: top-level keys replaced, nodes and links by name."""
    base_nodes = _tables(base.get("nodes", {}), base_source, "nodes")
    base_links = _table_list(base.get("links", []), base_source, "links")
    own_nodes = _tables(data.get("nodes", {}), source, "nodes")
    own_links = _table_list(data.get("links", []), source, "links")
    merged = {k: v for k, v in base.items() if k not in ("nodes", "links")}
    merged.update({k: v for k, v in data.items() if k not in ("nodes", "links")})
    nodes = {k: dict(v) for k, v in base_nodes.items()}
    for name, spec in own_nodes.items():
        nodes.setdefault(name, {}).update(spec)
    links = [dict(x) for x in base_links]
    by_name = {x["name"]: x for x in links if isinstance(x.get("name"), str)}
    for link in own_links:
        link_name = link.get("name")
        if isinstance(link_name, str) and link_name in by_name:
            by_name[link_name].update(link)
        else:
            links.append(dict(link))
    merged["nodes"] = nodes
    merged["links"] = links
    return merged

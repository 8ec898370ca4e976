"""SQL over captures with DuckDB: the tables ``packets`` and ``flows`` streamed from Arrow.

Column names are Wireshark's, with dots: :func:`quote_names` double-quotes every dotted name
that is a column (``ip.src`` -> ``"ip.src"``, ``p.ip.src`` -> ``p."ip.src"``) outside string
literals and quoted names, so that ``SELECT ip.src, count(*) FROM packets GROUP BY 1`` works
as written. A column named in the query that is not a default one (``dns.qry.name``) is read
for it. The capture is not copied: DuckDB scans the Arrow stream as it is read (a query that
names ``packets`` twice, a join with itself, gets it whole in memory; one that names ``flows``
reads the captures for it too).

>>> quote_names("SELECT ip.src, count(*) FROM packets WHERE dns.qry.name = 'a.b' GROUP BY 1")
'SELECT "ip.src", count(*) FROM packets WHERE "dns.qry.name" = \\'a.b\\' GROUP BY 1'
>>> quote_names('SELECT p.tcp.dstport, "ip.dst", x.y FROM packets p')
'SELECT p."tcp.dstport", "ip.dst", x.y FROM packets p'
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from paquet.capfile import TruncatedCaptureError
from paquet.errors import PaquetError
from paquet.frame import names
from paquet.frame.deps import need
from paquet.frame.flowtable import FLOW_FIELDS, PACKET_FIELDS, FlowTable
from paquet.frame.reader import DEFAULT_FIELDS, DERIVED, batches
from paquet.frame.source import expand

__all__ = ["QueryError", "packet_columns", "query", "quote_names", "referenced"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _is_column(name: str) -> bool:
    if name in DEFAULT_FIELDS or name in FLOW_FIELDS or name in DERIVED:
        return True
    try:
        names.getter(name)
    except names.UnknownFieldError:
        return False
    return True


def _pieces(sql: str) -> Iterator[tuple[bool, str]]:
    """(is code, text) pieces of ``sql``: string literals, quoted names and comments are not
    code."""
    i, n, start = 0, len(sql), 0
    while i < n:
        c = sql[i]
        end = -1
        if c in "'\"`":
            end = i + 1
            while end < n:
                if sql[end] == c:
                    if end + 1 < n and sql[end + 1] == c:
                        end += 2
                        continue
                    break
                end += 1
            end += 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            end = n if end < 0 else end + 2
        if end >= 0:
            if start < i:
                yield True, sql[start:i]
            yield False, sql[i:end]
            i = start = end
        else:
            i += 1
    if start < n:
        yield True, sql[start:]


def _quoter(q: str) -> Callable[[re.Match[str]], str]:
    def quote(match: re.Match[str]) -> str:
        token = match.group(0)
        if _is_column(token):
            return f"{q}{token}{q}"
        head, _, rest = token.partition(".")
        if _is_column(rest):
            return f"{head}.{q}{rest}{q}"
        return token

    return quote


def quote_names(sql: str, quote: str = '"') -> str:
    """``sql`` with its dotted column names quoted (see the module's doc; ``quote="`"`` for
    Spark SQL). Backquoted names are left as they are."""
    sub = _quoter(quote)
    return "".join(_NAME.sub(sub, text) if code else text for code, text in _pieces(sql))


def referenced(sql: str) -> tuple[list[str], set[str]]:
    """(packet columns the query names beyond the defaults, the table names it uses among
    ``packets`` and ``flows``).

    >>> sql = 'SELECT dns.qry.name, "dns.id", ip.src FROM packets JOIN flows'
    >>> extra, tables = referenced(sql)
    >>> extra, sorted(tables)
    (['dns.qry.name', 'dns.id'], ['flows', 'packets'])
    """
    tokens: list[str] = []
    tables: set[str] = set()
    for code, text in _pieces(sql):
        if code:
            for m in _NAME.finditer(text):
                tokens += [m.group(0), m.group(0).partition(".")[2]]
            tables.update(
                w.lower() for w in _WORD.findall(text) if w.lower() in ("packets", "flows")
            )
        elif text[:1] == '"':
            tokens.append(text[1:-1].replace('""', '"'))
    extra: list[str] = []
    for token in tokens:
        if token in DEFAULT_FIELDS or token in FLOW_FIELDS or token in extra:
            continue
        if _is_column(token):
            extra.append(token)
    return extra, tables


_STAR = re.compile(r"(?<!\()\*|\*(?!\s*\))")


def packet_columns(sql: str) -> list[str] | None:
    """The packet columns ``sql`` names (in order; ``frame.number`` when it names none), or
    None when it may take them all (a ``*`` other than ``count(*)``): what the ``packets``
    table has to hold for it.

    >>> packet_columns("SELECT ip.src, count(*) FROM packets WHERE tcp.flags.syn GROUP BY 1")
    ['ip.src', 'tcp.flags.syn']
    >>> packet_columns("SELECT * FROM packets") is None
    True
    """
    tokens: list[str] = []
    for code, text in _pieces(sql):
        if code:
            if _STAR.search(text):
                return None
            for m in _NAME.finditer(text):
                tokens += [m.group(0), m.group(0).partition(".")[2]]
        elif text[:1] == '"':
            tokens.append(text[1:-1].replace('""', '"'))
    out: list[str] = []
    for token in tokens:
        if token not in out and token not in FLOW_FIELDS and _is_column(token):
            out.append(token)
    return out or ["frame.number"]


def _mentions(sql: str, table: str) -> int:
    """How many times the code of ``sql`` names ``table``."""
    return sum(
        1 for code, text in _pieces(sql) if code for w in _WORD.findall(text) if w.lower() == table
    )


def _flow_reader(source: Any, damaged: list[TruncatedCaptureError]) -> Any:
    state = FlowTable()
    for b in _guarded(batches(source, PACKET_FIELDS), damaged):
        state.update(b)
    return state.table()  # a table: DuckDB may scan it more than once


def _guarded(it: Iterator[Any], damaged: list[TruncatedCaptureError]) -> Iterator[Any]:
    """The batches of ``it`` up to a damage, which is kept in ``damaged`` (not raised)."""
    try:
        yield from it
    except TruncatedCaptureError as exc:
        damaged.append(exc)


def _packet_reader(source: Any, fields: list[str], damaged: list[TruncatedCaptureError]) -> Any:
    """An Arrow stream of the packets (its schema from the first batch, read first)."""
    pa = need("pyarrow")
    from paquet.frame.reader import _table

    it = _guarded(batches(source, fields), damaged)
    first = next(it, None)
    if first is None:
        return pa.RecordBatchReader.from_batches(_table(pa, [], fields, {}).schema, [])
    schema = first.schema

    def gen() -> Iterator[Any]:
        yield first
        for b in it:
            yield b if b.schema.equals(schema) else b.cast(schema)

    return pa.RecordBatchReader.from_batches(schema, gen())


def _twice(source: Any) -> Any:
    """``source`` readable twice: a stream (stdin, an open file) read into bytes first."""
    out = []
    for item in expand(source):
        if item == "-":
            item = sys.stdin.buffer.read()
        elif hasattr(item, "read"):
            item = item.read()
        out.append(item)
    return out


def query(
    sql: str,
    source: Any,
    *,
    connection: Any = None,
    damaged: list[TruncatedCaptureError] | None = None,
) -> Any:
    """Run ``sql`` on the captures ``source`` with DuckDB; the result as a ``pyarrow.Table``.

    ``packets`` has the columns the query names (all the default ones, and those it names,
    when it has a ``*``: ``SELECT *``); ``flows`` the columns of
    :data:`paquet.frame.flowtable.FLOW_FIELDS`. A damaged capture: the query runs on the packets
    before the damage, then TruncatedCaptureError is raised, or appended to ``damaged`` when
    it is a list (the caller shows the result, then the error).
    """
    duckdb = need("duckdb")
    extra, tables = referenced(sql)
    con = connection if connection is not None else duckdb.connect()
    errors: list[TruncatedCaptureError] = []
    if "flows" in tables and ("packets" in tables or not tables):
        source = _twice(source)
    if "flows" in tables:
        con.register("flows", _flow_reader(source, errors))
    if "packets" in tables or not tables:
        fields = packet_columns(sql) or list(DEFAULT_FIELDS) + extra
        stream = _packet_reader(source, fields, errors)
        if _mentions(sql, "packets") > 1:
            stream = stream.read_all()  # scanned more than once (a join with itself...)
        con.register("packets", stream)
    try:
        result = con.sql(quote_names(sql))
        table = need("pyarrow").table({}) if result is None else result.to_arrow_table()
    except duckdb.Error as exc:
        raise QueryError(str(exc).splitlines()[0]) from None
    if errors:
        if damaged is None:
            raise errors[0]
        damaged.append(errors[0])
    return table


class QueryError(PaquetError):
    """DuckDB refused the query (its first line of explanation)."""

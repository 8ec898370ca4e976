"""PacketList: a list of packets that summarises itself, as Scapy's ``PacketList`` does.

Generic on purpose: a subclass whose elements are not packets (``sr``'s answered list holds
``(sent, received)`` pairs) overrides ``_elt2pkt``, ``_elt2sum`` and ``_elt2show``. As in
Scapy, the functions given to ``summary``, ``nsummary``, ``filter``, ``make_table`` and the
plots receive an element's parts as arguments: ``lambda p:`` for a packet, ``lambda s, r:``
for a ``(query, answer)`` pair. The pictures (``plot``, ``conversations``...) are in
:mod:`paquet.plist_graph`.

>>> PacketList([b"\\x00" * 14], name="Sniffed")
<Sniffed: TCP:0 UDP:0 ICMP:0 Other:1>
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, SupportsIndex, overload

from paquet.errors import PaquetError
from paquet.plist_graph import PlotsMixin
from paquet.tables import make_lined_table, make_table, make_tex_table

__all__ = ["PacketList", "QueryAnswer", "SndRcvList", "elt_args", "session_key"]

#: Protocols counted by ``repr`` unless a list is given other ``stats``.
DEFAULT_STATS: tuple[str, ...] = ("TCP", "UDP", "ICMP")


def _layer_names(pkt: Any) -> set[str]:
    """The class names of the layers of ``pkt`` (empty for bytes and undissected records)."""
    names: set[str] = set()
    layer = pkt
    for _ in range(64):
        if layer is None or isinstance(layer, bytes | bytearray):
            break
        names.add(type(layer).__name__)
        layer = getattr(layer, "payload", None)
        if layer is not None and not layer:
            # Scapy-style NoPayload is falsy: the end of the chain.
            break
    return names


def haslayer(pkt: Any, name: str) -> bool:
    """Whether ``pkt`` has a layer called ``name`` (through ``pkt.haslayer`` when it has one)."""
    method = getattr(pkt, "haslayer", None)
    if callable(method):
        try:
            return bool(method(name))
        except (TypeError, ValueError, KeyError):
            return name in _layer_names(pkt)
    return name in _layer_names(pkt)


def elt_args(elt: Any) -> tuple[Any, ...]:
    """The arguments an element gives the user's functions: a pair's parts, else itself.

    >>> elt_args(("query", "answer")), elt_args(b"pkt")
    (('query', 'answer'), (b'pkt',))
    """
    return tuple(elt) if isinstance(elt, tuple) else (elt,)


def _theme() -> Any:
    from paquet.themes import get_theme

    return get_theme()


def _time_text(pkt: Any) -> str:
    """``%.time%`` of a packet: its time of day (``??`` for what has no time)."""
    method = getattr(pkt, "sprintf", None)
    if callable(method):
        return str(method("%.time%"))
    t = getattr(pkt, "time", None)
    if t is None:
        return "??"
    import time

    t = float(t)
    return time.strftime("%H:%M:%S", time.localtime(t)) + f".{int((t - int(t)) * 1e6):06d}"


def _dump(data: Any) -> None:
    from paquet.packet.dump import hexdump

    hexdump(data if isinstance(data, bytes | str) else bytes(data))


def _summary(pkt: Any) -> str:
    method = getattr(pkt, "summary", None)
    if callable(method):
        return str(method())
    if isinstance(pkt, bytes | bytearray):
        return f"Raw {len(pkt)} bytes {bytes(pkt[:16]).hex()}"
    return repr(pkt)


def _field_text(layer: Any, name: str) -> str:
    """A field as Scapy's ``%Layer.field%`` shows it (the engine's display form)."""
    method = getattr(layer, "sprintf_field", None)
    if callable(method):
        try:
            return str(method(name))
        except (KeyError, AttributeError):
            return "??"
    value = getattr(layer, name, None)
    return "??" if value is None else str(value)


def session_key(pkt: Any) -> str:
    """Scapy's session of a packet (the keys of ``sessions()``): ``TCP 192.0.2.1:1234 >
    192.0.2.2:80``, ``UDP ...``, ``ICMP ... type=8 code=0 id=0x1``, ``ICMPv6 ...``,
    ``IPv6 ... nh=...``, ``IP ... proto=...``, ``ARP ... > ...``, ``Ethernet type=0x...``;
    ``Other`` without an Ethernet header.

    >>> from paquet.layers import Ether, IP, TCP
    >>> session_key(Ether() / IP(src="192.0.2.1", dst="192.0.2.2") / TCP(sport=1234))
    'TCP 192.0.2.1:1234 > 192.0.2.2:80'
    """
    has = getattr(pkt, "haslayer", None)
    if not callable(has) or not has("Ether"):
        return "Other"
    if has("IP") or has("IPv6"):
        src = "{IP:%IP.src%}{IPv6:%IPv6.src%}"
        dst = "{IP:%IP.dst%}{IPv6:%IPv6.dst%}"
        if has("TCP"):
            fmt = f"TCP {src}:%r,TCP.sport% > {dst}:%r,TCP.dport%"
        elif has("UDP"):
            fmt = f"UDP {src}:%r,UDP.sport% > {dst}:%r,UDP.dport%"
        elif has("ICMP"):
            fmt = f"ICMP {src} > {dst} type=%r,ICMP.type% code=%r,ICMP.code% id=%ICMP.id%"
        elif has("ICMPv6"):
            fmt = f"ICMPv6 {src} > {dst} type=%r,ICMPv6.type% code=%r,ICMPv6.code%"
        elif has("IPv6"):
            fmt = f"IPv6 {src} > {dst} nh=%IPv6.nh%"
        else:
            fmt = f"IP {src} > {dst} proto=%IP.proto%"
        return str(pkt.sprintf(fmt))
    if has("ARP"):
        return str(pkt.sprintf("ARP %ARP.psrc% > %ARP.pdst%"))
    return str(pkt.sprintf("Ethernet type=%04xr,Ether.type%"))


class PacketList(PlotsMixin, list[Any]):
    """A list of packets with Scapy's conveniences: summaries, tables, hexdumps, sessions,
    matching queries and answers (``sr()``), plots and graphs.

    ``repr`` counts the packets by protocol: ``<PacketList: TCP:3 UDP:1 ICMP:0 Other:0>``;
    ``stats`` chooses the protocols (layer classes or names), ``name`` the label.
    """

    def __init__(
        self,
        res: Iterable[Any] | None = None,
        name: str = "PacketList",
        stats: Iterable[Any] | None = None,
    ) -> None:
        super().__init__(res if res is not None else ())
        self.listname = name
        self.stats: list[Any] = list(stats) if stats is not None else list(DEFAULT_STATS)

    @property
    def res(self) -> list[Any]:
        """The elements as a plain list (Scapy's attribute)."""
        return list(self)

    # Hooks for subclasses whose elements are not single packets.
    def _elt2pkt(self, elt: Any) -> Any:
        """The packet an element stands for (itself here; the answer for a pair)."""
        return elt

    def _elt2sum(self, elt: Any) -> str:
        """One line for an element."""
        return _summary(elt)

    def _elt2show(self, elt: Any) -> str:
        """The line ``show``/``nsummary`` prints for an element."""
        return self._elt2sum(elt)

    def _stat_name(self, proto: Any) -> str:
        return proto if isinstance(proto, str) else str(getattr(proto, "__name__", proto))

    def counts(self) -> dict[str, int]:
        """Packets per protocol of ``stats`` (first match wins), and ``Other``."""
        names = [self._stat_name(p) for p in self.stats]
        out = dict.fromkeys(names, 0)
        other = 0
        for elt in self:
            pkt = self._elt2pkt(elt)
            for proto in names:
                if haslayer(pkt, proto):
                    out[proto] += 1
                    break
            else:
                other += 1
        out["Other"] = other
        return out

    def __repr__(self) -> str:
        ct = _theme()
        counts = "".join(
            f" {ct.packetlist_proto(k)}{ct.punct(':')}{ct.packetlist_value(v)}"
            for k, v in self.counts().items()
        )
        name = ct.packetlist_name(self.listname)
        return f"{ct.punct('<')}{name}{ct.punct(':')}{counts}{ct.punct('>')}"

    @overload
    def __getitem__(self, item: SupportsIndex) -> Any: ...

    @overload
    def __getitem__(self, item: slice) -> PacketList: ...

    @overload
    def __getitem__(self, item: str | type) -> PacketList: ...

    def __getitem__(self, item: SupportsIndex | slice | str | type) -> Any:
        """An element; a slice as a list of this class; ``plist[TCP]`` (or ``"TCP"``) the
        packets that have that layer, as Scapy does."""
        if isinstance(item, slice):
            return self._same(super().__getitem__(item), f"mod {self.listname}")
        if isinstance(item, type | str):
            name = item if isinstance(item, str) else item.__name__
            return self._same(
                (e for e in self if haslayer(self._elt2pkt(e), name)),
                f"{name} from {self.listname}",
            )
        return super().__getitem__(item)

    def _same(self, res: Iterable[Any], name: str) -> PacketList:
        """A new list of this class holding ``res`` (subclasses with other fields override)."""
        return self.__class__(res, name=name, stats=self.stats)

    def __add__(self, other: Iterable[Any]) -> PacketList:
        return self._same([*self, *other], f"{self.listname}+{getattr(other, 'listname', '')}")

    def summary(
        self,
        prn: Callable[..., Any] | None = None,
        lfilter: Callable[..., bool] | None = None,
    ) -> None:
        """Print one line per element: its summary, or ``prn(*element)`` (``lambda p:`` for
        packets, ``lambda s, r:`` for pairs); ``lfilter(*element)`` chooses the elements."""
        for elt in self:
            args = elt_args(elt)
            if lfilter is not None and not lfilter(*args):
                continue
            print(self._elt2sum(elt) if prn is None else prn(*args))

    def nsummary(
        self,
        prn: Callable[..., Any] | None = None,
        lfilter: Callable[..., bool] | None = None,
    ) -> None:
        """:meth:`summary` with each element's number first (``0000 Ether / IP / TCP ...``)."""
        ct = _theme()
        for i, elt in enumerate(self):
            args = elt_args(elt)
            if lfilter is not None and not lfilter(*args):
                continue
            line = self._elt2show(elt) if prn is None else prn(*args)
            print(ct.id(i, fmt="%04i"), line)

    def show(self, *args: Any, **kwargs: Any) -> None:
        """Scapy's ``show`` on a list: the numbered summary."""
        self.nsummary(*args, **kwargs)

    def filter(self, func: Callable[..., bool]) -> PacketList:
        """A new list of the elements for which ``func(*element)`` is true."""
        return self._same(
            (e for e in self if func(*elt_args(e))), f"filtered {self.listname}"
        )

    # Tables -------------------------------------------------------------------------------

    def make_table(self, *args: Any, **kargs: Any) -> str | None:
        """Print a table: ``f(*element) -> (column, row, cell)``, e.g.
        ``ans.make_table(lambda s, r: (s.dst, s.dport, r.sprintf("%TCP.flags%")))``;
        ``dump=True`` returns the text (see :func:`paquet.tables.make_table`)."""
        return make_table(list(self), *args, **kargs)

    def make_lined_table(self, *args: Any, **kargs: Any) -> str | None:
        """:meth:`make_table` with borders."""
        return make_lined_table(list(self), *args, **kargs)

    def make_tex_table(self, *args: Any, **kargs: Any) -> str | None:
        """:meth:`make_table` as a LaTeX tabular body."""
        return make_tex_table(list(self), *args, **kargs)

    # Hexdumps ------------------------------------------------------------------------------

    def _headline(self, i: int, elt: Any, pkt: Any) -> None:
        print(f"{_theme().id(i, fmt='%04i')} {_time_text(pkt)} {self._elt2sum(elt)}")

    def rawhexdump(self) -> None:
        """Print the hexdump of each packet."""
        for elt in self:
            _dump(self._elt2pkt(elt))

    def hexraw(self, lfilter: Callable[[Any], bool] | None = None) -> None:
        """Print each packet's numbered summary line, then the hexdump of its ``Raw`` load
        when it has one; ``lfilter(packet)`` chooses the packets."""
        for i, elt in enumerate(self):
            pkt = self._elt2pkt(elt)
            if lfilter is not None and not lfilter(pkt):
                continue
            self._headline(i, elt, pkt)
            if haslayer(pkt, "Raw"):
                _dump(pkt.getlayer("Raw").load)

    def hexdump(self, lfilter: Callable[[Any], bool] | None = None) -> None:
        """Print each packet's numbered summary line, then its hexdump."""
        for i, elt in enumerate(self):
            pkt = self._elt2pkt(elt)
            if lfilter is not None and not lfilter(pkt):
                continue
            self._headline(i, elt, pkt)
            _dump(pkt)

    def padding(self, lfilter: Callable[[Any], bool] | None = None) -> None:
        """:meth:`hexraw` for the ``Padding`` of the packets that have one."""
        for i, elt in enumerate(self):
            pkt = self._elt2pkt(elt)
            if haslayer(pkt, "Padding") and (lfilter is None or lfilter(pkt)):
                self._headline(i, elt, pkt)
                _dump(pkt.getlayer("Padding").load)

    def nzpadding(self, lfilter: Callable[[Any], bool] | None = None) -> None:
        """:meth:`padding` for the packets whose padding is not one byte repeated."""
        for i, elt in enumerate(self):
            pkt = self._elt2pkt(elt)
            if not haslayer(pkt, "Padding"):
                continue
            pad = bytes(pkt.getlayer("Padding").load)
            if pad == pad[:1] * len(pad):
                continue
            if lfilter is None or lfilter(pkt):
                self._headline(i, elt, pkt)
                _dump(pad)

    # Grouping, rewriting, matching --------------------------------------------------------

    def sessions(
        self, session_extractor: Callable[[Any], str] | None = None
    ) -> dict[str, PacketList]:
        """The elements grouped by ``session_extractor(packet)`` (default :func:`session_key`,
        Scapy's keys): key -> list of this class."""
        extract = session_extractor or session_key
        out: dict[str, PacketList] = {}
        for elt in self:
            key = extract(self._elt2pkt(elt))
            if key not in out:
                out[key] = self.__class__()
            out[key].append(elt)
        return out

    def replace(self, *args: Any, **kargs: Any) -> PacketList:
        """A new list where fields are changed: ``replace(IP.src, "192.0.2.1", "192.0.2.9")``
        (only that old value), ``replace("IP.ttl", 64)`` (any value), or several such tuples
        ``replace(("IP.ttl", 64), ("TCP.sport", 666, 777))``. A field is a class attribute
        (``IP.src``), a Field, ``"Layer.field"`` or a field name (every layer having it). A
        changed packet is a copy; ``delete_checksums=True`` also lets its checksums be
        computed again."""
        if not args:
            raise PaquetError("replace: give (field, [old,] new), e.g. replace(IP.ttl, 64)")
        schemes = args if isinstance(args[0], tuple) else (args,)
        for scheme in schemes:
            if len(scheme) not in (2, 3):
                raise PaquetError(f"replace: (field, [old,] new), not {scheme!r}")
        drop_sums = bool(kargs.get("delete_checksums", False))
        out = PacketList(name=f"Replaced {self.listname}")
        for elt in self:
            pkt = self._elt2pkt(elt)
            copied = False
            for scheme in schemes:
                fld, new = scheme[0], scheme[-1]
                name = _field_name(fld)
                for depth in _owner_layers(pkt, fld):
                    if len(scheme) == 3 and getattr(_nth_layer(pkt, depth), name) != scheme[1]:
                        continue
                    if not copied:
                        pkt = pkt.copy()
                        if drop_sums:
                            _delete_checksums(pkt)
                        copied = True
                    setattr(_nth_layer(pkt, depth), name, new)
            out.append(pkt)
        return out

    def getlayer(
        self,
        cls: Any,
        nb: int | None = None,
        flt: dict[str, Any] | None = None,
        name: str | None = None,
        stats: list[Any] | None = None,
    ) -> PacketList:
        """The list of each packet's layer ``cls`` (its ``nb``-th one, whose fields equal
        ``flt``), leaving out the packets without it."""
        if name is None:
            name = f"{self.listname} layer {getattr(cls, '__name__', cls)}"
        kwargs: dict[str, Any] = dict(flt or {})
        if nb is not None:
            kwargs["nb"] = nb
        found = (self._elt2pkt(e).getlayer(cls, **kwargs) for e in self)
        return PacketList(
            [layer for layer in found if layer is not None],
            name,
            self.stats if stats is None else stats,
        )

    def sr(self, multi: bool = False, lookahead: int | None = None) -> tuple[Any, PacketList]:
        """Pair the packets of this list with their answers further on (``answer.answers(
        query)``), as Scapy's ``PacketList.sr``: ``(SndRcvList of pairs, PacketList of the
        rest)``. ``lookahead`` limits how far an answer may be (0 or None: anywhere after);
        with ``multi``, a query may have several answers."""
        remain = list(self)
        pairs: list[Any] = []
        answered: set[int] = set()  # (multi) positions in remain that matched
        reach = lookahead or len(remain)
        i = 0
        while i < len(remain):
            query = remain[i]
            j = i
            while j < min(reach + i, len(remain) - 1):
                j += 1
                if remain[j].answers(query):
                    pairs.append(QueryAnswer(query, remain[j]))
                    if multi:
                        answered.update((id(query), id(remain[j])))
                        continue
                    del remain[j]
                    del remain[i]
                    i -= 1
                    break
            i += 1
        if multi:
            remain = [p for p in remain if id(p) not in answered]
        return SndRcvList(pairs), PacketList(remain)

    # Export --------------------------------------------------------------------------------

    def to_dicts(self) -> list[dict[str, Any]]:
        """Each packet as a dict (``pkt.to_dict()``; bytes records as their hex)."""
        out: list[dict[str, Any]] = []
        for elt in self:
            pkt = self._elt2pkt(elt)
            method = getattr(pkt, "to_dict", None)
            if callable(method):
                out.append(method())
            else:
                out.append({"time": getattr(pkt, "time", None), "data": bytes(pkt).hex()})
        return out

    def to_json(self) -> str:
        """The list as JSON (see ``to_dicts``)."""
        return json.dumps(self.to_dicts(), default=str)

    # Pictures (paquet.draw): the exchange as a ladder, the packets' layers, notebooks.

    def ladder(self, title: str = "") -> Any:
        """The exchange as a ladder diagram (:class:`paquet.draw.ladder.Ladder`): printed, the
        text form; ``.svg()``, ``.html()`` the pictures; a notebook shows the SVG."""
        from paquet.packet.display import picture

        return picture("ladder")(self, title)

    def canvas_dump(self, layer_shift: int = 0, rebuild: int = 1) -> Any:
        """The packets' pictures, one under the other (Scapy's ``canvas_dump``): an object
        written as PyX's canvas is (``writeSVGfile``, ``writePDFfile``, ``writeEPSfile``)."""
        from paquet.packet.display import picture

        return picture("canvas_dump")(self, layer_shift, rebuild)

    def svgdump(self, filename: str | None = None, **kargs: Any) -> None:
        """Each packet's layers as a picture, one under the other, as SVG (Scapy's)."""
        from paquet.packet.display import picture

        picture("write_dump")(self, "svg", filename, **kargs)

    def pdfdump(self, filename: str | None = None, **kargs: Any) -> None:
        """The same pictures as PDF (Scapy's; needs ``rsvg-convert``)."""
        from paquet.packet.display import picture

        picture("write_dump")(self, "pdf", filename, **kargs)

    def psdump(self, filename: str | None = None, **kargs: Any) -> None:
        """The same pictures as Encapsulated PostScript (Scapy's; needs ``rsvg-convert``)."""
        from paquet.packet.display import picture

        picture("write_dump")(self, "ps", filename, **kargs)

    def _repr_html_(self) -> str:
        from paquet.packet.display import picture

        return str(picture("plist_html")(self))

    def _repr_svg_(self) -> str | None:
        from paquet.packet.display import picture

        svg: str | None = picture("plist_svg")(self)
        return svg

    def to_arrow(self, fields: Any = None, **options: Any) -> Any:
        """The packets as a ``pyarrow.Table`` with Wireshark-named columns (``paquet[data]``;
        see :func:`paquet.frame.read` for ``fields`` and the options)."""
        import importlib  # the tables sit above the packet lists: no import cycle

        frame = importlib.import_module("paquet.frame.packets")
        return frame.from_packets([self._elt2pkt(elt) for elt in self], fields, **options)

    def __getstate__(self) -> dict[str, Any]:
        return {"listname": self.listname, "stats": self.stats}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.listname = state["listname"]
        self.stats = state["stats"]


class QueryAnswer(NamedTuple):
    """One matched pair of :class:`SndRcvList`: the probe sent and the answer received."""

    query: Any
    answer: Any


class SndRcvList(PacketList):
    """The answered list of ``sr``: ``(query, answer)`` pairs, printed as ``query ==> answer``;
    the functions given to its methods take both: ``ans.summary(lambda s, r: r.src)``."""

    def __init__(
        self,
        res: Iterable[Any] | None = None,
        name: str = "Results",
        stats: Iterable[Any] | None = None,
    ) -> None:
        super().__init__(res, name=name, stats=stats)

    def _elt2pkt(self, elt: Any) -> Any:
        return elt[1]

    def _elt2sum(self, elt: Any) -> str:
        return f"{_summary(elt[0])} ==> {_summary(elt[1])}"


def _field_name(fld: Any) -> str:
    """The name of a field given as ``IP.src`` (a class attribute), a Field object, a name
    (``"ttl"``) or a layer and a name (``"IP.ttl"``)."""
    if isinstance(fld, str):
        return fld.rpartition(".")[2]
    name = getattr(fld, "name", None)
    if isinstance(name, str):
        return name
    getter_name = getattr(getattr(fld, "fget", None), "__name__", None)
    if isinstance(getter_name, str):
        return getter_name
    raise PaquetError(f"replace: not a field: {fld!r} (write it as IP.src, 'IP.ttl' or 'ttl')")


def _owner_layers(pkt: Any, fld: Any) -> list[int]:
    """The positions in ``pkt`` of the layers the field ``fld`` belongs to, the first layer
    of each class (as Scapy): ``IP.src`` or ``"IP.src"`` the IP layer (and its subclasses'),
    a Field object the layers whose table holds it, a plain name every layer having a field
    of that name."""
    name = _field_name(fld)
    cls_name = fld.rpartition(".")[0] if isinstance(fld, str) else ""
    out = []
    seen: set[type] = set()  # as Scapy's pkt[cls]: the first layer of each class only
    for depth, layer in enumerate(pkt.iterlayers()):
        fieldmap = getattr(layer, "_fieldmap", {})
        if name not in fieldmap or type(layer) in seen:
            continue
        seen.add(type(layer))
        mro = type(layer).__mro__
        if isinstance(fld, str):
            ok = not cls_name or any(k.__name__ == cls_name for k in mro)
        elif hasattr(fld, "fget"):
            ok = any(k.__dict__.get(name) is fld for k in mro)
        else:
            ok = fieldmap[name] is fld
        if ok:
            out.append(depth)
    return out


def _nth_layer(pkt: Any, depth: int) -> Any:
    """The layer at position ``depth`` of ``pkt`` (0: ``pkt`` itself)."""
    for k, layer in enumerate(pkt.iterlayers()):
        if k == depth:
            return layer
    raise PaquetError(f"no layer {depth} in {pkt!r}")


def _delete_checksums(pkt: Any) -> None:
    """Set each layer's checksum field to None, to be computed again when built."""
    for layer in pkt.iterlayers():
        names = {"chksum", "cksum", "checksum", getattr(layer, "chksum_field", "chksum")}
        for name in names & set(layer._fieldmap):
            setattr(layer, name, None)

"""PacketList: a list of packets that summarises itself, as Scapy's ``PacketList`` does.

Generic on purpose: a subclass whose elements are not packets (``sr``'s answered list holds
``(sent, received)`` pairs) overrides ``_elt2pkt``, ``_elt2sum`` and ``_elt2show``.

>>> PacketList([b"\\x00" * 14], name="Sniffed")
<Sniffed: TCP:0 UDP:0 ICMP:0 Other:1>
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, SupportsIndex, overload

__all__ = ["PacketList", "session_key"]

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
    """Scapy's session of a packet: ``TCP 192.0.2.1:1234 > 192.0.2.2:80``, ``ICMP ... id=``..."""
    get = getattr(pkt, "getlayer", None)
    if not callable(get) or get("Ether") is None:
        return "Other"
    ip, ip6 = get("IP"), get("IPv6")
    net = ip if ip is not None else ip6
    if net is not None:
        src, dst = _field_text(net, "src"), _field_text(net, "dst")
        tcp, udp, icmp, icmp6 = get("TCP"), get("UDP"), get("ICMP"), get("ICMPv6")
        if tcp is not None:
            return f"TCP {src}:{int(tcp.sport)} > {dst}:{int(tcp.dport)}"
        if udp is not None:
            return f"UDP {src}:{int(udp.sport)} > {dst}:{int(udp.dport)}"
        if icmp is not None:
            return (
                f"ICMP {src} > {dst} type={int(icmp.type)} code={int(icmp.code)} "
                f"id={_field_text(icmp, 'id')}"
            )
        if icmp6 is not None:
            return f"ICMPv6 {src} > {dst} type={int(icmp6.type)} code={int(icmp6.code)}"
        if ip6 is not None and ip is None:
            return f"IPv6 {src} > {dst} nh={_field_text(ip6, 'nh')}"
        return f"IP {src} > {dst} proto={_field_text(ip, 'proto')}"
    arp = get("ARP")
    if arp is not None:
        return f"ARP {_field_text(arp, 'psrc')} > {_field_text(arp, 'pdst')}"
    return f"Ethernet type={int(get('Ether').type):04x}"


class PacketList(list[Any]):
    """A list of packets with Scapy's conveniences: summary, nsummary, show, filter.

    ``repr`` counts the packets by protocol: ``<PacketList: TCP:3 UDP:1 ICMP:0 Other:0>``;
    ``stats`` chooses the protocols (layer class names), ``name`` the label.
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
        counts = " ".join(f"{k}:{v}" for k, v in self.counts().items())
        return f"<{self.listname}: {counts}>"

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
        prn: Callable[[Any], Any] | None = None,
        lfilter: Callable[[Any], bool] | None = None,
    ) -> None:
        """Print one line per packet (``prn(pkt)`` instead of the packet's summary)."""
        for elt in self:
            if lfilter is not None and not lfilter(elt):
                continue
            print(self._elt2sum(elt) if prn is None else prn(elt))

    def nsummary(
        self,
        prn: Callable[[Any], Any] | None = None,
        lfilter: Callable[[Any], bool] | None = None,
    ) -> None:
        """Print one numbered line per packet (``0000 Ether / IP / TCP ...``)."""
        for i, elt in enumerate(self):
            if lfilter is not None and not lfilter(elt):
                continue
            line = self._elt2show(elt) if prn is None else prn(elt)
            print(f"{i:04d} {line}")

    def show(self, *args: Any, **kwargs: Any) -> None:
        """Scapy's ``show`` on a list: the numbered summary."""
        self.nsummary(*args, **kwargs)

    def sessions(
        self, session_extractor: Callable[[Any], str] | None = None
    ) -> dict[str, PacketList]:
        """The packets grouped by conversation (Scapy's ``sessions()``): key -> PacketList."""
        extract = session_extractor or session_key
        out: dict[str, PacketList] = {}
        for elt in self:
            key = extract(self._elt2pkt(elt))
            if key not in out:
                out[key] = self._same((), key)
            out[key].append(elt)
        return out

    def filter(self, func: Callable[[Any], bool]) -> PacketList:
        """A new list of the elements for which ``func`` is true."""
        return self._same((e for e in self if func(e)), f"filtered {self.listname}")

    def hexdump(self) -> None:
        """Each packet's summary followed by its hexdump."""
        for elt in self:
            pkt = self._elt2pkt(elt)
            print(_summary(pkt))
            method = getattr(pkt, "hexdump", None)
            if callable(method):
                out = method()
                if out is not None:
                    print(out)
            else:
                data = bytes(pkt)
                for off in range(0, len(data), 16):
                    row = data[off : off + 16]
                    text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
                    print(f"{off:04x}  {row.hex(' '):<47}  {text}")

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

    def __getstate__(self) -> dict[str, Any]:
        return {"listname": self.listname, "stats": self.stats}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.listname = state["listname"]
        self.stats = state["stats"]

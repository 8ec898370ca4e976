"""Printing packets and layer classes as Scapy does: ``raw``, ``hexdump``, ``hexstr``, ``ls``.

Functions of the whole packet, above the engine: they only read what :mod:`paquet.packet.base`
gives (a packet's bytes, its layers, a class's field table). ``paquet.packet.base`` still
answers these names, for the code and the tests written before they moved here.
"""

from __future__ import annotations

from paquet.packet.base import NoPayload, Packet, payload_of
from paquet.packet.fields import FlagsField, FlagValue

__all__ = ["hexdump", "hexstr", "ls", "raw"]


def raw(pkt: Packet | bytes | str) -> bytes:
    """The bytes of ``pkt`` (Scapy's ``raw``); bytes and text pass through (text UTF-8)."""
    if isinstance(pkt, Packet):
        return pkt.build()
    if isinstance(pkt, str):
        return pkt.encode("utf-8", "surrogateescape")
    return bytes(pkt)


def _sane(data: bytes) -> str:
    return "".join(chr(b) if 32 <= b < 127 else "." for b in data)


def _ls_lines(cls: type[Packet], layer: Packet | None) -> list[str]:
    """The lines of :func:`ls` for one class (defaults) or one layer (values and defaults)."""
    lines = []
    for f in cls._fields:
        dflt = f.default
        if isinstance(f, FlagsField):
            dflt = FlagValue(dflt or 0, f.names)
        default = repr(dflt)
        if layer is None:
            lines.append(f"{f.name:<10} : {f.type_name():<35} = ({default!r})")
        else:
            v = layer.__dict__[f.name]
            if isinstance(f, FlagsField) and type(v) is int:
                v = FlagValue(v, f.names)
            lines.append(f"{f.name:<10} : {f.type_name():<35} = {v!r:<15} ({default!r})")
    return lines


def hexdump(pkt: Packet | bytes | str, dump: bool = False) -> str | None:
    """Scapy's hexdump: offset, 16 bytes in hexadecimal, the same bytes as ASCII.

    >>> hexdump(b"paquet\\x00\\x01", dump=True)
    '0000  70 61 71 75 65 74 00 01                          paquet..'
    """
    data = raw(pkt)
    lines = []
    for i in range(0, len(data), 16):
        chunk = data[i : i + 16]
        hexpart = "".join(f"{b:02X} " for b in chunk).ljust(48)
        lines.append(f"{i:04x}  {hexpart} {_sane(chunk)}")
    s = "\n".join(lines)
    if dump:
        return s
    print(s)
    return None


def hexstr(pkt: Packet | bytes | str, onlyasc: bool = False, onlyhex: bool = False) -> str:
    """The bytes as one line of hexadecimal then ASCII (Scapy's ``hexstr``).

    >>> hexstr(b"E\\x00")
    '45 00  E.'
    """
    data = raw(pkt)
    parts = []
    if not onlyasc:
        parts.append(" ".join(f"{b:02X}" for b in data))
    if not onlyhex:
        parts.append(_sane(data))
    return "  ".join(parts)


def ls(obj: Packet | type[Packet] | None = None, dump: bool = False) -> str | None:
    """List the fields of a layer class (name, kind, default) or of a packet (with values).

    With no argument, list the known layers. Prints, or returns the text with ``dump=True``.
    """
    lines = []
    if obj is None:
        seen: dict[str, type[Packet]] = {}
        stack = list(Packet.__subclasses__())
        while stack:
            c = stack.pop()
            if not c.__name__.startswith("_") and c is not NoPayload:
                seen.setdefault(c.__name__, c)
            stack.extend(c.__subclasses__())
        for n in sorted(seen, key=str.lower):
            lines.append(f"{n:<10}: {seen[n].name}")
    elif isinstance(obj, type):
        lines.extend(_ls_lines(obj, None))
    else:
        # A packet: each layer's fields, the layers apart by "--" (a loop: any depth).
        layer: Packet = obj
        while True:
            lines.extend(_ls_lines(type(layer), layer))
            layer = payload_of(layer)
            if not layer:
                break
            lines.append("--")
    s = "\n".join(lines)
    if dump:
        return s
    print(s)
    return None

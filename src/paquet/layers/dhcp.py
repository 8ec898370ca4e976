"""BOOTP (RFC 951, RFC 1542) and DHCP (RFC 2131, RFC 2132), over UDP ports 67 and 68.

:class:`BOOTP` is the fixed 236-byte message (op, addresses, the client's hardware address in
16 bytes, server name and boot file) followed by ``options``: the 4-byte magic cookie
(:data:`dhcpmagic`) when DHCP options follow, as its :class:`DHCP` payload. :class:`DHCP`
holds the options as Scapy's list: tuples ``(name, value, ...)`` for options with a value
(names and kinds in :mod:`paquet.layers.dhcp_options`), plain names for those without
(``"end"``, ``"pad"``), ``(code, bytes)`` for an unknown code, and the bytes themselves when
an option runs past the end. Classes, names, defaults, bytes and bindings are Scapy's
(``scapy.layers.dhcp``).

>>> p = BOOTP(chaddr="02:00:00:00:00:01", xid=7) / DHCP(options=[("message-type", "discover"),
...     ("param_req_list", [1, 3, 6]), "end"])
>>> q = BOOTP(bytes(p))
>>> q[DHCP].options, q.summary()
([('message-type', 1), ('param_req_list', [1, 3, 6]), 'end'], 'BOOTP / DHCP Discover')
"""

from __future__ import annotations

import struct
import warnings
from typing import Any

from paquet.layers.arp import HARDWARE_TYPES
from paquet.layers.dhcp_options import (
    OPTION_HEADER,
    DHCPOptions,
    DHCPRevOptions,
    DHCPTypes,
    RandDHCPOptions,
)
from paquet.number_enums import Port
from paquet.packet import registry
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet
from paquet.packet.dump import sane
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import ByteField, Field, FieldError, ShortField, XIntField
from paquet.packet.flagfields import FlagsField
from paquet.packet.strfields import StrField, StrFixedLenField
from paquet.volatile.base import VolatileValue

__all__ = ["BOOTP", "DHCP", "DHCPOptionsField", "dhcpmagic"]

#: The magic cookie that starts the options of a DHCP message (RFC 2131 §3).
dhcpmagic = b"c\x82Sc"


class _BootpChaddr(StrFixedLenField):
    """The client's hardware address, 16 bytes: a MAC given as text is written as its 6 bytes,
    then zeros; shown as the MAC and its padding for Ethernet (Scapy's ``_BOOTP_chaddr``)."""

    __slots__ = ()
    fast = False

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if isinstance(x, VolatileValue):
            x = x._fix()
        if not x:
            return b"\x00" * 6
        try:
            text = x.decode("utf-8", "backslashreplace") if isinstance(x, bytes) else str(x)
            return bytes(int(part, 16) for part in text.split(":"))
        except ValueError:  # not a MAC written in hexadecimal: the bytes as they are
            return super().i2m(pkt, x)

    def i2repr(self, pkt: Any, x: Any) -> str:
        if isinstance(x, VolatileValue):
            return repr(x)
        if getattr(pkt, "htype", None) == 1 and isinstance(x, bytes):
            mac = x[:6].hex(":")
            if x[6:] == b"\x00" * 10:
                return f"{mac} (+ 10 nul pad)"
            return f"{mac} (pad: {x[6:]!r})"
        return super().i2repr(pkt, x)

    def type_name(self) -> str:
        return "_BOOTP_chaddr"


class _BootpOptions(StrField):
    """What follows the fixed header: the magic cookie alone when DHCP options follow (they
    are the payload), else every byte left (Scapy's ``StrEnumField`` and its
    ``extract_padding``)."""

    __slots__ = ()

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        if s[:4] == dhcpmagic:
            return s[4:], dhcpmagic
        return b"", s

    def i2repr(self, pkt: Any, x: Any) -> str:
        return f"{x!r} (DHCP magic)" if x == dhcpmagic else repr(x)

    def type_name(self) -> str:
        return "StrEnumField"


class BOOTP(Packet):
    """A BOOTP message: 236 bytes, then ``options`` (the magic cookie before DHCP options)."""

    name = "BOOTP"
    fields_desc = (
        ByteEnumField("op", 1, {1: "BOOTREQUEST", 2: "BOOTREPLY"}),
        ByteEnumField("htype", 1, HARDWARE_TYPES),
        ByteField("hlen", 6),
        ByteField("hops", 0),
        XIntField("xid", 0),
        ShortField("secs", 0),
        FlagsField("flags", 0, 16, "???????????????B"),
        IPField("ciaddr", "0.0.0.0"),
        IPField("yiaddr", "0.0.0.0"),
        IPField("siaddr", "0.0.0.0"),
        IPField("giaddr", "0.0.0.0"),
        _BootpChaddr("chaddr", b"", length=16),
        StrFixedLenField("sname", b"", length=64),
        StrFixedLenField("file", b"", length=128),
        _BootpOptions("options", b""),
    )

    def hashret(self) -> bytes:
        xid = self.xid
        return struct.pack("!I", xid if isinstance(xid, int) else int(xid))

    def answers(self, other: Packet) -> bool:
        return isinstance(other, BOOTP) and self.xid == other.xid


def _value_repr(pkt: Any, opt: tuple[Any, ...]) -> str:
    name = opt[0]
    entry = DHCPRevOptions.get(name) if isinstance(name, str) else None
    f = entry[1] if entry is not None else None
    if f is not None:
        return ",".join(f.i2repr(pkt, v) for v in opt[1:])
    return ",".join(repr(v) for v in opt[1:])


class DHCPOptionsField(StrField):
    """DHCP options as Scapy's list (see the module): ``[("message-type", "discover"),
    ("name_server", "192.0.2.1", "192.0.2.2"), "end"]``.

    >>> f = DHCPOptionsField("options", b"")
    >>> f.i2m(None, [("hostname", "pc"), "end"]), f.m2i(None, b"\\x0c\\x02pc\\xff")
    (b'\\x0c\\x02pc\\xff', [('hostname', b'pc'), 'end'])
    """

    __slots__ = ()
    islist = True
    ismutable = True

    def any2i(self, pkt: Any, x: Any) -> Any:
        return x.encode("utf-8", "surrogateescape") if isinstance(x, str) else x

    def i2repr(self, pkt: Any, x: Any) -> str:
        if isinstance(x, VolatileValue):
            return repr(x)
        shown = []
        for v in x or ():
            if isinstance(v, tuple) and len(v) >= 2:
                shown.append(f"{v[0]}={_value_repr(pkt, v)}")
            else:
                shown.append(sane(v.encode() if isinstance(v, str) else bytes(
                    v if isinstance(v, bytes) else str(v).encode())))
        return f"[{' '.join(shown)}]"

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        return b"", self.m2i(pkt, s)

    def m2i(self, pkt: Any, x: bytes) -> list[Any]:
        opts: list[Any] = []
        at, end = 0, len(x)
        while at < end:
            code = x[at]
            if code in (0, 255):
                opts.append("pad" if code == 0 else "end")
                at += 1
                continue
            if end - at < 2 or end - at < x[at + 1] + 2:
                opts.append(x[at:])  # an option past the end: its bytes kept
                break
            size = x[at + 1]
            value = x[at + 2 : at + 2 + size]
            kind = DHCPOptions.get(code)
            if kind is None:
                opts.append((code, value))
            elif isinstance(kind, str):
                opts.append((kind, value))
            else:
                values = _read_values(kind, pkt, value)
                if values is None:
                    opts.append(x[at:])  # a value its kind cannot read: the rest kept
                    break
                opts.append((kind.name, *values))
            at += 2 + size
        return opts

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if isinstance(x, str):
            return x.encode("utf-8", "surrogateescape")
        if isinstance(x, VolatileValue):
            x = x._fix()
        out = bytearray()
        for o in x or ():
            if isinstance(o, tuple) and len(o) >= 2:
                encoded = _encode_option(pkt, o)
                if encoded is not None:
                    out += encoded
            elif isinstance(o, str) and DHCPRevOptions.get(o, (0, _NO))[1] is None:
                out.append(DHCPRevOptions[o][0])
            elif isinstance(o, int):
                if not 0 <= o <= 255:
                    raise FieldError(f"option {o}: a code from 0 to 255")
                out += bytes((o, 0))
            elif isinstance(o, str | bytes):
                out += o.encode("utf-8", "surrogateescape") if isinstance(o, str) else o
            else:
                warnings.warn(f"Malformed option {o!r}", stacklevel=2)
        return bytes(out)

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def randval(self) -> Any:
        return RandDHCPOptions()

    def do_copy(self, x: Any) -> Any:
        return list(x) if isinstance(x, list) else x


#: A marker: a name of DHCPRevOptions with a field (never a real field).
_NO: Any = object()


def _read_values(kind: Field, pkt: Any, value: bytes) -> list[Any] | None:
    """The values of an option of this ``kind`` in its ``value`` bytes; None when they are
    not values of that kind (Scapy then keeps the rest of the options as bytes)."""
    try:
        if not value:
            return [kind.getfield(pkt, b"")[1]]
        values = []
        left = value
        while left:
            left, v = kind.getfield(pkt, left)
            values.append(v)
        return values
    except Exception:  # a field refusing these bytes (too short, a bad route)
        return None


def _encode_option(pkt: Any, opt: tuple[Any, ...]) -> bytes | None:
    """An option ``(name, value, ...)`` as code, length and value bytes (None: an unknown
    name, skipped with Scapy's warning)."""
    name, values = opt[0], opt[1:]
    if isinstance(name, int):
        code = name
        try:
            data = b"".join(values)
        except TypeError:
            raise FieldError(f"option {name}: its value as bytes, not {values!r}") from None
    elif isinstance(name, str) and name in DHCPRevOptions:
        code, f = DHCPRevOptions[name]
        if f is not None:
            data = b"".join(f.addfield(pkt, b"", f.any2i(pkt, v)) for v in values)
        else:
            data = b"".join(v.encode("utf-8", "surrogateescape") if isinstance(v, str)
                            else bytes(v) for v in values)
    else:
        warnings.warn(f"Unknown field option {name}", stacklevel=3)
        return None
    try:
        return OPTION_HEADER.pack(code, len(data)) + data
    except struct.error:
        raise FieldError(f"option {name!r}: a value of at most 255 bytes, not "
                         f"{len(data)}") from None


class DHCP(Packet):
    """DHCP options after BOOTP's magic cookie: ``options`` as Scapy's list of tuples."""

    name = "DHCP options"
    fields_desc = (DHCPOptionsField("options", b""),)

    def mysummary(self) -> str:
        for opt in self.options or ():
            if isinstance(opt, tuple) and opt[0] == "message-type":
                kind = opt[1]
                text = DHCPTypes.get(kind, "") if isinstance(kind, int) else ""
                return f"DHCP {text.capitalize()}"
        return ""

    def getopt(self, name: str) -> Any:
        """The (first) value of option ``name``; AttributeError when there is none."""
        for opt in self.options or ():
            if isinstance(opt, tuple) and opt[0] == name:
                return opt[1]
        raise AttributeError(f"Option '{name}' not found !")

    def addopt(self, name: str, value: Any) -> None:
        """Insert option ``(name, value)`` before the last option (the end, usually)."""
        current: Any = self.__dict__["options"]
        opts = current if isinstance(current, list) else []
        opts.insert(len(opts) - 1, (name, value))  # in place, as Scapy
        self.options = opts


def _register() -> None:
    from paquet.layers.udp import UDP

    server, client = int(Port.bootps), int(Port.bootpc)
    registry.bind_layers(UDP, BOOTP, dport=server, sport=client)
    registry.bind_layers(UDP, BOOTP, dport=client, sport=server)
    registry.bind_bottom_up(UDP, BOOTP, dport=server, sport=server)
    registry.bind_layers(BOOTP, DHCP, options=dhcpmagic)


_register()

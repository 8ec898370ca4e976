"""ICMP for IPv4 (RFC 792): echo, errors that quote the probe, and the rest of the types.

The four bytes after the checksum depend on the type, as in Scapy: ``id``/``seq`` for echo and
the other query types, ``reserved``/``length``/``nexthopmtu`` for destination unreachable,
``gw`` for redirect, ``ptr`` for parameter problem, ``unused`` otherwise. An error message
(unreachable, time exceeded, ...) carries the start of the datagram that caused it, dissected as
:class:`~paquet.layers.ipv4.IPerror` and the ``TCPerror``/``UDPerror``/``ICMPerror`` above it,
and ``reply.answers(probe)`` matches it to the probe.
"""

from __future__ import annotations

import re
import struct
import time
from typing import Any

from paquet.checksums import internet_checksum
from paquet.layers.icmp_extensions import ICMPExtension_Header
from paquet.layers.ipv4 import IP, IPerror
from paquet.number_enums import ICMPType
from paquet.numbers import ICMP_CODES, ICMP_TYPES
from paquet.numbers import ICMP_ERROR_TYPES as ERROR_TYPES
from paquet.packet import registry
from paquet.packet.addrfields import IPField, bytes2ip, ip2bytes
from paquet.packet.base import Malformed, Packet
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import (
    ByteField,
    Field,
    FieldError,
    IntField,
    ShortField,
    XShortField,
    conversion,
    representation,
)
from paquet.packet.strfields import StrField
from paquet.packet.structfields import PacketField

__all__ = ["ICMP", "ICMP_CODES", "ICMP_TYPES", "ICMPTimeStampField", "ICMPType", "ICMPerror"]


#: RFC 4884: the error types that may carry extensions, where they start, and the size of a
#: message that has them (Scapy looks for them from 144 bytes).
_EXT_TYPES = frozenset({3, 11, 12})
_EXT_OFFSET = 136
_EXT_MIN = 144
_ANSWERS = {(8, 0), (13, 14), (15, 16), (17, 18), (33, 34), (35, 36), (37, 38)}
_ID_SEQ = frozenset({0, 8, 13, 14, 15, 16, 17, 18, 37, 38})


class _CodeField(ByteField):
    """The code, named according to the type (Scapy's MultiEnumField)."""

    __slots__ = ()
    converts = True

    def any2i(self, value: Any) -> Any:
        if isinstance(value, str):
            for table in ICMP_CODES.values():
                for number, label in table.items():
                    if label == value:
                        return number
            raise FieldError(f"code: unknown name {value!r}")
        return value

    def type_name(self) -> str:
        return "MultiEnumField"


class _UnusedField(Field):
    """Scapy's ``unused``: 2 bytes (time exceeded, parameter problem), 4 bytes, or none."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("unused", b"", None)

    def type_name(self) -> str:
        return "MultipleTypeField"

    def rfc_bits(self) -> int:
        return 0  # (Scapy's rfc() gives its MultipleTypeField no width)


def _ms_since_midnight() -> int:
    t = time.time()
    return int((t % 86400) * 1000)


_HMSM = re.compile(r"([0-2]?[0-9])[Hh:](([0-5]?[0-9])([Mm:]([0-5]?[0-9])([sS:.]([0-9]{0,3}))?)?)?$")


class ICMPTimeStampField(IntField):
    """Milliseconds since midnight UT (RFC 792's timestamps), as Scapy's: set from text
    (``"7:28:28.07"``, ``"7h28"``; text it cannot read is 0), None is the current time, shown
    as ``h:m:s.ms``.

    >>> f = ICMPTimeStampField("ts", None)
    >>> v = f.any2i(None, "07:28:28.07"); v, f.i2repr(None, v)
    (26908070, '7:28:28.70')
    """

    __slots__ = ()
    converts = True

    @conversion
    def any2i(self, pkt: Any, x: Any = None) -> Any:
        if isinstance(x, str):
            m = _HMSM.match(x)
            if not m:
                return 0
            h, _, mi, _, sec, _, ms = m.groups()
            milli = int(((ms or "") + "000")[:3])
            return ((int(h) * 60 + int(mi or 0)) * 60 + int(sec or 0)) * 1000 + milli
        if x is None:
            return _ms_since_midnight()
        return x

    @representation
    def i2repr(self, pkt: Any, x: Any = None) -> str:
        if not isinstance(x, int):
            return "--" if x is None else repr(x)
        return _ts_repr(x)

    def type_name(self) -> str:
        return "ICMPTimeStampField"


def _layout(icmp_type: int) -> tuple[tuple[str, ...], str]:
    """The fields after the checksum for ``icmp_type`` and their struct format."""
    if icmp_type in _ID_SEQ:
        if icmp_type in (13, 14):
            return ("id", "seq", "ts_ori", "ts_rx", "ts_tx"), "HHIII"
        if icmp_type in (17, 18):
            return ("id", "seq", "addr_mask"), "HH4s"
        return ("id", "seq"), "HH"
    if icmp_type == 3:
        return ("reserved", "length", "nexthopmtu"), "BBH"
    if icmp_type == 11:
        return ("reserved", "length", "unused"), "BBH"
    if icmp_type == 12:
        return ("ptr", "length", "unused"), "BBH"
    if icmp_type == 5:
        return ("gw",), "4s"
    return ("unused",), "I"


_LAYOUTS: dict[int, tuple[tuple[str, ...], struct.Struct, tuple[str, ...]]] = {}


def _compiled(icmp_type: int) -> tuple[tuple[str, ...], struct.Struct, tuple[str, ...]]:
    got = _LAYOUTS.get(icmp_type)
    if got is None:
        names, fmt = _layout(icmp_type)
        shown = ("type", "code", "chksum", *names)
        if "unused" not in names:
            shown = (*shown, "unused")
        if icmp_type in (3, 11, 12):
            shown = (*shown, "extpad", "ext")
        got = (names, struct.Struct("!BBH" + fmt), shown)
        if 0 <= icmp_type <= 255:
            _LAYOUTS[icmp_type] = got
    return got


class ICMP(Packet):
    """An ICMP message; the fields present depend on ``type`` (as in Scapy)."""

    name = "ICMP"
    chksum_offset = 2
    fields_desc = (
        ByteEnumField("type", 8, ICMP_TYPES),
        _CodeField("code", 0),
        XShortField("chksum", None),
        XShortField("id", 0),
        XShortField("seq", 0),
        ICMPTimeStampField("ts_ori", None),
        ICMPTimeStampField("ts_rx", None),
        ICMPTimeStampField("ts_tx", None),
        IPField("gw", "0.0.0.0"),
        ByteField("ptr", 0),
        ByteField("reserved", 0),
        ByteField("length", 0),
        IPField("addr_mask", "0.0.0.0"),
        ShortField("nexthopmtu", 0),
        _UnusedField(),
        StrField("extpad", b""),
        PacketField("ext", None, ICMPExtension_Header),
    )

    @property
    def is_error(self) -> bool:
        """True for error messages, which quote the datagram that caused them."""
        return self.__dict__["type"] in ERROR_TYPES

    def _values(self) -> tuple[struct.Struct, list[Any]]:
        d = self.__dict__
        t = d["type"]
        if not isinstance(t, int):
            raise self._build_error(TypeError("type"))
        names, st, _ = _compiled(t)
        vals: list[Any] = [t, d["code"] or 0, d["chksum"] or 0]
        for n in names:
            v = d[n]
            if n in ("gw", "addr_mask"):
                v = ip2bytes(v or "0.0.0.0")
            elif n.startswith("ts_") and v is None:
                v = _ms_since_midnight()
            elif n == "unused" and not isinstance(v, int):
                v = int.from_bytes(v, "big") if isinstance(v, bytes) and v else 0
            vals.append(v or 0 if not isinstance(v, bytes) else v)
        return st, vals

    def self_build(self) -> bytes:
        st, vals = self._values()
        try:
            return st.pack(*vals)
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None

    def post_build(self, hdr: bytes, pay: bytes) -> bytes:
        d = self.__dict__
        ext = d["ext"]
        if ext is not None and d["type"] in _EXT_TYPES:
            # RFC 4884: the quote padded to 128 bytes, then the extension structure (as
            # Scapy: zeros, or the padding dissected when it has that length).
            n = _EXT_OFFSET - len(hdr) - len(pay)
            if n > 0:
                pad = d["extpad"]
                pay += pad if isinstance(pad, bytes) and len(pad) == n else bytes(n)
            pay += bytes(ext)
        p = hdr + pay
        if d["chksum"] is None:
            ck = internet_checksum(p)
            p = p[:2] + bytes((ck >> 8, ck & 0xFF)) + p[4:]
        return p

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off < 4:
            raise Malformed(off, f"an ICMP header of 8 bytes, {end - off} left")
        t = data[off]
        names, st, _ = _compiled(t)
        if end - off < st.size:
            raise Malformed(off, f"an ICMP {ICMP_TYPES.get(t, t)} header of {st.size} bytes, "
                            f"{end - off} left")
        vals = st.unpack_from(data, off)
        d = self.__dict__
        d["type"], d["code"], d["chksum"] = vals[0], vals[1], vals[2]
        for n, v in zip(names, vals[3:], strict=True):
            d[n] = bytes2ip(v) if n in ("gw", "addr_mask") else v
        hend = off + st.size
        if t in _EXT_TYPES and end - off >= _EXT_MIN and hend == off + 8:
            return self._dissect_extension(data, off, hend, end)
        return hend

    def _dissect_extension(self, data: bytes, off: int, hend: int, end: int) -> int:
        """An error of 144 bytes or more (RFC 4884, as Scapy): the extension structure from
        offset 136 (``ext``), the quote before it, up to where its IPv4 length says (the
        bytes after it are ``extpad``). The quote is dissected now: the message ends at
        ``end`` (a trailer after the payload, as the engine's TrailerField)."""
        from paquet.packet.base import dissect_as  # (a rare path)

        d = self.__dict__
        qend = off + _EXT_OFFSET
        if data[hend] >> 4 == 4:
            qlen = int.from_bytes(data[hend + 2 : hend + 4], "big")
            if 20 <= qlen < qend - hend:
                d["extpad"] = data[hend + qlen : qend]
                qend = hend + qlen
        d["ext"] = ICMPExtension_Header(data[off + _EXT_OFFSET : end])
        quote = dissect_as(self.guess_payload_class(data, hend, qend), data[hend:qend])
        quote.__dict__["underlayer"] = self
        d["payload"] = quote
        return end

    def guess_payload_class(self, data: bytes, start: int, end: int) -> type[Packet]:
        if self.__dict__["type"] in ERROR_TYPES:
            return IPerror
        return super().guess_payload_class(data, start, end)

    def expected_chksum(self) -> int | None:
        d = self.__dict__
        saved = d["chksum"]
        d["chksum"] = 0
        try:
            return internet_checksum(self.do_build())
        except Exception:
            return None
        finally:
            d["chksum"] = saved

    # ---------------------------------------------------------------- display

    def _shown_fields(self) -> tuple[Field, ...]:
        t = self.__dict__["type"]
        if not isinstance(t, int):
            return self._fields
        shown = _compiled(t)[2]
        fm = self._fieldmap
        return tuple(fm[n] for n in shown)

    def _repr_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self._shown_fields() if f.name != "ext")

    def _display_value(self, name: str) -> Any:
        d = self.__dict__
        v = d[name]
        if name == "unused" and isinstance(d["type"], int):
            int_layout = "unused" in _compiled(d["type"])[0]
            if int_layout and not isinstance(v, int):
                return 0
            if not int_layout and v == 0:
                return b""
        return v

    def _field_repr(self, f: Field, value: Any) -> str:
        if f.name == "code":
            t = self.__dict__["type"]
            label = ICMP_CODES.get(t, {}).get(value) if isinstance(t, int) else None
            return label if label is not None else repr(value)
        if f.name in ("ts_ori", "ts_rx", "ts_tx"):
            return f.i2repr(value)
        return f.i2repr(value)

    def mysummary(self) -> str:
        t = self._field_repr(self._fieldmap["type"], self.__dict__["type"])
        c = self._field_repr(self._fieldmap["code"], self.__dict__["code"])
        under = self.__dict__["underlayer"]
        ext = self.__dict__["ext"]
        extra = ""
        if isinstance(ext, Packet) and ext.payload:
            obj = ext.payload
            if "classnum" in obj._fieldmap:  # (Scapy: " ext:" and the first object's class)
                extra = " ext:" + obj._fieldmap["classnum"].i2repr(obj, obj.classnum)
        if isinstance(under, IP) and not isinstance(self, ICMPerror):
            return f"ICMP {under.src} > {under.__dict__['dst']} {t} {c}{extra}"
        return f"ICMP {t} {c}{extra}"

    # ---------------------------------------------------------------- reply matching

    def hashret(self) -> bytes:
        d = self.__dict__
        if d["type"] in _ID_SEQ:
            return struct.pack("HH", d["id"] or 0, d["seq"] or 0) + self.payload.hashret()
        return self.payload.hashret()

    def answers(self, other: Packet) -> bool:
        if not isinstance(other, ICMP):
            return False
        d, od = self.__dict__, other.__dict__
        return (od["type"], d["type"]) in _ANSWERS and d["id"] == od["id"] and (
            d["seq"] == od["seq"]
        )


def _ts_repr(ms: int) -> str:
    sec, milli = divmod(ms, 1000)
    minutes, sec = divmod(sec, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes}:{sec}.{milli}"


class ICMPerror(ICMP):
    """An ICMP message quoted inside an ICMP error."""

    name = "ICMP in ICMP"
    in_quote = True

    def answers(self, other: Packet) -> bool:
        if not isinstance(other, ICMP):
            return False
        d, od = self.__dict__, other.__dict__
        if d["type"] != od["type"] or d["code"] != od["code"]:
            return False
        if d["code"] in (0, 8, 13, 14, 17, 18):
            return bool(d["id"] == od["id"] and d["seq"] == od["seq"])
        return True

    def guess_payload_class(self, data: bytes, start: int, end: int) -> type[Packet]:
        from paquet.layers.raw import Raw

        return Raw

    def mysummary(self) -> str:
        return ""


registry.bind_layers(IP, ICMP, frag=0, proto=1)
registry.bind_layers(IPerror, ICMPerror, frag=0, proto=1)

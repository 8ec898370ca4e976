"""Fields whose values are more than numbers, with Scapy's names and semantics: addresses
(IPv6, the source address or MAC the host would use, little-endian MACs), UUIDs, times,
scaled physical values, yes/no bytes, floats and 7-bit extended integers.

>>> ScalingField("v", 0, scaling=0.1, offset=-1, unit="mV").addfield(None, b"", 10)
b'n'
>>> LSBExtendedField("n", 0).addfield(None, b"", 300)
b'Y\\x04'
"""

from __future__ import annotations

import datetime
import time
import uuid
from _socket import AF_INET6, inet_ntop, inet_pton
from typing import Any

from paquet.packet.addrfields import IPField, MACField, net_repr
from paquet.packet.fields import (
    ByteField,
    Field,
    FieldAttributeException,
    FieldError,
    FieldValueRangeException,
    conversion,
    representation,
)

__all__ = [
    "BitExtendedField",
    "DestIP6Field",
    "DestMACField",
    "IEEEDoubleField",
    "IEEEFloatField",
    "IP6Field",
    "LEMACField",
    "LSBExtendedField",
    "MSBExtendedField",
    "ScalingField",
    "SourceIP6Field",
    "SourceIPField",
    "SourceMACField",
    "UTCTimeField",
    "UUIDField",
    "YesNoByteField",
]


class IP6Field(Field):
    """An IPv6 address, stored as its canonical text, 16 bytes on the wire.

    >>> IP6Field("a", "::1").addfield(None, b"", "2001:db8::1")[-2:]
    b'\\x00\\x01'
    """

    __slots__ = ()
    converts = True
    fast = False

    def __init__(self, name: str, default: str | None) -> None:
        super().__init__(name, default, "16s")

    def h2i(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, bytes) and len(x) == 16:
            return inet_ntop(AF_INET6, x)
        if isinstance(x, str):
            try:
                return inet_ntop(AF_INET6, inet_pton(AF_INET6, x))
            except (OSError, ValueError):
                return x  # a name, resolved when built
        return x

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if x is None:
            x = self._missing(pkt)
        if x is None:
            return b"\x00" * 16
        try:
            return inet_pton(AF_INET6, x)
        except (OSError, TypeError, ValueError):
            from paquet.packet.resolver import resolve_host

            return inet_pton(AF_INET6, resolve_host(x, 6))

    def _missing(self, pkt: Any) -> Any:
        return None

    def m2i(self, pkt: Any, x: Any) -> Any:
        return inet_ntop(AF_INET6, x)

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return net_repr(self.i2h(pkt, x), "Net6")


def _dst_of(pkt: Any, name: str | None) -> Any:
    if pkt is None or name is None:
        return None
    try:
        return pkt.getfieldval(name)
    except (AttributeError, ValueError):
        return None


class SourceIPField(IPField):
    """An IPv4 source address: when None, the one the host would use towards the layer's
    ``dstname`` field (``dst`` by default), asked from paquet's resolver; for a layer without
    a destination (``dstname=None``, HSRP's ``sourceip``), the default route's source, as
    Scapy's ``conf.route.route()`` (loopback's without a resolver)."""

    __slots__ = ("dstname",)
    fast = False

    def __init__(self, name: str, dstname: str | None = "dst") -> None:
        super().__init__(name, None)
        self.dstname = dstname

    def _find(self, pkt: Any) -> str:
        from paquet.packet.resolver import route, source_address

        dst = _dst_of(pkt, self.dstname)
        if dst is None:
            return route("0.0.0.0", 4)[1] or source_address(None, 4)
        return source_address(dst, 4)

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if x is None and pkt is not None:
            x = self._find(pkt)
        return super().i2m(pkt, x)

    def i2h(self, pkt: Any, x: Any) -> Any:
        if x is None and pkt is not None:
            x = self._find(pkt)
        return x


class SourceIP6Field(IP6Field):
    """An IPv6 source address: when None, the one the host would use towards ``dstname``."""

    __slots__ = ("dstname",)

    def __init__(self, name: str, dstname: str | None = "dst") -> None:
        super().__init__(name, None)
        self.dstname = dstname

    def _missing(self, pkt: Any) -> Any:
        from paquet.packet.resolver import source_address

        return source_address(_dst_of(pkt, self.dstname), 6)

    def i2h(self, pkt: Any, x: Any) -> Any:
        if x is None and pkt is not None:
            return self._missing(pkt)
        return x


class DestIP6Field(IP6Field):
    """An IPv6 destination address with a default (Scapy's ``DestIP6Field``)."""

    __slots__ = ()

    def __init__(self, name: str, default: str | None) -> None:
        super().__init__(name, default)


class _MACGeneral(MACField):
    __slots__ = ()
    fast = False


class DestMACField(_MACGeneral):
    """A destination MAC: broadcast when None."""

    __slots__ = ()

    def __init__(self, name: str) -> None:
        super().__init__(name, None)

    def i2m(self, pkt: Any, x: Any) -> bytes:
        return super().i2m(pkt, "ff:ff:ff:ff:ff:ff" if x is None else x)

    def i2h(self, pkt: Any, x: Any) -> Any:
        return "ff:ff:ff:ff:ff:ff" if x is None else x


class SourceMACField(_MACGeneral):
    """A source MAC: when None, the host's interface towards ``getif``'s address (paquet's
    resolver; zeros without one)."""

    __slots__ = ("getif",)

    def __init__(self, name: str, getif: Any = None) -> None:
        super().__init__(name, None)
        self.getif = getif

    def _find(self, pkt: Any) -> str:
        from paquet.packet.resolver import interface_mac

        return interface_mac(None, 4)

    def i2m(self, pkt: Any, x: Any) -> bytes:
        return super().i2m(pkt, self._find(pkt) if x is None else x)

    def i2h(self, pkt: Any, x: Any) -> Any:
        return self._find(pkt) if x is None else x


class LEMACField(_MACGeneral):
    """A MAC address written in reverse byte order."""

    __slots__ = ()

    def i2m(self, pkt: Any, x: Any) -> bytes:
        return super().i2m(pkt, x)[::-1]

    def m2i(self, pkt: Any, x: Any) -> Any:
        return super().m2i(pkt, x[::-1])


class YesNoByteField(ByteField):
    """A byte shown as ``yes``/``no`` (non-zero/zero) or by a ``config`` of names to values,
    ranges ``(first, last)`` or lists of values."""

    __slots__ = ("eval_fn",)
    fast = True

    def __init__(self, name: str, default: int | None, config: dict[str, Any] | None = None
                 ) -> None:
        if not config:
            self.eval_fn: Any = lambda x: "no" if x == 0 else "yes"
        else:
            table = self._table_of(config)
            self.eval_fn = lambda x: table.get(x, x)
        super().__init__(name, default)

    @staticmethod
    def _check(v: int) -> int:
        if not 0 <= v <= 255:
            raise FieldValueRangeException(
                f"given field value {v} invalid - must be in range [0..255]")
        return v

    def _table_of(self, config: dict[str, Any]) -> dict[int, str]:
        table: dict[int, str] = {}
        for key, spec in config.items():
            if isinstance(spec, int):
                table[self._check(spec)] = key
            elif isinstance(spec, list):
                for v in spec:
                    table[self._check(v)] = key
            elif isinstance(spec, tuple):
                if len(spec) != 2:
                    raise FieldAttributeException(
                        f"invalid length {len(spec)} of given config item tuple {spec} - "
                        "must be (<start-range>, <end-range>).")
                for v in range(self._check(spec[0]), self._check(spec[1]) + 1):
                    table[v] = key
        return table

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        return self.eval_fn(x)  # type: ignore[no-any-return]  # (a number has no name: as is)


class ScalingField(Field):
    """A physical value sent scaled and offset: ``wire = (value - offset) / scaling``,
    shown with its ``unit``; bytes given are the wire form."""

    __slots__ = ("ndigits", "offset", "scaling", "unit")
    fast = False

    def __init__(self, name: str, default: Any, scaling: float = 1, unit: str = "",
                 offset: float = 0, ndigits: int = 3, fmt: str = "B") -> None:
        self.scaling = scaling
        self.unit = unit
        self.offset = offset
        self.ndigits = ndigits
        super().__init__(name, default, fmt)

    def _code(self) -> str:
        assert self.struct is not None
        return self.struct.format[-1]

    def i2m(self, pkt: Any, x: Any) -> Any:
        if x is None:
            x = 0
        x = (x - self.offset) / self.scaling
        if isinstance(x, float) and self._code() != "f":
            x = round(x)
        return x

    def m2i(self, pkt: Any, x: Any) -> Any:
        x = x * self.scaling + self.offset
        if isinstance(x, float) and self._code() != "f":
            x = round(x, self.ndigits)
        return x

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        if isinstance(x, str | bytes):
            assert self.struct is not None
            raw = x.encode("latin-1") if isinstance(x, str) else x
            x = self.m2i(pkt, self.struct.unpack(raw)[0])
        if not isinstance(x, int | float) and x is not None:
            raise ValueError("Unknown type")
        return x

    @representation
    def randval(self) -> Any:
        """A random float over the scaled range of the stored integer (Scapy's)."""
        from paquet.volatile import RandFloat

        raw = super().randval()
        ends = [round(v * self.scaling + self.offset, self.ndigits) for v in (raw.min, raw.max)]
        return RandFloat(min(ends), max(ends))

    def i2repr(self, pkt: Any, x: Any) -> str:
        return f"{self.i2h(pkt, x)} {self.unit}"


class IEEEFloatField(Field):
    """A 32-bit IEEE float."""

    __slots__ = ()
    fast = False

    def __init__(self, name: str, default: float | None) -> None:
        super().__init__(name, default, "f")


class IEEEDoubleField(Field):
    """A 64-bit IEEE float."""

    __slots__ = ()
    fast = False

    def __init__(self, name: str, default: float | None) -> None:
        super().__init__(name, default, "d")


class UTCTimeField(Field):
    """Seconds (or ms, µs, ns) since ``epoch`` (a ``time.struct_time``, 1970 by default),
    shown as a date; None is the current time when built."""

    __slots__ = ("custom_scaling", "delta", "epoch", "strf", "use_micro", "use_msec",
                 "use_nano")
    fast = False

    def __init__(self, name: str, default: Any, use_msec: bool = False,
                 use_micro: bool = False, use_nano: bool = False, epoch: Any = None,
                 strf: str = "%a, %d %b %Y %H:%M:%S %z", custom_scaling: int | None = None,
                 fmt: str = "I") -> None:
        import calendar

        super().__init__(name, default, fmt)
        self.epoch = 0 if epoch is None else calendar.timegm(epoch)
        self.delta = self.epoch
        self.strf = strf
        self.use_msec = use_msec
        self.use_micro = use_micro
        self.use_nano = use_nano
        self.custom_scaling = custom_scaling

    def _scale(self) -> float:
        if self.use_msec:
            return 1e3
        if self.use_micro:
            return 1e6
        if self.use_nano:
            return 1e9
        return float(self.custom_scaling or 1)

    @representation
    def i2repr(self, pkt: Any, x: Any) -> str:
        x = time.time() - self.delta if x is None else x / self._scale()
        x += self.delta
        try:
            t = (datetime.datetime(1970, 1, 1)
                 + datetime.timedelta(seconds=x)).strftime(self.strf)
        except (OverflowError, ValueError):  # out of the calendar: the number alone
            return f"{x!r}"
        return f"{t} ({int(x)})"

    def i2m(self, pkt: Any, x: Any) -> int:
        if x is None:
            return int((time.time() - self.delta) * self._scale())
        return int(x)


class UUIDField(Field):
    """A UUID (``uuid.UUID``), 16 bytes: big-endian (RFC 4122), ``FORMAT_LE`` (Microsoft's)
    or ``FORMAT_REV`` (one reversed 128-bit number, Bluetooth LE)."""

    __slots__ = ("uuid_fmt",)
    fast = False
    FORMAT_BE = 0
    FORMAT_LE = 1
    FORMAT_REV = 2
    FORMATS = (FORMAT_BE, FORMAT_LE, FORMAT_REV)

    def randval(self) -> Any:
        """A random UUID (Scapy's ``RandUUID``)."""
        from paquet.volatile import RandUUID

        return RandUUID()

    def __init__(self, name: str, default: Any, uuid_fmt: int = FORMAT_BE) -> None:
        self.uuid_fmt = uuid_fmt
        self._check_uuid_fmt()
        super().__init__(name, None, "16s")
        self.default = self.h2i(None, default)

    def _check_uuid_fmt(self) -> None:
        if self.uuid_fmt not in self.FORMATS:
            raise FieldValueRangeException(f"Unsupported uuid_fmt ({self.uuid_fmt})")

    def i2m(self, pkt: Any, x: Any) -> bytes:
        self._check_uuid_fmt()
        if x is None:
            return b"\x00" * 16
        if self.uuid_fmt == self.FORMAT_BE:
            return bytes(x.bytes)
        if self.uuid_fmt == self.FORMAT_LE:
            return bytes(x.bytes_le)
        return bytes(x.bytes[::-1])

    def m2i(self, pkt: Any, x: Any) -> Any:
        self._check_uuid_fmt()
        if self.uuid_fmt == self.FORMAT_BE:
            return uuid.UUID(bytes=x)
        if self.uuid_fmt == self.FORMAT_LE:
            return uuid.UUID(bytes_le=x)
        return uuid.UUID(bytes=x[::-1])

    @conversion
    def any2i(self, pkt: Any, x: Any) -> Any:
        return self.h2i(pkt, x)

    def h2i(self, pkt: Any, x: Any) -> Any:
        if x is None or isinstance(x, uuid.UUID):
            return x
        if isinstance(x, bytes | bytearray) and len(x) == 16:
            return self.m2i(pkt, bytes(x))
        if isinstance(x, str):
            return uuid.UUID(x)
        if isinstance(x, int):
            return uuid.UUID(int=x)
        if isinstance(x, tuple):
            if len(x) == 11:
                node = 0
                for b in x[5:]:
                    node = (node << 8) | b
                x = (*x[:5], node)
            return uuid.UUID(fields=x)
        raise FieldError(f"{self.name}: not a UUID: {x!r}")


class BitExtendedField(Field):
    """An integer in 7-bit groups, least significant first, each byte's
    ``extension_bit`` (0 or 7) set when another byte follows."""

    __slots__ = ("extension_bit",)
    fast = False

    def __init__(self, name: str, default: Any, extension_bit: int) -> None:
        super().__init__(name, default, "B")
        if extension_bit not in (0, 7):
            raise FieldAttributeException("extension_bit must be 0 or 7")
        self.extension_bit = extension_bit

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        v = self.i2m(pkt, val)
        if not v:
            return s + b"\x00"
        out = bytearray()
        mask = 1 << self.extension_bit
        shift = (self.extension_bit + 1) % 8
        while v:
            b = (v & 0x7F) << shift
            v >>= 7
            if v:
                b |= mask
            out.append(b)
        return s + bytes(out)

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        val = 0
        smask = 1 << self.extension_bit
        mask = 0xFF & ~smask
        shift = (self.extension_bit + 1) % 8
        i = 0
        while s:
            val |= ((s[0] & mask) >> shift) << (7 * i)
            last = (s[0] & smask) == 0
            s = s[1:]
            if last:
                break
            i += 1
        return s, self.m2i(pkt, val)


class LSBExtendedField(BitExtendedField):
    """A ``BitExtendedField`` whose extension bit is the least significant."""

    __slots__ = ()

    def __init__(self, name: str, default: Any) -> None:
        super().__init__(name, default, 0)


class MSBExtendedField(BitExtendedField):
    """A ``BitExtendedField`` whose extension bit is the most significant."""

    __slots__ = ()

    def __init__(self, name: str, default: Any) -> None:
        super().__init__(name, default, 7)

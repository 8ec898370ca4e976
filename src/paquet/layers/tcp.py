"""TCP (RFC 9293): ports, sequence numbers, flags, options, checksum over the pseudo-header.

Flags are a :class:`~paquet.packet.fields.FlagValue` as in Scapy: ``TCP(flags="S")``,
``'S' in pkt[TCP].flags``, ``flags == "SA"``. Options are Scapy's list of tuples:
``[("MSS", 1460), ("NOP", None), ("WScale", 7), ("SAckOK", b""), ("SAck", (a, b)),
("Timestamp", (tsval, tsecr)), ("EOL", None)]``; an unknown kind is ``(kind, bytes)``. Options
that do not parse exactly (a bad length) are kept as raw bytes so nothing is lost.
"""

from __future__ import annotations

import random
import struct
from typing import Any

from paquet.errors import DecodeError
from paquet.layers._accel import accelerated
from paquet.layers.ipv4 import IP, IPerror
from paquet.layers.tcp_auth import TCPAOValue
from paquet.layers.udp import (
    network_covered,
    network_endpoints,
    padding_inside,
    transport_checksum,
)
from paquet.number_enums import TCPFlags
from paquet.packet import registry
from paquet.packet.base import PSEUDO_SUM, Malformed, Packet, Paddings, payload_of
from paquet.packet.enumfields import ShortEnumField
from paquet.packet.fields import BitField, FieldError, IntField, ShortField, XShortField
from paquet.packet.flagfields import FlagsField
from paquet.packet.names import tcp_services
from paquet.packet.structfields import ListField
from paquet.volatile.base import VolatileValue

__all__ = ["TCP", "TCP_OPTIONS", "RandTCPOptions", "TCPFlags", "TCPOptionsField", "TCPerror"]


#: Option kind -> (name, struct format of the value) as Scapy's ``TCPOptions``.
TCP_OPTIONS: dict[int, tuple[str, str | None]] = {
    0: ("EOL", None),
    1: ("NOP", None),
    2: ("MSS", "!H"),
    3: ("WScale", "!B"),
    4: ("SAckOK", None),
    5: ("SAck", "!"),
    8: ("Timestamp", "!II"),
    14: ("AltChkSum", "!BH"),
    15: ("AltChkSumOpt", None),
    19: ("MD5", "16s"),
    25: ("Mood", "!p"),
    28: ("UTO", "!H"),
    29: ("AO", None),
    34: ("TFO", "!II"),
}
_OPTION_KINDS = {name: kind for kind, (name, _) in TCP_OPTIONS.items()}


def encode_options(options: Any) -> bytes:
    """The wire form of TCP options (Scapy's encoding), padded with zeros to 4 bytes.

    A known option's value is packed with its format (``("MSS", 1460)``) or given as bytes;
    a value that does not fit (``("MSS", "x")``, which Scapy writes as the letter's byte,
    ``("MSS", 70000)``, ``("WScale", 300)``), a kind or length past one byte, or options longer
    than the 40 bytes a TCP header holds are a :class:`FieldError` naming option and value.
    """
    if not options:
        return b""
    if isinstance(options, bytes | bytearray):
        ob = bytes(options)
        return ob + b"\x00" * (-len(ob) % 4)
    if not isinstance(options, list | tuple):
        raise FieldError(f"TCP options must be a list of (name, value) pairs, not {options!r}")
    out = bytearray()
    for item in options:
        try:
            oname, oval = item
        except (TypeError, ValueError):
            raise FieldError(f"TCP option must be a (name, value) pair, not {item!r}") from None
        oname = {0: "EOL", 1: "NOP"}.get(oname, oname)
        if isinstance(oname, str):
            if oname == "NOP":
                out.append(1)
                continue
            if oname == "EOL":
                out.append(0)
                continue
            kind = _OPTION_KINDS.get(oname)
            if kind is None:
                raise FieldError(f"unknown TCP option {oname!r}")
            fmt = TCP_OPTIONS[kind][1]
            if kind == 5:
                vals = oval if isinstance(oval, tuple | list) else (oval,)
                fmt = "!" + "I" * len(vals)
            if fmt is not None and (not isinstance(oval, bytes | str) or "s" in fmt):
                vals = tuple(oval) if isinstance(oval, tuple | list) else (oval,)
                try:
                    oval = struct.pack(fmt, *vals)
                except (struct.error, TypeError, OverflowError) as exc:
                    raise FieldError(_bad_value(oname, fmt, oval, exc)) from None
        else:
            kind = oname
            if not isinstance(kind, int):
                raise FieldError(f"TCP option kind must be a name or a number, not {kind!r}")
        if oval is None:
            oval = b""
        if isinstance(oval, Packet):
            oval = bytes(oval)  # ("AO", TCPAOValue(...))
        if isinstance(oval, str):
            oval = oval.encode()
        if not isinstance(oval, bytes):
            raise FieldError(f"TCP option {oname!r}: value must be bytes, not {oval!r}")
        if not 0 <= kind <= 255 or len(oval) > 253:
            raise FieldError(f"TCP option {oname!r}: the kind must be 0 to 255 and the value "
                             f"253 bytes at most ({len(oval)} given)")
        out += bytes((kind, 2 + len(oval))) + oval
    if len(out) > 40:
        # dataofs (4 bits) counts at most 15 words.
        raise FieldError(f"TCP options take {len(out)} bytes: a TCP header holds 40 at most")
    return bytes(out) + b"\x00" * (-len(out) % 4)


def _bad_value(oname: str, fmt: str, oval: Any, exc: Exception | None) -> str:
    """The message for a value that TCP option ``oname`` cannot pack with ``fmt``."""
    wanted = {
        "!H": "an integer from 0 to 65535",
        "!B": "an integer from 0 to 255",
        "!II": "two integers from 0 to 4294967295",
        "!BH": "two integers (0 to 255, 0 to 65535)",
        "16s": "16 bytes",
    }.get(fmt, "integers from 0 to 4294967295" if set(fmt) <= {"!", "I"} else f"struct {fmt}")
    shown = repr(oval) if len(repr(oval)) <= 60 else repr(oval)[:57] + "..."
    detail = f" ({exc})" if exc is not None and "s" in fmt else ""
    return f"TCP option {oname}={shown}: the value must be {wanted} (or bytes){detail}"


def decode_options(data: bytes) -> list[tuple[Any, Any]] | bytes:
    """Options from their wire form as Scapy's list; the bytes themselves when not exact."""
    opts: list[tuple[Any, Any]] = []
    i, n = 0, len(data)
    while i < n:
        kind = data[i]
        if kind == 0:
            opts.append(("EOL", None))
            rest = data[i + 1 :]
            if rest.strip(b"\x00"):
                return data
            # Keep as many EOLs as needed for the padding to give back the same length.
            length = max(i + 1, n - 3)
            opts.extend(("EOL", None) for _ in range(length - (i + 1)))
            break
        if kind == 1:
            opts.append(("NOP", None))
            i += 1
            continue
        if i + 1 >= n:
            return data
        olen = data[i + 1]
        if olen < 2 or i + olen > n:
            return data
        oval: Any = data[i + 2 : i + olen]
        known = TCP_OPTIONS.get(kind)
        if known is not None:
            oname, ofmt = known
            if kind == 5:
                ofmt = "!" + "I" * (len(oval) // 4)
            if ofmt and struct.calcsize(ofmt) == len(oval):
                vals = struct.unpack(ofmt, oval)
                oval = vals[0] if len(vals) == 1 else vals
            elif kind == 29 and len(oval) >= 2:
                oval = TCPAOValue(oval)
            opts.append((oname, oval))
        else:
            opts.append((kind, oval))
        i += olen
    try:
        if encode_options(opts) != data:
            return data
    except FieldError:  # the list would not build back to these bytes
        return data
    return opts


class RandTCPOptions(VolatileValue):
    """A random list of TCP options (Scapy's ``RandTCPOptions``): ``size`` options (1 to 5 by
    default), each a known option other than EOL with random values of its format. Options
    that would take the header past its 40 bytes of options are left out (Scapy lets the
    data offset overflow).

    >>> opts = RandTCPOptions()._fix()
    >>> 1 <= len(opts) <= 5 or opts == [], len(encode_options(opts)) <= 40
    (True, True)
    """

    def __init__(self, size: Any = None) -> None:
        from paquet.volatile import RandNum  # (here: the TCP layer loads without them)

        self.size = RandNum(1, 5) if size is None else size

    def _fix(self) -> list[tuple[str, Any]]:
        import re

        from paquet.volatile import RandBin

        known = [(name, fmt) for name, fmt in TCP_OPTIONS.values() if name != "EOL"]
        chosen = [random.choice(known) for _ in range(int(self.size))]
        out: list[tuple[str, Any]] = []
        for name, fmt in chosen:
            if fmt is None:
                option: tuple[str, Any] = (name, b"")
            else:
                values: list[Any] = []
                for code in re.findall(r"!?([bBhHiIlLqQfdpP]|\d+[spx])", fmt):
                    size = struct.calcsize("!" + code)
                    if "s" in code or "p" in code:
                        values.append(RandBin(size)._fix())
                    else:
                        values.append(random.randint(0, 2 ** (8 * size) - 1))
                option = (name, tuple(values))
            try:
                encode_options([*out, option])  # (a FieldError past 40 bytes)
            except FieldError:
                continue
            out.append(option)
        return out


class TCPOptionsField(ListField):
    """TCP options: Scapy's list of ``(name, value)`` tuples, or raw bytes."""

    __slots__ = ()
    #: What ``json()`` shows for no options (Scapy's default for them is an empty string).
    json_empty = ""

    def to_list(self, value: Any) -> Any:
        return [value] if isinstance(value, tuple) else value

    def i2repr(self, value: Any) -> str:
        return repr(value if value else [])

    def i2json(self, value: Any) -> Any:
        if isinstance(value, bytes):
            return value.hex()
        return [[k, bytes(v).hex() if isinstance(v, bytes | Packet) else v] for k, v in value]

    def type_name(self) -> str:
        return "TCPOptionsField"

    def randval(self) -> Any:
        """Random options (Scapy's ``RandTCPOptions``), what ``fuzz()`` puts in a TCP header."""
        return RandTCPOptions()


_HDR = struct.Struct("!HHIIHHHH")


class TCP(Packet):
    """A TCP header (Scapy's field names and defaults: SYN to port 80 from port 20)."""

    name = "TCP"
    chksum_offset = 16
    fields_desc = (
        ShortEnumField("sport", 20, tcp_services),
        ShortEnumField("dport", 80, tcp_services),
        IntField("seq", 0),
        IntField("ack", 0),
        BitField("dataofs", None, 4),
        BitField("reserved", 0, 3),
        FlagsField("flags", 0x2, 9, "FSRPAUECN"),
        ShortField("window", 8192),
        XShortField("chksum", None),
        ShortField("urgptr", 0),
        TCPOptionsField("options"),
    )

    def self_build(self) -> bytes:
        d = self.__dict__
        opts = d["options"]
        ob = encode_options(opts) if opts else b""
        dataofs = d["dataofs"]
        if dataofs is None:
            dataofs = 5 + len(ob) // 4
        try:
            hdr = _HDR.pack(
                d["sport"],
                d["dport"],
                d["seq"] or 0,
                d["ack"] or 0,
                (dataofs & 15) << 12
                | ((d["reserved"] or 0) & 7) << 9
                | int(d["flags"] or 0) & 0x1FF,
                d["window"] or 0,
                d["chksum"] or 0,
                d["urgptr"] or 0,
            )
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None
        return hdr + ob if ob else hdr

    def post_build(self, hdr: bytes, pay: bytes) -> bytes:
        p = hdr + pay
        if self.__dict__["chksum"] is None:
            ck = transport_checksum(self, p, 6)
            if ck is not None:
                p = p[:16] + bytes((ck >> 8, ck & 0xFF)) + p[18:]
        return p

    def do_build(self) -> bytes:
        d = self.__dict__
        pay: bytes = (d["payload"] if "payload" in d else payload_of(self)).do_build()
        ck = d["chksum"]
        if d["options"] or d["dataofs"] is not None:
            return self.post_build(self.self_build(), pay)
        try:
            sport, dport, seq, ack = d["sport"], d["dport"], d["seq"] or 0, d["ack"] or 0
            offflags = 0x5000 | ((d["reserved"] or 0) & 7) << 9 | int(d["flags"] or 0) & 0x1FF
            window, urgptr = d["window"] or 0, d["urgptr"] or 0
            if ck is None:
                under = d["underlayer"]
                psum = None if under is None else under.__dict__.get(PSEUDO_SUM)
                if psum is None:  # no network layer building below: its pseudo_header()
                    hdr = _HDR.pack(sport, dport, seq, ack, offflags, window, 0, urgptr)
                    return self.post_build(hdr, pay)
                # The checksum from the words (RFC 1071: a sum mod 0xFFFF): pseudo-header,
                # header (a 32-bit field counts as its two words), payload padded to even.
                n = 20 + len(pay)
                p = int.from_bytes(pay, "big")
                t = (psum + 6 + n + sport + dport + seq + ack + offflags + window + urgptr
                     + (p << 8 if n & 1 else p))
                r = t % 0xFFFF
                ck = 0xFFFF - r if r else (0 if t else 0xFFFF)
            return _HDR.pack(sport, dport, seq, ack, offflags, window, ck, urgptr) + pay
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off < 20:
            raise Malformed(off, f"a TCP header of 20 bytes, {end - off} left")
        sport, dport, seq, ack, offflags, window, chksum, urgptr = _HDR.unpack_from(data, off)
        dataofs = offflags >> 12
        hlen: int = dataofs * 4
        if off + hlen > end:
            raise Malformed(off + 12, f"{hlen} header bytes (data offset {dataofs}), "
                            f"{end - off} left")
        d = self.__dict__
        d["sport"] = sport
        d["dport"] = dport
        d["seq"] = seq
        d["ack"] = ack
        d["dataofs"] = dataofs
        d["reserved"] = offflags >> 9 & 7
        d["flags"] = offflags & 0x1FF
        d["window"] = window
        d["chksum"] = chksum
        d["urgptr"] = urgptr
        if hlen <= 20:
            d["options"] = []
            if hlen < 20:
                self.add_error(DecodeError(self.name, off + 12,
                                           f"a data offset of at least 5, not {dataofs}"))
                return off + 20
            return off + 20
        d["options"] = decode_options(data[off + 20 : off + hlen])
        return off + hlen

    @staticmethod
    def quick_dissect(
        data: bytes, off: int, end: int, paddings: Paddings, under: Packet | None, t: float
    ) -> dict[str, Any] | None:
        """A TCP header whose data offset fits the bytes, in one step (see
        :meth:`Packet.quick_dissect`); options are decoded as ``do_dissect`` does."""
        if end - off < 20:
            return None
        sport, dport, seq, ack, offflags, window, chksum, urgptr = _HDR.unpack_from(data, off)
        hend = off + (offflags >> 12) * 4
        if hend < off + 20 or hend > end:
            return None  # the general path reports what is wrong
        d = _QINIT.copy()  # options empty, _explicit DISSECTED
        d["sport"] = sport
        d["dport"] = dport
        d["seq"] = seq
        d["ack"] = ack
        d["dataofs"] = offflags >> 12
        d["reserved"] = offflags >> 9 & 7
        d["flags"] = offflags & 0x1FF
        d["window"] = window
        d["chksum"] = chksum
        d["urgptr"] = urgptr
        if hend > off + 20:
            d["options"] = decode_options(data[off + 20 : hend])
        d["underlayer"] = under
        d["time"] = t
        if hend < end:
            d["_lazy"] = (data, hend, end, paddings)
        return d

    def expected_chksum(self) -> int | None:
        d = self.__dict__
        saved = d["chksum"]
        d["chksum"] = 0
        try:
            seg = self.do_build()
            covered = network_covered(self, seg)
            return transport_checksum(self, padding_inside(self, seg, covered), 6)
        except Exception:
            return None
        finally:
            d["chksum"] = saved

    def mysummary(self) -> str:
        fm, d = self._fieldmap, self.__dict__
        sport, dport = fm["sport"].i2repr(d["sport"]), fm["dport"].i2repr(d["dport"])
        flags = fm["flags"].i2repr(d["flags"])
        ends = network_endpoints(self)
        if ends is None:
            return f"TCP {sport} > {dport} {flags}"
        return f"TCP {ends[0]}:{sport} > {ends[1]}:{dport} {flags}"

    def hashret(self) -> bytes:
        d = self.__dict__
        return struct.pack("H", (d["sport"] ^ d["dport"]) & 0xFFFF) + self.payload.hashret()

    def answers(self, other: Packet) -> bool:
        if not isinstance(other, TCP):
            return False
        d, od = self.__dict__, other.__dict__
        flags, oflags = int(d["flags"] or 0), int(od["flags"] or 0)
        if oflags & 0x04:  # RST packets get no answer
            return False
        if flags & 0x02 and (not flags & 0x10 or not oflags & 0x02):
            return False  # a SYN answers only as SYN+ACK to a SYN
        if not (d["sport"] == od["dport"] and d["dport"] == od["sport"]):
            return False
        if not (oflags & 0x02 and not oflags & 0x10) and abs(od["ack"] - d["seq"]) > 2:
            return False
        if flags & 0x04 and not flags & 0x10:
            return True
        return bool(abs(od["seq"] - d["ack"]) <= 2 + len(other.payload.do_build()))


#: The class's shared empty option list: a dissected header without options refers to it
#: (reading ``pkt.options`` gives the layer a list of its own, see Packet's list fields).
_NO_OPTIONS = TCP._fieldmap["options"].default
#: A dissected TCP's dict before its values (no options), for quick_dissect.
_QINIT = TCP._qinit
# The same parser in C when it is built (paquet.layers._quick).
TCP._quick = accelerated("tcp", TCP._quick, _QINIT, options=decode_options)


class TCPerror(TCP):
    """The TCP header quoted inside an ICMP error: often only its first 8 bytes."""

    name = "TCP in ICMP"
    in_quote = True

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off >= 20:
            return super().do_dissect(data, off, end)
        if end - off < 8:
            raise Malformed(off, f"the first 8 bytes of a quoted TCP header, {end - off} left")
        d = self.__dict__
        d["sport"], d["dport"], d["seq"] = struct.unpack_from("!HHI", data, off)
        for n in self._names[3:]:
            d[n] = None
        d["options"] = []
        d["_explicit"] = dict.fromkeys(("sport", "dport", "seq"))
        return off + 8

    def self_build(self) -> bytes:
        d = self.__dict__
        if d["ack"] is None and d["flags"] is None and d["window"] is None:
            # A quote cut after the sequence number (RFC 792's 8 bytes).
            return struct.pack("!HHI", d["sport"], d["dport"], d["seq"] or 0)
        return super().self_build()

    def post_build(self, hdr: bytes, pay: bytes) -> bytes:
        if len(hdr) < 20:
            return hdr + pay
        return super().post_build(hdr, pay)

    def do_build(self) -> bytes:
        d = self.__dict__
        if d["ack"] is None and d["flags"] is None and d["window"] is None:
            return self.self_build() + self.payload.do_build()
        return super().do_build()

    def answers(self, other: Packet) -> bool:
        if not isinstance(other, TCP):
            return False
        d, od = self.__dict__, other.__dict__
        return bool(d["sport"] == od["sport"] and d["dport"] == od["dport"])

    def mysummary(self) -> str:
        return ""


registry.bind_layers(IP, TCP, frag=0, proto=6)
registry.bind_layers(IPerror, TCPerror, frag=0, proto=6)

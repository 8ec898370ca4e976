"""UDP (RFC 768): ports, length, checksum over the pseudo-header of the layer below.

``len`` and ``chksum`` left to None are computed; the checksum uses the network layer's
``pseudo_header(upper_len, proto)`` (IPv4 or IPv6 alike), and a computed 0 is sent as 0xFFFF.
Without a network layer below, the checksum is left at 0 (as Scapy does).
"""

from __future__ import annotations

import struct
from typing import Any

from paquet.checksums import internet_checksum
from paquet.errors import DecodeError
from paquet.layers._accel import accelerated
from paquet.layers.ipv4 import IP, IPerror
from paquet.packet import registry
from paquet.packet.base import DISSECTED, PSEUDO_SUM, Malformed, Packet, Paddings, payload_of
from paquet.packet.enumfields import ShortEnumField
from paquet.packet.fields import FieldError, ShortField, XShortField
from paquet.packet.names import udp_services

__all__ = ["UDP", "UDPerror", "transport_checksum"]

_HDR = struct.Struct("!HHHH")


def transport_checksum(layer: Packet, segment: bytes, proto: int) -> int | None:
    """The checksum of ``segment`` under ``layer``'s network layer pseudo-header, or None.

    None when the layer below has no pseudo-header (no IP or IPv6 underneath).
    """
    under = layer.__dict__["underlayer"]
    if under is None or type(under).pseudo_header is Packet.pseudo_header:
        return None
    try:
        ph = under.pseudo_header(len(segment), proto)
    except FieldError:
        return None
    return internet_checksum(ph + segment)


def padding_inside(layer: Packet, segment: bytes, covered: int | None) -> bytes:
    """``segment`` (``layer`` built) followed by the padding that lies inside the ``covered``
    bytes its length says it spans: the bytes a receiver's checksum covers (a layer above
    that leaves part of its bytes as Padding still has them inside the datagram, as the
    kernel and tshark count them). ``covered`` None or no padding: ``segment``."""
    if covered is None or covered <= len(segment):
        return segment
    pad = layer.build_padding()
    return segment + pad[: covered - len(segment)] if pad else segment


def network_covered(layer: Packet, segment: bytes) -> int | None:
    """How many bytes from ``layer``'s start (``segment`` when built) the length of the
    network layer under it covers (IPv4's ``len``, IPv6's ``plen``), or None when unknown."""
    net = layer.__dict__["underlayer"]
    while net is not None and "plen" not in net.__dict__ and "ihl" not in net.__dict__:
        net = net.__dict__["underlayer"]
    if net is None:
        return None
    d = net.__dict__
    if "plen" in d:
        total = d["plen"]
    else:
        total = None if d["len"] is None or d["ihl"] is None else d["len"] - d["ihl"] * 4
    if total is None:
        return None
    # The bytes of the headers between the network layer and this one.
    between = len(payload_of(net).do_build()) - len(segment) if payload_of(net) is not layer else 0
    return int(total) - between


def network_endpoints(layer: Packet) -> tuple[str, str] | None:
    """``(src, dst)`` of the network layer under ``layer`` for summaries, or None."""
    under: Packet | None = layer.__dict__["underlayer"]
    if under is None:
        return None
    return under.endpoints()


class UDP(Packet):
    """A UDP header: ``sport``, ``dport``, ``len``, ``chksum``."""

    name = "UDP"
    chksum_offset = 6
    fields_desc = (
        ShortEnumField("sport", 53, udp_services),
        ShortEnumField("dport", 53, udp_services),
        ShortField("len", None),
        XShortField("chksum", None),
    )

    def post_build(self, hdr: bytes, pay: bytes) -> bytes:
        p = hdr + pay
        d = self.__dict__
        if d["len"] is None:
            p = p[:4] + struct.pack("!H", len(p) & 0xFFFF) + p[6:]
        if d["chksum"] is None:
            ck = transport_checksum(self, p, 17)
            if ck is not None:
                p = p[:6] + struct.pack("!H", ck or 0xFFFF) + p[8:]
        return p

    def do_build(self) -> bytes:
        cls = type(self)
        if cls is not UDP and (
            cls.post_build is not UDP.post_build or cls.self_build is not Packet.self_build
        ):
            return Packet.do_build(self)  # a subclass that builds its own way
        d = self.__dict__
        pay: bytes = (d["payload"] if "payload" in d else payload_of(self)).do_build()
        length = d["len"]
        ck = d["chksum"]
        n = 8 + len(pay)
        try:
            sport, dport = d["sport"] or 0, d["dport"] or 0
            ulen = n & 0xFFFF if length is None else length
            if ck is None:
                under = d["underlayer"]
                psum = None if under is None else under.__dict__.get(PSEUDO_SUM)
                if psum is not None:
                    # The checksum from the words (RFC 1071: a sum mod 0xFFFF): pseudo-header,
                    # header, payload padded to even; a computed 0 is sent as 0xFFFF (RFC 768).
                    p = int.from_bytes(pay, "big")
                    t = psum + 17 + n + sport + dport + ulen + (p << 8 if n & 1 else p)
                    r = t % 0xFFFF
                    ck = (0xFFFF - r if r else (0 if t else 0xFFFF)) or 0xFFFF
                    return _HDR.pack(sport, dport, ulen, ck) + pay
            hdr = _HDR.pack(sport, dport, ulen, ck or 0)
        except (struct.error, TypeError) as exc:
            raise self._build_error(exc) from None
        # A checksum set by hand, or no network layer building below (its pseudo_header()).
        return hdr + pay if ck is not None else self.post_build(hdr, pay)

    @staticmethod
    def quick_dissect(
        data: bytes, off: int, end: int, paddings: Paddings, under: Packet | None, t: float
    ) -> dict[str, Any] | None:
        """A UDP header whose length fits the bytes, in one step (see
        :meth:`Packet.quick_dissect`)."""
        if end - off < 8:
            return None
        sport, dport, length, chksum = _HDR.unpack_from(data, off)
        pend = off + length
        if length < 8 or pend > end:
            return None  # the general path reports what is wrong (or allows a cut quote)
        d = {
            "sport": sport,
            "dport": dport,
            "len": length,
            "chksum": chksum,
            "underlayer": under,
            "time": t,
            "_explicit": DISSECTED,
        }
        if off + 8 < pend:
            d["_lazy"] = (data, off + 8, pend, (*paddings, (pend, end)) if pend < end else paddings)
        elif pend < end:
            return None  # padding and no payload: the general path adds it
        return d

    def payload_end(self, data: bytes, off: int, hend: int, end: int) -> int:
        length: int = self.__dict__["len"]
        if length < 8:
            self.add_error(DecodeError(self.name, off + 4, f"a length of at least 8, not {length}"))
            return end
        if off + length > end:
            # A header quoted in an error is often cut short: not an error there.
            under = self.__dict__["underlayer"]
            if not (self.in_quote or (under is not None and under.in_quote)):
                self.add_error(DecodeError(self.name, off + 4,
                                           f"{length} bytes (length), {end - off} captured"))
            return end
        return off + length

    def expected_chksum(self) -> int | None:
        d = self.__dict__
        if d["chksum"] == 0:
            return 0  # no checksum (allowed over IPv4)
        saved = d["chksum"]
        d["chksum"] = 0
        try:
            seg = self.do_build()
            ck = transport_checksum(self, padding_inside(self, seg, d["len"]), 17)
        except Exception:
            return None
        finally:
            d["chksum"] = saved
        if ck is None:
            return None
        return ck or 0xFFFF

    def _shown_sport(self, name: str) -> str:
        return self._fieldmap[name].i2repr(self.__dict__[name])

    def mysummary(self) -> str:
        sport, dport = self._shown_sport("sport"), self._shown_sport("dport")
        ends = network_endpoints(self)
        if ends is None:
            return f"UDP {sport} > {dport}"
        return f"UDP {ends[0]}:{sport} > {ends[1]}:{dport}"

    def hashret(self) -> bytes:
        return self.payload.hashret()

    def answers(self, other: Packet) -> bool:
        if not isinstance(other, UDP):
            return False
        if self.__dict__["dport"] != other.__dict__["sport"]:
            return False
        return bool(self.payload.answers(other.payload))


class UDPerror(UDP):
    """The UDP header quoted inside an ICMP error."""

    name = "UDP in ICMP"
    in_quote = True

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        if end - off < 8:
            raise Malformed(off, f"a quoted UDP header of 8 bytes, {end - off} left")
        return super().do_dissect(data, off, end)

    def answers(self, other: Packet) -> bool:
        if not isinstance(other, UDP):
            return False
        d, od = self.__dict__, other.__dict__
        return bool(d["sport"] == od["sport"] and d["dport"] == od["dport"])

    def mysummary(self) -> str:
        return ""


# The same parser in C when it is built (paquet.layers._quick).
UDP._quick = accelerated("udp", UDP._quick, UDP._qinit)

registry.bind_layers(IP, UDP, frag=0, proto=17)
registry.bind_layers(IPerror, UDPerror, frag=0, proto=17)

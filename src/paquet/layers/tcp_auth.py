"""Signed TCP segments: the TCP MD5 signature option (RFC 2385) and the value of the TCP
Authentication Option (TCP-AO, RFC 5925), with Scapy's names.

``sign_tcp_md5(pkt[TCP], key)`` adds the MD5 option BGP sessions use; ``calc_tcp_md5_hash``
computes the digest; ``TCPAOValue`` is the value of option 29 (``("AO", TCPAOValue(...))``) and
``get_tcpao`` finds it in a header.

>>> from paquet import IP, TCP
>>> p = IP(src="192.0.2.1", dst="192.0.2.2") / TCP()
>>> calc_tcp_md5_hash(p[TCP], b"secret").hex()
'fa7aa1df5d9321fd859544f539f1d682'
>>> sign_tcp_md5(p[TCP], b"secret"); p[TCP].options[0][0]
'MD5'
"""

from __future__ import annotations

from typing import Any

from paquet.number_enums import IPProto
from paquet.packet.base import Packet
from paquet.packet.fields import ByteField, FieldError
from paquet.packet.strfields import StrField

__all__ = ["TCPAOValue", "calc_tcp_md5_hash", "get_tcpao", "sign_tcp_md5"]


class TCPAOValue(Packet):
    """The value of a TCP-AO option (RFC 5925 §2.2): ``keyid``, ``rnextkeyid`` and the
    ``mac`` (the rest of the option).

    >>> bytes(TCPAOValue(keyid=1, rnextkeyid=2, mac=b"FAKE"))
    b'\\x01\\x02FAKE'
    """

    name = "TCPAOValue"
    fields_desc = (
        ByteField("keyid", None),
        ByteField("rnextkeyid", None),
        StrField("mac", b""),
    )
    do_dissect = Packet.do_dissect  # the fixed part, then dissect_tail

    def build_tail(self) -> bytes:
        """The MAC: the rest of the option."""
        mac = self.__dict__["mac"]
        return mac.encode("utf-8", "surrogateescape") if isinstance(mac, str) else bytes(mac)

    def dissect_tail(self, data: bytes, off: int, end: int) -> int:
        """The MAC is what follows the two key IDs."""
        self.__dict__["mac"] = data[off:end]
        return end


def get_tcpao(tcphdr: Packet) -> TCPAOValue | None:
    """The TCP-AO option's value in ``tcphdr`` (None when it has none), as Scapy's."""
    options = tcphdr.options
    if isinstance(options, list):
        for name, value in options:
            if name == "AO":
                return value if isinstance(value, TCPAOValue) else TCPAOValue(value)
    return None


def calc_tcp_md5_hash(tcp: Packet, key: bytes) -> bytes:
    """The 16-byte MD5 digest of RFC 2385 §2.0 for the segment ``tcp`` (its network layer
    gives the pseudo-header): the pseudo-header, the fixed TCP header with a zero checksum
    (options left out), the data, then ``key``; as Scapy 2.8 and the Linux kernel compute it.
    """
    if not isinstance(key, bytes | bytearray):
        raise FieldError(f"an MD5 signature key is bytes, not {type(key).__name__}")
    segment = bytes(tcp)
    under = tcp.underlayer
    if under is None or type(under).pseudo_header is Packet.pseudo_header:
        raise FieldError("calc_tcp_md5_hash: the TCP layer needs an IP or IPv6 layer under it")
    hlen = (segment[12] >> 4) * 4 if len(segment) >= 20 else 20
    import hashlib  # (here: importing it costs every import of the TCP layer)

    digest = hashlib.md5(usedforsecurity=False)
    digest.update(under.pseudo_header(len(segment), int(IPProto.TCP)))
    digest.update(segment[:16] + b"\x00\x00" + segment[18:20])
    digest.update(segment[max(hlen, 20):])
    digest.update(bytes(key))
    return digest.digest()


def sign_tcp_md5(tcp: Packet, key: bytes) -> None:
    """Sign ``tcp`` in place: an MD5 option (kind 19) carrying :func:`calc_tcp_md5_hash`
    is added after its other options, as Scapy does. The pseudo-header counts the segment as
    signed (the option included), which is what the receiving kernel checks.
    """
    if not isinstance(tcp.options, list) and tcp.options:
        raise FieldError("sign_tcp_md5: the TCP options are raw bytes, not a list to add to")
    options: list[Any] = list(tcp.options or [])
    tcp.options = [*options, ("MD5", bytes(16))]
    tcp.options = [*options, ("MD5", calc_tcp_md5_hash(tcp, key))]

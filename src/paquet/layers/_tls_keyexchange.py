"""The key exchange parameters of TLS 1.2 handshakes, dissected without a session.

Scapy reads ServerKeyExchange and ClientKeyExchange through the cipher suite of its session;
paquet dissects each record alone, so it recognises the layouts by their own bytes: an
ECDHE ServerKeyExchange starts with curve_type 3 (named_curve) and its point's length fits;
a DHE one is three length-prefixed numbers (p, g, Ys); the signature after them is
``sig_alg``, ``sig_len``, ``sig_val`` when the lengths fit (TLS 1.2), else its bytes. An
ECDHE ClientKeyExchange is one length byte and the point. Anything else is Raw, as in
Scapy without a session.

>>> p = ServerECDHNamedCurveParams(named_curve=29, point=b"q" * 32)
>>> bytes(p)[:4].hex()
'03001d20'
"""

from __future__ import annotations

from typing import Any

from paquet.layers.tls_numbers import TLS_NAMED_GROUPS, TLS_SIG_SCHEMES
from paquet.packet.base import Packet, Raw
from paquet.packet.enumfields import ByteEnumField, ShortEnumField
from paquet.packet.strfields import StrLenField
from paquet.packet.structfields import FieldLenField

__all__ = ["ClientECDiffieHellmanPublic", "ServerDHParams", "ServerECDHNamedCurveParams",
           "params_from_bytes", "signature_from_bytes"]


class _Part(Packet):
    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class ServerECDHNamedCurveParams(_Part):
    """ECDHE parameters (RFC 8422 5.4): ``named_curve`` and the server's ``point``."""

    name = "Server ECDH parameters - Named Curve"
    fields_desc = (ByteEnumField("curve_type", 3, {1: "explicit_prime", 2: "explicit_char2",
                                                   3: "named_curve"}),
                   ShortEnumField("named_curve", None, TLS_NAMED_GROUPS),
                   FieldLenField("pointlen", None, fmt="B", length_of="point"),
                   StrLenField("point", b"", length_from=lambda pkt: pkt.pointlen))


class ServerDHParams(_Part):
    """DHE parameters (RFC 5246 7.4.3): ``dh_p``, ``dh_g``, ``dh_Ys``."""

    name = "Server FFDH parameters"
    fields_desc = (FieldLenField("dh_plen", None, length_of="dh_p"),
                   StrLenField("dh_p", b"", length_from=lambda pkt: pkt.dh_plen),
                   FieldLenField("dh_glen", None, length_of="dh_g"),
                   StrLenField("dh_g", b"", length_from=lambda pkt: pkt.dh_glen),
                   FieldLenField("dh_Yslen", None, length_of="dh_Ys"),
                   StrLenField("dh_Ys", b"", length_from=lambda pkt: pkt.dh_Yslen))


class _TLSSignature(_Part):
    """A TLS 1.2 digitally-signed element: ``sig_alg``, ``sig_val``."""

    name = "TLS Digital Signature"
    fields_desc = (ShortEnumField("sig_alg", None, TLS_SIG_SCHEMES),
                   FieldLenField("sig_len", None, length_of="sig_val"),
                   StrLenField("sig_val", b"", length_from=lambda pkt: pkt.sig_len))


class ClientECDiffieHellmanPublic(_Part):
    """An ECDHE ClientKeyExchange: the client's point ``ecdh_Yc``."""

    name = "Client ECDH public value"
    fields_desc = (FieldLenField("ecdh_Yclen", None, fmt="B", length_of="ecdh_Yc"),
                   StrLenField("ecdh_Yc", b"", length_from=lambda pkt: pkt.ecdh_Yclen))


def params_from_bytes(m: bytes) -> tuple[Any, bytes]:
    """The ServerKeyExchange parameters at the start of ``m`` (a packet, or the bytes when
    no layout fits) and the bytes after them (the signature)."""
    if len(m) >= 4 and m[0] == 3 and 4 + m[3] <= len(m):
        n = 4 + m[3]
        return ServerECDHNamedCurveParams(m[:n]), m[n:]
    off = 0
    for _ in range(3):
        if off + 2 > len(m):
            return Raw(m), b""
        off += 2 + int.from_bytes(m[off:off + 2], "big")
    if off <= len(m):
        return ServerDHParams(m[:off]), m[off:]
    return Raw(m), b""


def signature_from_bytes(m: bytes) -> Any:
    """A TLS 1.2 signature when its length fits the bytes exactly, else Raw (Scapy's)."""
    if len(m) >= 4 and 4 + int.from_bytes(m[2:4], "big") == len(m):
        return _TLSSignature(m)
    return Raw(m)


def client_keys_from_bytes(m: bytes) -> Any:
    """An ECDHE ClientKeyExchange's point when its length byte fits, else Raw (Scapy's)."""
    if m and m[0] + 1 == len(m):
        return ClientECDiffieHellmanPublic(m)
    return Raw(m)

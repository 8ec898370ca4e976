"""TLS handshake messages (RFC 5246 section 7.4, RFC 8446 section 4), with Scapy's classes.

Every message starts with ``msgtype`` and ``msglen`` (3 bytes, computed when None); the
hellos carry ``ext``, a list of extensions (:mod:`paquet.layers._tls_extensions`). Certificates
are kept as bytes (DER), key exchange parameters and signatures too: paquet dissects TLS, it
does not decrypt or verify it. :func:`handshake_class` names a message's class by its type.

>>> ch = TLSClientHello(gmt_unix_time=0, random_bytes=b"a" * 28, ciphers=[0x1301])
>>> bytes(ch).hex()[:16]
'0100002903030000'
>>> TLSClientHello(bytes(ch)).ciphers
[4865]
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from typing import Any, ClassVar

from paquet.layers._tls_extensions import extensions_from_bytes
from paquet.layers.tls_numbers import TLS_HANDSHAKE_TYPES, TLS_VERSIONS, cipher_suites
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField, ShortEnumField
from paquet.packet.fields import Field, IntField
from paquet.packet.intfields import ThreeBytesField
from paquet.packet.strfields import StrFixedLenField, StrLenField
from paquet.packet.structfields import FieldLenField
from paquet.packet.valuefields import UTCTimeField

__all__ = [
    "TLS13ClientHello", "TLS13HelloRetryRequest", "TLS13ServerHello", "TLSCertificate",
    "TLSCertificateRequest", "TLSCertificateStatus", "TLSCertificateVerify", "TLSClientHello",
    "TLSClientKeyExchange",
    "TLSEncryptedExtensions", "TLSFinished", "TLSHelloRequest", "TLSNewSessionTicket",
    "TLSServerHello", "TLSServerHelloDone", "TLSServerKeyExchange", "handshake_class",
]

_COMPRESSION = {0: "null", 1: "deflate"}
#: SHA-256("HelloRetryRequest"): the random of a HelloRetryRequest (RFC 8446 4.1.3).
HRR_RANDOM = bytes.fromhex(
    "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c")


class _TLSHandshake(Packet):
    """A handshake message of a type paquet does not detail: ``msg`` kept as bytes."""

    name = "TLS Handshake Generic message"
    fields_desc: ClassVar[Sequence[Field]] = (ByteEnumField("msgtype", None, TLS_HANDSHAKE_TYPES),
                   ThreeBytesField("msglen", None),
                   StrLenField("msg", b"", length_from=lambda pkt: pkt.msglen))

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.__dict__.get("msglen") is None and len(p) >= 4:
            p = p[:1] + struct.pack("!I", len(p) - 4)[1:] + p[4:]
        return p + pay

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


def _hs(code: int) -> tuple[ByteEnumField, ThreeBytesField]:
    return (ByteEnumField("msgtype", code, TLS_HANDSHAKE_TYPES),
            ThreeBytesField("msglen", None))


class _Version(ShortEnumField):
    """A version that builds as TLS 1.2 (0x0303) when None (Scapy's, out of a session)."""

    def i2m(self, pkt: Any, x: Any) -> Any:
        return 0x0303 if x is None else x


class _GMTUnixTimeField(UTCTimeField):
    """The first 4 bytes of the random, shown as a date; 0 when None."""

    def i2m(self, pkt: Any, x: Any) -> int:
        return 0 if x is None else int(x)

    def i2h(self, pkt: Any, x: Any) -> Any:
        return 0 if x is None else x


class _RandomField(StrFixedLenField):
    """Random bytes, drawn when None; shown in hexadecimal."""

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if x is None:
            return os.urandom(self.sz)
        return super().i2m(pkt, x)

    def i2repr(self, pkt: Any, x: Any) -> str:
        return repr(x) if x is None else bytes(x).hex()


class _ListOf(StrLenField):
    """A list of numbers of ``itemfmt`` (cipher suites, compression methods), shown by name."""

    islist = True

    def __init__(self, name: str, default: Any, names: Any, length_from: Any,
                 itemfmt: str = "!H") -> None:
        super().__init__(name, default, length_from=length_from)
        self.names = names
        self.itemfmt = itemfmt
        self.itemsize = struct.calcsize(itemfmt)

    def any2i(self, pkt: Any, x: Any) -> Any:
        if x is None:
            return None
        items = x if isinstance(x, list) else [x]
        out = []
        for i in items:
            if isinstance(i, str | bytes):
                name = i.decode() if isinstance(i, bytes) else i
                i = {v: k for k, v in self._names().items()}[name]
            out.append(int(i))
        return out

    def _names(self) -> dict[int, str]:
        n = self.names
        return n() if callable(n) else n  # type: ignore[no-any-return]

    def i2m(self, pkt: Any, x: Any) -> bytes:
        return b"".join(struct.pack(self.itemfmt, i) for i in x or [])

    def m2i(self, pkt: Any, m: bytes) -> list[int]:
        if len(m) % self.itemsize:
            raise ValueError(f"{self.name}: {len(m)} bytes, not a whole number of items")
        return [v for (v,) in struct.iter_unpack(self.itemfmt, m)]

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(x or []) * self.itemsize

    def i2repr(self, pkt: Any, x: Any) -> str:
        if x is None:
            return "None"
        names = self._names()
        shown = [names.get(i, f"0x{i:02x}") for i in x]
        return shown[0] if len(shown) == 1 else "[{}]".format(", ".join(shown))


class _ExtLenField(FieldLenField):
    """The extensions' length: absent when the message has no bytes for it, and left out
    when building with no extension (as Scapy, before TLS 1.3)."""

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        n = pkt.get_field("ext").length_from(pkt)
        if n is None or n < 0:  # (0: the length is there, and says no extension)
            return s, None
        return super().getfield(pkt, s)

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        if val is None and not pkt.__dict__.get("ext"):
            return s
        return super().addfield(pkt, s, val)


class _ExtensionsField(StrLenField):
    """The extensions of a message, each a packet (``hello``: which form of the
    version-dependent ones: 0 client, 1 server, 2 retry request)."""

    islist = True
    holds_packets = True

    def __init__(self, name: str, default: Any, length_from: Any, hello: int | None) -> None:
        super().__init__(name, default, length_from=length_from)
        self.hello = hello

    def any2i(self, pkt: Any, x: Any) -> Any:
        return x if x is None or isinstance(x, list) else [x]

    def i2m(self, pkt: Any, x: Any) -> bytes:
        return b"".join(bytes(e) for e in x or [])

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        n = self.length_from(pkt) or 0  # type: ignore[misc]
        if n <= 0:
            return s, []
        hello = self.hello
        if hello == 1 and pkt.__dict__.get("random_bytes") == HRR_RANDOM:
            hello = 2
        return s[n:], extensions_from_bytes(s[:n], hello)

    def do_copy(self, x: Any) -> Any:
        return [e.copy() for e in x] if isinstance(x, list) else x

    def i2repr(self, pkt: Any, x: Any) -> str:
        return repr(x)


def _ch_ext_len(pkt: Any) -> int:
    d = pkt.__dict__
    return int((d.get("msglen") or 0) - (d.get("sidlen") or 0) - (d.get("cipherslen") or 0)
               - (d.get("complen") or 0) - 40)


class TLSClientHello(_TLSHandshake):
    """ClientHello: ``version``, ``gmt_unix_time`` and ``random_bytes`` (the random),
    ``sid``, ``ciphers`` (suite numbers), ``comp``, ``ext``."""

    name = "TLS Handshake - Client Hello"
    fields_desc = (*_hs(1),
                   _Version("version", None, TLS_VERSIONS),
                   _GMTUnixTimeField("gmt_unix_time", None),
                   _RandomField("random_bytes", None, 28),
                   FieldLenField("sidlen", None, fmt="B", length_of="sid"),
                   StrLenField("sid", b"", length_from=lambda pkt: pkt.sidlen),
                   FieldLenField("cipherslen", None, fmt="!H", length_of="ciphers"),
                   _ListOf("ciphers", None, cipher_suites,
                           length_from=lambda pkt: pkt.cipherslen),
                   FieldLenField("complen", None, fmt="B", length_of="comp"),
                   _ListOf("comp", [0], _COMPRESSION, itemfmt="B",
                           length_from=lambda pkt: pkt.complen),
                   _ExtLenField("extlen", None, length_of="ext"),
                   _ExtensionsField("ext", None, _ch_ext_len, 0))


class TLS13ClientHello(TLSClientHello):
    """A TLS 1.3 ClientHello (the same layout, the random as 32 bytes in Scapy's)."""

    name = "TLS 1.3 Handshake - Client Hello"


def _sh_ext_len(pkt: Any) -> int:
    d = pkt.__dict__
    return int((d.get("msglen") or 0) - (d.get("sidlen") or 0) - 40)


class TLSServerHello(_TLSHandshake):
    """ServerHello: ``version``, the random, ``sid``, the ``cipher`` chosen, ``comp``, ``ext``.

    A ServerHello of version TLS 1.3 (or a draft) is a :class:`TLS13ServerHello` (Scapy's
    choice out of a session; a real TLS 1.3 server says 0x0303 here and 1.3 in its
    supported_versions extension)."""

    name = "TLS Handshake - Server Hello"
    fields_desc: ClassVar[Sequence[Field]] = (*_hs(2),
                   _Version("version", None, TLS_VERSIONS),
                   _GMTUnixTimeField("gmt_unix_time", None),
                   _RandomField("random_bytes", None, 28),
                   FieldLenField("sidlen", None, length_of="sid", fmt="B"),
                   StrLenField("sid", b"", length_from=lambda pkt: pkt.sidlen),
                   ShortEnumField("cipher", None, cipher_suites),
                   _ListOf("comp", [0], _COMPRESSION, itemfmt="B", length_from=lambda pkt: 1),
                   _ExtLenField("extlen", None, length_of="ext"),
                   _ExtensionsField("ext", None, _sh_ext_len, 1))

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        if cls is TLSServerHello and end - start >= 6:
            version = int.from_bytes(data[start + 4:start + 6], "big")
            if version == 0x0304 or version > 0x7F00:
                return TLS13ServerHello.dispatch_class(data, start, end)
        return cls


class TLS13ServerHello(TLSServerHello):
    """A TLS 1.3 ServerHello: a 32-byte ``random_bytes``, no gmt_unix_time."""

    name = "TLS 1.3 Handshake - Server Hello"
    fields_desc = (*_hs(2),
                   _Version("version", 0x0303, TLS_VERSIONS),
                   _RandomField("random_bytes", None, 32),
                   FieldLenField("sidlen", None, length_of="sid", fmt="B"),
                   StrLenField("sid", b"", length_from=lambda pkt: pkt.sidlen),
                   ShortEnumField("cipher", None, cipher_suites),
                   _ListOf("comp", [0], _COMPRESSION, itemfmt="B", length_from=lambda pkt: 1),
                   _ExtLenField("extlen", None, length_of="ext"),
                   _ExtensionsField("ext", None, _sh_ext_len, 1))

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        if end - start >= 38 and data[start + 6:start + 38] == HRR_RANDOM:
            return TLS13HelloRetryRequest
        return cls


class TLS13HelloRetryRequest(TLS13ServerHello):
    """A HelloRetryRequest (a ServerHello whose random is :data:`HRR_RANDOM`)."""

    name = "TLS 1.3 Handshake - Hello Retry Request"


class TLSHelloRequest(_TLSHandshake):
    """HelloRequest (TLS 1.2), empty."""

    name = "TLS Handshake - Hello Request"
    fields_desc = _hs(0)


class TLSEncryptedExtensions(_TLSHandshake):
    """EncryptedExtensions (TLS 1.3): ``ext`` (seen in clear only with the keys)."""

    name = "TLS 1.3 Handshake - Encrypted Extensions"
    fields_desc = (*_hs(8), _ExtLenField("extlen", None, length_of="ext"),
                   _ExtensionsField("ext", None, lambda pkt: (pkt.msglen or 0) - 2, None))


class _CertListField(StrLenField):
    """Certificates, each a 3-byte length and its DER bytes: a list of the DER bytes."""

    islist = True

    def any2i(self, pkt: Any, x: Any) -> Any:
        return x if isinstance(x, list) else [x]

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if isinstance(x, bytes | bytearray):  # one certificate (a random value of fuzz())
            x = [x]
        return b"".join(struct.pack("!I", len(c))[1:] + bytes(c) for c in x or [])

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def m2i(self, pkt: Any, m: bytes) -> list[bytes]:
        out = []
        while m:
            if len(m) < 3:
                raise ValueError("a certificate's length cut short")
            n = int.from_bytes(m[:3], "big")
            if len(m) < 3 + n:
                raise ValueError("a certificate cut short")
            out.append(m[3:3 + n])
            m = m[3 + n:]
        return out


class _ThreeBytesLenField(FieldLenField):
    def __init__(self, name: str, default: Any, length_of: str) -> None:
        super().__init__(name, default, length_of=length_of, fmt="!I")

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + struct.pack("!I", self.i2m(pkt, val))[1:]

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        if len(s) < 3:
            raise ValueError("3 bytes of length expected")
        return s[3:], int.from_bytes(s[:3], "big")


class TLSCertificate(_TLSHandshake):
    """Certificate (TLS 1.2): ``certs``, the certificates' DER bytes (not parsed)."""

    name = "TLS Handshake - Certificate"
    fields_desc = (*_hs(11), _ThreeBytesLenField("certslen", None, length_of="certs"),
                   _CertListField("certs", [], length_from=lambda pkt: pkt.certslen))


class _BytesOrPacketField(StrLenField):
    """Bytes dissected into a packet when ``parse(bytes)`` recognises them (see
    :mod:`paquet.layers._tls_keyexchange`): the value is the packet, or the bytes."""

    holds_packets = True

    def __init__(self, name: str, default: Any, parse: Any, length_from: Any) -> None:
        super().__init__(name, default, length_from=length_from)
        self.parse = parse

    def any2i(self, pkt: Any, x: Any) -> Any:
        return x if isinstance(x, Packet) else super().any2i(pkt, x)

    def i2m(self, pkt: Any, x: Any) -> bytes:
        return bytes(x) if isinstance(x, Packet) else super().i2m(pkt, x)

    def m2i(self, pkt: Any, m: bytes) -> Any:
        return self.parse(m)

    def do_copy(self, x: Any) -> Any:
        return x.copy() if isinstance(x, Packet) else x

    def i2repr(self, pkt: Any, x: Any) -> str:
        return repr(x)


class _ParamsField(_BytesOrPacketField):
    """ServerKeyExchange's parameters: as long as the layout recognised says."""

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        body = s[:int(pkt.__dict__.get("msglen") or 0)]
        params = self.parse(body)
        return s[len(self.i2m(pkt, params)):], params


def _params_len(pkt: Any) -> int:
    p = pkt.__dict__.get("params")
    return len(bytes(p)) if isinstance(p, Packet) else len(p or b"")


class TLSServerKeyExchange(_TLSHandshake):
    """ServerKeyExchange: ``params`` (ECDHE or DHE parameters, recognised by their bytes;
    else bytes) and ``sig`` (the TLS 1.2 signature, or bytes)."""

    name = "TLS Handshake - Server Key Exchange"
    fields_desc = (*_hs(12),
                   _ParamsField("params", b"", lambda m: _ske_split(m)[0], length_from=None),
                   _BytesOrPacketField("sig", b"", lambda m: _ske_sig(m),
                                       length_from=lambda pkt: (pkt.msglen or 0)
                                       - _params_len(pkt)))


def _ske_split(m: bytes) -> tuple[Any, bytes]:
    from paquet.layers._tls_keyexchange import params_from_bytes

    return params_from_bytes(m)


def _ske_sig(m: bytes) -> Any:
    from paquet.layers._tls_keyexchange import signature_from_bytes

    return signature_from_bytes(m) if m else b""


class TLSCertificateStatus(_TLSHandshake):
    """CertificateStatus (RFC 6066): ``status_type`` (1, ocsp) and the ``response`` bytes."""

    name = "TLS Handshake - Certificate Status"
    fields_desc = (*_hs(22), ByteEnumField("status_type", 1, {1: "ocsp"}),
                   _ThreeBytesLenField("responselen", None, length_of="response"),
                   StrLenField("response", b"", length_from=lambda pkt: pkt.responselen))


class TLSCertificateRequest(_TLSHandshake):
    """CertificateRequest: its body kept as bytes (``msg``)."""

    name = "TLS Handshake - Certificate Request"
    fields_desc = (*_hs(13), StrLenField("msg", b"", length_from=lambda pkt: pkt.msglen))


class TLSServerHelloDone(_TLSHandshake):
    """ServerHelloDone, empty."""

    name = "TLS Handshake - Server Hello Done"
    fields_desc = _hs(14)


class TLSCertificateVerify(_TLSHandshake):
    """CertificateVerify: ``sig``, the signature (``sig_alg``, ``sig_val``) when its
    lengths fit, else bytes."""

    name = "TLS Handshake - Certificate Verify"
    fields_desc = (*_hs(15), _BytesOrPacketField("sig", b"", lambda m: _ske_sig(m),
                                                 length_from=lambda pkt: pkt.msglen))


def _cke_keys(m: bytes) -> Any:
    from paquet.layers._tls_keyexchange import client_keys_from_bytes

    return client_keys_from_bytes(m)


class TLSClientKeyExchange(_TLSHandshake):
    """ClientKeyExchange: ``exchkeys``, an ECDHE point (``ClientECDiffieHellmanPublic``)
    when its length byte fits, else bytes (an encrypted premaster secret, a DH value)."""

    name = "TLS Handshake - Client Key Exchange"
    fields_desc = (*_hs(16), _BytesOrPacketField("exchkeys", b"", _cke_keys,
                                                 length_from=lambda pkt: pkt.msglen))


class TLSFinished(_TLSHandshake):
    """Finished: ``vdata``, the verify data."""

    name = "TLS Handshake - Finished"
    fields_desc = (*_hs(20), StrLenField("vdata", b"", length_from=lambda pkt: pkt.msglen))


class TLSNewSessionTicket(_TLSHandshake):
    """NewSessionTicket (RFC 5077): ``lifetime``, ``ticket``."""

    name = "TLS Handshake - New Session Ticket"
    fields_desc = (*_hs(4), IntField("lifetime", 0xFFFFFFFF),
                   FieldLenField("ticketlen", None, length_of="ticket"),
                   StrLenField("ticket", b"", length_from=lambda pkt: pkt.ticketlen))


_CLASSES: dict[int, type[Packet]] = {
    0: TLSHelloRequest, 1: TLSClientHello, 2: TLSServerHello, 4: TLSNewSessionTicket,
    8: TLSEncryptedExtensions, 11: TLSCertificate, 12: TLSServerKeyExchange,
    13: TLSCertificateRequest, 14: TLSServerHelloDone, 15: TLSCertificateVerify,
    16: TLSClientKeyExchange, 20: TLSFinished, 22: TLSCertificateStatus}


def handshake_class(data: bytes, session: Any = None) -> type[Packet]:
    """The class of the handshake message at the start of ``data`` (by its type byte); a
    ServerHello is TLS 1.3's when ``session`` (a ``tlsSession``) saw a ClientHello offer
    TLS 1.3, as in Scapy.

    >>> handshake_class(b"\\x0e\\x00\\x00\\x00").__name__
    'TLSServerHelloDone'
    """
    cls = _CLASSES.get(data[0], _TLSHandshake) if data else _TLSHandshake
    if cls is TLSServerHello:
        if session is not None and (
                (session.advertised_tls_version == 0x0304 and session.tls_version is None)
                or session.tls_version == 0x0304):
            return TLS13ServerHello.dispatch_class(data, 0, len(data))
        cls = TLSServerHello.dispatch_class(data, 0, len(data))
    return cls


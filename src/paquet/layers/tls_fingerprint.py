"""JA3 and JA4 fingerprints of a TLS ClientHello (beyond Scapy).

JA3 (Salesforce): ``SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats``,
each list of decimal numbers joined by ``-`` in the order sent, GREASE values (RFC 8701)
removed; the fingerprint is the MD5 of that string.

JA4 (FoxIO, ``JA4_a_b_c``): ``a`` is the transport (``t`` TCP, ``q`` QUIC, ``d`` DTLS), the
highest version (of supported_versions, else the hello's: ``13``, ``12``... ``00``), ``d`` if
a server name is sent (``i`` if not), the number of cipher suites and of extensions (two
digits, at most 99, GREASE left out) and the first and last characters of the first ALPN
protocol (``00`` for none; hex digits when they are not alphanumeric). ``b`` is the first
12 hex digits of the SHA-256 of the sorted cipher suites (4 hex digits each, comma-joined);
``c`` the same of the sorted extensions without SNI and ALPN, then ``_`` and the signature
algorithms in the order sent. An empty list hashes to ``000000000000``.

>>> from paquet.layers._tls_handshake import TLSClientHello
>>> ch = TLSClientHello(version=0x0303, ciphers=[0x0A0A, 0x1301], comp=[0])
>>> ja3(ch, raw=True)
'771,4865,,,'
>>> ja4(ch)
't12i010000_0f2cb44170f4_000000000000'
"""

from __future__ import annotations

from typing import Any

from paquet.layers.tls_numbers import is_grease

__all__ = ["ja3", "ja4", "ja4_raw"]

_JA4_VERSIONS = {0x0304: "13", 0x0303: "12", 0x0302: "11", 0x0301: "10", 0x0300: "s3",
                 0x0002: "s2", 0xFEFF: "d1", 0xFEFD: "d2", 0xFEFC: "d3"}


def _hello(pkt: Any) -> Any:
    """The ClientHello in ``pkt`` (a record, a stack, or the message itself)."""
    from paquet.layers._tls_handshake import TLSClientHello
    from paquet.layers.tls import TLS

    if isinstance(pkt, TLSClientHello):
        return pkt
    if isinstance(pkt, bytes | bytearray):
        pkt = TLS(bytes(pkt))
    layer = pkt
    while layer is not None and getattr(layer, "payload", None) is not None:
        if isinstance(layer, TLS):
            for m in layer.msg or []:
                if isinstance(m, TLSClientHello):
                    return m
        if not layer.payload:
            break
        layer = layer.payload
    raise ValueError("no TLS ClientHello in this packet")


def _ext_types(ch: Any) -> list[int]:
    return [e.type for e in ch.ext or [] if hasattr(e, "type") and e.type is not None]


def _find(ch: Any, code: int) -> Any:
    for e in ch.ext or []:
        if getattr(e, "type", None) == code:
            return e
    return None


def _values(ext: Any, field: str) -> list[int]:
    if ext is None or field not in ext._fieldmap:
        return []
    return [int(v) for v in getattr(ext, field) or []]


def ja3(pkt: Any, raw: bool = False) -> str:
    """The JA3 fingerprint (MD5 hex) of the ClientHello in ``pkt``, or its string if ``raw``.

    ``pkt`` is a ``TLSClientHello``, a packet holding one, or the bytes of a TLS record.
    """
    import hashlib

    ch = _hello(pkt)
    version = int(ch.version) if ch.version is not None else 0x0303
    parts = [
        str(version),
        "-".join(str(c) for c in ch.ciphers or [] if not is_grease(c)),
        "-".join(str(t) for t in _ext_types(ch) if not is_grease(t)),
        "-".join(str(g) for g in _values(_find(ch, 10), "groups") if not is_grease(g)),
        "-".join(str(f) for f in _values(_find(ch, 11), "ecpl")),
    ]
    s = ",".join(parts)
    return s if raw else hashlib.md5(s.encode(), usedforsecurity=False).hexdigest()


def _alpn_code(ch: Any) -> str:
    ext = _find(ch, 0x10)
    protos = getattr(ext, "protocols", None) if ext is not None else None
    if not protos:
        return "00"
    first = bytes(getattr(protos[0], "protocol", b"") or b"")
    if not first:
        return "00"
    a, b = first[:1], first[-1:]
    if a.isalnum() and b.isalnum() and a.isascii() and b.isascii():
        return (a + b).decode()
    h = first.hex()
    return h[0] + h[-1]


def _parts(ch: Any, transport: str) -> tuple[str, str, str]:
    versions = [v for v in _values(_find(ch, 0x2B), "versions") if not is_grease(v)]
    version = max(versions) if versions else (ch.version if ch.version is not None else 0x0303)
    ciphers = [c for c in ch.ciphers or [] if not is_grease(c)]
    exts = [t for t in _ext_types(ch) if not is_grease(t)]
    a = (f"{transport}{_JA4_VERSIONS.get(int(version), '00')}{'d' if 0 in exts else 'i'}"
         f"{min(len(ciphers), 99):02d}{min(len(exts), 99):02d}{_alpn_code(ch)}")
    b = ",".join(f"{c:04x}" for c in sorted(ciphers))
    c = ",".join(f"{t:04x}" for t in sorted(exts) if t not in (0, 0x10))
    sigs = [s for s in _values(_find(ch, 13), "sig_algs") if not is_grease(s)]
    if sigs:
        c += "_" + ",".join(f"{s:04x}" for s in sigs)
    return a, b, c


def ja4_raw(pkt: Any, transport: str = "t") -> str:
    """JA4's raw form (``ja4_r``): the lists in clear instead of their hashes."""
    return "_".join(_parts(_hello(pkt), transport))


def ja4(pkt: Any, transport: str = "t") -> str:
    """The JA4 fingerprint of the ClientHello in ``pkt`` (``transport``: t, q or d)."""
    import hashlib

    def h(s: str) -> str:
        return hashlib.sha256(s.encode()).hexdigest()[:12] if s else "000000000000"

    a, b, c = _parts(_hello(pkt), transport)
    return f"{a}_{h(b)}_{h(c)}"

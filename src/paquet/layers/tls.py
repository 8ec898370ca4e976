"""TLS records (RFC 5246 section 6.2, RFC 8446 section 5) with Scapy's :class:`TLS` layer.

A record is ``type`` (handshake, alert, change_cipher_spec, application_data), ``version``,
``len`` and ``msg``, the list of messages it carries: several handshake messages may share a
record, and a TCP segment may carry several records (each the payload of the one before).
Nothing is decrypted: application data and encrypted handshake messages are kept as bytes
(:class:`TLSApplicationData`). A record cut short by the end of a segment is ``Padding``, as
in Scapy; ``sniff(session=TCPSession)`` puts it together first (:meth:`TLS.tcp_reassemble`).
Bound to TCP port 443 by ``load_layer("tls")``, as in Scapy (:func:`load_bindings`).
:func:`paquet.layers.tls_fingerprint.ja3` and ``ja4`` fingerprint a ClientHello. The
handshake messages (``TLSClientHello``...) and the extensions (``TLS_Ext_ServerName``...) live
in ``paquet.layers._tls_handshake`` and
``paquet.layers._tls_extensions``, loaded when a handshake is first met (their many classes
would cost every ``import paquet.layers``); ``from paquet import *`` gives them.

>>> from paquet.layers._tls_handshake import TLSClientHello
>>> rec = TLS(msg=[TLSClientHello(gmt_unix_time=0, random_bytes=b"a" * 28, ciphers=[0x1301])])
>>> bytes(rec)[:5].hex(), TLS(bytes(rec)).msg[0].ciphers
('160303002d', [4865])
"""

from __future__ import annotations

import struct
from contextvars import ContextVar
from typing import Any

from paquet.layers.tls_numbers import (
    TLS_ALERT_DESCR,
    TLS_ALERT_LEVEL,
    TLS_CONTENT_TYPES,
    TLS_VERSIONS,
)
from paquet.packet import registry
from paquet.packet.base import Packet, Padding, Raw
from paquet.packet.enumfields import ByteEnumField, ShortEnumField
from paquet.packet.fields import Field, ShortField
from paquet.packet.strfields import StrField
from paquet.packet.structfields import PacketListField

__all__ = ["TLS", "TLS13", "TLSAlert", "TLSApplicationData", "TLSChangeCipherSpec",
           "tlsSession"]

_CCS_TYPES = {1: "change_cipher_spec"}
#: The session of the records being dissected by ``TLS(data, tls_session=...)``.
_CURRENT: ContextVar[Any] = ContextVar("tls_session", default=None)


class tlsSession:  # (Scapy's name)
    """Scapy's TLS session context, without its cryptography: what a dissection out of a
    session knows (nothing), kept so that ``TLS(data, tls_session=s)`` and
    ``t.tls_session.mirror()`` run. paquet dissects every record alone."""

    def __init__(self, **kwargs: Any) -> None:
        self.tls_version: int | None = None
        self.advertised_tls_version: int | None = None
        self.sid: bytes = b""
        self.client_random: bytes | None = None
        self.server_random: bytes | None = None
        self.frozen = False
        self.__dict__.update(kwargs)

    def update(self, msg: Packet) -> None:
        """What a hello tells the session (Scapy's ``tls_session_update``, without keys): the
        version a ClientHello advertises, the one a ServerHello chooses."""
        name = type(msg).__name__
        ext = getattr(msg, "ext", None) or []
        if name in ("TLSClientHello", "TLS13ClientHello"):
            self.advertised_tls_version = msg.version
            for e in ext:
                if type(e).__name__ == "TLS_Ext_SupportedVersion_CH":
                    known = [v for v in e.versions or [] if v in TLS_VERSIONS]
                    if known:
                        self.advertised_tls_version = max(known)
            if msg.sid:
                self.sid = msg.sid
        elif name in ("TLSServerHello", "TLS13ServerHello"):
            self.tls_version = msg.version
            for e in ext:
                if type(e).__name__ == "TLS_Ext_SupportedVersion_SH" and e.version:
                    self.tls_version = e.version

    def mirror(self) -> tlsSession:
        """The context seen from the other end (the same, here)."""
        return self

    def __repr__(self) -> str:
        return "<tlsSession (no cryptography)>"


class _Message(Packet):
    """A message inside a record: what follows it is the next message's."""

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class TLSChangeCipherSpec(_Message):
    """ChangeCipherSpec: one byte, 1."""

    name = "TLS ChangeCipherSpec"
    fields_desc = (ByteEnumField("msgtype", 1, _CCS_TYPES),)


class TLSAlert(_Message):
    """Alert: ``level`` (warning, fatal) and ``descr``."""

    name = "TLS Alert"
    fields_desc = (ByteEnumField("level", None, TLS_ALERT_LEVEL),
                   ByteEnumField("descr", None, TLS_ALERT_DESCR))

    def mysummary(self) -> str:
        return self.sprintf("Alert %level%: %descr%")


class TLSApplicationData(Packet):
    """Application data, or anything encrypted: ``data`` kept as bytes."""

    name = "TLS Application Data"
    fields_desc = (StrField("data", b""),)


class _TLSEncryptedContent(Raw):
    """Bytes on a TLS port that are not a record (a continuation, or too short)."""

    name = "Encrypted Content"

    @classmethod
    def tcp_reassemble(cls, data: bytes, metadata: dict[str, Any],
                       session: dict[str, Any]) -> Packet | None:
        """A stream whose first segment was too short for a record header: records once
        the header and its bytes are there (:meth:`TLS.tcp_reassemble`)."""
        if len(data) >= 2 and (data[0] not in TLS_CONTENT_TYPES or data[1] != 3):
            return cls(data)
        return TLS.tcp_reassemble(data, metadata, session)


class _Empty(Field):
    """A field of the record that only a decrypting session fills (iv, mac, pad): it
    takes no bytes here."""

    fast = False

    def __init__(self, name: str, default: Any) -> None:
        super().__init__(name, default, None)

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + (bytes(val) if isinstance(val, bytes | bytearray) else b"")

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        return s, (None if self.name == "padlen" else b"")


class _MsgListField(PacketListField):
    """The messages of a record (``len`` bytes), each dissected by the record's type."""

    def __init__(self, name: str, default: Any) -> None:
        super().__init__(name, default, None, length_from=lambda pkt: pkt.len)

    def m2i(self, pkt: Any, m: bytes) -> Any:
        t = pkt.__dict__.get("type")
        cls: type[Packet] = Raw
        session = _CURRENT.get()
        if t == 22:
            from paquet.layers._tls_handshake import handshake_class  # (on first use)

            cls = handshake_class(m, session)
        elif t == 20:
            cls = TLSChangeCipherSpec
        elif t == 21:
            cls = TLSAlert
        elif t == 23:
            cls = TLSApplicationData
        p = cls(m)
        if p.errors:  # as Scapy: a message that does not parse is kept as Raw
            return Raw(m)
        if session is not None and t == 22:
            session.update(p)
        return p

    def getfield(self, pkt: Any, s: bytes) -> tuple[Any, Any]:
        n = pkt.__dict__.get("len")
        body, rest = (s, b"") if n is None else (s[:n], s[n:])
        t = pkt.__dict__.get("type")
        if not body:
            if t == 23:
                return rest, [TLSApplicationData(data=b"")]
            if t == 20:
                return rest, [TLSChangeCipherSpec()]
            return rest, [Raw(load=b"")]
        lst: list[Any] = []
        while body:
            p = self.m2i(pkt, body)
            if Padding in p:
                pad = p[Padding]
                body = bytes(pad.load)
                pad.underlayer.remove_payload()
            else:
                body = b""
            lst.append(p)
        return rest, lst

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + b"".join(bytes(p) for p in val or [])


def _record_type(msgs: list[Any]) -> int:
    if not msgs:
        return 0
    m = msgs[0]
    if isinstance(m, TLSChangeCipherSpec):
        return 20
    if isinstance(m, TLSAlert):
        return 21
    from paquet.layers._tls_handshake import _TLSHandshake  # (on first use)

    if isinstance(m, _TLSHandshake):
        return 22
    return 23


class TLS(Packet):
    """A TLS record: ``type``, ``version``, ``len`` (computed), ``msg`` (its messages).

    ``iv``, ``mac``, ``pad`` and ``padlen`` are Scapy's fields of a decrypting session: empty
    here. The next record in the same segment is this one's payload.
    """

    name = "TLS"
    fields_desc = (ByteEnumField("type", None, TLS_CONTENT_TYPES),
                   ShortEnumField("version", None, TLS_VERSIONS),
                   ShortField("len", None),
                   _Empty("iv", None),
                   _MsgListField("msg", []),
                   _Empty("mac", None),
                   _Empty("pad", None),
                   _Empty("padlen", None))

    def __init__(self, _pkt: bytes | bytearray | memoryview | str = b"", /,
                 tls_session: tlsSession | None = None, **fields: Any) -> None:
        if not _pkt:
            super().__init__(_pkt, **fields)
            if tls_session is not None:
                self.__dict__["_tls_session"] = tls_session
            return
        # Bytes: the records are dissected with the session (the hellos update it, and a
        # ServerHello answering a TLS 1.3 ClientHello is TLS 1.3's), as Scapy's.
        session = tls_session if tls_session is not None else tlsSession()
        token = _CURRENT.set(session)
        try:
            super().__init__(_pkt, **fields)
            layer: Any = self
            while isinstance(layer, TLS):
                layer.__dict__["_tls_session"] = session
                layer = layer.payload
        finally:
            _CURRENT.reset(token)

    @property
    def tls_session(self) -> tlsSession:
        """The session given when dissecting (Scapy's), else a new empty one."""
        s = self.__dict__.get("_tls_session")
        if s is None:
            s = self.__dict__["_tls_session"] = tlsSession()
        return s

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """Scapy's choice: not a record header is encrypted content (a continuation), a
        record longer than the bytes is Padding (a fragment)."""
        n = end - start
        if n >= 2:
            if data[start] not in TLS_CONTENT_TYPES or data[start + 1] != 3:
                return _TLSEncryptedContent
            if n >= 5 and n < struct.unpack_from("!H", data, start + 3)[0] + 5:
                return Padding
        if n < 5:
            return _TLSEncryptedContent
        return cls

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        d = self.__dict__
        if d.get("type") is None:
            p = bytes([_record_type(d.get("msg") or [])]) + p[1:]
        if d.get("version") is None:
            p = p[:1] + b"\x03\x03" + p[3:]
        if d.get("len") is None:
            p = p[:3] + struct.pack("!H", len(p) - 5) + p[5:]
        return p + pay

    def guess_payload_class(self, data: bytes, start: int = 0,
                            end: int | None = None) -> type[Packet]:
        """The next record (Scapy's ``do_dissect_payload``): Raw under 5 bytes, Padding for
        a record cut short, else a TLS record (or encrypted content)."""
        n = (len(data) if end is None else end) - start
        if n < 5:
            return Raw
        return TLS

    def mysummary(self) -> str:
        msgs = self.__dict__.get("msg") or []
        return " / ".join(getattr(m, "name", "Raw") for m in msgs) if msgs else "TLS"

    @classmethod
    def tcp_reassemble(cls, data: bytes, metadata: dict[str, Any],
                       session: dict[str, Any]) -> Packet | None:
        """Records from a TCP stream (Scapy's ``TCPSession`` hook): the first record once
        its bytes are all there (with the whole records after it), else None."""
        if len(data) < 5:
            return None
        length = struct.unpack_from("!H", data, 3)[0] + 5
        if len(data) < length:
            return None
        if data[0] not in TLS_CONTENT_TYPES or data[1] != 3:
            return cls(data)
        # whole records only: the bytes of a record still coming wait for the next segment
        end = 0
        while end + 5 <= len(data):
            n = struct.unpack_from("!H", data, end + 3)[0] + 5
            if end + n > len(data):
                break
            end += n
        tls_session = session.setdefault("tls_session", tlsSession())
        pkt = cls(data[:end], tls_session=tls_session)
        if end < len(data):
            last = pkt.lastlayer()
            last.add_payload(Padding(data[end:]))
        return pkt


class TLS13(TLS):
    """A TLS 1.3 record (RFC 8446 5.2): the same header; its encrypted content is kept in
    ``msg`` as :class:`TLSApplicationData` (no keys, no decryption)."""

    name = "TLS 1.3"


_LOADED: list[bool] = []


def load_bindings() -> None:
    """Bind TLS to TCP port 443, as Scapy does when ``load_layer("tls")`` loads it (Scapy
    leaves TLS unloaded by default). :func:`paquet.utils.load_layer` calls this."""
    if _LOADED:
        return
    from paquet.layers.tcp import TCP
    from paquet.number_enums import Port

    registry.bind_layers(TCP, TLS, sport=int(Port.https))
    registry.bind_layers(TCP, TLS, dport=int(Port.https))
    _LOADED.append(True)


def unload_bindings() -> None:
    """Undo :func:`load_bindings` (Scapy's ``split_layers``)."""
    from paquet.layers.tcp import TCP

    registry.split_layers(TCP, TLS)
    _LOADED.clear()

"""BER (X.690) encoding and decoding of ASN.1 values, with Scapy's names and bytes.

The helpers are Scapy's (``BER_len_enc``, ``BER_len_dec``, ``BER_num_enc``, ``BER_id_dec``,
``BER_tagging_enc``...); each tag has a codec class (``BERcodec_INTEGER``...) whose ``enc``
gives the bytes of a value and ``dec`` reads one back as ``(value, rest)``. Decoding bytes
that are not what they claim raises :class:`BER_Decoding_Error` (the packet layers catch it);
``safedec`` keeps them as an ``ASN1_DECODING_ERROR`` instead. Nesting deeper than
:data:`MAX_BER_DEPTH` and numbers longer than :data:`MAX_NUMBER_BYTES` are refused, so that
hostile bytes cost no more than their length.

>>> BER_len_enc(5), BER_len_enc(300), BER_len_dec(b"\\x82\\x01\\x2cxyz")
(b'\\x05', b'\\x82\\x01,', (300, b'xyz'))
>>> BERcodec_INTEGER.enc(128), BERcodec_OID.enc("1.3.6.1")
(b'\\x02\\x02\\x00\\x80', b'\\x06\\x03+\\x06\\x01')
>>> BERcodec_Object.dec(b"\\x30\\x03\\x02\\x01\\x07")
(<ASN1_SEQUENCE[[0x7 <ASN1_INTEGER[7]>]]>, b'')
"""

from __future__ import annotations

from typing import Any, ClassVar

from paquet.asn1.asn1 import (
    ASN1_BADTAG,
    ASN1_DECODING_ERROR,
    ASN1_BadTag_Decoding_Error,
    ASN1_Class,
    ASN1_Class_UNIVERSAL,
    ASN1_Codecs,
    ASN1_Decoding_Error,
    ASN1_Error,
    ASN1_Object,
    ASN1Tag,
)

__all__ = [
    "MAX_BER_DEPTH",
    "MAX_DEPTH",
    "MAX_NUMBER_BYTES",
    "BER_BadTag_Decoding_Error",
    "BER_Decoding_Error",
    "BER_Encoding_Error",
    "BER_Exception",
    "BER_id_dec",
    "BER_id_enc",
    "BER_len_dec",
    "BER_len_enc",
    "BER_num_dec",
    "BER_num_enc",
    "BER_tagging_dec",
    "BER_tagging_enc",
    "BERcodec_BIT_STRING",
    "BERcodec_BOOLEAN",
    "BERcodec_COUNTER32",
    "BERcodec_COUNTER64",
    "BERcodec_ENUMERATED",
    "BERcodec_GAUGE32",
    "BERcodec_IA5_STRING",
    "BERcodec_INTEGER",
    "BERcodec_IPADDRESS",
    "BERcodec_NULL",
    "BERcodec_OID",
    "BERcodec_Object",
    "BERcodec_SEQUENCE",
    "BERcodec_SET",
    "BERcodec_STRING",
    "BERcodec_TIME_TICKS",
]

#: Values nested deeper than this do not decode (Scapy's ``MAX_BER_DEPTH``: a hostile message
#: of nested SEQUENCEs would otherwise exhaust the stack).
MAX_BER_DEPTH = MAX_DEPTH = 32
#: A tag number or an OID arc written on more bytes than this does not decode (Scapy's).
MAX_NUMBER_BYTES = 33

U = ASN1_Class_UNIVERSAL


class BER_Exception(ASN1_Error):
    """A BER encoding problem."""


class BER_Encoding_Error(ASN1_Error):
    """A value that cannot be encoded in BER."""

    def __init__(self, msg: str, encoded: Any = None, remaining: bytes = b"") -> None:
        super().__init__(msg)
        self.encoded = encoded
        self.remaining = remaining


class BER_Decoding_Error(ASN1_Decoding_Error):
    """Bytes that do not decode: ``decoded`` holds what did, ``remaining`` the rest."""

    def __init__(self, msg: str, decoded: Any = None, remaining: bytes = b"") -> None:
        super().__init__(msg)
        self.decoded = decoded
        self.remaining = remaining


class BER_BadTag_Decoding_Error(BER_Decoding_Error, ASN1_BadTag_Decoding_Error):
    """Bytes of another tag than the one expected."""


def BER_len_enc(ll: int, size: int = 0) -> bytes:
    """A length: one byte up to 127 (unless ``size`` asks for a long form of that many
    bytes), else 0x80 + the count of bytes, then the bytes."""
    if ll <= 127 and size == 0:
        return bytes((ll,))
    body = bytearray()
    while ll or size > 0:
        body.insert(0, ll & 0xFF)
        ll >>= 8
        size -= 1
    if len(body) > 127:
        raise BER_Exception(f"BER_len_enc: Length too long ({len(body)}) to be encoded")
    return bytes((len(body) | 0x80,)) + bytes(body)


def BER_len_dec(s: bytes) -> tuple[int, bytes]:
    """A length at the start of ``s``, and the bytes after it."""
    if not s:
        raise BER_Decoding_Error("BER_len_dec: no length byte", remaining=s)
    first = s[0]
    if not first & 0x80:
        return first, s[1:]
    n = first & 0x7F
    if len(s) <= n:
        raise BER_Decoding_Error(f"BER_len_dec: Got {len(s) - 1} bytes while expecting {n}",
                                 remaining=s)
    return int.from_bytes(s[1:n + 1], "big"), s[n + 1:]


def BER_num_enc(ll: int, size: int = 1) -> bytes:
    """A number in base 128, high bit set on every byte but the last (tags, OID arcs)."""
    out: list[int] = []
    while ll or size > 0:
        out.insert(0, (ll & 0x7F) | (0x80 if out else 0))
        ll >>= 7
        size -= 1
    return bytes(out)


def BER_num_dec(s: bytes, cls_id: int = 0) -> tuple[int, bytes]:
    """A base-128 number at the start of ``s`` (after ``cls_id``), and the rest."""
    if not s:
        raise BER_Decoding_Error("BER_num_dec: got empty string", remaining=s)
    x = cls_id
    for i, c in enumerate(s):
        x = (x << 7) | (c & 0x7F)
        if not c & 0x80:
            return x, s[i + 1:]
        if i >= MAX_NUMBER_BYTES:
            raise BER_Decoding_Error("BER_num_dec: maximum value reached (2^32-1)", remaining=s)
    raise BER_Decoding_Error("BER_num_dec: unfinished number description", remaining=s)


def BER_id_dec(s: bytes) -> tuple[int, bytes]:
    """The identifier at the start of ``s`` with its class and constructed bits (as Scapy's:
    a high tag number keeps the first byte's top 3 bits in front of it), and the rest."""
    if not s:
        raise BER_Decoding_Error("BER_id_dec: got empty string", remaining=s)
    x = s[0]
    if x & 0x1F != 0x1F:
        return x, s[1:]
    return BER_num_dec(s[1:], cls_id=x >> 5)


def BER_id_enc(n: int) -> bytes:
    """An identifier as :func:`BER_id_dec` reads it."""
    if n < 256:
        return bytes((n,))
    s = BER_num_enc(n)
    return bytes((((s[0] & 0x07) << 5) | 0x1F,)) + s[1:]


def BER_tagging_dec(s: bytes, hidden_tag: int | None = None, implicit_tag: int | None = None,
                    explicit_tag: int | None = None, safe: bool = False,
                    _fname: str = "") -> tuple[int | None, bytes]:
    """Undo an implicit tag (put back ``hidden_tag``) or an explicit one (drop its header);
    returns (the tag found when it differs and ``safe``, the bytes)."""
    real_tag = None
    if s:
        expected = implicit_tag if implicit_tag is not None else explicit_tag
        if expected is not None:
            ber_id, s = BER_id_dec(s)
            if ber_id != expected:
                if not safe:
                    raise BER_Decoding_Error(
                        f"BER_tagging_dec: observed tag 0x{ber_id:02x} does not match "
                        f"expected tag 0x{expected:02x} ({_fname})", remaining=s)
                real_tag = ber_id
            if implicit_tag is not None:
                s = bytes((int(hidden_tag or 0) & 0xFF,)) + s
            else:
                _l, s = BER_len_dec(s)
    return real_tag, s


def BER_tagging_enc(s: bytes, implicit_tag: int | None = None,
                    explicit_tag: int | None = None) -> bytes:
    """Replace the tag of encoded ``s`` (implicit) or wrap it in another (explicit)."""
    if s:
        if implicit_tag is not None:
            return BER_id_enc(implicit_tag) + s[1:]
        if explicit_tag is not None:
            return BER_id_enc(explicit_tag) + BER_len_enc(len(s)) + s
    return s


def _as_bytes(v: Any) -> bytes:
    if isinstance(v, bytes):
        return v
    if isinstance(v, str):
        return v.encode("utf-8", "surrogateescape")
    if isinstance(v, ASN1_Object):
        return _as_bytes(v.val)
    return bytes(v)


class BERcodec_Object:
    """The codec of a tag (generic: a value of any universal tag, told by its bytes)."""

    codec: ClassVar[int] = ASN1_Codecs.BER
    tag: ClassVar[ASN1Tag] = U.ANY

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "tag" in cls.__dict__:
            cls.tag.register(cls.codec, cls)

    @classmethod
    def asn1_object(cls, val: Any) -> ASN1_Object:
        """``val`` as a value of this codec's tag."""
        return cls.tag.asn1_object(val)

    @classmethod
    def check_string(cls, s: bytes) -> None:
        """Refuse empty bytes."""
        if not s:
            raise BER_Decoding_Error(
                f"{cls.__name__}: Got empty object while expecting tag {cls.tag!r}", remaining=s)

    @classmethod
    def check_type(cls, s: bytes) -> bytes:
        """The bytes after this codec's tag (refused if another tag)."""
        cls.check_string(s)
        tag, rest = BER_id_dec(s)
        if cls.tag != tag:
            raise BER_BadTag_Decoding_Error(
                f"{cls.__name__}: Got tag [{tag}/{tag:#x}] while expecting {cls.tag!r}",
                remaining=s)
        return rest

    @classmethod
    def check_type_get_len(cls, s: bytes) -> tuple[int, bytes]:
        """The length after the tag, and the bytes after it."""
        s2 = cls.check_type(s)
        if not s2:
            raise BER_Decoding_Error(f"{cls.__name__}: No bytes while expecting a length",
                                     remaining=s)
        return BER_len_dec(s2)

    @classmethod
    def check_type_check_len(cls, s: bytes) -> tuple[int, bytes, bytes]:
        """(length, the content, the bytes after it): refused if the content is cut."""
        ll, s3 = cls.check_type_get_len(s)
        if len(s3) < ll:
            raise BER_Decoding_Error(f"{cls.__name__}: Got {len(s3)} bytes while expecting {ll}",
                                     remaining=s)
        return ll, s3[:ll], s3[ll:]

    @classmethod
    def do_dec(cls, s: bytes, context: Any = None, safe: bool = False,
               _depth: int = 0) -> tuple[ASN1_Object, bytes]:
        """Decode a value of whichever tag ``s`` starts with (in ``context``)."""
        ctx: type[ASN1_Class] = context if context is not None else (cls.tag.context or U)
        cls.check_string(s)
        p, rest = BER_id_dec(s)
        if p not in ctx:
            raise BER_Decoding_Error(f"Unknown prefix [{p:02x}] for [{s[:15]!r}]", remaining=s)
        codec = ctx[p].get_codec(ASN1_Codecs.BER)
        if codec is BERcodec_Object:
            ll, rest = BER_len_dec(rest)
            return ASN1_BADTAG(rest[:ll]), rest[ll:]
        return codec.dec(s, ctx, safe, _depth)  # type: ignore[no-any-return]

    @classmethod
    def dec(cls, s: bytes, context: Any = None, safe: bool = False,
            _depth: int = 0) -> tuple[ASN1_Object, bytes]:
        """``(value, rest)``; with ``safe``, undecodable bytes become ASN1_DECODING_ERROR
        (nesting deeper than :data:`MAX_BER_DEPTH` raises :class:`BER_Exception` either way,
        as Scapy's)."""
        if _depth > MAX_BER_DEPTH:
            raise BER_Exception("Reached maximum BER recursion limit")
        if not safe:
            return cls.do_dec(s, context, safe, _depth)
        try:
            return cls.do_dec(s, context, safe, _depth)
        except BER_BadTag_Decoding_Error as e:
            o, remain = BERcodec_Object.dec(e.remaining, context, safe, _depth + 1)
            return ASN1_BADTAG(o), remain
        except BER_Exception:
            raise
        except ASN1_Error as e:
            return ASN1_DECODING_ERROR(s, exc=e), b""

    @classmethod
    def safedec(cls, s: bytes, context: Any = None) -> tuple[ASN1_Object, bytes]:
        """:meth:`dec` keeping what does not decode."""
        return cls.dec(s, context, safe=True)

    @classmethod
    def enc(cls, s: Any, size_len: int | None = 0) -> bytes:
        """A value of no given tag: text as an OCTET STRING, a number as an INTEGER."""
        if isinstance(s, str | bytes):
            return BERcodec_STRING.enc(s, size_len=size_len)
        try:
            return BERcodec_INTEGER.enc(int(s), size_len=size_len)
        except TypeError:
            raise TypeError("Trying to encode an invalid value !") from None


ASN1Tag.generic_codec = BERcodec_Object


class BERcodec_INTEGER(BERcodec_Object):
    """INTEGER: two's complement, big endian (Scapy's bytes: -128 as ``ff 80``)."""

    tag = U.INTEGER

    @classmethod
    def enc(cls, i: Any, size_len: int | None = 0) -> bytes:
        """The INTEGER's bytes."""
        i = int(i)
        out = bytearray()
        while True:
            out.append(i & 0xFF)
            if -127 <= i < 0:
                break
            if 128 <= i <= 255:
                out.append(0)
            i >>= 8
            if not i:
                break
        out.reverse()
        return bytes((int(cls.tag),)) + BER_len_enc(len(out), size=size_len or 0) + bytes(out)

    @classmethod
    def do_dec(cls, s: bytes, context: Any = None, safe: bool = False,
               _depth: int = 0) -> tuple[ASN1_Object, bytes]:
        """The INTEGER at the start of ``s``."""
        _l, body, rest = cls.check_type_check_len(s)
        return cls.asn1_object(int.from_bytes(body, "big", signed=True) if body else 0), rest


class BERcodec_BOOLEAN(BERcodec_INTEGER):
    """BOOLEAN."""

    tag = U.BOOLEAN


class BERcodec_ENUMERATED(BERcodec_INTEGER):
    """ENUMERATED."""

    tag = U.ENUMERATED


class BERcodec_COUNTER32(BERcodec_INTEGER):
    """Counter32 (SNMP)."""

    tag = U.COUNTER32


class BERcodec_COUNTER64(BERcodec_INTEGER):
    """Counter64 (SNMP)."""

    tag = U.COUNTER64


class BERcodec_GAUGE32(BERcodec_INTEGER):
    """Gauge32 (SNMP)."""

    tag = U.GAUGE32


class BERcodec_TIME_TICKS(BERcodec_INTEGER):
    """TimeTicks (SNMP)."""

    tag = U.TIME_TICKS


class BERcodec_NULL(BERcodec_INTEGER):
    """NULL: no content (a value other than 0 is written as an integer would be)."""

    tag = U.NULL

    @classmethod
    def enc(cls, i: Any, size_len: int | None = 0) -> bytes:
        """NULL's bytes."""
        if not i:
            return bytes((int(cls.tag), 0))
        return super().enc(i, size_len=size_len)


class BERcodec_BIT_STRING(BERcodec_Object):
    """BIT STRING, held as a text of 0s and 1s."""

    tag = U.BIT_STRING

    @classmethod
    def do_dec(cls, s: bytes, context: Any = None, safe: bool = False,
               _depth: int = 0) -> tuple[ASN1_Object, bytes]:
        """The BIT STRING at the start of ``s``."""
        _l, body, rest = cls.check_type_check_len(s)
        if not body:
            raise BER_Decoding_Error("BERcodec_BIT_STRING found no content "
                                     "(not even unused_bits byte)", remaining=s)
        unused = body[0]
        if safe and unused > 7:
            raise BER_Decoding_Error("BERcodec_BIT_STRING: too many unused_bits advertised",
                                     remaining=s)
        bits = "".join(f"{b:08b}" for b in body[1:])
        if unused:
            bits = bits[:-unused]
        return cls.asn1_object(bits), rest

    @classmethod
    def enc(cls, _s: Any, size_len: int | None = 0) -> bytes:
        """The BIT STRING's bytes (zero-padded to whole bytes)."""
        bits = _as_bytes(_s).decode("ascii")
        unused = (8 - len(bits) % 8) % 8
        bits += "0" * unused
        body = bytes([unused]) + bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))
        return bytes((int(cls.tag),)) + BER_len_enc(len(body), size=size_len or 0) + body


class BERcodec_STRING(BERcodec_Object):
    """OCTET STRING (and the other strings, by their tags)."""

    tag = U.STRING

    @classmethod
    def enc(cls, _s: Any, size_len: int | None = 0) -> bytes:
        """The string's bytes (text as UTF-8)."""
        s = _as_bytes(_s)
        return bytes((int(cls.tag),)) + BER_len_enc(len(s), size=size_len or 0) + s

    @classmethod
    def do_dec(cls, s: bytes, context: Any = None, safe: bool = False,
               _depth: int = 0) -> tuple[ASN1_Object, bytes]:
        """The string at the start of ``s``."""
        _l, body, rest = cls.check_type_check_len(s)
        return cls.tag.asn1_object(body), rest


def _string_codec(name: str, tag: ASN1Tag) -> type[BERcodec_STRING]:
    return type(name, (BERcodec_STRING,), {"tag": tag, "__doc__": f"{tag} (a string)."})


BERcodec_UTF8_STRING = _string_codec("BERcodec_UTF8_STRING", U.UTF8_STRING)
BERcodec_NUMERIC_STRING = _string_codec("BERcodec_NUMERIC_STRING", U.NUMERIC_STRING)
BERcodec_PRINTABLE_STRING = _string_codec("BERcodec_PRINTABLE_STRING", U.PRINTABLE_STRING)
BERcodec_T61_STRING = _string_codec("BERcodec_T61_STRING", U.T61_STRING)
BERcodec_VIDEOTEX_STRING = _string_codec("BERcodec_VIDEOTEX_STRING", U.VIDEOTEX_STRING)
BERcodec_IA5_STRING = _string_codec("BERcodec_IA5_STRING", U.IA5_STRING)
BERcodec_GENERAL_STRING = _string_codec("BERcodec_GENERAL_STRING", U.GENERAL_STRING)
BERcodec_UTC_TIME = _string_codec("BERcodec_UTC_TIME", U.UTC_TIME)
BERcodec_GENERALIZED_TIME = _string_codec("BERcodec_GENERALIZED_TIME", U.GENERALIZED_TIME)
BERcodec_ISO646_STRING = _string_codec("BERcodec_ISO646_STRING", U.ISO646_STRING)
BERcodec_UNIVERSAL_STRING = _string_codec("BERcodec_UNIVERSAL_STRING", U.UNIVERSAL_STRING)
BERcodec_BMP_STRING = _string_codec("BERcodec_BMP_STRING", U.BMP_STRING)


class BERcodec_OID(BERcodec_Object):
    """OBJECT IDENTIFIER: the first two arcs in one number (40 x + y), then base 128."""

    tag = U.OID

    @classmethod
    def enc(cls, _oid: Any, size_len: int | None = 0) -> bytes:
        """The OID's bytes."""
        text = _as_bytes(_oid).decode("ascii").strip(".")
        arcs = [int(x) for x in text.split(".")] if text else []
        if len(arcs) >= 2:
            arcs[1] += 40 * arcs[0]
            del arcs[0]
        body = b"".join(BER_num_enc(k) for k in arcs)
        return bytes((int(cls.tag),)) + BER_len_enc(len(body), size=size_len or 0) + body

    @classmethod
    def do_dec(cls, s: bytes, context: Any = None, safe: bool = False,
               _depth: int = 0) -> tuple[ASN1_Object, bytes]:
        """The OID at the start of ``s``."""
        _l, body, rest = cls.check_type_check_len(s)
        arcs = []
        while body:
            n, body = BER_num_dec(body)
            arcs.append(n)
        if arcs:
            arcs.insert(0, arcs[0] // 40)
            arcs[1] %= 40
        return cls.asn1_object(".".join(str(k) for k in arcs)), rest


class BERcodec_SEQUENCE(BERcodec_Object):
    """SEQUENCE: its values one after the other."""

    tag = U.SEQUENCE

    @classmethod
    def enc(cls, _ll: Any, size_len: int | None = 0) -> bytes:
        """The SEQUENCE's bytes (``_ll``: encoded bytes or a list of values)."""
        body = _ll if isinstance(_ll, bytes) else b"".join(x.enc(cls.codec) for x in _ll)
        return bytes((int(cls.tag),)) + BER_len_enc(len(body), size=size_len or 0) + body

    @classmethod
    def do_dec(cls, s: bytes, context: Any = None, safe: bool = False,
               _depth: int = 0) -> tuple[ASN1_Object, bytes]:
        """The SEQUENCE at the start of ``s`` and its values."""
        if _depth > MAX_BER_DEPTH:
            raise BER_Exception("Reached maximum BER recursion limit")
        ctx = context if context is not None else cls.tag.context
        ll, st = cls.check_type_get_len(s)
        body, rest = st[:ll], st[ll:]
        objs: list[ASN1_Object] = []
        while body:
            try:
                o, body = BERcodec_Object.dec(body, ctx, safe, _depth + 1)
            except BER_Decoding_Error as err:
                err.remaining += rest
                if err.decoded is not None:
                    objs.append(err.decoded)
                err.decoded = objs
                raise
            objs.append(o)
        if len(st) < ll:
            raise BER_Decoding_Error("Not enough bytes to decode sequence", decoded=objs)
        return cls.asn1_object(objs), rest


class BERcodec_SET(BERcodec_SEQUENCE):
    """SET."""

    tag = U.SET


class BERcodec_IPADDRESS(BERcodec_STRING):
    """IpAddress (SNMP): four bytes, held as dotted text."""

    tag = U.IPADDRESS

    @classmethod
    def enc(cls, ipaddr_ascii: Any, size_len: int | None = 0) -> bytes:
        """The address's bytes."""
        try:
            parts = _as_bytes(ipaddr_ascii).decode("ascii").split(".")
            if len(parts) != 4:
                raise ValueError
            body = bytes(int(p) for p in parts)
        except (ValueError, UnicodeDecodeError, TypeError):
            raise BER_Encoding_Error("IPv4 address could not be encoded") from None
        return bytes((int(cls.tag),)) + BER_len_enc(4, size=size_len or 0) + body

    @classmethod
    def do_dec(cls, s: bytes, context: Any = None, safe: bool = False,
               _depth: int = 0) -> tuple[ASN1_Object, bytes]:
        """The address at the start of ``s`` (exactly four bytes)."""
        _l, body, rest = cls.check_type_check_len(s)
        if len(body) != 4:
            raise BER_Decoding_Error("IP address could not be decoded", remaining=body)
        return cls.asn1_object(".".join(str(b) for b in body)), rest

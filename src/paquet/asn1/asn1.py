"""ASN.1 tags and values, with Scapy's names: ``ASN1_Class_UNIVERSAL`` and the ``ASN1_*`` objects.

A tag is an :class:`ASN1Tag` (an int with a name, its class of tags, the value class and the
codecs registered for it). A value is an :class:`ASN1_Object` holding ``val``; it compares
with plain values as Scapy's do (``ASN1_INTEGER(5) == 5``), and ``bytes()`` encodes it in BER.

>>> ASN1_INTEGER(5), ASN1_Class_UNIVERSAL.INTEGER
(0x5 <ASN1_INTEGER[5]>, <ASN1Tag INTEGER[2]>)
>>> bytes(ASN1_STRING(b"public"))
b'\\x04\\x06public'
>>> ASN1_OID("1.3.6.1.2.1.1.1.0") == "1.3.6.1.2.1.1.1.0"
True
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar, cast

from paquet.errors import PaquetError

__all__ = [
    "ASN1_BADTAG",
    "ASN1_BIT_STRING",
    "ASN1_BMP_STRING",
    "ASN1_BOOLEAN",
    "ASN1_COUNTER32",
    "ASN1_COUNTER64",
    "ASN1_DECODING_ERROR",
    "ASN1_ENUMERATED",
    "ASN1_GAUGE32",
    "ASN1_GENERALIZED_TIME",
    "ASN1_GENERAL_STRING",
    "ASN1_IA5_STRING",
    "ASN1_INTEGER",
    "ASN1_IPADDRESS",
    "ASN1_ISO646_STRING",
    "ASN1_NULL",
    "ASN1_NUMERIC_STRING",
    "ASN1_OID",
    "ASN1_PRINTABLE_STRING",
    "ASN1_SEQUENCE",
    "ASN1_SET",
    "ASN1_STRING",
    "ASN1_T61_STRING",
    "ASN1_TIME_TICKS",
    "ASN1_UNIVERSAL_STRING",
    "ASN1_UTC_TIME",
    "ASN1_UTF8_STRING",
    "ASN1_VIDEOTEX_STRING",
    "ASN1Tag",
    "ASN1_BadTag_Decoding_Error",
    "ASN1_Class",
    "ASN1_Class_UNIVERSAL",
    "ASN1_Codecs",
    "ASN1_Decoding_Error",
    "ASN1_Encoding_Error",
    "ASN1_Error",
    "ASN1_Object",
    "ASN1_force",
]


class ASN1_Error(PaquetError):
    """An ASN.1 value that cannot be encoded or decoded."""


class ASN1_Encoding_Error(ASN1_Error):
    """A value that cannot be encoded."""


class ASN1_Decoding_Error(ASN1_Error):
    """Bytes that do not decode."""


class ASN1_BadTag_Decoding_Error(ASN1_Decoding_Error):
    """Bytes whose tag is not the one expected."""


class ASN1_Codecs:
    """The encoding rules (Scapy's ``ASN1_Codecs``): only BER is implemented."""

    BER = 1
    DER = 2
    PER = 3
    CER = 4
    LWER = 5
    BACnet = 6
    OER = 7
    SER = 8
    XER = 9


class ASN1Tag(int):
    """A tag number with its name, its class of tags (``context``), the value class
    (``_asn1_obj``) and its codecs, as Scapy's ``ASN1Tag``.

    >>> ASN1_Class_UNIVERSAL.SEQUENCE == 0x30, str(ASN1_Class_UNIVERSAL.SEQUENCE)
    (True, 'SEQUENCE')
    """

    #: The codec of a tag that has none of its own (BER's generic one, set by paquet.asn1.ber).
    generic_codec: ClassVar[Any] = None
    _name: str
    context: type[ASN1_Class]
    _asn1_obj: type[ASN1_Object] | None
    _codec: dict[int, Any]

    def __new__(cls, name: str, value: int, context: Any = None) -> ASN1Tag:
        self = super().__new__(cls, value)
        self._name = name
        self.context = context
        self._asn1_obj = None
        self._codec = {}
        return self

    def __repr__(self) -> str:
        return f"<ASN1Tag {self._name}[{int(self)}]>"

    def __str__(self) -> str:
        return self._name

    def __hash__(self) -> int:
        return int.__hash__(self)

    def clone(self) -> ASN1Tag:
        """A copy of this tag sharing its codecs (Scapy's ``clone``)."""
        t = ASN1Tag(self._name, int(self), self.context)
        t._asn1_obj = self._asn1_obj
        t._codec = self._codec
        return t

    def register_asn1_object(self, asn1obj: type[ASN1_Object]) -> None:
        """Make ``asn1obj`` the class of this tag's values."""
        self._asn1_obj = asn1obj

    def asn1_object(self, val: Any) -> ASN1_Object:
        """``val`` as a value of this tag."""
        if self._asn1_obj is None:
            raise ASN1_Error(f"{self!r} does not have any assigned ASN1 object")
        return self._asn1_obj(val)

    def register(self, codecnum: int, codec: Any) -> None:
        """Register ``codec`` for this tag under the codec number ``codecnum``."""
        self._codec[codecnum] = codec

    def get_codec(self, codec: int) -> Any:
        """The codec of this tag for ``codec`` (BER), or the generic one."""
        found = self._codec.get(codec)
        return ASN1Tag.generic_codec if found is None else found


class _ClassMeta(type):
    """Turns the int attributes of an ``ASN1_Class`` into tags and indexes them by value."""

    def __new__(mcs, name: str, bases: tuple[type, ...], dct: dict[str, Any]) -> _ClassMeta:
        by_value: dict[int, ASN1Tag] = {}
        for base in reversed(bases):
            by_value.update(getattr(base, "_by_value", {}))
        cls = super().__new__(mcs, name, bases, dct)
        for base in reversed(bases):
            for key, tag in getattr(base, "_by_name", {}).items():
                t = tag.clone()
                t.context = cls
                setattr(cls, key, t)
                by_value[int(t)] = t
        for key, value in dct.items():
            if isinstance(value, int) and not key.startswith("_"):
                t = ASN1Tag(key, value, cls)
                if isinstance(value, ASN1Tag):
                    t._asn1_obj = value._asn1_obj
                    t._codec = value._codec
                setattr(cls, key, t)
                by_value[value] = t
        cls._by_value = by_value  # type: ignore[attr-defined]
        cls._by_name = {t._name: t for t in by_value.values()}  # type: ignore[attr-defined]
        return cls

    def __contains__(cls, value: object) -> bool:
        return value in cls._by_value  # type: ignore[attr-defined]

    def __getitem__(cls, value: int) -> ASN1Tag:
        return cls._by_value[value]  # type: ignore[attr-defined, no-any-return]


def _t(value: int) -> ASN1Tag:
    """A tag number in a class body (the class turns it into an :class:`ASN1Tag`)."""
    return cast(ASN1Tag, value)


class ASN1_Class(metaclass=_ClassMeta):
    """A class of tags (Scapy's ``ASN1_Class``): subclasses list their tags as ints."""

    name = "ASN1_Class"


class ASN1_Class_UNIVERSAL(ASN1_Class):
    """The universal tags, with SNMP's application tags (as in Scapy)."""

    name = "UNIVERSAL"
    ERROR = _t(-3)
    RAW = _t(-2)
    NONE = _t(-1)
    ANY = _t(0)
    BOOLEAN = _t(1)
    INTEGER = _t(2)
    BIT_STRING = _t(3)
    STRING = _t(4)
    NULL = _t(5)
    OID = _t(6)
    OBJECT_DESCRIPTOR = _t(7)
    EXTERNAL = _t(8)
    REAL = _t(9)
    ENUMERATED = _t(10)
    EMBEDDED_PDF = _t(11)
    UTF8_STRING = _t(12)
    RELATIVE_OID = _t(13)
    SEQUENCE = _t(0x30)
    SET = _t(0x31)
    NUMERIC_STRING = _t(18)
    PRINTABLE_STRING = _t(19)
    T61_STRING = _t(20)
    VIDEOTEX_STRING = _t(21)
    IA5_STRING = _t(22)
    UTC_TIME = _t(23)
    GENERALIZED_TIME = _t(24)
    GRAPHIC_STRING = _t(25)
    ISO646_STRING = _t(26)
    GENERAL_STRING = _t(27)
    UNIVERSAL_STRING = _t(28)
    CHAR_STRING = _t(29)
    BMP_STRING = _t(30)
    IPADDRESS = _t(0x40)
    COUNTER32 = _t(0x41)
    COUNTER64 = _t(0x46)
    GAUGE32 = _t(0x42)
    TIME_TICKS = _t(0x43)


U = ASN1_Class_UNIVERSAL


def _codec() -> int:
    return ASN1_Codecs.BER


class ASN1_Object:
    """An ASN.1 value (``val``) of the class's ``tag``; compares as its value."""

    tag: ClassVar[ASN1Tag] = U.ANY

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "tag" in cls.__dict__:
            cls.tag.register_asn1_object(cls)

    def __init__(self, val: Any) -> None:
        self.val = val

    def enc(self, codec: int = 1) -> bytes:
        """The value encoded with ``codec`` (BER)."""
        return self.tag.get_codec(codec).enc(self.val)  # type: ignore[no-any-return]

    def _name(self) -> str:
        return self.__dict__.get("name", type(self).__name__)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"<{self._name()}[{self.val!r}]>"

    def __str__(self) -> str:
        return self.enc(_codec()).decode("latin-1")

    def __bytes__(self) -> bytes:
        return self.enc(_codec())

    def strshow(self, lvl: int = 0) -> str:
        """The value as text, indented by ``lvl``."""
        return "  " * lvl + repr(self) + "\n"

    def show(self, lvl: int = 0) -> None:
        """Print :meth:`strshow`."""
        print(self.strshow(lvl))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ASN1_Object):
            other = other.val
        return bool(self.val == other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __lt__(self, other: Any) -> bool:
        return bool(self.val < (other.val if isinstance(other, ASN1_Object) else other))

    def __le__(self, other: Any) -> bool:
        return bool(self.val <= (other.val if isinstance(other, ASN1_Object) else other))

    def __gt__(self, other: Any) -> bool:
        return bool(self.val > (other.val if isinstance(other, ASN1_Object) else other))

    def __ge__(self, other: Any) -> bool:
        return bool(self.val >= (other.val if isinstance(other, ASN1_Object) else other))

    def __hash__(self) -> int:
        try:
            return hash(self.val)
        except TypeError:
            return id(self)

    def copy(self) -> ASN1_Object:
        """A shallow copy."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        return new

    def to_json(self) -> Any:
        """The value as JSON-ready data: a number or a text as it is, bytes in hex, a
        sequence as a list."""
        v = self.val
        if isinstance(v, bytes | bytearray):
            return bytes(v).hex()
        if isinstance(v, list):
            return [x.to_json() if isinstance(x, ASN1_Object) else x for x in v]
        if isinstance(v, ASN1_Object):
            return v.to_json()
        if v is None or isinstance(v, int | str | float):
            return v
        return repr(v)

    def command(self, json: bool = False) -> Any:
        """The expression that makes this value again (Scapy's ``command``)."""
        if json:
            val = (self.val.decode("utf-8", errors="backslashreplace")
                   if isinstance(self.val, bytes) else repr(self.val))
            return {"type": type(self).__name__, "value": val}
        return f"{type(self).__name__}({self.val!r})"


U.ANY.register_asn1_object(ASN1_Object)


class ASN1_DECODING_ERROR(ASN1_Object):
    """Bytes that did not decode, kept with the reason (``exc``)."""

    tag = U.ERROR

    def __init__(self, val: Any, exc: Exception | None = None) -> None:
        super().__init__(val)
        self.exc = exc

    def __repr__(self) -> str:
        reason = self.exc.args[0] if self.exc is not None and self.exc.args else ""
        return f"<{self._name()}[{self.val!r}]{{{{{reason!r}}}}}>"

    def enc(self, codec: int = 1) -> bytes:
        """The bytes kept."""
        return self.val.enc(codec) if isinstance(self.val, ASN1_Object) else bytes(self.val)


class ASN1_force(ASN1_Object):
    """Bytes (or a value) written as they are, whatever the field's type."""

    tag = U.RAW

    def enc(self, codec: int = 1) -> bytes:
        """The bytes kept."""
        return self.val.enc(codec) if isinstance(self.val, ASN1_Object) else bytes(self.val)


class ASN1_BADTAG(ASN1_force):
    """A value found under an unexpected tag."""


def _short(text: str, cut: int, head: int, tail: int) -> str:
    return text if len(text) <= cut else text[:head] + "..." + text[-tail:]


class ASN1_INTEGER(ASN1_Object):
    """An INTEGER, shown in hex then decimal as Scapy's: ``0x5 <ASN1_INTEGER[5]>``."""

    tag = U.INTEGER

    def __repr__(self) -> str:
        try:
            v = int(self.val)
        except (TypeError, ValueError):
            return super().__repr__()
        h = _short(hex(v), 22, 12, 10)
        # (huge values: Python refuses their decimal text; cut it from the hex digits then)
        r = repr(self.val) if not isinstance(self.val, int) else repr(v) if v.bit_length(
        ) < 13000 else h
        return f"{h} <{self._name()}[{_short(r, 20, 10, 10)}]>"


class ASN1_BOOLEAN(ASN1_INTEGER):
    """A BOOLEAN (0 is False, anything else True)."""

    tag = U.BOOLEAN

    def __repr__(self) -> str:
        return f"{self.val != 0} {ASN1_Object.__repr__(self)}"


class ASN1_BIT_STRING(ASN1_Object):
    """A BIT STRING, held as a text of 0s and 1s (``val``), with its bytes zero-padded
    (``val_readable``) and ``unused_bits``; ``readable=True`` takes the bytes.

    >>> ASN1_BIT_STRING("101")
    <ASN1_BIT_STRING[101]=b'\\xa0' (5 unused bits)>
    """

    tag = U.BIT_STRING
    unused_bits = 0
    val_readable = b""

    def __init__(self, val: Any, readable: bool = False) -> None:
        if readable:
            self.val_readable = val
        else:
            self.val = val

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "val_readable":
            raw = value.encode("latin-1") if isinstance(value, str) else bytes(value)
            object.__setattr__(self, "val", "".join(f"{b:08b}" for b in raw))
            object.__setattr__(self, "val_readable", raw)
            object.__setattr__(self, "unused_bits", 0)
        elif name == "val":
            bits = value.decode("latin-1") if isinstance(value, bytes) else str(value)
            if bits.strip("01"):
                return  # (Scapy warns and keeps the value it had)
            unused = -len(bits) % 8
            padded = bits + "0" * unused
            raw = bytes(int(padded[i:i + 8], 2) for i in range(0, len(padded), 8))
            object.__setattr__(self, "val_readable", raw)
            object.__setattr__(self, "val", bits)
            object.__setattr__(self, "unused_bits", unused)
        elif name != "unused_bits":
            object.__setattr__(self, name, value)

    def set(self, i: int, val: Any) -> None:
        """Set bit ``i`` (from 0) to ``val`` (0 or 1)."""
        v = str(val)
        if v not in ("0", "1"):
            raise ASN1_Error(f"a bit is 0 or 1, not {val!r}")
        bits = self.val + "0" * max(0, i - len(self.val))
        self.val = bits[:i] + v + bits[i + 1:]

    def __repr__(self) -> str:
        s = self.val_readable
        if len(s) > 16:
            s = s[:10] + b"..." + s[-10:]
        v = _short(self.val, 20, 10, 10)
        n = self.unused_bits
        return f"<{self._name()}[{v}]={s!r} ({n} unused bit{'s' if n > 1 else ''})>"


class ASN1_STRING(ASN1_Object):
    """An OCTET STRING."""

    tag = U.STRING


class ASN1_NULL(ASN1_Object):
    """NULL (its ``val`` is 0 or None)."""

    tag = U.NULL


class ASN1_OID(ASN1_Object):
    """An OBJECT IDENTIFIER in dotted form (a known name given is resolved; shown by
    its name when the MIB knows one, else with a leading dot, as Scapy's)."""

    tag = U.OID

    def __init__(self, val: Any) -> None:
        from paquet.asn1.mib import mib

        if isinstance(val, bytes):
            val = val.decode("ascii", "replace")
        val = mib._oid(str(val))
        super().__init__(val)
        self.oidname = mib._oidname(val)

    def __repr__(self) -> str:
        return f"<{self._name()}[{self.oidname!r}]>"


class ASN1_ENUMERATED(ASN1_INTEGER):
    """An ENUMERATED."""

    tag = U.ENUMERATED


class ASN1_UTF8_STRING(ASN1_STRING):
    """A UTF8String."""

    tag = U.UTF8_STRING


class ASN1_NUMERIC_STRING(ASN1_Object):
    """A NumericString."""

    tag = U.NUMERIC_STRING


class ASN1_PRINTABLE_STRING(ASN1_Object):
    """A PrintableString."""

    tag = U.PRINTABLE_STRING


class ASN1_T61_STRING(ASN1_STRING):
    """A T61String (TeletexString)."""

    tag = U.T61_STRING


class ASN1_VIDEOTEX_STRING(ASN1_STRING):
    """A VideotexString."""

    tag = U.VIDEOTEX_STRING


class ASN1_IA5_STRING(ASN1_STRING):
    """An IA5String."""

    tag = U.IA5_STRING


class ASN1_GENERAL_STRING(ASN1_STRING):
    """A GeneralString."""

    tag = U.GENERAL_STRING


_TIME_FORMATS = {10: "%Y%m%d%H", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}


class ASN1_GENERALIZED_TIME(ASN1_Object):
    """A GeneralizedTime (``YYYYMMDDHH[MM[SS[.fff]]]`` then nothing, ``Z`` or ``+-HHMM``),
    with its ``datetime`` and the ``pretty_time`` Scapy shows; setting ``datetime`` sets
    ``val``.

    >>> ASN1_GENERALIZED_TIME("19991231235959Z")
    1999-12-31 23:59:59 UTC <ASN1_GENERALIZED_TIME['19991231235959Z']>
    """

    tag = U.GENERALIZED_TIME
    pretty_time: str | None = None

    def __init__(self, val: Any) -> None:
        if isinstance(val, datetime):
            self.datetime = val
        else:
            self.val = val

    def _parse(self, value: str) -> datetime | None:
        utc = isinstance(self, ASN1_UTC_TIME)
        try:
            if value[-1] == "Z":
                body, ofs = value[:-1], "Z"
            elif value[-5] in "+-":
                body, ofs = value[:-5], value[-5:]
            elif utc:
                return None
            else:
                body, ofs = value, ""
            if utc and len(body) >= 10:
                fmt = "%y" + _TIME_FORMATS[len(body) + 2][2:]
            elif body[-4] == ".":
                fmt = _TIME_FORMATS[len(body) - 4] + ".%f"
            else:
                fmt = _TIME_FORMATS[len(body)]
            dt = datetime.strptime(body, fmt)
            if ofs == "Z":
                return dt.replace(tzinfo=UTC)
            if ofs:
                hm = datetime.strptime(ofs[1:], "%H%M")
                sign = -1 if ofs[0] == "-" else 1
                return dt.replace(tzinfo=timezone(timedelta(hours=sign * hm.hour,
                                                             minutes=sign * hm.minute)))
            return dt
        except (ValueError, KeyError, IndexError, TypeError):
            return None

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if name == "val":
            dt = self._parse(value) if isinstance(value, str) else None
            if dt is None:
                kind = type(self).__name__[5:].lower().replace("_", " ")
                pretty = f"{value} [invalid {kind}]"
            else:
                pretty = dt.strftime("%Y-%m-%d %H:%M:%S")
                if dt.microsecond:
                    pretty += dt.strftime(".%f")[:4]
                if dt.tzinfo == UTC:
                    pretty += " UTC"
                elif dt.tzinfo is not None and dt.utcoffset() is not None:
                    pretty += dt.strftime(" %z")
            object.__setattr__(self, "pretty_time", pretty)
            object.__setattr__(self, "datetime", dt)
            object.__setattr__(self, "val", value)
        elif name == "pretty_time":
            print("Invalid operation: pretty_time rewriting is not supported.")
        elif name == "datetime":
            object.__setattr__(self, "datetime", value)
            if isinstance(value, datetime):
                yfmt = "%y" if isinstance(self, ASN1_UTC_TIME) else "%Y"
                text = value.strftime(yfmt + "%m%d%H%M%S")
                if value.microsecond:
                    text += value.strftime(".%f")[:4]
                text += "Z" if value.tzinfo == UTC else value.strftime("%z")
                object.__setattr__(self, "val", text)
            else:
                object.__setattr__(self, "val", None)
        else:
            object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return f"{self.pretty_time} {super().__repr__()}"


class ASN1_UTC_TIME(ASN1_GENERALIZED_TIME):
    """A UTCTime (``YYMMDDHHMM[SS]`` then ``Z`` or ``+-HHMM``)."""

    tag = U.UTC_TIME


class ASN1_ISO646_STRING(ASN1_STRING):
    """An ISO646String (VisibleString)."""

    tag = U.ISO646_STRING


class ASN1_UNIVERSAL_STRING(ASN1_STRING):
    """A UniversalString."""

    tag = U.UNIVERSAL_STRING


class ASN1_BMP_STRING(ASN1_STRING):
    """A BMPString (UTF-16 big endian)."""

    tag = U.BMP_STRING


class ASN1_SEQUENCE(ASN1_Object):
    """A SEQUENCE: a list of values."""

    tag = U.SEQUENCE

    def strshow(self, lvl: int = 0) -> str:
        """The sequence and its values, one a line."""
        s = "  " * lvl + f"# {type(self).__name__}:\n"
        for o in self.val:
            s += o.strshow(lvl=lvl + 1)
        return s


class ASN1_SET(ASN1_SEQUENCE):
    """A SET."""

    tag = U.SET


class ASN1_IPADDRESS(ASN1_Object):
    """An SNMP IpAddress (application tag 0): dotted text."""

    tag = U.IPADDRESS


class ASN1_COUNTER32(ASN1_INTEGER):
    """An SNMP Counter32."""

    tag = U.COUNTER32


class ASN1_COUNTER64(ASN1_INTEGER):
    """An SNMP Counter64."""

    tag = U.COUNTER64


class ASN1_GAUGE32(ASN1_INTEGER):
    """An SNMP Gauge32."""

    tag = U.GAUGE32


class ASN1_TIME_TICKS(ASN1_INTEGER):
    """An SNMP TimeTicks (hundredths of a second)."""

    tag = U.TIME_TICKS

"""ASN.1 fields (Scapy's ``ASN1F_*``): the rows of an ASN.1 packet's ``ASN1_root``.

An :class:`~paquet.asn1.packet.ASN1_Packet` declares one root field (usually an
``ASN1F_SEQUENCE`` of other fields); its ``fields_desc`` is the root's fields flattened, so
each value is an attribute of the packet. A field's value is what the user gave (``"public"``,
``5``) or, once dissected, an ``ASN1_*`` object; either builds to the same bytes.

>>> from paquet.asn1.packet import ASN1_Packet
>>> class Pair(ASN1_Packet):
...     ASN1_root = ASN1F_SEQUENCE(ASN1F_INTEGER("n", 7), ASN1F_STRING("s", "hi"))
>>> bytes(Pair())
b'0\\x07\\x02\\x01\\x07\\x04\\x02hi'
>>> Pair(b'0\\x07\\x02\\x01\\x09\\x04\\x02ok').n
0x9 <ASN1_INTEGER[9]>
"""

from __future__ import annotations

from typing import Any

from paquet.asn1.asn1 import (
    ASN1_INTEGER,
    ASN1_NULL,
    ASN1_Class,
    ASN1_Class_UNIVERSAL,
    ASN1_Codecs,
    ASN1_Error,
    ASN1_Object,
    ASN1Tag,
)
from paquet.asn1.ber import BER_Decoding_Error, BER_id_dec, BER_tagging_dec, BER_tagging_enc
from paquet.packet.fields import Field

__all__ = [
    "ASN1F_BIT_STRING", "ASN1F_BOOLEAN", "ASN1F_CHOICE", "ASN1F_ENUMERATED",
    "ASN1F_GENERALIZED_TIME", "ASN1F_IA5_STRING", "ASN1F_INTEGER", "ASN1F_IPADDRESS",
    "ASN1F_NULL", "ASN1F_OID", "ASN1F_PRINTABLE_STRING", "ASN1F_SEQUENCE", "ASN1F_SEQUENCE_OF",
    "ASN1F_SET", "ASN1F_SET_OF", "ASN1F_STRING", "ASN1F_TIME_TICKS", "ASN1F_UTC_TIME",
    "ASN1F_UTF8_STRING", "ASN1F_badsequence", "ASN1F_enum_INTEGER", "ASN1F_field",
    "ASN1F_optional",
]

U = ASN1_Class_UNIVERSAL


class ASN1F_badsequence(ASN1_Error):
    """A sequence that ends where a field expected more."""


def _fixed(x: Any) -> Any:
    """A random value drawn (paquet.volatile) as the concrete value it stands for."""
    fix = getattr(x, "_fix", None)
    return fix() if callable(fix) and not isinstance(x, ASN1_Object) else x


def extract_packet(cls: Any, s: bytes, underlayer: Any = None) -> tuple[Any, bytes]:
    """Decode an ASN.1 packet of class ``cls`` at the start of ``s``: (packet, rest).
    Bytes that do not decode raise (the packet at the top turns that into an error)."""
    from paquet.asn1.packet import decode_packet

    return decode_packet(cls, s, underlayer)


class ASN1F_field(Field):
    """A field of one ASN.1 value (of ``ASN1_tag``; ANY: whatever tag the bytes carry),
    optionally tagged ``implicit_tag`` or ``explicit_tag``."""

    ASN1_tag: ASN1Tag = U.ANY
    context: type[ASN1_Class] = U
    fast = False

    def __init__(self, name: str, default: Any, context: Any = None,
                 implicit_tag: int | None = None, explicit_tag: int | None = None,
                 flexible_tag: bool = False, size_len: int | None = None) -> None:
        if default is not None and not isinstance(default, ASN1_NULL):
            default = self.ASN1_tag.asn1_object(default)
        super().__init__(name, default, None)
        if context is not None:
            self.context = context
        if implicit_tag is not None and explicit_tag is not None:
            raise ASN1_Error("field cannot be both implicitly and explicitly tagged")
        self.implicit_tag = None if implicit_tag is None else int(implicit_tag)
        self.explicit_tag = None if explicit_tag is None else int(explicit_tag)
        self.flexible_tag = flexible_tag
        self.size_len = size_len
        self.network_tag = int(implicit_tag or explicit_tag or self.ASN1_tag)

    def i2repr(self, pkt: Any, x: Any) -> str:
        """The value as Scapy shows it (``repr`` of the ASN.1 object)."""
        return repr(x)

    def m2i(self, pkt: Any, s: bytes) -> tuple[Any, bytes]:
        """The value at the start of ``s`` and the rest (a tag mismatch raises, unless the
        field is ``flexible_tag``)."""
        diff, s = BER_tagging_dec(s, hidden_tag=self.ASN1_tag, implicit_tag=self.implicit_tag,
                                  explicit_tag=self.explicit_tag, safe=self.flexible_tag,
                                  _fname=self.name)
        if diff is not None:
            if self.implicit_tag is not None:
                self.implicit_tag = diff
            elif self.explicit_tag is not None:
                self.explicit_tag = diff
        codec = self.ASN1_tag.get_codec(ASN1_Codecs.BER)
        return codec.dec(s, context=self.context, safe=self.flexible_tag)  # type: ignore[no-any-return]

    def i2m(self, pkt: Any, x: Any) -> bytes:
        """The value's bytes (None: none)."""
        x = _fixed(x)
        if x is None:
            return b""
        if isinstance(x, ASN1_Object):
            if self.ASN1_tag in (U.ANY,) or x.tag in (U.RAW, U.ERROR) or self.ASN1_tag == x.tag:
                s = x.enc(ASN1_Codecs.BER)
            else:
                raise ASN1_Error(f"Encoding Error: got {x!r} instead of an {self.ASN1_tag!r} "
                                 f"for field [{self.name}]")
        else:
            s = self.ASN1_tag.get_codec(ASN1_Codecs.BER).enc(x, size_len=self.size_len)
        return BER_tagging_enc(s, implicit_tag=self.implicit_tag, explicit_tag=self.explicit_tag)

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        """Field API: (rest, value)."""
        v, rest = self.m2i(pkt, s)
        return rest, v

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        """Field API: ``s`` and the value's bytes."""
        return s + self.i2m(pkt, val)

    def i2len(self, pkt: Any, x: Any) -> int:
        """The length of the value's bytes."""
        return len(self.i2m(pkt, x))

    def build(self, pkt: Any) -> bytes:
        """The bytes of this field's value in ``pkt``."""
        return self.i2m(pkt, pkt.__dict__.get(self.name))

    def dissect(self, pkt: Any, s: bytes) -> bytes:
        """Read this field's value into ``pkt``; return the rest."""
        v, s = self.m2i(pkt, s)
        self.set_val(pkt, v)
        return s

    def set_val(self, pkt: Any, val: Any) -> None:
        """Store ``val`` as this field's value in ``pkt``."""
        pkt.__dict__[self.name] = val

    def is_empty(self, pkt: Any) -> bool:
        """True when ``pkt`` holds no value for this field."""
        return pkt.__dict__.get(self.name) is None

    def get_fields_list(self) -> list[ASN1F_field]:
        """The fields a packet gets from this one (itself)."""
        return [self]

    def type_name(self) -> str:
        """Scapy's class name."""
        return type(self).__name__

    def i2json(self, value: Any) -> Any:
        """The value as JSON-ready data (``to_dict``): a packet as its layers, an ASN.1
        value as its own (bytes in hex)."""
        from paquet.packet.base import Packet

        if isinstance(value, Packet):
            return value.to_dict()
        if isinstance(value, ASN1_Object):
            return value.to_json()
        return super().i2json(value)

    def randval(self) -> Any:
        """A random 32-bit number (Scapy's)."""
        from paquet.volatile import RandInt

        return RandInt()


class ASN1F_BOOLEAN(ASN1F_field):
    """A BOOLEAN."""

    def randval(self) -> Any:
        """True or False."""
        from paquet.volatile import RandChoice

        return RandChoice(True, False)

    ASN1_tag = U.BOOLEAN


class ASN1F_INTEGER(ASN1F_field):
    """An INTEGER."""

    def randval(self) -> Any:
        """A number of 65 bits, signed (Scapy's)."""
        from paquet.volatile import RandNum

        return RandNum(-2 ** 64, 2 ** 64 - 1)

    ASN1_tag = U.INTEGER


class ASN1F_enum_INTEGER(ASN1F_INTEGER):
    """An INTEGER with names (``enum``: a dict or a list); a name given builds its number."""

    def __init__(self, name: str, default: Any, enum: Any, context: Any = None,
                 implicit_tag: int | None = None, explicit_tag: int | None = None) -> None:
        super().__init__(name, default, context=context, implicit_tag=implicit_tag,
                         explicit_tag=explicit_tag)
        keys = list(range(len(enum))) if isinstance(enum, list) else list(enum)
        self.i2s: dict[Any, Any] = {}
        self.s2i: dict[Any, Any] = {}
        for k in keys:
            self.i2s[k] = enum[k]
            self.s2i[enum[k]] = k
        if any(isinstance(k, str) for k in keys):
            self.i2s, self.s2i = self.s2i, self.i2s

    def i2m(self, pkt: Any, s: Any) -> bytes:
        """A name as its number, then the INTEGER's bytes."""
        if isinstance(s, str):
            if s not in self.s2i:
                raise ASN1_Error(f"{self.name}: unknown name {s!r}")
            s = self.s2i[s]
        return super().i2m(pkt, s)

    def i2repr(self, pkt: Any, x: Any) -> str:
        """``'name' 0x1 <ASN1_INTEGER[1]>`` for a known number."""
        if isinstance(x, ASN1_INTEGER):
            r = self.i2s.get(x.val)
            if r:
                return f"'{r}' {x!r}"
        return repr(x)


class ASN1F_ENUMERATED(ASN1F_enum_INTEGER):
    """An ENUMERATED."""

    ASN1_tag = U.ENUMERATED


class ASN1F_BIT_STRING(ASN1F_field):
    """A BIT STRING (a text of 0s and 1s)."""

    ASN1_tag = U.BIT_STRING


class ASN1F_STRING(ASN1F_field):
    """An OCTET STRING."""

    def randval(self) -> Any:
        """Up to 1,000 bytes (Scapy's)."""
        from paquet.volatile import RandNum, RandString

        return RandString(RandNum(0, 1000))

    ASN1_tag = U.STRING


class ASN1F_NULL(ASN1F_INTEGER):
    """A NULL."""

    ASN1_tag = U.NULL


class ASN1F_OID(ASN1F_field):
    """An OBJECT IDENTIFIER."""

    def randval(self) -> Any:
        """A random OID."""
        from paquet.volatile import RandOID

        return RandOID()

    ASN1_tag = U.OID


class ASN1F_UTF8_STRING(ASN1F_STRING):
    """A UTF8String."""

    ASN1_tag = U.UTF8_STRING


class ASN1F_PRINTABLE_STRING(ASN1F_STRING):
    """A PrintableString."""

    ASN1_tag = U.PRINTABLE_STRING


class ASN1F_IA5_STRING(ASN1F_STRING):
    """An IA5String."""

    ASN1_tag = U.IA5_STRING


class ASN1F_UTC_TIME(ASN1F_STRING):
    """A UTCTime."""

    ASN1_tag = U.UTC_TIME


class ASN1F_GENERALIZED_TIME(ASN1F_STRING):
    """A GeneralizedTime."""

    ASN1_tag = U.GENERALIZED_TIME


class ASN1F_IPADDRESS(ASN1F_STRING):
    """An SNMP IpAddress."""

    def randval(self) -> Any:
        """A random IPv4 address."""
        from paquet.volatile import RandIP

        return RandIP()

    ASN1_tag = U.IPADDRESS


class ASN1F_TIME_TICKS(ASN1F_INTEGER):
    """An SNMP TimeTicks."""

    ASN1_tag = U.TIME_TICKS


class ASN1F_SEQUENCE(ASN1F_field):
    """A SEQUENCE of fields: each is a field of the packet (the sequence itself is not)."""

    ASN1_tag = U.SEQUENCE
    holds_packets = True

    def __init__(self, *seq: Any, **kwargs: Any) -> None:
        super().__init__("dummy_seq_name", None, **kwargs)
        self.default = [f.default for f in seq]
        self.seq = seq
        self.islist = len(seq) > 1

    def __repr__(self) -> str:
        return f"<{type(self).__name__}{self.seq!r}>"

    def is_empty(self, pkt: Any) -> bool:
        """True when every field of the sequence is empty."""
        return all(f.is_empty(pkt) for f in self.seq)

    def get_fields_list(self) -> list[ASN1F_field]:
        """The fields of the sequence, flattened."""
        out: list[ASN1F_field] = []
        for f in self.seq:
            out.extend(f.get_fields_list())
        return out

    def m2i(self, pkt: Any, s: bytes) -> tuple[Any, bytes]:
        """Read the sequence's fields into ``pkt`` (returns ``[]`` and the rest)."""
        diff, s = BER_tagging_dec(s, hidden_tag=self.ASN1_tag, implicit_tag=self.implicit_tag,
                                  explicit_tag=self.explicit_tag, safe=self.flexible_tag,
                                  _fname=getattr(pkt, "name", ""))
        if diff is not None:
            if self.implicit_tag is not None:
                self.implicit_tag = diff
            elif self.explicit_tag is not None:
                self.explicit_tag = diff
        codec = self.ASN1_tag.get_codec(ASN1_Codecs.BER)
        _i, body, remain = codec.check_type_check_len(s)
        if not body:
            for f in self.seq:
                f.set_val(pkt, None)
        else:
            for f in self.seq:
                try:
                    body = f.dissect(pkt, body)
                except ASN1F_badsequence:
                    break
            if body:
                raise BER_Decoding_Error(f"unexpected remainder in {getattr(pkt, 'name', '')}",
                                         remaining=body)
        return [], remain

    def dissect(self, pkt: Any, s: bytes) -> bytes:
        """Read the sequence into ``pkt``; return the rest."""
        return self.m2i(pkt, s)[1]

    def build(self, pkt: Any) -> bytes:
        """The sequence's bytes."""
        return super().i2m(pkt, b"".join(f.build(pkt) for f in self.seq))

    def i2m(self, pkt: Any, x: Any) -> bytes:
        """Encoded content ``x`` wrapped in the sequence's tag."""
        return super().i2m(pkt, x)


class ASN1F_SET(ASN1F_SEQUENCE):
    """A SET of fields."""

    ASN1_tag = U.SET


class ASN1F_SEQUENCE_OF(ASN1F_field):
    """A SEQUENCE OF packets (an ASN1_Packet class) or of values (an ASN1F field)."""

    ASN1_tag = U.SEQUENCE
    islist = True

    def __init__(self, name: str, default: Any, cls: Any, context: Any = None,
                 implicit_tag: int | None = None, explicit_tag: int | None = None) -> None:
        if isinstance(cls, ASN1F_field) or (isinstance(cls, type)
                                            and issubclass(cls, ASN1F_field)):
            self.fld: ASN1F_field | None = cls(name, b"") if isinstance(cls, type) else cls
            self.cls = None
            self.holds_packets = False
        elif hasattr(cls, "ASN1_root") or callable(cls):
            self.fld = None
            self.cls = cls
            self.holds_packets = True
        else:
            raise ValueError("cls should be an ASN1_Packet or ASN1_field")
        super().__init__(name, None, context=context, implicit_tag=implicit_tag,
                         explicit_tag=explicit_tag)
        self.default = default

    def is_empty(self, pkt: Any) -> bool:
        """True when the packet holds no list."""
        return pkt.__dict__.get(self.name) is None

    def _extract(self, s: bytes, pkt: Any) -> tuple[Any, bytes]:
        if self.fld is not None:
            return self.fld.m2i(pkt, s)
        return extract_packet(self.cls, s, pkt)

    def m2i(self, pkt: Any, s: bytes) -> tuple[Any, bytes]:
        """The items of the sequence and the rest."""
        diff, s = BER_tagging_dec(s, hidden_tag=self.ASN1_tag, implicit_tag=self.implicit_tag,
                                  explicit_tag=self.explicit_tag, safe=self.flexible_tag)
        if diff is not None:
            if self.implicit_tag is not None:
                self.implicit_tag = diff
            elif self.explicit_tag is not None:
                self.explicit_tag = diff
        codec = self.ASN1_tag.get_codec(ASN1_Codecs.BER)
        _i, body, remain = codec.check_type_check_len(s)
        items = []
        while body:
            c, rest = self._extract(body, pkt)
            if len(rest) >= len(body):
                raise BER_Decoding_Error(f"no progress in {self.name}", remaining=body)
            body = rest
            if c is not None:
                items.append(c)
        return items, remain

    def build(self, pkt: Any) -> bytes:
        """The sequence's bytes."""
        val = pkt.__dict__.get(self.name)
        if isinstance(val, ASN1_Object) and val.tag == U.RAW:
            s: Any = val
        elif val is None:
            s = b""
        elif self.fld is not None:
            s = b"".join(self.fld.i2m(pkt, v) for v in val)
        else:
            s = b"".join(bytes(v) for v in val)
        return self.i2m(pkt, s)

    def i2repr(self, pkt: Any, x: Any) -> str:
        """The items as Scapy shows them."""
        if self.holds_packets or self.fld is None:
            return repr(x)
        if x is None:
            return "[]"
        return "[" + ", ".join(self.fld.i2repr(pkt, v) for v in x) + "]"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class ASN1F_SET_OF(ASN1F_SEQUENCE_OF):
    """A SET OF."""

    ASN1_tag = U.SET


class ASN1F_optional:
    """An optional field: absent bytes (or bytes of another kind) leave it None, and None
    builds nothing."""

    def __init__(self, field: ASN1F_field) -> None:
        field.flexible_tag = False
        self._field = field

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._field, attr)

    def m2i(self, pkt: Any, s: bytes) -> tuple[Any, bytes]:
        """The value, or None and ``s`` unchanged."""
        try:
            return self._field.m2i(pkt, s)
        except ASN1_Error:
            return None, s

    def dissect(self, pkt: Any, s: bytes) -> bytes:
        """Read the value into ``pkt`` if it is there."""
        try:
            return self._field.dissect(pkt, s)
        except ASN1_Error:
            self._field.set_val(pkt, None)
            return s

    def build(self, pkt: Any) -> bytes:
        """The value's bytes, or nothing when None."""
        if self._field.is_empty(pkt):
            return b""
        return self._field.build(pkt)

    def get_fields_list(self) -> list[ASN1F_field]:
        """The field it wraps."""
        return self._field.get_fields_list()


class ASN1F_CHOICE(ASN1F_field):
    """One of several packet classes (or fields), chosen by the tag the bytes start with."""

    ASN1_tag = U.ANY
    holds_packets = True

    def __init__(self, name: str, default: Any, *args: Any, **kwargs: Any) -> None:
        if "implicit_tag" in kwargs:
            raise ASN1_Error("ASN1F_CHOICE has been called with an implicit_tag")
        super().__init__(name, None, context=kwargs.get("context"),
                         explicit_tag=kwargs.get("explicit_tag"))
        self.default = default
        self.choices: dict[int, Any] = {}
        for p in args:
            if hasattr(p, "ASN1_root"):
                root = p.ASN1_root
                if hasattr(root, "choices"):
                    self.choices.update(root.choices)
                else:
                    self.choices[root.network_tag] = p
            elif hasattr(p, "ASN1_tag"):
                self.choices[int(p.ASN1_tag) if isinstance(p, type) else p.network_tag] = p  # type: ignore[attr-defined]
            else:
                raise ASN1_Error("ASN1F_CHOICE: no tag found for one field")

    def m2i(self, pkt: Any, s: bytes) -> tuple[Any, bytes]:
        """The value of the choice the bytes' tag names, and the rest."""
        if not s:
            raise ASN1_Error("ASN1F_CHOICE: got empty string")
        _d, s = BER_tagging_dec(s, hidden_tag=self.ASN1_tag, explicit_tag=self.explicit_tag)
        tag, _ = BER_id_dec(s)
        choice = self.choices.get(tag)
        if choice is None:
            if not self.flexible_tag:
                raise ASN1_Error(f"ASN1F_CHOICE: unexpected field in '{self.name}' (tag {tag} "
                                 f"not in possible tags {list(self.choices)})")
            choice = ASN1F_field
        if hasattr(choice, "ASN1_root"):
            return extract_packet(choice, s, pkt)
        if isinstance(choice, type):
            return choice(self.name, b"").m2i(pkt, s)  # type: ignore[no-any-return]
        return choice.m2i(pkt, s)  # type: ignore[no-any-return]

    def randval(self) -> Any:
        """None: the default packet counts as set, as in Scapy (whose ``fuzz`` keeps it)."""
        return None

    def i2m(self, pkt: Any, x: Any) -> bytes:
        """The chosen value's bytes."""
        s = b"" if x is None else bytes(x)
        return BER_tagging_enc(s, explicit_tag=self.explicit_tag)

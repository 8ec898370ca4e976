"""``ASN1_Packet``: a layer described by one ASN.1 root field (Scapy's ``scapy.asn1packet``).

The packet's ``fields_desc`` is its ``ASN1_root`` flattened; building encodes the root in BER
and dissecting decodes it. Bytes that do not decode stay raw with the reason in
``pkt.errors`` (``strict=True`` raises), and a dissected packet builds back to exactly the
bytes it came from until one of its values changes.

>>> from paquet.asn1.fields import ASN1F_SEQUENCE, ASN1F_INTEGER
>>> class One(ASN1_Packet):
...     ASN1_root = ASN1F_SEQUENCE(ASN1F_INTEGER("n", 1))
>>> p = One(b"\\x30\\x04\\x02\\x02\\x00\\x05")   # a non-minimal INTEGER, kept as it came
>>> p.n, bytes(p)
(0x5 <ASN1_INTEGER[5]>, b'0\\x04\\x02\\x02\\x00\\x05')
>>> p.n = 6; bytes(p)
b'0\\x03\\x02\\x01\\x06'
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from paquet.asn1.asn1 import ASN1_Codecs, ASN1_Error
from paquet.packet.base import DISSECTED, Malformed, Packet

__all__ = ["ASN1_Packet", "decode_packet"]

#: The instance dict entry of a dissected packet's bytes and its mutable values then.
_RAW = "_asn1raw"


def _snapshot(pkt: Packet) -> dict[str, Any]:
    d = pkt.__dict__
    return {f.name: f.do_copy(d[f.name]) for f in pkt._fields
            if isinstance(d.get(f.name), list | Packet)}


def decode_packet(cls: type[ASN1_Packet], s: bytes, underlayer: Any = None) -> tuple[Any, bytes]:
    """Decode a ``cls`` at the start of ``s``: (the packet, the bytes after it). Raises
    :class:`~paquet.asn1.asn1.ASN1_Error` when the bytes do not decode."""
    pkt = cls.__new__(cls)
    d = pkt.__dict__
    d.update(cls._dinit)
    d["time"] = time.time()
    rest = cls.ASN1_root.dissect(pkt, s)
    d["underlayer"] = underlayer
    d[_RAW] = (s[:len(s) - len(rest)], _snapshot(pkt))
    return pkt, rest


class ASN1_Packet(Packet):
    """A packet made of one ASN.1 root field (``ASN1_root``), in ``ASN1_codec`` (BER)."""

    ASN1_root: ClassVar[Any] = None
    ASN1_codec: ClassVar[int | None] = ASN1_Codecs.BER

    def __init_subclass__(cls, **kwargs: Any) -> None:
        root = cls.__dict__.get("ASN1_root")
        if root is not None:
            cls.fields_desc = tuple(root.get_fields_list())
        super().__init_subclass__(**kwargs)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._fieldmap:
            self.__dict__.pop(_RAW, None)
        super().__setattr__(name, value)

    def _repr_head(self) -> str:
        """As Scapy's ``repr``: the fields whose default is a packet or a list count as set
        (Scapy keeps a copy of such defaults among the fields set)."""
        d = self.__dict__
        ex = d["_explicit"]
        held = [f.name for f in self._fields if isinstance(f.default, Packet | list)
                and isinstance(d[f.name], Packet | list)]
        if ex is DISSECTED or not held:
            return super()._repr_head()
        d["_explicit"] = {**(ex or {}), **dict.fromkeys(held)}
        try:
            return super()._repr_head()
        finally:
            d["_explicit"] = ex

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        """Decode the root from ``data[off:end]``; return where it ends."""
        s = bytes(data[off:end])
        try:
            rest = self.ASN1_root.dissect(self, s)
        except (ASN1_Error, RecursionError) as exc:
            raise Malformed(off, f"{type(self).__name__}: {exc.args[0] if exc.args else exc}"
                            ) from None
        hend = end - len(rest)
        self.__dict__[_RAW] = (s[:hend - off], _snapshot(self))
        self.__dict__["_explicit"] = DISSECTED
        return hend

    def self_build(self) -> bytes:
        """The packet's bytes: those it was dissected from while its values are unchanged,
        else the root encoded."""
        d = self.__dict__
        cached = d.get(_RAW)
        if cached is not None:
            if all(d.get(n) == v for n, v in cached[1].items()):
                return cached[0]  # type: ignore[no-any-return]
            del d[_RAW]
        return self.ASN1_root.build(self)  # type: ignore[no-any-return]

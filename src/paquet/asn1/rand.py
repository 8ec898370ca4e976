"""Scapy's ``RandASN1Object``: a random ASN.1 value of a random universal type (integers, IP
addresses, times, strings of letters and digits, sequences of them), drawn from Python's
``random`` as Scapy draws it, so that one seed gives Scapy's value.

>>> import random
>>> random.seed(1)
>>> isinstance(RandASN1Object()._fix(), ASN1_Object)
True
"""

from __future__ import annotations

import random
from typing import Any

from paquet.asn1.asn1 import (
    ASN1_GENERALIZED_TIME,
    ASN1_INTEGER,
    ASN1_IPADDRESS,
    ASN1_SEQUENCE,
    ASN1_STRING,
    ASN1_UTC_TIME,
    ASN1_Class_UNIVERSAL,
    ASN1_Object,
)
from paquet.volatile.base import RandField

__all__ = ["RandASN1Object"]

_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _universal_objects() -> list[type[ASN1_Object]]:
    """The value class of each universal tag that has one, in tag order."""
    tags = ASN1_Class_UNIVERSAL._by_value.values()  # type: ignore[attr-defined]
    return [t._asn1_obj for t in tags if t._asn1_obj is not None]


class RandASN1Object(RandField):
    """A random ASN.1 value whose type is one of ``objlist`` (default: every universal
    type); ``bytes()`` gives its BER encoding."""

    def __init__(self, objlist: list[type[ASN1_Object]] | None = None) -> None:
        self.objlist = objlist or _universal_objects()
        self.chars = _CHARS

    def _fix(self, n: int = 0) -> ASN1_Object:
        from paquet.volatile import GeneralizedTime, RandIP

        o: Any = random.choice(self.objlist)
        if issubclass(o, ASN1_INTEGER):
            return o(int(random.gauss(0, 1000)))  # type: ignore[no-any-return]
        if issubclass(o, ASN1_IPADDRESS):
            return o(RandIP()._fix())  # type: ignore[no-any-return]
        if issubclass(o, (ASN1_GENERALIZED_TIME, ASN1_UTC_TIME)):
            return o(GeneralizedTime()._fix())  # type: ignore[no-any-return]
        if issubclass(o, ASN1_STRING):
            size = int(random.expovariate(0.05) + 1)
            text = "".join(random.choice(self.chars) for _ in range(size))
            return o(text.encode())  # type: ignore[no-any-return]
        if issubclass(o, ASN1_SEQUENCE) and n < 10:
            count = int(random.expovariate(0.08) + 1)
            return o([type(self)(objlist=self.objlist)._fix(n + 1)  # type: ignore[no-any-return]
                      for _ in range(count)])
        return ASN1_INTEGER(int(random.gauss(0, 1000)))

"""Random values that change each time they are read: Scapy's ``scapy.volatile``.

A *volatile value* stands for a value that is drawn again each time it is used: put one in a
field (``IP(src=RandIP())``) and each ``bytes(pkt)`` draws a new source address, while
``repr`` and ``show()`` print it by its class, ``<RandIP>``, as Scapy does. Numbers
(:class:`RandNum`, :class:`RandByte`, :class:`RandShort`, :class:`RandInt`...), strings
(:class:`RandString`, :class:`RandBin`), addresses (:class:`RandIP`, :class:`RandIP6`,
:class:`RandMAC`, :class:`RandOID`), choices, sequences without repetition
(:class:`RandomEnumeration`, :class:`RandEnum`), counters (:class:`IncrementalValue`),
corrupted copies of bytes (:class:`CorruptedBytes`, :class:`CorruptedBits`), UUIDs
(:class:`RandUUID`), strings matching a regular expression (:class:`RandRegExp`) and singular
values (:class:`RandSingNum`, :class:`RandSingString`) have Scapy's names, arguments and
``command()`` text. :func:`paquet.volatile.fuzzing.fuzz` gives every field of a packet one.

The modules: ``base`` (the base class, and the copy of a packet with its values drawn that the
engine builds), ``numbers``, ``strings`` (and addresses), ``singular``, ``regexp``, ``misc``
(times, counters, expressions, UUIDs, corrupted bytes).

Draws come from Python's :mod:`random` module, in the same order as Scapy's: after
``random.seed(n)`` both libraries give the same values, and the same packets again (see
:func:`seed`). Values that Scapy draws from a generator of their own seeded by the operating
system (:class:`RandEnum` and :class:`RandomEnumeration` without ``seed=``, version 4 of
:class:`RandUUID`) are seeded from :mod:`random` here, so a seed replays them too, and a whole
fuzzing campaign with them: Scapy cannot replay those. (Not Scapy's values from the same seed:
:class:`RandRegExp` and :class:`RandSingString`, whose parser and list are paquet's own.)

>>> import random
>>> from paquet.volatile import RandIP, RandShort
>>> random.seed(7); a = [RandShort()._fix() for _ in range(3)]
>>> random.seed(7); a == [int(RandShort()) for _ in range(3)]
True
>>> repr(RandIP("192.0.2.0/24")), RandIP("192.0.2.0/24").command()
('<RandIP>', "RandIP(iptemplate='192.0.2.0/24')")
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from paquet._lazy import lazy_names

if TYPE_CHECKING:  # the names, for the type checker (loaded on first use at run time)
    from paquet.volatile.base import RandField, RandomEnumeration, VolatileValue
    from paquet.volatile.misc import (
        AutoTime,
        CorruptedBits,
        CorruptedBytes,
        DelayedEval,
        GeneralizedTime,
        IncrementalValue,
        IntAutoTime,
        RandUUID,
        ZuluTime,
        corrupt_bits,
        corrupt_bytes,
    )
    from paquet.volatile.numbers import (
        RandBinFloat,
        RandByte,
        RandChoice,
        RandEnum,
        RandEnumByte,
        RandEnumInt,
        RandEnumKeys,
        RandEnumLong,
        RandEnumSByte,
        RandEnumShort,
        RandEnumSInt,
        RandEnumSLong,
        RandEnumSShort,
        RandFloat,
        RandInt,
        RandLong,
        RandNum,
        RandNumExpo,
        RandNumGamma,
        RandNumGauss,
        RandPool,
        RandSByte,
        RandShort,
        RandSInt,
        RandSLong,
        RandSShort,
    )
    from paquet.volatile.regexp import RandRegExp
    from paquet.volatile.singular import (
        RandSingByte,
        RandSingInt,
        RandSingLong,
        RandSingNum,
        RandSingSByte,
        RandSingShort,
        RandSingSInt,
        RandSingSLong,
        RandSingSShort,
        RandSingString,
        RandSingularity,
    )
    from paquet.volatile.strings import (
        RandBin,
        RandIP,
        RandIP6,
        RandMAC,
        RandOID,
        RandString,
        RandTermString,
    )

# Name -> module that defines it: each is loaded on first use (the TCP layer's random options
# need only ``base``; importing the engine does not load the rest).
_EXPORTS: dict[str, str] = {
    "AutoTime": "paquet.volatile.misc",
    "CorruptedBits": "paquet.volatile.misc",
    "CorruptedBytes": "paquet.volatile.misc",
    "DelayedEval": "paquet.volatile.misc",
    "GeneralizedTime": "paquet.volatile.misc",
    "IncrementalValue": "paquet.volatile.misc",
    "IntAutoTime": "paquet.volatile.misc",
    "RandBin": "paquet.volatile.strings",
    "RandBinFloat": "paquet.volatile.numbers",
    "RandByte": "paquet.volatile.numbers",
    "RandChoice": "paquet.volatile.numbers",
    "RandEnum": "paquet.volatile.numbers",
    "RandEnumByte": "paquet.volatile.numbers",
    "RandEnumInt": "paquet.volatile.numbers",
    "RandEnumKeys": "paquet.volatile.numbers",
    "RandEnumLong": "paquet.volatile.numbers",
    "RandEnumSByte": "paquet.volatile.numbers",
    "RandEnumSInt": "paquet.volatile.numbers",
    "RandEnumSLong": "paquet.volatile.numbers",
    "RandEnumSShort": "paquet.volatile.numbers",
    "RandEnumShort": "paquet.volatile.numbers",
    "RandField": "paquet.volatile.base",
    "RandFloat": "paquet.volatile.numbers",
    "RandIP": "paquet.volatile.strings",
    "RandIP6": "paquet.volatile.strings",
    "RandInt": "paquet.volatile.numbers",
    "RandLong": "paquet.volatile.numbers",
    "RandMAC": "paquet.volatile.strings",
    "RandNum": "paquet.volatile.numbers",
    "RandNumExpo": "paquet.volatile.numbers",
    "RandNumGamma": "paquet.volatile.numbers",
    "RandNumGauss": "paquet.volatile.numbers",
    "RandOID": "paquet.volatile.strings",
    "RandPool": "paquet.volatile.numbers",
    "RandRegExp": "paquet.volatile.regexp",
    "RandSByte": "paquet.volatile.numbers",
    "RandSInt": "paquet.volatile.numbers",
    "RandSLong": "paquet.volatile.numbers",
    "RandSShort": "paquet.volatile.numbers",
    "RandShort": "paquet.volatile.numbers",
    "RandSingByte": "paquet.volatile.singular",
    "RandSingInt": "paquet.volatile.singular",
    "RandSingLong": "paquet.volatile.singular",
    "RandSingNum": "paquet.volatile.singular",
    "RandSingSByte": "paquet.volatile.singular",
    "RandSingSInt": "paquet.volatile.singular",
    "RandSingSLong": "paquet.volatile.singular",
    "RandSingSShort": "paquet.volatile.singular",
    "RandSingShort": "paquet.volatile.singular",
    "RandSingString": "paquet.volatile.singular",
    "RandSingularity": "paquet.volatile.singular",
    "RandString": "paquet.volatile.strings",
    "RandTermString": "paquet.volatile.strings",
    "RandUUID": "paquet.volatile.misc",
    "RandomEnumeration": "paquet.volatile.base",
    "VolatileValue": "paquet.volatile.base",
    "ZuluTime": "paquet.volatile.misc",
    "corrupt_bits": "paquet.volatile.misc",
    "corrupt_bytes": "paquet.volatile.misc",
}

__all__ = [
    "AutoTime",
    "CorruptedBits",
    "CorruptedBytes",
    "DelayedEval",
    "GeneralizedTime",
    "IncrementalValue",
    "IntAutoTime",
    "RandBin",
    "RandBinFloat",
    "RandByte",
    "RandChoice",
    "RandEnum",
    "RandEnumByte",
    "RandEnumInt",
    "RandEnumKeys",
    "RandEnumLong",
    "RandEnumSByte",
    "RandEnumSInt",
    "RandEnumSLong",
    "RandEnumSShort",
    "RandEnumShort",
    "RandField",
    "RandFloat",
    "RandIP",
    "RandIP6",
    "RandInt",
    "RandLong",
    "RandMAC",
    "RandNum",
    "RandNumExpo",
    "RandNumGamma",
    "RandNumGauss",
    "RandOID",
    "RandPool",
    "RandRegExp",
    "RandSByte",
    "RandSInt",
    "RandSLong",
    "RandSShort",
    "RandShort",
    "RandSingByte",
    "RandSingInt",
    "RandSingLong",
    "RandSingNum",
    "RandSingSByte",
    "RandSingSInt",
    "RandSingSLong",
    "RandSingSShort",
    "RandSingShort",
    "RandSingString",
    "RandSingularity",
    "RandString",
    "RandTermString",
    "RandUUID",
    "RandomEnumeration",
    "VolatileValue",
    "ZuluTime",
    "corrupt_bits",
    "corrupt_bytes",
    "random",
    "seed",
]
def seed(n: int | None = None) -> None:
    """Seed the generator every volatile value draws from (Python's :mod:`random`).

    ``seed(n)`` then the same calls give the same values, packets and fuzzed packets:

    >>> from paquet.volatile import RandIP
    >>> seed(2807); a = [RandIP()._fix() for _ in range(3)]
    >>> seed(2807); a == [RandIP()._fix() for _ in range(3)]
    True
    """
    random.seed(n)


__getattr__, __dir__ = lazy_names("paquet.volatile", _EXPORTS, globals())

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
>>> random.seed(7); a = [RandShort()._fix() for _ in range(3)]
>>> random.seed(7); a == [int(RandShort()) for _ in range(3)]
True
>>> repr(RandIP("192.0.2.0/24")), RandIP("192.0.2.0/24").command()
('<RandIP>', "RandIP(iptemplate='192.0.2.0/24')")
"""

from __future__ import annotations

import random

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

    >>> seed(2807); a = [RandIP()._fix() for _ in range(3)]
    >>> seed(2807); a == [RandIP()._fix() for _ in range(3)]
    True
    """
    random.seed(n)


"""``EDecimal``: an exact timestamp that still mixes with floats, as Scapy's.

A nanosecond timestamp of today needs 19 significant digits; a float keeps about 16. Packets
read from a capture finer than the microsecond get an ``EDecimal`` ``time`` (what Scapy gives
for every capture): a :class:`decimal.Decimal` whose arithmetic accepts floats and ints (the
float is taken at its exact binary value) and which compares equal to a float when its nearest
float is that float. Its ``repr`` is Decimal's, as Scapy's.

>>> t = EDecimal("1454163407.666223049")
>>> t == 1454163407.666223049, t + 1, t - EDecimal("1E-9")
(True, Decimal('1454163408.666223049'), Decimal('1454163407.666223048'))
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

__all__ = ["EDecimal"]


class EDecimal(Decimal):
    """A ``Decimal`` whose arithmetic takes floats and whose ``==`` compares with floats."""

    def __add__(self, other: Any, context: Any = None) -> EDecimal:
        return EDecimal(Decimal.__add__(self, Decimal(other)))

    def __radd__(self, other: Any, context: Any = None) -> EDecimal:
        return EDecimal(Decimal.__add__(self, Decimal(other)))

    def __sub__(self, other: Any, context: Any = None) -> EDecimal:
        return EDecimal(Decimal.__sub__(self, Decimal(other)))

    def __rsub__(self, other: Any, context: Any = None) -> EDecimal:
        return EDecimal(Decimal.__rsub__(self, Decimal(other)))

    def __mul__(self, other: Any, context: Any = None) -> EDecimal:
        return EDecimal(Decimal.__mul__(self, Decimal(other)))

    def __rmul__(self, other: Any, context: Any = None) -> EDecimal:
        return EDecimal(Decimal.__mul__(self, Decimal(other)))

    def __truediv__(self, other: Any, context: Any = None) -> EDecimal:
        return EDecimal(Decimal.__truediv__(self, Decimal(other)))

    def __floordiv__(self, other: Any, context: Any = None) -> EDecimal:
        return EDecimal(Decimal.__floordiv__(self, Decimal(other)))

    def __divmod__(self, other: Any, context: Any = None) -> tuple[EDecimal, EDecimal]:
        q, r = Decimal.__divmod__(self, Decimal(other))
        return EDecimal(q), EDecimal(r)

    def __mod__(self, other: Any, context: Any = None) -> EDecimal:
        return EDecimal(Decimal.__mod__(self, Decimal(other)))

    def __rmod__(self, other: Any, context: Any = None) -> EDecimal:
        return EDecimal(Decimal.__rmod__(self, Decimal(other)))

    def __pow__(self, other: Any, modulo: Any = None, context: Any = None) -> EDecimal:
        return EDecimal(Decimal.__pow__(self, Decimal(other), modulo))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Decimal):
            return Decimal.__eq__(self, other)
        try:
            return float(self) == other
        except (TypeError, ValueError):
            return False

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = Decimal.__hash__

    def normalize(self, precision: Any = None) -> EDecimal:
        """This value rounded to ``precision`` significant digits (Scapy's signature)."""
        if not isinstance(precision, int):
            return EDecimal(Decimal.normalize(self, precision))
        with decimal.localcontext() as ctx:
            ctx.prec = precision
            return EDecimal(Decimal.normalize(self, ctx))


def ts_time(ts: int, resol: int) -> float | EDecimal:
    """A timestamp of ``ts`` units of ``1/resol`` s: a float down to the microsecond (exact
    enough), an ``EDecimal`` for finer resolutions, as a float would lose their digits.

    >>> ts_time(1_500_000, 10**6), ts_time(1_000_000_001, 10**9)
    (1.5, Decimal('1.000000001'))
    """
    if resol <= 1_000_000:
        return ts / resol
    return EDecimal(ts) / resol

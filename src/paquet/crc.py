"""Cyclic redundancy checks of any width and polynomial (Scapy's ``CRC``, ``scapy.libs.crc``).

A CRC is a class described by the parameters of Ross Williams' model (``poly``, ``size`` in
bits, ``init_crc``, ``xor``, ``reflect_input``, ``reflect_output``, and bytes fed before and
after the message, ``header``/``trailer``); calling the class on bytes gives the CRC:

>>> CRC_32(b"123456789") == 0xCBF43926
True
>>> ccitt_false = CRC.from_parameters(poly=0x1021, size=16, init_crc=0xFFFF, xor=0,
...                                   reflect_input=False, reflect_output=False,
...                                   do_not_register=True)
>>> hex(ccitt_false(b"123456789"))
'0x29b1'

``CRC.search(data)`` finds the byte ranges of ``data`` whose CRC is written somewhere in
``data`` (either byte order): the way to recognise the checksum of an unknown protocol.
``CRC.create_context()`` computes piece by piece (``init``, ``update``, ``finish``).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any, ClassVar

__all__ = [
    "CRC",
    "CRC_16",
    "CRC_16_CCITT",
    "CRC_32",
    "CRC_32_AUTOSAR",
    "WELL_KNOWN_POLY",
    "CRCParam",
]

#: Generator polynomials in common use, by width (normal form; ``search`` tries each reversed
#: too): CRC-8 (ATM, SAE J1850, Dallas/Maxim), CRC-16 (IBM/ANSI, CCITT, DNP), CRC-32
#: (IEEE 802.3, Castagnoli, Koopman, AUTOSAR).
WELL_KNOWN_POLY: dict[int, list[int]] = {
    8: [0x07, 0x1D, 0x31],
    16: [0x8005, 0x1021, 0x3D65],
    32: [0x04C11DB7, 0x1EDC6F41, 0x741B8CD7, 0xF4ACFB13],
}


def _reflect(value: int, bits: int) -> int:
    """``value``'s lowest ``bits`` bits in the reverse order."""
    return int(f"{value:0{bits}b}"[::-1], 2) if bits else 0


class CRCParam:
    """The parameters of one CRC: ``poly``, ``size``, ``init_crc``, ``xor``, ``reflect_input``,
    ``reflect_output`` (all required), ``header``, ``trailer`` (bytes, default none),
    ``name`` and ``test_vectors`` (``[(message, crc)]``). Equal when the algorithm is."""

    MISC: ClassVar[list[str]] = ["name", "test_vectors"]
    PARAMETERS: ClassVar[list[str]] = ["poly", "size", "init_crc", "xor", "reflect_input",
                                       "reflect_output"]
    OPTIONS: ClassVar[list[str]] = ["header", "trailer"]
    poly: int
    size: int
    init_crc: int
    xor: int
    reflect_input: bool
    reflect_output: bool
    header: bytes
    trailer: bytes
    name: str
    test_vectors: list[tuple[bytes, int]]

    def __init__(self, **args: Any) -> None:
        missing = [n for n in self.PARAMETERS if n not in args]
        if missing:
            raise TypeError(f"CRC parameter {missing[0]!r} is mandatory")
        self.param: dict[str, Any] = {"header": b"", "trailer": b"", "test_vectors": [],
                                      "name": None}
        self.param.update({n: args[n] for n in self.PARAMETERS + self.OPTIONS + self.MISC
                           if n in args})
        self.remain = set(args) - set(self.param)
        if self.param["name"] is None:
            self.param["name"] = f"CRCsig_{self._signature_of(self.param)}"
        vars(self).update(self.param)

    @staticmethod
    def _signature_of(p: dict[str, Any]) -> str:
        flags = (p["reflect_input"] << 3 | p["reflect_output"] << 2 | bool(p["header"]) << 1
                 | bool(p["trailer"]))
        return f"{p['poly']:0{p['size'] // 4}x}_{p['init_crc']:x}_{p['xor']:x}_{flags:x}"

    def signature(self) -> str:
        """A short text naming the algorithm (polynomial, init, xor, flags)."""
        return self._signature_of(self.param)

    def copy(self) -> CRCParam:
        """The same parameters, in a new object."""
        return CRCParam(**self.param)

    def param_repr(self) -> str:
        """The parameters as ``poly=0x..., size=..., ...``."""
        out = []
        for k in self.PARAMETERS:
            v = self.param[k]
            out.append(f"{k}={v}" if k in ("size", "reflect_input", "reflect_output")
                       else f"{k}={v:#x}")
        out += [f"+{k}" for k in self.OPTIONS if self.param[k]]
        return ", ".join(out)

    def __repr__(self) -> str:
        return f"<Param for {self.param['name']} {self.param_repr()}>"

    def _key(self) -> tuple[Any, ...]:
        return tuple(self.param[k] for k in self.PARAMETERS + self.OPTIONS)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CRCParam) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __iter__(self) -> Any:
        return iter([(k, self.param[k]) for k in self.PARAMETERS + self.MISC + self.OPTIONS])


class _CRCMeta(type):
    """Each subclass of :class:`CRC` is an algorithm: its table is computed once, it is
    registered (unless ``do_not_register``), and calling it on bytes gives the CRC."""

    REGISTRY: ClassVar[set[Any]] = set()
    param: CRCParam | None
    table: list[int]
    mask: int
    size: int

    def __new__(mcs, name: str, bases: tuple[type, ...], dct: dict[str, Any]) -> _CRCMeta:
        cls = super().__new__(mcs, name, bases, dct)
        if "name" not in dct:
            cls.name = name  # type: ignore[attr-defined]
        if not bases:  # CRC itself: no algorithm
            cls.param = None
            return cls
        values = {k: getattr(cls, k) for k in CRCParam.PARAMETERS + CRCParam.OPTIONS
                  + CRCParam.MISC if hasattr(cls, k)}
        cls.param = CRCParam(**values)
        cls.mask = (1 << cls.param.size) - 1
        cls.table = mcs._table(cls.param)
        if not dct.get("do_not_register", False):
            mcs.REGISTRY.add(cls)
        return cls

    @staticmethod
    def _table(p: CRCParam) -> list[int]:
        """The CRC of each byte value (shifting right for reflected input, else left)."""
        size, table = p.size, []
        if p.reflect_input:
            poly = _reflect(p.poly, size)
            for byte in range(256):
                crc = byte
                for _ in range(8):
                    crc = (crc >> 1) ^ poly if crc & 1 else crc >> 1
                table.append(crc)
        else:
            top, mask = 1 << (size - 1), (1 << size) - 1
            for byte in range(256):
                crc = byte << (size - 8)
                for _ in range(8):
                    crc = ((crc << 1) ^ p.poly if crc & top else crc << 1) & mask
                table.append(crc)
        return table

    def __call__(cls, msg: bytes) -> int:
        if not isinstance(msg, bytes):
            raise TypeError(f"a CRC is computed on bytes, not {type(msg).__name__}")
        return cls._finish(cls._update(cls._init(), msg))

    def __eq__(cls, other: object) -> bool:
        return isinstance(other, _CRCMeta) and cls.param is not None and cls.param == other.param

    def __hash__(cls) -> int:
        return hash(cls.param) if cls.param is not None else id(cls)

    def __repr__(cls) -> str:
        return f"<{cls.name} {cls.param.param_repr() if cls.param else '-'}>"  # type: ignore[attr-defined]

    def _init(cls) -> int:
        assert cls.param is not None
        return cls._update(cls.param.init_crc, cls.param.header)

    def _update(cls, crc: int, msg: bytes) -> int:
        table = cls.table
        assert cls.param is not None
        if cls.param.reflect_input:
            for byte in msg:
                crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
        else:
            shift, mask = cls.param.size - 8, cls.mask
            for byte in msg:
                crc = ((crc << 8) & mask) ^ table[((crc >> shift) ^ byte) & 0xFF]
        return crc

    def _finish(cls, crc: int) -> int:
        p = cls.param
        assert p is not None
        crc = (cls._update(crc, p.trailer) ^ p.xor) & cls.mask
        return _reflect(crc, p.size) if p.reflect_input != p.reflect_output else crc

    def from_parameters(cls, crc_param: CRCParam | None = None, name: str | None = None,
                        do_not_register: bool = False, **kargs: Any) -> Any:
        """A new CRC class from a :class:`CRCParam` or its parameters as keywords
        (registered, so that ``search`` and ``lookup`` know it, unless ``do_not_register``)."""
        if crc_param is None:
            crc_param = CRCParam(name=name, **kargs)
        attrs = dict(crc_param)
        if name is not None:
            attrs["name"] = name
        attrs["do_not_register"] = do_not_register
        return type(cls)(str(attrs["name"]), (cls,), attrs)

    def create_context(cls) -> Any:
        """An object computing this CRC piece by piece: ``update(bytes)``, ``finish()``."""
        return type.__call__(cls)  # an instance: the metaclass's __call__ computes CRCs

    def test(cls) -> bool:
        """Check (and print) the CRC of each of its test vectors."""
        assert cls.param is not None
        ok = True
        for data, expected in cls.param.test_vectors:
            got = cls(data)
            ok &= got == expected
            verdict = "ok" if got == expected else f"FAILED. Expected {expected:#x}"
            print(f"{cls.name:32}({data.hex()})  = {got:#x}  {verdict}")  # type: ignore[attr-defined]
        return ok

    def autotest(cls) -> bool:
        """Check every registered CRC against its test vectors."""
        passed = sum(c.test() for c in cls.REGISTRY)
        print(f"TOTAL: {passed}/{len(cls.REGISTRY)} CRC test passed")
        return bool(passed == len(cls.REGISTRY))

    def lookup(cls, crc: Any) -> Any:
        """The registered CRC with the parameters of ``crc`` (a CRC class or a CRCParam)."""
        param = crc.param if isinstance(crc, _CRCMeta) else crc
        return next((c for c in cls.REGISTRY if c.param == param), None)

    def find_substring_from_crc(cls, s: bytes, *target_crc: int) -> list[Any]:
        """The ranges ``(i, j)`` (inclusive) of ``s`` whose CRC is one of ``target_crc``."""
        out = []
        for i in range(len(s)):
            ctx = cls.create_context()
            for j in range(i, len(s)):
                ctx.update(s[j:j + 1])
                crc = ctx.finish()
                if crc in target_crc:
                    out.append(((i, j), crc))
        return out

    def find_crc_from_string(cls, s: bytes, *target_crc: int) -> list[Any]:
        """The registered CRCs that give one of ``target_crc`` on ``s``."""
        return [(c(s), c) for c in cls.REGISTRY if c(s) in target_crc]

    def search(cls, s: bytes, min_substring_len: int = 4,
               only_registry: bool = False) -> list[Any]:
        """Every ``((start, end), crc, CRC class)`` such that the CRC of ``s[start:end]`` is
        written somewhere in ``s`` (big or little endian). The CRCs tried: the registered ones,
        or (``only_registry=False``) every variant of :data:`WELL_KNOWN_POLY`."""
        if only_registry:
            algos = set(cls.REGISTRY)
        else:
            algos = set()
            for size, polys in WELL_KNOWN_POLY.items():
                mask = (1 << size) - 1
                for poly, init, xor, r_in, r_out in itertools.product(
                        polys + [_reflect(p, size) for p in polys], (0, mask), (0, mask),
                        (False, True), (False, True)):
                    algos.add(cls.from_parameters(do_not_register=True, poly=poly, size=size,
                                                  init_crc=init, xor=xor, reflect_input=r_in,
                                                  reflect_output=r_out))
        written: dict[int, set[int]] = defaultdict(set)
        for nbytes in {a.param.size // 8 for a in algos}:
            for i in range(len(s) - nbytes + 1):
                chunk = s[i:i + nbytes]
                written[nbytes] |= {int.from_bytes(chunk, "big"), int.from_bytes(chunk, "little")}
        found = []
        for algo in algos:
            targets = written[algo.param.size // 8]
            for i in range(len(s)):
                crc = algo._init()
                for j in range(i, len(s)):
                    crc = algo._update(crc, s[j:j + 1])
                    if j - i + 1 >= min_substring_len:
                        value = algo._finish(crc)
                        if value in targets:
                            found.append(((i, j + 1), value, algo))
        return found


class CRC(metaclass=_CRCMeta):
    """The base of CRC algorithms: subclass it with the parameters as class attributes
    (see :class:`CRCParam`), or use :meth:`from_parameters`. An instance (from
    ``create_context()``) computes piece by piece."""

    name: ClassVar[str]

    def __init__(self) -> None:
        self.init()

    def init(self) -> None:
        """Start again."""
        self.crc = type(self)._init()

    def update(self, msg: bytes) -> None:
        """Feed bytes."""
        self.crc = type(self)._update(self.crc, msg)

    def finish(self) -> int:
        """The CRC of everything fed so far."""
        return int(type(self)._finish(self.crc))

    def __repr__(self) -> str:
        return f"<{self.name} CTX>"


class CRC_16(CRC):
    """CRC-16 (ARC, IBM): the 0x8005 polynomial, reflected."""

    name = "CRC-16"
    size, poly, init_crc, xor = 16, 0x8005, 0, 0
    reflect_input = reflect_output = True
    test_vectors: ClassVar[list[tuple[bytes, int]]] = [(b"123456789", 0xBB3D)]


class CRC_16_CCITT(CRC):
    """CRC-16/KERMIT (CCITT polynomial 0x1021, reflected)."""

    name = "CRC16 CCITT"
    size, poly, init_crc, xor = 16, 0x1021, 0, 0
    reflect_input = reflect_output = True
    test_vectors: ClassVar[list[tuple[bytes, int]]] = [(b"123456789", 0x2189)]


class CRC_32(CRC):
    """CRC-32 (IEEE 802.3, zlib, PNG)."""

    name = "CRC-32"
    size, poly, init_crc, xor = 32, 0x04C11DB7, 0xFFFFFFFF, 0xFFFFFFFF
    reflect_input = reflect_output = True
    test_vectors: ClassVar[list[tuple[bytes, int]]] = [(b"123456789", 0xCBF43926)]


class CRC_32_AUTOSAR(CRC):
    """CRC-32/AUTOSAR (polynomial 0xF4ACFB13, reflected)."""

    name = "CRC32 AUTOSAR"
    size, poly, init_crc, xor = 32, 0xF4ACFB13, 0xFFFFFFFF, 0xFFFFFFFF
    reflect_input = reflect_output = True
    test_vectors: ClassVar[list[tuple[bytes, int]]] = [(b"123456789", 0x1697D06A)]

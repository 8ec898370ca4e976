"""Truncated headers: a layer called on bytes shorter than its header (Scapy's partial header).

:func:`_partial_first` is what dissection does with such a first layer: the fields whose bytes
are there are parsed by the layer's own ``do_dissect`` (on the bytes padded three ways), the
others count as absent, and the bytes are kept so that ``bytes()`` gives them back verbatim
until a field changes (:class:`_PartialBuild`). Only truncated headers come here: the engine
(:mod:`paquet.packet.base`) imports this module when it meets one, as this module imports it.
"""

from __future__ import annotations

from typing import Any

from paquet.packet.base import NOPAYLOAD, Packet, _blank, payload_of

__all__: list[str] = []


def _partial_first(first: Packet, data: bytes) -> None:
    """Keep ``data`` in ``first``, a layer called on bytes that are not a whole header of its
    kind (Scapy's partial header, without its loss of bytes).

    The fields whose bytes are all there are parsed (see :func:`_partial_values`); the others
    keep their defaults and count as absent: ``repr`` leaves them out, ``show()`` prints
    ``<absent>``, ``summary()`` marks the layer ``[truncated]``. ``data`` itself is kept
    (``_partial``) and the layer's ``do_build`` is a :class:`_PartialBuild`: while no field is
    changed and nothing is put on top, building gives ``data`` back verbatim; after an edit it
    builds the header in full and lays it over ``data``: as long as ``data`` (cut there, as a
    capture cut short; the bytes past a shorter header kept), then a payload put on top.
    """
    d = first.__dict__
    found = _partial_values(type(first), data)
    if found is not None:
        values, present = found
        for name in first._names:
            d[name] = values[name] if name in present else first._defaults[name]
    else:
        present = _partial_fixed(first, data)
    d["_explicit"] = dict.fromkeys(present)
    d["_partial"] = (data, _snapshot(first))
    d["do_build"] = _PartialBuild(first)


#: The fills and the padding lengths :func:`_partial_values` tries (the long paddings leave
#: zeros out: 0x5A and 0xA5 still differ in every bit, so a bit read from padding never
#: looks present, as it would from 0xFF and 0x5A alone).
_PARTIAL_FILLS = (0x00, 0xFF, 0x5A, 0xA5)
_PARTIAL_EXTRA = (0, 64, 4096)


def _partial_values(cls: type[Packet], data: bytes) -> tuple[dict[str, Any], list[str]] | None:
    """The fields of a ``cls`` header cut short at ``data``, as the layer's own ``do_dissect``
    reads them, and the names of those its bytes decide; None when padding does not help.

    ``data`` is padded (to the fixed part, and 64 bytes further; 4,096 for a length field
    that points far) with three different fills and dissected each time on a scratch layer:
    a field whose value is the same whatever the padding is made of ``data``'s bytes alone
    (present); the others read padding (absent), a field taking the rest of the bytes too.
    The layer's own code decides the layout (ICMP's fields that depend on the type, IPv6's
    addresses after the fixed part).
    """
    short = max((cls._hdr_len or _default_size(cls)) - len(data), 0)
    runs = []
    fills: set[int] = set()
    for extra in _PARTIAL_EXTRA:
        if extra > 64 and len(fills) >= 2:
            break  # a long padding only for a length field pointing far
        # Zeros make the most items of a padded list of options (Pad1, EOL): not for long.
        for fill in _PARTIAL_FILLS if extra <= 64 else _PARTIAL_FILLS[1:]:
            scratch = _blank(cls)
            padded = data + bytes([fill]) * (short + extra)
            try:
                scratch.do_dissect(padded, 0, len(padded))
            except Exception:  # Malformed, or a layer's own code choking on the padding
                continue
            runs.append(scratch.__dict__)
            fills.add(fill)
    if len(fills) < 2:
        return None  # one fill alone cannot tell data from padding
    first = runs[0]
    # Present: read from the bytes in every run (a conditional field whose condition was
    # false, or the fields after where the bytes ended, were not: Scapy's ``fields``), with
    # the same value whatever the padding.
    present = [n for n in cls._names
               if all(r[n] == first[n] and _read(r, n) for r in runs)]
    return first, present


def _read(d: dict[str, Any], name: str) -> bool:
    """True when the scratch dissection ``d`` read field ``name`` from the bytes."""
    ex = d.get("_explicit")
    return not isinstance(ex, dict) or name in ex


_DEFAULT_SIZES: dict[type[Packet], int] = {}


def _default_size(cls: type[Packet]) -> int:
    """The length of ``cls``'s header built from its defaults (0 when it cannot be built
    alone): a layer of the general path has no fixed length to pad to, and a field read past
    the end of short padding would look the same whatever the padding is made of."""
    size = _DEFAULT_SIZES.get(cls)
    if size is None:
        try:
            size = len(cls().do_build()) if not cls._pktfields else 0
        except Exception:  # a layer that needs context to build
            size = 0
        _DEFAULT_SIZES[cls] = size
    return size


def _partial_fixed(layer: Packet, data: bytes) -> list[str]:
    """The fixed fields of ``layer`` read from ``data`` zero-padded (when its own
    ``do_dissect`` fails whatever the padding); returns those whose bytes are all there."""
    d = layer.__dict__
    d.update(layer._defaults)
    size = layer._hdr_len
    if size:
        try:
            layer._unpack_fixed(d, data.ljust(size, b"\x00"), 0)
        except Exception:  # a generated unpacker on odd bytes: keep the defaults
            d.update(layer._defaults)
    n = len(data)
    present = [name for name, e in zip(layer._fixed_names, layer._fixed_ends, strict=True)
               if e <= n]
    for name in layer._names:
        if name not in present:
            d[name] = layer._defaults[name]
    return present


def _snapshot(layer: Packet) -> dict[str, Any]:
    """The field values of ``layer`` (lists copied), to tell later whether one was changed."""
    d = layer.__dict__
    return {n: list(d[n]) if isinstance(d[n], list) else d[n] for n in layer._names}


class _PartialBuild:
    """The ``do_build`` of a layer dissected from a truncated header (see _partial_first)."""

    __slots__ = ("layer",)

    def __init__(self, layer: Packet) -> None:
        self.layer = layer

    def __call__(self) -> bytes:
        layer = self.layer
        d = layer.__dict__
        data: bytes = d["_partial"][0]
        p = payload_of(layer)
        if p is NOPAYLOAD and _snapshot(layer) == d["_partial"][1]:
            return data
        full = type(layer).do_build(layer)
        pay = b"" if p is NOPAYLOAD else p.do_build()
        hdr = full[: len(full) - len(pay)] if pay and full.endswith(pay) else full
        return hdr[: len(data)] + data[len(hdr) :] + full[len(hdr) :]


def _rebind_partial(new: Packet) -> None:
    """A copy of a truncated layer builds from its own fields."""
    new.__dict__["do_build"] = _PartialBuild(new)

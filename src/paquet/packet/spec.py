"""Explain specs: what a protocol tells ``paquet explain`` about its header, keyed by layer class.

A spec names the header as the RFC does (``name``, ``rfc``), lays its fixed part out bit by
bit (:class:`FieldSpec`: paquet's field name, the RFC's label, the width, the fr/en meanings,
how a value is shown) and may add an ``explainer`` for what a table cannot say (options,
type-dependent bodies, checksums). A layer registers its spec beside its bindings::

    register_spec(Foo, LayerSpec("Foo", "RFC 9999", (FieldSpec("kind", "Kind", 8, "...", "..."),)))

A layer without a spec is still explained, from its field table. This module holds data only:
the explain walker (:mod:`paquet.explainer.core`) reads it, the engine never does.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "FieldSpec",
    "LayerSpec",
    "hex_digits",
    "ipv4_text",
    "ipv6_text",
    "mac_text",
    "named",
    "register_spec",
    "spec_for",
    "unregister_spec",
]


@dataclass(frozen=True)
class FieldSpec:
    """One fixed field of a header diagram: paquet's (Scapy's) ``name``, the RFC's ``label``
    drawn in the box, its width in ``bits``, what it means in French (``fr``) and English
    (``en``), and how a value read from the wire is ``show``n."""

    name: str
    label: str
    bits: int
    fr: str
    en: str
    show: Callable[[int], str] = str


@dataclass(frozen=True)
class LayerSpec:
    """How a layer is explained: its ``name`` and ``rfc`` as titles, the bit layout of its
    fixed header (``fields``), whether variable parts are drawn at their own width
    (``exact``), how many bytes before its dissected start its diagram takes from the header
    below (``lead``: 802.1Q's TPID sits where that header has its EtherType), and an optional
    ``explainer`` called with the explain walker's state instead of reading ``fields`` alone
    (it returns the layer explained and the bytes it takes, or None when the bytes are too
    short for it)."""

    name: str
    rfc: str = ""
    fields: Sequence[FieldSpec] = ()
    exact: bool = False
    explainer: Callable[[Any], Any] | None = None
    lead: int = 0

    @property
    def size(self) -> int:
        """The fixed header's length in bytes (its fields' bits, rounded down)."""
        return sum(f.bits for f in self.fields) // 8


_SPECS: dict[type, LayerSpec] = {}


def register_spec(cls: type, spec: LayerSpec) -> None:
    """Make ``spec`` the explanation of ``cls`` (and of its subclasses without their own)."""
    _SPECS[cls] = spec


def unregister_spec(cls: type) -> LayerSpec | None:
    """Remove the spec registered for ``cls`` itself; the spec it had, or None."""
    return _SPECS.pop(cls, None)


def spec_for(cls: type) -> LayerSpec | None:
    """The spec of ``cls``: its own, else its nearest base class's; None without one."""
    for klass in cls.__mro__:
        spec = _SPECS.get(klass)
        if spec is not None:
            return spec
    return None


# ------------------------------------------------------------------------- how values are shown


def named(table: Mapping[int, str]) -> Callable[[int], str]:
    """``value (name)`` when ``table`` names the value, else the number alone."""

    def show(value: int) -> str:
        name = table.get(value)
        return f"{value} ({name})" if name else str(value)

    return show


def hex_digits(digits: int) -> Callable[[int], str]:
    """``0x`` and ``digits`` hexadecimal digits."""
    return lambda value: f"0x{value:0{digits}x}"


def ipv4_text(value: int) -> str:
    """A 32-bit value as an IPv4 address."""
    return str(ipaddress.IPv4Address(value))


def ipv6_text(value: int) -> str:
    """A 128-bit value as an IPv6 address."""
    return str(ipaddress.IPv6Address(value))


def mac_text(value: int) -> str:
    """A 48-bit value as a MAC address."""
    return ":".join(f"{b:02x}" for b in value.to_bytes(6, "big"))

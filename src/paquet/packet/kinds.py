"""The engine's classes, set once by :mod:`paquet.packet.base` when it is imported, for the
modules that implement their methods.

``base.py`` defines :class:`~paquet.packet.base.Packet` and its kin (``Raw``, ``NoPayload``,
``Padding``, the shared ``NOPAYLOAD``) and imports the modules that implement their methods
(``show.py``, ``scapyapi.py``, ``compile.py``...) to put those in the class bodies. Those
modules cannot import ``base`` back (that is an import cycle): they read the classes here, as
module attributes at call time (``kinds.Packet``), and import nothing of ``base``. ``base.py``
sets each name as soon as the object exists, before any packet is made; mypy sees them with
their real types. This module imports nothing of paquet: it sits at the bottom of the engine.

It also carries the engine's build hook for :mod:`paquet.volatile` (:func:`set_build_hook`),
which knows the engine only through this module.

>>> from paquet.packet import base, kinds
>>> kinds.Packet is base.Packet, kinds.NOPAYLOAD is base.NOPAYLOAD
(True, True)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # (not run: this module imports nothing of the engine)
    from paquet.packet.base import NoPayload as _NoPayload
    from paquet.packet.base import Packet as _Packet
    from paquet.packet.base import Padding as _Padding
    from paquet.packet.base import Raw as _Raw

__all__: list[str] = []

#: The layer class (set by base.py right after its class statement).
Packet: type[_Packet]
#: The empty payload's class, and its one instance at the top of every packet.
NoPayload: type[_NoPayload]
NOPAYLOAD: _NoPayload
#: Bytes with no further structure, and link-layer padding.
Raw: type[_Raw]
Padding: type[_Padding]

#: A copy of a packet with its random values drawn, or None when it holds none: set by
#: :mod:`paquet.volatile` when its first random value is made (None until then).
build_hook: Callable[[_Packet], _Packet | None] | None = None
#: The globals of the engine's module (base.py) once imported: it keeps the hook as its own
#: global ``_volatile_hook``, read on each build.
_engine: dict[str, Any] | None = None


def set_build_hook(hook: Callable[[_Packet], _Packet | None] | None) -> None:
    """Install (or remove, with None) the hook every top-level build asks first.

    >>> from paquet.packet import base, kinds
    >>> before = kinds.build_hook
    >>> kinds.set_build_hook(None); base._volatile_hook is None
    True
    >>> kinds.set_build_hook(before)
    """
    global build_hook
    build_hook = hook
    if _engine is not None:
        _engine["_volatile_hook"] = hook


def set_engine(namespace: dict[str, Any]) -> None:
    """Called by base.py at the end of its import, with its globals: from then on the hook
    is kept in sync there (a hook set before is copied)."""
    global _engine
    _engine = namespace
    namespace["_volatile_hook"] = build_hook

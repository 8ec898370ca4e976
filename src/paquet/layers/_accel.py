"""The quick parsers in C (``paquet.layers._quick``), when they are built and not turned off.

The Python ``quick_dissect`` of each layer is the specification; the C module, built at install
time when a C compiler is there (``setup.py``, optional), does the same about three times
faster. Set ``PAQUET_PURE=1`` in the environment to run the Python parsers only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from types import ModuleType
from typing import Any

_quick: ModuleType | None
try:
    from paquet.layers import _quick
except ImportError:  # not built: no C compiler when installed, or a source tree
    _quick = None

if os.environ.get("PAQUET_PURE"):
    _quick = None

#: True when the C parsers are in use.
ENABLED = _quick is not None

QuickParser = Callable[..., dict[str, Any] | None]


def accelerated(
    kind: str,
    fallback: QuickParser | None,
    qinit: dict[str, Any],
    cache: dict[bytes, str] | None = None,
    text: Callable[[bytes], str] | None = None,
    options: Callable[[bytes], Any] | None = None,
) -> QuickParser | None:
    """The C parser of ``kind`` (``ether``, ``ipv4``, ``ipv6``, ``tcp``, ``udp``) doing what
    ``fallback`` (the layer's Python ``quick_dissect``) does, or ``fallback`` itself when the C
    module is not there.

    ``qinit`` is the class's ``_qinit`` (the dict a dissected layer starts from), ``cache``
    and ``text`` give the text of a packed address (``cache.get(b) or text(b)``: Ethernet,
    IPv4, IPv6), and ``options`` decodes the option bytes of IPv4 and TCP headers. The C
    parser hands any argument it does not handle itself (data that is not ``bytes``, offsets
    out of range) to ``fallback``.
    """
    if _quick is None or fallback is None:
        return fallback
    parser: QuickParser = _quick.parser(kind, fallback, qinit, cache, text, options)
    return parser

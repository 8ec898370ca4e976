"""Type stub of the engine's C accelerators (``_fastcall.c``; see ``base.py``)."""

from collections.abc import Callable
from typing import Any

def install(cls: type) -> None:
    """Calls of ``cls`` skip building an argument tuple and a keyword dict."""

def divider(
    fallback: Callable[[Any, Any], Any],
    packet: type,
    nopayload: Any,
    raw: type,
    raw_init: dict[str, Any],
    memo: dict[Any, Any],
    all: Any,
) -> Callable[[Any, Any], Any]:
    """``Packet.__truediv__`` for temporaries; ``fallback`` (the Python method) otherwise."""

"""Type stub of the C quick parsers (``_quick.c``; see ``_accel.py``)."""

from collections.abc import Callable
from typing import Any

def parser(
    kind: str,
    fallback: Callable[..., dict[str, Any] | None],
    qinit: dict[str, Any],
    cache: dict[bytes, str] | None,
    text: Callable[[bytes], str] | None,
    options: Callable[[bytes], Any] | None,
) -> Callable[..., dict[str, Any] | None]:
    """A quick parser in C doing what ``fallback`` (the layer's quick_dissect) does."""

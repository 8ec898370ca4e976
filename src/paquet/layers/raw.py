"""Raw bytes (``Raw``) and link-layer padding (``Padding``).

Both are defined by the engine (every undissected payload is ``Raw``); this module is where the
protocol files import them from.
"""

from __future__ import annotations

from paquet.packet.base import Padding, Raw

__all__ = ["Padding", "Raw"]

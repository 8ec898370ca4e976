"""Scapy's ``SSLStreamSocket`` (``StreamSocketPeekless``): a stream read without peeking (an
SSL/TLS-wrapped socket cannot peek), its bytes kept until they make a whole ``basecls``
message; the bytes after a message wait for the next ``recv``.

>>> class Chunks:
...     def __init__(self, parts): self.parts = list(parts)
...     def recv(self, x): return self.parts.pop(0) if self.parts else b""
...     def fileno(self): return -1
...     def close(self): pass
>>> from paquet import Raw
>>> s = SSLStreamSocket(Chunks([b"ab", b"cd"]), basecls=Raw)
>>> s.recv().load, s.recv().load
(b'ab', b'cd')
"""

from __future__ import annotations

from typing import Any

from paquet.layers import Padding
from paquet.net.sessions import _strip_padding, streamcls
from paquet.net.sockets import MTU, StreamSocket

__all__ = ["SSLStreamSocket", "StreamSocketPeekless"]


def _incomplete(pkt: Any) -> bool:
    """True when a layer of ``pkt`` was dissected from bytes shorter than its header (where
    Scapy's dissection fails on the missing bytes)."""
    layer = pkt
    while layer:
        if "_partial" in getattr(layer, "__dict__", {}):
            return True
        layer = layer.payload
    return False


class SSLStreamSocket(StreamSocket):
    """A stream (any object with ``recv``, ``fileno`` and ``close``: an ``ssl.SSLSocket``...)
    seen as ``basecls`` messages; ``recv()`` reads until one is whole and returns it, and
    raises EOFError once the stream has ended with no whole message left. The message class's
    ``tcp_reassemble`` is used when it has one, as in Scapy."""

    def __init__(self, sock: Any, basecls: Any = None) -> None:
        from paquet.layers import Raw

        self.sock = sock
        self.basecls = basecls if basecls is not None else Raw
        self._buf = b""
        self._hook = streamcls(self.basecls)
        self.metadata: dict[str, Any] = {}
        self.streamsession: dict[str, Any] = {}

    def recv(self, x: int | None = None, **kwargs: Any) -> Any:
        """The next whole message; EOFError at the end of the stream."""
        size = MTU if x is None else x
        while True:
            try:
                data = self.sock.recv(size)
            except OSError:
                raise EOFError from None
            self._buf += data
            msg = self._hook(self._buf, self.metadata, self.streamsession) if self._buf else None
            if msg is not None and not _incomplete(msg):
                self._buf = _strip_padding(msg) or b""
                self.metadata.clear()
                if msg and not isinstance(msg, Padding):
                    return msg
            if data == b"":
                raise EOFError


#: Scapy's name for the same socket.
StreamSocketPeekless = SSLStreamSocket

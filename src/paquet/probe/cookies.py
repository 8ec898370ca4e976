"""Stateless probe identity: keyed hashes that a reply must carry back to be believed.

A scan keeps no table of the probes it sent. Each probe carries its identity:

- TCP: the sequence number is ``H(secret, src, dst, dport)``; a SYN/ACK must acknowledge
  ``cookie + 1``, a RST answering a SYN must acknowledge ``cookie + 1`` as well, an ICMP error must
  quote ``cookie`` as the probe's sequence number. The source port is ``base + slot``: the slot
  (0..255) names the send window, so a reply also says when its probe left (rate control, RTT).
- UDP: the source port is ``base + slot`` as for TCP, and the IP ID is ``H(secret, dst, dport,
  sport)`` truncated to 16 bits; an ICMP error must quote both (IPv6 has no IP ID: there the
  quoted addresses and ports are checked). A UDP answer has nothing keyed to
  carry back: its ports (our source-port range, the probed port) are what is checked.
- ICMP echo (and timestamp): the identifier is derived from the secret, the sequence number is
  the send window's slot, and the payload starts with an 8-byte ``H(secret, dst, id, seq)``
  that the echo reply must return (a timestamp reply returns 4 of them, as its originate time).

``H`` is BLAKE2b in keyed mode (a PRF, as SipHash is for SYN cookies) with a per-scan random
secret, so an off-path host cannot forge an accepted reply except by guessing 32 bits.

>>> c = Cookies(b"k" * 16)
>>> src, dst = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
>>> seq = c.tcp_seq(src, dst, 80)
>>> c.synack_ok(src, dst, 80, (seq + 1) & 0xFFFFFFFF)
True
>>> c.synack_ok(src, dst, 80, seq)
False
"""

from __future__ import annotations

import os
import struct
from _blake2 import blake2b  # (hashlib's import loads OpenSSL: 3 ms of a scan's start)

__all__ = ["SLOTS", "Cookies"]

SLOTS = 256
"""Number of send windows a source port can name (``base + slot``)."""

_PORT = struct.Struct("!H")
_TWO = struct.Struct("!HH")


class Cookies:
    """Keyed hashes for one scan. ``secret`` defaults to 16 random bytes.

    ``sport_base`` is the first of :data:`SLOTS` consecutive source ports the scan uses; it is
    derived from the secret (so shards sharing a secret share it) within 32768..65279.
    """

    __slots__ = ("_key", "_key4", "echo_id", "secret", "sport_base")

    def __init__(self, secret: bytes | None = None) -> None:
        self.secret = os.urandom(16) if secret is None else bytes(secret)
        self._key = blake2b(key=self.secret, digest_size=8)
        self._key4 = blake2b(key=self.secret, digest_size=4)
        d = blake2b(b"ports", key=self.secret, digest_size=4).digest()
        self.sport_base = 32768 + int.from_bytes(d[:2], "big") % (65536 - 32768 - SLOTS)
        self.echo_id = int.from_bytes(d[2:], "big")

    def _h32(self, data: bytes) -> int:
        h = self._key4.copy()
        h.update(data)
        return int.from_bytes(h.digest(), "big")

    def tcp_hasher(self, src: bytes, dst: bytes) -> blake2b:
        """The keyed hash already fed with ``src`` and ``dst``: ``seq_of(hasher, port)`` is then
        ``tcp_seq(src, dst, port)`` for one hash update instead of three (the scan's hot path)."""
        h = self._key4.copy()
        h.update(src + dst)
        return h

    @staticmethod
    def seq_of(hasher: blake2b, dport: int) -> int:
        """``tcp_seq`` from a :meth:`tcp_hasher` (same value)."""
        h = hasher.copy()
        h.update(_PORT.pack(dport))
        return int.from_bytes(h.digest(), "big")

    # -- TCP -----------------------------------------------------------------------------------

    def tcp_seq(self, src: bytes, dst: bytes, dport: int) -> int:
        """The SYN's sequence number for a probe from ``src`` to ``dst``:``dport``."""
        return self._h32(src + dst + _PORT.pack(dport))

    def synack_ok(self, src: bytes, dst: bytes, dport: int, ack: int) -> bool:
        """Does a SYN/ACK (or RST/ACK) from ``dst``:``dport`` acknowledging ``ack`` answer us?"""
        return ack == (self.tcp_seq(src, dst, dport) + 1) & 0xFFFFFFFF

    def slot_of(self, port: int) -> int:
        """The send-window slot a reply's destination port names, or -1 when not ours."""
        s = port - self.sport_base
        return s if 0 <= s < SLOTS else -1

    # -- UDP -----------------------------------------------------------------------------------

    def udp_ipid(self, dst: bytes, dport: int, sport: int) -> int:
        """The IP ID of a UDP probe (checked in the quote of an ICMP error); never 0, which
        the kernel would replace."""
        return (self._h32(dst + _TWO.pack(dport, sport)) & 0xFFFF) or 1

    # -- ICMP echo -----------------------------------------------------------------------------

    def echo_tag(self, dst: bytes, ident: int, seq: int) -> bytes:
        """The 8 bytes an echo request's payload starts with; the reply must echo them."""
        h = self._key.copy()
        h.update(dst + _TWO.pack(ident, seq))
        return h.digest()

    def echo_ok(self, dst: bytes, ident: int, seq: int, payload: bytes) -> bool:
        """Is ``payload`` (of an echo reply from ``dst``) the one our probe carried?"""
        return ident == self.echo_id and payload[:8] == self.echo_tag(dst, ident, seq)

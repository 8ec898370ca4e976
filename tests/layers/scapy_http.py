"""Scapy's HTTP layer loaded for a test module, its bindings undone afterwards.

paquet binds HTTP to TCP 80 and 8080 at import, as Scapy does once ``load_layer("http")``
ran; a test comparing dissections with Scapy loads it the same way, then puts Scapy back as
it was (other tests compare TCP on those ports with a Scapy that has not loaded HTTP)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def scapy_http_loaded() -> Iterator[Any]:
    """Scapy's ``scapy.layers.http`` with its TCP bindings, only inside the block."""
    from scapy.layers import http
    from scapy.layers.inet import TCP as STCP
    from scapy.packet import bind_bottom_up, bind_layers, split_bottom_up, split_layers

    for port in (80, 8080):
        bind_bottom_up(STCP, http.HTTP, sport=port)
        bind_bottom_up(STCP, http.HTTP, dport=port)
    bind_layers(STCP, http.HTTP, sport=80, dport=80)
    try:
        yield http
    finally:
        for port in (80, 8080):
            split_bottom_up(STCP, http.HTTP, sport=port)
            split_bottom_up(STCP, http.HTTP, dport=port)
        split_layers(STCP, http.HTTP, sport=80, dport=80)

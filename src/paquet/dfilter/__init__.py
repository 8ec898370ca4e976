"""Wireshark's display filters (``tshark -Y``) over paquet's packets: parsed, never evaluated
as Python.

``syntax`` parses a filter into a tree, ``fields`` maps Wireshark's field names to paquet's
layers, ``evaluate`` checks the tree against that table and runs it on packets.

>>> from paquet.layers.ipv4 import IP
>>> from paquet.layers.udp import UDP
>>> compile_filter('ip.dst == 192.0.2.0/24 && udp.dstport == 53').matches(
...     IP(dst='192.0.2.53') / UDP(dport=53))
True
"""

from __future__ import annotations

from paquet.dfilter.evaluate import DisplayFilter, compile_filter
from paquet.dfilter.fields import FIELDS, FrameInfo

__all__ = ["FIELDS", "DisplayFilter", "FrameInfo", "compile_filter"]

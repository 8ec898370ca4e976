"""Functions the switch-level lab tests run inside nodes (``node.run``): module level."""

from __future__ import annotations


def send_frames(iface: str, frames: list[bytes]) -> int:
    """Send ``frames`` (whole Ethernet frames) on ``iface``; how many were sent."""
    from paquet.layers import Ether
    from paquet.net.sendrecv import sendp

    sendp([Ether(f) for f in frames], iface=iface, verbose=False)
    return len(frames)



"""paquet: craft, send, capture and understand network packets.

Scapy-compatible names (``from paquet import *`` gives ``IP``, ``ICMP``, ``sr1``, ...), loaded
lazily so that ``import paquet`` stays fast: a name's module is imported on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public name -> module that defines it. Each part of the package adds its names here.
_EXPORTS: dict[str, str] = {
    # errors
    "PaquetError": "paquet.errors",
    "AddressError": "paquet.errors",
    "DecodeError": "paquet.errors",
    "NetworkError": "paquet.errors",
    "PrivilegeError": "paquet.errors",
    "CaptureError": "paquet.errors",
    "LabError": "paquet.errors",
    # captures (pcap, pcapng, live sniffing)
    "rdpcap": "paquet.pcap",
    "wrpcap": "paquet.pcap",
    "open_capture": "paquet.pcap",
    "PcapReader": "paquet.pcap",
    "PcapWriter": "paquet.pcap",
    "RawPacket": "paquet.pcap",
    "wrpcapng": "paquet.pcapng",
    "PcapNgReader": "paquet.pcapng",
    "PcapNgWriter": "paquet.pcapng",
    "PacketList": "paquet.plist",
    "sniff": "paquet.net.sniff",
    "AsyncSniffer": "paquet.net.sniff",
    "asniff": "paquet.net.sniff",
    "compile_filter": "paquet.net.bpf",
    # checksums
    "internet_checksum": "paquet.checksum",
    "incremental_update": "paquet.checksum",
    "explain_ipv4_header": "paquet.checksum",
    "verify_ipv4_header": "paquet.checksum",
    "verify_ipv4_packet": "paquet.checksum",
    "verify_packet": "paquet.checksum",
    "ChecksumError": "paquet.checksum",
    # addresses and subnet plans
    "parse_address": "paquet.addr",
    "parse_network": "paquet.addr",
    "subnet_info": "paquet.addr",
    "same_subnet": "paquet.addr",
    "prefix_for_hosts": "paquet.addr",
    "vlsm": "paquet.plan",
    "summarize": "paquet.plan",
    "Lab": "paquet.lab.core",
    # probe engine and tools
    "scan": "paquet.probe.scan",
    "ScanResult": "paquet.probe.scan",
    "discover": "paquet.probe.discover",
    "DiscoverResult": "paquet.probe.discover",
    "ping": "paquet.probe.ping",
    "PingResult": "paquet.probe.ping",
    "trace": "paquet.probe.trace",
    "TraceResult": "paquet.probe.trace",
    # sending and receiving (net)
    "send": "paquet.net.sendrecv",
    "sendp": "paquet.net.sendrecv",
    "sr": "paquet.net.sendrecv",
    "sr1": "paquet.net.sendrecv",
    "srp": "paquet.net.sendrecv",
    "srp1": "paquet.net.sendrecv",
    "srloop": "paquet.net.sendrecv",
    "srploop": "paquet.net.sendrecv",
    "sndrcv": "paquet.net.sendrecv",
    "asr": "paquet.net.sendrecv",
    "asr1": "paquet.net.sendrecv",
    "asrp": "paquet.net.sendrecv",
    "asrp1": "paquet.net.sendrecv",
    "SndRcvList": "paquet.net.sendrecv",
    "QueryAnswer": "paquet.net.sendrecv",
    "conf": "paquet.net.conf",
    "SuperSocket": "paquet.net.sockets",
    "L3RawSocket": "paquet.net.sockets",
    "L3RawSocket6": "paquet.net.sockets",
    "L3PacketSocket": "paquet.net.sockets",
    "L2Socket": "paquet.net.sockets",
    "L2ListenSocket": "paquet.net.sockets",
    "StreamSocket": "paquet.net.sockets",
    "getmacbyip": "paquet.net.neighbour",
    "SystemResolver": "paquet.net.resolver",
    # packet engine and layers (IPv4 family)
    "Packet": "paquet.packet",
    "bind_layers": "paquet.packet",
    "bind_bottom_up": "paquet.packet",
    "bind_top_down": "paquet.packet",
    "split_layers": "paquet.packet",
    "raw": "paquet.packet",
    "hexdump": "paquet.packet",
    "hexstr": "paquet.packet",
    "ls": "paquet.packet",
    "Ether": "paquet.layers",
    "Dot1Q": "paquet.layers",
    "ARP": "paquet.layers",
    "IP": "paquet.layers",
    "IPerror": "paquet.layers",
    "IPOption": "paquet.layers",
    "IPOption_NOP": "paquet.layers",
    "IPOption_EOL": "paquet.layers",
    "IPOption_RR": "paquet.layers",
    "IPOption_LSRR": "paquet.layers",
    "IPOption_SSRR": "paquet.layers",
    "IPOption_Router_Alert": "paquet.layers",
    "ICMP": "paquet.layers",
    "ICMPerror": "paquet.layers",
    "UDP": "paquet.layers",
    "UDPerror": "paquet.layers",
    "TCP": "paquet.layers",
    "TCPerror": "paquet.layers",
    "Raw": "paquet.layers",
    "Padding": "paquet.layers",
    "dissect": "paquet.layers",
    # the course's experiments and the learning aids
    "TCPSession": "paquet.course.handshake",
    "explain": "paquet.explain.core",
    "packet_html": "paquet.explain.html",
    # IPv6, ICMPv6 and the link layers of captures (cooked Linux, BSD loopback)
    "IPv6": "paquet.layers",
    "IPerror6": "paquet.layers",
    "IPv6ExtHdrHopByHop": "paquet.layers",
    "IPv6ExtHdrRouting": "paquet.layers",
    "IPv6ExtHdrFragment": "paquet.layers",
    "IPv6ExtHdrDestOpt": "paquet.layers",
    "Pad1": "paquet.layers",
    "PadN": "paquet.layers",
    "HBHOptUnknown": "paquet.layers",
    "ICMPv6EchoRequest": "paquet.layers",
    "ICMPv6EchoReply": "paquet.layers",
    "ICMPv6DestUnreach": "paquet.layers",
    "ICMPv6PacketTooBig": "paquet.layers",
    "ICMPv6TimeExceeded": "paquet.layers",
    "ICMPv6ParamProblem": "paquet.layers",
    "ICMPv6ND_NS": "paquet.layers",
    "ICMPv6ND_NA": "paquet.layers",
    "ICMPv6ND_RS": "paquet.layers",
    "ICMPv6ND_RA": "paquet.layers",
    "ICMPv6NDOptSrcLLAddr": "paquet.layers",
    "ICMPv6NDOptDstLLAddr": "paquet.layers",
    "ICMPv6NDOptUnknown": "paquet.layers",
    "ICMPv6Unknown": "paquet.layers",
    "CookedLinux": "paquet.layers",
    "CookedLinuxV2": "paquet.layers",
    "SLL2": "paquet.layers",
    "Loopback": "paquet.layers",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import the module that defines ``name`` on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'paquet' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))

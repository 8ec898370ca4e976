"""paquet: craft, send, capture and understand network packets.

Scapy-compatible names (``from paquet import *`` gives ``IP``, ``ICMP``, ``sr1``, ...), loaded
lazily so that ``import paquet`` stays fast: a name's module is imported on first use.

Standard library modules, as Scapy gives them. ``from scapy.all import *`` hands out some fifty
standard modules that Scapy's own files import (it has no ``__all__`` listing them out), and
Scapy scripts and students' code use them without importing them: ``random.randint`` for a
source port, ``time.sleep`` between probes, ``os.getuid()``, ``struct.pack``... A script that
runs with Scapy must run once its import line says ``paquet``, so ``from paquet import *``
gives the everyday ones of that set (:data:`STDLIB_MODULES`): ``os sys time random struct
socket select re math json threading subprocess itertools collections functools copy string
errno hashlib zlib gzip pickle queue tempfile shutil pathlib io logging uuid operator traceback
warnings``, and the few names Scapy gives from them that scripts use unqualified (``datetime``,
``timedelta``, ``defaultdict``, ``deque``, ``namedtuple``, ``Counter``, ``partial``,
``reduce``, ``choice``, ``inet_aton``, ``inet_ntoa``, ``crc32``, ``zip_longest``, ``gmtime``,
``strftime``). The rest of Scapy's set (``abc``, ``argparse``, ``ctypes``, ``ssl``,
``inspect``...) is Scapy's plumbing, not what scripts lean on. Like every public name they are
loaded on first use: ``import paquet`` imports none of them.

>>> import paquet
>>> paquet.random is __import__("random"), "struct" in paquet.__all__
(True, True)
"""

from __future__ import annotations

from paquet._lazy import lazy_names

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
    "VXLAN": "paquet.layers",
    # Scapy's helper functions (scapy.utils, scapy.utils6)
    "atol": "paquet.utils",
    "chexdump": "paquet.utils",
    "in4_chksum": "paquet.utils",
    "in6_chksum": "paquet.utils",
    "itom": "paquet.utils",
    "linehexdump": "paquet.utils",
    "ltoa": "paquet.utils",
    "mac2str": "paquet.utils",
    "str2mac": "paquet.utils",
    "valid_ip": "paquet.utils",
    "valid_ip6": "paquet.utils",
    "import_hexcap": "paquet.utils",
    "in6_getLinkScopedMcastAddr": "paquet.utils6",
    "in6_getnsma": "paquet.utils6",
    "in6_getnsmac": "paquet.utils6",
    "in6_ifaceidtomac": "paquet.utils6",
    "in6_isgladdr": "paquet.utils6",
    "in6_islladdr": "paquet.utils6",
    "in6_ismaddr": "paquet.utils6",
    "in6_issladdr": "paquet.utils6",
    "in6_isuladdr": "paquet.utils6",
    "in6_mactoifaceid": "paquet.utils6",
    # standard library names Scapy's star import gives and scripts use unqualified (see above)
    "datetime": "datetime",
    "timedelta": "datetime",
    "defaultdict": "collections",
    "deque": "collections",
    "namedtuple": "collections",
    "Counter": "collections",
    "partial": "functools",
    "reduce": "functools",
    "choice": "random",
    "inet_aton": "socket",
    "inet_ntoa": "socket",
    "crc32": "zlib",
    "zip_longest": "itertools",
    "gmtime": "time",
    "strftime": "time",
}

#: Standard library modules ``from paquet import *`` gives whole, as ``from scapy.all import *``
#: does (the everyday part of Scapy's set: see the module's docstring).
STDLIB_MODULES: tuple[str, ...] = (
    "os", "sys", "time", "random", "struct", "socket", "select", "re", "math", "json",
    "threading", "subprocess", "itertools", "collections", "functools", "copy", "string",
    "errno", "hashlib", "zlib", "gzip", "pickle", "queue", "tempfile", "shutil", "pathlib",
    "io", "logging", "uuid", "operator", "traceback", "warnings",
)

__all__ = sorted([*_EXPORTS, *STDLIB_MODULES])


__getattr__, __dir__ = lazy_names(
    "paquet", _EXPORTS, globals(), modules={name: name for name in STDLIB_MODULES}
)

"""DHCP options (RFC 2132 and later): the table of option codes, names and value kinds.

Names and kinds are Scapy's (``scapy.layers.dhcp``): :data:`DHCPOptions` maps an option's code
to its name (a ``str``, when the value is kept as bytes) or to the field that reads and writes
one value of it (an option may hold several values of its kind, each one field wide, as
``("name_server", "192.0.2.1", "192.0.2.2")``); :data:`DHCPRevOptions` maps a name to
``(code, field or None)``. :data:`DHCPTypes` names the message types of option 53.

>>> DHCPRevOptions["lease_time"][0], DHCPOptions[53].name, DHCPTypes[5]
(51, 'message-type', 'ack')
"""

from __future__ import annotations

import random
import struct
import warnings
from typing import Any

from paquet.packet.addrfields import IPField, bytes2ip, ip2bytes
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import ByteField, Field, FieldError, IntField, ShortField
from paquet.packet.strfields import StrField
from paquet.packet.structfields import FieldListField
from paquet.volatile.base import RandField

__all__ = [
    "ClasslessFieldListField",
    "ClasslessStaticRoutesField",
    "DHCPOptions",
    "DHCPRevOptions",
    "DHCPTypes",
    "RandClasslessStaticRoutesField",
    "RandDHCPOptions",
]

#: The message types of option 53 (RFC 2132 §9.6, RFC 3203, RFC 4388).
DHCPTypes = {
    1: "discover", 2: "offer", 3: "request", 4: "decline", 5: "ack", 6: "nak", 7: "release",
    8: "inform", 9: "force_renew", 10: "lease_query", 11: "lease_unassigned",
    12: "lease_unknown", 13: "lease_active",
}


class _ByteList(FieldListField):
    """A list of bytes (``param_req_list``): random values are a byte repeated (Scapy's)."""

    __slots__ = ()

    def randval(self) -> Any:
        return _RandByteList()

    def type_name(self) -> str:
        return "_DHCPByteFieldListField"


class _RandByteList(RandField):
    def _fix(self) -> list[int]:
        return [random.randrange(256)] * random.randrange(256)


class RandClasslessStaticRoutesField(RandField):
    """A random classless static route, ``"a.b.c.d/n:r.o.u.t"`` (Scapy's)."""

    def _fix(self) -> str:
        addr = [bytes2ip(random.getrandbits(32).to_bytes(4, "big")) for _ in range(2)]
        return f"{addr[0]}/{random.randint(0, 32)}:{addr[1]}"


class ClasslessStaticRoutesField(Field):
    """One route of option 121 (RFC 3442): the prefix length, the significant bytes of the
    destination, the router; as text ``"192.0.2.0/24:198.51.100.1"``.

    >>> f = ClasslessStaticRoutesField("route", 0)
    >>> f.i2m(None, "192.0.2.0/24:198.51.100.1")
    b'\\x18\\xc0\\x00\\x02\\xc63d\\x01'
    >>> f.getfield(None, b'\\x18\\xc0\\x00\\x02\\xc63d\\x01rest')
    (b'rest', '192.0.2.0/24:198.51.100.1')
    """

    __slots__ = ()
    fast = False

    def __init__(self, name: str, default: Any) -> None:
        super().__init__(name, default, None)

    def m2i(self, pkt: Any, x: bytes) -> str:
        prefix = x[0]
        if prefix > 32:
            raise FieldError(f"{self.name}: a prefix length of at most 32, not {prefix}")
        n = (prefix + 7) // 8
        if len(x) != 5 + n:
            raise FieldError(f"{self.name}: {5 + n} bytes for a /{prefix}, {len(x)} left")
        dest = bytes2ip(x[1 : 1 + n].ljust(4, b"\x00"))
        return f"{dest}/{prefix}:{bytes2ip(x[1 + n :])}"

    def i2m(self, pkt: Any, x: Any) -> bytes:
        if not x:
            return b""
        text = x.decode() if isinstance(x, bytes) else str(x)
        dest, _, rest = text.partition("/")
        plen, _, router = rest.partition(":")
        try:
            prefix = int(plen)
        except ValueError:
            raise FieldError(f"{self.name}: a route as 'dest/len:router', not {text!r}") from None
        if not 0 <= prefix <= 32:
            warnings.warn(f"Invalid prefix value: {prefix} (0x{prefix & 0xFFFFFFFF:x})",
                          stacklevel=2)
            return b""
        return bytes((prefix,)) + ip2bytes(dest)[: (prefix + 7) // 8] + ip2bytes(router)

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, str]:
        size = 5 + (s[0] + 7) // 8
        return s[size:], self.m2i(pkt, s[:size])

    def addfield(self, pkt: Any, s: bytes, val: Any) -> bytes:
        return s + self.i2m(pkt, val)

    def i2len(self, pkt: Any, x: Any) -> int:
        return len(self.i2m(pkt, x))

    def randval(self) -> Any:
        return RandClasslessStaticRoutesField()


class ClasslessFieldListField(FieldListField):
    """The routes of option 121: random values are one route repeated (Scapy's)."""

    __slots__ = ()

    def randval(self) -> Any:
        return _RandRoutes()


class _RandRoutes(RandField):
    def _fix(self) -> list[Any]:
        return [RandClasslessStaticRoutesField()] * random.randint(1, 28)


def _ip(name: str) -> IPField:
    return IPField(name, "0.0.0.0")


#: Option code -> its name (a value kept as bytes) or the field of one of its values.
DHCPOptions: dict[int, str | Field] = {
    0: "pad",
    1: _ip("subnet_mask"),
    2: IntField("time_zone", 500),
    3: _ip("router"),
    4: _ip("time_server"),
    5: _ip("IEN_name_server"),
    6: _ip("name_server"),
    7: _ip("log_server"),
    8: _ip("cookie_server"),
    9: _ip("lpr_server"),
    10: _ip("impress-servers"),
    11: _ip("resource-location-servers"),
    12: "hostname",
    13: ShortField("boot-size", 1000),
    14: "dump_path",
    15: "domain",
    16: _ip("swap-server"),
    17: "root_disk_path",
    18: "extensions-path",
    19: ByteField("ip-forwarding", 0),
    20: ByteField("non-local-source-routing", 0),
    21: _ip("policy-filter"),
    22: ShortField("max_dgram_reass_size", 300),
    23: ByteField("default_ttl", 50),
    24: IntField("pmtu_timeout", 1000),
    25: ShortField("path-mtu-plateau-table", 1000),
    26: ShortField("interface-mtu", 50),
    27: ByteField("all-subnets-local", 0),
    28: _ip("broadcast_address"),
    29: ByteField("perform-mask-discovery", 0),
    30: ByteField("mask-supplier", 0),
    31: ByteField("router-discovery", 0),
    32: _ip("router-solicitation-address"),
    33: _ip("static-routes"),
    34: ByteField("trailer-encapsulation", 0),
    35: IntField("arp_cache_timeout", 1000),
    36: ByteField("ieee802-3-encapsulation", 0),
    37: ByteField("tcp_ttl", 100),
    38: IntField("tcp_keepalive_interval", 1000),
    39: ByteField("tcp_keepalive_garbage", 0),
    40: StrField("NIS_domain", "www.example.com"),
    41: _ip("NIS_server"),
    42: _ip("NTP_server"),
    43: "vendor_specific",
    44: _ip("NetBIOS_server"),
    45: _ip("NetBIOS_dist_server"),
    46: ByteField("NetBIOS_node_type", 100),
    47: "netbios-scope",
    48: _ip("font-servers"),
    49: _ip("x-display-manager"),
    50: _ip("requested_addr"),
    51: IntField("lease_time", 43200),
    52: ByteField("dhcp-option-overload", 100),
    53: ByteEnumField("message-type", 1, DHCPTypes),
    54: _ip("server_id"),
    55: _ByteList("param_req_list", [], ByteField("opcode", 0)),
    56: "error_message",
    57: ShortField("max_dhcp_size", 1500),
    58: IntField("renewal_time", 21600),
    59: IntField("rebinding_time", 37800),
    60: StrField("vendor_class_id", "id"),
    61: StrField("client_id", ""),
    62: "nwip-domain-name",
    64: "NISplus_domain",
    65: _ip("NISplus_server"),
    66: "tftp_server_name",
    67: StrField("boot-file-name", ""),
    68: _ip("mobile-ip-home-agent"),
    69: _ip("SMTP_server"),
    70: _ip("POP3_server"),
    71: _ip("NNTP_server"),
    72: _ip("WWW_server"),
    73: _ip("Finger_server"),
    74: _ip("IRC_server"),
    75: _ip("StreetTalk_server"),
    76: _ip("StreetTalk_Dir_Assistance"),
    77: "user_class",
    78: "slp_service_agent",
    79: "slp_service_scope",
    80: "rapid_commit",
    81: "client_FQDN",
    82: "relay_agent_information",
    85: _ip("nds-server"),
    86: StrField("nds-tree-name", ""),
    87: StrField("nds-context", ""),
    88: "bcms-controller-namesi",
    89: _ip("bcms-controller-address"),
    91: IntField("client-last-transaction-time", 1000),
    92: _ip("associated-ip"),
    93: "pxe_client_architecture",
    94: "pxe_client_network_interface",
    97: "pxe_client_machine_identifier",
    98: StrField("uap-servers", ""),
    100: StrField("pcode", ""),
    101: StrField("tcode", ""),
    108: IntField("ipv6-only-preferred", 0),
    112: _ip("netinfo-server-address"),
    113: StrField("netinfo-server-tag", ""),
    114: StrField("captive-portal", ""),
    116: ByteField("auto-config", 0),
    117: ShortField("name-service-search", 0),
    118: _ip("subnet-selection"),
    121: ClasslessFieldListField("classless_static_routes", [],
                                 ClasslessStaticRoutesField("route", 0)),
    124: "vendor_class",
    125: "vendor_specific_information",
    128: _ip("tftp_server_ip_address"),
    136: _ip("pana-agent"),
    137: "v4-lost",
    138: _ip("capwap-ac-v4"),
    141: "sip_ua_service_domains",
    145: _ByteList("forcerenew_nonce_capable", [],
                   ByteEnumField("algorithm", 1, {1: "HMAC-MD5"})),
    146: "rdnss-selection",
    150: _ip("tftp_server_address"),
    159: "v4-portparams",
    160: StrField("v4-captive-portal", ""),
    161: StrField("mud-url", ""),
    208: "pxelinux_magic",
    209: "pxelinux_configuration_file",
    210: "pxelinux_path_prefix",
    211: "pxelinux_reboot_time",
    212: "option-6rd",
    213: "v4-access-domain",
    255: "end",
}

#: Option name -> ``(code, field or None)``.
DHCPRevOptions: dict[str, tuple[int, Field | None]] = {
    (v if isinstance(v, str) else v.name): (k, None if isinstance(v, str) else v)
    for k, v in DHCPOptions.items()
}


def _randbytes(most: int) -> bytes:
    """From 0 to ``most`` random bytes (their number drawn uniformly)."""
    n = random.randint(0, most)
    return random.getrandbits(8 * n).to_bytes(n, "big") if n else b""


class RandDHCPOptions(RandField):
    """A random list of options (``fuzz(DHCP())``): ``size`` options (default: an
    exponential draw) other than pad and end, each with a random value of its kind."""

    def __init__(self, size: Any = None, rndstr: Any = None) -> None:
        from paquet.volatile.numbers import RandNumExpo

        self.size = RandNumExpo(0.05) if size is None else size
        # (None: RandBin(RandNum(0, 255)), Scapy's, drawn at once rather than byte by byte)
        self.rndstr = rndstr
        self._opts = [o for o in DHCPOptions.values() if o not in ("pad", "end")]

    def _fix(self) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = []
        for _ in range(int(self.size)):
            o = random.choice(self._opts)
            if isinstance(o, str):
                out.append((o, _randbytes(255) if self.rndstr is None else bytes(self.rndstr)))
                continue
            if type(o) is StrField:  # RandBin(RandNum(0, 1200)) cut to 255 bytes, at once
                out.append((o.name, _randbytes(1200)[:255]))
                continue
            r = o.randval()
            value = r._fix() if hasattr(r, "_fix") else r
            if isinstance(value, bytes):
                value = value[:255]
            out.append((o.name, value))
        return out

    def __iter__(self) -> Any:
        return iter(self._fix())


# (A packed option header: code and length.)
OPTION_HEADER = struct.Struct("!BB")

"""DHCP and BOOTP messages built the same way by paquet and by Scapy, for the DHCP tests.

Each case is ``(what, BOOTP's fields, DHCP options or None for plain BOOTP, UDP ports)``.
Addresses come from the documentation ranges.
"""

from __future__ import annotations

from typing import Any

CLIENT_MAC = "02:00:00:00:00:01"
SERVER_MAC = "02:00:00:00:00:fe"
CLIENT_ID = b"\x01\x02\x00\x00\x00\x00\x01"
TO_SERVER = (68, 67)
TO_CLIENT = (67, 68)

REQUEST: dict[str, Any] = {"chaddr": CLIENT_MAC, "xid": 0x3903F326, "flags": "B"}
REPLY: dict[str, Any] = {"op": 2, "chaddr": CLIENT_MAC, "xid": 0x3903F326,
                         "yiaddr": "192.0.2.100", "siaddr": "192.0.2.1"}
SERVER_OPTIONS: list[Any] = [
    ("server_id", "192.0.2.1"), ("lease_time", 3600), ("renewal_time", 1800),
    ("rebinding_time", 3150), ("subnet_mask", "255.255.255.0"),
    ("broadcast_address", "192.0.2.255"), ("router", "192.0.2.1"),
    ("name_server", "192.0.2.1", "192.0.2.2"), ("domain", "lab.example"),
]

CASES: list[tuple[str, dict[str, Any], list[Any] | None, tuple[int, int]]] = [
    ("bootp request, defaults", {}, None, TO_SERVER),
    ("bootp reply", {"op": 2, "yiaddr": "192.0.2.7", "sname": b"srv", "file": b"boot.img"},
     None, TO_CLIENT),
    ("discover", REQUEST, [("message-type", "discover"), ("client_id", CLIENT_ID),
                           ("param_req_list", [1, 3, 6, 15, 28, 42, 121]),
                           ("max_dhcp_size", 1500), ("vendor_class_id", "MSFT 5.0"),
                           ("hostname", "pc1"), "end"], TO_SERVER),
    ("offer", REPLY, [("message-type", "offer"), *SERVER_OPTIONS, "end"], TO_CLIENT),
    ("request", REQUEST, [("message-type", "request"), ("requested_addr", "192.0.2.100"),
                          ("server_id", "192.0.2.1"), ("client_id", CLIENT_ID),
                          ("param_req_list", [1, 3, 6]), "end"], TO_SERVER),
    ("ack", REPLY, [("message-type", 5), *SERVER_OPTIONS, ("NTP_server", "192.0.2.3"),
                    ("classless_static_routes", "198.51.100.0/24:192.0.2.1",
                     "203.0.113.0/26:192.0.2.254", "0.0.0.0/0:192.0.2.1"), "end"], TO_CLIENT),
    ("nak", {"op": 2, "chaddr": CLIENT_MAC, "xid": 7},
     [("message-type", "nak"), ("server_id", "192.0.2.1"),
      ("error_message", "address not available"), "end"], TO_CLIENT),
    ("release", {"chaddr": CLIENT_MAC, "ciaddr": "192.0.2.100", "xid": 9},
     [("message-type", "release"), ("server_id", "192.0.2.1"), ("client_id", CLIENT_ID),
      "end"], TO_SERVER),
    ("decline and inform", REQUEST, [("message-type", "decline"), ("message-type", "inform"),
                                     "end"], TO_SERVER),
    ("relay agent information", {**REQUEST, "giaddr": "198.51.100.1", "hops": 1},
     [("message-type", "discover"),
      ("relay_agent_information", b"\x01\x06eth0/1\x02\x08rid-0001"), "end"], TO_SERVER),
    ("padding after the end", REPLY, [("message-type", "ack"), "end", "pad", "pad", "pad"],
     TO_CLIENT),
    ("pads between options", REQUEST, ["pad", ("message-type", "discover"), "pad", "pad",
                                       ("hostname", b"x"), "end"], TO_SERVER),
    ("many options of every kind", REPLY, [
        ("message-type", "offer"), ("time_zone", 3600), ("time_server", "192.0.2.4"),
        ("log_server", "192.0.2.5", "192.0.2.6"), ("boot-size", 12),
        ("interface-mtu", 1400), ("default_ttl", 64), ("ip-forwarding", 1),
        ("static-routes", "198.51.100.0", "192.0.2.1"), ("NIS_domain", "nis.example"),
        ("NetBIOS_node_type", 8), ("tcp_keepalive_interval", 7200),
        ("dhcp-option-overload", 3), ("rapid_commit", b""),
        ("client_FQDN", b"\x00\x00\x00pc1.lab.example"), ("user_class", b"\x04corp"),
        ("forcerenew_nonce_capable", [1, "HMAC-MD5"]), ("tftp_server_name", "192.0.2.9"),
        ("boot-file-name", "pxelinux.0"), ("captive-portal", "https://portal.example"),
        ("ipv6-only-preferred", 1800), ("subnet-selection", "192.0.2.0"),
        ("vendor_specific", b"\x01\x02ab"), ("pxelinux_magic", b"\xf1\x00\x74\x7e"),
        "end"], TO_CLIENT),
    ("unknown codes kept", REQUEST, [("message-type", "discover"), (224, b"private"),
                                     (250, b""), "end"], TO_SERVER),
    ("an option of 255 bytes", REPLY, [("message-type", "offer"),
                                       ("vendor_specific", b"v" * 255), "end"], TO_CLIENT),
    ("no end option", REQUEST, [("message-type", "discover"), ("hostname", "a")], TO_SERVER),
    ("raw bytes among the options", REQUEST, [("message-type", "discover"),
                                              b"\x0c\x03abc", "end"], TO_SERVER),
    ("chaddr with its own padding", {"chaddr": b"\x02\x00\x00\x00\x00\x01abcdefghij"},
     [("message-type", "discover"), "end"], TO_SERVER),
    ("chaddr not Ethernet", {"htype": 6, "hlen": 8, "chaddr": b"12345678"},
     [("message-type", "discover"), "end"], TO_SERVER),
    ("relayed between servers (67 to 67)", {**REQUEST, "giaddr": "198.51.100.1"},
     [("message-type", "request"), "end"], (67, 67)),
]


def build(lib: Any, bootp: dict[str, Any], options: list[Any] | None,
          ports: tuple[int, int], link: bool = True) -> Any:
    """The message of a case as a frame of ``lib`` (a module with Scapy's names)."""
    src, dst = ("192.0.2.1", "192.0.2.100") if ports[0] == 67 else ("0.0.0.0", "255.255.255.255")
    pkt = lib.IP(src=src, dst=dst) / lib.UDP(sport=ports[0], dport=ports[1]) / lib.BOOTP(**bootp)
    if options is not None:
        pkt = pkt / lib.DHCP(options=options)
    if link:
        pkt = lib.Ether(src=CLIENT_MAC, dst="ff:ff:ff:ff:ff:ff") / pkt
    return pkt

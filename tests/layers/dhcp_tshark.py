"""Compare paquet's dissection of DHCP/BOOTP frames with tshark's (``tshark -T json``), field by
field: the BOOTP header, each option's code, length and value bytes, and the typed values
tshark shows for the common options. Used by the layer tests and by the lab tests (frames of
dnsmasq and dhclient)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.layers.scapy_compare import tshark_layers

from paquet.layers.dhcp import BOOTP, DHCP, DHCPOptionsField
from paquet.packet import Packet

#: paquet's option name -> tshark's field for its value(s), and how tshark writes one value.
TYPED: dict[str, tuple[str, Any]] = {
    "message-type": ("dhcp.option.dhcp", str),
    "requested_addr": ("dhcp.option.requested_ip_address", str),
    "server_id": ("dhcp.option.dhcp_server_id", str),
    "lease_time": ("dhcp.option.ip_address_lease_time", str),
    "renewal_time": ("dhcp.option.renewal_time_value", str),
    "rebinding_time": ("dhcp.option.rebinding_time_value", str),
    "subnet_mask": ("dhcp.option.subnet_mask", str),
    "broadcast_address": ("dhcp.option.broadcast_address", str),
    "router": ("dhcp.option.router", str),
    "name_server": ("dhcp.option.domain_name_server", str),
    "NTP_server": ("dhcp.option.ntp_server", str),
    "domain": ("dhcp.option.domain_name", bytes.decode),
    "hostname": ("dhcp.option.hostname", bytes.decode),
    "vendor_class_id": ("dhcp.option.vendor_class_id", bytes.decode),
    "max_dhcp_size": ("dhcp.option.dhcp_max_message_size", str),
    "param_req_list": ("dhcp.option.request_list_item", str),
}


def tshark_dhcp(frames: list[Packet], tmp: Path) -> list[dict[str, Any]]:
    """tshark's ``dhcp`` tree of each frame (written to ``tmp/frames.pcap``)."""
    return [layers["dhcp"] for layers in tshark_layers(tmp, frames)]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def check_header(b: BOOTP, t: dict[str, Any]) -> None:
    """The BOOTP header read by paquet is tshark's."""
    assert int(t["dhcp.type"]) == b.op
    assert int(t["dhcp.hw.type"], 16) == b.htype
    assert int(t["dhcp.hw.len"]) == b.hlen
    assert int(t["dhcp.hops"]) == b.hops
    assert int(t["dhcp.id"], 16) == b.xid
    assert int(t["dhcp.secs"]) == b.secs
    assert int(t["dhcp.flags"], 16) == int(b.flags)
    for key, name in (("client", "ciaddr"), ("your", "yiaddr"), ("server", "siaddr"),
                      ("relay", "giaddr")):
        assert t[f"dhcp.ip.{key}"] == getattr(b, name), name
    if b.htype == 1 and b.hlen == 6:
        assert t["dhcp.hw.mac_addr"] == b.chaddr[:6].hex(":")
    for key, name in (("server", "sname"), ("file", "file")):
        value = getattr(b, name).split(b"\x00")[0]
        if value.isascii() and value.isalnum():
            assert t[f"dhcp.{key}"] == value.decode(), name


def check_options(d: DHCP, t: dict[str, Any]) -> None:
    """Each option read by paquet is tshark's: code, length, value bytes, typed value."""
    field = DHCPOptionsField("options", b"")
    ours = [o for o in d.options if isinstance(o, tuple)]
    theirs = [e for e in _as_list(t["dhcp.option.type_tree"]) if "dhcp.option.length" in e]
    assert len(ours) == len(theirs)
    # (pads and the end are listed with the code 0: tshark shows them apart)
    codes = [c for c in _as_list(t["dhcp.option.type"]) if c not in ("0", "255")]
    for i, (opt, entry) in enumerate(zip(ours, theirs, strict=True)):
        wire = field.i2m(None, [opt])
        assert codes[i] == str(wire[0]), opt
        assert int(entry["dhcp.option.length"]) == wire[1], opt
        assert entry.get("dhcp.option.value", "") == wire[2:].hex(":"), opt
        typed = TYPED.get(opt[0]) if isinstance(opt[0], str) else None
        if typed is not None:
            key, text = typed
            values = opt[1] if isinstance(opt[1], list) else list(opt[1:])
            assert _as_list(entry[key]) == [text(v) for v in values], opt
        if opt[0] == "relay_agent_information":
            check_relay_agent(opt[1], entry)
    ends = [e for e in _as_list(t["dhcp.option.type_tree"]) if "dhcp.option.end" in e]
    assert len(ends) == min(1, d.options.count("end"))


def check_relay_agent(value: bytes, entry: dict[str, Any]) -> None:
    """Option 82's sub-options (kept as bytes, as Scapy does) are those tshark lists."""
    subs = []
    at = 0
    while at + 2 <= len(value):
        subs.append((value[at], value[at + 2 : at + 2 + value[at + 1]]))
        at += 2 + value[at + 1]
    key = "dhcp.option.agent_information_option.suboption"
    assert [int(c) for c in _as_list(entry[key])] == [c for c, _ in subs]
    tree = _as_list(entry[key + "_tree"])
    assert [e["dhcp.option.agent_information_option.value"] for e in tree] == [
        v.hex(":") for _, v in subs]


def check_frame(pkt: Packet, t: dict[str, Any]) -> None:
    """A whole frame: header, magic cookie, options."""
    check_header(pkt[BOOTP], t)
    if DHCP in pkt:
        assert t["dhcp.cookie"] == "99.130.83.99"
        check_options(pkt[DHCP], t)

"""Core behaviour of the engine: composition, attributes, building, expansion, display."""

from __future__ import annotations

import re

import pytest
from scapy.layers.inet import ICMP as SICMP
from scapy.layers.inet import IP as SIP
from scapy.layers.inet import TCP as STCP
from scapy.layers.inet import UDP as SUDP
from scapy.layers.l2 import Ether as SEther

from paquet.errors import DecodeError, NetworkError
from paquet.layers import ICMP, IP, TCP, UDP, Ether, IPOption_NOP, Padding, Raw, dissect
from paquet.packet import FieldError, hexdump, hexstr, raw

# The course's lab report (TP4, question 1), as printed by Scapy 2.4; paquet prints the layout of
# the Scapy installed next to it (2.5+: names padded to 10 columns). Same fields, same values.
COURSE_IP_SHOW = (
    "###[ IP ]### \n"
    """\
  version= 4
  ihl= None
  tos= 0x0
  len= None
  id= 1
"""
    "  flags= \n"
    """\
  frag= 0
  ttl= 64
  proto= hopopt
  chksum= None
  src= 127.0.0.1
  dst= 127.0.0.1
  \\options\\
"""
)


def _course_layout(text: str) -> str:
    """Scapy 2.5+'s layout (names padded to 10 columns) written the 2.4 way, as in the course."""
    text = re.sub(r"^(###\[ .* \]###)$", r"\1 ", text, flags=re.M)
    text = re.sub(r"^(\s*)(\w+)\s*= ", r"\1\2= ", text, flags=re.M)
    return re.sub(r"\\(\w+)\s*\\", r"\\\1\\", text)


def test_ip_show_is_the_course_block() -> None:
    shown = IP().show(dump=True)
    assert shown is not None
    assert _course_layout(shown) == COURSE_IP_SHOW
    assert shown == SIP().show(dump=True)


def test_composition_sets_protocol_fields() -> None:
    p = Ether() / IP(dst="192.0.2.1") / TCP()
    assert p.type == 0x0800 and p[IP].proto == 6
    assert (IP() / UDP()).proto == 17 and (IP() / ICMP()).proto == 1
    assert IP(proto=99) / TCP() == IP(proto=99) / TCP()
    assert (IP(proto=99) / TCP()).proto == 99  # the user's value wins
    assert isinstance((IP() / b"x").payload, Raw)
    assert (IP() / "abc")[Raw].load == b"abc"


def test_division_does_not_modify_operands() -> None:
    base = IP(dst="192.0.2.1")
    a = base / TCP(dport=1)
    b = base / TCP(dport=2)
    assert base.payload.__class__.__name__ == "NoPayload"
    assert a[TCP].dport == 1 and b[TCP].dport == 2
    inner = a.payload
    c = a / b"x"
    assert a[TCP].payload.__class__.__name__ == "NoPayload"
    assert c[Raw].load == b"x" and inner is a.payload


def test_attribute_access_goes_through_layers() -> None:
    p = Ether() / IP(dst="192.0.2.1") / TCP(flags="S")
    assert p.ttl == 64 and p.dport == 80
    p.ttl = 5
    assert p[IP].ttl == 5
    p[TCP].flags = "SA"
    assert p[TCP].flags == "SA" and "S" in p[TCP].flags and "R" not in p[TCP].flags
    assert str(p[TCP].flags) == "SA" and p[TCP].flags.A
    del p.ttl
    assert p.ttl == 64
    with pytest.raises(AttributeError):
        _ = p.nonexistent
    with pytest.raises(FieldError, match="no field 'tll'"):
        IP(tll=3)


def test_getitem_and_layers() -> None:
    p = Ether() / IP() / ICMP()
    assert p[ICMP] is p.getlayer(ICMP) and p["ICMP"] is p[ICMP]
    assert ICMP in p and TCP not in p and "IP" in p
    assert p.haslayer(IP) and not p.haslayer(UDP)
    with pytest.raises(IndexError, match="TCP"):
        p[TCP]
    assert p[ICMP].underlayer is p[IP]
    assert p.layers() == [Ether, IP, ICMP]


def test_build_fills_lengths_and_checksums_like_scapy() -> None:
    ours = IP(src="192.0.2.1", dst="192.0.2.2") / TCP(sport=1234, dport=80) / b"hello"
    theirs = SIP(src="192.0.2.1", dst="192.0.2.2") / STCP(sport=1234, dport=80) / b"hello"
    assert raw(ours) == bytes(theirs)
    wrong = IP(src="192.0.2.1", dst="192.0.2.2", chksum=0x1234) / ICMP(chksum=0)
    assert raw(wrong)[10:12] == b"\x12\x34" and raw(wrong)[22:24] == b"\x00\x00"


def test_field_expansion() -> None:
    pkts = list(IP(dst="192.0.2.1", ttl=(1, 3)) / ICMP())
    assert [p.ttl for p in pkts] == [1, 2, 3]
    scan = list(IP(dst="192.0.2.0/30") / TCP(dport=[22, 80]))
    assert len(scan) == 8
    assert {(p.dst, p[TCP].dport) for p in scan} == {
        (f"192.0.2.{i}", port) for i in range(4) for port in (22, 80)
    }
    assert bytes(IP(ttl=(1, 3))) == bytes(IP(ttl=1))  # the first one, as Scapy
    with pytest.raises(FieldError, match="iterate"):
        bytes(IP(ttl=(3, 1)))  # stands for no packet


def test_defaults_without_resolver() -> None:
    p = Ether() / IP(dst="192.0.2.1")
    assert p.src == "00:00:00:00:00:00" and p.dst == "ff:ff:ff:ff:ff:ff"
    assert p[IP].src == "127.0.0.1"
    with pytest.raises(NetworkError, match=r"frama\.io"):
        bytes(IP(dst="frama.io"))


def test_resolver_is_used() -> None:
    from paquet.packet import resolver

    class Fake:
        def source_address(self, dst: str, version: int) -> str | None:
            return "192.0.2.7"

        def resolve_host(self, name: str, version: int) -> str:
            return "198.51.100.5"

        def link_addresses(self, dst_ip: str, version: int) -> tuple[str, str] | None:
            return ("02:00:00:00:00:01", "02:00:00:00:00:02")

    previous = resolver.set_resolver(Fake())
    try:
        p = Ether() / IP(dst="frama.io") / ICMP()
        data = bytes(p)
        assert data[:12] == bytes.fromhex("020000000002020000000001")
        assert data[26:34] == bytes([192, 0, 2, 7, 198, 51, 100, 5])
        assert p[IP].src == "192.0.2.7"
    finally:
        resolver.set_resolver(previous)


def test_dissect_padding_and_round_trip() -> None:
    frame = bytes(SEther(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:00:01") /
                  SIP(src="192.0.2.1", dst="192.0.2.2") / SICMP(type=0)) + b"\x00" * 18
    p = Ether(frame)
    assert isinstance(p.lastlayer(), Padding) and p[Padding].load == b"\x00" * 18
    assert bytes(p) == frame and p.errors == []


def test_dissect_never_raises_and_keeps_reasons() -> None:
    p = dissect(b"\x00\x01")
    assert isinstance(p, Raw) and bytes(p) == b"\x00\x01"
    assert "Ethernet at offset 0" in str(p.errors[0])
    with pytest.raises(DecodeError, match="Ethernet at offset 0"):
        dissect(b"\x00\x01", strict=True)
    truncated = bytes(SEther() / SIP(src="192.0.2.1", dst="192.0.2.2") / STCP())[:40]
    q = dissect(truncated)
    assert bytes(q) == truncated and isinstance(q[IP].payload, Raw)
    assert any("TCP" in str(e) for e in q.errors)


def test_bad_checksum_flagged_after_dissection() -> None:
    data = bytearray(bytes(IP(src="192.0.2.1", dst="192.0.2.2") / ICMP()))
    data[10] ^= 0xFF
    shown = IP(bytes(data)).show(dump=True)
    assert shown is not None and "[bad, expected" in shown
    good = IP(bytes(IP(src="192.0.2.1", dst="192.0.2.2") / ICMP())).show(dump=True)
    assert good is not None and "bad" not in good


def test_hexdump_and_hexstr_match_scapy() -> None:
    from scapy.utils import hexdump as shexdump
    from scapy.utils import hexstr as shexstr

    p = Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:00:01") / IP(
        src="192.0.2.1", dst="192.0.2.2") / TCP() / "La NSI, c'est cool !"
    assert hexdump(p, dump=True) == shexdump(bytes(p), dump=True)
    assert hexstr(p) == shexstr(bytes(p))


def test_summary_and_repr_match_scapy() -> None:
    p = IP(src="192.0.2.1", dst="192.0.2.2") / TCP(sport=1234, dport=80, flags="SA") / b"x"
    s = SIP(src="192.0.2.1", dst="192.0.2.2") / STCP(sport=1234, dport=80, flags="SA") / b"x"
    assert p.summary() == s.summary()
    assert repr(p) == repr(s)
    assert repr(IP(bytes(p))) == repr(SIP(bytes(s)))


def test_copy_and_equality() -> None:
    p = IP(dst="192.0.2.1") / TCP(options=[("MSS", 1460)])
    q = p.copy()
    assert q == p and q is not p
    q[TCP].options.append(("NOP", None))
    assert p[TCP].options == [("MSS", 1460)]
    assert IP() != TCP()


def test_time_attributes() -> None:
    p = IP()
    assert isinstance(p.time, float) and p.sent_time is None
    p.time = 12.5
    assert p.time == 12.5 and p.copy().time == 12.5


def test_ls_matches_scapy_for_fixed_layers() -> None:
    import contextlib
    import io

    from scapy.layers.inet import UDP as SUDP
    from scapy.packet import ls as sls

    from paquet.packet import ls

    for ours, theirs in ((IP, SIP), (UDP, SUDP)):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            sls(theirs)
        expected = [line for line in buf.getvalue().splitlines() if not line.startswith("options")]
        text = ls(ours, dump=True)
        assert text is not None
        got = [line for line in text.splitlines() if not line.startswith("options")]
        # Scapy names its IPv4 address fields after their role (SourceIPField, DestIPField).
        assert [g.split(":")[0] for g in got] == [e.split(":")[0] for e in expected]
        for g, e in zip(got, expected, strict=True):
            if "IPField" not in e:
                assert g == e


def test_show2_and_to_dict() -> None:
    import json

    p = Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:00:01") / IP(
        src="192.0.2.1", dst="192.0.2.2") / UDP(sport=1234, dport=53) / b"q"
    s = SEther(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:00:01") / SIP(
        src="192.0.2.1", dst="192.0.2.2") / SUDP(sport=1234, dport=53) / b"q"
    assert p.show2(dump=True) == s.show2(dump=True)
    data = json.loads(json.dumps(p.to_dict()))
    assert [layer["layer"] for layer in data["layers"]] == ["Ether", "IP", "UDP", "Raw"]
    assert data["summary"] == p.summary() == s.summary()


def test_dot1q_and_arp_summaries_match_scapy() -> None:
    from paquet.layers import ARP, Dot1Q

    ours = Ether(dst="ff:ff:ff:ff:ff:ff", src="02:00:00:00:00:01") / Dot1Q(vlan=7) / ARP(
        hwsrc="02:00:00:00:00:01", psrc="192.0.2.1", pdst="192.0.2.2")
    theirs = SEther(bytes(ours))
    assert ours.summary() == theirs.summary()
    assert Ether(bytes(ours)).summary() == theirs.summary()
    assert repr(Ether(bytes(ours))) == repr(theirs)


def test_command_rebuilds_the_packet() -> None:
    from paquet.packet.expr import parse_packet

    p = IP(dst="192.0.2.1", ttl=3) / TCP(dport=443, flags="SA", options=[("MSS", 1400)]) / b"x"
    text = p.command()
    assert text == ("IP(ttl=3, dst='192.0.2.1')/TCP(dport=443, flags=18, "
                    "options=[('MSS', 1400)])/Raw(load=b'x')")
    assert bytes(parse_packet(text)) == bytes(p)
    q = IP(bytes(p))
    assert bytes(parse_packet(q.command())) == bytes(q)


@pytest.mark.parametrize(
    ("pkt", "message"),
    [
        (IP(ttl=300), "IP.ttl=300 does not fit in 8 bits"),
        (IP() / TCP(dport=-1), "TCP.dport=-1 does not fit in 16 bits"),
        (IP(tos="x"), "IP.tos must be an integer"),
        (IP(src="1.2.3"), "not an IPv4 address: '1.2.3'"),
        (Ether(dst="zz") / IP(), "not a MAC address: 'zz'"),
    ],
)
def test_unbuildable_values_are_clear_errors(pkt: object, message: str) -> None:
    with pytest.raises(FieldError, match=re.escape(message)):
        bytes(pkt)  # type: ignore[call-overload]


def test_sprintf_like_scapy() -> None:
    fmt = "%IP.src%:%TCP.sport% > %IP.dst%:%TCP.dport% %TCP.flags% %proto% %Raw.load% %UDP.x% 5%%"
    p = IP(src="192.0.2.1", dst="192.0.2.2") / TCP(sport=1234, dport=80, flags="SA") / b"hi"
    s = SIP(src="192.0.2.1", dst="192.0.2.2") / STCP(sport=1234, dport=80, flags="SA") / b"hi"
    assert p.sprintf(fmt) == s.sprintf(fmt)


# ---------------------------------------------------------------------- lazy dissection

FRAME = bytes(
    SEther(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    / SIP(src="192.0.2.1", dst="192.0.2.2")
    / STCP(sport=1234, dport=80, flags="S")
    / (b"x" * 20)
)


def test_lazy_dissection_is_invisible() -> None:
    # Layers above the first are dissected when first reached, with the same results.
    pkt = Ether(FRAME)
    assert "payload" not in pkt.__dict__  # left for later
    assert pkt[TCP].dport == 80 and pkt[TCP].underlayer is pkt[IP]
    assert pkt[IP].underlayer is pkt and pkt.payload is pkt[IP]
    assert bytes(Ether(FRAME)) == FRAME and repr(Ether(FRAME)) == repr(SEther(FRAME))
    assert Ether(FRAME) == Ether(FRAME) and Ether(FRAME).copy() == Ether(FRAME)
    assert Ether(FRAME).summary() == SEther(FRAME).summary()
    # A field read through the upper layers, and time given to the first layer (as a capture
    # reader does after dissection) reaching the layers dissected later.
    pkt = Ether(FRAME)
    pkt.__dict__["time"] = 12.5
    assert pkt.dport == 80 and pkt[Raw].time == 12.5
    # A copy taken before the payload is reached dissects it on its own.
    pkt = Ether(FRAME)
    other = pkt.copy()
    assert other[TCP] is not pkt[TCP] and other[TCP] == pkt[TCP]
    # Changing a field the payload class depends on dissects the payload first, as Scapy
    # (eager) has it.
    pkt = Ether(FRAME)
    pkt[IP].proto = 17
    assert type(pkt[IP].payload) is TCP


def test_lazy_dissection_with_padding_and_errors() -> None:
    frame = bytes(SEther() / SIP(src="192.0.2.1", dst="192.0.2.2") / SICMP()) + b"\x00" * 10
    pkt = Ether(frame)
    assert [type(x).__name__ for x in pkt.iterlayers()] == ["Ether", "IP", "ICMP", "Padding"]
    assert bytes(pkt) == frame
    cut = FRAME[:60]  # IP says 60 bytes of payload, 46 captured
    pkt = Ether(cut)
    assert bytes(pkt) == cut and [e.layer for e in pkt.errors] == ["IP"]


def test_strict_mode_raises_payload_end_errors() -> None:
    # Defect: errors found by payload_end (IP's total length) were ignored in strict mode.
    cut = FRAME[:60]
    with pytest.raises(DecodeError) as info:
        dissect(cut, strict=True)
    assert (info.value.layer, info.value.offset) == ("IP", 16)
    assert bytes(dissect(FRAME, strict=True)) == FRAME


def test_haslayer_compares_the_exact_class_as_scapy() -> None:
    probe = SIP(src="192.0.2.1", dst="192.0.2.2") / SUDP(sport=4000, dport=33434)
    error = bytes(SIP(src="192.0.2.2", dst="192.0.2.1") / SICMP(type=3, code=3)
                  / bytes(probe)[:28])
    ours, theirs = IP(error), SIP(error)
    assert (UDP in ours) is (SUDP in theirs) is False
    assert bool(ours.haslayer(UDP)) is bool(theirs.haslayer(SUDP)) is False
    assert ours.haslayer("UDPerror") and ours.haslayer("UDP in ICMP") and "UDPerror" in ours
    assert ours.haslayer(ICMP) and ICMP in ours and IP in ours
    # getlayer and [] compare the exact class too; _subclass=True finds the quoted header.
    assert ours.getlayer(UDP) is None and theirs.getlayer(SUDP) is None
    with pytest.raises(IndexError, match=re.escape("Layer [UDP] not found")):
        ours[UDP]
    with pytest.raises(IndexError):
        theirs[SUDP]
    quoted = ours.getlayer(UDP, _subclass=True)
    assert quoted is not None and type(quoted).__name__ == "UDPerror"
    assert quoted is ours["UDPerror"]
    assert quoted.dport == theirs.getlayer(SUDP, _subclass=True).dport == 33434
    assert ours.haslayer(UDP, _subclass=True)


def test_udp_summary_uses_the_network_layer_endpoints() -> None:
    pkt = IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=1, dport=2)
    assert pkt.summary() == (SIP(src="192.0.2.1", dst="192.0.2.2") / SUDP(sport=1, dport=2)
                             ).summary()
    assert UDP(sport=1, dport=2).summary() == SUDP(sport=1, dport=2).summary()


def test_list_defaults_are_not_shared_between_layers() -> None:
    # As in Scapy, each layer's option list is its own: appending to one changes no other.
    from paquet.layers import IPv6ExtHdrRouting

    a = IP()
    a.options.append(IPOption_NOP())
    assert IP().options == [] and len(a.options) == 1
    stack = IP(dst="192.0.2.1") / TCP()
    stack[TCP].options.append(("NOP", None))
    assert TCP().options == [] and stack[TCP].options == [("NOP", None)]
    assert bytes(stack)[20 + 12] >> 4 == 6  # the option made the TCP header 24 bytes
    r = IPv6ExtHdrRouting()
    r.addresses.append("2001:db8::1")
    assert IPv6ExtHdrRouting().addresses == []


def test_dissected_layers_without_options_share_nothing_visible() -> None:
    # A dissected header without options refers to the class's empty list until read; what
    # the user reaches (fields, the attribute) is the layer's own list, as in Scapy.
    pkt = Ether(bytes(Ether() / IP(dst="192.0.2.1") / TCP()))
    for layer in (pkt[IP], pkt[TCP]):
        assert layer.fields["options"] == []
        layer.fields["options"].append("marker")
        layer.default_fields["options"].append("never stored")
        assert layer.options == ["marker"]
    assert IP().options == [] and TCP().options == []
    assert Ether(bytes(Ether() / IP() / TCP()))[TCP].options == []


def test_a_quote_cut_after_eight_bytes_can_be_edited() -> None:
    # RFC 792 quotes 8 bytes of the datagram: the TCPerror has sport, dport, seq only.
    from paquet.layers import TCPerror

    probe = IP(src="192.0.2.1", dst="192.0.2.2") / TCP(sport=1234, dport=80)
    error = IP(bytes(IP(src="192.0.2.2", dst="192.0.2.1") / ICMP(type=3, code=3)
                     / bytes(probe)[:28]))
    quoted = error[TCPerror]
    quoted.seq = 5
    assert quoted.fields == {"sport": 1234, "dport": 80, "seq": 5}
    assert bytes(error)[-8:] == bytes.fromhex("04d2005000000005")


def test_match_subclass_as_scapy() -> None:
    # A first layer whose class sets match_subclass finds subclasses (Scapy's rule).
    from paquet.layers import IPerror, UDPerror

    class Tagged(Ether):
        match_subclass = True

    quoted = Ether() / IP() / ICMP(type=3) / IPerror() / UDPerror(dport=7)
    assert UDP not in quoted and quoted.getlayer(UDP) is None
    tagged = Tagged() / IP() / ICMP(type=3) / IPerror() / UDPerror(dport=7)
    assert tagged[UDP].dport == 7 and UDP in tagged and tagged.getlayer(IP, 2) is not None


def test_dispatch_class_picks_a_family_member_by_its_bytes() -> None:
    # Scapy's dispatch_hook: the bindings name a base class, which names the member.
    from paquet.packet import registry
    from paquet.packet.base import Packet
    from paquet.packet.fields import ByteField

    class Family(Packet):
        fields_desc = (ByteField("kind", 0),)

        @classmethod
        def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
            return {1: One, 2: Two}.get(data[start], cls)

    class One(Family):
        fields_desc = (ByteField("kind", 1), ByteField("one", 0))

    class Two(Family):
        fields_desc = (ByteField("kind", 2), ByteField("two", 0))

    registry.bind_layers(UDP, Family, dport=64999)
    try:
        for body, cls, field in ((b"\x01\x07", One, "one"), (b"\x02\x07", Two, "two")):
            pkt = IP(bytes(IP(dst="192.0.2.1") / UDP(sport=4000, dport=64999) / body))
            layer = pkt[UDP].payload
            assert type(layer) is cls and getattr(layer, field) == 7
        assert type(IP(bytes(IP() / UDP(sport=4000, dport=64999) / b"\x09"))[UDP].payload) is Family
        assert One._dispatch is False  # only the class that defines it is asked
    finally:
        registry.split_layers(UDP, Family, dport=64999)

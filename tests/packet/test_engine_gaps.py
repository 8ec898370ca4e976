"""Engine gaps that layers used to work around, each compared with Scapy 2.8 on the same
input: a general layer below a struct one below a general one, ``direction`` as a field name,
a layer without fields, lengths that say "to the end", truncated list items, conditional
fields cut short, and the other rows of the session's list."""

from __future__ import annotations

from typing import Any

import pytest

scapy_all = pytest.importorskip("scapy.all")
import scapy.fields as sf  # noqa: E402
from scapy.packet import Packet as SPacket  # noqa: E402

import paquet.packet.fields as pf  # noqa: E402
from paquet.packet import intfields, strfields, structfields  # noqa: E402
from paquet.packet.base import Packet  # noqa: E402

# -- 1. a table of the general path below a struct class below a general class ----------


class _GenTop(Packet):
    name = "GenTop"
    fields_desc = (pf.ByteField("type", 3), intfields.LEShortField("y", 1))


class _StructMid(_GenTop):
    name = "StructMid"
    fields_desc = (pf.ByteField("type", 3),)


class _GenLeaf(_StructMid):
    name = "GenLeaf"
    fields_desc = (
        pf.ByteField("type", 3), pf.ShortField("x", 5),
        structfields.FieldLenField("n", None, count_of="items"),
        structfields.FieldListField("items", [1, 2], pf.ByteField("e", 0),
                                    count_from=lambda p: p.n),
    )


class _SGenTop(SPacket):
    name = "GenTop"
    fields_desc = [sf.ByteField("type", 3), sf.LEShortField("y", 1)]  # noqa: RUF012


class _SStructMid(_SGenTop):
    name = "StructMid"
    fields_desc = [sf.ByteField("type", 3)]  # noqa: RUF012


class _SGenLeaf(_SStructMid):
    name = "GenLeaf"
    fields_desc = [  # noqa: RUF012
        sf.ByteField("type", 3), sf.ShortField("x", 5),
        sf.FieldLenField("n", None, count_of="items"),
        sf.FieldListField("items", [1, 2], sf.ByteField("e", 0), count_from=lambda p: p.n),
    ]


def test_general_below_struct_below_general_builds_its_own_table() -> None:
    for ours, theirs in ((_GenTop, _SGenTop), (_StructMid, _SStructMid),
                         (_GenLeaf, _SGenLeaf)):
        assert bytes(ours()) == bytes(theirs())
        data = bytes(theirs()) + b"\x09"
        assert bytes(ours(data)) == bytes(theirs(data))
        assert ours(data).fields == theirs(data).fields
    assert _GenLeaf(items=[7, 8, 9]).build() == bytes(_SGenLeaf(items=[7, 8, 9]))


def test_igmpv3_messages_without_workaround() -> None:
    from scapy.layers import igmp as sigmp

    from paquet.layers.igmp import IGMPv3, IGMPv3_MQ, IGMPv3_MR, IGMPv3_MR_Group

    assert "post_dissect" not in IGMPv3.__dict__
    assert not IGMPv3._general and IGMPv3_MQ._general
    kw = {"gaddr": "239.1.2.3", "srcaddrs": ["192.0.2.1", "192.0.2.2"]}
    assert bytes(IGMPv3_MQ(**kw)) == bytes(sigmp.IGMPv3_MQ(**kw))
    r = IGMPv3_MR(records=[IGMPv3_MR_Group(maddr="239.1.2.3", srcaddrs=["192.0.2.9"])])
    s = sigmp.IGMPv3_MR(records=[sigmp.IGMPv3_MR_Group(maddr="239.1.2.3",
                                                        srcaddrs=["192.0.2.9"])])
    assert bytes(r) == bytes(s)
    for data in (bytes(s), bytes(sigmp.IGMPv3_MQ(**kw))):
        ours, theirs = IGMPv3(data), sigmp.IGMPv3(data)
        assert type(ours).__name__ == type(theirs).__name__
        assert bytes(ours) == data
        assert ours.show(dump=True) == theirs.show(dump=True)


# -- 3. a layer without fields, called on bytes: a hub whose payload is dissected ---------


def test_a_layer_without_fields_dissects_its_payload() -> None:
    from scapy.layers import tftp as stftp

    from paquet.layers.tftp import TFTP, TFTP_OACK

    for data in (b"blksize\x001024\x00tsize\x000\x00", b"", b"x", b"\x00\x00"):
        ours, theirs = TFTP_OACK(data), stftp.TFTP_OACK(data)
        assert [c.__name__ for c in ours.layers()] == [c.__name__ for c in theirs.layers()]
        assert ours.show(dump=True) == theirs.show(dump=True)
        assert bytes(ours) == bytes(theirs) == data
    whole = bytes(stftp.TFTP() / stftp.TFTP_OACK() / stftp.TFTP_Options(
        options=[stftp.TFTP_Option(oname=b"blksize", value=b"512")]))
    assert TFTP(whole).show(dump=True) == stftp.TFTP(whole).show(dump=True)


# -- 4. a length_from returning None: up to the end of the data ---------------------------


class _Item(Packet):
    name = "Item"
    fields_desc = (pf.ByteField("k", 1), strfields.StrLenField("v", b"", length_from=lambda p: p.k))

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class _SItem(SPacket):
    name = "Item"
    fields_desc = [sf.ByteField("k", 1),  # noqa: RUF012
                   sf.StrLenField("v", b"", length_from=lambda p: p.k)]

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class _ToEnd(Packet):
    name = "ToEnd"
    fields_desc = (pf.ByteField("n", 0),
                   structfields.PacketListField("items", [], _Item, length_from=lambda p: None))


class _SToEnd(SPacket):
    name = "ToEnd"
    fields_desc = [sf.ByteField("n", 0),  # noqa: RUF012
                   sf.PacketListField("items", [], _SItem, length_from=lambda p: None)]


class _FixedNone(Packet):
    name = "FixedNone"
    fields_desc = (pf.ByteField("a", 1),
                   strfields.StrFixedLenField("s", b"xy", length_from=lambda p: None))


class _SFixedNone(SPacket):
    name = "FixedNone"
    fields_desc = [sf.ByteField("a", 1),  # noqa: RUF012
                   sf.StrFixedLenField("s", b"xy", length_from=lambda p: None)]


def test_packet_list_length_none_is_up_to_the_end() -> None:
    for data in (b"\x00", b"\x07\x01a\x02bc", b"\x07\x01a\x02bc\x00", b"\x07\x03ab"):
        ours, theirs = _ToEnd(data), _SToEnd(data)
        assert ours.show(dump=True) == theirs.show(dump=True)
        assert bytes(ours) == bytes(theirs) == data
    items = [_Item(k=2, v=b"hi"), _Item(k=0)]
    assert bytes(_ToEnd(items=items)) == bytes(
        _SToEnd(items=[_SItem(k=2, v=b"hi"), _SItem(k=0)]))


def test_str_fixed_len_length_none_is_the_value_or_the_rest() -> None:
    for kw in ({}, {"s": b"longer value"}, {"s": b""}):
        assert bytes(_FixedNone(**kw)) == bytes(_SFixedNone(**kw))  # type: ignore[arg-type]
    # Dissected: the rest of the data is the value (Scapy reads it so; it also leaves it
    # as a payload, bytes counted twice, which paquet does not do).
    assert _FixedNone(b"\x01abc").s == _SFixedNone(b"\x01abc").s == b"abc"
    assert bytes(_FixedNone(b"\x01abc")) == b"\x01abc"
    f, g = strfields.StrFixedLenField("s", b"", 4), sf.StrFixedLenField("s", b"", 4)
    assert f.i2len(None, b"ab") == g.i2len(None, b"ab")


def test_sctp_address_of_another_type_without_workaround() -> None:
    from scapy.layers import sctp as ssctp

    from paquet.layers import sctp_params

    assert not hasattr(sctp_params, "_AddressBytes")
    for kw in ({"addr_type": 7, "addr": b"abcdef"}, {"addr_type": 7, "addr": b"ab",
                                                    "addr_len": 8}):
        ours = sctp_params.SCTPChunkParamAddIPAddr(**kw)
        theirs = ssctp.SCTPChunkParamAddIPAddr(**kw)
        assert bytes(ours) == bytes(theirs)
        data = bytes(theirs)
        assert sctp_params.SCTPChunkParamAddIPAddr(data).show(dump=True) == \
            ssctp.SCTPChunkParamAddIPAddr(data).show(dump=True)


def test_tftp_options_up_to_the_end() -> None:
    from scapy.layers import tftp as stftp

    from paquet.layers.tftp import TFTP_Options

    assert TFTP_Options._fieldmap["options"].length_from is not None
    for data in (b"blksize\x00512\x00", b"a\x00b\x00c\x00d\x00", b"", b"a\x00b\x00junk"):
        ours, theirs = TFTP_Options(data), stftp.TFTP_Options(data)
        assert ours.show(dump=True) == theirs.show(dump=True)
        assert bytes(ours) == bytes(theirs) == data


# -- 5. the last item of a list cut inside its header: Raw, as Scapy's -------------------


def _same_cuts(ours: type, theirs: type, data: bytes) -> int:
    """Every cut of ``data`` that Scapy dissects shows the same in paquet; how many."""
    compared = 0
    for cut in range(1, len(data) + 1):
        try:
            ref = theirs(data[:cut]).show(dump=True)
        except Exception:  # (Scapy 2.8 refuses a first layer cut short)
            continue
        got = ours(data[:cut])
        assert got.show(dump=True) == ref, cut
        assert bytes(got) == data[:cut]
        compared += 1
    return compared


def test_truncated_list_items_are_scapys() -> None:
    from scapy.contrib import cdp as scdp
    from scapy.layers import dns as sdns
    from scapy.layers import igmp as sigmp
    from scapy.layers import ppp as sppp
    from scapy.layers import tftp as stftp

    from paquet.layers import cdp, dns, igmp, ppp_cp, tftp

    cases = [
        (dns.DNS, sdns.DNS, sdns.DNS(qd=sdns.DNSQR(qname="example.com"), an=[
            sdns.DNSRR(rrname="example.com", rdata="192.0.2.1"),
            sdns.DNSRR(rrname="example.com", rdata="192.0.2.2")])),
        (igmp.IGMPv3, sigmp.IGMPv3, sigmp.IGMPv3_MR(records=[
            sigmp.IGMPv3_MR_Group(maddr="239.1.2.3", srcaddrs=["192.0.2.1"]),
            sigmp.IGMPv3_MR_Group(maddr="239.1.2.4")])),
        (ppp_cp.PPP_LCP, sppp.PPP_LCP, sppp.PPP_LCP_Configure(options=[
            sppp.PPP_LCP_MRU_Option(max_recv_unit=1400),
            sppp.PPP_LCP_Magic_Number_Option(magic_number=5)])),
        (cdp.CDPv2_HDR, scdp.CDPv2_HDR, scdp.CDPv2_HDR(msg=[
            scdp.CDPMsgDeviceID(val=b"router"), scdp.CDPMsgPortID(iface=b"eth0")])),
        (tftp.TFTP, stftp.TFTP, stftp.TFTP() / stftp.TFTP_RRQ(filename=b"f") /
         stftp.TFTP_Options(options=[stftp.TFTP_Option(oname=b"blksize", value=b"512")])),
    ]
    for ours, theirs, ref in cases:
        assert _same_cuts(ours, theirs, bytes(ref)) > 5


# -- 6. a conditional field cut before its bytes is absent, as in Scapy's fields ---------


def test_conditional_field_cut_before_its_bytes() -> None:
    from scapy.layers import rip as srip

    from paquet.layers.rip import RIPAuth

    for kw in ({}, {"authtype": 3, "digestoffset": 7}, {"authtype": 1}, {"password": b"pw"}):
        data = bytes(srip.RIPAuth(**kw))
        assert bytes(RIPAuth(**kw)) == data
        whole = RIPAuth(data)
        for cut in range(1, len(data) + 1):
            part = RIPAuth(data[:cut])
            assert bytes(part) == data[:cut]
            try:
                ref = srip.RIPAuth(data[:cut])
            except Exception:  # Scapy 2.8 refuses a header cut inside a field
                # paquet keeps the fields whose bytes are there, with the whole's values
                assert all(whole.getfieldval(n) == v for n, v in part.fields.items()), cut
                assert set(part.fields) < set(whole.fields) or cut == len(data)
                continue
            assert part.fields == ref.fields, cut
            assert part.show(dump=True) == ref.show(dump=True), cut


# -- 7. getfieldval gives the value stored; the attribute, the value through i2h ---------


def test_getfieldval_is_the_stored_value() -> None:
    from scapy.layers import igmp as sigmp

    from paquet.layers import igmp

    for name, kw in (("IGMPv3_MQ", {}), ("IGMPv3_MQ", {"mrcode": 200}),
                     ("IGMPv3_MQ", {"mrcode": 3000}), ("IGMP", {}), ("IGMP", {"type": 0x16}),
                     ("IGMP", {"mrcode": 50})):
        ours, theirs = getattr(igmp, name)(**kw), getattr(sigmp, name)(**kw)
        assert ours.getfieldval("mrcode") == theirs.getfieldval("mrcode"), kw
        assert ours.mrcode == theirs.mrcode, kw
        data = bytes(theirs)
        assert bytes(ours) == data
        o, t = getattr(igmp, name)(data), getattr(sigmp, name)(data)
        assert (o.getfieldval("mrcode"), o.mrcode) == (t.getfieldval("mrcode"), t.mrcode)


# -- 8. IP.answers and conf.checkIPaddr --------------------------------------------------


def _answer_pairs(ip: Any, ip6: Any, udp: Any, icmp: Any, quote: Any) -> list[tuple[Any, Any]]:
    probe = ip(src="192.0.2.1", dst="192.0.2.255") / udp(sport=1024, dport=137)
    probe6 = ip6(src="2001:db8::1", dst="2001:db8::ff") / udp(sport=1024, dport=53)
    return [
        (ip(src="192.0.2.9", dst="192.0.2.1") / udp(sport=137, dport=1024), probe),
        (ip(src="192.0.2.255", dst="192.0.2.1") / udp(sport=137, dport=1024), probe),
        (ip(src="192.0.2.9", dst="192.0.2.77") / udp(sport=137, dport=1024), probe),
        (ip(src="198.51.100.1", dst="192.0.2.5") / icmp(type=3, code=3) /
         quote(bytes(probe)[:28]), probe),
        (ip(src="192.0.2.9", dst="224.0.0.251") / udp(sport=5353, dport=5353),
         ip(src="192.0.2.1", dst="224.0.0.251") / udp(sport=5353, dport=5353)),
        (ip6(src="2001:db8::9", dst="2001:db8::1") / udp(sport=53, dport=1024), probe6),
        (ip6(src="2001:db8::9", dst="2001:db8::7") / udp(sport=53, dport=1024), probe6),
    ]


def test_ip_answers_follows_check_ip_addr() -> None:
    from paquet import ICMP, IP, UDP, IPerror, IPv6, conf

    ours = _answer_pairs(IP, IPv6, UDP, ICMP, IPerror)
    theirs = _answer_pairs(scapy_all.IP, scapy_all.IPv6, scapy_all.UDP, scapy_all.ICMP,
                           scapy_all.IPerror)
    saved, ssaved = conf.checkIPaddr, scapy_all.conf.checkIPaddr
    try:
        results = []
        for flag in (True, False):
            conf.checkIPaddr = scapy_all.conf.checkIPaddr = flag
            for (ra, qa), (rb, qb) in zip(ours, theirs, strict=True):
                ra, qa = type(ra)(bytes(ra)), type(qa)(bytes(qa))
                rb, qb = type(rb)(bytes(rb)), type(qb)(bytes(qb))
                assert bool(ra.answers(qa)) == bool(rb.answers(qb)), (flag, rb.summary())
                results.append(bool(rb.answers(qb)))
        assert True in results and False in results
    finally:
        conf.checkIPaddr, scapy_all.conf.checkIPaddr = saved, ssaved


# -- 9. Scapy's pickles: the legacy state tuple and the versioned dict --------------------


class _Pickled:
    """Pickles as ``cls(data)`` with ``state``: what Scapy's ``__reduce__`` gives."""

    def __init__(self, maker: Any, data: bytes, state: Any) -> None:
        self.maker, self.data, self.state = maker, data, state

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.maker, (self.data,), self.state)


def test_scapy_pickle_states_restore_the_metadata() -> None:
    import pickle

    from paquet import IP as PIP

    data = bytes(scapy_all.IP(dst="192.0.2.1") / scapy_all.UDP())
    legacy = (12.5, 11.0, 1, "eth0", 60, b"a comment")
    modern = dict(scapy_all.IP(data).__reduce__()[2])
    modern.update(time=7.25, direction=2, sniffed_on="lo", wirelen=99, comments=[b"x", b"y"])
    names = ("time", "sent_time", "direction", "sniffed_on", "wirelen", "comments")
    for state in (legacy, modern, {"time": 3.0}):
        ref = pickle.loads(pickle.dumps(_Pickled(scapy_all.IP, data, state)))
        got = pickle.loads(pickle.dumps(_Pickled(PIP, data, state)))
        assert [getattr(got, n) for n in names] == [getattr(ref, n) for n in names], state
        assert bytes(got) == bytes(ref) == data
    # Scapy's own pickles name the class's _rebuild_pkt
    again = pickle.loads(pickle.dumps(_Pickled(PIP._rebuild_pkt, data, modern)))
    assert type(again) is PIP and again.direction == 2 and again.comments == [b"x", b"y"]


# -- 10. SourceIPField without a destination: the default route's source -----------------


def test_source_ip_without_a_destination_is_scapys() -> None:
    # (both libraries read the same kernel routes: whatever the host's, they agree; the
    # engine's tests run without a resolver, this one with the system's)
    from scapy.layers import hsrp as shsrp

    from paquet import ARP, IP, UDP
    from paquet.layers import hsrp
    from paquet.net.resolver import SystemResolver
    from paquet.packet.resolver import set_resolver

    previous = set_resolver(SystemResolver())
    try:
        _compare_sources(hsrp, shsrp, ARP, IP, UDP)
    finally:
        set_resolver(previous)


def _compare_sources(hsrp: Any, shsrp: Any, ARP: Any, IP: Any, UDP: Any) -> None:
    assert hsrp.HSRPmd5().sourceip == shsrp.HSRPmd5().sourceip
    stacked = IP(dst="198.51.100.1") / UDP() / hsrp.HSRPmd5()
    sstacked = scapy_all.IP(dst="198.51.100.1") / scapy_all.UDP() / shsrp.HSRPmd5()
    assert stacked[hsrp.HSRPmd5].sourceip == sstacked[shsrp.HSRPmd5].sourceip
    assert bytes(hsrp.HSRPmd5(algo=1))[8:12] == bytes(shsrp.HSRPmd5(algo=1))[8:12]
    assert IP().src == scapy_all.IP().src
    assert ARP().psrc == scapy_all.ARP().psrc
    assert IP(dst="192.0.2.1").src == scapy_all.IP(dst="192.0.2.1").src


def test_source_ip_without_a_resolver_is_loopback() -> None:
    from paquet.layers import hsrp
    from paquet.packet.resolver import set_resolver

    previous = set_resolver(None)
    try:
        assert hsrp.HSRPmd5().sourceip == "127.0.0.1"
    finally:
        set_resolver(previous)

"""DHCPv6: messages, options, DUIDs; Scapy's bytes, fields, show() and matching side by side,
tshark's dissection, and hostile bytes (cuts, mutations, nesting, name pointers)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.layers.ipv6_family import both, tshark_layers, values

from paquet.layers import UDP, Ether, Raw
from paquet.layers.dhcp6 import (
    DHCP6,
    DHCP6_Advertise,
    DHCP6_Reconf,
    DHCP6_RelayForward,
    DHCP6_RelayReply,
    DHCP6_Reply,
    DHCP6_Request,
    DHCP6_Solicit,
    DHCP6OptRelayMsg,
)
from paquet.layers.dhcp6_options import (
    DUID_LLT,
    DHCP6OptClientId,
    DHCP6OptElapsedTime,
    DHCP6OptIA_NA,
    DHCP6OptIAAddress,
    DHCP6OptStatusCode,
    DHCP6OptUnknown,
)
from paquet.layers.dhcp6_options_ext import (
    DHCP6OptClientFQDN,
    DHCP6OptRelaySuppliedOpt,
    DHCP6OptVSS,
)
from paquet.packet.base import Packet

MAC_C, MAC_S = "02:00:00:00:00:01", "02:00:00:00:00:02"
ETH = f"Ether(src='{MAC_C}', dst='33:33:00:01:00:02')"
UUID = "272adcca-138c-4e8d-b3f4-634e953128cf"

#: Every option, with values (and each at its defaults below).
OPTIONS = [
    "DHCP6OptUnknown(optcode=999, data=b'xyz')",
    f"DHCP6OptClientId(duid=DUID_LLT(timeval=12345, lladdr='{MAC_C}'))",
    "DHCP6OptClientId(duid=DUID_EN(enterprisenum=32473, id=b'abcd'))",
    f"DHCP6OptServerId(duid=DUID_LL(lladdr='{MAC_S}'))",
    f"DHCP6OptServerId(duid=DUID_UUID(uuid='{UUID}'))",
    "DHCP6OptClientId(duid=b'opaque')",
    "DHCP6OptIA_NA(iaid=1, T1=100, T2=200, ianaopts=[DHCP6OptIAAddress(addr='2001:db8::5', "
    "preflft=300, validlft=0xffffffff)])",
    "DHCP6OptIA_NA(iaid=2, ianaopts=[DHCP6OptIAAddress(addr='2001:db8::6', iaaddropts=["
    "DHCP6OptStatusCode(statuscode=0, statusmsg='ok')]), DHCP6OptStatusCode(statuscode=2)])",
    "DHCP6OptIA_TA(iaid=3, iataopts=[DHCP6OptIAAddress(addr='2001:db8::77')])",
    "DHCP6OptIA_PD(iaid=7, T1=1, T2=2, iapdopt=[DHCP6OptIAPrefix(preflft=10, validlft=20, "
    "plen=56, prefix='2001:db8:1:100::')])",
    "DHCP6OptIAPrefix(iaprefopts=[DHCP6OptStatusCode(statuscode=6)])",
    "DHCP6OptOptReq(reqopts=[23, 24, 31, 56, 999])",
    "DHCP6OptPref(prefval=10)", "DHCP6OptElapsedTime(elapsedtime=77)",
    "DHCP6OptAuth(proto=2, alg=0, rdm=0, replay=b'12345678', authinfo=b'k' * 16)",
    "DHCP6OptServerUnicast(srvaddr='2001:db8::9')",
    "DHCP6OptStatusCode(statuscode=2, statusmsg='no address')", "DHCP6OptRapidCommit()",
    "DHCP6OptUserClass(userclassdata=[USER_CLASS_DATA(data=b'uc1'), "
    "USER_CLASS_DATA(data=b'uc22')])",
    "DHCP6OptVendorClass(enterprisenum=311, vcdata=[VENDOR_CLASS_DATA(data=b'MSFT 5.0')])",
    "DHCP6OptVendorSpecificInfo(enterprisenum=4491, vso=[VENDOR_SPECIFIC_OPTION(optcode=1, "
    "optdata=b'xx'), VENDOR_SPECIFIC_OPTION(optcode=2)])",
    "DHCP6OptIfaceId(ifaceid=b'eth0')", "DHCP6OptReconfMsg(msgtype=5)",
    "DHCP6OptReconfAccept()",
    "DHCP6OptSIPDomains(sipdomains=['sip.example.org', 'sip2.example'])",
    "DHCP6OptSIPServers(sipservers=['2001:db8::5060'])",
    "DHCP6OptDNSServers(dnsservers=['2001:db8::53', '2001:db8::54'])",
    "DHCP6OptDNSDomains(dnsdomains=['example.org', 'lab.example.'])",
    "DHCP6OptNISServers(nisservers=['2001:db8::111'])",
    "DHCP6OptNISPServers(nispservers=['2001:db8::112'])",
    "DHCP6OptNISDomain(nisdomain='nis.example')", "DHCP6OptNISPDomain(nispdomain='nisp.ex')",
    "DHCP6OptSNTPServers(sntpservers=['2001:db8::123'])",
    "DHCP6OptInfoRefreshTime(reftime=3600)",
    "DHCP6OptBCMCSDomains(bcmcsdomains=['bcmcs.example'])",
    "DHCP6OptBCMCSServers(bcmcsservers=['2001:db8::b'])",
    "DHCP6OptRemoteID(enterprisenum=9, remoteid=b'rid')",
    "DHCP6OptSubscriberID(subscriberid=b'sub')",
    "DHCP6OptClientFQDN(flags='S', fqdn='host.example.org')",
    "DHCP6OptClientFQDN(flags='SON', fqdn=b'\\x04host\\x00')",
    "DHCP6OptPanaAuthAgent(paaaddr=['2001:db8::40'])",
    "DHCP6OptNewPOSIXTimeZone(optdata=b'CET-1CEST')",
    "DHCP6OptNewTZDBTimeZone(optdata=b'Europe/Paris')",
    "DHCP6OptRelayAgentERO(reqopts=[18, 37])",
    "DHCP6OptLQClientLink(linkaddress=['2001:db8::1'])",
    "DHCP6OptNTPServer(ntpserver=[DHCP6NTPSubOptSrvAddr(addr='2001:db8::7b'), "
    "DHCP6NTPSubOptMCAddr(addr='ff05::101'), DHCP6NTPSubOptSrvFQDN(fqdn='ntp.example.org')])",
    "DHCP6OptBootFileUrl(optdata=b'tftp://[2001:db8::69]/boot')",
    "DHCP6OptClientArchType(archtypes=[7, 9])",
    "DHCP6OptClientNetworkInterId(iitype=1, iimajor=3, iiminor=10)",
    "DHCP6OptERPDomain(erpdomain=['erp.example'])",
    "DHCP6OptRelaySuppliedOpt(relaysupplied=[DHCP6OptERPDomain(erpdomain=['x.example'])])",
    "DHCP6OptVSS(type=1, data=b'vpn1')",
    f"DHCP6OptClientLinkLayerAddr(clladdr='{MAC_C}')",
    "DHCP6OptCaptivePortal(URI=b'https://portal.example/')",
    "DHCP6OptMudUrl(mudstring=b'https://example.org/mud')", "DHCP6OptAddrRegEnable()",
]
DEFAULTS = sorted({o.split("(")[0] + "()" for o in OPTIONS}
                  | {"DUID_LLT()", "DUID_EN()", "DUID_LL()", "DUID_UUID()"})
MESSAGES = ["DHCP6()", "DHCP6(msgtype=1, trid=3)", *(
    f"{m}(trid=0xabcdef)" for m in (
        "DHCP6_Solicit", "DHCP6_Advertise", "DHCP6_Request", "DHCP6_Confirm", "DHCP6_Renew",
        "DHCP6_Rebind", "DHCP6_Reply", "DHCP6_Release", "DHCP6_Decline", "DHCP6_Reconf",
        "DHCP6_InfoRequest", "DHCP6_AddrRegInform", "DHCP6_AddrRegReply")),
    "DHCP6_RelayForward(hopcount=1, linkaddr='2001:db8::1', peeraddr='fe80::2')",
    "DHCP6_RelayReply(linkaddr='2001:db8::1', peeraddr='fe80::2')"]
SOLICIT = (f"{ETH}/IPv6(src='fe80::1', dst='ff02::1:2')/UDP()/DHCP6_Solicit(trid=0xabcdef)"
           f"/DHCP6OptClientId(duid=DUID_LLT(timeval=12345, lladdr='{MAC_C}'))/"
           "DHCP6OptIA_NA(iaid=1, ianaopts=[DHCP6OptIAAddress(addr='2001:db8::5')])/"
           "DHCP6OptElapsedTime(elapsedtime=77)/DHCP6OptOptReq()/DHCP6OptRapidCommit()")
ADVERTISE = (f"Ether(src='{MAC_S}', dst='{MAC_C}')/IPv6(src='fe80::2', dst='fe80::1')/UDP()/"
             "DHCP6_Advertise(trid=0xabcdef)/DHCP6OptClientId(duid=DUID_LLT(timeval=12345, "
             f"lladdr='{MAC_C}'))/DHCP6OptServerId(duid=DUID_LL(lladdr='{MAC_S}'))/"
             "DHCP6OptIA_NA(iaid=1, T1=1800, T2=2880, ianaopts=[DHCP6OptIAAddress("
             "addr='2001:db8::5', preflft=3600, validlft=7200)])/DHCP6OptPref(prefval=255)/"
             "DHCP6OptDNSServers(dnsservers=['2001:db8::53'])/DHCP6OptDNSDomains("
             "dnsdomains=['lab.example'])/DHCP6OptStatusCode(statuscode=0, statusmsg='ok')")
RELAYED = ("Ether(src='02:00:00:00:00:03', dst='02:00:00:00:00:04')/IPv6(src='2001:db8::1', "
           "dst='2001:db8::2')/UDP(sport=547, dport=547)/DHCP6_RelayForward(hopcount=0, "
           "linkaddr='2001:db8::1', peeraddr='fe80::2')/DHCP6OptIfaceId(ifaceid=b'eth0')/"
           "DHCP6OptRelayMsg(message=DHCP6_Solicit(trid=5)/DHCP6OptClientId(duid=DUID_EN("
           "enterprisenum=32473, id=b'abcd'))/DHCP6OptIA_PD(iaid=7, T1=1, T2=2, iapdopt=["
           "DHCP6OptIAPrefix(preflft=10, validlft=20, plen=56, prefix='2001:db8:1:100::')]))/"
           "DHCP6OptRemoteID(enterprisenum=9, remoteid=b'rid')/DHCP6OptSubscriberID("
           "subscriberid=b'sub')")
REPLY = (f"Ether(src='{MAC_S}', dst='{MAC_C}')/IPv6(src='fe80::2', dst='fe80::1')/UDP()/"
         f"DHCP6_Reply(trid=9)/DHCP6OptServerId(duid=DUID_LL(lladdr='{MAC_S}'))/"
         f"{'/'.join(o for o in OPTIONS[4:] if 'IAPrefix(' not in o and 'VSS' not in o)}")
STACKS = [SOLICIT, ADVERTISE, RELAYED, REPLY,
          f"{ETH}/IPv6()/UDP()/DHCP6_RelayReply(peeraddr='fe80::9')/DHCP6OptRelayMsg("
          "message=DHCP6_Reply(trid=1)/DHCP6OptRapidCommit())",
          "IPv6(src='2001:db8::1', dst='2001:db8::2')/UDP()/DHCP6_Reconf()/"
          "DHCP6OptReconfMsg()", "UDP()/DHCP6_InfoRequest()/DHCP6OptOptReq()",
          "UDP()/DHCP6(msgtype=3)/DHCP6OptClientId()/DHCP6OptServerId()"]
CONSTRUCTIONS = [*OPTIONS, *DEFAULTS, *MESSAGES, *STACKS,
                 *(f"DHCP6_Solicit(trid=1)/{o}/DHCP6OptElapsedTime()" for o in OPTIONS)]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_bytes_equal_scapy(expr: str) -> None:
    ours, theirs = both(expr)
    assert bytes(ours) == bytes(theirs)


def _norm(v: Any) -> Any:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return int(v)
    if isinstance(v, str) and ":" in v:
        return v.lower()
    if hasattr(v, "hex") and type(v).__name__ == "UUID":
        return str(v)
    return v


def same_tree(ours: Any, theirs: Any, where: str = "") -> None:
    """The two packets have the same layers, each with the same field values, the packets
    held in fields compared the same way."""
    a, b = ours, theirs
    while b is not None and type(b).__name__ != "NoPayload":
        name = type(b).__name__
        assert type(a).__name__ == name, where
        for f in b.fields_desc:
            va, vb = getattr(a, f.name), getattr(b, f.name)
            w = f"{where}/{name}.{f.name}"
            if hasattr(vb, "fields_desc"):
                same_tree(va, vb, w)
            elif isinstance(vb, list) and vb and hasattr(vb[0], "fields_desc"):
                assert len(va) == len(vb), w
                for x, y in zip(va, vb, strict=True):
                    same_tree(x, y, w)
            else:
                assert _norm(va) == _norm(vb), w
        a, b = a.payload, b.payload
    assert type(a).__name__ == "NoPayload", where


#: Scapy reads a VSS option's data over ``optlen`` bytes after its type byte, one byte into
#: what follows; paquet reads ``optlen - 1`` as RFC 6607 and tshark (test_vss_as_tshark).
SCAPY_VSS = "DHCP6_Solicit(trid=1)/DHCP6OptVSS(type=1, data=b'vpn1')/DHCP6OptElapsedTime()"


@pytest.mark.parametrize("expr", [c for c in CONSTRUCTIONS if c != SCAPY_VSS])
def test_scapy_bytes_dissect_to_scapy_fields(expr: str) -> None:
    ours, theirs = both(expr)
    data = bytes(theirs)
    mine, scapys = type(ours)(data), type(theirs)(data)
    assert bytes(mine) == data
    same_tree(mine, scapys)


@pytest.mark.parametrize("expr", [*STACKS, *OPTIONS[:12], "DHCP6OptOptReq()", *MESSAGES])
def test_show_repr_summary_as_scapy(expr: str) -> None:
    ours, theirs = both(expr)
    for a, b in ((ours, theirs), (type(ours)(bytes(theirs)), type(theirs)(bytes(theirs)))):
        assert a.show(dump=True) == b.show(dump=True)
        assert repr(a) == repr(b)
        assert a.summary() == b.summary()


def test_udp_ports_and_dispatch_by_type() -> None:
    ports = {DHCP6_Solicit: (546, 547), DHCP6_Advertise: (547, 546), DHCP6_Request: (546, 547),
             DHCP6_Reply: (547, 546), DHCP6_Reconf: (547, 546),
             DHCP6_RelayForward: (547, 547), DHCP6_RelayReply: (547, 547), DHCP6: (546, 547)}
    for cls, (sport, dport) in ports.items():
        p = UDP() / cls()
        assert (p.sport, p.dport) == (sport, dport), cls.__name__
        back = UDP(bytes(p))
        # (a DHCP6 of no type is 0: no class, as Scapy's dispatcher)
        assert type(back.payload) is (Raw if cls is DHCP6 else cls), cls.__name__
    # Called on bytes, DHCP6 stays the generic message (Scapy's).
    assert type(DHCP6(bytes(DHCP6_Solicit()))) is DHCP6
    assert type(UDP(sport=1, dport=9) / DHCP6_Solicit()).__name__ == "UDP"
    assert (UDP(sport=1, dport=9) / DHCP6_Solicit()).sport == 1


def test_answers_and_hashret_as_scapy() -> None:
    msgs = [*MESSAGES, "DHCP6_Solicit(trid=1)", "DHCP6_Advertise(trid=1)",
            "DHCP6_Reply(trid=1)", "DHCP6_Request(trid=1)",
            "DHCP6_RelayReply(hopcount=1, linkaddr='2001:db8::1', peeraddr='fe80::2')",
            "DHCP6_RelayReply(hopcount=1, linkaddr='2001:db8::1', peeraddr='fe80::3')"]
    pairs = [both(m) for m in msgs]
    for a, sa in pairs:
        assert a.hashret() == sa.hashret()
        for b, sb in pairs:
            assert a.answers(b) == bool(sa.answers(sb)), (a, b)
    (sol, ssol), (adv, sadv) = both(SOLICIT), both(ADVERTISE)
    assert (sol.hashret(), adv.hashret()) == (ssol.hashret(), sadv.hashret())
    assert adv.answers(sol) and not sol.answers(adv)
    assert bool(sadv.answers(ssol)) and not ssol.answers(sadv)
    other = both(ADVERTISE.replace("trid=0xabcdef", "trid=0xabcdee"))
    assert not other[0].answers(sol) and not other[1].answers(ssol)


def _options(layer: Any) -> list[Packet]:
    """Every option of a message in tshark's order: each option, then those it holds."""
    out: list[Packet] = []
    p = layer.payload
    while isinstance(p, Packet) and type(p).__name__ not in ("NoPayload", "Raw", "Padding"):
        out.extend(_held(p))
        p = p.payload
    return out


def _held(opt: Packet) -> list[Packet]:
    """``opt`` and the options it holds (in its IA lists, in its relayed message), in
    pre-order."""
    out = [opt]
    for f in opt.fields_desc:
        v = getattr(opt, f.name)
        if f.name == "message" and isinstance(v, Packet):
            out.extend(_options(v))
        elif f.name in ("ianaopts", "iataopts", "iapdopt", "iaaddropts", "iaprefopts"):
            # (tshark shows the relay-supplied options' bytes, not the options)
            for item in v:
                out.extend(_held(item))
    return out


def _option_dicts(tree: Any) -> list[dict[str, Any]]:
    """tshark's option subtrees (those with a ``dhcpv6.option.type``), in pre-order."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "dhcpv6.option.type" in node:
                found.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(tree)
    return found


def _hexcolons(b: bytes) -> str:
    return ":".join(f"{x:02x}" for x in b)


def _expected(o: Any) -> dict[str, Any]:
    """What tshark shows for option ``o`` (its dhcpv6.* fields), from paquet's values."""
    name = type(o).__name__
    out: dict[str, Any] = {}
    if name in ("DHCP6OptClientId", "DHCP6OptServerId"):
        d = o.duid
        dn = type(d).__name__
        if dn == "Raw":
            return out
        out["dhcpv6.duid.type"] = str(d.type)
        if dn == "DUID_LLT":
            t = datetime(2000, 1, 1) + timedelta(seconds=d.timeval)
            out |= {"dhcpv6.duidllt.hwtype": str(d.hwtype),
                    "dhcpv6.duidllt.link_layer_addr": d.lladdr,
                    "dhcpv6.duidllt.time": t.strftime("%b %e, %Y %H:%M:%S.000000000 UTC")}
        elif dn == "DUID_LL":
            out |= {"dhcpv6.duidll.hwtype": str(d.hwtype),
                    "dhcpv6.duidll.link_layer_addr": d.lladdr}
        elif dn == "DUID_EN":
            out |= {"dhcpv6.duiden.enterprise": str(d.enterprisenum),
                    "dhcpv6.duiden.identifier": _hexcolons(d.id)}
        elif dn == "DUID_UUID":
            out["dhcpv6.duiduuid.bytes"] = _hexcolons(d.uuid.bytes)
    elif name in ("DHCP6OptIA_NA", "DHCP6OptIA_PD"):
        out |= {"dhcpv6.iaid": f"{o.iaid:08x}", "dhcpv6.iaid.t1": str(o.T1),
                "dhcpv6.iaid.t2": str(o.T2)}
    elif name == "DHCP6OptIA_TA":
        out["dhcpv6.iata"] = f"{o.iaid:08x}"
    elif name == "DHCP6OptIAAddress":
        out |= {"dhcpv6.iaaddr.ip": o.addr, "dhcpv6.iaaddr.pref_lifetime": str(o.preflft),
                "dhcpv6.iaaddr.valid_lifetime": str(o.validlft)}
    elif name == "DHCP6OptIAPrefix":
        out |= {"dhcpv6.iaprefix.pref_lifetime": str(o.preflft),
                "dhcpv6.iaprefix.valid_lifetime": str(o.validlft),
                "dhcpv6.iaprefix.pref_len": str(o.plen),
                "dhcpv6.iaprefix.pref_addr": o.prefix}
    elif name == "DHCP6OptElapsedTime":
        out["dhcpv6.elapsed_time"] = str(o.elapsedtime * 10)  # (tshark shows milliseconds)
    elif name == "DHCP6OptOptReq":
        out["dhcpv6.requested_option_code"] = [str(c) for c in o.reqopts]
    elif name == "DHCP6OptPref":
        out["dhcpv6.option_preference"] = str(o.prefval)
    elif name == "DHCP6OptStatusCode":
        out["dhcpv6.status_code"] = str(o.statuscode)
        if o.statusmsg:
            out["dhcpv6.status_msg"] = o.statusmsg.decode()
    elif name == "DHCP6OptServerUnicast":
        out["dhcpv6.unicast"] = o.srvaddr
    elif name == "DHCP6OptAuth":
        out |= {"dhcpv6.auth.protocol": str(o.proto), "dhcpv6.auth.algorithm": str(o.alg),
                "dhcpv6.auth.rdm": str(o.rdm),
                "dhcpv6.auth.replay_detection": _hexcolons(o.replay),
                "dhcpv6.auth.info": _hexcolons(o.authinfo)}
    elif name == "DHCP6OptVendorClass":
        out["dhcpv6.vendorclass.enterprise"] = str(o.enterprisenum)
    elif name == "DHCP6OptUserClass":
        out["dhcpv6.userclass.length"] = [str(u.len) for u in o.userclassdata]
        out["dhcpv6.userclass.opaque_data"] = [_hexcolons(u.data) for u in o.userclassdata]
    elif name == "DHCP6OptVendorSpecificInfo":
        out["dhcpv6.vendoropts.enterprise"] = str(o.enterprisenum)
    elif name == "DHCP6OptIfaceId":
        out["dhcpv6.interface_id"] = _hexcolons(o.ifaceid)
    elif name == "DHCP6OptReconfMsg":
        out["dhcpv6.reconf_msg"] = str(o.msgtype)
    elif name == "DHCP6OptInfoRefreshTime":
        out["dhcpv6.lifetime"] = str(o.reftime)
    elif name == "DHCP6OptRemoteID":
        out |= {"dhcpv6.remoteid.enterprise": str(o.enterprisenum),
                "dhcpv6.remoteid_enterprise_id": _hexcolons(o.remoteid)}
    elif name == "DHCP6OptSubscriberID":
        out["dhcpv6.subscriber_id"] = o.subscriberid.decode()
    elif name == "DHCP6OptClientFQDN":
        key = "dhcpv6.tld" if o.fqdn.count(b".") == 1 else "dhcpv6.client_domain"
        out |= {"dhcpv6.client_fqdn_flags": f"0x{int(o.flags):02x}", key: o.fqdn.decode()}
    elif name == "DHCP6OptNTPServer":
        out["dhcpv6.ntpserver.option.type"] = [str(s.optcode) for s in o.ntpserver]
        out["dhcpv6.ntpserver.addr"] = [s.addr for s in o.ntpserver if s.optcode == 1]
        out["dhcpv6.ntpserver.fqdn"] = [s.fqdn.decode() for s in o.ntpserver
                                        if s.optcode == 3]
    else:
        lists = {"DHCP6OptDNSServers": ("dnsservers", "dhcpv6.dns_server"),
                 "DHCP6OptSNTPServers": ("sntpservers", "dhcpv6.sntp_server"),
                 "DHCP6OptSIPServers": ("sipservers", "dhcpv6.sip_server_a"),
                 "DHCP6OptNISServers": ("nisservers", "dhcpv6.nis_server"),
                 "DHCP6OptDNSDomains": ("dnsdomains", "dhcpv6.search_list_entry"),
                 "DHCP6OptSIPDomains": ("sipdomains",
                                        "dhcpv6.sip_server_domain_search_fqdn")}
        if name in lists:
            field, key = lists[name]
            out[key] = list(getattr(o, field))
        elif name == "DHCP6OptNISDomain":
            out["dhcpv6.nis_fqdn"] = o.nisdomain.decode()
    return out


def _check_message(msg: Any, tree: dict[str, Any]) -> None:
    """A message's fields and every option's against tshark's ``dhcpv6`` tree."""
    if isinstance(msg, DHCP6_RelayForward):
        assert tree["dhcpv6.msgtype"] == str(msg.msgtype)
        assert tree["dhcpv6.hopcount"] == str(msg.hopcount)
        assert tree["dhcpv6.linkaddr"] == msg.linkaddr
        assert tree["dhcpv6.peeraddr"] == msg.peeraddr
    else:
        assert tree["dhcpv6.msgtype"] == str(msg.msgtype)
        assert tree["dhcpv6.xid"] == f"0x{msg.trid:06x}"
    ours = _options(msg)
    theirs = _option_dicts(tree)
    assert [str(o.optcode) for o in ours] == [t["dhcpv6.option.type"] for t in theirs]
    assert [str(o.optlen) for o in ours] == [t["dhcpv6.option.length"] for t in theirs]
    for o, t in zip(ours, theirs, strict=True):
        for key, want in _expected(o).items():
            got = values(t, key)
            if not isinstance(want, list):
                got = got[:1]
                want = [want]
            # (values() also walks the options this one holds: keep this option's own)
            assert got[:len(want)] == want, (type(o).__name__, key)
        if isinstance(o, DHCP6OptRelayMsg):
            inner = o.message
            sub = t["dhcpv6"]
            assert sub["dhcpv6.msgtype"] == str(inner.msgtype)
            assert sub["dhcpv6.xid"] == f"0x{inner.trid:06x}"


def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    # Frames built by Scapy, dissected by paquet, written by paquet, read by tshark.
    frames = [Ether(bytes(both(e)[1])) for e in (SOLICIT, ADVERTISE, RELAYED, REPLY)]
    trees = tshark_layers(frames, tmp_path)
    for frame, tree in zip(frames, trees, strict=True):
        msg = frame[UDP].payload
        assert type(msg).__name__ in ("DHCP6_Solicit", "DHCP6_Advertise", "DHCP6_Reply",
                                      "DHCP6_RelayForward")
        _check_message(msg, tree["dhcpv6"])
    # every option met: the table covers what tshark was shown
    seen = {type(o).__name__ for f in frames for o in _options(f[UDP].payload)}
    assert len(seen) >= 35


def test_vss_as_tshark(tmp_path: Path) -> None:
    frame = Ether(bytes(both(f"{ETH}/IPv6()/UDP()/{SCAPY_VSS}")[1]))
    (tree,) = tshark_layers([frame], tmp_path)
    assert values(tree, "dhcpv6.option.type") == ["68", "8"]
    assert values(tree, "dhcpv6.option.length") == ["5", "2"]
    vss = frame[DHCP6OptVSS]
    assert (vss.type, vss.data, vss.optlen) == (1, b"vpn1", 5)
    assert isinstance(vss.payload, DHCP6OptElapsedTime)


# ---------------------------------------------------------------------- hostile bytes


def _roundtrip(cls: type[Packet], data: bytes) -> Packet:
    p = cls(data)
    assert bytes(p) == data
    p.show(dump=True)
    repr(p)
    p.summary()
    assert list(p.iterlayers())  # every lazy layer reached
    return p


def test_every_cut_gives_its_bytes_back() -> None:
    for expr in (SOLICIT, ADVERTISE, RELAYED, REPLY):
        whole = bytes(both(expr)[0])
        for n in range(1, len(whole) + 1):
            _roundtrip(Ether, whole[:n])
        body = whole[14 + 40 + 8:]
        for n in range(1, len(body) + 1):
            _roundtrip(DHCP6_Solicit, body[:n])
            _roundtrip(DHCP6, body[:n])


@pytest.mark.parametrize("expr", OPTIONS)
def test_option_cuts_and_bad_lengths(expr: str) -> None:
    opt = both(expr)[0]
    whole = bytes(opt)
    for n in range(len(whole) + 1):
        if n:
            _roundtrip(type(opt), whole[:n])
        _roundtrip(DHCP6_Reply, b"\x07\x00\x00\x01" + whole[:n])
    for optlen in (0, 1, 2, 3, 11, 12, 24, 25, 0xFFFF, len(whole) + 1, max(len(whole) - 5, 0)):
        bad = whole[:2] + optlen.to_bytes(2, "big") + whole[4:]
        _roundtrip(DHCP6_Reply, b"\x07\x00\x00\x01" + bad + bytes(DHCP6OptStatusCode()))


def test_random_mutations_never_raise() -> None:
    rng = random.Random(0x6D6)
    bases = [bytes(both(e)[0]) for e in (SOLICIT, ADVERTISE, RELAYED, REPLY)]
    for i in range(3000):
        data = bytearray(rng.choice(bases))
        for _ in range(rng.randint(1, 6)):
            pos = rng.randrange(14 + 40 + 8, len(data))
            data[pos] = rng.randrange(256)
        if i % 3 == 0:
            del data[rng.randrange(62, len(data)):]
        _roundtrip(Ether, bytes(data))


def test_unknown_options_are_kept() -> None:
    unknown = DHCP6OptUnknown(optcode=4242, data=b"\x00\x01secret")
    data = bytes(DHCP6_Reply(trid=7) / unknown / DHCP6OptStatusCode(statuscode=1))
    p = DHCP6_Reply(data)
    assert isinstance(p.payload, DHCP6OptUnknown)
    assert (p.payload.optcode, p.payload.data) == (4242, b"\x00\x01secret")
    assert isinstance(p.payload.payload, DHCP6OptStatusCode) and bytes(p) == data
    # Inside an IA_NA an unknown code is raw bytes (Scapy's), kept all the same.
    ia = DHCP6OptIA_NA(bytes(DHCP6OptIA_NA(ianaopts=[unknown, DHCP6OptIAAddress()])))
    assert isinstance(ia.ianaopts[0], Raw) and bytes(ia) == bytes(
        DHCP6OptIA_NA(ianaopts=[unknown, DHCP6OptIAAddress()]))


def test_deep_nesting_does_not_overflow() -> None:
    # A relay message inside a relay message, 60 deep (hop counts beyond RFC 8415's 32).
    msg: Packet = DHCP6_Solicit(trid=1) / DHCP6OptClientId(duid=DUID_LLT())
    for _ in range(60):
        msg = DHCP6_RelayForward() / DHCP6OptRelayMsg(message=msg)
    data = bytes(msg)
    p = _roundtrip(DHCP6_RelayForward, data)
    inner = p
    depth = 0
    while isinstance(inner, DHCP6_RelayForward):
        inner = inner[DHCP6OptRelayMsg].message
        depth += 1
    assert depth == 61 - 1 and isinstance(inner, DHCP6_Solicit)
    # Relay-supplied options holding themselves (Scapy's issue 3894).
    q = _roundtrip(DHCP6, b"\x01\x00\x00\x00" + b"\x00B\x0f\x0f" * 100)
    assert q.getlayer(DHCP6OptRelaySuppliedOpt, 100)


def test_names_with_pointers_or_cut_short() -> None:
    fqdn = bytes(DHCP6OptClientFQDN(fqdn="a.example"))
    looped = fqdn[:5] + b"\xc0\x05"  # a compression pointer: nothing to point into
    p = _roundtrip(DHCP6_Reply, b"\x07\x00\x00\x01" + looped[:2] + b"\x00\x03" + looped[4:])
    assert not isinstance(p.payload, DHCP6OptClientFQDN)
    cut = DHCP6OptClientFQDN(fqdn[:-3])  # labels longer than the bytes left
    assert bytes(cut) == fqdn[:-3]
    long_label = DHCP6OptClientFQDN(fqdn="x" * 80 + ".example")
    assert DHCP6OptClientFQDN(bytes(long_label)).fqdn == b"x" * 63 + b".example."


def test_message_is_the_relay_payload_and_matches_by_peer() -> None:
    fwd = DHCP6_RelayForward(hopcount=2, linkaddr="2001:db8::1", peeraddr="fe80::5") / \
        DHCP6OptRelayMsg(message=DHCP6_Solicit(trid=3))
    rep = DHCP6_RelayReply(hopcount=2, linkaddr="2001:db8::1", peeraddr="fe80::5") / \
        DHCP6OptRelayMsg(message=DHCP6_Advertise(trid=3))
    fwd, rep = DHCP6_RelayForward(bytes(fwd)), DHCP6_RelayReply(bytes(rep))
    assert fwd.hashret() == rep.hashret() and rep.answers(fwd) and not fwd.answers(rep)
    assert isinstance(rep.message, DHCP6_Advertise) and rep.message.answers(fwd.message)
    assert DHCP6OptClientId in Ether(bytes(both(RELAYED)[0]))  # searched inside the message


def test_ls_as_scapy() -> None:
    import contextlib
    import io

    import paquet
    import paquet.layers.dhcp6_options_ext as ext
    from paquet.layers import dhcp6 as messages
    from paquet.layers import dhcp6_options as core

    scapy_all = pytest.importorskip("scapy.all")
    names = [n for m in (messages, core, ext) for n in m.__all__
             if isinstance(getattr(m, n), type)]
    assert len(names) > 75
    for n in names:
        ours, theirs = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(ours):
            paquet.ls(getattr(paquet, n))
        with contextlib.redirect_stdout(theirs):
            scapy_all.ls(getattr(scapy_all, n))
        assert ours.getvalue() == theirs.getvalue(), n


def test_geoconf_builds_where_scapy_cannot() -> None:
    # Scapy's DHCP6OptGeoConf computes its length with a one-argument ``adjust``: it cannot
    # be built there. paquet builds it; Scapy reads paquet's bytes to the same fields.
    expr = ("DHCP6OptGeoConf(what=1, country_code=b'DE', ca_elts=[DHCP6OptGeoConfElement("
            "CAtype=3, CAvalue=b'Berlin')])")
    ours, theirs = both(expr)
    with pytest.raises(TypeError):
        bytes(theirs)
    data = bytes(ours)
    assert data[:4] == b"\x00\x24\x00\x0c" and data.endswith(b"Berlin")
    same_tree(type(ours)(data), type(theirs)(data))

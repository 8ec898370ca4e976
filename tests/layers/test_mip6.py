"""Mobile IPv6: mobility messages and options, home agent discovery and mobile prefix
messages; Scapy's bytes and fields, tshark's dissection, alignment, cuts kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.layers.ipv6_family import both, layer_pairs, same_fields, tshark_layers, values

from paquet.layers import Ether, IPv6
from paquet.layers.ipv6 import IPv6ExtHdrDestOpt, IPv6ExtHdrRouting
from paquet.layers.ipv6_options import HAO
from paquet.layers.mip6 import (
    MIP6MH_BA,
    MIP6MH_BE,
    MIP6MH_BRR,
    MIP6MH_BU,
    ICMPv6HAADReply,
    ICMPv6HAADRequest,
    MIP6MH_HoT,
    MIP6MH_HoTI,
    MIP6OptAltCoA,
    MIP6OptMobNetPrefix,
)

A, B = "2001:db8::1", "2001:db8::2"
OPTIONS = ["MIP6OptBRAdvice()", "MIP6OptAltCoA(acoa='2001:db8::5')",
           "MIP6OptNonceIndices(hni=1, coni=2)", "MIP6OptBindingAuthData(authenticator=7)",
           "MIP6OptMobNetPrefix(prefix='2001:db8:7::', plen=48)",
           "MIP6OptLLAddr(lla='02:00:00:00:00:01')", "MIP6OptMNID(id='user@example.org')",
           "MIP6OptMsgAuth(mspi=3)", "MIP6OptReplayProtection(timestamp=2**62)",
           "MIP6OptCGAParamsReq()", "MIP6OptCGAParams(cgaparams=b'abc')",
           "MIP6OptSignature(sig=b'sig')", "MIP6OptHomeKeygenToken(hkt=b'12345678')",
           "MIP6OptCareOfTestInit()", "MIP6OptCareOfTest()",
           "MIP6OptUnknown(otype=99, odata=b'xy')"]
PADS = ["", "Pad1(), ", *(f"PadN(optdata=b'\\x00' * {n}), " for n in range(7))]
CONSTRUCTIONS = [
    *OPTIONS,
    *(f"MIP6MH_BU(seq=0x4242, options=[{pad}{opt}])" for opt in OPTIONS[:9] for pad in PADS),
    "MIP6MH_Generic(mhtype=99, msg=b'abcdef')",
    "IPv6(src='2001:db8::1', dst='2001:db8::2')/MIP6MH_BRR()",
    "IPv6(src='2001:db8::1', dst='2001:db8::2')/MIP6MH_BRR(nh=0xff, res=0xee, res2=0xaaaa, "
    "options=[MIP6OptLLAddr(), MIP6OptAltCoA()])",
    "IPv6(src='2001:db8::1', dst='2001:db8::2')/MIP6MH_HoTI(cookie=b'\\xaa' * 8)",
    "IPv6(src='2001:db8::1', dst='2001:db8::2')/MIP6MH_CoTI(res=0x77, cksum=0x8899)",
    "IPv6(src='2001:db8::1', dst='2001:db8::2')/MIP6MH_HoT(index=0xaabb, token=b'\\xcc' * 8)",
    "IPv6(src='2001:db8::1', dst='2001:db8::2')/MIP6MH_CoT()",
    "IPv6()/IPv6ExtHdrDestOpt(options=[HAO(hoa='2001:db8::cafe')])/MIP6MH_BU(mhtime=42, "
    "options=[MIP6OptAltCoA(), MIP6OptMobNetPrefix()])",
    "IPv6()/MIP6MH_BA(mhtime=42, seq=9, status=128)",
    "IPv6()/MIP6MH_BE(status=2, ha='1::2')",
    "IPv6(dst='2001:db8::fdff:ffff:ffff:fffe', src='2001:db8::1')/ICMPv6HAADRequest(id=42)",
    "IPv6(dst='2001:db8::1', src='2001:db8::42')/ICMPv6HAADReply(id=42, "
    "addresses=['2001:db8::2', '2001:db8::3'])",
    "IPv6()/ICMPv6MPSol()", "IPv6()/ICMPv6MPSol(cksum=0x2808, id=8)",
    "IPv6()/ICMPv6MPAdv()/ICMPv6NDOptPrefixInfo()",
    "IPv6()/ICMPv6MPAdv(flags=1, id=42)/ICMPv6NDOptPrefixInfo(prefix='2001:db8::1', L=0)",
]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_bytes_equal_scapy(expr: str) -> None:
    ours, theirs = both(expr)
    assert bytes(ours) == bytes(theirs)


def _options_match(a: object, b: object) -> None:
    ao, bo = a.options, b.options  # type: ignore[attr-defined]
    assert [type(o).__name__ for o in ao] == [type(o).__name__ for o in bo]
    for o, so in zip(ao, bo, strict=True):
        same_fields(o, so)


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_scapy_bytes_dissect_to_scapy_fields(expr: str) -> None:
    ours, theirs = both(expr)
    data = bytes(theirs)
    mine, scapys = type(ours)(data), type(theirs)(data)
    assert bytes(mine) == data
    for a, b in layer_pairs(mine, scapys):
        if type(a).__name__ in ("Raw", "Padding"):
            continue
        if "options" in a._fieldmap:
            _options_match(a, b)
            for f in b.fields_desc:
                if f.name not in ("options", "flags"):
                    assert getattr(a, f.name) == getattr(b, f.name), f.name
            if "flags" in a._fieldmap:
                assert int(a.flags) == int(b.flags)
        else:
            same_fields(a, b)


def test_messages_are_dissected_by_type_and_match() -> None:
    hoa, coa, cn = "2001:db8:9999::1", "2001:db8:7777::1", "2001:db8:8888::1"
    brr = IPv6(bytes(IPv6(src=cn, dst=hoa) / MIP6MH_BRR()))
    bu = IPv6(bytes(IPv6(src=coa, dst=cn) / IPv6ExtHdrDestOpt(options=HAO(hoa=hoa))
                    / MIP6MH_BU(flags=0x01)))
    bu_no_ack = IPv6(bytes(IPv6(src=coa, dst=cn) / IPv6ExtHdrDestOpt(options=HAO(hoa=hoa))
                           / MIP6MH_BU(flags=0x02)))
    ba = IPv6(bytes(IPv6(src=cn, dst=coa) / IPv6ExtHdrRouting(type=2, addresses=[hoa])
                    / MIP6MH_BA()))
    assert isinstance(brr.payload, MIP6MH_BRR) and isinstance(ba[MIP6MH_BA], MIP6MH_BA)
    assert bu.answers(brr) and not brr.answers(bu)
    assert ba.answers(bu) and not bu.answers(ba) and not ba.answers(bu_no_ack)
    for p in (brr, bu, ba):
        assert "bad" not in (p.show(dump=True) or "")
    hoti = IPv6(src=A, dst=B) / MIP6MH_HoTI(cookie=b"12345678")
    hot = IPv6(src=B, dst=A) / MIP6MH_HoT(cookie=b"12345678")
    other = IPv6(src=B, dst=A) / MIP6MH_HoT(cookie=b"87654321")
    assert hot.answers(hoti) and not other.answers(hoti) and hoti.hashret() == hot.hashret()
    req = IPv6(src=A, dst=B) / ICMPv6HAADRequest(id=42)
    rep = IPv6(src=B, dst=A) / ICMPv6HAADReply(id=42, addresses=[A])
    assert rep.answers(req) and not (IPv6(src=B, dst=A) / ICMPv6HAADReply(id=1)).answers(req)
    assert isinstance(IPv6(bytes(rep)).payload, ICMPv6HAADReply)


def test_dissected_options_build_back_as_they_came() -> None:
    # Options laid out by hand, without the alignment autopad would give: kept verbatim.
    data = bytes(MIP6MH_BU(autopad=0, options=[MIP6OptAltCoA()])) + bytes(6)
    data = data[:1] + bytes([(len(data) - 8) // 8]) + data[2:]
    p = MIP6MH_BU(data)
    assert bytes(p) == data and isinstance(p.options[0], MIP6OptAltCoA)


def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    frames = [
        Ether() / IPv6(src=A, dst=B) / IPv6ExtHdrDestOpt(options=[HAO(hoa="2001:db8::9")])
        / MIP6MH_BU(seq=7, mhtime=42, options=[MIP6OptAltCoA(acoa="2001:db8::5"),
                                                MIP6OptMobNetPrefix(prefix="2001:db8:7::",
                                                                    plen=48)]),
        Ether() / IPv6(src=B, dst=A) / MIP6MH_BA(seq=7, status=128, mhtime=10),
        Ether() / IPv6(src=B, dst=A) / MIP6MH_HoT(index=5, cookie=b"c" * 8, token=b"t" * 8),
        Ether() / IPv6(src=B, dst=A) / MIP6MH_BE(status=2, ha="2001:db8::3"),
        Ether() / IPv6(src=B, dst=A) / ICMPv6HAADReply(id=42, addresses=["2001:db8::7"]),
    ]
    trees = tshark_layers(frames, tmp_path)
    for frame, tree in zip(frames[:4], trees[:4], strict=True):
        mh = IPv6(bytes(frame[IPv6])).lastlayer()
        while type(mh).__name__ in ("Raw", "Padding"):
            mh = mh.underlayer
        assert values(tree, "mip6.mhtype") == [str(mh.mhtype)]
        assert values(tree, "mip6.hlen") == [str(mh.len)]
        assert values(tree, "mip6.csum") == [f"0x{mh.cksum:04x}"]
        assert values(tree, "mip6.proto") == [str(mh.nh)]
    bu = IPv6(bytes(frames[0][IPv6]))[MIP6MH_BU]
    assert values(trees[0], "mip6.bu.seqnr") == ["7"]
    assert values(trees[0], "mip6.bu.lifetime") == ["42"]
    assert [values(trees[0], f"mip6.bu.{x}_flag")[0] for x in "ahkl"] == [
        str(int(bu.flags.A)), str(int(bu.flags.H)), str(int(bu.flags.K)), str(int(bu.flags.L))]
    assert values(trees[0], "mip6.acoa.acoa") == ["2001:db8::5"]
    assert values(trees[0], "mip6.nemo.mnp.mnp") == ["2001:db8:7::"]
    assert values(trees[0], "mip6.nemo.mnp.pfl") == ["48"]
    assert values(trees[0], "ipv6.opt.mipv6.home_address") == ["2001:db8::9"]
    assert values(trees[1], "mip6.ba.status") == ["128"]
    assert values(trees[1], "mip6.ba.seqnr") == ["7"]
    assert values(trees[1], "mip6.ba.lifetime") == ["10"]
    assert values(trees[2], "mip6.hot.nindex") == ["5"]
    assert values(trees[2], "mip6.hot.cookie") == ["0x" + b"c".hex() * 8]
    assert values(trees[3], "mip6.be.status") == ["2"]
    assert values(trees[3], "mip6.be.haddr") == ["2001:db8::3"]
    assert values(trees[4], "icmpv6.mip6.identifier") == ["42"]
    assert values(trees[4], "icmpv6.mip6.home_agent_address") == ["2001:db8::7"]
    assert values(trees[4], "icmpv6.checksum.status") == ["1"]


@pytest.mark.parametrize("cls", [MIP6MH_BU, MIP6MH_BA, MIP6MH_BE, MIP6MH_HoT, MIP6MH_BRR])
def test_cuts_give_their_bytes_back(cls: type) -> None:
    whole = bytes(IPv6(src=A, dst=B) / cls(options=[MIP6OptAltCoA(), MIP6OptMobNetPrefix()]))
    for n in range(1, len(whole) + 1):
        assert bytes(IPv6(whole[:n])) == whole[:n], n
    body = whole[40:]
    for n in range(1, len(body) + 1):
        assert bytes(cls(body[:n])) == body[:n], n

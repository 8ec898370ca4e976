"""PPP, PPPoE and PPP's control protocols (LCP, IPCP, ECP, PAP, CHAP): the same bytes and
fields as Scapy, the same dissection as tshark, hostile input given back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from paquet.layers import IP, Ether
from paquet.layers.ppp import DIR_PPP, HDLC, PPP, PPPoE, PPPoED, PPPoED_Tags, PPPoETag
from paquet.layers.ppp_cp import (
    PPP_CHAP,
    PPP_IPCP,
    PPP_LCP,
    PPP_PAP,
    PPP_CHAP_ChallengeResponse,
    PPP_IPCP_Option_DNS1,
    PPP_IPCP_Option_IPAddress,
    PPP_LCP_Auth_Protocol_Option,
    PPP_LCP_Configure,
    PPP_LCP_Echo,
    PPP_LCP_Magic_Number_Option,
    PPP_LCP_MRU_Option,
    PPP_PAP_Request,
    PPP_PAP_Response,
)
from paquet.pcap import rdpcap

from .scapy_compare import (
    ETH,
    IP4,
    assert_hostile_round_trip,
    assert_same_as_scapy,
    build,
    colon_hex,
    one,
    tshark_layers,
    values,
)

pytest.importorskip("scapy.all")

TAGS = ("PPPoED_Tags(tag_list=[PPPoETag(tag_type=0x0101), PPPoETag(tag_type=0x0103, "
        "tag_value=b'\\x01\\x02\\x03\\x04'), PPPoETag(tag_type=0x0102, tag_value=b'ac')])")
LCP_OPTS = ("[PPP_LCP_MRU_Option(max_recv_unit=1492), PPP_LCP_ACCM_Option(accm=0xFFFF), "
            "PPP_LCP_Auth_Protocol_Option(auth_protocol=0xc223, algorithm=0x81), "
            "PPP_LCP_Auth_Protocol_Option(), PPP_LCP_Auth_Protocol_Option(auth_protocol=0xc227), "
            "PPP_LCP_Quality_Protocol_Option(data=b'ab'), "
            "PPP_LCP_Magic_Number_Option(magic_number=0xDEADBEEF), "
            "PPP_LCP_Callback_Option(operation=1, message=b'555'), PPP_LCP_Option(type=7), "
            "PPP_LCP_Option(type=8), PPP_LCP_Option(type=99, data=b'xyz')]")
IPCP_OPTS = ("[PPP_IPCP_Option_IPAddress(data='192.0.2.9'), "
             "PPP_IPCP_Option_DNS1(data='192.0.2.53'), PPP_IPCP_Option_DNS2(data='192.0.2.54'), "
             "PPP_IPCP_Option_NBNS1(), PPP_IPCP_Option_NBNS2(data='198.51.100.1'), "
             "PPP_IPCP_Option(type=2, data=b'\\x00\\x2d\\x0f\\x01')]")

CONSTRUCTIONS = [
    "PPPoE()",
    f"PPPoE(sessionid=0x1234) / PPP() / {IP4}",
    "PPPoE(version=2, type=3, code=0, len=99) / PPP()",
    "PPPoED()",
    f"PPPoED(code=0x07, sessionid=0) / {TAGS}",
    f"{ETH} / PPPoED() / {TAGS}",
    f"{ETH} / PPPoED(code=0xa7, sessionid=0x11) / PPPoED_Tags()",
    f"{ETH} / PPPoE(sessionid=3) / PPP() / {IP4} / ICMP()",
    "PPPoETag(tag_type=0x0101, tag_value=b'internet')",
    "HDLC() / PPP() / IPv6(src='2001:db8::1', dst='2001:db8::2')",
    f"PPP(proto=b'\\x21') / {IP4}",
    "PPP(proto=0x0057) / IPv6(src='2001:db8::1', dst='2001:db8::2')",
    "PPP(proto=0xc227) / EAP(code=1, id=1, type=1)",
    "PPP() / PPP_LCP()",
    "PPP(proto=0xc021) / PPP_LCP(code=7, id=3, data=b'rejected')",
    f"PPP() / PPP_LCP_Configure(id=1, options={LCP_OPTS})",
    "PPP_LCP_Configure(code=2, id=3)",
    "PPP_LCP_Configure(code=4, id=3, options=[PPP_LCP_Option(type=13, data=b'\\x06')])",
    "PPP_LCP_Terminate(code=6, id=5)",
    "PPP_LCP_Echo(code=10, id=4, magic_number=7, data=b'x')",
    "PPP_LCP_Echo(magic_number=0x01020304)",
    "PPP_LCP_Discard_Request(magic_number=1, data=b'junk')",
    "PPP_LCP_Code_Reject(rejected_packet=PPP_LCP(code=12, data=b'zz'))",
    "PPP_LCP_Protocol_Reject(rejected_protocol=0x8057, rejected_information=Raw(b'abc'))",
    f"PPP(proto=0x8021) / PPP_IPCP(id=2, options={IPCP_OPTS})",
    "PPP_IPCP(code=3)",
    "PPP_ECP(options=[PPP_ECP_Option_OUI(oui=0x123456, subtype=1, data=b'z'), "
    "PPP_ECP_Option(type=1, data=b'ab')])",
    "PPP() / PPP_PAP_Request(id=1, username=b'user', password=b'pass')",
    "PPP_PAP_Response(id=1, message=b'welcome')",
    "PPP_PAP_Response(code=3)",
    "PPP_PAP(code='Authenticate-Ack', id=42)",
    "PPP_PAP(code=3, id=42, message='Bad password')",
    "PPP() / PPP_CHAP_ChallengeResponse(value=b'0123456789abcdef', optional_name=b'srv')",
    "PPP_CHAP_ChallengeResponse(code=2, id=4)",
    "PPP_CHAP(code='Response', id=47, value=b'\\x00' * 16, optional_name='client')",
    "PPP_CHAP(code=3, data=b'ok')",
    "PPP_CHAP(code=4)",
    f"{ETH} / IP(src='192.0.2.1', dst='192.0.2.2') / GRE_PPTP(call_id=1) / PPP(proto=0xc223)"
    " / PPP_CHAP(code=3, id=1, data=b'Welcome')",
]


@pytest.mark.parametrize("expr", CONSTRUCTIONS)
def test_same_as_scapy(expr: str) -> None:
    assert_same_as_scapy(expr)


@pytest.mark.parametrize("expr", [
    f"DIR_PPP() / PPP() / {IP4}",
    "DIR_PPP(direction='sent') / PPP(proto=0xc021) / PPP_LCP(code=9, data=b'echo')",
    "DIR_PPP(direction=7)",
])
def test_direction_byte_as_scapy(expr: str) -> None:
    """Bytes, dissection, summary and show() are Scapy's. One deliberate difference: Scapy's
    ``pkt.direction`` reads the capture's direction slot (None), which hides the field; here
    the attribute is the field (the capture's direction stays ``pkt.direction`` on every
    other layer)."""
    ours, theirs = build("p", expr), build("s", expr)
    data = bytes(theirs)
    assert bytes(ours) == data
    mine, scapy_pkt = DIR_PPP(data), build("s", "DIR_PPP")(data)
    assert bytes(mine) == data and mine.summary() == scapy_pkt.summary()
    assert mine.show(dump=True) == scapy_pkt.show(dump=True)
    assert mine.direction == scapy_pkt.getfieldval("direction") == data[0]


def test_classes_by_code_and_type() -> None:
    lcp = PPP(bytes(PPP() / PPP_LCP_Configure(options=[
        PPP_LCP_MRU_Option(), PPP_LCP_Auth_Protocol_Option(auth_protocol=0xC223),
        PPP_LCP_Magic_Number_Option(magic_number=1)])))
    assert [type(o) for o in lcp[PPP_LCP_Configure].options] == [
        PPP_LCP_MRU_Option, PPP_LCP_Auth_Protocol_Option, PPP_LCP_Magic_Number_Option]
    assert lcp[PPP_LCP_Configure].options[1].algorithm == 5
    assert type(PPP_LCP(bytes(PPP_LCP_Echo(code=10)))) is PPP_LCP_Echo
    assert type(PPP_PAP(bytes(PPP_PAP_Response()))) is PPP_PAP_Response
    assert type(PPP_PAP(code=1, username=b"u")) is PPP_PAP_Request
    assert type(PPP_CHAP(code=2)) is PPP_CHAP_ChallengeResponse
    assert type(PPP_CHAP(code=3)) is PPP_CHAP
    ipcp = PPP_IPCP(bytes(PPP_IPCP(options=[PPP_IPCP_Option_DNS1(data="192.0.2.53")])))
    assert type(ipcp.options[0]) is PPP_IPCP_Option_DNS1
    assert ipcp.options[0].data == "192.0.2.53"
    # A one-byte protocol field (RFC 1661 §2's compression) dissects and builds back.
    one_byte = PPP(b"\x21" + bytes(IP()))
    assert one_byte.proto == 0x21 and isinstance(one_byte.payload, IP)
    assert bytes(one_byte)[:1] == b"\x21"
    assert type(PPP(b"\xff\x03\x00\x21" + bytes(IP()))) is HDLC


def test_replies_answer_their_requests() -> None:
    req = PPP_LCP_Echo(code=9, id=7)
    assert PPP_LCP_Echo(code=10, id=7).answers(req)
    assert not PPP_LCP_Echo(code=10, id=8).answers(req)
    assert PPP_LCP_Configure(code=2, id=1).answers(PPP_LCP_Configure(code=1, id=1))
    assert PPP_PAP_Response(id=3).answers(PPP_PAP_Request(id=3))
    challenge = PPP_CHAP_ChallengeResponse(code=1, id=2)
    response = PPP_CHAP_ChallengeResponse(code=2, id=2)
    assert response.answers(challenge) and PPP_CHAP(code=3, id=2).answers(response)


def test_pppoe_length_and_padding() -> None:
    frame = bytes(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / PPPoED()
                  / PPPoED_Tags(tag_list=[PPPoETag(tag_type=0x101)])) + b"\x00" * 20
    pkt = Ether(frame)
    assert pkt[PPPoED].len == 4 and len(pkt[PPPoED_Tags].tag_list) == 1
    assert bytes(pkt) == frame and "PPPoE TagsService-Name" in pkt.summary()


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_tshark_dissects_as_we_do(tmp_path: Path) -> None:
    exprs = [CONSTRUCTIONS[5], CONSTRUCTIONS[6],
             f"{ETH} / PPPoE(sessionid=0x11) / PPP() / PPP_LCP_Configure(id=1, options="
             "[PPP_LCP_MRU_Option(max_recv_unit=1492), PPP_LCP_Auth_Protocol_Option("
             "auth_protocol=0xc223), PPP_LCP_Magic_Number_Option(magic_number=0xdeadbeef)])",
             f"{ETH} / PPPoE(sessionid=0x11) / PPP() / PPP_LCP_Echo(id=9, magic_number=5, "
             "data=b'abc')",
             f"{ETH} / PPPoE(sessionid=2) / PPP(proto=0x8021) / PPP_IPCP(code=3, id=4, options=["
             "PPP_IPCP_Option_IPAddress(data='192.0.2.9'), "
             "PPP_IPCP_Option_DNS1(data='192.0.2.53')])",
             f"{ETH} / PPPoE(sessionid=2) / PPP() / PPP_PAP_Request(id=1, username=b'user', "
             "password=b'pass')",
             f"{ETH} / PPPoE(sessionid=2) / PPP() / PPP_PAP_Response(id=1, message=b'ok')",
             f"{ETH} / PPPoE(sessionid=2) / PPP() / PPP_CHAP_ChallengeResponse(id=6, "
             "value=b'0123456789abcdef', optional_name=b'srv')",
             f"{ETH} / PPPoE(sessionid=2) / PPP() / PPP_CHAP(code=4, id=6, data=b'no')",
             f"{ETH} / PPPoE(sessionid=2) / PPP() / {IP4} / ICMP()"]
    frames = [build("p", e) for e in exprs]
    trees = tshark_layers(tmp_path, frames)
    ours = rdpcap(str(tmp_path / "frames.pcap"))
    for tree, pkt in zip(trees, ours, strict=True):
        pppoe = pkt.payload
        assert int(one(tree, "pppoe.version")) == pppoe.version
        assert int(one(tree, "pppoe.type")) == pppoe.type
        assert int(one(tree, "pppoe.code"), 16) == pppoe.code
        assert int(one(tree, "pppoe.session_id"), 16) == pppoe.sessionid
        assert int(one(tree, "pppoe.payload_length")) == pppoe.len
        if isinstance(pppoe, PPPoED):
            tags = pkt[PPPoED_Tags].tag_list if PPPoED_Tags in pkt else []
            for tag in tags:
                if tag.tag_type == 0x103:
                    assert one(tree, "pppoed.tags.host_uniq") == colon_hex(tag.tag_value)
                if tag.tag_type == 0x102:
                    assert one(tree, "pppoed.tags.ac_name") == tag.tag_value.decode()
            continue
        assert int(one(tree, "ppp.protocol"), 16) == pkt[PPP].proto
        _check_control(tree, pkt)


def _check_control(tree: dict[str, object], pkt: Ether) -> None:
    body = pkt[PPP].payload
    if isinstance(body, (PPP_LCP, PPP_IPCP)):
        assert int(one(tree, "ppp.code")) == body.code
        assert int(one(tree, "ppp.identifier")) == body.id
        assert int(one(tree, "ppp.length")) == body.len
    if isinstance(body, PPP_LCP_Configure):
        assert values(tree, "lcp.opt.type") == [str(o.type) for o in body.options]
        assert values(tree, "lcp.opt.length") == [str(o.len) for o in body.options]
        assert int(one(tree, "lcp.opt.mru")) == body.options[0].max_recv_unit
        assert int(one(tree, "lcp.opt.auth_protocol"), 16) == body.options[1].auth_protocol
        assert int(one(tree, "lcp.opt.algorithm")) == body.options[1].algorithm
        assert int(one(tree, "lcp.opt.magic_number"), 16) == body.options[2].magic_number
    elif isinstance(body, PPP_LCP_Echo):
        assert int(one(tree, "lcp.magic_number"), 16) == body.magic_number
        assert one(tree, "lcp.data") == colon_hex(body.data)
    elif isinstance(body, PPP_IPCP):
        assert values(tree, "ipcp.opt.type") == [str(o.type) for o in body.options]
        assert one(tree, "ipcp.opt.ip_address") == body.options[0].data
        assert one(tree, "ipcp.opt.pri_dns_address") == body.options[1].data
    elif isinstance(body, PPP_PAP):
        assert int(one(tree, "pap.code")) == body.code
        assert int(one(tree, "pap.identifier")) == body.id
        assert int(one(tree, "pap.length")) == body.len
        if isinstance(body, PPP_PAP_Request):
            assert one(tree, "pap.peer_id") == body.username.decode()
            assert one(tree, "pap.password") == body.password.decode()
        else:
            assert one(tree, "pap.message") == body.message.decode()
    elif isinstance(body, PPP_CHAP):
        assert int(one(tree, "chap.code")) == body.code
        assert int(one(tree, "chap.identifier")) == body.id
        assert int(one(tree, "chap.length")) == body.len
        if isinstance(body, PPP_CHAP_ChallengeResponse):
            assert int(one(tree, "chap.value_size")) == body.value_size
            assert one(tree, "chap.value") == colon_hex(body.value)
            assert one(tree, "chap.name") == body.optional_name.decode()
        else:
            assert one(tree, "chap.message") == body.data.decode()
    else:
        assert one(tree, "ip.dst") == pkt[IP].dst


@pytest.mark.parametrize("index", [1, 5, 15, 22, 24, 27, 32])
def test_hostile_input_is_given_back(index: int) -> None:
    expr = CONSTRUCTIONS[index]
    data = bytes(build("p", expr))
    first = {"Ether": Ether, "PPPoE": PPPoE, "PPP": PPP}.get(expr.split("(")[0], PPP)
    if expr.startswith("PPP_"):
        from .scapy_compare import first_class

        first = first_class("p", expr)
    assert_hostile_round_trip(first, data, seed=index)


def test_ipcp_address_option() -> None:
    opt = PPP_IPCP_Option_IPAddress(bytes.fromhex("0306c0000201"))
    assert opt.data == "192.0.2.1" and opt.len == 6


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
@pytest.mark.parametrize(("linktype", "expr"), [
    (9, f"PPP() / {IP4} / ICMP()"),
    (50, f"HDLC() / PPP() / {IP4} / ICMP()"),
    (51, f"PPPoE(sessionid=3) / PPP() / {IP4} / ICMP()"),
    (204, f"DIR_PPP(direction='sent') / PPP() / {IP4} / ICMP()"),
])
def test_pcap_link_types(tmp_path: Path, linktype: int, expr: str) -> None:
    import struct
    import subprocess

    data = bytes(build("p", expr))
    path = tmp_path / "ppp.pcap"
    path.write_bytes(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype)
                     + struct.pack("<IIII", 1, 0, len(data), len(data)) + data)
    pkt = rdpcap(str(path))[0]
    assert type(pkt).__name__ == expr.split("(")[0] and bytes(pkt) == data
    out = subprocess.run(["tshark", "-n", "-r", str(path), "-T", "fields", "-e", "ip.src",
                          "-e", "ip.dst", "-e", "icmp.type"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    assert out.split() == [pkt[IP].src, pkt[IP].dst, "8"]

"""TCP-MD5 signatures (RFC 2385) and the TCP-AO option value (RFC 5925): against Scapy's
bytes, and against the Linux kernel, which answers a signed SYN only when the signature holds."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest
import scapy.all as sa

from paquet import IP, TCP, IPv6, Raw
from paquet.layers.tcp_auth import TCPAOValue, calc_tcp_md5_hash, get_tcpao, sign_tcp_md5
from paquet.packet.fields import FieldError

KEYS = [b"", b"k", b"a rather longer shared BGP secret", bytes(range(80))]


def _pair(net: str, **tcp: object) -> tuple[object, object]:
    """The same segment built by paquet and by Scapy, under IPv4 or IPv6."""
    if net == "4":
        ours = IP(src="192.0.2.1", dst="198.51.100.2") / TCP(**tcp) / Raw(b"hello")
        theirs = sa.IP(src="192.0.2.1", dst="198.51.100.2") / sa.TCP(**tcp) / sa.Raw(b"hello")
    else:
        ours = IPv6(src="2001:db8::1", dst="2001:db8::2") / TCP(**tcp)
        theirs = sa.IPv6(src="2001:db8::1", dst="2001:db8::2") / sa.TCP(**tcp)
    return ours, theirs


@pytest.mark.parametrize("net", ["4", "6"])
@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("tcp", [{}, {"flags": "SA", "seq": 7, "ack": 99, "sport": 179},
                                 {"options": [("MSS", 1460), ("NOP", None), ("WScale", 7)]}])
def test_digest_and_signed_segment_are_scapys(net: str, key: bytes, tcp: dict[str, object]) -> None:
    ours, theirs = _pair(net, **tcp)
    assert calc_tcp_md5_hash(ours[TCP], key) == sa.calc_tcp_md5_hash(theirs[sa.TCP], key)
    sign_tcp_md5(ours[TCP], key)
    sa.sign_tcp_md5(theirs[sa.TCP], key)
    assert bytes(ours) == bytes(theirs)
    assert ours[TCP].options[-1][0] == "MD5"


def test_signing_needs_a_network_layer_and_bytes() -> None:
    with pytest.raises(FieldError, match="IP or IPv6"):
        calc_tcp_md5_hash(TCP(), b"k")
    with pytest.raises(FieldError, match="bytes"):
        calc_tcp_md5_hash((IP() / TCP())[TCP], "k")  # type: ignore[arg-type]


@pytest.mark.parametrize("fields", [{}, {"keyid": 1, "rnextkeyid": 2, "mac": b"FAKE"},
                                    {"keyid": 255, "mac": bytes(12)}])
def test_ao_value_is_scapys(fields: dict[str, object]) -> None:
    assert bytes(TCPAOValue(**fields)) == bytes(sa.TCPAOValue(**fields))
    data = bytes(sa.TCPAOValue(**fields))
    ours, theirs = TCPAOValue(data), sa.TCPAOValue(data)
    assert (ours.keyid, ours.rnextkeyid, ours.mac) == (theirs.keyid, theirs.rnextkeyid,
                                                       theirs.mac)


def test_ao_option_in_a_segment_as_scapy() -> None:
    value = {"keyid": 61, "rnextkeyid": 84, "mac": bytes(range(12))}
    opts = [("MSS", 1460), ("NOP", None), ("NOP", None)]
    ours = TCP(options=[*opts, ("AO", TCPAOValue(**value))])
    theirs = sa.TCP(options=[*opts, ("AO", sa.TCPAOValue(**value))])
    assert bytes(ours) == bytes(theirs)
    again = TCP(bytes(theirs))
    ao = get_tcpao(again)
    assert isinstance(ao, TCPAOValue) and ao.keyid == 61 and ao.mac == bytes(range(12))
    assert bytes(again) == bytes(theirs)
    assert get_tcpao(TCP()) is None


_KERNEL = textwrap.dedent("""
    import json, socket, struct, subprocess, sys
    from paquet import IP, TCP, sr1
    from paquet.layers.tcp_auth import sign_tcp_md5
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)

    def failures():
        head, values = open("/proc/net/netstat").read().splitlines()[:2]
        return int(values.split()[head.split().index("TCPMD5Failure")])

    key = b"shared secret"
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    port = srv.getsockname()[1]
    peer = (struct.pack("=H", socket.AF_INET) + bytes(2) + socket.inet_aton("127.0.0.1"))
    md5sig = peer.ljust(128, b"\\0") + struct.pack("=BBHI", 0, 0, len(key), 0)
    srv.setsockopt(socket.IPPROTO_TCP, 14, md5sig + key.ljust(80, b"\\0"))  # TCP_MD5SIG
    srv.listen()
    out = {}
    for name, signing_key in (("right", key), ("wrong", b"not the secret")):
        syn = IP(src="127.0.0.1", dst="127.0.0.1") / TCP(sport=40000 + len(out), dport=port,
                                                           flags="S", seq=1000)
        sign_tcp_md5(syn[TCP], signing_key)
        before = failures()
        answer = sr1(syn, timeout=1, verbose=0)
        out[name] = [str(answer[TCP].flags) if answer else None, failures() - before]
    print(json.dumps(out))
""")


@pytest.mark.privileged
def test_linux_accepts_our_signature_and_counts_a_wrong_one() -> None:
    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or unshare is None:
        pytest.skip("needs root and unshare (a network namespace of its own)")
    proc = subprocess.run([unshare, "-n", sys.executable, "-c", _KERNEL], capture_output=True,
                          text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["right"] == ["SA", 0]
    assert result["wrong"] == [None, 1]

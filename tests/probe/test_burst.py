"""The C probe loop (paquet.probe._burst) against its Python specification."""

from __future__ import annotations

import hashlib
import os
import random
import socket

import pytest

from paquet.probe import burst
from paquet.probe.cookies import Cookies
from paquet.probe.wire import Template, parse_reply

_burst = pytest.importorskip("paquet.probe._burst")


@pytest.mark.parametrize("size", [1, 2, 10, 34, 64, 127, 128])
def test_cookie_is_keyed_blake2b(size: int) -> None:
    rng = random.Random(size)
    for keylen in (1, 16, 64):
        key = rng.randbytes(keylen)
        data = rng.randbytes(size)
        want = int.from_bytes(hashlib.blake2b(data, key=key, digest_size=4).digest(), "big")
        assert _burst.cookie(key, data) == want


def test_cookie_refuses_what_it_cannot_hash() -> None:
    with pytest.raises(ValueError):
        _burst.cookie(b"", b"x")
    with pytest.raises(ValueError):
        _burst.cookie(b"k" * 65, b"x")
    with pytest.raises(ValueError):
        _burst.cookie(b"k", b"")


@pytest.mark.parametrize("src,dst", [("192.0.2.1", "198.51.100.7"),
                                     ("2001:db8::1", "2001:db8:1::2")])
def test_syn_packets_equal_the_python_path(src: str, dst: str) -> None:
    rng = random.Random(7)
    ports = [0, 1, 80, 65535] + [rng.randrange(65536) for _ in range(2000)]
    for _ in range(3):
        cookies = Cookies()
        t = Template.tcp_syn(src, dst)
        sport = cookies.sport_base + rng.randrange(256)
        ours = _burst.syn_packets(cookies.secret, bytes(t._buf), t._ip_len, t._csum_off,
                                  t._base, sport, ports)
        assert ours == burst.syn_packets_py(cookies, t, sport, ports)
        # and the reply to each probe would be believed by the cookies
        for p, pkt in zip(ports[:50], ours[:50], strict=True):
            r = parse_reply(pkt)
            assert r is not None and (r.sport, r.dport) == (sport, p)
            assert cookies.synack_ok(t.src, t.dst, p, (r.seq + 1) & 0xFFFFFFFF)


def test_bad_arguments_are_refused() -> None:
    c = Cookies()
    t = Template.tcp_syn("192.0.2.1", "192.0.2.2")
    args = (c.secret, bytes(t._buf), t._ip_len, t._csum_off, t._base, c.sport_base)
    with pytest.raises(ValueError):
        _burst.syn_packets(*args, [65536])
    with pytest.raises(TypeError):
        _burst.syn_packets(*args, ["80"])
    with pytest.raises(ValueError):
        _burst.syn_packets(c.secret, bytes(t._buf)[:30], *args[2:], [80])
    u = Template.udp("192.0.2.1", "192.0.2.2")
    with pytest.raises(ValueError):
        burst.syn_packets(c, u, 40000, [80])


def test_recv_many_reads_what_recv_would() -> None:
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    with a, b:
        b.setblocking(False)
        sent = [os.urandom(n) for n in (1, 60, 1500, 7, 1)] * 30
        for d in sent:
            a.send(d)
        got = burst.recv_many(b, 100)
        got += burst.recv_many(b)
        assert got == sent
        assert burst.recv_many(b) == []


def _answers(rng: random.Random, cookies: Cookies, src: str, dst: str, ports: list[int],
             n: int) -> list[bytes]:
    """Replies a SYN scan from ``src`` to ``dst`` may receive: good SYN/ACKs and RSTs, and
    every way of getting one wrong (ack, addresses, ports, flags, version, protocol)."""
    import struct as st

    from paquet.checksums import internet_checksum

    s, d = socket.inet_aton(src), socket.inet_aton(dst)
    out = []
    for _ in range(n):
        sport = rng.choice([*ports, 9, 65535])
        slot = rng.choice([0, 1, 7, 255, 256, -1])
        dport = (cookies.sport_base + slot) & 0xFFFF
        ack = (cookies.tcp_seq(s, d, sport) + 1) & 0xFFFFFFFF
        if rng.random() < 0.15:
            ack = rng.randrange(2**32)
        flags = rng.choice([0x12, 0x14, 0x12, 0x14, 0x10, 0x04, 0x02, 0x11])
        a, b = (d, s) if rng.random() > 0.1 else (d, socket.inet_aton("198.51.100.9"))
        if rng.random() < 0.05:
            a = socket.inet_aton("198.51.100.8")
        ttl = rng.randrange(1, 256)
        tcp = st.pack("!HHIIBBHHH", sport, dport, 0, ack, 5 << 4, flags, 1024, 0, 0)
        ip = bytearray(st.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 0, 0, ttl, 6, 0, a, b))
        if rng.random() < 0.05:
            ip[9] = 17
        if rng.random() < 0.05:
            ip[0] = 0x46
        st.pack_into("!H", ip, 10, internet_checksum(bytes(ip)))
        out.append(bytes(ip) + tcp + (b"" if rng.random() < 0.9 else b"\x00" * 6))
    return out


def test_syn_recv_judges_as_the_python_matcher() -> None:
    from paquet.probe.scan_raw import _Space

    rng = random.Random(3)
    src, dst = "192.0.2.10", "203.0.113.20"
    ports = sorted(rng.sample(range(1, 65536), 300))
    cookies = Cookies()
    c_space = _Space([dst], ports, cookies, udp=False, sockets=False, src=src)
    py_space = _Space([dst], ports, cookies, udp=False, sockets=False, src=src)
    assert c_space._c_match
    packets = _answers(rng, cookies, src, dst, ports, 3000)
    # an ICMP error left by an earlier probe: a TCP answer overwrites it, as in Python
    for space in (c_space, py_space):
        space.codes[5] = space.codes[9] = 4  # filtered (net-unreach)
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    with a, b:
        b.setblocking(False)
        want = [m for m in map(py_space.match, packets) if m is not None]
        got_slots: list[int] = []
        others: list[bytes] = []
        for i in range(0, len(packets), 100):  # the socket's queue is bounded
            for p in packets[i:i + 100]:
                a.send(p)
            rx = type("Rx", (), {"sock": b})()
            judged = c_space.recv_match(rx)  # type: ignore[arg-type]
            assert judged is not None
            got_slots += judged[0]
            others += judged[1]
        extra = [m for m in map(c_space.match, others) if m is not None]
    assert sorted(got_slots + [s for _, s in extra]) == sorted(s for _, s in want)
    assert c_space.codes == py_space.codes and c_space.ttls == py_space.ttls
    assert len(want) > 100 and any(others)

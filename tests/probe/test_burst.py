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

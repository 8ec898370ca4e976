"""The engine's C accelerators (``paquet.packet._fastcall``): calling a layer class without an
argument tuple and keyword dict, and ``/`` on temporaries. They must not change what any
expression gives: the same packets, the same bytes, the same copies of named operands, as the
pure Python engine (``PAQUET_PURE=1``, run here in a subprocess on the same expressions).

CI sets ``PAQUET_REQUIRE_ACCEL=1``: there the C modules must have been built.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from paquet.layers import ICMP, IP, TCP, UDP, Ether, IPv6, Raw
from paquet.packet import base
from paquet.packet.base import NOPAYLOAD, Packet
from paquet.packet.fields import ByteField, ShortField

needs_c = pytest.mark.skipif(
    base._fastcall is None and not os.environ.get("PAQUET_REQUIRE_ACCEL"),
    reason="the C accelerators are not built (or PAQUET_PURE is set)",
)

# Expressions evaluated both with the C accelerators and without (pure Python).
EXPRESSIONS = [
    'Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")/IP(src="192.0.2.1", '
    'dst="192.0.2.2")/TCP(sport=1234, dport=80, flags="S")/(b"x" * 20)',
    'Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")/IPv6(src="2001:db8::1", '
    'dst="2001:db8::2")/UDP(sport=1234, dport=53)/(b"x" * 20)',
    'IP(dst="192.0.2.2", proto=17)/TCP()',  # a field set by the user wins over the binding
    'Ether(type=0x0800)/IPv6(dst="2001:db8::2")/UDP()',
    'IP(dst="192.0.2.2")/ICMP()/"hello"',
    'IP(dst="192.0.2.2")/(ICMP()/b"abc")',  # an operand that has its own payload
    'Ether(bytes(Ether()/IP(dst="192.0.2.2")/TCP()/b"zz"))/b"more"',  # lazy payload
    'IP(dst="192.0.2.2")/bytearray(b"ba")',
    'Raw(b"a")/Raw(b"b")/b"c"',
    'Ether()/IP(dst="192.0.2.2", options=[])/TCP(options=[("MSS", 1460)])/b"q"',
]

PROGRAM = """
import json, sys
from paquet.layers import *
out = []
for e in json.loads(sys.argv[1]):
    p = eval(e)
    out.append([bytes(p).hex(), p.summary(), repr(p)])
print(json.dumps(out))
"""


def _results(env: dict[str, str]) -> Any:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, json.dumps(EXPRESSIONS)],
        capture_output=True, text=True, env=env, check=True, timeout=120,
    )
    return json.loads(done.stdout)


def test_the_c_accelerators_are_built_where_required() -> None:
    if not os.environ.get("PAQUET_REQUIRE_ACCEL"):
        pytest.skip("PAQUET_REQUIRE_ACCEL is not set")
    assert base._fastcall is not None, "paquet.packet._fastcall was not built"
    assert "(C)" in repr(Packet.__dict__["__truediv__"])


@needs_c
def test_same_packets_with_and_without_the_c_accelerators() -> None:
    env = dict(os.environ)
    env.pop("PAQUET_PURE", None)
    accelerated = _results(env)
    pure = _results({**env, "PAQUET_PURE": "1"})
    assert accelerated == pure
    # And the pure run really ran without them.
    probe = subprocess.run(
        [sys.executable, "-c", "from paquet.packet import base; print(base._fastcall)"],
        capture_output=True, text=True, env={**env, "PAQUET_PURE": "1"}, check=True,
    )
    assert probe.stdout.strip() == "None"


@needs_c
def test_temporaries_are_reused_named_operands_copied() -> None:
    ip = IP(dst="192.0.2.2")
    tcp = TCP(dport=80)
    pkt = ip / tcp
    assert pkt is not ip and ip.payload is NOPAYLOAD and ip.proto == 0
    assert pkt[TCP] is not tcp and tcp.underlayer is None
    assert pkt.proto == 6 and pkt[TCP].underlayer is pkt
    # A temporary chain grows in place; the first layer is the one returned.
    chain = IP(dst="192.0.2.2") / UDP() / b"x"
    assert chain[UDP].underlayer is chain and chain[Raw].underlayer is chain[UDP]
    assert chain[Raw].time == chain.time
    # Stacking on a named packet leaves it as it was.
    more = chain / b"y"
    assert bytes(chain).endswith(b"x") and bytes(more).endswith(b"xy")


@needs_c
def test_overloads_follow_the_bindings_and_the_users_choice() -> None:
    assert (IP() / TCP()).proto == 6
    assert (IP(proto=99) / TCP()).proto == 99
    assert (Ether() / IPv6()).type == 0x86DD
    assert (Ether(type=0x1234) / IPv6()).type == 0x1234
    pkt = Ether() / IP() / ICMP()
    assert pkt.type == 0x0800 and pkt[IP].proto == 1
    # A dissected first layer (every field counts as set) keeps its own values.
    frame = bytes(Ether() / IP(dst="192.0.2.2") / UDP())
    stacked = Ether(frame) / b"tail"
    assert stacked.type == 0x0800 and bytes(stacked).endswith(b"tail")


@needs_c
def test_non_packets_and_errors() -> None:
    with pytest.raises(TypeError):
        IP() / 5  # type: ignore[operator]
    assert bytes(b"ab" / IP(dst="192.0.2.2"))[:2] == b"ab"
    assert bytes(IP(dst="192.0.2.2") / "text").endswith(b"text")


class _Custom(Packet):
    """A user's layer with its own constructor: the class call must still run it."""

    name = "Custom"
    fields_desc = (ByteField("a", 1), ShortField("b", 2))

    def __init__(self, *args: Any, marker: str = "", **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.__dict__["marker"] = marker


class _WithNew(Packet):
    """A layer with its own ``__new__``: the class call must go through it."""

    name = "WithNew"
    fields_desc = (ByteField("a", 1),)
    made = 0

    def __new__(cls, *args: Any, **kw: Any) -> _WithNew:
        _WithNew.made += 1
        return super().__new__(cls)


@needs_c
def test_class_calls_behave_as_type_call() -> None:
    c = _Custom(b=7, marker="m")
    assert c.b == 7 and c.a == 1 and c.__dict__["marker"] == "m"
    assert bytes(_Custom(b"\x05\x00\x09")) == b"\x05\x00\x09"
    before = _WithNew.made
    w = _WithNew(a=3)
    assert _WithNew.made == before + 1 and w.a == 3
    with pytest.raises(Exception, match="no field"):
        IP(nosuchfield=1)
    with pytest.raises(TypeError):
        IP(b"", b"")  # type: ignore[call-arg]
    # Many keywords (more than the C code's small stack) and positional bytes.
    t = TCP(sport=1, dport=2, seq=3, ack=4, dataofs=5, reserved=0, flags="A", window=9,
            chksum=0, urgptr=0, options=[])
    assert (t.sport, t.dport, t.seq, t.window) == (1, 2, 3, 9)
    assert ICMP(bytes(ICMP(id=4))).id == 4

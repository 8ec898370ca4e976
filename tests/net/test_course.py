"""The course's lab report (TP4, questions 1-10 and the traceroute annex) run on the lab.

The script is the report's code as written, with only its import line changed
(``from scapy.all import *`` becomes ``from paquet import *``; Scapy's star import also gave the
``socket`` module, so the line imports it too), the report's addresses replaced by the lab's
(documentation ranges: 8.8.8.8 becomes 203.0.113.77), and its tabs expanded (the report's
markdown mixes tabs and spaces, which Python 3 refuses for Scapy as well).

It runs on the lab's ``server`` node, where UDP and TCP echo servers listen on port 10000 (the
report's "serveur du TP2" on 127.0.0.1).
"""

from __future__ import annotations

import os

import pytest

SCRIPT = """\
from paquet import *; import socket

# Question 1
IP().show()
pkt = IP()
pkt.src = '192.0.2.1'
pkt = pkt/ICMP()
print(pkt.summary())

# Question 2
req=IP(dst='{gateway}')/ICMP()
send(req)
resp = sr1(req)
resp.show()

# Question 3 (annex)
def tracerouteperso(adressip):
    req = IP(dst=adressip)/ICMP()
    tétéel=1
    while True:
\treq.ttl=tétéel
\tresp=sr1(req, verbose=0, timeout=0.1)
\ttétéel +=1\t
\tif (resp==None):
\t    continue
\teuxsource=resp.src
\tprint(euxsource)
\tif(euxsource==adressip) or (tétéel==1000):
            break

tracerouteperso('{remote}')

# Question 4
req=IP(src='203.0.113.77', dst='{neighbour}')/ICMP()
send(req)
resp = sr1(req)
resp.show()

# Question 5
conf.L3socket = L3RawSocket
req=IP(src='203.0.113.77', dst='127.0.0.1')/UDP(dport=10000)/raw(b"miaou")
send(req)
resp = sr1(req)
resp.show()

# Question 7
conf.L3socket = L3RawSocket
req=IP(src='127.0.0.1', dst='127.0.0.1')/TCP(sport= 5000, dport=10000, flags="S")
resp = sr1(req)
resp.show()

# Question 8
conf.L3socket=L3RawSocket
s=socket.socket()
s.connect(("127.0.0.1", 10000))
ss=StreamSocket(s,Raw)
ss.sr1(Raw("Miaou"))

# Question 10
def testdeco(ip, por):
    req=IP(dst=ip)/TCP(sport= 5000, dport=por, flags="S")
    resp = sr1(req, verbose=0, timeout=0.1)
    if resp==None:
        return False
    #else:
       # print(resp['TCP'].flags)
    if 'S' in resp['TCP'].flags and 'A' in resp['TCP'].flags:
\treturn True

def testport(ip):
    L=[]
    for i in range(10000):
        if testdeco(ip, i):
            L.append(i)
    return L

print("open:", testport('{neighbour}'))

# Question 6 (last: the echo server then echoes to itself forever, as the report saw)
conf.L3socket = L3RawSocket
req=IP(src='127.0.0.1', dst='127.0.0.1')/UDP(sport= 10000, dport=10000)/raw(b"miaou")
send(req)
resp = sr1(req)
resp.show()
"""


def _run(source: str) -> str:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source.expandtabs(8), "tp4.py", "exec"), {"__name__": "tp4"})
    return out.getvalue()


@pytest.mark.privileged
def test_course_script_runs_on_the_lab() -> None:
    if os.geteuid() != 0:
        pytest.skip("the lab needs root")
    from paquet.lab.testing import LabFactory

    factory = LabFactory()
    try:
        lab = factory("tp")
        server, target = lab["server"], lab["target"]
        gateway = lab["gateway"].addr(link="dmz")
        # The spoofed 203.0.113.77 is the server's (a local route), and the target sends
        # what it answers to it back to the server: the replies the report waited for.
        server.exec(["ip", "route", "add", "local", "203.0.113.77/32", "dev", "lo"])
        target.exec(["ip", "route", "add", "203.0.113.77/32", "via", server.addr()])
        remote = lab["remote"].addr()
        source = SCRIPT.format(gateway=gateway, remote=remote, neighbour=target.addr())
        output: str = server.run(_run, source)
        udp = server.received("udp:10000")
        tcp = server.received("tcp:10000")
    finally:
        factory.close()
    assert "###[ IP ]###" in output
    # Q2: the gateway's echo reply.
    assert f"src= {gateway}" in output and "type= echo-reply" in output
    # Q3: the hops to the remote host, in order: gateway, r1, r2, remote.
    hops = [line for line in output.splitlines() if line.count(".") == 3 and " " not in line]
    assert len(hops) == 4 and hops[0] == gateway and hops[-1] == remote, output
    # Q4, Q5: answers to the spoofed source.
    assert "dst= 203.0.113.77" in output
    assert b"miaou" in udp
    # Q7: SYN/ACK; Q8: the TCP server got "Miaou"; Q10: the target's open ports.
    assert "flags= SA" in output
    assert b"Miaou" in tcp
    assert "open: [21, 22, 80, 443]" in output
    assert "Received 1 packets, got 1 answers, remaining 0 packets" in output

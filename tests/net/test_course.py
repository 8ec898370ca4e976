"""The course's lab report (TP4, questions 1-10 and the traceroute annex) run on the lab.

The script is the report's code as written, with only its import line changed
(``from scapy.all import *`` becomes ``from paquet import *``; Scapy's star import also gave the
``socket`` module, so the line imports it too), the report's addresses replaced by the lab's
(documentation ranges: 8.8.8.8 becomes 203.0.113.77), and its tabs expanded (the report's
markdown mixes tabs and spaces, which Python 3 refuses for Scapy as well).

It runs on the lab's ``client`` node, next to a UDP and TCP echo server on 127.0.0.1:10000 (the
report's "serveur du TP2"). The neighbour plays the report's "PC voisin", the target the host
whose ports question 10 tests.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

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

# Question 6
conf.L3socket = L3RawSocket
req=IP(src='127.0.0.1', dst='127.0.0.1')/UDP(sport= 10000, dport=10000)/raw(b"miaou")
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

print("open:", testport('{target}'))

"""


# The report's "serveur du TP2": UDP and TCP echo on 127.0.0.1:10000, printing what arrives.
# (It echoes a datagram from itself to itself, which is how the report's question 6 loops; a
# short pause per datagram keeps that loop from eating a CPU.)
TP2_SERVER = """
import socket, sys, threading, time
log = open(sys.argv[1], "a", buffering=1)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 10000))
t = socket.socket()
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("127.0.0.1", 10000))
t.listen(8)
def udp():
    while True:
        data, addr = u.recvfrom(65535)
        log.write(f"udp {addr[0]}:{addr[1]} {data!r}\\n")
        time.sleep(0.01)
        try:
            u.sendto(data, addr)
        except OSError:
            pass
def client(c):
    with c:
        while data := c.recv(65535):
            log.write(f"tcp {data!r}\\n")
            c.sendall(data)
threading.Thread(target=udp, daemon=True).start()
log.write("ready\\n")
while True:
    c, _ = t.accept()
    threading.Thread(target=client, args=(c,), daemon=True).start()
"""


def _run(source: str) -> str:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source.expandtabs(8), "tp4.py", "exec"), {"__name__": "tp4"})
    return out.getvalue()


@pytest.mark.privileged
def test_course_script_runs_on_the_lab(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("the lab needs root")
    from paquet.lab.testing import LabFactory

    factory = LabFactory()
    server_proc = None
    log = tmp_path / "tp2.log"
    try:
        lab = factory("tp")
        client, neighbour, target = lab["client"], lab["neighbour"], lab["target"]
        gateway, remote = lab["gateway"].addr(link="lan"), lab["remote"].addr()
        # The spoofed 203.0.113.77 is the client's own (a local route), and the neighbour
        # routes its answers to it back to the client: the replies the report waited for.
        client.exec(["ip", "route", "add", "local", "203.0.113.77/32", "dev", "lo"])
        neighbour.exec(["ip", "route", "add", "203.0.113.77/32", "via", client.addr()])
        server_proc = client.popen([sys.executable, "-c", TP2_SERVER, str(log)])
        for _ in range(500):
            if log.exists() and "ready" in log.read_text():
                break
            time.sleep(0.01)
        source = SCRIPT.format(
            gateway=gateway, remote=remote, neighbour=neighbour.addr(), target=target.addr()
        )
        output: str = client.run(_run, source)
    finally:
        if server_proc is not None:
            server_proc.kill()
            server_proc.wait()
        factory.close()
    logged = log.read_text()
    assert output.count("###[ IP ]###") >= 6
    # Q2: the gateway's echo reply.
    assert f"src       = {gateway}" in output and "type      = echo-reply" in output
    # Q3: the hops to the remote host, in order: gateway, r1, r2, remote.
    hops = [line for line in output.splitlines() if line.count(".") == 3 and " " not in line]
    assert len(hops) == 4 and hops[0] == gateway and hops[-1] == remote, output
    # Q4: the neighbour answered the spoofed source; Q5: so did the UDP server, with "miaou".
    assert output.count("dst       = 203.0.113.77") == 2
    assert "udp 203.0.113.77:53 b'miaou'" in logged
    # Q6: the server's datagram to itself loops.
    assert logged.count("udp 127.0.0.1:10000 b'miaou'") >= 2
    # Q7: SYN/ACK; Q8: the TCP server got "Miaou"; Q10: the target's open ports.
    assert "flags     = SA" in output
    assert "tcp b'Miaou'" in logged
    assert "open: [21, 22, 80, 443]" in output
    assert "Received 1 packets, got 1 answers, remaining 0 packets" in output

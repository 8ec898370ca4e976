"""The course's lab report, TP 4 questions 1 to 10, as demo sections (``paquet demo``).

Each question shows the code of the report and runs it. The code shown is kept as text
(``*_CODE``, with the addresses of the lab filled in) beside a function that runs the same
statements (``run_*``): module level, so a lab node can run it in a forked child
(``lab[node].run``). ``tests/course/test_demo_content.py`` checks that each function's
statements are the text shown (a timeout added where the report waits forever, and the socket
closed, are the only differences).
"""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable
from typing import Any

from paquet.course.page import DemoContext, Picture, Section

__all__ = [
    "LADDER_WIDTH",
    "Q1_CODE",
    "Q2_CODE",
    "Q3_CODE",
    "Q7_CODE",
    "Q8_CODE",
    "SECTIONS",
    "ladder_picture",
    "printed",
    "run_q1",
    "run_q2",
    "run_q3",
    "run_q7",
    "run_q8",
]


def printed(function: Callable[..., Any], *args: Any) -> str:
    """What ``function(*args)`` printed on standard output."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        function(*args)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# The code of the report, and the functions that run it

Q1_CODE = (
    "IP().show()\npkt = IP()\npkt.src = '192.0.2.1'\npkt = pkt/ICMP()/'miaou'\n"
    "print(pkt.summary())\n"
)


def run_q1() -> None:
    """Question 1: :data:`Q1_CODE`."""
    from paquet import ICMP, IP

    IP().show()
    pkt = IP()
    pkt.src = "192.0.2.1"
    pkt = pkt / ICMP() / "miaou"
    print(pkt.summary())


Q2_CODE = "req = IP(dst='{dst}')/ICMP()\nsend(req)\nresp = sr1(req)\nresp.show()"


def run_q2(dst: str) -> None:
    """Question 2: :data:`Q2_CODE` (echo request to ``dst``, its reply shown)."""
    from paquet import ICMP, IP, send, sr1

    req = IP(dst=dst) / ICMP()
    send(req)
    resp = sr1(req)
    resp.show()


Q3_CODE = "tracerouteperso('{dst}')"


def run_q3(dst: str) -> None:
    """Question 3: :data:`Q3_CODE`."""
    from paquet.nsi import tracerouteperso

    tracerouteperso(dst)


Q7_CODE = (
    "req = IP(dst='{dst}')/TCP(sport=5000, dport=10000, flags='S')\nresp = sr1(req)\nresp.show()"
)


def run_q7(dst: str) -> None:
    """Question 7: :data:`Q7_CODE`, waiting at most 2 s for the SYN/ACK."""
    from paquet import IP, TCP, sr1

    req = IP(dst=dst) / TCP(sport=5000, dport=10000, flags="S")
    resp = sr1(req, timeout=2)
    resp.show()


Q8_CODE = (
    "s = socket.socket()\ns.connect(('{dst}', 10000))\nss = StreamSocket(s, Raw)\n"
    "ss.sr1(Raw(b'Miaou')).show()"
)


def run_q8(dst: str) -> None:
    """Question 8: :data:`Q8_CODE`, waiting at most 2 s for the echo, the socket closed."""
    import socket

    from paquet import Raw, StreamSocket

    s = socket.socket()
    s.connect((dst, 10000))
    ss = StreamSocket(s, Raw)
    ss.sr1(Raw(b"Miaou"), timeout=2).show()
    s.close()


# Run inside a lab node: module level, so they can be forked.


def _in_q2(dst: str) -> str:
    return printed(run_q2, dst)


def _in_q3(dst: str) -> str:
    return printed(run_q3, dst)


def _in_q7_syn(dst: str) -> str:
    return printed(run_q7, dst)


def _in_q7_session(dst: str) -> tuple[list[str], str, str]:
    from paquet.course.handshake import run_session
    from paquet.draw.ladder import ladder

    segments, _answer = run_session(dst, 10000, b"miaou")
    drawn = ladder(segments)
    return [seg.line() for seg in segments], drawn.text(LADDER_WIDTH), drawn.svg()


#: The width of the ladders the demo prints (a terminal's 80 columns).
LADDER_WIDTH = 80


def ladder_picture(packets: Any, title: str = "") -> Picture:
    """A demo block with the ladder of ``packets``: text in the terminal, SVG in a page."""
    from paquet.draw.ladder import ladder

    drawn = ladder(packets, title)
    return Picture("ladder", packets, drawn.text(LADDER_WIDTH), drawn.svg(), terminal=True)


def _in_q8(dst: str) -> str:
    return printed(run_q8, dst)


def _in_q10(dst: str) -> list[int]:
    from paquet import nsi

    return nsi.testport(dst)


def _trace_path(source: str, target: str, hops: list[str]) -> Any:
    """The picture of question 3's answer: the addresses tracerouteperso printed, in order."""
    from paquet.draw.graphs import TracePath

    reached = bool(hops) and hops[-1] == target
    return TracePath(source, target, "ICMP echo, tracerouteperso",
                     tuple((ttl, (a,)) for ttl, a in enumerate(hops, 1)), reached)


def _show_seen(ctx: DemoContext, seen: dict[str, list[Any]]) -> None:
    for node, packets in seen.items():
        ctx.line(("  ", None), (node, "bold"), (" " + ctx.t("a capturé :", "captured:"), None))
        for pkt in packets or []:
            ctx.line(("    ", None), (pkt.summary(), "green"))
        if not packets:
            ctx.line(("    ", None), (ctx.t("(rien)", "(nothing)"), "dim"))


# ---------------------------------------------------------------------------------------------
# The questions


def _q1(ctx: DemoContext) -> None:
    ctx.code(Q1_CODE)
    shown = printed(run_q1)
    ctx.output(shown)
    ctx.record("show", shown)
    ctx.say(
        "Les champs à None (ihl, len, chksum) sont calculés à la construction ; la destination "
        "par défaut est 127.0.0.1 et la source celle de la route vers la destination.",
        "Fields left None (ihl, len, chksum) are computed when the packet is built; the "
        "default destination is 127.0.0.1 and the source is the one of the route to it.",
    )


def _q2(ctx: DemoContext) -> None:
    gateway = ctx.lab["gateway"].addr()
    ctx.say(
        f"Depuis client, vers la passerelle {gateway} (148.60.12.254 dans le compte rendu) :",
        f"From client, to the gateway {gateway} (148.60.12.254 in the report):",
    )
    shown = ctx.run_shown("client", Q2_CODE.format(dst=gateway), _in_q2, gateway)
    ctx.record("reply", shown)
    if "expected 0xffff" in shown:
        ctx.note(
            "le noyau Linux de la passerelle écrit 0x0000 comme somme de contrôle ICMP, là où "
            "le calcul donne 0xffff : ce sont +0 et -0 du complément à 1 (RFC 1624 §3), "
            "paquet et Wireshark le signalent.",
            "the gateway's Linux kernel writes 0x0000 as the ICMP checksum where the "
            "computation gives 0xffff: +0 and -0 in one's complement (RFC 1624 §3); paquet "
            "and Wireshark flag it.",
        )
    ctx.say(
        "La passerelle répond echo-reply (type 0), de sa propre adresse vers la nôtre, avec "
        "l'identifiant et le numéro de la demande : sr1 a reconnu sa réponse.",
        "The gateway answers echo-reply (type 0), from its address to ours, with the "
        "request's identifier and number: sr1 matched it to its request.",
    )


def _q3(ctx: DemoContext) -> None:
    remote = ctx.lab["remote"].addr()
    shown = ctx.run_shown("client", Q3_CODE.format(dst=remote), _in_q3, remote)
    ctx.record("hops", shown.split())
    ctx.picture("trace", _trace_path(ctx.lab["client"].addr(), remote, shown.split()), shown)
    ctx.say(
        "Chaque routeur qui fait tomber le TTL à 0 répond « temps dépassé » : on lit le chemin "
        "gateway, r1, r2 puis la machine distante.",
        "Each router that brings the TTL to 0 answers time-exceeded: the path reads gateway, "
        "r1, r2, then the remote host.",
    )


def _q4(ctx: DemoContext) -> None:
    from paquet.course.spoofing import spoofed_ping

    lab = ctx.lab
    remote, neighbour = lab["remote"].addr(), lab["neighbour"].addr()
    ctx.say(
        f"client envoie un ping au voisin {neighbour} avec la source {remote} "
        "(le 8.8.8.8 du compte rendu) ; tcpdump tourne chez chacun :",
        f"client pings the neighbour {neighbour} with source {remote} (the report's "
        "8.8.8.8); tcpdump runs on each of them:",
    )
    ctx.code(f"send(IP(src='{remote}', dst='{neighbour}')/ICMP())")
    result = spoofed_ping(lab)
    _show_seen(ctx, result.seen)
    ctx.record("q4", result.to_dict())
    ctx.say(
        "Le voisin répond à l'adresse usurpée : la réponse part vers remote, client ne reçoit "
        "rien.",
        "The neighbour answers the spoofed address: the reply goes to remote, client gets nothing.",
    )


def _q5(ctx: DemoContext) -> None:
    from paquet.course.spoofing import spoofed_udp, spoofed_udp_localhost

    lab = ctx.lab
    remote, server = lab["remote"].addr(), lab["server"].addr()
    ctx.code(f"send(IP(src='{remote}', dst='{server}')/UDP(sport=40000, dport=10000)/'miaou')")
    result = spoofed_udp(lab)
    for rec in result.logged:
        ctx.output(f"server udp:10000 <- {rec.src}:{rec.sport} {rec.data!r}")
    _show_seen(ctx, {"remote": result.seen.get("remote", [])})
    ctx.say(
        "Le serveur croit que « miaou » vient de remote, et lui renvoie son écho.",
        "The server believes 'miaou' came from remote, and echoes it there.",
    )
    ctx.say(
        "Comme dans le compte rendu, vers 127.0.0.1 depuis la machine du serveur (sans "
        "conf.L3socket = L3RawSocket : paquet parle au loopback directement) :",
        "As in the report, to 127.0.0.1 from the server's own host (no "
        "conf.L3socket = L3RawSocket needed: paquet talks to loopback directly):",
    )
    ctx.code("send(IP(src='203.0.113.77', dst='127.0.0.1')/UDP(dport=10000)/raw(b'miaou'))")
    local = spoofed_udp_localhost(lab)
    for rec in local.logged:
        ctx.output(f"server udp:10000 <- {rec.src}:{rec.sport} {rec.data!r}")
    ctx.record("q5", {"lab": result.to_dict(), "localhost": local.to_dict()})


def _q6(ctx: DemoContext) -> None:
    from paquet.course.loop import udp_loop, udp_loop_localhost

    lab = ctx.lab
    server, remote = lab["server"].addr(), lab["remote"].addr()
    ctx.say(
        f"Un datagramme de {server}:10000 (usurpé) vers {remote}:10000 : les deux serveurs "
        "d'écho se le renvoient. Une règle nftables arrête la boucle après 20 passages ou "
        "2 secondes.",
        f"One datagram from {server}:10000 (spoofed) to {remote}:10000: both echo servers "
        "send it back and forth. An nftables rule ends the loop after 20 rounds or 2 seconds.",
    )
    ctx.code(f"send(IP(src='{server}', dst='{remote}')/UDP(sport=10000, dport=10000)/'miaou')")
    result = udp_loop(lab, count=20, duration=2.0)
    ctx.output(
        f"server: {len(result.received_a)}, remote: {len(result.received_b)} "
        f"({result.bounces}) in {result.elapsed:.3f} s, stopped by {result.stopped_by}"
    )
    ctx.record("q6", result.to_dict())
    ctx.say(
        "La version du compte rendu, sur la machine du serveur : le serveur se répond à "
        "lui-même, de 127.0.0.1:10000 à 127.0.0.1:10000.",
        "The report's version, on the server's host: the server answers itself, from "
        "127.0.0.1:10000 to 127.0.0.1:10000.",
    )
    ctx.code(
        "conf.L3socket = L3RawSocket\n"
        "req = IP(src='127.0.0.1', dst='127.0.0.1')/UDP(sport=10000, dport=10000)/raw(b'miaou')\n"
        "send(req)"
    )
    local = udp_loop_localhost(lab, count=20, duration=2.0)
    ctx.output(
        f"server: {len(local.received_a)} from 127.0.0.1:10000 in {local.elapsed:.3f} s, "
        f"stopped by {local.stopped_by}"
    )
    ctx.record("q6_localhost", local.to_dict())
    ctx.say(
        "Sans limite, la boucle ne s'arrête jamais : chaque écho provoque le suivant.",
        "Unbounded, the loop never ends: each echo triggers the next.",
    )


def _q7(ctx: DemoContext) -> None:
    from paquet.course.observe import Capture

    lab = ctx.lab
    server = lab["server"].addr()
    ctx.code(Q7_CODE.format(dst=server))
    capture = Capture(lab["server"], "tcp port 5000")
    try:
        shown = lab["client"].run(_in_q7_syn, server)
    finally:
        seen = capture.stop()
    ctx.output(shown)
    ctx.say("tcpdump sur server :", "tcpdump on server:")
    for pkt in seen:
        ctx.output("  " + pkt.summary())
    if seen:
        ctx.emit(ladder_picture(seen))
    ctx.say(
        "Le noyau du client ne connaît pas cette connexion : il répond RST au SYN/ACK, et le "
        "serveur l'oublie.",
        "The client's kernel knows nothing of this connection: it answers the SYN/ACK with "
        "RST, and the server forgets it.",
    )
    ctx.say(
        "paquet tcp fait la poignée de main à la main, le RST du noyau bloqué par une règle "
        "nftables temporaire :",
        "paquet tcp does the handshake by hand, the kernel's RST blocked by a temporary "
        "nftables rule:",
    )
    ctx.code(f"paquet tcp {server} 10000 --send miaou", prompt="$")
    lines, text, svg = lab["client"].run(_in_q7_session, server)
    for line in lines:
        ctx.output(line)
    ctx.emit(Picture("ladder", None, text, svg, terminal=True))
    received = [r.data for r in lab["server"].logs("tcp:10000") if r.event == "recv"]
    ctx.output(f"server tcp:10000 <- {received[-1]!r}" if received else "server: (nothing)")
    ctx.record(
        "q7",
        {
            "syn": shown,
            "capture": [p.summary() for p in seen],
            "session": lines,
            "server_received": received[-1:],
        },
    )


def _q8(ctx: DemoContext) -> None:
    server = ctx.lab["server"].addr()
    shown = ctx.run_shown("client", Q8_CODE.format(dst=server), _in_q8, server)
    ctx.record("q8", shown)
    ctx.say(
        "Le noyau gère la connexion TCP ; StreamSocket envoie « Miaou » et lit l'écho du serveur.",
        "The kernel runs the TCP connection; StreamSocket sends 'Miaou' and reads the "
        "server's echo.",
    )


def _q9(ctx: DemoContext) -> None:
    from paquet.course.spoofing import blind_tcp_spoof, rp_filter_difference

    lab = ctx.lab
    ctx.say(
        "client ouvre une connexion vers server:10000 en se faisant passer pour neighbour, "
        "puis envoie « miaou » en devinant le numéro d'acquittement :",
        "client opens a connection to server:10000 posing as neighbour, then sends 'miaou' "
        "guessing the acknowledgement number:",
    )
    result = blind_tcp_spoof(lab)
    _show_seen(ctx, result.seen)
    if result.seen.get("server"):
        ctx.say("Vu par server (l'adresse de neighbour usurpée par client) :",
                "As server sees it (neighbour's address spoofed by client):")
        ctx.emit(ladder_picture(result.seen["server"]))
    right = None if result.server_isn is None else (result.server_isn + 1) % 2**32
    ctx.output(
        f"guessed ack {result.guess['TCP'].ack}, right ack {right} (server ISN + 1); "
        f"delivered: {result.delivered}"
    )
    ctx.record("q9", result.to_dict())
    ctx.say(
        "Le SYN/ACK part chez neighbour (qui répond RST) ; client ne voit jamais le numéro "
        "de séquence du serveur, son ACK deviné est refusé : rien n'arrive au serveur.",
        "The SYN/ACK goes to neighbour (which resets it); client never sees the server's "
        "sequence number, its guessed ACK is refused: nothing reaches the server.",
    )
    ctx.say(
        "Et un routeur avec le filtrage strict du chemin de retour (rp_filter) jette le "
        "paquet usurpé dès l'entrée :",
        "And a router with strict reverse-path filtering (rp_filter) drops the spoofed "
        "packet as it comes in:",
    )
    rp = rp_filter_difference(lab)
    ctx.output(f"rp_filter off:    server captured {len(rp.off.at('server', 'ICMP'))} packets")
    ctx.output(f"rp_filter strict: server captured {len(rp.strict.at('server', 'ICMP'))} packets")
    ctx.record("rp_filter", rp.to_dict())


def _q10(ctx: DemoContext) -> None:
    target = ctx.lab["target"].addr()
    ctx.code(f"testport('{target}')")
    start = time.monotonic()
    ports = ctx.lab["client"].run(_in_q10, target)
    elapsed = time.monotonic() - start
    ctx.output(repr(ports))
    ctx.record("q10", ports)
    ctx.say(
        f"10 000 ports en {elapsed:.1f} s (un sr1 par port prenait des minutes) ; 23 et 25 "
        "sont fermés (RST), 135, 139 et 445 filtrés (pas de réponse).",
        f"10,000 ports in {elapsed:.1f} s (one sr1 per port took minutes); 23 and 25 are "
        "closed (RST), 135, 139 and 445 filtered (no answer).",
    )


SECTIONS = (
    Section("q1", "TP 4, question 1 : IP().show()", "TP 4, question 1: IP().show()", _q1),
    Section("q2", "Question 2 : écho et réponse", "Question 2: echo request and reply", _q2, True),
    Section("q3", "Question 3 : traceroute", "Question 3: traceroute", _q3, True),
    Section(
        "q4", "Question 4 : usurper une adresse (ICMP)", "Question 4: spoofing (ICMP)", _q4, True
    ),
    Section("q5", "Question 5 : UDP vers un serveur", "Question 5: UDP to a server", _q5, True),
    Section("q6", "Question 6 : la boucle UDP", "Question 6: the UDP loop", _q6, True),
    Section(
        "q7", "Question 7 : SYN, SYN/ACK et RST", "Question 7: SYN, SYN/ACK and RST", _q7, True
    ),
    Section("q8", "Question 8 : StreamSocket", "Question 8: StreamSocket", _q8, True),
    Section(
        "q9", "Question 9 : usurpation TCP à l'aveugle", "Question 9: blind TCP spoofing", _q9, True
    ),
    Section("q10", "Question 10 : balayage de ports", "Question 10: port scanning", _q10, True),
)
"""TP 4's questions, in order; all but the first run on the ``tp`` lab."""

"""``paquet demo``: what paquet can do, shown on the course's own examples (``make run``).

The demo is a list of sections, each a function that receives a :class:`DemoContext`, prints
through it and records its results for ``--json``. A new capability adds its section with the
:func:`section` decorator, in the order it should appear::

    @section("lab", "Le laboratoire", "The lab")
    def _lab(ctx: DemoContext) -> None:
        ctx.say("Trois machines dans des espaces de noms.", "Three hosts in namespaces.")
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from paquet import addr, nsi, plan
from paquet.checksum import explain_ipv4_header, incremental_update, verify_ipv4_packet
from paquet.cli.params import TEXT, Choice
from paquet.cli.render import print_json
from paquet.cli.subnet import console as wide_console

__all__ = ["SECTIONS", "DemoContext", "Section", "command", "default_lang", "run", "section"]

LANGS = ("fr", "en")


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """``'fr'`` when the locale is French (the first of LC_ALL, LC_MESSAGES, LANG that is set
    starts with ``fr``), ``'en'`` otherwise.

    >>> default_lang({'LANG': 'fr_FR.UTF-8'}), default_lang({'LANG': 'C.UTF-8'})
    ('fr', 'en')
    >>> default_lang({'LC_ALL': 'en_US.UTF-8', 'LANG': 'fr_FR.UTF-8'})
    'en'
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


@dataclass
class DemoContext:
    """What a section gets: the console to print on, the language, a record for JSON, and the
    ``tp`` lab (None for sections that need no lab)."""

    console: Console
    lang: str
    data: dict[str, Any] = field(default_factory=dict)
    lab: Any = None

    def t(self, fr: str, en: str) -> str:
        """The text in the demo's language."""
        return fr if self.lang == "fr" else en

    def heading(self, fr: str, en: str) -> None:
        """A question's heading."""
        self.console.print()
        self.console.print(f"[bold]{escape(self.t(fr, en))}[/]")

    def say(self, fr: str, en: str) -> None:
        """A short sentence."""
        self.console.print(escape(self.t(fr, en)))

    def note(self, fr: str, en: str) -> None:
        """A remark that stands out (a mistake in the course sheet, a caveat)."""
        self.console.print(
            f"[magenta]{escape(self.t('Remarque : ', 'Note: ') + self.t(fr, en))}[/]"
        )

    def call(
        self, key: str, function: Callable[..., Any], *args: Any, shown: str | None = None
    ) -> Any:
        """Call ``function(*args)``, show it as an interactive session would (``shown``
        replaces the arguments as written), record the result under ``key`` and return it."""
        result = function(*args)
        arguments = ", ".join(repr(a) for a in args) if shown is None else shown
        self.console.print(f"[dim]>>>[/] {escape(function.__name__)}({escape(arguments)})")
        self.console.print(f"[green]{escape(repr(result))}[/]")
        self.record(key, result)
        return result

    def record(self, key: str, value: Any) -> None:
        """Keep ``value`` for the ``--json`` output."""
        self.data[key] = value

    def code(self, text: str, prompt: str = ">>>") -> None:
        """Code or a command as typed (``prompt`` ``>>>`` for Python, ``$`` for the shell)."""
        for number, line in enumerate(text.strip("\n").splitlines()):
            mark = prompt if number == 0 or prompt == "$" else "..."
            self.console.print(f"[dim]{escape(mark)}[/] {escape(line)}")

    def output(self, text: str) -> None:
        """What the code or command printed, as it printed it."""
        for line in text.rstrip("\n").splitlines():
            self.console.print(f"[green]{escape(line)}[/]")


@dataclass(frozen=True)
class Section:
    """One part of the demo: a key (for ``--only``), a title in each language, a function."""

    key: str
    title_fr: str
    title_en: str
    run: Callable[[DemoContext], None]
    needs_lab: bool = False

    def title(self, lang: str) -> str:
        """The title in ``lang``."""
        return self.title_fr if lang == "fr" else self.title_en


SECTIONS: list[Section] = []
"""The demo's sections, in the order they run. Add yours with :func:`section`."""


def section(
    key: str, title_fr: str, title_en: str, lab: bool = False
) -> Callable[[Callable[[DemoContext], None]], Callable[[DemoContext], None]]:
    """Register the decorated function as a demo section (appended to :data:`SECTIONS`);
    ``lab=True`` for a section that runs on the ``tp`` lab (``ctx.lab``)."""

    def register(function: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        if any(s.key == key for s in SECTIONS):
            raise ValueError(f"demo section {key!r} registered twice")
        SECTIONS.append(Section(key, title_fr, title_en, function, lab))
        return function

    return register


# ---------------------------------------------------------------------------------------------
# Sections


# The course's lab report (TP 4, questions 1 to 10) on the ``tp`` lab. The functions named
# ``_in_*`` run inside a lab node (``lab[node].run``): module level, so they can be forked.


def _captured(code: str, names: dict[str, Any]) -> str:
    """Run ``code`` (the course's own lines) and return what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<tp4>", "exec"), names)  # the demo's own code, never user input
    return out.getvalue()


def _in_q2(dst: str) -> str:
    import paquet

    code = f"req = IP(dst='{dst}')/ICMP()\nsend(req)\nresp = sr1(req)\nresp.show()\n"
    return _captured(code, {n: getattr(paquet, n) for n in ("IP", "ICMP", "send", "sr1")})


def _in_q3(dst: str) -> str:
    return _captured(f"tracerouteperso('{dst}')\n", {"tracerouteperso": nsi.tracerouteperso})


def _in_q7_syn(dst: str) -> str:
    import paquet

    code = (
        f"req = IP(dst='{dst}')/TCP(sport=5000, dport=10000, flags='S')\n"
        "resp = sr1(req, timeout=2)\nresp.show()\n"
    )
    return _captured(code, {n: getattr(paquet, n) for n in ("IP", "TCP", "sr1")})


def _in_q7_session(dst: str) -> list[str]:
    from paquet.course.handshake import run_session

    segments, _answer = run_session(dst, 10000, b"miaou")
    return [seg.line() for seg in segments]


def _in_q8(dst: str) -> str:
    import socket

    import paquet

    code = (
        f"s = socket.socket()\ns.connect(('{dst}', 10000))\nss = StreamSocket(s, Raw)\n"
        "resp = ss.sr1(Raw(b'Miaou'), timeout=2)\nresp.show()\ns.close()\n"
    )
    names = {n: getattr(paquet, n) for n in ("StreamSocket", "Raw")}
    return _captured(code, {**names, "socket": socket})


def _in_q10(dst: str) -> list[int]:
    return nsi.testport(dst)


def _show_seen(ctx: DemoContext, seen: dict[str, list[Any]]) -> None:
    for node, packets in seen.items():
        ctx.console.print(f"  [bold]{escape(node)}[/] " + ctx.t("a capturé :", "captured:"))
        for pkt in packets or []:
            ctx.console.print(f"    [green]{escape(pkt.summary())}[/]")
        if not packets:
            ctx.console.print("    [dim]" + ctx.t("(rien)", "(nothing)") + "[/]")


@section("q1", "TP 4, question 1 : IP().show()", "TP 4, question 1: IP().show()")
def _q1(ctx: DemoContext) -> None:
    import paquet

    code = (
        "IP().show()\npkt = IP()\npkt.src = '192.0.2.1'\npkt = pkt/ICMP()/'miaou'\n"
        "print(pkt.summary())\n"
    )
    names = {n: getattr(paquet, n) for n in ("IP", "ICMP")}
    ctx.code(code)
    printed = _captured(code, names)
    ctx.output(printed)
    ctx.record("show", printed)
    ctx.say(
        "Les champs à None (ihl, len, chksum) sont calculés à la construction ; la destination "
        "par défaut est 127.0.0.1 et la source celle de la route vers la destination.",
        "Fields left None (ihl, len, chksum) are computed when the packet is built; the "
        "default destination is 127.0.0.1 and the source is the one of the route to it.",
    )


@section("q2", "Question 2 : écho et réponse", "Question 2: echo request and reply", lab=True)
def _q2(ctx: DemoContext) -> None:
    gateway = ctx.lab["gateway"].addr()
    ctx.say(
        f"Depuis client, vers la passerelle {gateway} (148.60.12.254 dans le compte rendu) :",
        f"From client, to the gateway {gateway} (148.60.12.254 in the report):",
    )
    ctx.code(f"req = IP(dst='{gateway}')/ICMP()\nsend(req)\nresp = sr1(req)\nresp.show()")
    printed = ctx.lab["client"].run(_in_q2, gateway)
    ctx.output(printed)
    ctx.record("reply", printed)
    if "expected 0xffff" in printed:
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


@section("q3", "Question 3 : traceroute", "Question 3: traceroute", lab=True)
def _q3(ctx: DemoContext) -> None:
    remote = ctx.lab["remote"].addr()
    ctx.code(f"tracerouteperso('{remote}')")
    printed = ctx.lab["client"].run(_in_q3, remote)
    ctx.output(printed)
    ctx.record("hops", printed.split())
    ctx.say(
        "Chaque routeur qui fait tomber le TTL à 0 répond « temps dépassé » : on lit le chemin "
        "gateway, r1, r2 puis la machine distante.",
        "Each router that brings the TTL to 0 answers time-exceeded: the path reads gateway, "
        "r1, r2, then the remote host.",
    )


@section("q4", "Question 4 : usurper une adresse (ICMP)", "Question 4: spoofing (ICMP)", lab=True)
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


@section("q5", "Question 5 : UDP vers un serveur", "Question 5: UDP to a server", lab=True)
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


@section("q6", "Question 6 : la boucle UDP", "Question 6: the UDP loop", lab=True)
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


@section("q7", "Question 7 : SYN, SYN/ACK et RST", "Question 7: SYN, SYN/ACK and RST", lab=True)
def _q7(ctx: DemoContext) -> None:
    from paquet.course.observe import Capture

    lab = ctx.lab
    server = lab["server"].addr()
    ctx.code(
        f"req = IP(dst='{server}')/TCP(sport=5000, dport=10000, flags='S')\n"
        "resp = sr1(req)\nresp.show()"
    )
    capture = Capture(lab["server"], "tcp port 5000")
    try:
        printed = lab["client"].run(_in_q7_syn, server)
    finally:
        seen = capture.stop()
    ctx.output(printed)
    ctx.say("tcpdump sur server :", "tcpdump on server:")
    for pkt in seen:
        ctx.output("  " + pkt.summary())
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
    lines = lab["client"].run(_in_q7_session, server)
    for line in lines:
        ctx.output(line)
    received = [r.data for r in lab["server"].logs("tcp:10000") if r.event == "recv"]
    ctx.output(f"server tcp:10000 <- {received[-1]!r}" if received else "server: (nothing)")
    ctx.record(
        "q7",
        {
            "syn": printed,
            "capture": [p.summary() for p in seen],
            "session": lines,
            "server_received": received[-1:],
        },
    )


@section("q8", "Question 8 : StreamSocket", "Question 8: StreamSocket", lab=True)
def _q8(ctx: DemoContext) -> None:
    server = ctx.lab["server"].addr()
    ctx.code(
        f"s = socket.socket()\ns.connect(('{server}', 10000))\nss = StreamSocket(s, Raw)\n"
        "ss.sr1(Raw(b'Miaou')).show()"
    )
    printed = ctx.lab["client"].run(_in_q8, server)
    ctx.output(printed)
    ctx.record("q8", printed)
    ctx.say(
        "Le noyau gère la connexion TCP ; StreamSocket envoie « Miaou » et lit l'écho du serveur.",
        "The kernel runs the TCP connection; StreamSocket sends 'Miaou' and reads the "
        "server's echo.",
    )


@section(
    "q9", "Question 9 : usurpation TCP à l'aveugle", "Question 9: blind TCP spoofing", lab=True
)
def _q9(ctx: DemoContext) -> None:
    from paquet.course.spoofing import blind_tcp_spoof

    lab = ctx.lab
    ctx.say(
        "client ouvre une connexion vers server:10000 en se faisant passer pour neighbour, "
        "puis envoie « miaou » en devinant le numéro d'acquittement :",
        "client opens a connection to server:10000 posing as neighbour, then sends 'miaou' "
        "guessing the acknowledgement number:",
    )
    result = blind_tcp_spoof(lab)
    _show_seen(ctx, result.seen)
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
    from paquet.course.spoofing import rp_filter_difference

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


@section("q10", "Question 10 : balayage de ports", "Question 10: port scanning", lab=True)
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


@section("adresses", "Exercice 1 : les adresses IPv4", "Exercise 1: IPv4 addresses")
def _addresses(ctx: DemoContext) -> None:
    from paquet.cli.subnet import info_table

    ctx.heading("a) Combien d'adresses ?", "a) How many addresses?")
    ctx.say(
        "Une adresse IPv4 a 4 octets (32 bits), une adresse IPv6 16 octets (128 bits).",
        "An IPv4 address has 4 bytes (32 bits), an IPv6 address 16 bytes (128 bits).",
    )
    ctx.call("a_ipv4", nsi.nombre_adresses_ipv4)
    v6 = ctx.call("a_ipv6", nsi.nombre_adresses_ipv6)
    ctx.say(f"soit environ {v6:.2e} adresses IPv6.", f"about {v6:.2e} IPv6 addresses.")

    ctx.heading("b) Du binaire au décimal", "b) From binary to decimal")
    ctx.say(
        "Chaque octet de 8 bits s'écrit en décimal, de 0 à 255.",
        "Each 8-bit byte is written in decimal, from 0 to 255.",
    )
    ctx.call("b", nsi.depuis_binaire, "11001001.00001001.01110110.00010011")
    ctx.call("b_192", nsi.binaire, "192.168.0.1")
    ctx.note(
        "la fiche annonce 192.168.0.1 : c'est une erreur, l'adresse en binaire de l'exemple "
        "est 201.9.118.19 (celle de la suite de l'exercice).",
        "the sheet says 192.168.0.1: a mistake, the example's binary address is 201.9.118.19 "
        "(the one used in the rest of the exercise).",
    )

    ctx.heading("c) decomposer() et composer()", "c) decomposer() and composer()")
    ctx.say(
        "Une adresse en liste de 4 entiers, et la liste en adresse.",
        "An address as a list of 4 integers, and back.",
    )
    ctx.call("c_decomposer", nsi.decomposer, "201.9.118.19")
    ctx.call("c_composer", nsi.composer, [201, 9, 118, 19])

    ctx.heading("d) est_une_ip()", "d) est_une_ip()")
    ctx.say(
        "Le prédicat dit si l'adresse est valide ; paquet.addr dit aussi pourquoi.",
        "The predicate says whether the address is valid; paquet.addr also says why.",
    )
    ctx.call("d_valide", nsi.est_une_ip, "201.9.118.19")
    ctx.call("d_invalide", nsi.est_une_ip, "201.9.118.256")
    reasons = {}
    for bad in ("201.9.118.256", "010.1.1.1", "201.9.118", "201..118.19", "201.9.-1.19"):
        reason = addr.ipv4_rejection(bad)
        reasons[bad] = reason
        ctx.console.print(f"  {bad!r:18} [red]{escape(str(reason))}[/]")
    ctx.record("d_raisons", reasons)

    ctx.heading("e) Combien de machines dans un /21 ?", "e) How many hosts in a /21?")
    ctx.say(
        "32 - 21 = 11 bits pour les machines : 2**11 adresses, moins celle du sous-réseau "
        "et celle de diffusion.",
        "32 - 21 = 11 host bits: 2**11 addresses, less the subnet and broadcast addresses.",
    )
    ctx.call("e_machines", nsi.nombre_machines, 21)
    prefix = ctx.call("e_masque_1000", nsi.plus_petit_masque, 1000)
    ctx.say(
        f"Pour 1000 machines il faut 10 bits (1022 places) : /{prefix}, soit {nsi.masque(prefix)}.",
        f"1000 hosts need 10 bits (1022 places): /{prefix}, that is {nsi.masque(prefix)}.",
    )

    ctx.heading("f) et g) Même sous-réseau ?", "f) and g) Same subnet?")
    ctx.say(
        "Deux machines sont dans le même sous-réseau quand leurs 21 premiers bits sont égaux.",
        "Two hosts share the subnet when their first 21 bits are equal.",
    )
    for key, other in (("f", "201.9.113.1"), ("g", "201.9.120.10")):
        comparison = addr.compare_subnets("201.9.118.44", other, 21)
        for address, network in (
            (comparison.first, comparison.first_network),
            (comparison.second, comparison.second_network),
        ):
            net_bits, host_bits = addr.binary_parts(address, 21)
            ctx.console.print(
                f"  {address!s:14} [bold cyan]{net_bits}[/] [yellow]{host_bits}[/]"
                f"  -> {network.network_address}"
            )
        ctx.call(key, nsi.meme_sousreseau, "201.9.118.44", other, 21)

    ctx.heading("h) masque()", "h) masque()")
    ctx.say("21 bits à 1 puis 11 bits à 0.", "21 one bits, then 11 zero bits.")
    ctx.call("h", nsi.masque, 21)

    ctx.heading("i) adresse_sousreseau()", "i) adresse_sousreseau()")
    ctx.say("L'adresse ET le masque, bit à bit.", "The address AND the mask, bit by bit.")
    ctx.call("i", nsi.adresse_sousreseau, "201.9.118.44", 21)
    ctx.note(
        "la fiche affiche '255.255.248.0' pour cet appel : c'est le masque, une erreur de "
        "l'énoncé ; l'adresse du sous-réseau est bien 201.9.112.0.",
        "the sheet prints '255.255.248.0' for this call: that is the mask, a mistake in the "
        "statement; the subnet address is 201.9.112.0.",
    )

    ctx.heading("j) meme_sousreseau()", "j) meme_sousreseau()")
    ctx.say("Comparer les deux adresses de sous-réseau.", "Compare both subnet addresses.")
    ctx.call("j_vrai", nsi.meme_sousreseau, "201.9.118.44", "201.9.113.1", 21)
    ctx.call("j_faux", nsi.meme_sousreseau, "201.9.118.44", "201.9.120.10", 21)

    ctx.heading("Tout le sous-réseau : paquet subnet", "The whole subnet: paquet subnet")
    ctx.say(
        "Ce que montre « paquet subnet 201.9.118.19/21 » (bits réseau / bits machine) :",
        "What `paquet subnet 201.9.118.19/21` shows (network bits / host bits):",
    )
    info = addr.subnet_info("201.9.118.19/21")
    ctx.console.print(info_table(info))
    ctx.record("subnet", info.to_dict())


@section("plans", "Découper un réseau", "Planning subnets")
def _plans(ctx: DemoContext) -> None:
    from paquet.cli.subnet import plan_table

    ctx.heading("VLSM : 100, 50, 20 et 2 machines", "VLSM: 100, 50, 20 and 2 hosts")
    ctx.say(
        "Les plus grands sous-réseaux d'abord, chacun le plus petit qui suffit, sans "
        "chevauchement, dans 192.0.2.0/24.",
        "Largest first, each the smallest that fits, disjoint, inside 192.0.2.0/24.",
    )
    result = plan.vlsm("192.0.2.0/24", {"A": 100, "B": 50, "C": 20, "D": 2})
    ctx.console.print(plan_table(result))
    free = ", ".join(str(n) for n in result.free)
    ctx.say(f"Reste libre : {free}", f"Left free: {free}")
    ctx.record("vlsm", result.to_dict())

    ctx.heading("Résumer des routes", "Summarising routes")
    inputs = ["192.0.2.0/26", "192.0.2.64/26", "192.0.2.128/25", "198.51.100.0/24"]
    summary = [str(n) for n in plan.summarize(inputs)]
    ctx.say(
        f"{', '.join(inputs)} -> {', '.join(summary)}",
        f"{', '.join(inputs)} -> {', '.join(summary)}",
    )
    ctx.record("summary", {"inputs": inputs, "summary": summary})

    ctx.heading("IPv6", "IPv6")
    count = addr.subnet_count(48, 64, 6)
    tenth = addr.nth_subnet("2001:db8::/48", 64, 10)
    ctx.say(
        f"Un /48 contient {count} sous-réseaux /64 ; le 11e est {tenth}, forme complète "
        f"{tenth.network_address.exploded}.",
        f"A /48 holds {count} /64 subnets; the 11th is {tenth}, in full "
        f"{tenth.network_address.exploded}.",
    )
    ctx.record("ipv6", {"subnets_64_in_48": count, "eleventh": str(tenth)})


@section("somme", "Exercice 2 : la somme de contrôle IPv4", "Exercise 2: the IPv4 header checksum")
def _checksum(ctx: DemoContext) -> None:
    header = nsi.EN_TETE_FICHE
    ctx.heading("d) L'en-tête en 10 mots de 16 bits", "d) The header as ten 16-bit words")
    ctx.say(
        "Un en-tête qui a les mots visibles de la fiche et sa somme 0x2ae49 :",
        "A header with the sheet's visible words and its sum 0x2ae49:",
    )
    words = nsi.mots_entete(header)
    ctx.console.print("  " + " ".join(f"{w:04x}" for w in words))
    ctx.record("mots", [f"0x{w:04x}" for w in words])

    ctx.heading("Étapes (i) à (iv)", "Steps (i) to (iv)")
    explanation = explain_ipv4_header(header)
    for line in explanation.lines(ctx.lang):
        ctx.console.print(escape(line))
    ctx.record("explication", explanation.to_dict())

    ctx.heading("e) est_conforme()", "e) est_conforme()")
    ctx.say(
        "Le destinataire compare la somme calculée au champ reçu.",
        "The receiver compares the computed sum with the field it received.",
    )
    ctx.console.print(f"[dim]>>>[/] p = {header.hex(' ')!r}")
    ctx.call("e_conforme", nsi.est_conforme, header.hex(" "), 0x51B4, shown="p, 0x51b4")
    damaged = bytearray(header)
    damaged[8] = 0x3F  # TTL 64 -> 63 without updating the checksum
    ctx.say(
        "Le TTL passe de 64 à 63 sans recalculer la somme : le paquet n'est plus conforme.",
        "The TTL goes from 64 to 63 without a new checksum: the packet is no longer intact.",
    )
    ctx.console.print(f"[dim]>>>[/] p = {bytes(damaged).hex(' ')!r}")
    ctx.call("e_altere", nsi.est_conforme, bytes(damaged).hex(" "), 0x51B4, shown="p, 0x51b4")

    _crafted_frame(ctx)

    ctx.heading("Mise à jour incrémentale (RFC 1624)", "Incremental update (RFC 1624)")
    updated = incremental_update(0x51B4, 0x4006, 0x3F06)
    check = verify_ipv4_packet(bytes(damaged[:10]) + updated.to_bytes(2, "big") + damaged[12:])
    ctx.say(
        f"Un routeur qui décrémente le TTL corrige la somme sans tout relire : "
        f"~(~0x51b4 + ~0x4006 + 0x3f06) = 0x{updated:04x}, "
        f"{'conforme' if check[0].ok else 'non conforme'}.",
        f"A router that decrements the TTL fixes the sum without reading it all: "
        f"~(~0x51b4 + ~0x4006 + 0x3f06) = 0x{updated:04x}, "
        f"{'intact' if check[0].ok else 'damaged'}.",
    )
    ctx.record("incremental", {"new_checksum": f"0x{updated:04x}", "ok": check[0].ok})


@section("explain", "Un paquet expliqué : paquet explain", "A packet explained: paquet explain")
def _explain(ctx: DemoContext) -> None:
    from paquet.explain import explain
    from paquet.layers import IP, UDP

    pkt = IP(src="192.0.2.10", dst="203.0.113.10") / UDP(sport=40000, dport=10000) / "miaou"
    ctx.code(
        'paquet explain \'IP(src="192.0.2.10", dst="203.0.113.10")'
        '/UDP(sport=40000, dport=10000)/"miaou"\'',
        prompt="$",
    )
    result = explain(pkt, ctx.lang)
    ctx.console.print("\n".join(result.lines()), markup=False, highlight=False)
    ctx.record(
        "explain",
        {layer.name: layer.checksum.ok if layer.checksum else None for layer in result.layers},
    )
    ctx.say(
        "Chaque en-tête dessiné comme dans sa RFC, chaque champ avec ses bits, sa valeur et son "
        "sens, et les sommes de contrôle (IPv4, et UDP avec son pseudo-en-tête) pas à pas.",
        "Each header drawn as its RFC draws it, each field with its bits, value and meaning, "
        "and the checksums (IPv4, and UDP with its pseudo-header) step by step.",
    )


def _crafted_frame(ctx: DemoContext) -> None:
    """The sheet's frame, crafted with paquet (documentation addresses; nothing is sent)."""
    from paquet import IP, TCP, Ether, hexstr

    ctx.heading(
        "Parties 1 et 2 sur une trame créée avec paquet",
        "Parts 1 and 2 on a frame crafted with paquet",
    )
    ctx.say(
        "La trame de la fiche, avec des adresses de documentation au lieu de frama.io "
        "(rien n'est envoyé) :",
        "The sheet's frame, with documentation addresses instead of frama.io (nothing is sent):",
    )
    pkt = (
        Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
        / IP(src="192.0.2.1", dst="203.0.113.5")
        / TCP()
        / "La NSI, c'est cool !"
    )
    ctx.console.print(
        '[dim]>>>[/] pkt = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")'
        '/IP(src="192.0.2.1", dst="203.0.113.5")/TCP()/"La NSI, c\'est cool !"'
    )
    ctx.code("pkt")
    ctx.output(repr(pkt))
    ctx.code("pkt.src, pkt.dst")
    ctx.output(repr((pkt.src, pkt.dst)))
    ctx.code("hexdump(pkt)")
    dump = pkt.hexdump(dump=True) or ""
    ctx.output(dump)
    ctx.record("hexdump", dump)
    ctx.say(
        "D'abord les adresses MAC du destinataire puis de la source, le type 0800 (IPv4), "
        "et l'en-tête IPv4 qui commence par 45 00.",
        "First the receiver's then the sender's MAC addresses, the type 0800 (IPv4), and the "
        "IPv4 header starting with 45 00.",
    )
    p = hexstr(pkt).split("  ")[0]
    ctx.console.print('[dim]>>>[/] p = hexstr(pkt).split("  ")[0]')
    ctx.console.print(f"[green]{escape(repr(p))}[/]")
    words = nsi.mots_entete(pkt)
    ctx.console.print(f"[dim]>>>[/] {escape('[hex(mot) for mot in mots_entete(pkt)]')}")
    ctx.console.print(f"[green]{escape(repr([hex(w) for w in words]))}[/]")
    ctx.call("trame_conforme", nsi.est_conforme, pkt, words[5], shown=f"pkt, 0x{words[5]:04x}")
    ctx.record("trame_mots", [f"0x{w:04x}" for w in words])


# ---------------------------------------------------------------------------------------------
# Running


def lab_unavailable() -> str | None:
    """Why the lab sections cannot run here (one line), or None when they can."""
    import shutil

    if os.geteuid() != 0:
        return "the lab needs root (network namespaces, raw sockets): run `sudo paquet demo`"
    for tool in ("ip", "nft", "tcpdump"):
        if shutil.which(tool) is None:
            return f"the lab needs `{tool}` (scripts/system-deps installs it)"
    return None


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """SIGTERM raises SystemExit while inside, so the lab is taken down (``finally``)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends (the lab being built is then registered
    for teardown), and are raised there: KeyboardInterrupt, or SystemExit for SIGTERM."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []

    def remember(signum: int, frame: Any) -> None:
        arrived.append(signum)

    previous = {sig: signal.signal(sig, remember) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if signal.SIGINT in arrived:
        raise KeyboardInterrupt
    if arrived:
        raise SystemExit(128 + arrived[0])


def run(
    lang: str,
    only: tuple[str, ...] = (),
    out: Console | None = None,
    use_lab: bool = True,
) -> dict[str, Any]:
    """Run the sections (all, or those named in ``only``) and return what they recorded.

    Sections that need the lab run on a ``tp`` lab brought up for the demo (a unique name)
    and always taken down at the end; without root (or with ``use_lab=False``) they are
    skipped, and one line says why.
    """
    keys = {s.key for s in SECTIONS}
    unknown = [k for k in only if k not in keys]
    if unknown:
        raise click.UsageError(
            f"unknown demo section {unknown[0]!r}; choose from {', '.join(sorted(keys))}"
        )
    screen = out if out is not None else wide_console()
    chosen = [s for s in SECTIONS if not only or s.key in only]
    results: dict[str, Any] = {"lang": lang, "sections": {}, "lab": None, "skipped": []}
    reason = None
    if any(s.needs_lab for s in chosen):
        reason = lab_unavailable() if use_lab else "--no-lab"
    with contextlib.ExitStack() as stack:
        lab = None
        if any(s.needs_lab for s in chosen) and reason is None:
            from paquet.lab import Lab
            from paquet.lab.testing import unique_lab_name

            stack.enter_context(_terminate_cleanly())
            screen.print(
                escape(_t(lang, "Le laboratoire « tp » démarre...", "Bringing the `tp` lab up..."))
            )
            with _signals_deferred():  # Ctrl-C while building: the lab still comes down
                lab = stack.enter_context(Lab.up("tp", name=unique_lab_name("demo")))
            results["lab"] = lab.name
        elif reason is not None:
            skipped = [s.key for s in chosen if s.needs_lab]
            results["skipped"] = skipped
            results["skip_reason"] = reason
            what = _t(lang, "Sections du laboratoire sautées", "Lab sections skipped")
            screen.print(f"[yellow]{escape(what)} ({', '.join(skipped)}): {escape(reason)}[/]")
        for sec in chosen:
            if sec.needs_lab and lab is None:
                continue
            screen.rule(f"[bold]{escape(sec.title(lang))}[/]")
            ctx = DemoContext(screen, lang, lab=lab)
            sec.run(ctx)
            screen.print()
            results["sections"][sec.key] = ctx.data
    if results["lab"] is not None:
        screen.print(
            escape(
                _t(
                    lang,
                    f"Le laboratoire {results['lab']} est arrêté et supprimé.",
                    f"The lab {results['lab']} is down and removed.",
                )
            )
        )
    return results


def _t(lang: str, fr: str, en: str) -> str:
    return fr if lang == "fr" else en


@click.command(name="demo")
@click.option(
    "--lang",
    type=Choice(LANGS),
    default=None,
    help="Language (default: French when the locale is French).",
)
@click.option("--only", type=TEXT, multiple=True, help="Run only this section (repeatable).")
@click.option("--list", "list_sections", is_flag=True, help="List the sections and exit.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--no-lab", is_flag=True, help="Skip the sections that need the lab.")
def command(
    lang: str | None, only: tuple[str, ...], list_sections: bool, as_json: bool, no_lab: bool
) -> int:
    """Show what paquet does, on the course's examples."""
    language = lang or default_lang()
    if list_sections:
        if as_json:
            print_json([{"key": s.key, "title": s.title(language)} for s in SECTIONS])
        else:
            for s in SECTIONS:
                click.echo(f"{s.key:12} {s.title(language)}")
        return 0
    if as_json:
        quiet = Console(file=io.StringIO(), width=120, emoji=False)
        print_json(run(language, only, quiet, use_lab=not no_lab))
        return 0
    run(language, only, use_lab=not no_lab)
    return 0

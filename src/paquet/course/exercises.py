"""The course's exercise sheet as demo sections (``paquet demo``): IPv4 addresses (exercise 1),
planning subnets, the IPv4 header checksum (exercise 2), and a packet explained. No lab needed.
"""

from __future__ import annotations

from paquet import addr, nsi, plan
from paquet.checksums import explain_ipv4_header, incremental_update, verify_ipv4_packet
from paquet.course.page import DemoContext, Section, Table, Verbatim

__all__ = ["SECTIONS"]


def _addresses(ctx: DemoContext) -> None:
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
        ctx.line((f"  {bad!r:18} ", None), (str(reason), "red"))
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
            ctx.line(
                (f"  {address!s:14} ", None),
                (net_bits, "bold cyan"),
                (" ", None),
                (host_bits, "yellow"),
                (f"  -> {network.network_address}", None),
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
    ctx.emit(Table("subnet", info))
    ctx.record("subnet", info.to_dict())


def _plans(ctx: DemoContext) -> None:
    ctx.heading("VLSM : 100, 50, 20 et 2 machines", "VLSM: 100, 50, 20 and 2 hosts")
    ctx.say(
        "Les plus grands sous-réseaux d'abord, chacun le plus petit qui suffit, sans "
        "chevauchement, dans 192.0.2.0/24.",
        "Largest first, each the smallest that fits, disjoint, inside 192.0.2.0/24.",
    )
    result = plan.vlsm("192.0.2.0/24", {"A": 100, "B": 50, "C": 20, "D": 2})
    ctx.emit(Table("plan", result))
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


def _checksum(ctx: DemoContext) -> None:
    header = nsi.EN_TETE_FICHE
    ctx.heading("d) L'en-tête en 10 mots de 16 bits", "d) The header as ten 16-bit words")
    ctx.say(
        "Un en-tête qui a les mots visibles de la fiche et sa somme 0x2ae49 :",
        "A header with the sheet's visible words and its sum 0x2ae49:",
    )
    words = nsi.mots_entete(header)
    ctx.line(("  " + " ".join(f"{w:04x}" for w in words), None))
    ctx.record("mots", [f"0x{w:04x}" for w in words])

    ctx.heading("Étapes (i) à (iv)", "Steps (i) to (iv)")
    explanation = explain_ipv4_header(header)
    for line in explanation.lines(ctx.lang):
        ctx.line((line, None))
    ctx.record("explication", explanation.to_dict())

    ctx.heading("e) est_conforme()", "e) est_conforme()")
    ctx.say(
        "Le destinataire compare la somme calculée au champ reçu.",
        "The receiver compares the computed sum with the field it received.",
    )
    ctx.code(f"p = {header.hex(' ')!r}")
    ctx.call("e_conforme", nsi.est_conforme, header.hex(" "), 0x51B4, shown="p, 0x51b4")
    damaged = bytearray(header)
    damaged[8] = 0x3F  # TTL 64 -> 63 without updating the checksum
    ctx.say(
        "Le TTL passe de 64 à 63 sans recalculer la somme : le paquet n'est plus conforme.",
        "The TTL goes from 64 to 63 without a new checksum: the packet is no longer intact.",
    )
    ctx.code(f"p = {bytes(damaged).hex(' ')!r}")
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


def _explain(ctx: DemoContext) -> None:
    from paquet.explainer import explain
    from paquet.layers import IP, UDP

    pkt = IP(src="192.0.2.10", dst="203.0.113.10") / UDP(sport=40000, dport=10000) / "miaou"
    ctx.code(
        'paquet explain \'IP(src="192.0.2.10", dst="203.0.113.10")'
        '/UDP(sport=40000, dport=10000)/"miaou"\'',
        prompt="$",
    )
    result = explain(pkt, ctx.lang)
    ctx.emit(Verbatim(tuple(result.lines())))
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
    ctx.code(
        'pkt = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")'
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
    ctx.code('p = hexstr(pkt).split("  ")[0]')
    ctx.line((repr(p), "green"))
    words = nsi.mots_entete(pkt)
    ctx.code("[hex(mot) for mot in mots_entete(pkt)]")
    ctx.line((repr([hex(w) for w in words]), "green"))
    ctx.call("trame_conforme", nsi.est_conforme, pkt, words[5], shown=f"pkt, 0x{words[5]:04x}")
    ctx.record("trame_mots", [f"0x{w:04x}" for w in words])


SECTIONS = (
    Section("adresses", "Exercice 1 : les adresses IPv4", "Exercise 1: IPv4 addresses", _addresses),
    Section("plans", "Découper un réseau", "Planning subnets", _plans),
    Section(
        "somme",
        "Exercice 2 : la somme de contrôle IPv4",
        "Exercise 2: the IPv4 header checksum",
        _checksum,
    ),
    Section(
        "explain",
        "Un paquet expliqué : paquet explain",
        "A packet explained: paquet explain",
        _explain,
    ),
)
"""The exercise sheet's sections, in order (after TP 4's)."""

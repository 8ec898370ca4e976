"""Les fonctions de la fiche d'exercices « Exercices sur les protocoles » (NSI), en français.

Exercice 1 (adresses IPv4) : :func:`decomposer`, :func:`composer`, :func:`est_une_ip`,
:func:`masque`, :func:`adresse_sousreseau`, :func:`meme_sousreseau`, et les réponses aux
questions de calcul : :func:`nombre_adresses_ipv4`, :func:`nombre_adresses_ipv6`,
:func:`binaire`, :func:`depuis_binaire`, :func:`nombre_machines`, :func:`plus_petit_masque`.

Exercice 2 (somme de contrôle de l'en-tête IPv4) : :func:`mots_entete` (l'en-tête en liste
de dix entiers de 16 bits), :func:`somme_controle`, :func:`est_conforme` et
:func:`expliquer_somme` (les étapes (i) à (iv) de la fiche).

TP 4 (Scapy) : :func:`tracerouteperso` et :func:`testport`, le traceroute et le scanner de
ports du compte rendu, sur les outils de paquet (chargés seulement quand on les appelle).

Chaque fonction s'appuie sur :mod:`paquet.addr` et :mod:`paquet.checksums`; une entrée
invalide lève une erreur de paquet (:class:`~paquet.errors.AddressError`,
:class:`~paquet.errors.DecodeError`) avec la raison.

>>> decomposer('201.9.118.19')
[201, 9, 118, 19]
>>> adresse_sousreseau('201.9.118.44', 21)
'201.9.112.0'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from paquet import addr
from paquet.checksums import explain_words, ipv4_header, words16
from paquet.errors import AddressError, DecodeError

__all__ = [
    "EN_TETE_FICHE",
    "adresse_sousreseau",
    "binaire",
    "composer",
    "decomposer",
    "depuis_binaire",
    "est_conforme",
    "est_une_ip",
    "expliquer_somme",
    "masque",
    "meme_sousreseau",
    "mots_entete",
    "nombre_adresses_ipv4",
    "nombre_adresses_ipv6",
    "nombre_machines",
    "plus_petit_masque",
    "somme_controle",
    "testport",
    "tracerouteperso",
]


# ---------------------------------------------------------------------------------------------
# Exercice 1


def nombre_adresses_ipv4() -> int:
    """Question a) : le nombre d'adresses IPv4 différentes, 2 puissance 32 (4 octets).

    >>> nombre_adresses_ipv4()
    4294967296
    >>> nombre_adresses_ipv4() == 2**32
    True
    """
    return addr.address_space_size(4)


def nombre_adresses_ipv6() -> int:
    """Question a) : le nombre d'adresses IPv6 différentes, 2 puissance 128 (16 octets),
    environ 3,4 × 10^38.

    >>> nombre_adresses_ipv6() == 2**128
    True
    >>> f"{nombre_adresses_ipv6():.2e}"
    '3.40e+38'
    """
    return addr.address_space_size(6)


def binaire(ip: str) -> str:
    """Question b) : l'adresse IPv4 ``ip`` écrite en binaire, octet par octet.

    >>> binaire('201.9.118.19')
    '11001001.00001001.01110110.00010011'
    """
    return addr.to_binary(addr.parse_ipv4(ip))


def depuis_binaire(texte: str) -> str:
    """Question b) : l'adresse écrite en binaire (``texte``), remise en décimal pointé.

    La fiche demande de vérifier que ``11001001.00001001.01110110.00010011`` s'écrit
    ``192.168.0.1`` : c'est une erreur de la fiche, cette adresse est ``201.9.118.19``
    (celle des questions suivantes) ; ``192.168.0.1`` s'écrit
    ``11000000.10101000.00000000.00000001``.

    >>> depuis_binaire('11001001.00001001.01110110.00010011')
    '201.9.118.19'
    >>> binaire('192.168.0.1')
    '11000000.10101000.00000000.00000001'
    """
    result = addr.from_binary(texte)
    if result.version != 4:
        raise AddressError(f"{texte!r} is not an IPv4 address in binary (32 bits)")
    return str(result)


def decomposer(ip: str) -> list[int]:
    """Question c) : l'adresse IPv4 ``ip`` (en décimal pointé) découpée en liste de 4 entiers.

    Une adresse invalide lève :class:`~paquet.errors.AddressError` avec la raison.

    >>> decomposer('201.9.118.19')
    [201, 9, 118, 19]
    >>> [int(octet) for octet in '201.9.118.19'.split('.')]  # la méthode split() de la fiche
    [201, 9, 118, 19]
    """
    return list(addr.parse_ipv4(ip).packed)


def composer(liste: Sequence[int]) -> str:
    """Question c) : la chaîne de l'adresse IPv4 formée des 4 entiers de ``liste``
    (chacun entre 0 et 255).

    >>> composer([201, 9, 118, 19])
    '201.9.118.19'
    >>> '.'.join(str(n) for n in [201, 9, 118, 19])  # la méthode join() de la fiche
    '201.9.118.19'
    >>> composer([201, 9, 118])
    Traceback (most recent call last):
    ...
    paquet.errors.AddressError: an IPv4 address has 4 numbers, got 3
    """
    octets = list(liste)
    if len(octets) != 4:
        raise AddressError(f"an IPv4 address has 4 numbers, got {len(octets)}")
    for number, octet in enumerate(octets, 1):
        if isinstance(octet, bool) or not isinstance(octet, int):
            raise AddressError(f"number {number} is not an integer: {octet!r}")
        if not 0 <= octet <= 255:
            raise AddressError(f"octet {octet} out of range 0-255 (number {number})")
    return ".".join(str(octet) for octet in octets)


def est_une_ip(ip: object) -> bool:
    """Question d) : prédicat, vrai quand ``ip`` est une adresse IPv4 valide : quatre nombres
    décimaux de 0 à 255 séparés par des points, sans signe, sans espace et sans zéro en tête
    (``010`` serait ambigu : octal ou décimal ?). La raison d'un refus est donnée par
    :func:`paquet.addr.ipv4_rejection`.

    >>> est_une_ip('201.9.118.19')
    True
    >>> est_une_ip('201.9.118.256')
    False
    >>> est_une_ip('201.9.118'), est_une_ip('010.1.1.1'), est_une_ip(' 1.2.3.4')
    (False, False, False)
    """
    return addr.is_ipv4(ip)


def nombre_machines(m: int) -> int:
    """Question e) : le nombre maximal de machines dans un sous-réseau de masque ``m`` :
    2 puissance (32 - m) adresses, moins l'adresse du sous-réseau et celle de diffusion
    (un /31 en garde 2 pour un lien point à point, RFC 3021, et un /32 une seule).

    >>> nombre_machines(21)
    2046
    """
    return addr.host_count(_masque_entier(m))


def plus_petit_masque(machines: int) -> int:
    """Question e) : le plus grand masque (le plus petit sous-réseau) qui permet de disposer
    d'au moins ``machines`` machines : /22 pour 1000 machines (1022 places).

    >>> plus_petit_masque(1000)
    22
    >>> masque(plus_petit_masque(1000)), nombre_machines(22)
    ('255.255.252.0', 1022)
    """
    return addr.prefix_for_hosts(machines)


def _masque_entier(m: int) -> int:
    """Le masque ``m`` vérifié : un entier de 0 à 32."""
    if isinstance(m, bool) or not isinstance(m, int):
        raise AddressError(f"a mask length is an integer from 0 to 32, got {m!r}")
    return addr.parse_prefix(m)


def masque(m: int) -> str:
    """Question h) : le masque de sous-réseau ``m`` (nombre de bits) écrit comme une
    adresse IP.

    >>> masque(21)
    '255.255.248.0'
    >>> masque(24), masque(32), masque(0)
    ('255.255.255.0', '255.255.255.255', '0.0.0.0')
    """
    return str(addr.prefix_to_mask(_masque_entier(m)))


def adresse_sousreseau(ip: str, m: int) -> str:
    """Question i) : l'adresse du sous-réseau de la machine ``ip`` pour le masque ``m`` :
    les ``m`` bits de poids forts de l'adresse, complétés par des zéros (``ip & masque``).

    Attention : la fiche affiche ``'255.255.248.0'`` comme résultat de
    ``adresse_sousreseau('201.9.118.44', 21)``. C'est une erreur de l'énoncé : c'est le
    masque (``masque(21)``), pas l'adresse du sous-réseau, qui est ``'201.9.112.0'`` comme
    la fiche le calcule elle-même plus haut pour ``201.9.118.19/21``.

    >>> adresse_sousreseau('201.9.118.44', 21)
    '201.9.112.0'
    >>> adresse_sousreseau('201.9.118.19', 21)
    '201.9.112.0'
    """
    masque_bits = _masque_entier(m)
    return str(addr.compare_subnets(ip, ip, masque_bits).first_network.network_address)


def meme_sousreseau(ip1: str, ip2: str, m: int) -> bool:
    """Question j) (et f, g) : prédicat, vrai quand les machines ``ip1`` et ``ip2`` sont
    dans le même sous-réseau de masque ``m`` (même adresse de sous-réseau).

    >>> meme_sousreseau('201.9.118.44', '201.9.113.1', 21)
    True
    >>> meme_sousreseau('201.9.118.44', '201.9.120.10', 21)
    False
    """
    masque_bits = _masque_entier(m)
    return addr.same_subnet(addr.parse_ipv4(ip1), addr.parse_ipv4(ip2), masque_bits)


# ---------------------------------------------------------------------------------------------
# Exercice 2 : somme de contrôle de l'en-tête IPv4

EN_TETE_FICHE = bytes.fromhex("4500003b00010000400651b4c0a80001b114b74a")
"""Un en-tête IPv4 cohérent avec l'exemple de la fiche : ses mots visibles (0x4500, 0x003b,
0x0001, 0x4006, 0xc0a8, 0xb74a) et sa somme 0x2ae49. Les mots cachés par « ... » ont été
déduits : drapeaux 0x0000, source 192.168.0.1 (0xc0a8 0x0001), et 0xb114 pour la fin de la
somme ; d'où la destination 177.20.183.74 (un simple calcul, aucun paquet n'y est envoyé)."""


def _octets(paquet: Any) -> tuple[bytes, str]:
    """Les octets de ``paquet`` et où commence l'IPv4 ('ether', 'ip' ou 'auto')."""
    if isinstance(paquet, bytes | bytearray | memoryview):
        return bytes(paquet), "auto"
    if isinstance(paquet, str):
        texte = "".join(paquet.replace(":", " ").split())
        try:
            return bytes.fromhex(texte), "auto"
        except ValueError:
            raise DecodeError("hex", 0, "hexadecimal digits (a packet as hexstr gives)") from None
    if hasattr(type(paquet), "__bytes__"):
        nom = type(paquet).__name__
        lien = "ether" if nom in ("Ether", "Ethernet", "Dot1Q") else "auto"
        lien = "ip" if nom == "IP" else lien
        return bytes(paquet), lien
    raise DecodeError("packet", 0, f"bytes or a packet, got {type(paquet).__name__}")


def mots_entete(paquet: Any) -> list[int]:
    """Question d) : l'en-tête IPv4 de ``paquet`` sous la forme de la liste de ses 10 entiers
    de 16 bits (le premier est 0x4500, le 6e est la somme de contrôle). Un en-tête avec des
    options en a plus (2 par mot de 32 bits de l'IHL).

    ``paquet`` est du même type que ``pkt`` de la fiche (un paquet Scapy ou paquet, trame
    Ethernet ou paquet IP), ou ses octets (``bytes(pkt)``), ou la chaîne hexadécimale de la
    question c) (``hexstr(pkt).split("  ")[0]``). Une trame Ethernet (type 0x0800, y compris
    derrière une étiquette VLAN 802.1Q) est reconnue et son en-tête IPv4 extrait.

    >>> en_tete = '45 00 00 3b 00 01 00 00 40 06 51 b4 c0 a8 00 01 b1 14 b7 4a'
    >>> [hex(mot) for mot in mots_entete(en_tete)]  # doctest: +NORMALIZE_WHITESPACE
    ['0x4500', '0x3b', '0x1', '0x0', '0x4006', '0x51b4', '0xc0a8', '0x1', '0xb114', '0xb74a']
    """
    octets, lien = _octets(paquet)
    return words16(ipv4_header(octets, lien))


def somme_controle(paquet: Any) -> int:
    """Étapes (i) à (iii) : la somme de contrôle que l'en-tête IPv4 de ``paquet`` devrait
    porter, calculée sur les 9 autres mots (le 6e, le champ lui-même, est laissé de côté).

    >>> hex(somme_controle('4500003b000100004006 0000 c0a80001b114b74a'))
    '0x51b4'
    """
    return explain_words(mots_entete(paquet), 5).computed


def est_conforme(paquet: Any, chksum: int) -> bool:
    """Question e) : prédicat, vrai quand ``chksum`` (un entier) est bien la somme de
    contrôle de l'en-tête IPv4 de ``paquet`` : on additionne les 9 autres mots, on
    reporte la retenue, on prend le complément à 1 et on compare à ``chksum``.

    Le destinataire fait ce contrôle avec ``chksum`` lu dans l'en-tête (le 6e mot) :
    ``est_conforme(p, mots_entete(p)[5])``.

    >>> p = '45 00 00 3b 00 01 00 00 40 06 51 b4 c0 a8 00 01 b1 14 b7 4a'
    >>> est_conforme(p, 0x51b4)
    True
    >>> est_conforme(p, 0x51b5)
    False
    """
    if isinstance(chksum, bool) or not isinstance(chksum, int) or not 0 <= chksum <= 0xFFFF:
        raise DecodeError("IPv4", 10, f"a checksum from 0 to 0xffff, got {chksum!r}")
    return somme_controle(paquet) == chksum


def expliquer_somme(paquet: Any) -> str:
    """Les étapes (i) à (iv) de la fiche pour l'en-tête IPv4 de ``paquet``, en français.

    >>> print(expliquer_somme('4500003b000100004006 51b4 c0a80001b114b74a'))
    L'en-tête contient 10 mots de 16 bits :
      4500 003b 0001 0000 4006 [51b4] c0a8 0001 b114 b74a
    Le 6e mot (0x51b4) est la somme de contrôle elle-même : on le laisse de côté.
    (i)   0x4500 + 0x003b + 0x0001 + 0x0000 + 0x4006
          + 0xc0a8 + 0x0001 + 0xb114 + 0xb74a = 0x2ae49
    (ii)  0x2ae49 s'écrit sur plus de 2 octets : 0xae49 + 0x2 = 0xae4b
    (iii) complément à 1 sur 16 bits : ~0xae4b = 0x51b4
    (iv)  le champ vaut 0x51b4 : égal, l'en-tête est conforme
    """
    return explain_words(mots_entete(paquet), 5).render("fr")


# ---------------------------------------------------------------------------------------------
# TP 4 : traceroute et scanner de ports (chargés à la demande : ``import paquet.nsi`` reste léger)


def tracerouteperso(adresse: str, ttl_max: int = 30) -> list[str]:
    """Question 3 (annexe du TP 4) : le traceroute fait main.

    Affiche, une par ligne, l'adresse de chaque routeur qui répond sur le chemin vers
    ``adresse`` (sondes ICMP echo avec un TTL de 1, 2, 3...), puis celle de la destination, et
    renvoie ces adresses dans une liste. Les routeurs muets sont sautés, comme la boucle du
    compte rendu saute les réponses ``None``. Toutes les sondes partent en même temps : le
    résultat arrive en une fraction de seconde au lieu d'une attente par TTL. Il faut les
    droits root (sockets brutes).
    """
    from paquet.probe.course import tracerouteperso as _tracerouteperso

    return _tracerouteperso(adresse, ttl_max)


def testport(ip: str, ports: int = 10000) -> list[int]:
    """Question 10 du TP 4 : les ports TCP ouverts de ``ip`` parmi 0 à ``ports - 1`` (les
    10 000 du compte rendu), dans l'ordre croissant.

    Un port est ouvert quand il répond SYN/ACK à un SYN (balayage SYN avec les droits root,
    sinon en ouvrant de vraies connexions). Les sondes partent en parallèle : 10 000 ports en
    quelques secondes au lieu de plusieurs minutes avec un ``sr1`` par port.
    """
    from paquet.probe.course import testport as _testport

    return _testport(ip, ports)


testport.__test__ = False  # type: ignore[attr-defined]  # a course function, not a pytest test

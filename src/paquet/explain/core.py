"""``explain(pkt, lang)``: each layer of a packet as the RFCs draw it, what each field means, and
the checksums computed step by step.

The values come from the bytes on the wire (the packet is built first, so lengths and checksums
are those computed), read bit by bit with the layouts below; the layers and where they start
come from paquet's dissection of the same bytes.

>>> from paquet.layers import IP, UDP
>>> e = explain(IP(src="192.0.2.1", dst="192.0.2.2") / UDP(sport=40000, dport=53), "en")
>>> [layer.name for layer in e.layers]
['IPv4', 'UDP']
>>> e.layers[0].field("ttl").value, e.layers[1].field("len").value
(64, 8)
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from paquet.checksum import ChecksumExplanation
from paquet.errors import PaquetError
from paquet.explain.diagram import Box, render_diagram

__all__ = ["Explanation", "FieldExplanation", "LayerExplanation", "explain", "packet_bytes"]

LANGS = ("fr", "en")

# ------------------------------------------------------------------------------- value names

_ETHERTYPES = {
    0x0800: "IPv4",
    0x0806: "ARP",
    0x86DD: "IPv6",
    0x8100: "802.1Q",
    0x88A8: "802.1ad",
}
_PROTOS = {
    1: "ICMP",
    4: "IPv4",
    6: "TCP",
    17: "UDP",
    41: "IPv6",
    58: "ICMPv6",
    0: "HOPOPT",
    43: "Routing",
    44: "Fragment",
    59: "No Next Header",
    60: "Destination Options",
}
_ICMP_TYPES = {
    0: ("réponse d'écho (echo-reply)", "echo reply"),
    3: ("destination injoignable", "destination unreachable"),
    5: ("redirection", "redirect"),
    8: ("demande d'écho (echo-request)", "echo request"),
    11: ("temps dépassé (TTL à 0)", "time exceeded (TTL reached 0)"),
    12: ("problème de paramètre", "parameter problem"),
}
_ICMP_UNREACH = {
    0: ("réseau injoignable", "network unreachable"),
    1: ("machine injoignable", "host unreachable"),
    2: ("protocole injoignable", "protocol unreachable"),
    3: ("port injoignable", "port unreachable"),
    4: ("fragmentation nécessaire", "fragmentation needed"),
    13: ("interdit par un filtre", "administratively prohibited"),
}
_ICMP6_TYPES = {
    1: ("destination injoignable", "destination unreachable"),
    2: ("paquet trop gros", "packet too big"),
    3: ("temps dépassé", "time exceeded"),
    4: ("problème de paramètre", "parameter problem"),
    128: ("demande d'écho", "echo request"),
    129: ("réponse d'écho", "echo reply"),
    133: ("sollicitation de routeur", "router solicitation"),
    134: ("annonce de routeur", "router advertisement"),
    135: ("sollicitation de voisin", "neighbour solicitation"),
    136: ("annonce de voisin", "neighbour advertisement"),
}
_ARP_OPS = {1: ("demande (who-has)", "request (who-has)"), 2: ("réponse (is-at)", "reply (is-at)")}
_PORTS = {
    20: "ftp-data",
    21: "ftp",
    22: "ssh",
    23: "telnet",
    25: "smtp",
    53: "domain",
    67: "bootps",
    68: "bootpc",
    80: "http",
    123: "ntp",
    161: "snmp",
    443: "https",
    514: "syslog",
    8080: "http-alt",
}


def _named(table: dict[int, str]) -> Callable[[int], str]:
    def show(value: int) -> str:
        name = table.get(value)
        return f"{value} ({name})" if name else str(value)

    return show


def _hex(digits: int) -> Callable[[int], str]:
    return lambda value: f"0x{value:0{digits}x}"


def _ipv4(value: int) -> str:
    return str(ipaddress.IPv4Address(value))


def _ipv6(value: int) -> str:
    return str(ipaddress.IPv6Address(value))


def _mac(value: int) -> str:
    return ":".join(f"{b:02x}" for b in value.to_bytes(6, "big"))


def _ip_flags(value: int) -> str:
    names = [n for bit, n in ((4, "evil"), (2, "DF"), (1, "MF")) if value & bit]
    return "+".join(names) if names else "0"


def _port(value: int) -> str:
    return str(value)


def _ethertype(value: int) -> str:
    return f"0x{value:04x}" + (f" ({_ETHERTYPES[value]})" if value in _ETHERTYPES else "")


# ------------------------------------------------------------------------------- layouts


@dataclass(frozen=True)
class _Spec:
    name: str  # paquet's (Scapy's) field name
    label: str  # the RFC's name, drawn in the box
    bits: int
    fr: str
    en: str
    show: Callable[[int], str] = str


_ETHER = (
    _Spec(
        "dst",
        "Destination MAC",
        48,
        "adresse MAC du destinataire sur ce lien (la box, le routeur ou la machine voisine)",
        "MAC address of the receiver on this link (the router or the neighbouring host)",
        _mac,
    ),
    _Spec(
        "src",
        "Source MAC",
        48,
        "adresse MAC de la carte réseau qui émet la trame",
        "MAC address of the network card sending the frame",
        _mac,
    ),
    _Spec(
        "type",
        "EtherType",
        16,
        "protocole transporté : 0x0800 IPv4, 0x0806 ARP, 0x86dd IPv6",
        "protocol carried: 0x0800 IPv4, 0x0806 ARP, 0x86dd IPv6",
        _ethertype,
    ),
)

# A tagged frame (IEEE 802.1Q): the tag (TPID and TCI) sits between the source address and
# the EtherType; a second tag (802.1ad, "Q-in-Q") may follow the first.
_DOT1Q_TAG = (
    _Spec(
        "tpid",
        "TPID",
        16,
        "identifiant du marquage : 0x8100 annonce une étiquette de VLAN 802.1Q (à la place "
        "de l'EtherType)",
        "tag protocol identifier: 0x8100 announces an 802.1Q VLAN tag (where the EtherType "
        "would be)",
        _ethertype,
    ),
    _Spec(
        "prio",
        "PCP",
        3,
        "priorité de la trame (0 à 7, classe de service 802.1p)",
        "priority of the frame (0 to 7, 802.1p class of service)",
    ),
    _Spec(
        "dei",
        "DEI",
        1,
        "1 : trame à jeter en premier en cas d'encombrement",
        "1: frame to drop first under congestion",
    ),
    _Spec(
        "vlan",
        "VID",
        12,
        "numéro du VLAN (1 à 4094) : le réseau virtuel auquel la trame appartient",
        "VLAN number (1 to 4094): the virtual network the frame belongs to",
    ),
)
_DOT1Q_TYPE = (
    _Spec(
        "type",
        "EtherType",
        16,
        "protocole transporté après l'étiquette : 0x0800 IPv4, 0x86dd IPv6",
        "protocol carried after the tag: 0x0800 IPv4, 0x86dd IPv6",
        _ethertype,
    ),
)

_ARP = (
    _Spec(
        "hwtype",
        "Hardware Type",
        16,
        "type de réseau : 1 pour Ethernet",
        "link type: 1 for Ethernet",
    ),
    _Spec(
        "ptype",
        "Protocol Type",
        16,
        "protocole dont on cherche l'adresse : 0x0800 (IPv4)",
        "protocol whose address is resolved: 0x0800 (IPv4)",
        _hex(4),
    ),
    _Spec(
        "hwlen",
        "HW Len",
        8,
        "longueur d'une adresse MAC en octets (6)",
        "length of a MAC address in bytes (6)",
    ),
    _Spec(
        "plen",
        "Proto Len",
        8,
        "longueur d'une adresse IPv4 en octets (4)",
        "length of an IPv4 address in bytes (4)",
    ),
    _Spec(
        "op",
        "Operation",
        16,
        "1 : demande « qui a cette adresse ? », 2 : réponse",
        '1: request "who has this address?", 2: reply',
    ),
    _Spec(
        "hwsrc", "Sender MAC", 48, "adresse MAC de l'émetteur", "MAC address of the sender", _mac
    ),
    _Spec(
        "psrc", "Sender IP", 32, "adresse IPv4 de l'émetteur", "IPv4 address of the sender", _ipv4
    ),
    _Spec(
        "hwdst",
        "Target MAC",
        48,
        "adresse MAC cherchée (des zéros dans une demande)",
        "MAC address looked for (zeros in a request)",
        _mac,
    ),
    _Spec(
        "pdst",
        "Target IP",
        32,
        "adresse IPv4 dont on cherche la MAC",
        "IPv4 address whose MAC is looked for",
        _ipv4,
    ),
)

_IPV4 = (
    _Spec("version", "Version", 4, "version du protocole IP : 4", "IP version: 4"),
    _Spec(
        "ihl",
        "IHL",
        4,
        "longueur de l'en-tête en mots de 32 bits (5 = 20 octets sans options)",
        "header length in 32-bit words (5 = 20 bytes, no options)",
    ),
    _Spec(
        "tos",
        "TOS",
        8,
        "type de service (DSCP et ECN) : la priorité du paquet",
        "type of service (DSCP and ECN): the packet's priority",
        _hex(2),
    ),
    _Spec(
        "len",
        "Total Length",
        16,
        "longueur totale du paquet (en-tête et données) en octets",
        "total length of the packet (header and data) in bytes",
    ),
    _Spec(
        "id",
        "Identification",
        16,
        "numéro du paquet, commun à tous ses fragments",
        "packet number, shared by all its fragments",
    ),
    _Spec(
        "flags",
        "Flags",
        3,
        "DF : ne pas fragmenter ; MF : d'autres fragments suivent",
        "DF: don't fragment; MF: more fragments follow",
        _ip_flags,
    ),
    _Spec(
        "frag",
        "Fragment Offset",
        13,
        "position du fragment dans le paquet d'origine (en blocs de 8 octets)",
        "position of this fragment in the original packet (in 8-byte blocks)",
    ),
    _Spec(
        "ttl",
        "TTL",
        8,
        "durée de vie : chaque routeur retire 1, à 0 le paquet est détruit "
        "(c'est ce qu'utilise traceroute)",
        "time to live: each router takes 1 off, at 0 the packet is dropped (what traceroute uses)",
    ),
    _Spec(
        "proto",
        "Protocol",
        8,
        "protocole des données : 1 ICMP, 6 TCP, 17 UDP",
        "protocol of the data: 1 ICMP, 6 TCP, 17 UDP",
        _named(_PROTOS),
    ),
    _Spec(
        "chksum",
        "Header Checksum",
        16,
        "somme de contrôle de l'en-tête (complément à 1 de la somme des mots de 16 bits)",
        "header checksum (one's complement of the sum of the 16-bit words)",
        _hex(4),
    ),
    _Spec(
        "src", "Source Address", 32, "adresse IP de l'émetteur", "IP address of the sender", _ipv4
    ),
    _Spec(
        "dst",
        "Destination Address",
        32,
        "adresse IP du destinataire",
        "IP address of the receiver",
        _ipv4,
    ),
)

_IPV6 = (
    _Spec("version", "Version", 4, "version du protocole IP : 6", "IP version: 6"),
    _Spec(
        "tc",
        "Traffic Class",
        8,
        "classe de trafic (DSCP et ECN), comme le TOS d'IPv4",
        "traffic class (DSCP and ECN), as IPv4's TOS",
        _hex(2),
    ),
    _Spec(
        "fl",
        "Flow Label",
        20,
        "étiquette de flux : les paquets d'un même flux la partagent",
        "flow label: packets of one flow share it",
        _hex(5),
    ),
    _Spec(
        "plen",
        "Payload Length",
        16,
        "longueur des données après cet en-tête de 40 octets",
        "length of what follows this 40-byte header",
    ),
    _Spec(
        "nh",
        "Next Header",
        8,
        "protocole qui suit : 6 TCP, 17 UDP, 58 ICMPv6",
        "protocol that follows: 6 TCP, 17 UDP, 58 ICMPv6",
        _named(_PROTOS),
    ),
    _Spec(
        "hlim",
        "Hop Limit",
        8,
        "nombre de routeurs que le paquet peut encore traverser (le TTL d'IPv6)",
        "how many routers the packet may still cross (IPv6's TTL)",
    ),
    _Spec(
        "src",
        "Source Address",
        128,
        "adresse IPv6 de l'émetteur",
        "IPv6 address of the sender",
        _ipv6,
    ),
    _Spec(
        "dst",
        "Destination Address",
        128,
        "adresse IPv6 du destinataire",
        "IPv6 address of the receiver",
        _ipv6,
    ),
)

_ROUTING_TYPES = {
    0: "Source Route",
    2: "Type 2",
    3: "RPL",
    4: "Segment Routing",
}
_EXT_NH = _Spec(
    "nh",
    "Next Header",
    8,
    "ce qui suit cet en-tête d'extension : 6 TCP, 17 UDP, 58 ICMPv6, ou un autre en-tête",
    "what follows this extension header: 6 TCP, 17 UDP, 58 ICMPv6, or another header",
    _named(_PROTOS),
)
_EXT_LEN = _Spec(
    "len",
    "Hdr Ext Len",
    8,
    "longueur de l'en-tête en blocs de 8 octets, sans compter les 8 premiers",
    "header length in 8-byte units, not counting the first 8 bytes",
)
_OPTIONS_HEAD = (_EXT_NH, _EXT_LEN)
_ROUTING_HEAD = (
    _EXT_NH,
    _EXT_LEN,
    _Spec(
        "type",
        "Routing Type",
        8,
        "variante d'en-tête de routage : 0 routage par la source (abandonné), 2 mobilité, "
        "4 routage par segments",
        "kind of routing header: 0 source route (deprecated), 2 mobility, 4 segment routing",
        lambda v: f"{v} ({_ROUTING_TYPES[v]})" if v in _ROUTING_TYPES else str(v),
    ),
    _Spec(
        "segleft",
        "Segments Left",
        8,
        "nombre d'étapes (adresses) restant à visiter avant la destination finale",
        "how many route segments (addresses) are left before the final destination",
    ),
)
_ROUTING_RESERVED = (
    _Spec(
        "reserved",
        "Reserved",
        32,
        "réservé, à zéro",
        "reserved, zero",
        _hex(8),
    ),
)
_ROUTING_SRH = (
    _Spec(
        "lastentry",
        "Last Entry",
        8,
        "indice du dernier segment de la liste (le nombre de segments moins un)",
        "index of the last segment in the list (the number of segments less one)",
    ),
    _Spec("flags", "Flags", 8, "drapeaux, à zéro", "flags, zero", _hex(2)),
    _Spec(
        "tag",
        "Tag",
        16,
        "étiquette : marque les paquets d'une même classe",
        "tag: marks packets of one class",
        _hex(4),
    ),
)
_FRAGMENT = (
    _EXT_NH,
    _Spec("res1", "Reserved", 8, "réservé, à zéro", "reserved, zero"),
    _Spec(
        "offset",
        "Fragment Offset",
        13,
        "position des données de ce fragment dans le paquet d'origine (en blocs de 8 octets)",
        "position of this fragment's data in the original packet (in 8-byte units)",
    ),
    _Spec("res2", "Res", 2, "réservé, à zéro", "reserved, zero"),
    _Spec(
        "m",
        "M",
        1,
        "1 : d'autres fragments suivent ; 0 : dernier fragment",
        "1: more fragments follow; 0: last fragment",
    ),
    _Spec(
        "id",
        "Identification",
        32,
        "numéro du paquet d'origine, commun à tous ses fragments",
        "number of the original packet, shared by all its fragments",
        _hex(8),
    ),
)
# Hop-by-hop and destination options (RFC 8200 §4.2 and IANA's registry).
_IPV6_OPTIONS = {
    0x00: "Pad1",
    0x01: "PadN",
    0x04: "Tunnel Encapsulation Limit",
    0x05: "Router Alert",
    0x06: "Quick-Start",
    0x26: "Quick-Start",
    0x63: "RPL Option",
    0xC2: "Jumbo Payload",
    0xC9: "Home Address",
}
_OPTION_DATA = {
    0x01: (
        "bourrage : des zéros pour que l'en-tête fasse un multiple de 8 octets",
        "padding: zeros so that the header is a multiple of 8 bytes",
    ),
    0x05: (
        "alerte routeur : chaque routeur doit examiner ce paquet (0 : MLD, 2 : RSVP)",
        "router alert: every router must look at this packet (0: MLD, 2: RSVP)",
    ),
    0xC2: (
        "longueur d'un « jumbogramme » de plus de 65535 octets",
        "length of a jumbogram of more than 65535 bytes",
    ),
    0x04: (
        "combien de fois encore le paquet peut être encapsulé",
        "how many more times the packet may be encapsulated",
    ),
}

_UDP = (
    _Spec(
        "sport",
        "Source Port",
        16,
        "port de l'application qui envoie",
        "port of the sending application",
        _port,
    ),
    _Spec(
        "dport",
        "Destination Port",
        16,
        "port de l'application qui reçoit (10000 pour le serveur du TP)",
        "port of the receiving application (10000 for the course's server)",
        _port,
    ),
    _Spec(
        "len",
        "Length",
        16,
        "longueur de l'en-tête UDP (8 octets) et des données",
        "length of the UDP header (8 bytes) and data",
    ),
    _Spec(
        "chksum",
        "Checksum",
        16,
        "somme de contrôle du pseudo-en-tête IP, de l'en-tête et des données (0 : pas de contrôle)",
        "checksum of the IP pseudo-header, the header and the data (0: none)",
        _hex(4),
    ),
)

_TCP = (
    _Spec(
        "sport",
        "Source Port",
        16,
        "port de l'application qui envoie",
        "port of the sending application",
        _port,
    ),
    _Spec(
        "dport",
        "Destination Port",
        16,
        "port de l'application qui reçoit",
        "port of the receiving application",
        _port,
    ),
    _Spec(
        "seq",
        "Sequence Number",
        32,
        "numéro du premier octet de données de ce segment (choisi au hasard au SYN)",
        "number of this segment's first data byte (chosen at random with the SYN)",
    ),
    _Spec(
        "ack",
        "Acknowledgment Number",
        32,
        "prochain octet attendu de l'autre côté (valable avec le drapeau ACK)",
        "next byte expected from the other side (valid with the ACK flag)",
    ),
    _Spec(
        "dataofs",
        "Offset",
        4,
        "longueur de l'en-tête en mots de 32 bits (5 = 20 octets)",
        "header length in 32-bit words (5 = 20 bytes)",
    ),
    _Spec("reserved", "Rsv", 3, "réservé, à zéro", "reserved, zero"),
    _Spec(
        "flags.AE",
        "AE",
        1,
        "drapeau AE (ECN précis), ancien NS",
        "AE flag (accurate ECN), formerly NS",
    ),
    _Spec("flags.CWR", "CWR", 1, "fenêtre de congestion réduite", "congestion window reduced"),
    _Spec("flags.ECE", "ECE", 1, "écho de congestion ECN", "ECN congestion echo"),
    _Spec(
        "flags.URG", "URG", 1, "le pointeur d'urgence est valable", "the urgent pointer is valid"
    ),
    _Spec(
        "flags.ACK",
        "ACK",
        1,
        "le numéro d'acquittement est valable (tous les segments après le SYN)",
        "the acknowledgment number is valid (every segment after the SYN)",
    ),
    _Spec(
        "flags.PSH",
        "PSH",
        1,
        "donner les données à l'application sans attendre",
        "hand the data to the application now",
    ),
    _Spec(
        "flags.RST",
        "RST",
        1,
        "couper la connexion (ce que le noyau envoie à un SYN/ACK inattendu)",
        "reset the connection (what the kernel sends to an unexpected SYN/ACK)",
    ),
    _Spec(
        "flags.SYN",
        "SYN",
        1,
        "ouvrir une connexion, synchroniser les numéros de séquence",
        "open a connection, synchronise sequence numbers",
    ),
    _Spec(
        "flags.FIN",
        "FIN",
        1,
        "plus rien à envoyer : fermer ce sens de la connexion",
        "nothing more to send: close this direction",
    ),
    _Spec(
        "window",
        "Window",
        16,
        "combien d'octets l'émetteur peut encore recevoir",
        "how many bytes the sender can still receive",
    ),
    _Spec(
        "chksum",
        "Checksum",
        16,
        "somme de contrôle du pseudo-en-tête IP, de l'en-tête et des données",
        "checksum of the IP pseudo-header, the header and the data",
        _hex(4),
    ),
    _Spec(
        "urgptr",
        "Urgent Pointer",
        16,
        "fin des données urgentes (avec URG)",
        "end of the urgent data (with URG)",
    ),
)

_ICMP_HEAD = (
    _Spec("type", "Type", 8, "type de message", "message type"),
    _Spec(
        "code",
        "Code",
        8,
        "précision du type (pour « injoignable » : réseau, machine, port...)",
        "detail of the type (for unreachable: network, host, port...)",
    ),
    _Spec(
        "chksum",
        "Checksum",
        16,
        "somme de contrôle de tout le message ICMP",
        "checksum of the whole ICMP message",
        _hex(4),
    ),
)
_ICMP_ECHO = (
    _Spec(
        "id",
        "Identifier",
        16,
        "identifiant choisi par l'émetteur (la réponse le recopie)",
        "identifier chosen by the sender (the reply copies it)",
        _hex(4),
    ),
    _Spec(
        "seq",
        "Sequence Number",
        16,
        "numéro de la demande (la réponse le recopie)",
        "number of the request (the reply copies it)",
        _hex(4),
    ),
)
_ICMP_UNUSED = (
    _Spec(
        "unused",
        "Unused",
        32,
        "inutilisé ; les données recopient l'en-tête IP et le début du paquet en cause",
        "unused; the data quotes the IP header and start of the offending packet",
        _hex(8),
    ),
)
_ICMP_GW = (
    _Spec(
        "gw",
        "Gateway Internet Address",
        32,
        "le routeur à utiliser désormais",
        "the router to use from now on",
        _ipv4,
    ),
)
_ICMP6_REST = (
    _Spec(
        "rest",
        "Message Body",
        32,
        "selon le type : identifiant et numéro (écho), MTU, pointeur ou inutilisé",
        "depends on the type: identifier and number (echo), MTU, pointer or unused",
        _hex(8),
    ),
)
_ICMP6_ECHO = (
    _Spec(
        "id",
        "Identifier",
        16,
        "identifiant choisi par l'émetteur",
        "identifier chosen by the sender",
        _hex(4),
    ),
    _Spec("seq", "Sequence Number", 16, "numéro de la demande", "number of the request", _hex(4)),
)

_RFC = {
    "Ethernet": "IEEE 802.3",
    "802.1Q": "IEEE 802.1Q",
    "Hop-by-Hop Options": "RFC 8200 §4.3",
    "Routing": "RFC 8200 §4.4",
    "Fragment": "RFC 8200 §4.5",
    "Destination Options": "RFC 8200 §4.6",
    "ARP": "RFC 826",
    "IPv4": "RFC 791",
    "IPv6": "RFC 8200",
    "ICMP": "RFC 792",
    "ICMPv6": "RFC 4443",
    "UDP": "RFC 768",
    "TCP": "RFC 9293",
}


# ------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class FieldExplanation:
    """One field: its name (paquet's, as Scapy's), the RFC's label, its place (bit offset from
    the layer's start, width in bits), its value (an int, or the bytes of a variable part),
    the value as shown, and what it means."""

    name: str
    label: str
    offset: int
    bits: int
    value: Any
    shown: str
    meaning: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (bytes as hex)."""
        value = self.value.hex() if isinstance(self.value, bytes) else self.value
        return {
            "name": self.name,
            "label": self.label,
            "offset_bits": self.offset,
            "bits": self.bits,
            "value": value,
            "shown": self.shown,
            "meaning": self.meaning,
        }


@dataclass(frozen=True)
class LayerExplanation:
    """One layer: its name, where it starts in the packet and its header length (bytes), its
    fields, its RFC-style diagram, and its checksum explained (None without one)."""

    name: str
    rfc: str
    offset: int
    length: int
    fields: tuple[FieldExplanation, ...]
    diagram: str
    checksum: ChecksumExplanation | None = None
    summary: str = ""

    def field(self, name: str) -> FieldExplanation:
        """The field called ``name`` (paquet's name); KeyError when the layer has none."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "name": self.name,
            "rfc": self.rfc,
            "offset": self.offset,
            "length": self.length,
            "summary": self.summary,
            "fields": [f.to_dict() for f in self.fields],
            "diagram": self.diagram,
            "checksum": None if self.checksum is None else self.checksum.to_dict(),
        }


@dataclass(frozen=True)
class Explanation:
    """A whole packet explained: its bytes, its layers, in one language."""

    data: bytes
    lang: str
    layers: tuple[LayerExplanation, ...] = field(default_factory=tuple)
    summary: str = ""

    def layer(self, name: str) -> LayerExplanation:
        """The first layer called ``name`` (``"IPv4"``, ``"TCP"``...)."""
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(name)

    def lines(self) -> list[str]:
        """The explanation as text lines."""
        fr = self.lang == "fr"
        out = [f"{self.summary}", f"{len(self.data)} " + ("octets" if fr else "bytes")]
        for layer in self.layers:
            out.append("")
            rfc = f" ({layer.rfc})" if layer.rfc else ""
            if layer.rfc:
                where = (
                    f"à l'octet {layer.offset}, en-tête de {layer.length} octets"
                    if fr
                    else f"at byte {layer.offset}, {layer.length}-byte header"
                )
            else:
                where = (
                    f"à l'octet {layer.offset}, {layer.length} octets"
                    if fr
                    else f"at byte {layer.offset}, {layer.length} bytes"
                )
            title = f"== {layer.name}{rfc} {where}"
            out.append(title)
            if layer.summary:
                out.append(f"   ({layer.summary})")
            out.extend(layer.diagram.splitlines())
            width = max((len(f.name) for f in layer.fields), default=4)
            shown_w = min(max((len(f.shown) for f in layer.fields), default=4), 24)
            for f in layer.fields:
                bits = f"{f.bits} bit{'s' if f.bits > 1 else ''}"
                out.append(f"  {f.name:<{width}}  {bits:>8}  {f.shown:<{shown_w}}  {f.meaning}")
            if layer.checksum is not None:
                out.append(
                    "  "
                    + ("Somme de contrôle, étape par étape :" if fr else "Checksum, step by step:")
                )
                out.extend("    " + line for line in layer.checksum.lines(self.lang))
                check = layer.checksum
                if check.field is not None and {check.field, check.computed} == {0, 0xFFFF}:
                    out.append(
                        "    (0x0000 et 0xffff sont tous deux le zéro du complément à 1, "
                        "+0 et -0 : RFC 1624 §3 ; Wireshark le signale aussi)"
                        if fr
                        else "    (0x0000 and 0xffff are both zero in one's complement, +0 and "
                        "-0: RFC 1624 §3; Wireshark flags it too)"
                    )
        return out

    def render(self) -> str:
        """The explanation as one text."""
        return "\n".join(self.lines())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary."""
        return {
            "lang": self.lang,
            "hex": self.data.hex(),
            "length": len(self.data),
            "summary": self.summary,
            "layers": [layer.to_dict() for layer in self.layers],
        }


# ------------------------------------------------------------------------------- reading


def packet_bytes(pkt: Any) -> tuple[bytes, int]:
    """The bytes of ``pkt`` (a Packet, bytes, or hex text) and their pcap link type
    (1 Ethernet, 101 raw IP): a Packet starting with Ether is Ethernet; bytes starting with
    0x4_ or 0x6_ are taken as IP, others as Ethernet."""
    from paquet.packet.base import Packet

    if isinstance(pkt, Packet):
        return bytes(pkt), 1 if type(pkt).__name__ in ("Ether", "Dot3") else 101
    if isinstance(pkt, str):
        text = "".join(pkt.split()).replace(":", "")
        if text.lower().startswith("0x"):
            text = text[2:]
        try:
            data = bytes.fromhex(text)
        except ValueError:
            raise PaquetError(
                "not hexadecimal: give pairs of hex digits (45 00 00 1c ...)"
            ) from None
    else:
        data = bytes(pkt)
    if not data:
        raise PaquetError("no bytes to explain")
    if data[0] >> 4 == 4 and len(data) >= 20 and (data[0] & 15) >= 5:
        return data, 101
    if data[0] >> 4 == 6 and len(data) >= 40:
        return data, 101
    return data, 1


def _read(data: bytes, specs: Sequence[_Spec], lang: str, start: int = 0) -> list[FieldExplanation]:
    """The fields ``specs`` read from ``data``; ``start`` is the bit offset of ``data`` in
    its layer."""
    number = int.from_bytes(data, "big")
    total = len(data) * 8
    out = []
    offset = 0
    for spec in specs:
        value = (number >> (total - offset - spec.bits)) & ((1 << spec.bits) - 1)
        meaning = spec.fr if lang == "fr" else spec.en
        out.append(
            FieldExplanation(
                spec.name, spec.label, start + offset, spec.bits, value, spec.show(value), meaning
            )
        )
        offset += spec.bits
    return out


def _bits(specs: Sequence[_Spec]) -> int:
    return sum(s.bits for s in specs)


def _variable(
    name: str, label: str, offset_bits: int, data: bytes, fr: str, en: str, lang: str
) -> FieldExplanation:
    if name in ("load", "padding"):
        text = repr(data)
        shown = text if len(text) <= 60 else text[:59] + "…"
    else:
        shown = data.hex(" ")
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
    return FieldExplanation(
        name,
        f"{label} ({len(data)} B)",
        offset_bits,
        len(data) * 8,
        data,
        shown,
        fr if lang == "fr" else en,
    )


def _drawn(bits: int) -> int:
    """How many bits a variable part is drawn on when it keeps its place on the rows: all of
    them up to four rows, else as many as end on the same column within four rows (the
    RFCs' dotted "variable" rows, folded)."""
    if bits <= 128:
        return bits
    return 96 + bits % 32 if bits % 32 else 128


def _boxes(fields: Sequence[FieldExplanation], exact: bool = False) -> list[Box]:
    """Fixed fields at their width; a variable part (options, data) as one full-width row,
    or (``exact``: parts that do not start or end on a row, as an extension header's
    options) at its own width, folded past four rows."""
    boxes = []
    for f in fields:
        bits = f.bits
        if isinstance(f.value, bytes):
            bits = _drawn(f.bits) if exact else 32
        shown = f.shown
        if isinstance(f.value, int) and len(shown) > 2 * bits - 1:
            shown = shown.split(" (")[0]  # "8 (echo request)" -> "8" in a narrow box
        boxes.append(Box(f.label, bits, shown))
    return boxes


def explain(pkt: Any, lang: str = "fr") -> Explanation:
    """Explain ``pkt`` (a Packet, its bytes, or hex text) in ``lang`` (``'fr'`` or ``'en'``):
    per layer an RFC-style diagram, each field's bits, value and meaning, and the checksums
    computed step by step."""
    from paquet.layers import dissect

    if lang not in LANGS:
        raise PaquetError(f"language {lang!r}: choose fr or en")
    data, linktype = packet_bytes(pkt)
    parsed = dissect(data, linktype)
    classes = [type(layer).__name__ for layer in parsed.iterlayers()]
    layers: list[LayerExplanation] = []
    offset = 0
    ip_src: bytes | None = None
    ip_dst: bytes | None = None
    ip_end = len(data)
    ip_seen = False
    for index, cls in enumerate(classes):
        rest = data[offset:]
        following = classes[index + 1] if index + 1 < len(classes) else ""
        made = _layer(cls, rest, offset, lang, ip_src, ip_dst, data[offset:ip_end], following)
        if made is None:
            break
        layer, consumed, addresses = made
        layers.append(layer)
        if addresses is not None:
            ip_seen = True
            ip_src, ip_dst, length = addresses
            ip_end = min(len(data), offset + length)
        elif layer.name == "Routing":
            # TCP, UDP and ICMPv6 checksums use the final destination (RFC 8200 §8.1).
            ip_dst = _final_destination(layer) or ip_dst
        offset += consumed
        if offset >= len(data) or layer.name in ("ICMP", "ICMPv6"):
            break
    tail = data[offset:]
    if tail:
        # What is left: the data of the last layer (within the IP packet's length), then the
        # padding of the Ethernet frame (after the IP packet, or after an ARP message).
        if ip_seen:
            inside = max(0, ip_end - offset)
        else:
            inside = 0 if layers and layers[-1].name == "ARP" else len(tail)
        payload, padding = tail[:inside], tail[inside:]
        fields = []
        if payload and not layers:
            fields.append(
                _variable(
                    "load",
                    "Raw",
                    0,
                    payload,
                    "des octets qui ne se lisent pas comme un en-tête connu (trop courts ?)",
                    "bytes that do not read as a known header (too short?)",
                    lang,
                )
            )
        elif payload:
            fields.append(
                _variable(
                    "load",
                    "Data",
                    0,
                    payload,
                    "les données de l'application",
                    "the application's data",
                    lang,
                )
            )
        if padding:
            fields.append(
                _variable(
                    "padding",
                    "Padding",
                    len(payload) * 8,
                    padding,
                    "bourrage : la trame Ethernet fait au moins 60 octets",
                    "padding: an Ethernet frame is at least 60 bytes",
                    lang,
                )
            )
        name = ("Data" if layers else "Raw") if payload else "Padding"
        layers.append(
            LayerExplanation(
                name,
                "",
                offset,
                len(tail),
                tuple(fields),
                render_diagram(_boxes(fields)),
            )
        )
    return Explanation(data, lang, tuple(layers), parsed.summary())


def _layer(
    cls: str,
    rest: bytes,
    offset: int,
    lang: str,
    ip_src: bytes | None,
    ip_dst: bytes | None,
    in_ip: bytes,
    following: str = "",
) -> tuple[LayerExplanation, int, tuple[bytes, bytes, int] | None] | None:
    from paquet.checksum import (
        explain_ipv4_header,
        explain_transport,
        explain_words,
        words16,
    )

    fr = lang == "fr"
    check: ChecksumExplanation | None
    if cls == "Ether" and following == "Dot1Q" and len(rest) >= 12:
        # Tagged: the EtherType's place holds the tag's TPID, explained with the tag.
        fields = _read(rest[:12], _ETHER[:2], lang)
        return _make("Ethernet", offset, 12, fields), 12, None
    if cls == "Ether" and len(rest) >= 14:
        fields = _read(rest[:14], _ETHER, lang)
        return _make("Ethernet", offset, 14, fields), 14, None
    if cls == "Dot1Q" and len(rest) >= 4:
        # Another tag follows (Q-in-Q): it starts with its own TPID, where this one's
        # EtherType would be.
        specs = _DOT1Q_TAG if following == "Dot1Q" or len(rest) < 6 else _DOT1Q_TAG + _DOT1Q_TYPE
        size = _bits(specs) // 8
        fields = _read(rest[:size], specs, lang)
        return _make("802.1Q", offset, size, fields, exact=True), size, None
    if cls in ("IPv6ExtHdrHopByHop", "IPv6ExtHdrDestOpt") and len(rest) >= 2:
        size = min(8 * (rest[1] + 1), len(rest))
        fields = _read(rest[:2], _OPTIONS_HEAD, lang)
        fields += _options(rest[2:size], 16, lang)
        name = "Hop-by-Hop Options" if cls == "IPv6ExtHdrHopByHop" else "Destination Options"
        return _make(name, offset, size, fields, exact=True), size, None
    if cls == "IPv6ExtHdrRouting" and len(rest) >= 8:
        size = min(8 * (rest[1] + 1), len(rest))
        return _make("Routing", offset, size, _routing(rest[:size], lang), exact=True), size, None
    if cls == "IPv6ExtHdrFragment" and len(rest) >= 8:
        fields = _read(rest[:8], _FRAGMENT, lang)
        return _make("Fragment", offset, 8, fields, exact=True), 8, None
    if cls == "ARP" and len(rest) >= 28:
        fields = _read(rest[:28], _ARP, lang)
        return _make("ARP", offset, 28, fields), 28, None
    if cls == "IP" and len(rest) >= 20:
        ihl = (rest[0] & 15) * 4
        ihl = max(20, min(ihl, len(rest)))
        fields = _read(rest[:20], _IPV4, lang)
        if ihl > 20:
            fields.append(
                _variable(
                    "options",
                    "Options",
                    160,
                    rest[20:ihl],
                    "options IP (enregistrer la route, ...)",
                    "IP options (record route, ...)",
                    lang,
                )
            )
        check = explain_ipv4_header(rest[:ihl], "ip")
        total = int.from_bytes(rest[2:4], "big")
        layer = _make("IPv4", offset, ihl, fields, check)
        if total > len(rest):
            note = (
                f"tronqué : le champ len annonce {total} octets, {len(rest)} sont là"
                if fr
                else f"truncated: the len field says {total} bytes, {len(rest)} are here"
            )
            layer = dataclasses.replace(layer, summary=note)
        return layer, ihl, (rest[12:16], rest[16:20], total)
    if cls == "IPv6" and len(rest) >= 40:
        fields = _read(rest[:40], _IPV6, lang)
        plen = int.from_bytes(rest[4:6], "big")
        return _make("IPv6", offset, 40, fields), 40, (rest[8:24], rest[24:40], 40 + plen)
    if cls == "UDP" and len(rest) >= 8:
        fields = _read(rest[:8], _UDP, lang)
        check = None
        if ip_src is not None and ip_dst is not None:
            length = int.from_bytes(rest[4:6], "big")
            segment = in_ip[: max(8, min(length, len(in_ip)))]
            check = explain_transport(ip_src, ip_dst, 17, segment)
        return _make("UDP", offset, 8, fields, check), 8, None
    if cls == "TCP" and len(rest) >= 20:
        hlen = max(20, min((rest[12] >> 4) * 4, len(rest)))
        fields = _read(rest[:20], _TCP, lang)
        if hlen > 20:
            fields.append(
                _variable(
                    "options",
                    "Options",
                    160,
                    rest[20:hlen],
                    "options TCP (MSS, fenêtre, horodatage, SACK...)",
                    "TCP options (MSS, window scale, timestamps, SACK...)",
                    lang,
                )
            )
        check = None
        if ip_src is not None and ip_dst is not None:
            check = explain_transport(ip_src, ip_dst, 6, in_ip)
        return _make("TCP", offset, hlen, fields, check), hlen, None
    if cls in ("ICMP",) and len(rest) >= 8:
        message = in_ip if len(in_ip) >= 8 else rest
        kind, code = rest[0], rest[1]
        body = _ICMP_ECHO if kind in (0, 8, 13, 14) else _ICMP_GW if kind == 5 else _ICMP_UNUSED
        fields = _read(rest[:8], _ICMP_HEAD + body, lang)
        names = _ICMP_TYPES.get(kind)
        if names:
            fields[0] = _with(fields[0], f"{kind} ({names[0] if fr else names[1]})")
        if kind == 3 and code in _ICMP_UNREACH:
            fields[1] = _with(fields[1], f"{code} ({_ICMP_UNREACH[code][0 if fr else 1]})")
        if len(message) > 8:
            what = (
                "l'en-tête IP et les 8 premiers octets du paquet en cause"
                if kind in (3, 5, 11, 12)
                else "les données, recopiées dans la réponse"
            )
            what_en = (
                "the IP header and first 8 bytes of the offending packet"
                if kind in (3, 5, 11, 12)
                else "the data, copied into the reply"
            )
            fields.append(_variable("load", "Data", 64, message[8:], what, what_en, lang))
        check = explain_words(words16(message), 1)
        return _make("ICMP", offset, 8, fields, check), len(message), None
    if cls.startswith("ICMPv6") and len(rest) >= 8:
        message = in_ip if len(in_ip) >= 8 else rest
        kind = rest[0]
        body = _ICMP6_ECHO if kind in (128, 129) else _ICMP6_REST
        fields = _read(rest[:8], _ICMP_HEAD + body, lang)
        names = _ICMP6_TYPES.get(kind)
        if names:
            fields[0] = _with(fields[0], f"{kind} ({names[0] if fr else names[1]})")
        if len(message) > 8:
            fields.append(
                _variable(
                    "load",
                    "Data",
                    64,
                    message[8:],
                    "le reste du message",
                    "the rest of the message",
                    lang,
                )
            )
        check = None
        if ip_src is not None and ip_dst is not None:
            check = explain_transport(ip_src, ip_dst, 58, message)
        return _make("ICMPv6", offset, 8, fields, check), len(message), None
    return None


def _options(body: bytes, start: int, lang: str) -> list[FieldExplanation]:
    """The options of a hop-by-hop or destination header (RFC 8200 §4.2: type, length,
    data; Pad1 is a lone type byte), named ``options.N.otype`` (``optlen``, ``optdata``)
    as paquet's (Scapy's) option fields; what does not parse is shown as bytes."""
    fr = lang == "fr"
    out: list[FieldExplanation] = []
    at, number = 0, 0
    while at < len(body):
        kind = body[at]
        here = start + 8 * at
        base = f"options.{number}"
        name = _IPV6_OPTIONS.get(kind)
        shown = f"{kind} ({name})" if name else str(kind)
        if kind == 0:
            out.append(
                FieldExplanation(
                    f"{base}.otype",
                    "Pad1",
                    here,
                    8,
                    0,
                    shown,
                    "Pad1 : un octet de bourrage, sans longueur ni données"
                    if fr
                    else "Pad1: one byte of padding, without length or data",
                )
            )
            at += 1
            number += 1
            continue
        if at + 2 > len(body) or at + 2 + body[at + 1] > len(body):
            out.append(
                _variable(
                    "options",
                    "Options",
                    here,
                    body[at:],
                    "octets qui ne forment pas une option entière (type, longueur, données)",
                    "bytes that do not make a whole option (type, length, data)",
                    lang,
                )
            )
            break
        length = body[at + 1]
        out.append(
            FieldExplanation(
                f"{base}.otype",
                "Option Type",
                here,
                8,
                kind,
                shown,
                "type d'option ; ses deux premiers bits disent quoi faire si on ne la connaît "
                "pas (00 l'ignorer, 01 jeter le paquet, 10 et 11 le jeter et prévenir par "
                "ICMP), le troisième si elle peut changer en route"
                if fr
                else "option type; its two high-order bits say what to do with an unknown "
                "option (00 skip it, 01 discard the packet, 10 and 11 discard it and answer "
                "with ICMP), the third whether it may change en route",
            )
        )
        out.append(
            FieldExplanation(
                f"{base}.optlen",
                "Opt Data Len",
                here + 8,
                8,
                length,
                str(length),
                "longueur des données de l'option en octets"
                if fr
                else "length of the option's data in bytes",
            )
        )
        if length:
            what = _OPTION_DATA.get(kind, ("les données de l'option", "the option's data"))
            out.append(
                _variable(
                    f"{base}.optdata",
                    "Option Data",
                    here + 16,
                    body[at + 2 : at + 2 + length],
                    what[0],
                    what[1],
                    lang,
                )
            )
        at += 2 + length
        number += 1
    return out


def _routing(header: bytes, lang: str) -> list[FieldExplanation]:
    """A routing header's fields: the first word (RFC 8200 §4.4), then what its type holds:
    addresses (type 0, RFC 2460; type 2, RFC 6275), a segment list (type 4, RFC 8754), or
    type-specific data."""
    fr = lang == "fr"
    kind = header[2]
    fields = _read(header[:4], _ROUTING_HEAD, lang)
    body = header[8:]
    if kind in (0, 2) and len(body) % 16 == 0:
        fields += _read(header[4:8], _ROUTING_RESERVED, lang, 32)
        slots = len(body) // 16
        if kind == 2:
            fr_text, en_text = (
                "adresse permanente (home address) du mobile, destination finale",
                "the mobile node's home address, the final destination",
            )
        else:
            fr_text, en_text = (
                "une étape de la route choisie par l'émetteur (la dernière : la destination "
                "finale)",
                "a stop of the route the sender chose (the last one: the final destination)",
            )
        for j in range(slots):
            value = int.from_bytes(body[16 * j : 16 * j + 16], "big")
            label = "Home Address" if kind == 2 else f"Address[{j + 1}]"
            fields.append(
                FieldExplanation(
                    f"addresses.{j}",
                    label,
                    64 + 128 * j,
                    128,
                    value,
                    _ipv6(value),
                    fr_text if fr else en_text,
                )
            )
        return fields
    if kind == 4:
        fields += _read(header[4:8], _ROUTING_SRH, lang, 32)
        slots = min(header[4] + 1, len(body) // 16)
        for j in range(slots):
            value = int.from_bytes(body[16 * j : 16 * j + 16], "big")
            fields.append(
                FieldExplanation(
                    f"addresses.{j}",
                    f"Segment List[{j}]",
                    64 + 128 * j,
                    128,
                    value,
                    _ipv6(value),
                    "un segment de la route, liste à l'envers : [0] est la destination finale"
                    if fr
                    else "a segment of the route, in reverse order: [0] is the final destination",
                )
            )
        tlvs = body[16 * slots :]
        if tlvs:
            fields.append(
                _variable(
                    "tlv_objects",
                    "Optional TLVs",
                    64 + 128 * slots,
                    tlvs,
                    "options du routage par segments (type, longueur, valeur)",
                    "segment routing options (type, length, value)",
                    lang,
                )
            )
        return fields
    fields.append(
        _variable(
            "data",
            "Type-Specific Data",
            32,
            header[4:],
            "données propres à ce type de routage",
            "data specific to this routing type",
            lang,
        )
    )
    return fields


def _final_destination(layer: LayerExplanation) -> bytes | None:
    """The final destination a routing header names while segments are left (the checksum
    pseudo-header's, RFC 8200 §8.1): the last address, or a segment list's first."""
    if layer.field("segleft").value == 0:
        return None
    addresses = [f for f in layer.fields if f.name.startswith("addresses.")]
    if not addresses:
        return None
    final = addresses[0] if layer.field("type").value == 4 else addresses[-1]
    return int(final.value).to_bytes(16, "big")


def _with(f: FieldExplanation, shown: str) -> FieldExplanation:
    return FieldExplanation(f.name, f.label, f.offset, f.bits, f.value, shown, f.meaning)


def _make(
    name: str,
    offset: int,
    length: int,
    fields: list[FieldExplanation],
    check: ChecksumExplanation | None = None,
    exact: bool = False,
) -> LayerExplanation:
    return LayerExplanation(
        name,
        _RFC.get(name, ""),
        offset,
        length,
        tuple(fields),
        render_diagram(_boxes(fields, exact)),
        check,
    )

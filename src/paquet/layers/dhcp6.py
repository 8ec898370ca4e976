"""DHCPv6 (RFC 8415): the messages between clients, relays and servers, with Scapy's classes.

A client message (:class:`DHCP6_Solicit`, :class:`DHCP6_Request`, :class:`DHCP6_Confirm`,
:class:`DHCP6_Renew`, :class:`DHCP6_Rebind`, :class:`DHCP6_Release`, :class:`DHCP6_Decline`,
:class:`DHCP6_InfoRequest`) or a server message (:class:`DHCP6_Advertise`,
:class:`DHCP6_Reply`, :class:`DHCP6_Reconf`) is ``msgtype`` and a 24-bit transaction id
``trid``, followed by its options as payload (``DHCP6_Solicit()/DHCP6OptClientId()/...``, the
options in :mod:`paquet.layers.dhcp6_options` and :mod:`paquet.layers.dhcp6_options_ext`).
Relays wrap a message in a :class:`DHCP6OptRelayMsg` inside a :class:`DHCP6_RelayForward`
(answered by a :class:`DHCP6_RelayReply`). Clients send from UDP port 546 to 547, servers
from 547 to 546, relays from 547 to 547; a datagram to 546 or 547 is dissected as the message
its type names (a :class:`DHCP6` is the generic message). Replies match their request by
``trid`` (``hashret()``, ``answers()``), relay replies by their addresses, as in Scapy.

>>> from paquet import UDP, DHCP6OptElapsedTime
>>> p = UDP()/DHCP6_Solicit(trid=0x1234)/DHCP6OptElapsedTime()
>>> p.sport, p.dport, bytes(p[DHCP6_Solicit]).hex()
(546, 547, '01001234000800020000')
>>> q = UDP(bytes(p))
>>> type(q.payload).__name__, q[DHCP6OptElapsedTime].elapsedtime
('DHCP6_Solicit', 0)
>>> DHCP6_Advertise(trid=0x1234).answers(p[DHCP6_Solicit])
True
"""

from __future__ import annotations

from typing import Any

from paquet.layers.dhcp6_options import (
    OPTION_CLASSES,
    _DHCP6OptGuessPayload,
    _PacketBytesLenField,
    dhcp6opts,
)
from paquet.layers.ipv6_fields import ip6_pack
from paquet.number_enums import Port
from paquet.packet import registry
from paquet.packet.base import Packet, Raw
from paquet.packet.enumfields import ByteEnumField, ShortEnumField
from paquet.packet.fields import ByteField, ShortField
from paquet.packet.intfields import X3BytesField
from paquet.packet.valuefields import IP6Field

__all__ = [
    "DHCP6",
    "DHCP6OptRelayMsg",
    "DHCP6_AddrRegInform",
    "DHCP6_AddrRegReply",
    "DHCP6_Advertise",
    "DHCP6_Confirm",
    "DHCP6_Decline",
    "DHCP6_InfoRequest",
    "DHCP6_Rebind",
    "DHCP6_Reconf",
    "DHCP6_RelayForward",
    "DHCP6_RelayReply",
    "DHCP6_Release",
    "DHCP6_Renew",
    "DHCP6_Reply",
    "DHCP6_Request",
    "DHCP6_Solicit",
    "dhcp6_cls_by_type",
    "dhcp6types",
]

#: Message types (RFC 8415 §7.3, RFC 9686).
dhcp6types = {
    1: "SOLICIT", 2: "ADVERTISE", 3: "REQUEST", 4: "CONFIRM", 5: "RENEW", 6: "REBIND",
    7: "REPLY", 8: "RELEASE", 9: "DECLINE", 10: "RECONFIGURE", 11: "INFORMATION-REQUEST",
    12: "RELAY-FORW", 13: "RELAY-REPL", 36: "ADDR-REG-INFORM", 37: "ADDR-REG-REPLY",
}

#: Message type -> the name of the class that dissects it (Scapy's table).
dhcp6_cls_by_type = {
    1: "DHCP6_Solicit", 2: "DHCP6_Advertise", 3: "DHCP6_Request", 4: "DHCP6_Confirm",
    5: "DHCP6_Renew", 6: "DHCP6_Rebind", 7: "DHCP6_Reply", 8: "DHCP6_Release",
    9: "DHCP6_Decline", 10: "DHCP6_Reconf", 11: "DHCP6_InfoRequest",
    12: "DHCP6_RelayForward", 13: "DHCP6_RelayReply", 36: "DHCP6_AddrRegInform",
    37: "DHCP6_AddrRegReply",
}


class _TransactionIdField(X3BytesField):
    """The 24-bit transaction id, fuzzed as a number (Scapy's ``X3BytesField``)."""

    __slots__ = ()

    def randval(self) -> Any:
        """A random 24-bit number."""
        from paquet.volatile import RandNum

        return RandNum(0, 0xFFFFFF)

    def type_name(self) -> str:
        return "X3BytesField"


class DHCP6(_DHCP6OptGuessPayload):
    """A DHCPv6 message: ``msgtype`` and the transaction id ``trid``, options as payload.

    Called on bytes it stays this generic message; UDP's ports 546 and 547 dissect the class
    of the message's type."""

    name = "DHCPv6 Generic Message"
    fields_desc = (
        ByteEnumField("msgtype", None, dhcp6types),
        _TransactionIdField("trid", 0x000000),
    )

    def hashret(self) -> bytes:
        """The transaction id's 3 bytes: a reply has its request's."""
        return (int(self.trid) & 0xFFFFFF).to_bytes(3, "big")


class DHCP6_Solicit(DHCP6):
    """Solicit (1): a client looks for servers."""

    name = "DHCPv6 Solicit Message"
    msgtype = 1


class DHCP6_Advertise(DHCP6):
    """Advertise (2): a server offers itself to a soliciting client."""

    name = "DHCPv6 Advertise Message"
    msgtype = 2

    def answers(self, other: Packet) -> bool:
        """The answer to a Solicit of the same transaction."""
        return (isinstance(other, DHCP6_Solicit) and other.msgtype == 1
                and self.trid == other.trid)


class DHCP6_Request(DHCP6):
    """Request (3): a client asks one server for addresses and configuration."""

    name = "DHCPv6 Request Message"
    msgtype = 3


class DHCP6_Confirm(DHCP6):
    """Confirm (4): a client asks whether its addresses still fit the link."""

    name = "DHCPv6 Confirm Message"
    msgtype = 4


class DHCP6_Renew(DHCP6):
    """Renew (5): a client extends its leases with the server that gave them."""

    name = "DHCPv6 Renew Message"
    msgtype = 5


class DHCP6_Rebind(DHCP6):
    """Rebind (6): a client extends its leases with any server."""

    name = "DHCPv6 Rebind Message"
    msgtype = 6


class DHCP6_Reply(DHCP6):
    """Reply (7): a server answers a client's message."""

    name = "DHCPv6 Reply Message"
    msgtype = 7

    def answers(self, other: Packet) -> bool:
        """The answer to a client message of the same transaction."""
        return isinstance(other, _REPLIED) and self.trid == other.trid


class DHCP6_Release(DHCP6):
    """Release (8): a client gives addresses back."""

    name = "DHCPv6 Release Message"
    msgtype = 8


class DHCP6_Decline(DHCP6):
    """Decline (9): a client found its addresses already in use."""

    name = "DHCPv6 Decline Message"
    msgtype = 9


class DHCP6_Reconf(DHCP6):
    """Reconfigure (10): a server tells a client to renew or ask again."""

    name = "DHCPv6 Reconfigure Message"
    msgtype = 10


class DHCP6_InfoRequest(DHCP6):
    """Information-request (11): a client asks for configuration without addresses."""

    name = "DHCPv6 Information Request Message"
    msgtype = 11


class DHCP6_AddrRegInform(DHCP6):
    """Address Registration-Inform (36, RFC 9686): a client registers an address it made."""

    name = "DHCPv6 Information Request Message"
    msgtype = 36


class DHCP6_AddrRegReply(DHCP6):
    """Address Registration-Reply (37, RFC 9686): a server acknowledges a registration."""

    name = "DHCPv6 Information Reply Message"
    msgtype = 37


_REPLIED = (DHCP6_Solicit, DHCP6_InfoRequest, DHCP6_Confirm, DHCP6_Rebind, DHCP6_Decline,
            DHCP6_Request, DHCP6_Release, DHCP6_Renew)


class DHCP6_RelayForward(_DHCP6OptGuessPayload):
    """Relay-forward (12): a relay passes a message on (in a :class:`DHCP6OptRelayMsg`),
    with ``hopcount``, the link's address ``linkaddr`` and the client's ``peeraddr``."""

    name = "DHCPv6 Relay Forward Message (Relay Agent/Server Message)"
    fields_desc = (
        ByteEnumField("msgtype", 12, dhcp6types),
        ByteField("hopcount", None),
        IP6Field("linkaddr", "::"),
        IP6Field("peeraddr", "::"),
    )

    def hashret(self) -> bytes:
        """The peer address: a relay reply has its relay forward's."""
        return ip6_pack(self.peeraddr)


class DHCP6_RelayReply(DHCP6_RelayForward):
    """Relay-reply (13): a server's message for a relay to pass back to the client."""

    name = "DHCPv6 Relay Reply Message (Relay Agent/Server Message)"
    msgtype = 13

    def answers(self, other: Packet) -> bool:
        """The answer to a relay forward with the same hop count and addresses."""
        return (isinstance(other, DHCP6_RelayForward) and self.hopcount == other.hopcount
                and self.linkaddr == other.linkaddr and self.peeraddr == other.peeraddr)


_MESSAGES: dict[int, type[Packet]] = {
    1: DHCP6_Solicit, 2: DHCP6_Advertise, 3: DHCP6_Request, 4: DHCP6_Confirm, 5: DHCP6_Renew,
    6: DHCP6_Rebind, 7: DHCP6_Reply, 8: DHCP6_Release, 9: DHCP6_Decline, 10: DHCP6_Reconf,
    11: DHCP6_InfoRequest, 12: DHCP6_RelayForward, 13: DHCP6_RelayReply,
    36: DHCP6_AddrRegInform, 37: DHCP6_AddrRegReply,
}


def message_class(data: bytes, start: int, end: int) -> type[Packet]:
    """The class of the message at ``data[start:end]`` by its type (Raw for fewer than two
    bytes or an unknown type), as Scapy's dispatcher."""
    if end - start < 2:
        return Raw
    return _MESSAGES.get(data[start], Raw)


class _DHCP6Message(Packet):
    """What UDP ports 546 and 547 carry: the message its type names."""

    name = "DHCPv6"

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The message's class by its type byte."""
        return message_class(data, start, end)


def _message_of(data: bytes) -> Packet:
    """``data`` dissected as the message its type names."""
    return message_class(data, 0, len(data))(data)


class _MessageLenField(ShortField):
    """The length of the relayed message, computed by the option's ``post_build``."""

    __slots__ = ()

    def type_name(self) -> str:
        return "FieldLenField"


class DHCP6OptRelayMsg(_DHCP6OptGuessPayload):
    """Relay Message (9, RFC 8415 §21.10): the relayed ``message``."""

    name = "DHCP6 Relay Message Option"
    fields_desc = (
        ShortEnumField("optcode", 9, dhcp6opts),
        # (computed in post_build from the bytes built: a relay message n deep is built
        # once, not 2 ** n times as a length field asking the message would)
        _MessageLenField("optlen", None),
        _PacketBytesLenField("message", DHCP6(), _message_of,
                             length_from=lambda p: p.optlen),
    )

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        if self.__dict__["optlen"] is None:
            p = p[:2] + (len(p) - 4 & 0xFFFF).to_bytes(2, "big") + p[4:]
        return p + pay


OPTION_CLASSES[9] = DHCP6OptRelayMsg


def _register() -> None:
    from paquet.layers.udp import UDP

    client, server = int(Port.dhcpv6_client), int(Port.dhcpv6_server)
    registry.bind_bottom_up(UDP, _DHCP6Message, dport=server)
    registry.bind_bottom_up(UDP, _DHCP6Message, dport=client)
    registry.bind_top_down(UDP, DHCP6, sport=client, dport=server)
    for cls in (DHCP6_Advertise, DHCP6_Reply, DHCP6_Reconf):
        registry.bind_top_down(UDP, cls, sport=server, dport=client)
    registry.bind_top_down(UDP, DHCP6_RelayForward, sport=server, dport=server)
    # (options follow messages: the registry then knows them, for the tools and tests that
    # cover every layer)
    registry.bind_top_down(DHCP6, _DHCP6OptGuessPayload)


_register()

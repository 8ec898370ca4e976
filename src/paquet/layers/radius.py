"""RADIUS (RFC 2865, accounting RFC 2866), with Scapy's classes: :class:`Radius` is the
message (code, identifier, length, authenticator, attributes); the attributes are
:class:`~paquet.layers.radius_attributes.RadiusAttribute` and its typed forms. UDP ports 1812
(authentication), 1813 (accounting) and 3799 (dynamic authorization), as Scapy binds them.

>>> from paquet.layers.radius_attributes import RadiusAttr_User_Name
>>> bytes(Radius(id=1, authenticator=b"A" * 16, attributes=[RadiusAttr_User_Name(
...     value="bob")])).hex()
'01010019414141414141414141414141414141410105626f62'
>>> Radius(bytes(Radius(attributes=[RadiusAttr_User_Name(value="bob")]))).summary()
"RADIUS Access-Request (User:'bob')"
"""

from __future__ import annotations

from typing import Any

from paquet.layers.radius_attributes import (
    RadiusAttr_Vendor_Specific,
    RadiusAttribute,
    prepare_packed_data,
)
from paquet.layers.radius_tables import RADIUS_PACKET_CODES
from paquet.numbers import RADIUS_ACCT_PORT, RADIUS_DYNAUTH_PORT, RADIUS_PORT
from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import ByteField
from paquet.packet.strfields import XStrFixedLenField
from paquet.packet.structfields import FieldLenField, PacketListField

__all__ = ["Radius"]


class Radius(Packet):
    """A RADIUS message: ``code``, ``id``, ``len`` (computed), the 16-byte
    ``authenticator`` and the ``attributes`` (a list)."""

    name = "RADIUS"
    fields_desc = (
        ByteEnumField("code", 1, RADIUS_PACKET_CODES),
        ByteField("id", 0),
        FieldLenField("len", None, "attributes", "H", adjust=lambda pkt, x: x + 20),
        XStrFixedLenField("authenticator", "", 16),
        PacketListField("attributes", [], RadiusAttribute,
                        length_from=lambda pkt: pkt.len - 20),
    )

    def compute_authenticator(self, packed_request_auth: bytes, shared_secret: bytes) -> bytes:
        """The response authenticator (RFC 2865 section 3): MD5 of the message with the
        request's authenticator in place of its own, then the secret."""
        import hashlib

        data = prepare_packed_data(self, packed_request_auth)
        return hashlib.md5(data + shared_secret).digest()

    def post_build(self, hdr: bytes, pay: bytes) -> bytes:
        p = hdr + pay
        if self.__dict__.get("len") is None:
            p = p[:2] + (len(p) & 0xFFFF).to_bytes(2, "big") + p[4:]
        return p

    def mysummary(self) -> str:
        extra = ""
        if self.code == 1:  # an Access-Request: its user and its method
            attrs: dict[Any, Any] = {}
            for x in self.attributes:
                if isinstance(x, RadiusAttr_Vendor_Specific):
                    attrs[(x.vendor_id, x.vendor_type)] = x
                elif isinstance(x, RadiusAttribute):
                    attrs[x.type] = x
            if 1 in attrs:
                value = attrs[1].value
                text = value.decode(errors="ignore") if isinstance(value, bytes) else value
                extra += f"User:'{text}' "
            for key, method in ((2, "PAP"), (3, "CHAP"), (79, "EAP"), ((311, 1), "MS-CHAP"),
                                ((311, 25), "MS-CHAP2")):
                if key in attrs:
                    extra += method
                    break
        if extra:
            extra = f" ({extra.strip()})"
        return str(self.sprintf("RADIUS %code%")) + extra


def _register() -> None:
    from paquet.layers.udp import UDP

    for port in (RADIUS_PORT, RADIUS_ACCT_PORT, RADIUS_DYNAUTH_PORT):
        registry.bind_bottom_up(UDP, Radius, sport=port)
        registry.bind_bottom_up(UDP, Radius, dport=port)
    registry.bind_layers(UDP, Radius, sport=RADIUS_PORT, dport=RADIUS_PORT)


_register()

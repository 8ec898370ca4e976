"""MACsec Key Agreement (IEEE 802.1X-2010 §11.11): the MKPDU of EAPOL type 5.

:class:`MKAPDU` is the basic parameter set (:class:`MKABasicParamSet`: version, key server
priority and flags, the secure channel identifier :class:`MACsecSCI`, the actor's member id,
message number, algorithm agility and CAK name) followed by the other parameter sets, each a
class told by its type byte (:class:`MKAParamSet`): live and potential peer lists, SAK use,
distributed SAK and CAK, and the ICV. Classes, names, defaults and bytes are Scapy's
(``scapy.layers.eap``); the keys stay wrapped (no decryption).

>>> from paquet.layers.eap import EAPOL
>>> p = EAPOL(version=3, type=5) / MKAPDU(basic_param_set=MKABasicParamSet(
...     param_set_body_len=28, actor_member_id=b"A" * 12, SCI=MACsecSCI(
...     system_identifier="02:00:00:00:00:01", port_identifier=1)), parameter_sets=[
...     MKAICVSet(param_set_body_len=16, icv=b"I" * 16)])
>>> q = EAPOL(bytes(p))
>>> q[MKAPDU].basic_param_set.SCI.port_identifier, q[MKAICVSet].icv
(1, b'IIIIIIIIIIIIIIII')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from paquet.packet import registry
from paquet.packet.base import Packet
from paquet.packet.enumfields import ByteEnumField
from paquet.packet.fields import (
    BitField,
    ByteField,
    Field,
    FieldError,
    ShortField,
    XIntField,
)
from paquet.packet.strfields import XStrField, XStrFixedLenField, XStrLenField
from paquet.packet.structfields import (
    ConditionalField,
    PacketField,
    PacketListField,
    PadField,
)
from paquet.packet.valuefields import SourceMACField
from paquet.volatile.base import RandField

__all__ = [
    "MKAPDU",
    "MACsecSCI",
    "MKABasicParamSet",
    "MKADistributedCAKParamSet",
    "MKADistributedSAKParamSet",
    "MKAICVSet",
    "MKALivePeerListParamSet",
    "MKAParamSet",
    "MKAParamSetPacketListField",
    "MKAPeerListTuple",
    "MKAPotentialPeerListParamSet",
    "MKASAKUseParamSet",
]

#: Parameter set types (802.1X-2010 table 11-7).
_PARAM_SET_TYPES = {1: "Live Peer List", 2: "Potential Peer List", 3: "MACsec SAK Use",
                    4: "Distributed SAK", 5: "Distributed CAK", 6: "KMD", 7: "Announcement",
                    255: "ICV Indicator"}


class MACsecSCI(Packet):
    """A secure channel identifier (802.1AE §9.9): ``system_identifier`` (a MAC),
    ``port_identifier``."""

    name = "SCI"
    fields_desc = (
        SourceMACField("system_identifier"),
        ShortField("port_identifier", 0),
    )

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class MKAParamSet(Packet):
    """The parameter sets after the basic one: ``MKAParamSet(data)`` is the class of the set's
    type byte (raw bytes for a type without one)."""

    MACSEC_DEFAULT_ICV_LEN = 16
    EAPOL_MKA_DEFAULT_KEY_WRAP_LEN = 24

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """The class of the parameter set type ``data[start]`` (Raw for another)."""
        from paquet.layers.raw import Raw

        if end > start:
            return _PARAM_SET_CLASSES.get(data[start], Raw)
        return Raw


class MKABasicParamSet(Packet):
    """The basic parameter set, first of every MKPDU (it has no type byte)."""

    name = "Basic Parameter Set"
    fields_desc = (
        ByteField("mka_version_id", 0),
        ByteField("key_server_priority", 0),
        BitField("key_server", 0, 1),
        BitField("macsec_desired", 0, 1),
        BitField("macsec_capability", 0, 2),
        BitField("param_set_body_len", 0, 12),
        PacketField("SCI", MACsecSCI(), MACsecSCI),
        XStrFixedLenField("actor_member_id", b"", length=12),
        XIntField("actor_message_number", 0),
        XIntField("algorithm_agility", 0),
        PadField(XStrLenField("cak_name", b"",
                              length_from=lambda pkt: pkt.param_set_body_len - 28),
                 4, padwith=b"\x00"),
    )

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


class MKAPeerListTuple(Packet):
    """One member of a peer list: ``member_id``, ``message_number``."""

    name = "Peer List Tuple"
    fields_desc = (
        XStrFixedLenField("member_id", b"", length=12),
        XStrFixedLenField("message_number", b"", length=4),
    )


def _peer_list(cls_name: str, title: str, kind: int) -> type[MKAParamSet]:
    fields = (
        PadField(ByteEnumField("param_set_type", kind, _PARAM_SET_TYPES), 2, padwith=b"\x00"),
        ShortField("param_set_body_len", 0),
        PacketListField("member_id_message_num", [], MKAPeerListTuple),
    )
    return type(cls_name, (MKAParamSet,), {
        "name": title, "fields_desc": fields, "__module__": __name__,
        "__doc__": f"The {title.lower()} (type {kind}): ``member_id_message_num``."})


MKALivePeerListParamSet = _peer_list("MKALivePeerListParamSet",
                                     "Live Peer List Parameter Set", 1)
MKAPotentialPeerListParamSet = _peer_list("MKAPotentialPeerListParamSet",
                                          "Potential Peer List Parameter Set", 2)


class MKASAKUseParamSet(MKAParamSet):
    """The SAK use parameter set (type 3): the latest and the old key's use."""

    name = "SAK Use Parameter Set"
    fields_desc: ClassVar[Sequence[Field]] = (
        ByteEnumField("param_set_type", 3, _PARAM_SET_TYPES),
        BitField("latest_key_an", 0, 2),
        BitField("latest_key_tx", 0, 1),
        BitField("latest_key_rx", 0, 1),
        BitField("old_key_an", 0, 2),
        BitField("old_key_tx", 0, 1),
        BitField("old_key_rx", 0, 1),
        BitField("plain_tx", 0, 1),
        BitField("plain_rx", 0, 1),
        BitField("X", 0, 1),
        BitField("delay_protect", 0, 1),
        BitField("param_set_body_len", 0, 12),
        XStrFixedLenField("latest_key_key_server_member_id", b"", length=12),
        XStrFixedLenField("latest_key_key_number", b"", length=4),
        XStrFixedLenField("latest_key_lowest_acceptable_pn", b"", length=4),
        XStrFixedLenField("old_key_key_server_member_id", b"", length=12),
        XStrFixedLenField("old_key_key_number", b"", length=4),
        XStrFixedLenField("old_key_lowest_acceptable_pn", b"", length=4),
    )


class MKADistributedSAKParamSet(MKAParamSet):
    """The distributed SAK parameter set (type 4): the wrapped SAK and its cipher suite."""

    name = "Distributed SAK parameter set"
    fields_desc: ClassVar[Sequence[Field]] = (
        ByteEnumField("param_set_type", 4, _PARAM_SET_TYPES),
        BitField("distributed_an", 0, 2),
        BitField("confidentiality_offset", 0, 2),
        BitField("unused", 0, 4),
        ShortField("param_set_body_len", 0),
        XStrFixedLenField("key_number", b"", length=4),
        ConditionalField(XStrFixedLenField("macsec_cipher_suite", b"", length=8),
                         lambda pkt: pkt.param_set_body_len > 28),
        XStrFixedLenField("sak_aes_key_wrap", b"",
                          length=MKAParamSet.EAPOL_MKA_DEFAULT_KEY_WRAP_LEN),
    )


class MKADistributedCAKParamSet(MKAParamSet):
    """The distributed CAK parameter set (type 5): the wrapped CAK and its name."""

    name = "Distributed CAK parameter set"
    fields_desc: ClassVar[Sequence[Field]] = (
        PadField(ByteEnumField("param_set_type", 5, _PARAM_SET_TYPES), 2, padwith=b"\x00"),
        ShortField("param_set_body_len", 0),
        XStrFixedLenField("cak_aes_key_wrap", b"",
                          length=MKAParamSet.EAPOL_MKA_DEFAULT_KEY_WRAP_LEN),
        XStrField("cak_key_name", b""),
    )


class MKAICVSet(MKAParamSet):
    """The integrity check value (type 255), last of an MKPDU: ``icv``."""

    name = "ICV"
    fields_desc: ClassVar[Sequence[Field]] = (
        PadField(ByteEnumField("param_set_type", 255, _PARAM_SET_TYPES), 2, padwith=b"\x00"),
        ShortField("param_set_body_len", 0),
        XStrFixedLenField("icv", b"", length=MKAParamSet.MACSEC_DEFAULT_ICV_LEN),
    )


_PARAM_SET_CLASSES: dict[int, type[Packet]] = {
    1: MKALivePeerListParamSet, 2: MKAPotentialPeerListParamSet, 3: MKASAKUseParamSet,
    4: MKADistributedSAKParamSet, 255: MKAICVSet}


class RandMKAParamSets(RandField):
    """Random parameter sets (for ``fuzz(MKAPDU())``): up to 3 sets of random types, their
    fields fuzzed, their body lengths right."""

    def _fix(self) -> list[Packet]:
        import random

        from paquet.volatile.fuzzing import fixed_copy, fuzz

        out = []
        for _ in range(random.randrange(4)):
            cls = random.choice(list(_PARAM_SET_CLASSES.values()))
            layer = fixed_copy(fuzz(cls()))
            assert layer is not None
            size = len(bytes(layer)) - 4
            layer.param_set_body_len = size
            out.append(cls(bytes(layer)))
        return out


class MKAParamSetPacketListField(PacketListField):
    """The parameter sets, each as long as the 12-bit body length of its header says."""

    __slots__ = ()
    PARAM_SET_LEN_MASK = 0x0FFF

    def m2i(self, pkt: Any, m: bytes) -> Any:
        return MKAParamSet(m)

    def getfield(self, pkt: Any, s: bytes) -> tuple[bytes, Any]:
        items = []
        rest = s
        while rest:
            if len(rest) < 4:
                raise FieldError(f"{self.name}: a parameter set header of 4 bytes, "
                                 f"{len(rest)} left")
            size = 4 + (int.from_bytes(rest[2:4], "big") & self.PARAM_SET_LEN_MASK)
            items.append(self.m2i(pkt, rest[:size]))
            rest = rest[size:]
        return rest, items

    def randval(self) -> Any:
        return RandMKAParamSets()

    def type_name(self) -> str:
        return "MKAParamSetPacketListField"


class MKAPDU(Packet):
    """An MKPDU: ``basic_param_set``, then ``parameter_sets``."""

    name = "MKPDU"
    fields_desc = (
        PacketField("basic_param_set", b"", MKABasicParamSet),
        MKAParamSetPacketListField("parameter_sets", [], MKAParamSet),
    )

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


def _register() -> None:
    from paquet.layers.eap import EAPOL

    registry.bind_layers(EAPOL, MKAPDU, type=5)


_register()

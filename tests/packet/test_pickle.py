"""Packets through pickle: bytes, time, capture metadata and a subclass's own __slots__, as
Scapy keeps them."""

from __future__ import annotations

import pickle

import scapy.all as sa

from paquet import IP, TCP, ByteField, Packet


class SlottedLayer(Packet):
    """A user layer with slots of its own (module level: pickle finds it by name)."""

    __slots__ = ["custom_id", "custom_tag"]
    name = "SlottedLayer"
    fields_desc = (ByteField("val", 0),)


class ScapySlottedLayer(sa.Packet):
    __slots__ = ["custom_id", "custom_tag"]
    name = "SlottedLayer"
    fields_desc = [sa.ByteField("val", 0)]  # noqa: RUF012 - Scapy's own form


def test_slots_set_go_through_pickle_as_scapy() -> None:
    for cls in (SlottedLayer, ScapySlottedLayer):
        p = cls(val=42)
        p.custom_id = 0x123
        p.custom_tag = "hello"
        again = pickle.loads(pickle.dumps(p))
        assert (again.val, again.custom_id, again.custom_tag) == (42, 0x123, "hello")
        unset = pickle.loads(pickle.dumps(cls(val=7)))
        assert unset.val == 7 and not hasattr(unset, "custom_id")


def test_metadata_goes_through_pickle() -> None:
    p = IP(bytes(IP(src="192.0.2.1", dst="192.0.2.2") / TCP()))
    p.time, p.sniffed_on, p.direction, p.wirelen = 12.5, "eth0", 1, 60
    again = pickle.loads(pickle.dumps(p))
    assert bytes(again) == bytes(p)
    assert (again.time, again.sniffed_on, again.direction, again.wirelen) == (12.5, "eth0", 1, 60)

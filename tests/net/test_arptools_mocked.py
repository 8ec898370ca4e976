"""arping and arp_mitm with their sending functions replaced, side by side with Scapy's: the
frames they would send, for an interface known only to ``conf.ifaces`` and for addresses
without a route. Nothing is sent (the functions that send are patched on both sides)."""

from __future__ import annotations

import contextlib
import importlib
import io
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest

import paquet
import paquet.net.arptools as arptools

MAC = "02:00:00:00:aa:01"
FAKE = "pqfake0"


@pytest.fixture(scope="module")
def scapy() -> Any:
    return pytest.importorskip("scapy.all")


@contextlib.contextmanager
def _fake_iface(lib: Any) -> Iterator[None]:
    saved = lib.conf.ifaces.data.copy()
    lib.conf.ifaces._add_fake_iface(FAKE, mac=MAC, ips=[])
    try:
        yield
    finally:
        lib.conf.ifaces.data = saved


def _arping_frames(lib: Any, module: str) -> list[bytes]:
    sent: list[Any] = []

    def fake_srp(pkts: Any, **kwargs: Any) -> Any:
        sent.append(pkts)
        return lib.SndRcvList([]), lib.PacketList([])

    with _fake_iface(lib), mock.patch(f"{module}.srp", side_effect=fake_srp), \
            contextlib.redirect_stderr(io.StringIO()):
        lib.arping("198.51.100.0/30", iface=FAKE, verbose=0)
    assert len(sent) == 1
    return [bytes(p) for p in sent[0]]


def test_arping_on_an_interface_of_conf_ifaces_as_scapy(scapy: Any) -> None:
    ours = _arping_frames(paquet, "paquet.net.arptools")
    theirs = _arping_frames(scapy, "scapy.layers.l2")
    assert ours == theirs
    assert len(ours) == 4 and paquet.Ether(ours[0]).src == MAC


def test_arping_on_a_missing_interface_raises(scapy: Any) -> None:
    with pytest.raises(ValueError):
        scapy.arping("198.51.100.0/30", iface="pqnosuch0", verbose=0)
    with pytest.raises(paquet.NetworkError):
        paquet.arping("198.51.100.0/30", iface="pqnosuch0", verbose=0)


def _mitm_frames(lib: Any, module: str) -> list[list[bytes]]:
    """The frames arp_mitm gives srploop and sendp, its two neighbours answering arping."""
    calls: list[list[bytes]] = []
    macs = {"192.0.2.201": "02:00:00:00:00:c1", "192.0.2.202": "02:00:00:00:00:c2"}

    def fake_srp(x: Any, *args: Any, **kwargs: Any) -> Any:
        answer = lib.Ether(src=macs[x.pdst], dst=x.src) / lib.ARP(
            op=2, hwsrc=macs[x.pdst], hwdst=x.hwsrc, psrc=x.pdst, pdst=x.psrc)
        pair = importlib.import_module(f"{lib.__name__.split('.')[0]}.plist").QueryAnswer
        return lib.SndRcvList([pair(x, answer)]), lib.PacketList([])

    def keep(x: Any, *args: Any, **kwargs: Any) -> None:
        calls.append([bytes(p) for p in x])

    patches = [mock.patch(f"{module}.srp", side_effect=fake_srp),
               mock.patch(f"{module}.srploop", side_effect=keep),
               mock.patch(f"{module}.sendp", side_effect=keep)]
    if lib is paquet:  # (paquet's also turns forwarding on: not here)
        patches.append(mock.patch.object(arptools, "_forwarding",
                                         side_effect=lambda _i: contextlib.nullcontext()))
    with contextlib.ExitStack() as stack:
        for p in patches:
            stack.enter_context(p)
        stack.enter_context(contextlib.redirect_stdout(io.StringIO()))
        lib.arp_mitm("192.0.2.201", "192.0.2.202", target_mac=MAC, iface="lo")
    return calls


def test_arp_mitm_frames_as_scapys(scapy: Any) -> None:
    ours = _mitm_frames(paquet, "paquet.net.arptools")
    theirs = _mitm_frames(scapy, "scapy.layers.l2")
    assert ours == theirs
    assert len(ours) == 2 and len(ours[0]) == 2


def test_arp_mitm_without_a_route_uses_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_route(*args: Any, **kwargs: Any) -> Any:
        raise paquet.NetworkError("no route")

    monkeypatch.setattr("paquet.net.route.get_route", no_route)
    with contextlib.redirect_stderr(io.StringIO()) as err:
        assert arptools._route_iface("198.51.100.1") == "lo"
    assert "No route found for IPv4 destination 198.51.100.1" in err.getvalue()

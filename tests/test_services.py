"""load_services, scapy_delete_temp_files and conf.use_bpf compared with Scapy's (services
files: the system's /etc/services and small ones)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from paquet.services import load_services

sd = pytest.importorskip("scapy.data")

FILES = {
    "ranges": "itu-bicc-stc\t3097/sctp\ncvsup\t\t5999/udp\t# CVSup\n"
              "x11\t\t6000-6063/tcp\t\t# X\nx11 6000-6063/udp\nndl-ahp-svc\t6064/tcp\n",
    "odd": "# only a comment\n\nnoslash 80\nbad x/tcp\nweird 7/ddp\nlast 9/udp extra alias\n"
           "dup 80/tcp\ndup2 80/tcp\n",
    "empty": "",
}


def _same(ours: object, theirs: object) -> None:
    assert repr(ours) == repr(theirs)
    assert dict(ours.items()) == theirs.d  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(FILES))
def test_small_files_are_scapys(name: str, tmp_path: Path) -> None:
    path = tmp_path / "services"
    path.write_text(FILES[name])
    for ours, theirs in zip(load_services(str(path)), sd.load_services(str(path)), strict=True):
        _same(ours, theirs)


def test_system_services_are_scapys() -> None:
    if not os.path.exists("/etc/services"):
        pytest.skip("no /etc/services")
    for ours, theirs in zip(load_services("/etc/services"), sd.load_services("/etc/services"),
                            strict=True):
        _same(ours, theirs)


def test_missing_file_gives_empty_tables(tmp_path: Path) -> None:
    missing = str(tmp_path / "absent")
    for ours, theirs in zip(load_services(missing), sd.load_services(missing), strict=True):
        _same(ours, theirs)


def test_names_are_attributes(tmp_path: Path) -> None:
    path = tmp_path / "services"
    path.write_text(FILES["ranges"])
    tcp, udp, sctp = load_services(str(path))
    stcp, sudp, ssctp = sd.load_services(str(path))
    assert (tcp.ndl_ahp_svc, tcp.x11, udp.cvsup, sctp.itu_bicc_stc) == (
        stcp.ndl_ahp_svc, stcp.x11, sudp.cvsup, ssctp.itu_bicc_stc)


def test_delete_temp_files_as_scapy() -> None:
    # Both remove the temporary files made so far and empty conf.temp_files.
    import paquet

    sa = pytest.importorskip("scapy.all")
    ours = [paquet.get_temp_file() for _ in range(3)]
    theirs = [sa.get_temp_file() for _ in range(3)]
    paquet.scapy_delete_temp_files()
    sa.scapy_delete_temp_files()
    assert [os.path.exists(p) for p in ours] == [os.path.exists(p) for p in theirs] == [False] * 3
    assert list(paquet.conf.temp_files) == list(sa.conf.temp_files) == []


def test_use_bpf_refused_off_bsd_as_scapy() -> None:
    import sys

    import paquet

    sa = pytest.importorskip("scapy.all")
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux behaviour")
    for conf in (paquet.conf, sa.conf):
        with pytest.raises(Exception, match="BSD-like"):
            conf.use_bpf = True
        conf.use_bpf = False
        assert conf.use_bpf is False

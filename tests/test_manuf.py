"""MAC vendor names (conf.manufdb, paquet.manuf) compared with Scapy's ``ManufDA`` reading the
same Wireshark ``manuf`` file (the system's, or a small one written here)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from paquet import conf
from paquet.manuf import MANUF_PATHS, load_manuf

sd = pytest.importorskip("scapy.data")

SMALL = """\
# a comment
00:00:17\tOracle
00:00:7D\tOracle\tOracle Corporation
00:01:5D\tOracle\t# Oracle Corporation, Inc.
08:00:27\tPcsSystemtec\tPCS Systemtechnik GmbH
AA:BB\tbroken
52:54:00\tQEMU\tQEMU virtual NIC

"""
MACS = ["00:00:17:aa:bb:cc", "00:00:7d:01:02:03", "08:00:27:00:00:01", "52:54:00:12:34:56",
        "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:01", "00:01:5d"]
NAMES = ["oracle", "Oracle", "QEMU", "qemu", "gmbh", "nothing-like-it"]


@pytest.fixture(params=["small", "system"])
def manuf(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "system":
        found = [p for p in MANUF_PATHS if os.path.exists(p)]
        if not found:
            pytest.skip("no Wireshark manuf file on this system")
        return found[0]
    path = tmp_path / "manuf"
    path.write_text(SMALL)
    return str(path)


def test_database_is_scapys(manuf: str) -> None:
    ours, theirs = load_manuf(manuf), sd.load_manuf(manuf)
    assert repr(ours) == repr(theirs)
    assert len(ours) == len(theirs)
    assert dict(ours.items()) == theirs.d


def test_lookups_are_scapys(manuf: str) -> None:
    ours, theirs = load_manuf(manuf), sd.load_manuf(manuf)
    for mac in MACS:
        assert ours.lookup(mac) == theirs.lookup(mac)
        assert ours._resolve_MAC(mac) == theirs._resolve_MAC(mac)
        assert ours._get_manuf(mac) == theirs._get_manuf(mac)
        assert ours._get_short_manuf(mac) == theirs._get_short_manuf(mac)
    for name in NAMES:
        for case in (False, True):
            assert ours.reverse_lookup(name, case) == theirs.reverse_lookup(name, case)


def test_short_name_attribute_is_scapys(tmp_path: Path) -> None:
    path = tmp_path / "manuf"
    path.write_text(SMALL)
    ours, theirs = load_manuf(str(path)), sd.load_manuf(str(path))
    assert ours.QEMU == theirs.QEMU
    assert ours.PcsSystemtec == theirs.PcsSystemtec


def test_missing_file_gives_an_empty_database(tmp_path: Path) -> None:
    db = load_manuf(str(tmp_path / "absent"))
    assert len(db) == 0 and not db
    assert db.lookup("00:00:17:aa:bb:cc") == ("00:00:17:aa:bb:cc",) * 2
    assert db._resolve_MAC("00:00:17:aa:bb:cc") == "00:00:17:aa:bb:cc"


def test_conf_manufdb_is_the_system_file() -> None:
    found = [p for p in MANUF_PATHS if os.path.exists(p)]
    if not found:
        assert len(conf.manufdb) == 0
        return
    assert repr(conf.manufdb) == repr(sd.MANUFDB)
    assert conf.manufdb._resolve_MAC("00:00:17:01:02:03") == sd.MANUFDB._resolve_MAC(
        "00:00:17:01:02:03")

"""load_mib and conf.mib compared with Scapy's: the names a MIB file adds (or changes) are the
same. Scapy knows more OIDs by default, so what each adds to its own table is compared."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from paquet import conf, load_mib

sa = pytest.importorskip("scapy.all")

MIBS = {
    "campaign": "-- MIB test\nscapy       OBJECT IDENTIFIER ::= {test 2807}\n",
    "chain": """
internet OBJECT IDENTIFIER ::= { iso org(3) dod(6) 1 }
mgmt OBJECT IDENTIFIER ::= { internet 2 }
child OBJECT IDENTIFIER ::= { later 5 }
grandchild OBJECT IDENTIFIER ::= { child 1 }
later OBJECT IDENTIFIER ::= { mgmt 9 }
orphan OBJECT IDENTIFIER ::= { nowhere 3 }
""",
    "quoted and renamed": """
descr OBJECT-TYPE SYNTAX DisplayString "a -- quoted { } text" ::= { mgmt 1 }
cn2 OBJECT IDENTIFIER ::= { 2 5 4 3 }
commonName OBJECT IDENTIFIER ::= { 2 5 4 99 }
""",
}


@pytest.fixture
def restored() -> Iterator[None]:
    ours, theirs = dict(conf.mib), sa.conf.mib
    yield
    conf.mib.clear()
    conf.mib.update(ours)
    sa.conf.mib = theirs


def _added(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in after.items() if before.get(k) != v)


@pytest.mark.parametrize("name", sorted(MIBS))
def test_load_mib_adds_what_scapy_adds(name: str, tmp_path: Path, restored: None) -> None:
    path = tmp_path / "TEST-MIB.txt"
    path.write_text(MIBS[name])
    ours_before, theirs_before = dict(conf.mib), dict(sa.conf.mib.d)
    load_mib(str(path))
    sa.load_mib(str(path))
    assert _added(ours_before, dict(conf.mib.d)) == _added(theirs_before, dict(sa.conf.mib.d))


def test_glob_and_several_files_as_scapy(tmp_path: Path, restored: None) -> None:
    for i, text in enumerate(MIBS.values()):
        (tmp_path / f"m{i}.mib").write_text(text)
    ours_before, theirs_before = dict(conf.mib), dict(sa.conf.mib.d)
    load_mib([str(tmp_path / "m0.mib"), str(tmp_path / "m[12].mib")])
    sa.load_mib([str(tmp_path / "m0.mib"), str(tmp_path / "m[12].mib")])
    assert _added(ours_before, dict(conf.mib.d)) == _added(theirs_before, dict(sa.conf.mib.d))
    assert conf.mib._oidname("1.3.6.1.2.9.5.1.7") == sa.conf.mib._oidname("1.3.6.1.2.9.5.1.7")

"""list_contrib: the modules it lists load with load_contrib, and it filters and prints as
Scapy's does for the protocols both ship as contributions."""

from __future__ import annotations

import contextlib
import io

import pytest

from paquet import load_contrib
from paquet.contribs import list_contrib

sm = pytest.importorskip("scapy.main")

SHARED = ["cdp", "dtp", "erspan", "geneve", "lldp", "mpls"]  # Scapy contribs paquet has


def _printed(func: object, *args: object) -> list[str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        func(*args)  # type: ignore[operator]
    return out.getvalue().splitlines()


def test_every_listed_module_loads() -> None:
    listed = list_contrib(ret=True)
    assert listed
    for desc in listed:
        assert desc["status"] == "loads" and desc["description"]
        load_contrib(desc["name"])


@pytest.mark.parametrize("name", [*SHARED, "lldp.py", "geneve*", "er?pan", "er?pan.py"])
def test_filter_is_scapys(name: str) -> None:
    ours = list_contrib(name, ret=True)
    theirs = sm.list_contrib(name, ret=True)
    assert [d["name"] for d in ours or []] == [d["name"] for d in theirs or []]
    assert [d["status"] for d in ours or []] == [d["status"] for d in theirs or []]


@pytest.mark.parametrize("name", ["ll", "nothing*here"])
def test_no_partial_match_as_scapy(name: str) -> None:
    assert list_contrib(name, ret=True) == sm.list_contrib(name, ret=True) == []


@pytest.mark.parametrize("name", SHARED)
def test_printed_line_is_laid_out_as_scapys(name: str) -> None:
    (ours,) = _printed(list_contrib, name)
    (theirs,) = _printed(sm.list_contrib, name)
    assert ours[:22] == theirs[:22]  # the name, padded, then ": "
    assert ours.rsplit("status=", 1)[1] == theirs.rsplit("status=", 1)[1]
    assert ours.index("status=") >= 63 and theirs.index("status=") >= 63

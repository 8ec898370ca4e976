"""``paquet dns`` against ``dig``, on the tp lab's real DNS servers (dnsmasq authoritative for
tp.example on the server, a dnsmasq resolver on the gateway): every record of the lab's zone
asked both ways, the two outputs equal but for the message id and the clock."""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import pytest

from paquet.lab import Lab
from paquet.lab.topology import load
from paquet.lab.zone import zone_records

pytestmark = pytest.mark.usefixtures("lab_tp")

_VOLATILE = re.compile(r"^(; <<>> .*|;; global options:.*|;; Query time:.*|;; WHEN:.*|"
                       r"; COOKIE:.*)$")


def _normal(text: str) -> list[str]:
    """The lines, without the clock and the id; the records of each section sorted (a server
    may give several records of a name in any order, dnsmasq rotates them)."""
    lines = [re.sub(r"id: \d+", "id: N", ln) for ln in text.splitlines()
             if not _VOLATILE.match(ln)]
    out: list[str] = []
    run: list[str] = []
    for ln in [*lines, ""]:
        if ln and not ln.startswith(";"):
            run.append(ln)
            continue
        out += sorted(run)
        run = []
        out.append(ln)
    return out[:-1]


def _both(lab: Lab, *args: str) -> tuple[str, str]:
    client = lab["client"]
    dig = client.exec(["dig", *args], timeout=30)
    ours = client.exec([sys.executable, "-m", "paquet", "dns", *args], timeout=30)
    assert dig.returncode == 0, dig.stdout + dig.stderr
    assert ours.returncode == 0, ours.stdout + ours.stderr
    return str(ours.stdout), str(dig.stdout)


def _questions() -> list[tuple[str, str]]:
    seen = []
    for rec in zone_records(load("tp")):
        if rec.type == "PTR":
            continue
        key = (rec.name, rec.type)
        if key not in seen:
            seen.append(key)
    return seen


@pytest.mark.parametrize(("name", "qtype"), _questions(), ids=lambda v: str(v))
def test_every_record_of_the_zone_as_dig_shows_it(lab_tp: Lab, name: str, qtype: str) -> None:
    server = lab_tp["server"].addr()
    ours, dig = _both(lab_tp, f"@{server}", name, qtype, "+nocookie")
    assert _normal(ours) == _normal(dig)
    assert "ANSWER SECTION" in ours


@pytest.mark.parametrize("extra", [["+short"], ["+tcp"], ["+norecurse"], ["+noall", "+answer"],
                                   ["+noedns"], ["+dnssec"], ["+nocmd", "+nostats"]])
def test_dig_options(lab_tp: Lab, extra: list[str]) -> None:
    server = lab_tp["server"].addr()
    ours, dig = _both(lab_tp, f"@{server}", "www.tp.example", "AAAA", "+nocookie", *extra)
    assert _normal(ours) == _normal(dig)


def test_reverse_lookups_of_every_node(lab_tp: Lab) -> None:
    server = lab_tp["server"].addr(6)
    for node in ("client", "server", "target", "remote"):
        for version in (4, 6):
            ours, dig = _both(lab_tp, f"@{server}", "-x", lab_tp[node].addr(version),
                              "+nocookie")
            assert _normal(ours) == _normal(dig)
            assert f"{node}.tp.example." in ours


def test_the_resolver_of_resolv_conf(lab_tp: Lab) -> None:
    # No @SERVER: the client's /etc/netns resolv.conf names the gateway's resolver.
    ours, dig = _both(lab_tp, "mail.tp.example", "+nocookie")
    assert _normal(ours) == _normal(dig)
    assert "status: NXDOMAIN" in ours
    ours, dig = _both(lab_tp, "www.tp.example", "+short", "+nocookie")
    assert ours == dig and "server.tp.example." in ours


def test_json_has_what_dig_prints(lab_tp: Lab) -> None:
    server = lab_tp["server"].addr()
    proc = lab_tp["client"].exec([sys.executable, "-m", "paquet", "dns", f"@{server}",
                                  "tp.example", "MX", "--json"], timeout=30)
    data: dict[str, Any] = json.loads(proc.stdout)
    short = lab_tp["client"].exec(["dig", f"@{server}", "tp.example", "MX", "+short"],
                                  timeout=30).stdout
    assert [a["data"] for a in data["answer"]] == str(short).split("\n")[:-1]
    assert data["status"] == "NOERROR" and data["question"][0]["type"] == "MX"


def test_no_answer_is_one_line_and_status_1(lab_tp: Lab) -> None:
    # The target drops nothing on UDP 53 but nothing answers there either (a logging service).
    proc = lab_tp["client"].exec([sys.executable, "-m", "paquet", "dns",
                                  f"@{lab_tp['target'].addr()}", "-p", "9", "x.example",
                                  "+time=0.3", "+tries=1"], timeout=30)
    assert proc.returncode in (1, 2), proc
    assert len(str(proc.stderr).strip().splitlines()) == 1
    assert "Traceback" not in str(proc.stderr)

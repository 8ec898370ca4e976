"""Interfaces and routing tables (paquet.net.interfaces, conf.ifaces, conf.route), in a network
namespace made for the test, against iproute2's JSON and Scapy run in the same namespace.

Each test runs one script under ``unshare --net``: the namespace, its veth pair and its
addresses (documentation ranges) exist only while the script runs, so nothing is left behind
even when a test fails, and nothing is sent.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.privileged

SRC = str(Path(__file__).resolve().parents[2] / "src")

SETUP = """
ip link set lo up
ip link add pqv0 address 02:00:00:00:00:10 type veth peer name pqv1 address 02:00:00:00:00:11
ip link set pqv0 up
ip link set pqv1 up
ip addr add 192.0.2.1/24 dev pqv0
ip addr add 198.51.100.7/25 dev pqv0
ip -6 addr add 2001:db8::1/64 dev pqv0 nodad
ip -6 addr add fe80::1/64 dev pqv1 nodad
ip route add default via 192.0.2.254 metric 5
ip route add 203.0.113.0/24 via 192.0.2.253 src 192.0.2.1
ip -6 route add default via 2001:db8::fe metric 7
ip link add pqdown type veth peer name pqdown1
"""

PAQUET = """
import json, socket, subprocess
from paquet import conf
from paquet.net import interfaces as I
out = {
    "list": I.get_if_list(),
    "addr": {i: I.get_if_addr(i) for i in I.get_if_list()},
    "addr6": {i: I.get_if_addr6(i) for i in I.get_if_list()},
    "hw": {i: I.get_if_hwaddr(i) for i in I.get_if_list()},
    "rawhw": {i: [I.get_if_raw_hwaddr(i)[0], I.get_if_raw_hwaddr(i)[1].hex()]
              for i in I.get_if_list()},
    "raw": {i: I.get_if_raw_addr(i).hex() for i in I.get_if_list()},
    "working": str(I.get_working_if()),
    "iface": str(conf.iface),
    "ifaces": repr(conf.ifaces),
    "hidden": conf.ifaces.show(print_result=False, hidden=True),
    "route": repr(conf.route),
    "route6": repr(conf.route6),
    "routes": [list(r) for r in conf.route.routes],
    "routes6": [list(r) for r in conf.route6.routes],
    "repr": repr(conf.ifaces["pqv0"]),
    "index": conf.ifaces["pqv0"].index,
    "ips": {str(k): v for k, v in conf.ifaces["pqv0"].ips.items()},
}
print(json.dumps(out))
"""

SCAPY = """
import json
from scapy.all import conf, get_if_list, get_if_addr, get_if_addr6, get_if_hwaddr
from scapy.all import get_if_raw_addr, get_working_if
from scapy.arch.unix import get_if_raw_hwaddr
out = {
    "list": get_if_list(),
    "addr": {i: get_if_addr(i) for i in get_if_list()},
    "addr6": {i: get_if_addr6(i) for i in get_if_list()},
    "hw": {i: get_if_hwaddr(i) for i in get_if_list()},
    "rawhw": {i: [get_if_raw_hwaddr(i)[0], get_if_raw_hwaddr(i)[1].hex()]
              for i in get_if_list()},
    "raw": {i: get_if_raw_addr(i).hex() for i in get_if_list()},
    "working": str(get_working_if()),
    "iface": str(conf.iface),
    "ifaces": repr(conf.ifaces),
    "hidden": conf.ifaces.show(print_result=False, hidden=True),
    "route": repr(conf.route),
    "route6": repr(conf.route6),
    "routes": [list(r) for r in conf.route.routes],
    "routes6": [list(r) for r in conf.route6.routes],
    "repr": repr(conf.ifaces["pqv0"]),
    "index": conf.ifaces["pqv0"].index,
    "ips": {str(k): v for k, v in conf.ifaces["pqv0"].ips.items()},
}
print(json.dumps(out))
"""

IPROUTE = """
import json, subprocess
def ip(*args):
    return json.loads(subprocess.run(["ip", "-j", *args], capture_output=True, text=True,
                                     check=True).stdout)
print(json.dumps({"addr": ip("addr"), "route": ip("-4", "route", "show", "table", "all"),
                  "route6": ip("-6", "route", "show", "table", "all")}))
"""


def _in_new_netns(*scripts: str) -> list[dict[str, Any]]:
    """Run the setup, then each Python script, in one new network namespace; their JSON."""
    if shutil.which("unshare") is None:
        pytest.skip("needs util-linux's unshare")
    marker = "@@@"
    body = SETUP + "".join(
        f"echo {marker}\n{sys.executable} - <<'PYEOF'\n{textwrap.dedent(s)}\nPYEOF\n"
        for s in scripts
    )
    done = subprocess.run(
        ["unshare", "--net", "--", "sh", "-e", "-c", body],
        capture_output=True, text=True, timeout=120, check=False,
        env={"PYTHONPATH": SRC, "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr
    parts = done.stdout.split(marker + "\n")[1:]
    return [json.loads(p) for p in parts]


@pytest.fixture(scope="module")
def seen() -> dict[str, dict[str, Any]]:
    pytest.importorskip("scapy.all")
    ours, scapy, iproute = _in_new_netns(PAQUET, SCAPY, IPROUTE)
    return {"paquet": ours, "scapy": scapy, "ip": iproute}


def test_same_as_scapy(seen: dict[str, dict[str, Any]]) -> None:
    ours, ref = seen["paquet"], seen["scapy"]
    for key in ref:
        assert ours[key] == ref[key], key


def test_addresses_agree_with_iproute2(seen: dict[str, dict[str, Any]]) -> None:
    ours = seen["paquet"]
    links = {link["ifname"]: link for link in seen["ip"]["addr"]}
    assert ours["list"] == list(links)
    for name, link in links.items():
        assert ours["hw"][name] == link.get("address", "00:00:00:00:00:00")
        v4 = [a["local"] for a in link.get("addr_info", ()) if a["family"] == "inet"]
        assert ours["addr"][name] == (v4[0] if v4 else "0.0.0.0")
    assert ours["ips"]["4"] == ["192.0.2.1", "198.51.100.7"]
    assert ours["addr6"]["pqv0"] == "2001:db8::1" and ours["addr6"]["pqv1"] is None
    # pqdown is down: not listed by default, listed with hidden=True.
    assert "pqdown" not in ours["ifaces"] and "pqdown" in ours["hidden"]


def test_routes_agree_with_iproute2(seen: dict[str, dict[str, Any]]) -> None:
    ours = seen["paquet"]
    kernel = [r for r in seen["ip"]["route"] if r.get("table", "main") in ("main", "local")]
    kernel4 = [r for r in kernel if r.get("type") != "multicast"]
    # Every kernel route of the local and main tables, plus the multicast route of pqv0.
    assert len(ours["routes"]) == len(kernel4) + 1
    default = next(r for r in ours["routes"] if r[1] == 0)
    assert default[2:4] == ["192.0.2.254", "pqv0"] and default[5] == 5
    via = next(r for r in ours["routes"] if r[0] == 0xCB007100)
    assert via[2:5] == ["192.0.2.253", "pqv0", "192.0.2.1"]
    default6 = next(r for r in ours["routes6"] if r[1] == 0)
    assert default6[2:5] == ["2001:db8::fe", "pqv0", ["2001:db8::1"]] and default6[5] == 7


def test_no_such_interface_is_a_clear_error() -> None:
    from paquet.errors import NetworkError
    from paquet.net.interfaces import get_if_addr, resolve_iface

    with pytest.raises(NetworkError, match="no such interface"):
        get_if_addr("pq-nonexistent")
    with pytest.raises(ValueError, match="not found"):
        resolve_iface("pq-nonexistent")


def test_readings_are_reused_for_a_second_and_changes_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    from paquet.net import interfaces as ifs

    clock = [1000.0]
    reads: list[int] = []
    real_load = ifs.LinuxInterfaceProvider.load

    def load(self: Any) -> dict[str, Any]:
        reads.append(1)
        return real_load(self)

    monkeypatch.setattr(ifs.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(ifs.LinuxInterfaceProvider, "load", load)
    table = ifs.NetworkInterfaceDict()
    assert "lo" in table and "lo" in table and len(reads) == 1
    clock[0] += ifs.FRESH_FOR
    assert "lo" in table and len(reads) == 2
    table._add_fake_iface("pqfake0")
    clock[0] += 10 * ifs.FRESH_FOR
    assert "pqfake0" in table and "lo" in table and len(reads) == 2  # kept: changed by hand
    assert not table["pqfake0"].is_valid() and "pqfake0" not in repr(table)
    table.reload()
    assert "pqfake0" not in table and len(reads) == 3

"""Suite-wide configuration: privileged tests skip without root, but never under CI."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings

pytest_plugins = ["paquet.lab.testing"]

# Property tests: no per-example deadline (a loaded machine is not a failure); under CI the
# same examples every run (derandomized), so that a run cannot fail on a draw no run made
# before; elsewhere random draws, to find new failing inputs.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
_UNDER_CI = os.environ.get("CI") == "true" or os.environ.get("PAQUET_REQUIRE_PRIVILEGES") == "1"
settings.load_profile("ci" if _UNDER_CI else "dev")


def _interrupted(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one must not cut the teardowns
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config: pytest.Config) -> None:
    """A suite stopped with SIGTERM (``kill``, a CI timeout) unwinds as on Ctrl-C: the
    fixtures' teardowns run and remove the namespaces, veths and firewall rules they made
    (the default SIGTERM ends the process at once and left them behind)."""
    signal.signal(signal.SIGTERM, _interrupted)


def privileges_required() -> bool:
    """True under CI or with PAQUET_REQUIRE_PRIVILEGES=1: a privileged skip is then a failure."""
    return _UNDER_CI


def missing_privileges() -> str | None:
    """Why privileged tests cannot run here, or None when they can."""
    if os.geteuid() != 0:
        return "needs root (network namespaces, raw sockets)"
    if shutil.which("ip") is None:
        return "needs iproute2's `ip`"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = missing_privileges()
    if reason is None:
        return
    for item in items:
        if "privileged" in item.keywords:
            if privileges_required():
                item.add_marker(pytest.mark.usefixtures("_fail_without_privileges"))
            else:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def _fail_without_privileges() -> None:
    reason = missing_privileges()
    if reason is not None:
        pytest.fail(f"privileged test cannot run under CI: {reason}")


# --- Network safety net -------------------------------------------------------------------------
# The lab numbers its hosts from the documentation ranges, and so may the machine's own network
# (this one's uplink is 192.0.2.0/24). Lab traffic never crosses the root namespace, so while the
# suite runs, nothing sent from the root namespace to a documentation range may leave through a
# real interface: a test that sends from the wrong namespace then fails instead of leaking.
GUARD_PREFIX = "paquet_guard_"
GUARDED_V4 = "192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24"
GUARDED_V6 = "2001:db8::/32"
# Package registries may sit inside a documentation range on a sandboxed machine (they do here):
# the guard lets exactly their addresses through so installs keep working while tests run.
REGISTRIES = ("pypi.org", "files.pythonhosted.org", "deb.debian.org", "security.debian.org")


def _registry_addresses() -> tuple[list[str], list[str]]:
    v4: set[str] = set()
    v6: set[str] = set()
    for name in REGISTRIES:
        try:
            infos = socket.getaddrinfo(name, 443, proto=socket.IPPROTO_TCP)
        except OSError:
            continue
        for family, *_rest, sockaddr in infos:
            (v4 if family == socket.AF_INET else v6).add(str(sockaddr[0]))
    return sorted(v4), sorted(v6)


def _nft(script: str) -> bool:
    try:
        done = subprocess.run(["nft", "-f", "-"], input=script, text=True, capture_output=True)
    except OSError:
        return False
    return done.returncode == 0


def _stale_guards() -> list[tuple[str, str]]:
    """(family, table) of the guards of earlier runs whose pytest process is gone (killed runs)."""
    try:
        listing = subprocess.run(["nft", "list", "tables"], text=True, capture_output=True).stdout
    except OSError:
        return []
    stale = []
    for line in listing.splitlines():
        words = line.split()
        if len(words) != 3 or not words[2].startswith(GUARD_PREFIX):
            continue
        pid = words[2][len(GUARD_PREFIX) :].removesuffix("_l2")
        if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
            stale.append((words[1], words[2]))
    return stale


def _root_uplinks() -> list[str]:
    """The root namespace's interfaces other than loopback, as they are when the suite starts
    (the machine's own; the devices tests make come later and lead to their namespaces)."""
    return sorted(name for name in os.listdir("/sys/class/net") if name != "lo")


def _default_gateways() -> list[str]:
    """The root namespace's default gateways: the kernel asks for their MACs itself."""
    gateways = []
    for family in ("-4", "-6"):
        try:
            out = subprocess.run(["ip", "-j", family, "route", "show", "default"], text=True,
                                 capture_output=True, timeout=10).stdout
            gateways += [r["gateway"] for r in json.loads(out or "[]") if "gateway" in r]
        except (OSError, ValueError, subprocess.TimeoutExpired):
            continue
    return gateways


def _exceptions(allowed_v4: list[str], allowed_v6: list[str]) -> tuple[str, str]:
    """The nft conditions that let the registries' addresses through (empty without any)."""
    v4 = f" ip daddr != {{ {', '.join(allowed_v4)} }}" if allowed_v4 else ""
    v6 = f" ip6 daddr != {{ {', '.join(allowed_v6)} }}" if allowed_v6 else ""
    return v4, v6


def _link_guard(table: str, allowed_v4: list[str], allowed_v6: list[str]) -> str:
    """An nft script: on each uplink's egress, drop what packet sockets send to the documentation
    ranges (frames bypass the inet output hook): ARP requests and IPv6 neighbour solicitations
    for them (but the gateways'), and IP packets to them (but the registries')."""
    gateways = _default_gateways()
    gw4 = [g for g in gateways if ":" not in g]
    keep_arp = f" arp daddr ip != {{ {', '.join(gw4)} }}" if gw4 else ""
    except_v4, except_v6 = _exceptions(allowed_v4, allowed_v6)
    chains = "".join(
        f"  chain egress_{i} {{\n"
        f'    type filter hook egress device "{dev}" priority 0; policy accept;\n'
        f"    arp operation request arp daddr ip {{ {GUARDED_V4} }}{keep_arp} counter drop\n"
        f"    ip daddr {{ {GUARDED_V4} }}{except_v4} counter drop\n"
        f"    ip6 daddr {GUARDED_V6}{except_v6} counter drop\n"
        "    icmpv6 type nd-neighbor-solicit @th,64,32 0x20010db8 counter drop\n"
        "  }\n"
        for i, dev in enumerate(_root_uplinks())
    )
    return f"table netdev {table} {{\n{chains}}}\n"


def _link_guard_drops(table: str) -> int:
    """How many frames the link guard has dropped so far (0 without the guard)."""
    try:
        out = subprocess.run(["nft", "-j", "list", "table", "netdev", table], text=True,
                             capture_output=True, timeout=10).stdout
        items = json.loads(out or "{}").get("nftables", [])
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return 0
    return sum(
        expr["counter"]["packets"]
        for item in items
        for expr in item.get("rule", {}).get("expr", [])
        if "counter" in expr
    )


_LINK_GUARD: list[str] = []  # the link guard's table, once installed


@pytest.fixture(scope="session", autouse=True)
def _documentation_ranges_stay_home() -> Iterator[None]:
    if os.geteuid() != 0 or shutil.which("nft") is None:
        yield
        return
    for family, name in _stale_guards():
        _nft(f"delete table {family} {name}\n")
    table = f"{GUARD_PREFIX}{os.getpid()}"
    allowed_v4, allowed_v6 = _registry_addresses()
    except_v4, except_v6 = _exceptions(allowed_v4, allowed_v6)
    installed = _nft(
        f"table inet {table} {{\n"
        "  chain output {\n"
        "    type filter hook output priority 0; policy accept;\n"
        f'    oifname != "lo" ip daddr {{ {GUARDED_V4} }}{except_v4} counter drop\n'
        f'    oifname != "lo" ip6 daddr {{ {GUARDED_V6} }}{except_v6} counter drop\n'
        "  }\n"
        "}\n"
    )
    link_table = f"{table}_l2"
    if _nft(_link_guard(link_table, allowed_v4, allowed_v6)):
        _LINK_GUARD.append(link_table)
    try:
        yield
    finally:
        if installed:
            _nft(f"delete table inet {table}\n")
        if _LINK_GUARD:
            _nft(f"delete table netdev {_LINK_GUARD.pop()}\n")


def _namespace_inode() -> int | None:
    """The inode of this thread's network namespace (None if it cannot be read)."""
    try:
        return os.stat("/proc/thread-self/ns/net").st_ino
    except OSError:
        return None


#: The suite's own namespace, the machine's (read when the suite starts, in the root namespace;
#: a node's process may not read pid 1's).
_ROOT_NAMESPACE = _namespace_inode()


def _in_root_namespace() -> bool:
    """Whether this thread is in the namespace the suite started in (a lab node's is not; a
    thread that entered one with setns is in it, whatever the process's other threads)."""
    return _ROOT_NAMESPACE is not None and _namespace_inode() == _ROOT_NAMESPACE


@pytest.fixture(scope="session", autouse=True)
def _no_neighbour_asked_on_the_uplinks() -> Iterator[None]:
    """Tests build frames in the root namespace (``Ether()/IP(dst="192.0.2.9")``) for their
    bytes; filling in the destination MAC would ask the machine's real link by ARP or ND,
    which the guard drops, after a wait, and whose outcome hangs on how the machine is
    numbered. There, paquet's and Scapy's resolvers get the answer the guard gives (silence:
    the broadcast address) without sending; in lab namespaces they ask as they always do."""
    uplinks = set(_root_uplinks()) if os.path.isdir("/sys/class/net") else set()
    patches: list[tuple[Any, str, Any]] = []

    from paquet.net import neighbour

    solicit = neighbour._solicit

    def quiet_solicit(ip: str, version: int, link: Any, *args: Any) -> str | None:
        if link.name in uplinks and _in_root_namespace():
            return None
        return solicit(ip, version, link, *args)

    patches.append((neighbour, "_solicit", solicit))
    neighbour._solicit = quiet_solicit  # type: ignore[assignment]
    try:
        import scapy.layers.inet6 as s6
        import scapy.layers.l2 as s2
        from scapy.config import conf as sconf
    except ImportError:
        pass
    else:
        for module in (s2, s6):
            srp1 = module.srp1

            def quiet_srp1(*args: Any, _srp1: Any = srp1, **kwargs: Any) -> Any:
                iface = kwargs.get("iface") or sconf.iface
                if str(iface) in uplinks and _in_root_namespace():
                    return None
                return _srp1(*args, **kwargs)

            patches.append((module, "srp1", srp1))
            module.srp1 = quiet_srp1
    try:
        yield
    finally:
        for module, name, original in patches:
            setattr(module, name, original)


def _link_check_scope(fixture_name: str, config: pytest.Config) -> str:
    """Each module is checked; each test with PAQUET_LINK_GUARD_EACH=1 (to find the one)."""
    return "function" if os.environ.get("PAQUET_LINK_GUARD_EACH") == "1" else "module"


@pytest.fixture(scope=_link_check_scope, autouse=True)  # type: ignore[arg-type]
def _nothing_leaves_by_the_link(_documentation_ranges_stay_home: None) -> Iterator[None]:
    """A module whose tests made the root namespace send frames to a documentation range (an
    ARP request of Scapy's getmacbyip for ``Ether()/IP(dst="192.0.2.7")``, a frame of sendp)
    fails: the guard dropped them, but a test must build such frames with their MACs given or
    send them from a lab namespace. The guard's counters are the machine's: the check is made
    under CI (the machine is the run's alone) or when asked (PAQUET_LINK_GUARD_EACH=1), not
    while other runs may share the machine."""
    if not _LINK_GUARD or not (_UNDER_CI or os.environ.get("PAQUET_LINK_GUARD_EACH") == "1"):
        yield
        return
    table = _LINK_GUARD[0]
    before = _link_guard_drops(table)
    yield
    dropped = _link_guard_drops(table) - before
    assert dropped == 0, (
        f"{dropped} frame(s) to a documentation range left a test of this module through the "
        "root namespace's uplink (dropped by the suite's guard): give the MACs, or send from a "
        "lab namespace"
    )

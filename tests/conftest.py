"""Suite-wide configuration: privileged tests skip without root, but never under CI."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator

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


def _stale_guards() -> list[str]:
    """Guard tables of earlier runs whose pytest process is gone (killed runs)."""
    try:
        listing = subprocess.run(
            ["nft", "list", "tables", "inet"], text=True, capture_output=True
        ).stdout
    except OSError:
        return []
    stale = []
    for line in listing.splitlines():
        name = line.split()[-1] if line.strip() else ""
        if name.startswith(GUARD_PREFIX):
            pid = name[len(GUARD_PREFIX) :]
            if pid.isdigit() and not os.path.exists(f"/proc/{pid}"):
                stale.append(name)
    return stale


@pytest.fixture(scope="session", autouse=True)
def _documentation_ranges_stay_home() -> Iterator[None]:
    if os.geteuid() != 0 or shutil.which("nft") is None:
        yield
        return
    for name in _stale_guards():
        _nft(f"delete table inet {name}\n")
    table = f"{GUARD_PREFIX}{os.getpid()}"
    allowed_v4, allowed_v6 = _registry_addresses()
    except_v4 = f" ip daddr != {{ {', '.join(allowed_v4)} }}" if allowed_v4 else ""
    except_v6 = f" ip6 daddr != {{ {', '.join(allowed_v6)} }}" if allowed_v6 else ""
    installed = _nft(
        f"table inet {table} {{\n"
        "  chain output {\n"
        "    type filter hook output priority 0; policy accept;\n"
        f'    oifname != "lo" ip daddr {{ {GUARDED_V4} }}{except_v4} counter drop\n'
        f'    oifname != "lo" ip6 daddr {{ {GUARDED_V6} }}{except_v6} counter drop\n'
        "  }\n"
        "}\n"
    )
    try:
        yield
    finally:
        if installed:
            _nft(f"delete table inet {table}\n")

"""IPv6 targets for ``paquet scan`` and ``paquet discover``: addresses, prefixes, comma lists and
last-group ranges, checked against ``nmap -6 -sL -n`` (it only lists targets: nothing is sent, and
it runs in an empty network namespace when we can make one), and one size limit for both tools."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import subprocess

import pytest

from paquet.errors import AddressError
from paquet.probe.targets import MAX_IPV6_SWEEP, check_ipv6_size, expand_targets

NMAP = shutil.which("nmap")
needs_nmap = pytest.mark.skipif(NMAP is None, reason="nmap is not installed: no oracle to "
                                                     "compare the expansions with")


def nmap_list(*specs: str) -> set[str]:
    """The addresses ``nmap -6 -sL -n`` lists for ``specs`` (as a set: nmap keeps duplicates)."""
    assert NMAP is not None
    cmd = [NMAP, "-6", "-sL", "-n", "-oG", "-", *specs]
    unshare = shutil.which("unshare")
    if os.geteuid() == 0 and unshare is not None:
        cmd = [unshare, "-n", *cmd]  # no network at all, to be sure
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout
    return {line.split()[1] for line in out.splitlines() if line.startswith("Host: ")}


def prefixes(first: str, last: str) -> list[str]:
    """The prefixes that cover ``first``..``last`` exactly: how nmap (7.93 has no IPv6 ranges)
    is told the same set of addresses."""
    return [str(n) for n in ipaddress.summarize_address_range(ipaddress.IPv6Address(first),
                                                                ipaddress.IPv6Address(last))]


# -- forms nmap accepts as they are -------------------------------------------------------------

@needs_nmap
@pytest.mark.parametrize("specs", [
    ["2001:db8::1"],
    ["2001:db8::/126"],
    ["2001:db8::5/125"],  # host bits set: the whole prefix, as nmap
    ["2001:db8:0:1::/120", "2001:db8::1"],
    ["2001:db8::1.2.3.4"],  # IPv4 in the last 32 bits
    ["2001:DB8::ABCD"],
    ["2001:db8::/112"],  # the largest prefix a sweep accepts
])
def test_addresses_and_prefixes_as_nmap(specs: list[str]) -> None:
    ours = expand_targets(specs)
    assert len(ours) == len(set(ours))
    assert set(ours) == nmap_list(*specs)


# -- ranges and lists in the last group, against nmap given the same addresses as prefixes ------

@needs_nmap
@pytest.mark.parametrize(("spec", "nmap_specs"), [
    ("2001:db8::1-20", prefixes("2001:db8::1", "2001:db8::20")),  # hex: 32 addresses
    ("2001:db8::a-ff", prefixes("2001:db8::a", "2001:db8::ff")),
    ("2001:DB8::A-C", prefixes("2001:db8::a", "2001:db8::c")),
    ("2001:db8:0:1::fff0-ffff", ["2001:db8:0:1::fff0/124"]),
    ("2001:db8::1:0-ffff", ["2001:db8::1:0/112"]),
    ("2001:db8::1,5,a-c", ["2001:db8::1", "2001:db8::5", *prefixes("2001:db8::a",
                                                                    "2001:db8::c")]),
    ("2001:db8::1,2001:db8:1::/127", ["2001:db8::1", "2001:db8:1::/127"]),
])
def test_ranges_and_lists_as_nmap(spec: str, nmap_specs: list[str]) -> None:
    ours = expand_targets([spec])
    assert len(ours) == len(set(ours))
    assert set(ours) == nmap_list(*nmap_specs)


def test_order_and_mixed_families() -> None:
    assert expand_targets(["2001:db8::1-3"]) == ["2001:db8::1", "2001:db8::2", "2001:db8::3"]
    assert expand_targets(["2001:db8::f,1-2,f"]) == ["2001:db8::f", "2001:db8::1", "2001:db8::2"]
    assert expand_targets(["192.0.2.1,2001:db8::1,3"]) == ["192.0.2.1", "2001:db8::1",
                                                           "2001:db8::3"]
    assert expand_targets(["192.0.2.1,2001:db8::1-2"], family=6) == ["2001:db8::1",
                                                                     "2001:db8::2"]
    assert expand_targets(["::1-2"]) == ["::1", "::2"]
    assert len(expand_targets(["2001:db8::0-ffff"])) == MAX_IPV6_SWEEP


# -- malformed specs: one line, our error, no name looked up ------------------------------------

@pytest.mark.parametrize(("spec", "says"), [
    ("2001:db8::1-zz", "'zz' is not an IPv6 group"),
    ("2001:db8::5-1", "range 5-1 is reversed"),
    ("2001:db8::1-", "needs both ends"),
    ("2001:db8::-3", "needs both ends"),
    ("2001:db8::1-10000", "'10000' is not an IPv6 group"),
    ("2001:db8::1-2-3", "is not an IPv6 group"),
    ("2001:db8:1-2::1", "an IPv6 range goes in the last group"),
    ("2001:db8::1-3/127", "a range cannot have a prefix length"),
    ("2001:db8::1,5-", "needs both ends"),
    ("[2001:db8::1]", "bad target"),
    ("2001:db8:::1", "bad target"),
    ("2001:db8::g", "bad target"),
    ("2001:db8::/129", "bad target"),
    ("::ffff:192.0.2.1-3", "is not an IPv6 group"),
    ("2001:db8::/111", "too large to sweep (2^17 addresses)"),
    ("2001:db8::/64", "give an IPv6 prefix of /112 or longer"),
])
def test_malformed_specs(spec: str, says: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kw: object) -> None:
        raise AssertionError("a name would have been resolved")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(AddressError) as info:
        expand_targets(["2001:db8::1", spec])
    assert says in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(AddressError):
        check_ipv6_size([spec])


def test_an_error_comes_before_any_name_is_resolved(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kw: object) -> None:
        raise AssertionError("a name would have been resolved")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(AddressError, match="too large to sweep"):
        expand_targets(["example.invalid", "2001:db8::/64"])


# -- the CLI: exit 2 and one line, for scan and discover alike, before anything is sent ---------

@pytest.fixture
def nothing_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    import paquet.probe.discover as discover_mod
    import paquet.probe.engine as engine_mod

    def never(*args: object, **kw: object) -> None:
        raise AssertionError("something would have been sent or looked up")

    class Mute(socket.socket):
        """Sockets may be opened (the raw-socket privilege test does), never used."""

        send = sendto = sendall = sendmsg = connect = connect_ex = never  # type: ignore[assignment]

    monkeypatch.setattr(socket, "socket", Mute)
    monkeypatch.setattr(socket, "getaddrinfo", never)
    monkeypatch.setattr(discover_mod, "probe_hosts", never)
    monkeypatch.setattr(engine_mod, "run", never)


COMMANDS = [["scan", "--connect", "-p", "80"], ["scan", "-Pn", "-p", "80"], ["discover"]]


@pytest.mark.usefixtures("nothing_sent")
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
@pytest.mark.parametrize(("spec", "says"), [
    ("2001:db8::1-zz", "paquet: error: bad target '2001:db8::1-zz': 'zz' is not an IPv6 group"),
    ("2001:db8::5-1", "paquet: error: bad target '2001:db8::5-1': range 5-1 is reversed"),
    ("2001:db8:1-2::1", "paquet: error: bad target '2001:db8:1-2::1': an IPv6 range goes in"),
    ("2001:db8::/104", "paquet: error: target 2001:db8::/104 is too large to sweep (2^24 "
                       "addresses): give an IPv6 prefix of /112 or longer"),
    ("2001:db8:0:1::/64", "paquet: error: target 2001:db8:0:1::/64 is too large to sweep"),
])
def test_the_commands_refuse_in_one_line(command: list[str], spec: str, says: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from paquet.cli.main import main

    assert main([*command, "--json", "2001:db8::1", spec]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(says) and err.count("\n") == 1

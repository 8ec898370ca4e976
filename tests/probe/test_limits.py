"""The probe functions refuse NaN, infinite, negative and huge numbers before touching the
network: a clear :class:`PaquetError`, never a loop that does not end or an ``OverflowError``.

Sockets and the resolver are replaced by functions that fail the test, so a check that came
after the first socket (or name lookup) would show here as an AssertionError, not a PaquetError.
"""

from __future__ import annotations

import json
import math
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest

from paquet.course.handshake import TCPHandshake, resolve_address
from paquet.errors import NetworkError, PaquetError
from paquet.probe import limits
from paquet.probe.discover import discover
from paquet.probe.order import parse_shard
from paquet.probe.ping import ping
from paquet.probe.rawio import resolve
from paquet.probe.scan import load_state, scan
from paquet.probe.targets import parse_ports
from paquet.probe.trace import trace

NAN, INF = math.nan, math.inf
BAD_SECONDS = [NAN, INF, -INF, -1.0, -1e-9, 1e20, limits.MAX_SECONDS + 1, "5", True]
BAD_RATES = [NAN, INF, 0.0, -5.0, 1e20, "100"]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any socket or name lookup fails the test."""

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the network was touched before the arguments were checked")

    for name in ("socket", "getaddrinfo", "gethostbyname", "create_connection"):
        monkeypatch.setattr(socket, name, refuse)


def _one_line(exc: pytest.ExceptionInfo[PaquetError]) -> str:
    text = str(exc.value)
    assert "\n" not in text and text
    return text


@pytest.mark.parametrize("value", BAD_SECONDS)
@pytest.mark.parametrize("name", ["interval", "timeout", "deadline"])
def test_ping_refuses_bad_durations(no_network: None, name: str, value: Any) -> None:
    with pytest.raises(PaquetError) as exc:
        ping("192.0.2.1", 1, **{name: value})
    assert name in _one_line(exc)


@pytest.mark.parametrize("count", [0, -1, 2**31, 10**20, 1.5])
def test_ping_refuses_bad_counts(no_network: None, count: Any) -> None:
    with pytest.raises(PaquetError, match="count"):
        ping("192.0.2.1", count)


@pytest.mark.parametrize("value", BAD_SECONDS)
@pytest.mark.parametrize("where", [0, 1, 2])
def test_trace_refuses_bad_waits(no_network: None, where: int, value: Any) -> None:
    wait: list[Any] = [5.0, 3.0, 10.0]
    wait[where] = value
    with pytest.raises(PaquetError) as exc:
        trace("192.0.2.1", wait=(wait[0], wait[1], wait[2]))
    assert "wait" in _one_line(exc)


@pytest.mark.parametrize("value", BAD_RATES)
def test_scan_and_discover_refuse_bad_rates(no_network: None, value: Any) -> None:
    with pytest.raises(PaquetError, match="max_rate"):
        scan("192.0.2.1", "80", method="connect", max_rate=value)
    with pytest.raises(PaquetError, match="min_rate"):
        scan("192.0.2.1", "80", method="connect", min_rate=value)
    with pytest.raises(PaquetError, match="max_rate"):
        discover("192.0.2.1", max_rate=value)


def test_scan_refuses_contradictions_and_bad_numbers(no_network: None) -> None:
    with pytest.raises(PaquetError) as exc:
        scan("192.0.2.1", "80", method="connect", min_rate=1000, max_rate=10)
    assert _one_line(exc) == "--min-rate=1000 must be less than or equal to --max-rate=10"
    for kwargs in ({"timeout": -1.0}, {"timeout": NAN}, {"timeout": INF}, {"max_retries": -1},
                   {"max_retries": 51}, {"seed": -1}, {"seed": 2**64}, {"top": 0},
                   {"top": 10**20}):
        with pytest.raises(PaquetError):
            scan("192.0.2.1", None, method="connect", **kwargs)
    with pytest.raises(PaquetError, match="max_retries"):
        discover("192.0.2.1", max_retries=-1)


def test_scan_refuses_a_state_file_it_could_never_write(no_network: None,
                                                        tmp_path: Path) -> None:
    with pytest.raises(PaquetError, match="is a directory"):
        scan("192.0.2.1", "80", method="connect", state_file=tmp_path)
    with pytest.raises(PaquetError, match="no directory"):
        scan("192.0.2.1", "80", method="connect", state_file=tmp_path / "none" / "state")


@pytest.mark.parametrize("change", [
    {"targets": "192.0.2.1"}, {"ports": [1, 70000]}, {"ports": ["80"]}, {"seed": -1},
    {"seed": "7"}, {"shard": [2, 1]}, {"shard": [1]}, {"position": -5}, {"up": [1]},
    {"codes": None}, {"kind": 4},
])
def test_a_damaged_state_file_is_one_line(tmp_path: Path, change: dict[str, Any]) -> None:
    good = {"format": "paquet-scan-state/2", "kind": "connect", "targets": ["192.0.2.1"],
            "up": [], "ports": [80], "seed": 7, "shard": [1, 1], "discovery": True,
            "position": 0, "codes": "", "ttls": ""}
    path = tmp_path / "state.json"
    path.write_text(json.dumps(good))
    assert load_state(path)["seed"] == 7
    path.write_text(json.dumps({**good, **change}))
    with pytest.raises(PaquetError, match="damaged scan state file"):
        load_state(path)


@pytest.mark.parametrize("host", ["", " ", "\t"])
def test_an_empty_host_is_not_this_host(no_network: None, host: str) -> None:
    # socket.gethostbyname("") answers 0.0.0.0: `paquet tcp '' 80` used to send there.
    with pytest.raises(NetworkError, match="empty host name"):
        resolve(host)
    with pytest.raises(NetworkError, match="empty host name"):
        resolve_address(host)
    with pytest.raises(NetworkError, match="empty host name"):
        TCPHandshake(host, 80)


@pytest.mark.parametrize("value", [NAN, INF, 0.0, 0.05, -1.0, 1e20])
def test_a_tcp_session_refuses_bad_timeouts(no_network: None, value: float) -> None:
    with pytest.raises(PaquetError, match="timeout"):
        TCPHandshake("192.0.2.1", 80, timeout=value)


def test_the_bounds_are_the_kernel_s() -> None:
    # INT_MAX milliseconds: what poll() takes, and iputils ping's bound on its intervals.
    assert limits.MAX_SECONDS == (2**31 - 1) // 1000
    assert limits.MAX_COUNT == 2**31 - 1
    limits.check_seconds("x", limits.MAX_SECONDS)
    limits.check_seconds("x", 0)
    limits.check_rate("x", limits.MAX_RATE)
    limits.check_count("x", limits.MAX_COUNT)


PORT_SPECS = ["1-99999999999999999999", "٨٠", "1_000", "+5", "-1", "65536", "0", "1-5",
              "80,,81", "5-3", "99999999999999999999", "T:22,U:53", "9" * 5000]


@pytest.mark.skipif(shutil.which("nmap") is None, reason="nmap is not installed")
def test_port_specifications_are_refused_as_nmap_refuses_them() -> None:
    """nmap is the reference: a spec it refuses, we refuse (one line); one it takes, we take.
    nmap runs a connect scan of loopback (-p checks only happen on a port scan)."""
    for spec in PORT_SPECS:
        out = subprocess.run(["nmap", "-n", "-Pn", "-sT", "-T5", "--max-retries", "0", "-p",
                              spec, "127.0.0.1"], capture_output=True, timeout=60, check=False)
        nmap_takes = out.returncode == 0
        try:
            ports = parse_ports(spec)
        except PaquetError as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 200, spec[:20]
            assert not nmap_takes, f"nmap takes {spec[:20]!r}, we refuse it: {exc}"
        else:
            assert nmap_takes, f"nmap refuses {spec[:20]!r}, we take it: {ports[:5]}"


@pytest.mark.parametrize("text", ["1/99999999999999999999", "٢/٣", "1/0", "3/2", "nan/inf",
                                  "1/2/3", "", "1/" + "9" * 5000])
def test_bad_shards_are_one_line(text: str) -> None:
    with pytest.raises(PaquetError) as exc:
        parse_shard(text)
    assert "\n" not in str(exc.value) and len(str(exc.value)) < 200

"""IPv4 comma lists continue the last octet, as nmap reads them (``192.0.2.1,5``)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from paquet.errors import AddressError
from paquet.probe.targets import expand_targets

SPECS = ["192.0.2.1,5", "192.0.2.1,5,10-12", "192.0.2.1-3,9", "198.51.100.7,7,8"]


def _nmap_list(spec: str) -> list[str]:
    """nmap's own expansion; -sL -n only lists (no packet), in an empty network namespace."""
    done = subprocess.run(["unshare", "-n", "nmap", "-sL", "-n", spec],
                          capture_output=True, text=True, check=True)
    return re.findall(r"Nmap scan report for (\S+)", done.stdout)


@pytest.mark.privileged
@pytest.mark.skipif(shutil.which("nmap") is None, reason="nmap is not installed")
@pytest.mark.parametrize("spec", SPECS)
def test_same_addresses_as_nmap(spec: str) -> None:
    assert expand_targets([spec]) == list(dict.fromkeys(_nmap_list(spec)))


def test_a_bare_octet_is_never_looked_up_as_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    import paquet.probe.targets as targets

    def no_dns(*_args: object) -> str:
        raise AssertionError("a host name was resolved")

    monkeypatch.setattr(targets, "resolve", no_dns)
    assert expand_targets(["192.0.2.1,5"]) == ["192.0.2.1", "192.0.2.5"]


@pytest.mark.parametrize("spec", ["192.0.2.1,300", "192.0.2.1,9-3"])
def test_bad_octets_are_one_line_errors(spec: str) -> None:
    with pytest.raises(AddressError) as info:
        expand_targets([spec])
    assert "\n" not in str(info.value)

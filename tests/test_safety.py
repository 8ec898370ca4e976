"""The suite's network safety net is in place while tests run."""

from __future__ import annotations

import os
import subprocess

import pytest


@pytest.mark.privileged
def test_documentation_ranges_cannot_leave_the_root_namespace() -> None:
    table = f"paquet_guard_{os.getpid()}"
    listing = subprocess.run(
        ["nft", "list", "table", "inet", table], text=True, capture_output=True, check=True
    ).stdout
    assert "hook output" in listing
    for prefix in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"):
        assert prefix in listing
    assert listing.count("drop") == 2

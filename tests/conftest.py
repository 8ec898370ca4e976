"""Suite-wide configuration: privileged tests skip without root, but never under CI."""

from __future__ import annotations

import os
import shutil

import pytest

pytest_plugins = ["paquet.lab.testing"]


def privileges_required() -> bool:
    """True under CI or with PAQUET_REQUIRE_PRIVILEGES=1: a privileged skip is then a failure."""
    return os.environ.get("CI") == "true" or os.environ.get("PAQUET_REQUIRE_PRIVILEGES") == "1"


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

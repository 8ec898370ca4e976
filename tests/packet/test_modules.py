"""The engine's modules (packet/README.md, "The engine"): each name still answered where code
written before the split imports it, and the generated code still built by compile.py."""

from __future__ import annotations

import subprocess
import sys

import paquet.packet.base as base
from paquet.packet import compile as gen
from paquet.packet import dissect


def test_address_caches_are_the_generators() -> None:
    assert base._NTOA is gen._NTOA and base._HEXMAC is gen._HEXMAC
    assert base._ntoa is gen._ntoa and base._hexmac is gen._hexmac


def test_truncated_headers_come_from_the_dissection_driver() -> None:
    from paquet.layers import IP

    layer = IP(bytes(IP())[:7])
    assert isinstance(layer.__dict__["do_build"], dissect._PartialBuild)
    assert bytes(layer.copy()) == bytes(IP())[:7]


def test_star_import_of_base_in_a_fresh_interpreter() -> None:
    code = ("from paquet.packet.base import *\n"
            "from paquet.packet.dump import hexstr, ls, raw\n"
            "from paquet.layers import IP\n"
            "print(hexstr(raw(IP())), ls(IP, dump=True).splitlines()[0])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out.startswith("45 00 00 14") and "version" in out

"""Packets in notebooks: ``_repr_html_`` gives the plain view, or explain's once it is loaded."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
{imports}
from paquet.layers import IP, ICMP
page = (IP(src="192.0.2.1", dst="192.0.2.2") / ICMP() / "miaou")._repr_html_()
print(json.dumps({{"page": page, "explain": "paquet.explainer" in sys.modules}}))
"""


def _page(imports: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(imports=imports)],
                          capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_engine_alone_gives_the_plain_view() -> None:
    result = _page("")
    page = str(result["page"])
    assert result["explain"] is False
    assert "###[ IP ]###" in page and "###[ ICMP ]###" in page
    assert "load      = b&#x27;miaou&#x27;" in page  # the tree, escaped
    assert "0010  C0 00 02 02 08 00" in page and "0020  75" in page  # the hexdump


def test_star_import_gives_explains_coloured_view() -> None:
    result = _page("from paquet import *")
    page = str(result["page"])
    assert result["explain"] is True
    assert "<details" in page and "background:" in page
    assert "echo-request" in page

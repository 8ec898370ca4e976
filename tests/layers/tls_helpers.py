"""Scapy's TLS as a reference: Scapy 2.8's TLS needs the ``cryptography`` package, which the
project's venv does not have; a Python that has it runs Scapy (from the venv's site-packages)
in a subprocess. The tests skip when no such Python is found."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

_SITE = next((p for p in sys.path if p.endswith("site-packages")), "")

_SCRIPT = r"""
import json, sys
from scapy.all import *
load_layer("tls")
from scapy.layers.tls.all import *
out = []
for kind, expr in json.loads(sys.stdin.read()):
    try:
        if kind == "build":
            out.append(bytes(eval(expr)).hex())
        elif kind == "tables":
            from scapy.layers.tls.crypto.suites import _tls_cipher_suites
            from scapy.layers.tls.crypto.groups import _tls_named_groups
            from scapy.layers.tls.keyexchange import _tls_hash_sig
            from scapy.layers.tls.extensions import _tls_ext
            from scapy.layers.tls.record import _tls_alert_description
            from scapy.layers.tls.basefields import _tls_version
            tables = {"suites": _tls_cipher_suites, "groups": _tls_named_groups,
                      "sigs": _tls_hash_sig, "ext": _tls_ext,
                      "alerts": _tls_alert_description, "versions": _tls_version}
            out.append({k: {str(n): str(v) for n, v in t.items()} for k, t in tables.items()})
        elif kind == "show":
            out.append(TLS(bytes.fromhex(expr)).show(dump=True))
        else:
            p = TLS(bytes.fromhex(expr))
            msgs = []
            for m in p.msg:
                d = {"cls": type(m).__name__}
                for f in m.fields_desc:
                    v = m.getfieldval(f.name)
                    if f.name == "ext":
                        v = [[type(e).__name__, bytes(e).hex()] for e in (v or [])]
                    elif isinstance(v, bytes):
                        v = v.hex()
                    elif not isinstance(v, (int, list, type(None), str)):
                        v = repr(v)
                    d[f.name] = v
                msgs.append(d)
            out.append({"type": p.type, "version": p.version, "len": p.len, "msg": msgs})
    except Exception as exc:
        out.append("error: %r" % (exc,))
print(json.dumps(out))
"""


@cache
def _python() -> str | None:
    """A Python 3.11 with ``cryptography`` that can import the venv's Scapy, or None."""
    for cand in ("python3", "python3.11", "/usr/bin/python3"):
        exe = shutil.which(cand)
        if exe is None or Path(exe).resolve() == Path(sys.executable).resolve():
            continue
        env = {**os.environ, "PYTHONPATH": _SITE}
        ok = subprocess.run([exe, "-c", "import cryptography, scapy.layers.tls.all"],
                            capture_output=True, env=env, timeout=120)
        if ok.returncode == 0:
            return exe
    return None


def scapy_tls(jobs: list[tuple[str, str]]) -> list[Any]:
    """Scapy's answers for ``jobs``: ``("build", expr)`` gives the hex of ``bytes(expr)``,
    ``("dissect", hex)`` the messages of ``TLS(bytes)`` with their fields, ``("show", hex)``
    the text of ``TLS(bytes).show()``."""
    import pytest

    exe = _python()
    if exe is None:
        pytest.skip("no Python with cryptography to run Scapy's TLS")
    env = {**os.environ, "PYTHONPATH": _SITE}
    res = subprocess.run([exe, "-c", _SCRIPT], input=json.dumps(jobs), capture_output=True,
                         text=True, env=env, timeout=300, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]

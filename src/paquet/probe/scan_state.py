"""A scan's state file: where a scan stands (its seed, position and answers), saved as it goes
so that it can be resumed or merged, and read back checked. (``json``, ``base64``, ``zlib``
and ``pathlib`` are imported by the functions that need them: a scan without a state file
starts without them.)
"""

from __future__ import annotations

import os
from _blake2 import blake2b  # (not hashlib: its import loads OpenSSL)
from collections.abc import Sequence

from paquet.errors import PaquetError
from paquet.probe.scan_results import _compress_ports

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

__all__ = [
    "load_state",
]


def _default_seed(hosts: Sequence[str], ports: Sequence[int], kind: str) -> int:
    h = blake2b(digest_size=8)
    h.update(kind.encode() + b"|" + ",".join(hosts).encode() + b"|" + _compress_ports(ports)
             .encode())
    return int.from_bytes(h.digest(), "big")


def _save_state(path: Path, data: dict[str, object]) -> None:
    import json

    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(data))
        os.replace(tmp, path)
    except OSError as exc:
        raise PaquetError(f"cannot write state file {path}: {exc.strerror or exc}") from None


def _check_state_path(path: str | Path) -> None:
    """Refuse, before anything is sent, a state file that could never be written."""
    from pathlib import Path

    target = Path(path)
    if str(path) == "" or target.is_dir():
        raise PaquetError(f"state file {str(path)!r} is a directory, not a file")
    parent = target.parent
    if not parent.is_dir():
        raise PaquetError(f"cannot write state file {path}: no directory {parent}")
    if not os.access(parent, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise PaquetError(f"cannot write state file {path}: permission denied")


_STATE_FIELDS: dict[str, type | tuple[type, ...]] = {
    "targets": list, "ports": list, "kind": str, "seed": int, "shard": list, "up": list,
    "position": int, "codes": str, "ttls": str,
}


def _pack_bytes(data: bytearray) -> str:
    """One byte per probe, compressed and base64-encoded for the JSON state file."""
    import base64
    import zlib

    return base64.b64encode(zlib.compress(bytes(data), 1)).decode()


def _unpack_bytes(text: str) -> bytes:
    import base64
    import zlib

    try:
        return zlib.decompress(base64.b64decode(text))
    except (ValueError, zlib.error):
        raise PaquetError("damaged scan state file") from None


def load_state(path: str | Path) -> dict[str, Any]:
    """Read a scan state file written by ``scan(..., state_file=...)``."""
    import json
    from pathlib import Path

    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise PaquetError(f"no such state file: {path}") from None
    except (OSError, ValueError) as exc:
        raise PaquetError(f"cannot read state file {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != "paquet-scan-state/2":
        raise PaquetError(f"{path} is not a paquet scan state file")
    for key, kind in _STATE_FIELDS.items():
        value = data.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise PaquetError(f"damaged scan state file {path}: bad or missing {key!r}")
    shard = data["shard"]
    if (len(shard) != 2 or not all(isinstance(v, int) for v in shard)
            or not 1 <= shard[0] <= shard[1]):
        raise PaquetError(f"damaged scan state file {path}: bad 'shard'")
    if not all(isinstance(p, int) and 0 <= p <= 65535 for p in data["ports"]) or not all(
            isinstance(h, str) for h in (*data["targets"], *data["up"])):
        raise PaquetError(f"damaged scan state file {path}: bad targets or ports")
    if not 0 <= data["seed"] < 2**64 or data["position"] < 0:
        raise PaquetError(f"damaged scan state file {path}: bad 'seed' or 'position'")
    return data

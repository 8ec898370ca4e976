"""Shared rendering for the commands: a rich console, JSON output, one-line errors."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console


def console() -> Console:
    """A console on stdout; colour only when stdout is a terminal (and NO_COLOR is unset).

    Emoji codes are off: ``:a:`` inside an IPv6 address must print as itself.
    """
    return Console(highlight=False, soft_wrap=True, emoji=False)


def print_json(data: Any) -> None:
    """Print ``data`` as indented JSON on stdout (non-JSON values through ``str``)."""
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


def print_ndjson(data: Any) -> None:
    """Print one JSON object on one line (NDJSON), flushed so streams are live."""
    sys.stdout.write(json.dumps(data, default=str, ensure_ascii=False) + "\n")
    sys.stdout.flush()

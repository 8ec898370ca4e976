"""Fixtures of the network tests (the helpers live in ``pqnet_helpers``)."""

from __future__ import annotations

from pqnet_helpers import net

__all__ = ["net"]

"""The routing protocols' tests' names for the helpers of :mod:`tests.layers.scapy_compare`
(kept for the tests that still import them from here)."""

from __future__ import annotations

from .scapy_compare import Spec, assert_same_layers, needs_tshark, values
from .scapy_compare import build_stack as build
from .scapy_compare import flipped_cuts as cuts
from .scapy_compare import tshark_pairs as tshark_layers

__all__ = ["Spec", "assert_same_layers", "build", "cuts", "needs_tshark", "tshark_layers",
           "values"]

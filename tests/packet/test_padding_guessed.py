"""A layer whose ``guess_payload_class`` says ``Padding`` (Scapy's idiom for bytes after a
message) keeps those bytes when rebuilt, also in a program where no Padding was made before
(the engine skips looking for padding until one exists)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CODE = """
from paquet.packet.base import Packet, Padding
from paquet.packet.fields import ByteField
import scapy.all as S

class A(Packet):
    fields_desc = (ByteField("a", 0),)
    def guess_payload_class(self, payload):
        return Padding

class B(S.Packet):
    fields_desc = [S.ByteField("a", 0)]
    def guess_payload_class(self, payload):
        return S.Padding

data = bytes([1, 2, 3])
ours, theirs = A(data), B(data)
assert bytes(ours) == bytes(theirs) == data, (bytes(ours), bytes(theirs))
assert ours.summary() == "A / Padding" and bytes(ours[Padding]) == bytes(theirs[S.Padding])
"""


def test_guessed_padding_is_kept_in_a_fresh_program() -> None:
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    subprocess.run([sys.executable, "-c", CODE], check=True, timeout=120, env=env)

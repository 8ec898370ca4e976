"""Radius_am (PAP), offline: Access-Requests built by paquet, their User-Password hidden with
the shared secret, get an accept or a reject; tshark, given the secret, reads the password
back from the request and finds the reply's response authenticator valid. (Scapy's Radius_am
needs the cryptography package, absent here: its own campaign's vectors are what compares
the two, see the report.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.layers.scapy_compare import tshark_layers

from paquet.layers import IP, UDP, Ether
from paquet.layers.radius import Radius
from paquet.layers.radius_attributes import (
    RadiusAttr_Message_Authenticator,
    RadiusAttr_User_Name,
    RadiusAttr_User_Password,
)
from paquet.net.radius_am import Radius_am

SECRET = "t0ps3cret"
AUTH = bytes(range(16))


def _request(user: str, password: str, ident: int = 7) -> Any:
    rad = Radius(code=1, id=ident, authenticator=AUTH)
    rad.attributes = [RadiusAttr_User_Name(value=user),
                      RadiusAttr_User_Password.encrypt(rad, password, SECRET.encode())]
    return Ether(bytes(Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(
        src="192.0.2.10", dst="192.0.2.1") / UDP(sport=40000, dport=1812) / rad))


CASES = [("alice", "wonderland", 2), ("alice", "looking-glass", 3), ("bob", "x", 3),
         ("alice", "w" * 40, 3)]


@pytest.mark.parametrize(("user", "password", "code"), CASES)
def test_pap_accepts_and_rejects(user: str, password: str, code: int) -> None:
    am = Radius_am(secret=SECRET, IDENTITIES={"alice": "wonderland"}, servicetype=2)
    req = _request(user, password)
    assert am.is_request(req)
    reply = IP(bytes(am.make_reply(req)))
    rad = reply[Radius]
    assert (rad.code, rad.id) == (code, 7)
    assert (reply[IP].dst, reply[UDP].dport) == ("192.0.2.10", 40000)
    assert isinstance(rad.attributes[0], RadiusAttr_Message_Authenticator)
    assert [a.type for a in rad.attributes[1:]] == ([6] if code == 2 else [])


@pytest.mark.skipif(shutil.which("tshark") is None, reason="needs tshark")
def test_tshark_validates_the_exchange(tmp_path: Path) -> None:
    am = Radius_am(secret=SECRET, IDENTITIES={"alice": "wonderland"})
    frames = []
    for user, password, _code in CASES:
        req = _request(user, password)
        frames += [req, Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01") / am.make_reply(
            req)]
    layers = [t["radius"] for t in tshark_layers(
        tmp_path, frames, "-o", f"radius.shared_secret:{SECRET}", "-o",
        "radius.validate_authenticator:TRUE")]
    for (user, password, _code), req, rep in zip(CASES, layers[::2], layers[1::2],
                                                  strict=True):
        text = json.dumps(req)
        assert f'"radius.User_Name": "{user}"' in text
        assert f'"radius.User_Password": "{password}"' in text  # our hiding, read back
        valid = rep["radius.authenticator_tree"]
        assert (valid["radius.authenticator.valid"], valid["radius.authenticator.invalid"]) \
            == ("1", "0")  # the response authenticator, computed with the secret

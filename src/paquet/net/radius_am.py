"""The RADIUS answering machine (Scapy 2.8's ``Radius_am``, ``radiusd``): a tiny RADIUS
server answering Access-Requests on UDP port 1812, for setting up a switch or an access point
in a lab: ``secret`` the shared secret, ``IDENTITIES`` ``{"user": "password"}`` checked by
PAP (User-Password), ``servicetype`` and ``extra_attributes`` added to an accept. The reply
carries a Message-Authenticator (RFC 3579) and the response authenticator (RFC 2865).

MS-CHAPv2 (MD4 and DES) is not implemented here: such a request is rejected, with a warning.
As Scapy's, a request without a method this machine knows (EAP...) is accepted, with a warning.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from paquet.layers import IP, UDP
from paquet.layers.radius import Radius
from paquet.layers.radius_attributes import (
    RadiusAttr_Message_Authenticator,
    RadiusAttr_Vendor_Specific,
)
from paquet.layers.radius_attributes import (
    __getattr__ as _typed_attribute,
)
from paquet.net.answering import AnsweringMachine
from paquet.net.sendrecv import send
from paquet.packet.base import Packet

__all__ = ["Radius_am", "radiusd"]

log = logging.getLogger("paquet.radius_am")


class Radius_am(AnsweringMachine):
    """A RADIUS server for labs (``radiusd``, Scapy's ``Radius_am``); see the module's text.

    >>> Radius_am(secret="s3cret", IDENTITIES={"alice": "pw"}).IDENTITIES
    {'alice': b'pw'}
    """

    function_name = "radiusd"
    filter = "udp and port 1812"
    send_function = staticmethod(send)
    send_options_list: ClassVar[list[str]] = ["inter", "verbose"]

    def parse_options(self, secret: Any = None, IDENTITIES: dict[str, Any] | None = None,
                      IDENTITIES_MSCHAPv2: dict[str, bytes] | None = None,
                      servicetype: int | None = None, mschapdomain: Any = None,
                      extra_attributes: list[Any] | None = None) -> None:
        """``secret`` the shared secret; ``IDENTITIES`` the users' passwords (PAP);
        ``IDENTITIES_MSCHAPv2`` kept for Scapy's signature (MS-CHAPv2 is not implemented);
        ``servicetype`` a Service-Type to answer; ``extra_attributes`` added to an accept."""
        if secret is None:
            raise ValueError("Radius_am needs the shared secret (secret=...)")
        self.secret = secret.encode() if isinstance(secret, str) else bytes(secret)
        self.servicetype = servicetype
        self.mschapdomain = mschapdomain
        self.extra_attributes = list(extra_attributes or [])
        self.IDENTITIES = {user: pwd.encode() if isinstance(pwd, str) else bytes(pwd)
                           for user, pwd in (IDENTITIES or {}).items()}
        self.IDENTITIES_MSCHAPv2 = IDENTITIES_MSCHAPv2

    def is_request(self, req: Packet) -> bool:
        """An Access-Request."""
        return Radius in req and req[Radius].code == 1

    def print_reply(self, req: Packet, reply: Any) -> None:
        print(f"{reply[IP].dst} / {req[Radius].summary()} -> "
              f"{reply.sprintf('%Radius.code%')}")

    def _check(self, req: Any, attrs: dict[Any, Any]) -> int:
        """The reply's code: 2 (accept) or 3 (reject)."""
        if 2 in attrs:  # PAP
            if not self.IDENTITIES:
                log.warning("Missing IDENTITIES for User-Password auth ! Assuming OK.")
                return 2
            user = bytes(attrs[1].value).decode(errors="replace") if 1 in attrs else ""
            known = self.IDENTITIES.get(user)
            if known is None:
                log.warning("Couldn't find user '%s'", user)
                return 3
            if attrs[2].decrypt(req, self.secret) != known:
                log.warning("Bad password for user '%s'", user)
                return 3
            return 2
        if 79 in attrs:
            log.warning("EAP as a Radius auth method is not implemented !")
            return 2
        if (311, 25) in attrs:
            log.warning("MS-CHAPv2 is not implemented here: rejected")
            return 3
        log.warning("Authentication method not provided or unsupported !")
        return 2

    def make_reply(self, req: Packet) -> Packet:
        """The Access-Accept or Access-Reject, authenticated with the shared secret."""
        request = req[Radius]
        attrs = {((x.vendor_id, x.vendor_type) if isinstance(x, RadiusAttr_Vendor_Specific)
                  else x.type): x for x in request.attributes}
        rad = Radius(code=self._check(request, attrs), id=request.id)
        if rad.code == 2:
            if self.servicetype is not None:
                rad.attributes.append(_typed_attribute("RadiusAttr_Service_Type")(
                    value=self.servicetype))
            rad.attributes.extend(self.extra_attributes)
        mauth = RadiusAttr_Message_Authenticator()
        rad.attributes.insert(0, mauth)
        mauth.value = mauth.compute_message_authenticator(rad, request.authenticator,
                                                          self.secret)
        rad.authenticator = rad.compute_authenticator(request.authenticator, self.secret)
        return IP(src=req[IP].dst, dst=req[IP].src) / UDP(
            sport=req[UDP].dport, dport=req[UDP].sport) / rad


def radiusd(*args: Any, **kwargs: Any) -> None:
    """Run :class:`Radius_am` in the foreground (Scapy's ``radiusd``)."""
    Radius_am(*args, **kwargs)()

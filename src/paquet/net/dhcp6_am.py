"""A DHCPv6 server for exercises (Scapy's ``DHCPv6_am``, run by ``dhcp6d``): stateless.

It answers a Solicit with an Advertise (its preference, its DUID, the options the client asked
for among those it was given: DNS servers and domains, SNTP, SIP, NIS, NIS+, BCMCS) or, when
the Solicit asks for rapid commit, with a Reply; a Request or an Information-request with a
Reply. Like Scapy's, it assigns neither addresses nor prefixes: a Solicit for an IA_NA, IA_TA
or IA_PD gets an Advertise whose status says so (NoAddrsAvail, NoPrefixAvail). Requests,
Renews and Releases must name its DUID; Confirm, Rebind, Renew, Release and Decline get no
answer.

>>> from paquet import DHCP6_Solicit, DHCP6OptDNSServers, DUID_LL
>>> am = DHCPv6_am(duid=DUID_LL(lladdr="02:00:00:00:00:53"), dns="2001:db8::53",
...                domain="lab.example", iface="lo")
>>> sol = (IPv6(src="fe80::1", dst="ff02::1:2") / UDP() / DHCP6_Solicit(trid=7)
...        / DHCP6OptClientId(duid=DUID_LL(lladdr="02:00:00:00:00:01")) / DHCP6OptOptReq())
>>> am.is_request(sol)
True
>>> adv = am.make_reply(sol)
>>> adv[DHCP6_Advertise].trid, adv[DHCP6OptDNSServers].dnsservers, adv[UDP].dport
(7, ['2001:db8::53'], 546)
"""

from __future__ import annotations

import sys
import time
from typing import Any

from paquet.layers.dhcp6 import (
    DHCP6,
    DHCP6_Advertise,
    DHCP6_Reply,
)
from paquet.layers.dhcp6_options import (
    DUID_LLT,
    DHCP6OptClientId,
    DHCP6OptIA_NA,
    DHCP6OptIA_TA,
    DHCP6OptIAAddress,
    DHCP6OptOptReq,
    DHCP6OptPref,
    DHCP6OptRapidCommit,
    DHCP6OptReconfAccept,
    DHCP6OptServerId,
    DHCP6OptStatusCode,
)
from paquet.layers.dhcp6_options_ext import (
    DHCP6OptBCMCSDomains,
    DHCP6OptBCMCSServers,
    DHCP6OptDNSDomains,
    DHCP6OptDNSServers,
    DHCP6OptIA_PD,
    DHCP6OptNISDomain,
    DHCP6OptNISPDomain,
    DHCP6OptNISPServers,
    DHCP6OptNISServers,
    DHCP6OptSIPDomains,
    DHCP6OptSIPServers,
    DHCP6OptSNTPServers,
)
from paquet.layers.ipv6 import IPv6
from paquet.layers.udp import UDP
from paquet.net.answering import AnsweringMachine
from paquet.net.sendrecv import send
from paquet.packet.base import Packet
from paquet.themes import Color

__all__ = ["DHCPv6_am", "dhcp6d"]

#: Seconds from the Unix epoch to 2000-01-01 UTC, the epoch of a DUID-LLT's time.
_EPOCH_2000 = 946684800
#: The client messages the server looks at: Solicit, Request, Confirm, Renew, Rebind,
#: Release, Decline, Information-request.
_CLIENT_MESSAGES = (1, 3, 4, 5, 6, 8, 9, 11)

_USAGE = """
DHCPv6_am.parse_options(dns="2001:500::1035", domain="localdomain, local", duid=None,
        iface=conf.iface, advpref=255, sntpservers=None, sipdomains=None, sipservers=None,
        nisdomain=None, nisservers=None, nispdomain=None, nispservers=None,
        bcmcsdomains=None, bcmcsservers=None, debug=0)

   debug        print what the server receives and decides.
   duid         the server's DUID (DUID_LLT, DUID_LL or DUID_EN); by default a DUID_LLT of
                the interface's MAC address and the time the server starts.
   iface        the interface it listens and answers on (default conf.iface).
   advpref      the preference of its Advertise messages, 0 to 255 (255 by default, which
                makes a client take this server without waiting for others).
   dns          recursive DNS servers (RFC 3646), a list or a comma-separated string.
   domain       DNS search domains (RFC 3646).
   sntpservers  SNTP servers (RFC 4075).
   sipdomains, sipservers    SIP servers by name and by address (RFC 3319).
   nisdomain, nisservers     NIS domain and servers (RFC 3898).
   nispdomain, nispservers   NIS+ domain and servers (RFC 3898).
   bcmcsdomains, bcmcsservers  BCMCS controllers by name and by address (RFC 4280).

   An option left to None is not given to clients.
"""


def _warning(message: str) -> None:
    sys.stderr.write(f"WARNING: {message}\n")


def _norm_list(value: Any) -> list[str] | None:
    """A list option given as a list or as a comma-separated string (None stays None)."""
    if value is None:
        return None
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [x.strip() for x in value.split(",")]
    raise TypeError(f"expected a list or a comma-separated string, not {value!r}")


def _first(names: list[str]) -> str:
    return names[0] if names else ""


#: Keyword -> (option code, the option carrying the values).
_OPTIONS: dict[str, tuple[int, Any]] = {
    "dns": (23, lambda v: DHCP6OptDNSServers(dnsservers=v)),
    "domain": (24, lambda v: DHCP6OptDNSDomains(dnsdomains=v)),
    "sntpservers": (31, lambda v: DHCP6OptSNTPServers(sntpservers=v)),
    "sipservers": (22, lambda v: DHCP6OptSIPServers(sipservers=v)),
    "sipdomains": (21, lambda v: DHCP6OptSIPDomains(sipdomains=v)),
    "nisservers": (27, lambda v: DHCP6OptNISServers(nisservers=v)),
    "nisdomain": (29, lambda v: DHCP6OptNISDomain(nisdomain=_first(v))),
    "nispservers": (28, lambda v: DHCP6OptNISPServers(nispservers=v)),
    "nispdomain": (30, lambda v: DHCP6OptNISPDomain(nispdomain=_first(v))),
    "bcmcsservers": (34, lambda v: DHCP6OptBCMCSServers(bcmcsservers=v)),
    "bcmcsdomains": (33, lambda v: DHCP6OptBCMCSDomains(bcmcsdomains=v)),
}


def _message_name(msg: Packet) -> str:
    """``Solicit`` for "DHCPv6 Solicit Message"."""
    text = msg.name
    text = text[7:] if text.startswith("DHCPv6 ") else text
    return text[:-8] if text.endswith(" Message") else text


class DHCPv6_am(AnsweringMachine):
    """A stateless DHCPv6 server (Scapy's ``DHCPv6_am``, ``dhcp6d``): see the module's text
    and :meth:`usage` for its options."""

    function_name = "dhcp6d"
    filter = "udp and port 546 and port 547"
    send_function = staticmethod(send)

    def usage(self) -> None:
        """Print the options of :meth:`parse_options`."""
        print(_USAGE)

    def parse_options(self, dns: Any = "2001:500::1035", domain: Any = "localdomain, local",
                      startip: str = "2001:db8::1", endip: str = "2001:db8::20",
                      duid: Packet | None = None, sntpservers: Any = None,
                      sipdomains: Any = None, sipservers: Any = None, nisdomain: Any = None,
                      nisservers: Any = None, nispdomain: Any = None, nispservers: Any = None,
                      bcmcsservers: Any = None, bcmcsdomains: Any = None,
                      iface: str | None = None, debug: int = 0, advpref: int = 255) -> None:
        """The server's configuration (Scapy's keywords; see :meth:`usage`)."""
        from paquet.net.conf import conf

        given = {"dns": dns, "domain": domain, "sntpservers": sntpservers,
                 "sipservers": sipservers, "sipdomains": sipdomains, "nisservers": nisservers,
                 "nisdomain": nisdomain, "nispservers": nispservers, "nispdomain": nispdomain,
                 "bcmcsservers": bcmcsservers, "bcmcsdomains": bcmcsdomains}
        if iface is None:
            iface = conf.iface
        self.debug = debug
        self.dhcpv6_options: dict[int, Packet] = {}
        for key, value in given.items():
            values = _norm_list(value)
            if values is not None:
                code, make = _OPTIONS[key]
                self.dhcpv6_options[code] = make(values)
        if self.debug:
            print("\n[+] List of active DHCPv6 options:")
            for code in sorted(self.dhcpv6_options):
                print(f"    {code}: {self.dhcpv6_options[code]!r}")
        self.advpref = advpref
        self.startip = startip
        self.endip = endip
        self.iface = iface
        self.duid = duid if duid is not None else self._default_duid(str(iface))
        if self.debug:
            print("\n[+] Our server DUID:")
            self.duid.show(label_lvl=" " * 4)
        self.src_addr = self._link_local(str(iface))
        self.leases: dict[Any, Any] = {}
        if self.debug:
            print(f"\n[+] Starting DHCPv6 service on {self.iface}:")

    @staticmethod
    def _default_duid(iface: str) -> Packet:
        """A DUID-LLT of ``iface``'s MAC address and the present time."""
        from paquet.net.interfaces import get_if_hwaddr

        try:
            mac = get_if_hwaddr(iface)
        except Exception:  # no such interface: a DUID all the same
            mac = "00:00:00:00:00:00"
        return DUID_LLT(timeval=int(time.time()) - _EPOCH_2000, lladdr=mac)

    @staticmethod
    def _link_local(iface: str) -> str | None:
        """The link-local address of ``iface`` replies come from (None, with a warning)."""
        from paquet.net.interfaces import in6_getifaddr
        from paquet.utils6 import in6_islladdr

        try:
            for addr, _scope, name in in6_getifaddr():
                if name == iface and in6_islladdr(addr):
                    return addr
        except (OSError, RuntimeError):
            pass
        _warning("Unable to get a Link-Local address")
        return None

    def _ours(self, msg: Packet) -> bool:
        """Whether the message's Server Identifier is this server's DUID."""
        duid = msg[DHCP6OptServerId].duid
        return isinstance(duid, type(self.duid)) and bytes(duid) == bytes(self.duid)

    def is_request(self, req: Packet) -> bool:
        """A client message the server answers (RFC 8415 §16's checks, as Scapy's)."""
        if IPv6 not in req:
            return False
        src = req[IPv6].src
        udp = req[IPv6].payload
        if not isinstance(udp, UDP) or udp.sport != 546 or udp.dport != 547:
            return False
        msg = udp.payload
        if not isinstance(msg, DHCP6) or msg.msgtype not in _CLIENT_MESSAGES:
            return False
        kind = int(msg.msgtype)
        if kind in (1, 4, 6):  # Solicit, Confirm, Rebind: a client id, no server id
            if DHCP6OptClientId not in msg or DHCP6OptServerId in msg:
                return False
            return kind == 1  # (no address assignment: no Confirm nor Rebind)
        if kind in (3, 5, 8):  # Request, Renew, Release: both ids, the server's ours
            if DHCP6OptServerId not in msg or DHCP6OptClientId not in msg:
                return False
            if not self._ours(msg):
                return False
            return kind == 3
        if kind == 9:  # Decline: logged, never answered
            if self.debug:
                addrs = [o.addr for ia in msg.iterlayers()
                         if isinstance(ia, DHCP6OptIA_NA | DHCP6OptIA_TA)
                         for o in (ia.ianaopts if isinstance(ia, DHCP6OptIA_NA)
                                   else ia.iataopts)
                         if isinstance(o, DHCP6OptIAAddress)]
                print(f"{Color.red}[DEBUG]{Color.normal} Received {Color.green}Decline"
                      f"{Color.normal} from {src} for {', '.join(addrs)}")
            return False
        # Information-request
        if DHCP6OptServerId in msg and not self._ours(msg):
            return False
        return not (DHCP6OptIA_NA in msg or DHCP6OptIA_TA in msg or DHCP6OptIA_PD in msg)

    def print_reply(self, req: Packet, reply: Any) -> None:
        """Print ``Sent Advertise answering to Solicit from ADDRESS``."""
        if reply is None:
            return
        reqtype = _message_name(req[UDP].payload)
        reptype = _message_name(reply[UDP].payload)
        print(f"Sent {reptype} answering to {reqtype} from {req[IPv6].src}")

    def _requested(self, query: Packet) -> list[Packet]:
        """The options the client asked for (all of them without an Option Request)."""
        if DHCP6OptOptReq in query:
            wanted = query[DHCP6OptOptReq].reqopts
            return [o for code, o in self.dhcpv6_options.items() if code in wanted]
        return list(self.dhcpv6_options.values())

    def make_reply(self, req: Packet) -> Packet | None:
        """The answer to a client message (see the module's text), or None."""
        msg = req[IPv6].payload.payload
        kind, trid = msg.msgtype, msg.trid
        resp = IPv6(src=self.src_addr, dst=req[IPv6].src) / UDP(sport=547, dport=546)
        server = DHCP6OptServerId(duid=self.duid)
        if kind == 1:  # Solicit
            client = DHCP6OptClientId(duid=msg[DHCP6OptClientId].duid)
            if DHCP6OptRapidCommit in msg:
                return resp / DHCP6_Reply(trid=trid) / DHCP6OptRapidCommit() / server / client
            if DHCP6OptIA_NA in msg or DHCP6OptIA_TA in msg:
                status = DHCP6OptStatusCode(
                    statuscode=2, statusmsg="paquet dhcp6d does not support address assignment")
                return resp / DHCP6_Advertise(trid=trid) / status / server / client
            if DHCP6OptIA_PD in msg:
                status = DHCP6OptStatusCode(
                    statuscode=6, statusmsg="paquet dhcp6d does not support prefix assignment")
                return resp / DHCP6_Advertise(trid=trid) / status / server / client
            out = (resp / DHCP6_Advertise(trid=trid) / DHCP6OptPref(prefval=self.advpref)
                   / server / client / DHCP6OptReconfAccept())
            for opt in self._requested(msg):
                out = out / opt
            return out
        if kind == 3:  # Request
            client = DHCP6OptClientId(duid=msg[DHCP6OptClientId].duid)
            out = resp / DHCP6_Reply(trid=trid) / server / client
            for opt in self._requested(msg):
                out = out / opt
            return out
        if kind == 11:  # Information-request
            out = resp / DHCP6_Reply(trid=trid) / server
            if DHCP6OptClientId in msg:
                out = out / DHCP6OptClientId(duid=msg[DHCP6OptClientId].duid)
            elif self.debug:
                _warning("Received Info Request message without Client Id option")
            for opt in self.dhcpv6_options.values():
                out = out / opt
            return out
        return None


def dhcp6d(*args: Any, **kwargs: Any) -> None:
    """Run a :class:`DHCPv6_am` (Scapy's ``dhcp6d``)."""
    DHCPv6_am(*args, **kwargs)()

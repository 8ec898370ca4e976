"""Answering machines (Scapy's ``AnsweringMachine``): sniff, pick the requests, send replies.

A machine is a class: ``filter`` (a tcpdump expression given to sniff), ``is_request(pkt)``,
``make_reply(pkt)`` (a packet, a list, or None), ``parse_options(...)`` (its own keyword
options), ``print_reply``, ``send_reply`` and ``send_function`` (``sendp`` by default). The
keyword arguments given to the class or to the call are split, as Scapy does, between sniff
(``sniff_options_list``: ``iface``, ``count``, ``filter``, ``store``, ``prn``, ``timeout``,
``stop_filter``, ``promisc``...), the send function (``send_options_list``: ``iface``,
``inter``, ``loop``, ``verbose``, ``socket``) and ``parse_options``.

Calling the instance runs it in the foreground until count, timeout or Ctrl-C (``run()`` is
Scapy's older name); ``bg()`` runs it in the background and returns the ``AsyncSniffer``;
``stop()`` ends a background run. A class with a ``function_name`` also gets a function of that
name (``farpd``, ``icmpechod``) that builds the machine and runs it.

Two machines come with this module: :class:`ARP_am` (``farpd``: answers ARP requests, for
proxy ARP or spoofing exercises) and :class:`ICMPEcho_am` (``icmpechod``: answers pings).

>>> am = ICMPEcho_am()
>>> req = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(
...     src="192.0.2.1", dst="192.0.2.2") / ICMP()
>>> am.is_request(req)
True
>>> am.make_reply(req).summary()
'Ether / IP / ICMP 192.0.2.2 > 192.0.2.1 echo-reply 0'
"""

from __future__ import annotations

import contextlib
import inspect
import sys
from collections.abc import Callable
from typing import Any, ClassVar

from paquet.generators import Net
from paquet.layers import ARP, ICMP, IP, Ether
from paquet.net.sendrecv import sendp
from paquet.net.sniff import AsyncSniffer, sniff
from paquet.packet.base import Packet
from paquet.plist import PacketList

__all__ = ["ARP_am", "AnsweringMachine", "ICMPEcho_am", "farpd", "icmpechod"]


def _runner(cls: type[AnsweringMachine]) -> Callable[..., None]:
    def run(*args: Any, **kwargs: Any) -> None:
        cls(*args, **kwargs)()

    run.__name__ = run.__qualname__ = cls.function_name
    run.__doc__ = cls.__doc__ or cls.parse_options.__doc__
    return run


class _ReferenceAM(type):
    """Gives each machine class the signature of its ``parse_options`` and, when it has a
    ``function_name``, a module-level function of that name (Scapy's ``farpd`` and others)."""

    def __new__(mcs, name: str, bases: tuple[type, ...], dct: dict[str, Any]) -> Any:
        cls = super().__new__(mcs, name, bases, dct)
        with contextlib.suppress(TypeError, ValueError):
            cls.__signature__ = inspect.signature(cls.parse_options)  # type: ignore[attr-defined]
        if cls.function_name:  # type: ignore[attr-defined]
            # In the machine's own module (dnsd in paquet.net.dns_am), unless it defines one.
            run = _runner(cls)  # type: ignore[arg-type]
            run.__module__ = cls.__module__
            module = sys.modules.get(cls.__module__)
            if module is not None:
                vars(module).setdefault(cls.function_name, run)  # type: ignore[attr-defined]
        return cls


class AnsweringMachine(metaclass=_ReferenceAM):
    """The base of answering machines (Scapy's): subclass it, set ``filter`` and
    ``function_name``, define ``is_request`` and ``make_reply`` (see the module's text)."""

    function_name: ClassVar[str] = ""
    filter: ClassVar[str | None] = None
    sniff_options: ClassVar[dict[str, Any]] = {"store": 0}
    sniff_options_list: ClassVar[list[str]] = [
        "store", "iface", "count", "promisc", "filter", "type", "prn", "stop_filter",
        "opened_socket", "timeout", "netns", "started_callback", "lfilter",
    ]
    send_options: ClassVar[dict[str, Any]] = {"verbose": 0}
    send_options_list: ClassVar[list[str]] = ["iface", "inter", "loop", "verbose", "socket"]
    send_function: Callable[..., Any] = staticmethod(sendp)

    def __init__(self, **kargs: Any) -> None:
        self.__dict__["mode"] = 0
        from paquet.net.conf import conf

        self.verbose = kargs.get("verbose", conf.verb >= 0)
        if self.filter:
            kargs.setdefault("filter", self.filter)
        kargs.setdefault("prn", self.reply)
        self.optam0: dict[str, Any] = {}
        self.optam1: dict[str, Any] = {}
        self.optam2: dict[str, Any] = {}
        doptsend, doptsniff = self.parse_all_options(1, kargs)
        self.defoptsend = {**self.send_options, **doptsend}
        self.defoptsniff = {**self.sniff_options, **doptsniff}
        self.optsend: dict[str, Any] = {}
        self.optsniff: dict[str, Any] = {}
        self.sniffer: AsyncSniffer | None = None

    def __getattr__(self, attr: str) -> Any:
        for dct in (self.__dict__.get("optam2", {}), self.__dict__.get("optam1", {})):
            if attr in dct:
                return dct[attr]
        raise AttributeError(attr)

    def __setattr__(self, attr: str, val: Any) -> None:
        mode = self.__dict__.get("mode", 0)
        if mode == 0:
            self.__dict__[attr] = val
        else:
            (self.optam1, self.optam2)[mode - 1][attr] = val

    def parse_options(self) -> None:
        """The machine's own keyword options (none here): subclasses define theirs."""

    def parse_all_options(self, mode: int, kargs: dict[str, Any]) -> tuple[
            dict[str, Any], dict[str, Any]]:
        """Split ``kargs`` into (send options, sniff options); the rest goes to
        ``parse_options`` (``mode`` 1: the class's defaults, 2: one run's)."""
        sniffopt: dict[str, Any] = {}
        sendopt: dict[str, Any] = {}
        for k in list(kargs):
            if k in self.sniff_options_list:
                sniffopt[k] = kargs[k]
            if k in self.send_options_list:
                sendopt[k] = kargs[k]
            if k in self.sniff_options_list or k in self.send_options_list:
                del kargs[k]
        if mode != 2 or kargs:
            if mode == 1:
                self.optam0 = kargs
            elif mode == 2 and kargs:
                kargs = {**self.optam0, **kargs}
            omode = self.__dict__.get("mode", 0)
            self.__dict__["mode"] = mode
            try:
                self.parse_options(**kargs)
            finally:
                self.__dict__["mode"] = omode
        return sendopt, sniffopt

    def is_request(self, req: Packet) -> bool:
        """Whether ``req`` asks for a reply (every packet, here)."""
        return True

    def make_reply(self, req: Packet) -> Any:
        """The reply to ``req`` (a packet or a list), or None; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} must define make_reply()")

    def send_reply(self, reply: Any, send_function: Callable[..., Any] | None = None) -> None:
        """Send ``reply`` (with ``send_function`` when given, else the machine's own)."""
        if send_function is not None:
            send_function(reply)
        else:
            self.send_function(reply, **self.optsend)

    def print_reply(self, req: Packet, reply: Any) -> None:
        """Print ``request ==> reply`` (Scapy's line)."""
        if isinstance(reply, PacketList):
            print(f"{req.summary()} ==> {[r.summary() for r in reply]}")
        else:
            print(f"{req.summary()} ==> {reply.summary()}")

    def reply(self, pkt: Packet, send_function: Callable[..., Any] | None = None,
              address: Any = None) -> None:
        """Answer ``pkt`` if it is a request (sniff's ``prn``)."""
        if not self.is_request(pkt):
            return
        reply = (self.make_reply(pkt, address=address)  # type: ignore[call-arg]
                 if address else self.make_reply(pkt))
        if not reply:
            return
        if send_function is not None:
            self.send_reply(reply, send_function=send_function)
        else:
            self.send_reply(reply)
        if self.verbose:
            self.print_reply(pkt, reply)

    def run(self, *args: Any, **kargs: Any) -> None:
        """Run in the foreground (Scapy's older name for calling the machine)."""
        self(*args, **kargs)

    def bg(self, *args: Any, **kwargs: Any) -> AsyncSniffer:
        """Run in the background; the ``AsyncSniffer`` (``stop()`` ends it)."""
        kwargs.setdefault("bg", True)
        self(*args, **kwargs)
        assert self.sniffer is not None
        return self.sniffer

    def stop(self) -> None:
        """End a background run (nothing when none runs)."""
        if self.sniffer is not None and self.sniffer.running:
            self.sniffer.stop()

    def __call__(self, *args: Any, **kargs: Any) -> None:
        bg = kargs.pop("bg", False)
        optsend, optsniff = self.parse_all_options(2, kargs)
        self.optsend = {**self.defoptsend, **optsend}
        self.optsniff = {**self.defoptsniff, **optsniff}
        if bg:
            self.sniff_bg()
        else:
            try:
                self.sniff()
            except KeyboardInterrupt:
                print("Interrupted by user")

    def _sniff_kwargs(self) -> dict[str, Any]:
        from paquet.net.sniff import _sniff_signature

        known = _sniff_signature().parameters
        out = {k: v for k, v in self.optsniff.items() if k in known}
        out["store"] = bool(out.get("store", False))
        return out

    def sniff(self) -> None:
        """Capture and answer (the foreground run)."""
        sniff(**self._sniff_kwargs())

    def sniff_bg(self) -> None:
        """Start the background capture (``self.sniffer``)."""
        self.sniffer = AsyncSniffer(**self._sniff_kwargs())
        self.sniffer.start()


class ARP_am(AnsweringMachine):
    """Fake ARP relay daemon (``farpd``, Scapy's ``ARP_am``): answers ARP requests.

    ``IP_addr`` (an address or network, default any) the addresses asked about that are
    answered; ``from_ip`` only requests from those; ``ARP_addr`` the MAC address given (default
    the sending interface's). ``iface`` answers on that interface (default the route's towards
    the asker); ``inter`` spaces the replies.
    """

    function_name = "farpd"
    filter = "arp"
    send_function = staticmethod(sendp)

    def parse_options(self, IP_addr: Any = None, ARP_addr: str | None = None,
                      from_ip: Any = None) -> None:
        self.IP_addr = Net(IP_addr) if isinstance(IP_addr, str) else IP_addr
        self.from_ip = Net(from_ip) if isinstance(from_ip, str) else from_ip
        self.ARP_addr = ARP_addr

    def is_request(self, req: Packet) -> bool:
        if ARP not in req:
            return False
        arp = req[ARP]
        return bool(
            arp.op == 1
            and (self.IP_addr is None or arp.pdst in self.IP_addr)
            and (self.from_ip is None or arp.psrc in self.from_ip)
        )

    def make_reply(self, req: Packet) -> Packet:
        from paquet.net.conf import conf
        from paquet.net.interfaces import get_if_hwaddr

        arp = req[ARP]
        iff = self.optsend.get("iface")
        if iff is None:
            iff = conf.route.route(arp.psrc)[0]
        self.iff = iff
        mac = self.ARP_addr
        if mac is None:
            try:
                mac = get_if_hwaddr(iff)
            except Exception:
                mac = "00:00:00:00:00:00"
        return Ether(dst=req[Ether].src, src=mac) / ARP(
            op="is-at", hwsrc=mac, psrc=arp.pdst, hwdst=arp.hwsrc, pdst=arp.psrc
        )

    def send_reply(self, reply: Any, send_function: Callable[..., Any] | None = None) -> None:
        if "iface" in self.optsend:
            self.send_function(reply, **self.optsend)
        else:
            self.send_function(reply, iface=self.iff, **self.optsend)

    def print_reply(self, req: Packet, reply: Any) -> None:
        print(f"{req.summary()} ==> {reply.summary()} on {self.iff}")


class ICMPEcho_am(AnsweringMachine):
    """Answers ICMP echo requests (``icmpechod``, Scapy's ``ICMPEcho_am``): the request sent
    back as an echo reply, addresses swapped."""

    function_name = "icmpechod"

    def is_request(self, req: Packet) -> bool:
        return ICMP in req and req[ICMP].type == 8

    def print_reply(self, req: Packet, reply: Any) -> None:
        print(f"Replying {reply[IP].dst} to {req[IP].dst}")

    def make_reply(self, req: Packet) -> Packet:
        reply = req.copy()
        reply[ICMP].type = 0
        reply[ICMP].chksum = None
        if IP in req:
            reply[IP].src, reply[IP].dst = req[IP].dst, req[IP].src
            reply[IP].chksum = None
        if Ether in req:
            eth = req[Ether]
            reply[Ether].src = None if eth.dst == "ff:ff:ff:ff:ff:ff" else eth.dst
            reply[Ether].dst = eth.src
        return reply


def farpd(*args: Any, **kwargs: Any) -> None:
    """Run an :class:`ARP_am` (Scapy's ``farpd``)."""
    ARP_am(*args, **kwargs)()


def icmpechod(*args: Any, **kwargs: Any) -> None:
    """Run an :class:`ICMPEcho_am` (Scapy's ``icmpechod``)."""
    ICMPEcho_am(*args, **kwargs)()

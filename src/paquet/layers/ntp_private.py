"""NTP mode 7: ntpd's private (``ntpdc``) messages, as Scapy dissects them.

``NTPPrivate`` is the header (response and more bits, version 2, mode 7, auth bit, sequence,
implementation, request code, error, item count and size); its items are the structures of
ntpd's ``ntp_request.h`` chosen by the request code (``NTPInfoPeerList``, ``NTPInfoSys``...),
in ``req_data`` for a request and ``data`` for a response; an authenticated request ends with
``NTPPrivatePktTail``. ``NTP(data)`` gives this class for mode 7 (:mod:`paquet.layers.ntp`).

>>> p = NTPPrivate(bytes.fromhex("97000304000100507f7f0100030b0000"))
>>> p.response, p.request_code, p.nb_items, p.data_item_size
(1, 4, 1, 80)
"""

from __future__ import annotations

from typing import Any

from paquet.layers.ntp import MODE_CLASSES, NTP, NTP_MODES, FixedPointField, TimeStampField
from paquet.packet.addrfields import IPField
from paquet.packet.base import Packet, Raw
from paquet.packet.enumfields import BitEnumField, ByteEnumField
from paquet.packet.fields import BitField, ByteField, IntField, ShortField, XByteField
from paquet.packet.flagfields import FlagsField
from paquet.packet.intfields import LEIntField, SignedByteField, XLEShortField
from paquet.packet.strfields import StrField, StrFixedLenField, XStrFixedLenField
from paquet.packet.structfields import (
    ConditionalField,
    FieldListField,
    PacketField,
    PacketListField,
    PadField,
)
from paquet.packet.valuefields import IP6Field

__all__ = [
    "NTPConfPeer", "NTPConfRestrict", "NTPConfTrap", "NTPConfUnpeer", "NTPInfoAuth",
    "NTPInfoControl", "NTPInfoIOStats", "NTPInfoIfStatsIPv4", "NTPInfoIfStatsIPv6",
    "NTPInfoKernel", "NTPInfoLoop", "NTPInfoMemStats", "NTPInfoMonitor1", "NTPInfoPeer",
    "NTPInfoPeerList", "NTPInfoPeerStats", "NTPInfoPeerSummary", "NTPInfoSys",
    "NTPInfoSysStats", "NTPInfoTimerStats", "NTPPrivate", "NTPPrivatePktTail",
    "NTPPrivateReqPacket",
]

_NTP_SHIFT = 8  # the clock filter's size (include/ntp.h)
_NTP_HASH_SIZE = 128
_REQ_TAIL = 28  # timestamp, key id, digest

_IMPLEMENTATIONS = {0: "IMPL_UNIV", 2: "IMPL_XNTPD_OLD", 3: "XNTPD"}
_ERRORS = {
    0: "no error", 1: "incompatible implementation number", 2: "unimplemented request code",
    3: "format error (wrong data items, data size, packet size etc.)",
    4: "no data available (e.g. request for details on unknown peer)",
    5: 'I don"t know', 6: 'I don"t know', 7: "authentication failure (i.e. permission denied)",
}
REQUEST_CODES = dict(enumerate((
    "REQ_PEER_LIST", "REQ_PEER_LIST_SUM", "REQ_PEER_INFO", "REQ_PEER_STATS", "REQ_SYS_INFO",
    "REQ_SYS_STATS", "REQ_IO_STATS", "REQ_MEM_STATS", "REQ_LOOP_INFO", "REQ_TIMER_STATS",
    "REQ_CONFIG", "REQ_UNCONFIG", "REQ_SET_SYS_FLAG", "REQ_CLR_SYS_FLAG", "REQ_MONITOR",
    "REQ_NOMONITOR", "REQ_GET_RESTRICT", "REQ_RESADDFLAGS", "REQ_RESSUBFLAGS",
    "REQ_UNRESTRICT", "REQ_MON_GETLIST", "REQ_RESET_STATS", "REQ_RESET_PEER",
    "REQ_REREAD_KEYS", "REQ_DO_DIRTY_HACK", "REQ_DONT_DIRTY_HACK", "REQ_TRUSTKEY",
    "REQ_UNTRUSTKEY", "REQ_AUTHINFO", "REQ_TRAPS", "REQ_ADD_TRAP", "REQ_CLR_TRAP",
    "REQ_REQUEST_KEY", "REQ_CONTROL_KEY", "REQ_GET_CTLSTATS", "REQ_GET_LEAPINFO",
    "REQ_GET_CLOCKINFO", "REQ_SET_CLKFUDGE", "REQ_GET_KERNEL", "REQ_GET_CLKBUGINFO",
)))
REQUEST_CODES.update({41: "REQ_SET_PRECISION", 42: "REQ_MON_GETLIST_1",
                      43: "REQ_HOSTNAME_ASSOCID", 44: "REQ_IF_STATS", 45: "REQ_IF_RELOAD"})
_PEER_FLAGS = ["INFO_FLAG_CONFIG", "INFO_FLAG_SYSPEER", "INFO_FLAG_BURST", "INFO_FLAG_REFCLOCK",
               "INFO_FLAG_PREFER", "INFO_FLAG_AUTHENABLE", "INFO_FLAG_SEL_CANDIDATE",
               "INFO_FLAG_SHORTLIST", "INFO_FLAG_IBURST"]
_SYS_FLAGS = ["INFO_FLAG_BCLIENT", "INFO_FLAG_AUTHENTICATE", "INFO_FLAG_NTP",
              "INFO_FLAG_KERNEL", "INFO_FLAG_CAL", "INFO_FLAG_PPS_SYNC", "INFO_FLAG_MONITOR",
              "INFO_FLAG_FILEGEN"]
_CONF_PEER_FLAGS = ["CONF_FLAG_AUTHENABLE", "CONF_FLAG_PREFER", "CONF_FLAG_BURST",
                    "CONF_FLAG_IBURST", "CONF_FLAG_NOSELECT", "CONF_FLAG_SKEY"]
_RESTRICT_FLAGS = ["RES_IGNORE", "RES_DONTSERVE", "RES_DONTTRUST", "RES_VERSION", "RES_NOPEER",
                   "RES_LIMITED", "RES_NOQUERY", "RES_NOMODIFY", "RES_NOTRAP", "RES_LPTRAP",
                   "RES_KOD", "RES_MSSNTP", "RES_FLAKE", "RES_NOMRULIST"]


def _fp(name: str) -> FixedPointField:
    """A 32-bit fixed point (16 bits after the point), as ntpd's ``u_fp``/``s_fp``."""
    return FixedPointField(name, 0, size=32, frac_bits=16)


def _ints(*names: str) -> tuple[IntField, ...]:
    return tuple(IntField(n, 0) for n in names)


class NTPInfoPeerList(Packet):
    """A peer of a raw peer list (``info_peer_list``)."""

    name = "info_peer_list"
    fields_desc = (
        IPField("addr", "0.0.0.0"), ShortField("port", 0), ByteEnumField("hmode", 0, NTP_MODES),
        FlagsField("flags", 0, 8, _PEER_FLAGS), *_ints("v6_flag", "unused1"),
        IP6Field("addr6", "::"),
    )


class NTPInfoPeerSummary(Packet):
    """A peer's summary, what ``ntpdc`` shows by default (``info_peer_summary``)."""

    name = "info_peer_summary"
    fields_desc = (
        IPField("dstaddr", "0.0.0.0"), IPField("srcaddr", "0.0.0.0"), ShortField("srcport", 0),
        ByteField("stratum", 0), ByteField("hpoll", 0), ByteField("ppoll", 0),
        ByteField("reach", 0), FlagsField("flags", 0, 8, _PEER_FLAGS),
        ByteField("hmode", 0), _fp("delay"), TimeStampField("offset", 0), _fp("dispersion"),
        *_ints("v6_flag", "unused1"), IP6Field("dstaddr6", "::"), IP6Field("srcaddr6", "::"),
    )


class NTPInfoPeer(Packet):
    """A peer's information (``info_peer``)."""

    name = "info_peer"
    fields_desc = (
        IPField("dstaddr", "0.0.0.0"), IPField("srcaddr", "0.0.0.0"), ShortField("srcport", 0),
        FlagsField("flags", 0, 8, _PEER_FLAGS), ByteField("leap", 0),
        ByteEnumField("hmode", 0, NTP_MODES), ByteField("pmode", 0), ByteField("stratum", 0),
        ByteField("ppoll", 0), ByteField("hpoll", 0), SignedByteField("precision", 0),
        ByteField("version", 0), ByteField("unused8", 0), ByteField("reach", 0),
        ByteField("unreach", 0), XByteField("flash", 0), ByteField("ttl", 0),
        XLEShortField("flash2", 0), ShortField("associd", 0), LEIntField("keyid", 0),
        IntField("pkeyid", 0), IPField("refid", "0.0.0.0"), IntField("timer", 0),
        _fp("rootdelay"), _fp("rootdispersion"), TimeStampField("reftime", 0),
        TimeStampField("org", 0), TimeStampField("rec", 0), TimeStampField("xmt", 0),
        FieldListField("filtdelay", [0.0] * _NTP_SHIFT, _fp(""),
                       count_from=lambda p: _NTP_SHIFT),
        FieldListField("filtoffset", [0.0] * _NTP_SHIFT, TimeStampField("", 0),
                       count_from=lambda p: _NTP_SHIFT),
        FieldListField("order", [0] * _NTP_SHIFT, ByteField("", 0),
                       count_from=lambda p: _NTP_SHIFT),
        _fp("delay"), _fp("dispersion"), TimeStampField("offset", 0), _fp("selectdisp"),
        *_ints("unused1", "unused2", "unused3", "unused4", "unused5", "unused6", "unused7"),
        _fp("estbdelay"), *_ints("v6_flag", "unused9"),
        IP6Field("dstaddr6", "::"), IP6Field("srcaddr6", "::"),
    )


class NTPInfoPeerStats(Packet):
    """A peer's statistics (``info_peer_stats``)."""

    name = "info_peer_stats"
    fields_desc = (
        IPField("dstaddr", "0.0.0.0"), IPField("srcaddr", "0.0.0.0"), ShortField("srcport", 0),
        FlagsField("flags", 0, 16, _PEER_FLAGS),
        *_ints("timereset", "timereceived", "timetosend", "timereachable", "sent", "unused1",
               "processed", "unused2", "badauth", "bogusorg", "oldpkt", "unused3", "unused4",
               "seldisp", "selbroken", "unused5"),
        ByteField("candidate", 0), ByteField("unused6", 0), ByteField("unused7", 0),
        ByteField("unused8", 0), *_ints("v6_flag", "unused9"),
        IP6Field("dstaddr6", "::"), IP6Field("srcaddr6", "::"),
    )


class NTPInfoLoop(Packet):
    """The loop filter's variables (``info_loop``)."""

    name = "info_loop"
    fields_desc = (TimeStampField("last_offset", 0), TimeStampField("drift_comp", 0),
                   *_ints("compliance", "watchdog_timer"))


class NTPInfoSys(Packet):
    """The system's variables (``info_sys``)."""

    name = "info_sys"
    fields_desc = (
        IPField("peer", "0.0.0.0"), ByteField("peer_mode", 0), ByteField("leap", 0),
        ByteField("stratum", 0), SignedByteField("precision", 0), _fp("rootdelay"),
        _fp("rootdispersion"), IPField("refid", "0.0.0.0"), TimeStampField("reftime", 0),
        IntField("poll", 0), FlagsField("flags", 0, 8, _SYS_FLAGS), ByteField("unused1", 0),
        ByteField("unused2", 0), ByteField("unused3", 0), _fp("bdelay"), _fp("frequency"),
        TimeStampField("authdelay", 0), _fp("stability"), *_ints("v6_flag", "unused4"),
        IP6Field("peer6", "::"),
    )


class NTPInfoSysStats(Packet):
    """The system's statistics (``info_sys_stats``)."""

    name = "info_sys_stats"
    fields_desc = _ints("timeup", "timereset", "denied", "oldversionpkt", "newversionpkt",
                        "unknownversion", "badlength", "processed", "badauth", "received",
                        "limitrejected")


class NTPInfoMemStats(Packet):
    """The peers' memory statistics (``info_mem_stats``)."""

    name = "info_mem_stats"
    fields_desc = (
        IntField("timereset", 0), ShortField("totalpeermem", 0), ShortField("freepeermem", 0),
        *_ints("findpeer_calls", "allocations", "demobilizations"),
        FieldListField("hashcount", [0.0] * _NTP_HASH_SIZE, ByteField("", 0),
                       count_from=lambda p: _NTP_HASH_SIZE, max_count=_NTP_HASH_SIZE),
    )


class NTPInfoIOStats(Packet):
    """The I/O statistics (``info_io_stats``)."""

    name = "info_io_stats"
    fields_desc = (
        IntField("timereset", 0), ShortField("totalrecvbufs", 0), ShortField("freerecvbufs", 0),
        ShortField("fullrecvbufs", 0), ShortField("lowwater", 0),
        *_ints("dropped", "ignored", "received", "sent", "notsent", "interrupts",
               "int_received"),
    )


class NTPInfoTimerStats(Packet):
    """The timer statistics (``info_timer_stats``)."""

    name = "info_timer_stats"
    fields_desc = _ints("timereset", "alarms", "overflows", "xmtcalls")


class NTPConfPeer(Packet):
    """A peer to configure (``conf_peer``)."""

    name = "conf_peer"
    fields_desc = (
        IPField("peeraddr", "0.0.0.0"), ByteField("hmode", 0), ByteField("version", 0),
        ByteField("minpoll", 0), ByteField("maxpoll", 0),
        FlagsField("flags", 0, 8, _CONF_PEER_FLAGS), ByteField("ttl", 0),
        ShortField("unused1", 0), IntField("keyid", 0),
        StrFixedLenField("keystr", b"", length=128), *_ints("v6_flag", "unused2"),
        IP6Field("peeraddr6", "::"),
    )


class NTPConfUnpeer(Packet):
    """A peer to remove (``conf_unpeer``)."""

    name = "conf_unpeer"
    fields_desc = (IPField("peeraddr", "0.0.0.0"), IntField("v6_flag", 0),
                   IP6Field("peeraddr6", "::"))


class NTPConfRestrict(Packet):
    """A restriction entry (``conf_restrict``)."""

    name = "conf_restrict"
    fields_desc = (
        IPField("addr", "0.0.0.0"), IPField("mask", "0.0.0.0"),
        FlagsField("flags", 0, 16, _RESTRICT_FLAGS), ShortField("m_flags", 0),
        IntField("v6_flag", 0), IP6Field("addr6", "::"), IP6Field("mask6", "::"),
    )


class NTPInfoKernel(Packet):
    """The kernel PLL/PPS information (``info_kernel``)."""

    name = "info_kernel"
    fields_desc = (
        *_ints("offset", "freq", "maxerror", "esterror"), ShortField("status", 0),
        ShortField("shift", 0),
        *_ints("constant", "precision", "tolerance", "ppsfreq", "jitter", "stabil", "jitcnt",
               "calcnt", "errcnt", "stbcnt"),
    )


_IF_STATS_TAIL = (
    IntField("v6_flag", 0), StrFixedLenField("ifname", b"", length=32),
    *_ints("flags", "last_ttl", "num_mcast", "received", "sent", "notsent", "uptime",
           "scopeid", "ifindex", "ifnum", "peercnt"),
    ShortField("family", 0), ByteField("ignore_packets", 0), ByteField("action", 0),
    IntField("_filler0", 0),
)


class NTPInfoIfStatsIPv4(Packet):
    """An IPv4 interface's statistics (``info_if_stats``)."""

    name = "info_if_stats"
    fields_desc = (
        PadField(IPField("unaddr", "0.0.0.0"), 16, padwith=b"\x00"),
        PadField(IPField("unbcast", "0.0.0.0"), 16, padwith=b"\x00"),
        PadField(IPField("unmask", "0.0.0.0"), 16, padwith=b"\x00"),
        *_IF_STATS_TAIL,
    )


class NTPInfoIfStatsIPv6(Packet):
    """An IPv6 interface's statistics (``info_if_stats``)."""

    name = "info_if_stats"
    fields_desc = (IP6Field("unaddr", "::"), IP6Field("unbcast", "::"),
                   IP6Field("unmask", "::"), *_IF_STATS_TAIL)


class NTPInfoMonitor1(Packet):
    """A monitor list entry (``InfoMonitor1``)."""

    name = "InfoMonitor1"
    fields_desc = (
        *_ints("lasttime", "firsttime", "lastdrop", "count"), IPField("addr", "0.0.0.0"),
        IPField("daddr", "0.0.0.0"), IntField("flags", 0), ShortField("port", 0),
        ByteField("mode", 0), ByteField("version", 0), *_ints("v6_flag", "unused1"),
        IP6Field("addr6", "::"), IP6Field("daddr6", "::"),
    )


class NTPInfoAuth(Packet):
    """The authentication module's statistics (``info_auth``)."""

    name = "info_auth"
    fields_desc = _ints("timereset", "numkeys", "numfreekeys", "keylookups", "keynotfound",
                        "encryptions", "decryptions", "expired", "keyuncached")


class NTPConfTrap(Packet):
    """A trap to add or clear (``conf_trap``)."""

    name = "conf_trap"
    fields_desc = (
        IPField("local_address", "0.0.0.0"), IPField("trap_address", "0.0.0.0"),
        ShortField("trap_port", 0), ShortField("unused", 0), IntField("v6_flag", 0),
        IP6Field("local_address6", "::"), IP6Field("trap_address6", "::"),
    )


class NTPInfoControl(Packet):
    """The control module's statistics (``info_control``)."""

    name = "info_control"
    fields_desc = _ints(
        "ctltimereset", "numctlreq", "numctlbadpkts", "numctlresponses", "numctlfrags",
        "numctlerrors", "numctltooshort", "numctlinputresp", "numctlinputfrag",
        "numctlinputerr", "numctlbadoffset", "numctlbadversion", "numctldatatooshort",
        "numctlbadop", "numasyncmsgs")


#: Request code -> the class of a response's items.
_RESPONSE_ITEMS: dict[int, type[Packet]] = {
    0: NTPInfoPeerList, 1: NTPInfoPeerSummary, 2: NTPInfoPeer, 3: NTPInfoPeerStats,
    4: NTPInfoSys, 5: NTPInfoSysStats, 6: NTPInfoIOStats, 7: NTPInfoMemStats, 8: NTPInfoLoop,
    9: NTPInfoTimerStats, 10: NTPConfPeer, 11: NTPConfUnpeer, 28: NTPInfoAuth,
    30: NTPConfTrap, 34: NTPInfoControl, 38: NTPInfoKernel, 42: NTPInfoMonitor1,
}


class NTPPrivateReqPacket(Packet):
    """A request's item of no known structure."""

    name = "request data"
    fields_desc = (StrField("req_data", b""),)


#: Request code -> the class of a request's items (ntpdc's requests).
_REQUEST_ITEMS: dict[int, type[Packet]] = {
    2: NTPInfoPeerList, 3: NTPInfoPeerList, 10: NTPConfPeer, 11: NTPConfUnpeer,
    17: NTPConfRestrict, 18: NTPConfRestrict, 22: NTPConfUnpeer, 30: NTPConfTrap,
    31: NTPConfTrap,
}


class _RespItems(PacketListField):
    """A response's ``nb_items`` items of ``data_item_size`` bytes (as many as there are)."""

    def m2i(self, pkt: Any, s: bytes) -> Any:
        if pkt.request_code in (44, 45):
            v6 = int.from_bytes(s[48:52], "big")
            return NTPInfoIfStatsIPv6(s) if v6 else NTPInfoIfStatsIPv4(s)
        return _RESPONSE_ITEMS.get(pkt.request_code, Raw)(s)

    def getfield(self, pkt: Any, s: bytes) -> tuple[Any, Any]:
        lst: list[Any] = []
        size = pkt.data_item_size
        while size > 0 and len(s) >= size and len(lst) < pkt.nb_items:
            lst.append(self.m2i(pkt, s[:size]))
            s = s[size:]
        return s, lst

    def type_name(self) -> str:
        return "NTPPrivateRespPacketListField"


class _ReqItems(PacketListField):
    """A request's items (all there, or none), then the padding before an authenticator."""

    def m2i(self, pkt: Any, s: bytes) -> Any:
        return _REQUEST_ITEMS.get(pkt.request_code, NTPPrivateReqPacket)(s)

    def getfield(self, pkt: Any, s: bytes) -> tuple[Any, Any]:
        lst: list[Any] = []
        size = pkt.data_item_size
        if size > 0:
            while len(s) >= size * pkt.nb_items and len(lst) < pkt.nb_items:
                lst.append(self.m2i(pkt, s[:size]))
                s = s[size:]
        if pkt.auth:
            end = max(0, len(s) - _REQ_TAIL)
            lst.append(Raw(s[:end]))
            s = s[end:]
        return s, lst

    def type_name(self) -> str:
        return "NTPPrivateReqPacketListField"


class NTPPrivatePktTail(Packet):
    """The end of an authenticated request (``req_pkt_tail``): tstamp, key_id, dgst."""

    name = "req_pkt_tail"
    fields_desc = (TimeStampField("tstamp", 0), IntField("key_id", 0),
                   XStrFixedLenField("dgst", b"", length_from=lambda p: 16))


class NTPPrivate(NTP):
    """A mode 7 message (ntpd's ``ntp_request.h``): header, then ``req_data`` (request) or
    ``data`` (response) items, and the ``authenticator`` of an authenticated request."""

    name = "Private (mode 7)"
    fields_desc = (
        BitField("response", 0, 1),
        BitField("more", 0, 1),
        BitField("version", 2, 3),
        BitEnumField("mode", 7, 3, NTP_MODES),
        BitField("auth", 0, 1),
        BitField("seq", 0, 7),
        ByteEnumField("implementation", 0, _IMPLEMENTATIONS),
        ByteEnumField("request_code", 0, REQUEST_CODES),
        BitEnumField("err", 0, 4, _ERRORS),
        BitField("nb_items", 0, 12),
        BitField("mbz", 0, 4),
        BitField("data_item_size", 0, 12),
        ConditionalField(_ReqItems("req_data", [], Packet), lambda p: p.response == 0),
        ConditionalField(_RespItems("data", [], Packet), lambda p: p.response == 1),
        ConditionalField(PacketField("authenticator", b"", NTPPrivatePktTail),
                         lambda p: p.response == 0 and p.auth == 1),
    )


MODE_CLASSES[7] = NTPPrivate

"""Packet filters in tcpdump's language, compiled by libpcap itself (through ctypes).

No hand-written filter compiler: ``compile_filter("tcp port 80")`` calls libpcap's
``pcap_open_dead`` + ``pcap_compile`` for the capture's link type (or, with ``iface=``, compiles
on the live interface as ``tcpdump -i IFACE`` does; with ``savefile=True``, as ``tcpdump -r``
does) and returns the classic BPF program, which ``attach_filter`` loads into the kernel on a
socket (``SO_ATTACH_FILTER``) and ``BpfProgram.matches`` runs in user space on captured bytes
(libpcap's ``bpf_filter``), for files read offline.

>>> prog = compile_filter("udp dst port 53")
>>> len(prog) > 0, prog.linktype
(True, 1)
>>> frame = bytes(12) + b"\\x08\\x00" + b"\\x45" + bytes(8) + b"\\x11" + bytes(10) \\
...     + b"\\x04\\x00\\x00\\x35" + bytes(4)
>>> prog.matches(frame)
True
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import socket
import struct
import threading
from typing import Any

from paquet.errors import PaquetError, PrivilegeError
from paquet.net.linux import SO_ATTACH_FILTER, SO_RCVBUFFORCE
from paquet.numbers import ETH_P_IPV6

__all__ = [
    "BpfProgram",
    "FilterError",
    "SavefileFilter",
    "attach_filter",
    "compile_filter",
    "detach_filter",
    "open_filtered_socket",
]

SO_DETACH_FILTER = 27
SO_LOCK_FILTER = 44
PCAP_NETMASK_UNKNOWN = 0xFFFFFFFF


class FilterError(PaquetError, ValueError):
    """A capture filter that libpcap cannot compile (with libpcap's own message)."""


class _BpfInsn(ctypes.Structure):
    _fields_ = (
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint32),
    )


class _BpfProgram(ctypes.Structure):
    _fields_ = (("bf_len", ctypes.c_uint), ("bf_insns", ctypes.POINTER(_BpfInsn)))


_lock = threading.Lock()
_lib: Any = None


def _libpcap() -> Any:
    """Load libpcap once (it is found by ctypes.util or by its usual soname)."""
    global _lib
    if _lib is not None:
        return _lib
    names = [ctypes.util.find_library("pcap"), "libpcap.so.1", "libpcap.so.0.8", "libpcap.so"]
    for name in names:
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        lib.pcap_open_dead.restype = ctypes.c_void_p
        lib.pcap_open_dead.argtypes = (ctypes.c_int, ctypes.c_int)
        lib.pcap_compile.restype = ctypes.c_int
        lib.pcap_compile.argtypes = (
            ctypes.c_void_p,
            ctypes.POINTER(_BpfProgram),
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_uint32,
        )
        lib.pcap_fopen_offline.restype = ctypes.c_void_p
        lib.pcap_fopen_offline.argtypes = (ctypes.c_void_p, ctypes.c_char_p)
        lib.pcap_geterr.restype = ctypes.c_char_p
        lib.pcap_geterr.argtypes = (ctypes.c_void_p,)
        lib.pcap_freecode.argtypes = (ctypes.POINTER(_BpfProgram),)
        lib.pcap_freecode.restype = None
        lib.pcap_close.argtypes = (ctypes.c_void_p,)
        lib.pcap_close.restype = None
        lib.pcap_create.restype = ctypes.c_void_p
        lib.pcap_create.argtypes = (ctypes.c_char_p, ctypes.c_char_p)
        for name in ("pcap_set_snaplen", "pcap_set_buffer_size"):
            getattr(lib, name).argtypes = (ctypes.c_void_p, ctypes.c_int)
            getattr(lib, name).restype = ctypes.c_int
        lib.pcap_activate.argtypes = (ctypes.c_void_p,)
        lib.pcap_activate.restype = ctypes.c_int
        lib.pcap_datalink.argtypes = (ctypes.c_void_p,)
        lib.pcap_datalink.restype = ctypes.c_int
        lib.bpf_filter.restype = ctypes.c_uint
        lib.bpf_filter.argtypes = (
            ctypes.POINTER(_BpfInsn),
            ctypes.c_char_p,
            ctypes.c_uint,
            ctypes.c_uint,
        )
        _lib = lib
        return lib
    raise FilterError("libpcap is not installed (apt install libpcap0.8): cannot compile filters")


class BpfProgram:
    """A compiled classic BPF program: its instructions, source text and link type.

    ``len(prog)`` is its number of instructions; ``prog.instructions`` the
    ``(code, jt, jf, k)`` tuples (as ``tcpdump -dd`` prints them).
    """

    def __init__(self, expression: str, linktype: int, insns: list[tuple[int, int, int, int]]):
        self.expression = expression
        self.linktype = linktype
        self.instructions = insns
        self._array = (_BpfInsn * len(insns))(*(_BpfInsn(*i) for i in insns))
        self._raw = b"".join(struct.pack("HBBI", *i) for i in insns)

    def __len__(self) -> int:
        return len(self.instructions)

    def __repr__(self) -> str:
        return f"<BpfProgram {self.expression!r} linktype={self.linktype} {len(self)} insns>"

    def matches(self, data: bytes, wirelen: int | None = None) -> bool:
        """Whether the packet ``data`` (of this program's link type) passes the filter."""
        if not self.instructions:
            return True
        lib = _libpcap()
        n = len(data)
        return bool(lib.bpf_filter(self._array, data, n if wirelen is None else wirelen, n))

    def sock_fprog(self) -> tuple[bytes, ctypes.Array[Any]]:
        """``struct sock_fprog`` for setsockopt, and the buffer it points to (keep it alive)."""
        buf = ctypes.create_string_buffer(self._raw, len(self._raw))
        return struct.pack("HL", len(self.instructions), ctypes.addressof(buf)), buf

    def dump(self) -> str:
        """The program in ``tcpdump -dd`` form: one ``{ code, jt, jf, k },`` per line."""
        return "\n".join(
            f"{{ {c:#x}, {jt}, {jf}, {k:#010x} }}," for c, jt, jf, k in self.instructions
        )


def _savefile_handle(lib: Any, linktype: int, snaplen: int, byteorder: str) -> tuple[Any, Any]:
    """A libpcap handle on an empty in-memory savefile of ``linktype`` in ``byteorder``.

    libpcap compiles some filters differently for files than for live captures (BSD loopback
    address families, byte-swapped headers), as ``tcpdump -r`` does.
    """
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
        _libc.fmemopen.restype = ctypes.c_void_p
        _libc.fmemopen.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p)
    endian = ">" if byteorder == "big" else "<"
    header = struct.pack(endian + "IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype)
    buf = ctypes.create_string_buffer(header, len(header))
    fp = _libc.fmemopen(buf, len(header), b"rb")
    if not fp:
        raise FilterError("cannot open an in-memory file for libpcap")
    errbuf = ctypes.create_string_buffer(256)
    handle = lib.pcap_fopen_offline(fp, errbuf)
    if not handle:
        raise FilterError(f"libpcap: {errbuf.value.decode('utf-8', 'replace')}")
    # The buffer must outlive the handle (pcap_close closes the in-memory FILE).
    return handle, buf


_libc: Any = None


def _live_handle(lib: Any, iface: str, snaplen: int) -> Any:
    """An activated libpcap handle on ``iface`` (in the calling thread's namespace).

    libpcap compiles for a live Linux interface with the kernel's BPF extensions (VLAN tags
    the kernel has already stripped, for instance), as ``tcpdump -i IFACE`` does.
    """
    errbuf = ctypes.create_string_buffer(256)
    handle = lib.pcap_create(iface.encode(), errbuf)
    if not handle:
        raise FilterError(f"libpcap cannot open {iface}: {errbuf.value.decode(errors='replace')}")
    lib.pcap_set_snaplen(handle, snaplen)
    lib.pcap_set_buffer_size(handle, 1 << 16)
    rc = lib.pcap_activate(handle)
    if rc < 0:
        message = (lib.pcap_geterr(handle) or b"").decode("utf-8", "replace")
        lib.pcap_close(handle)
        raise FilterError(f"libpcap cannot activate {iface}: {message or rc}")
    return handle


def compile_filter(
    expression: str,
    linktype: int = 1,
    *,
    snaplen: int = 262144,
    optimize: bool = True,
    netmask: int = PCAP_NETMASK_UNKNOWN,
    savefile: bool = False,
    byteorder: str = "little",
    iface: str | None = None,
) -> BpfProgram:
    """Compile a tcpdump filter expression for ``linktype`` with libpcap.

    ``savefile=True`` compiles as ``tcpdump -r`` does for a file written in ``byteorder``
    (it differs from a live capture for BSD loopback captures); ``iface`` compiles for that
    live interface, as ``tcpdump -i IFACE`` does (needs CAP_NET_RAW; the link type is the
    interface's). Raises FilterError with
    libpcap's message (``syntax error``...) when it does not compile. An empty expression
    compiles to a program that accepts every packet.
    """
    lib = _libpcap()
    prog = _BpfProgram()
    with _lock:
        keep = None
        if iface is not None:
            handle = _live_handle(lib, iface, snaplen)
            linktype = lib.pcap_datalink(handle)
        elif savefile:
            handle, keep = _savefile_handle(lib, linktype, snaplen, byteorder)
        else:
            handle = lib.pcap_open_dead(linktype, snaplen)
        if not handle:
            raise FilterError(f"libpcap cannot open a handle for link type {linktype}")
        try:
            rc = lib.pcap_compile(
                handle, ctypes.byref(prog), expression.encode("utf-8"), int(optimize), netmask
            )
            if rc != 0:
                err = lib.pcap_geterr(handle) or b"does not compile"
                message = err.decode("utf-8", "replace")
                raise FilterError(f"bad filter {expression!r}: {message}")
            raw = prog.bf_insns
            insns = [(raw[i].code, raw[i].jt, raw[i].jf, raw[i].k) for i in range(prog.bf_len)]
            lib.pcap_freecode(ctypes.byref(prog))
        finally:
            lib.pcap_close(handle)
            del keep
    return BpfProgram(expression, linktype, insns)


class SavefileFilter:
    """A tcpdump filter applied to the records of a capture file as ``tcpdump -r`` applies it:
    compiled (``savefile=True``) once for each link type and byte order met, since a pcapng
    file may mix link types.

    >>> from types import SimpleNamespace
    >>> arp = SimpleNamespace(linktype=1, data=bytes(12) + b"\x08\x06" + bytes(28),
    ...                       wirelen=42)
    >>> f = SavefileFilter("arp")
    >>> f.matches(arp, "little"), SavefileFilter("ip").matches(arp, "little")
    (True, False)
    """

    def __init__(self, expression: str) -> None:
        self.expression = expression
        self._programs: dict[tuple[int, str], BpfProgram] = {}

    def matches(self, rec: Any, byteorder: str) -> bool:
        """Whether the record ``rec`` (its ``linktype``, ``data`` and ``wirelen``) of a file
        written in ``byteorder`` passes the filter."""
        key = (rec.linktype, byteorder)
        prog = self._programs.get(key)
        if prog is None:
            prog = self._programs[key] = compile_filter(
                self.expression, rec.linktype, savefile=True, byteorder=byteorder)
        return prog.matches(rec.data, rec.wirelen)


def attach_filter(sock: socket.socket, program: BpfProgram | str, linktype: int = 1) -> BpfProgram:
    """Attach a filter to ``sock`` in the kernel (SO_ATTACH_FILTER); return the program.

    The kernel runs it on every packet before queueing it, so filtered-out packets cost no
    copy to user space.
    """
    prog = compile_filter(program, linktype) if isinstance(program, str) else program
    fprog, keep = prog.sock_fprog()
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
    except PermissionError as exc:
        raise PrivilegeError(f"cannot attach a filter: {exc.strerror}") from None
    except OSError as exc:
        message = f"the kernel refuses filter {prog.expression!r}: {exc.strerror}"
        raise FilterError(message) from None
    finally:
        del keep
    return prog


def reject_all(sock: socket.socket) -> None:
    """Attach a filter that drops every packet (``ret #0``), before draining a socket."""
    insns = [(0x06, 0, 0, 0)]
    prog = BpfProgram("<reject all>", 1, insns)
    fprog, keep = prog.sock_fprog()
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
    del keep


def detach_filter(sock: socket.socket) -> None:
    """Remove the filter attached to ``sock``."""
    sock.setsockopt(socket.SOL_SOCKET, SO_DETACH_FILTER, 0)


def _set_rcvbuf(sock: socket.socket, size: int) -> None:
    """Give ``sock`` a receive buffer of ``size`` bytes: past the system's limit when allowed
    (``SO_RCVBUFFORCE``, CAP_NET_ADMIN), else as far as the limit lets (``SO_RCVBUF``)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, size)
    except OSError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, size)


def open_filtered_socket(
    program: BpfProgram | str,
    ethertype: int,
    *,
    kind: int = socket.SOCK_DGRAM,
    linktype: int | None = None,
    ifindex: int = 0,
) -> socket.socket:
    """An ``AF_PACKET`` socket that never queues a packet its filter rejects.

    The socket is opened with protocol 0 (it receives nothing), the filter is attached, and
    only then is it bound to ``ethertype`` on interface ``ifindex`` (0: every interface), so
    no unfiltered packet slips in between. ``kind`` ``SOCK_DGRAM`` gives packets network header
    first (compile the filter for link type 228 or 229); ``SOCK_RAW`` gives the link header.
    A string ``program`` is compiled for ``linktype`` (default: 228 for IPv4, 229 for IPv6 with
    SOCK_DGRAM, else Ethernet).
    """
    if linktype is None and kind != socket.SOCK_DGRAM:
        linktype = 1
    elif linktype is None:
        linktype = 229 if ethertype == ETH_P_IPV6 else 228
    try:
        sock = socket.socket(socket.AF_PACKET, kind, 0)
    except PermissionError as exc:
        raise PrivilegeError(
            f"packet sockets need CAP_NET_RAW ({exc.strerror}): run as root, or "
            "setcap cap_net_raw+ep on the Python interpreter"
        ) from None
    try:
        attach_filter(sock, program, linktype)
        addr = struct.pack(
            "HHiHBB8s", socket.AF_PACKET, socket.htons(ethertype), ifindex, 0, 0, 0, b""
        )
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.bind(sock.fileno(), addr, len(addr)) != 0:
            err = ctypes.get_errno()
            raise FilterError(f"cannot bind a packet socket: {os.strerror(err)}")
    except BaseException:
        sock.close()
        raise
    return sock

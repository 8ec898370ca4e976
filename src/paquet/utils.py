"""Scapy's everyday helpers (``scapy.utils``, ``scapy.compat``): checksums, MAC and IPv4 text,
one-line dumps, byte strings, temporary files, capturing what is printed.

Code written for Scapy calls these by name; they give Scapy's results, on top of paquet's own
checksum code (:mod:`paquet.checksums`) and the layers' pseudo-headers. Bad input raises
:class:`~paquet.errors.AddressError` (a ``ValueError``, as Scapy raises) with a clear message.

>>> ltoa(atol("192.0.2.1") + 1)
'192.0.2.2'
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import io
import os
import re
import shutil
import socket
import sys
import tempfile
from types import TracebackType
from typing import IO, Any, Literal, overload

from paquet.bytestrings import (  # (re-exported: Scapy gives them in scapy.utils)
    colgen,
    fletcher16_checkbytes,
    fletcher16_checksum,
    incremental_label,
    randstring,
    strand,
    stror,
    strrot,
    strxor,
    zerofree_randstring,
)
from paquet.checksums import internet_checksum
from paquet.errors import AddressError, PaquetError
from paquet.packet.base import Packet
from paquet.packet.dump import hexstr, raw
from paquet.themes import tex_escape

__all__ = [
    "ContextManagerCaptureOutput",
    "atol",
    "bytes_encode",
    "bytes_hex",
    "chb",
    "checksum",
    "chexdump",
    "colgen",
    "fletcher16_checkbytes",
    "fletcher16_checksum",
    "get_temp_dir",
    "get_temp_file",
    "hex_bytes",
    "import_hexcap",
    "in4_chksum",
    "in4_cidr2mask",
    "in4_getnsmac",
    "in4_isaddrllallnodes",
    "in4_isincluded",
    "in4_ismaddr",
    "in4_ismgladdr",
    "in4_ismlladdr",
    "in4_ismlsaddr",
    "in6_chksum",
    "incremental_label",
    "itom",
    "lhex",
    "linehexdump",
    "load_contrib",
    "load_layer",
    "load_module",
    "ltoa",
    "mac2str",
    "orb",
    "plain_str",
    "randstring",
    "repr_hex",
    "str2mac",
    "strand",
    "stror",
    "strrot",
    "strxor",
    "tex_escape",
    "valid_ip",
    "valid_ip6",
    "valid_mac",
    "zerofree_randstring",
]


# ---------------------------------------------------------------------------------------------
# Checksums


def checksum(pkt: bytes) -> int:
    """The internet checksum (RFC 1071) of ``pkt``, as Scapy's ``checksum``.

    >>> hex(checksum(bytes.fromhex("450000730000400040110000c0a80001c0a800c7")))
    '0xb861'
    """
    return internet_checksum(bytes(pkt))


def in4_chksum(proto: int, u: Packet, p: bytes) -> int:
    """The checksum of ``p`` behind the IPv4 pseudo-header of the ``IP`` layer ``u`` for
    protocol ``proto`` (Scapy's ``in4_chksum``: a ``len`` set on ``u`` and a source route
    decide the pseudo-header, as when the layer builds).

    >>> from paquet import IP
    >>> hex(in4_chksum(17, IP(src="192.0.2.1", dst="192.0.2.2"), bytes.fromhex("d43500350008")))
    '0xa771'
    """
    from paquet.layers.ipv4 import IP

    if not isinstance(u, IP):
        raise PaquetError(f"in4_chksum needs an IP layer, not {type(u).__name__}")
    return internet_checksum(u.pseudo_header(len(p), proto) + bytes(p))


def in6_chksum(nh: int, u: Packet, p: bytes) -> int:
    """The checksum of ``p`` behind the IPv6 pseudo-header (RFC 8200 §8.1) for next header
    ``nh``; ``u`` is the upper layer (or the ``IPv6`` layer itself) with its layers below, whose
    routing header's final destination and home address option count (Scapy's ``in6_chksum``).

    >>> from paquet import IPv6, UDP
    >>> u = (IPv6(src="2001:db8::1", dst="2001:db8::2") / UDP(sport=1, dport=2))[UDP]
    >>> hex(in6_chksum(17, u, bytes.fromhex("000100020008")))
    '0xa468'
    """
    from paquet.layers.ipv6 import IPv6

    below: Packet | None = u if isinstance(u, IPv6) else u.underlayer
    layer = below
    while layer is not None and not isinstance(layer, IPv6):
        layer = layer.underlayer
    pseudo = getattr(below, "pseudo_header", None)
    if layer is None or pseudo is None:
        raise PaquetError(f"in6_chksum needs an IPv6 layer below {type(u).__name__}")
    header: bytes = pseudo(len(p), nh)
    return internet_checksum(header + bytes(p))


# ---------------------------------------------------------------------------------------------
# MAC and IPv4 addresses as text and numbers


def _text(x: str | bytes) -> str:
    """``x`` as text (bytes decoded as ASCII, as Scapy's ``plain_str``)."""
    if isinstance(x, (bytes, bytearray)):
        return bytes(x).decode("ascii", "replace")
    return x


def mac2str(mac: str | bytes) -> bytes:
    """The bytes of a MAC address written as hexadecimal parts separated by colons.

    >>> mac2str("00:1a:2B:3c:4d:5e")
    b'\\x00\\x1a+<M^'
    """
    text = _text(mac)
    try:
        return bytes(int(part, 16) for part in text.split(":"))
    except ValueError:
        raise AddressError(f"not a MAC address: {text!r}") from None


def str2mac(s: bytes | str) -> str:
    """The colon-separated lower-case hexadecimal text of the bytes ``s`` (a MAC address).

    >>> str2mac(b"\\x00\\x1a+<M^")
    '00:1a:2b:3c:4d:5e'
    """
    values = [ord(c) for c in s] if isinstance(s, str) else list(s)
    return ":".join(f"{v:02x}" for v in values)


def atol(x: str) -> int:
    """The IPv4 address ``x`` as a 32-bit number (any form ``inet_aton`` accepts).

    >>> atol("192.0.2.1")
    3221225985
    """
    try:
        packed = socket.inet_aton(x)
    except (OSError, TypeError, ValueError):
        raise AddressError(f"not an IPv4 address: {x!r}") from None
    return int.from_bytes(packed, "big")


def ltoa(x: int) -> str:
    """The dotted IPv4 text of the number ``x`` (its low 32 bits).

    >>> ltoa(3221225985)
    '192.0.2.1'
    """
    return socket.inet_ntoa((x & 0xFFFFFFFF).to_bytes(4, "big"))


def itom(x: int) -> int:
    """The IPv4 netmask of prefix length ``x`` as a number.

    >>> hex(itom(24))
    '0xffffff00'
    """
    return (0xFFFFFFFF00000000 >> x) & 0xFFFFFFFF


def valid_ip(addr: str | bytes) -> bool:
    """True when ``addr`` is an IPv4 address in a form ``inet_aton`` accepts (as Scapy).

    >>> valid_ip("192.0.2.1"), valid_ip("192.0.2.256")
    (True, False)
    """
    try:
        text = addr.decode() if isinstance(addr, (bytes, bytearray)) else addr
        atol(text)
    except (UnicodeDecodeError, AddressError):
        return False
    return True


def valid_ip6(addr: str | bytes) -> bool:
    """True when ``addr`` is an IPv6 address in text form.

    >>> valid_ip6("2001:db8::1"), valid_ip6("2001:db8:::1")
    (True, False)
    """
    try:
        text = addr.decode() if isinstance(addr, (bytes, bytearray)) else addr
        socket.inet_pton(socket.AF_INET6, text)
    except (UnicodeDecodeError, OSError, TypeError, ValueError):
        return False
    return True


# ---------------------------------------------------------------------------------------------
# One-line dumps


def linehexdump(
    p: Packet | bytes | str, onlyasc: int = 0, onlyhex: int = 0, dump: bool = False
) -> str | None:
    """:func:`~paquet.packet.dump.hexdump`'s view on one line; printed, or returned with
    ``dump=True``.

    >>> linehexdump(b"E\\x00", dump=True)
    '45 00  E.'
    """
    s = hexstr(p, onlyasc=bool(onlyasc), onlyhex=bool(onlyhex), color=not dump)
    if dump:
        return s
    print(s)
    return None


def chexdump(p: Packet | bytes | str, dump: bool = False) -> str | None:
    """The bytes as a C array's items (``0x45, 0x00``); printed, or returned with ``dump=True``.

    >>> chexdump(b"E\\x00", dump=True)
    '0x45, 0x00'
    """
    s = ", ".join(f"{b:#04x}" for b in raw(p))
    if dump:
        return s
    print(s)
    return None


# ---------------------------------------------------------------------------------------------
# Reading a hexadecimal dump back

# One line of a dump, as Scapy reads it: an optional offset (hex digits, maybe 0x, then up to
# three spaces, colons or tabs), then up to 16 bytes as pairs of hex digits, each followed by at
# most two spaces; whatever follows (the ASCII column) is left out.
_HEXCAP_LINE = re.compile(
    r"""
    (?: (?:0x)? [0-9a-fA-F]{2,} [ :\t]{0,3} )?   # offset
    [ ]*
    (?P<data> (?: [0-9a-fA-F]{2} [ ]{0,2} ){0,16} )
    """,
    re.VERBOSE,
)


#: The prompt reader :func:`import_hexcap` calls (the module's own name, as Scapy's: a test
#: may patch ``paquet.utils.input``).
input = builtins.input


def _stdin_lines() -> list[str]:
    """The lines typed on standard input, up to the first empty one or the end."""
    lines = []
    while True:
        try:
            line = input()
        except (EOFError, StopIteration):
            break
        if not line.strip():
            break
        lines.append(line)
    return lines


def import_hexcap(input_string: str | None = None) -> bytes:
    """The bytes of a hexadecimal dump (``hexdump()``, ``tcpdump -xx``, Wireshark's "copy as
    hex dump"), read from ``input_string`` or, when None, from standard input (an empty string
    gives no bytes, where Scapy reads standard input). The dump ends at its first empty line;
    what is not a pair of hex digits is left out. As Scapy's, a leading run of two or more hex
    digits on a line is taken for its offset, even without one.

    >>> import_hexcap("0000  45 00 00 14  E...\\n0004  00 01")
    b'E\\x00\\x00\\x14\\x00\\x01'
    """
    lines = _stdin_lines() if input_string is None else input_string.splitlines()
    digits = []
    for line in lines:
        line = line.strip()
        if not line:
            break
        match = _HEXCAP_LINE.match(line)
        if match is not None:
            digits.append(match["data"].replace(" ", ""))
    return bytes.fromhex("".join(digits))  # pairs of digits only: always whole bytes


# ---------------------------------------------------------------------------------------------
# Bytes and text (scapy.compat)


def bytes_encode(x: Any) -> bytes:
    """``x`` as bytes: text encoded as UTF-8, a packet built, anything else through ``bytes``.

    >>> bytes_encode("é"), bytes_encode(b"ab")
    (b'\\xc3\\xa9', b'ab')
    """
    if isinstance(x, str):
        return x.encode()
    return bytes(x)


def plain_str(x: Any) -> str:
    """``x`` as text: bytes decoded as UTF-8, undecodable bytes as ``\\xNN``.

    >>> plain_str(b"\\xffok")
    '\\\\xffok'
    """
    if isinstance(x, bytes):
        return x.decode(errors="backslashreplace")
    return str(x)


def chb(x: int) -> bytes:
    """The byte of value ``x`` (``chr`` for bytes).

    >>> chb(65)
    b'A'
    """
    if not 0 <= x <= 255:
        raise PaquetError(f"chb: a byte is 0 to 255, not {x}")
    return bytes((x,))


def orb(x: int | str | bytes) -> int:
    """The value of a byte given as a number, a one-character text or a one-byte string.

    >>> orb(b"A"), orb(65)
    (65, 65)
    """
    if isinstance(x, int):
        return x
    return ord(x)


def bytes_hex(x: str | bytes) -> bytes:
    """The hexadecimal digits of ``x`` (text encoded first), as bytes.

    >>> bytes_hex(b"\\x01\\xab")
    b'01ab'
    """
    return bytes_encode(x).hex().encode()


def hex_bytes(x: str | bytes) -> bytes:
    """The bytes written as hexadecimal digits in ``x``; :class:`PaquetError` when they are
    not an even number of hex digits.

    >>> hex_bytes("01ab")
    b'\\x01\\xab'
    """
    text = plain_str(x)
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise PaquetError(f"hex_bytes: not hexadecimal bytes: {text[:40]!r}") from None


def lhex(x: Any) -> str:
    """Numbers in hexadecimal, also inside tuples and lists; anything else as ``str``.

    >>> lhex(42), lhex((28, [7])), lhex("x")
    ('0x2a', '(0x1c, [0x7])', 'x')
    """
    if isinstance(x, int):
        return hex(x)
    if isinstance(x, tuple):
        return "(" + ", ".join(lhex(v) for v in x) + ")"
    if isinstance(x, list):
        return "[" + ", ".join(lhex(v) for v in x) + "]"
    return str(x)


def repr_hex(s: str | bytes) -> str:
    """The bytes of ``s`` as lower-case hexadecimal digits, without separators.

    >>> repr_hex("scapy")
    '7363617079'
    """
    return bytes_encode(s).hex()


# ---------------------------------------------------------------------------------------------
# IPv4 prefixes and multicast


def valid_mac(mac: str) -> bool:
    """True when ``mac`` is a 6-byte MAC address in colon form.

    >>> valid_mac("00:1a:2b:3c:4d:5e"), valid_mac("00:1a")
    (True, False)
    """
    try:
        return len(mac2str(mac)) == 6
    except AddressError:
        return False


def in4_cidr2mask(m: int) -> bytes:
    """The 4-byte netmask of prefix length ``m`` (0 to 32).

    >>> in4_cidr2mask(20)
    b'\\xff\\xff\\xf0\\x00'
    """
    if not 0 <= m <= 32:
        raise AddressError(f"in4_cidr2mask: a prefix length is 0 to 32, not {m}")
    return itom(m).to_bytes(4, "big")


def in4_isincluded(addr: str, prefix: str, mask: int) -> bool:
    """True when ``addr`` is in ``prefix``/``mask``.

    >>> in4_isincluded("192.0.2.9", "192.0.2.0", 24)
    True
    """
    return atol(addr) & itom(mask) == atol(prefix)


def in4_ismaddr(str: str) -> bool:
    """True for a multicast address (224.0.0.0/4).

    >>> in4_ismaddr("239.0.0.255"), in4_ismaddr("192.0.2.1")
    (True, False)
    """
    return in4_isincluded(str, "224.0.0.0", 4)


def in4_ismlladdr(str: str) -> bool:
    """True for a link-local multicast address (224.0.0.0/24).

    >>> in4_ismlladdr("224.0.0.251")
    True
    """
    return in4_isincluded(str, "224.0.0.0", 24)


def in4_ismgladdr(str: str) -> bool:
    """True for a global multicast address (224.0.1.0 to 238.255.255.255).

    >>> in4_ismgladdr("235.0.0.1"), in4_ismgladdr("239.0.0.1")
    (True, False)
    """
    return (
        in4_isincluded(str, "224.0.0.0", 4)
        and not in4_isincluded(str, "224.0.0.0", 24)
        and not in4_isincluded(str, "239.0.0.0", 8)
    )


def in4_ismlsaddr(str: str) -> bool:
    """True for a limited-scope multicast address (239.0.0.0/8).

    >>> in4_ismlsaddr("239.1.2.3")
    True
    """
    return in4_isincluded(str, "239.0.0.0", 8)


def in4_isaddrllallnodes(str: str) -> bool:
    """True for the all-nodes address 224.0.0.1.

    >>> in4_isaddrllallnodes("224.0.0.1")
    True
    """
    return atol(str) == 0xE0000001


def in4_getnsmac(a: bytes) -> str:
    """The Ethernet multicast MAC of the IPv4 multicast address ``a`` (4 bytes).

    >>> in4_getnsmac(b"\\xe0\\x00\\x00\\x01")
    '01:00:5e:00:00:01'
    """
    if len(a) != 4:
        raise AddressError(f"in4_getnsmac: an IPv4 address is 4 bytes, not {len(a)}")
    return f"01:00:5e:{a[1] & 0x7F:02x}:{a[2]:02x}:{a[3]:02x}"


# ---------------------------------------------------------------------------------------------
# Temporary files and captured output

_TEMP_PATHS: list[str] = []


def _remove_temp_paths() -> None:
    while _TEMP_PATHS:
        path = _TEMP_PATHS.pop()
        if os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(path)


def _temp_paths() -> list[str]:
    """The paths removed when Python exits (``conf.temp_files``): what is appended to this list
    goes. Asking for it installs the exit hook (once), so importing this module installs none.

    >>> path = get_temp_file(); path in _temp_paths()
    True
    """
    atexit.unregister(_remove_temp_paths)
    atexit.register(_remove_temp_paths)
    return _TEMP_PATHS


def scapy_delete_temp_files() -> None:
    """Remove the temporary files and directories made so far (``conf.temp_files``), now
    rather than at exit (Scapy's; a directory goes with its content).

    >>> path = get_temp_file(); scapy_delete_temp_files(); os.path.exists(path)
    False
    """
    _remove_temp_paths()


@overload
def get_temp_file(keep: bool, autoext: str, fd: Literal[True]) -> IO[bytes]: ...


@overload
def get_temp_file(keep: bool = False, autoext: str = "", fd: Literal[False] = False) -> str: ...


def get_temp_file(keep: bool = False, autoext: str = "", fd: bool = False) -> str | IO[bytes]:
    """A new temporary file (named ``scapy...<autoext>``, as Scapy's): its path, or the file
    open for writing with ``fd=True``. Unless ``keep``, it is removed when Python exits.

    >>> path = get_temp_file(autoext=".pcap"); path.endswith(".pcap") and os.path.exists(path)
    True
    """
    f = tempfile.NamedTemporaryFile(prefix="scapy", suffix=autoext, delete=False)  # noqa: SIM115
    if not keep:
        _temp_paths().append(f.name)
    if fd:
        return f
    f.close()
    return f.name


def get_temp_dir(keep: bool = False) -> str:
    """A new temporary directory; unless ``keep``, removed with its content at exit.

    >>> os.path.isdir(get_temp_dir())
    True
    """
    path = tempfile.mkdtemp(prefix="scapy")
    if not keep:
        _temp_paths().append(path)
    return path


class ContextManagerCaptureOutput:
    """Collect what is printed to standard output inside a ``with`` block.

    >>> with ContextManagerCaptureOutput() as cmco:
    ...     print("hey")
    >>> cmco.get_output()
    'hey\\n'
    """

    def __init__(self) -> None:
        self.result_export_object = ""
        self._saved: Any = None

    def __enter__(self) -> ContextManagerCaptureOutput:
        capture = self

        class _Writer(io.TextIOBase):
            def write(self, s: str) -> int:
                capture.result_export_object += s
                return len(s)

        self._saved = sys.stdout
        sys.stdout = _Writer()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> Literal[False]:
        sys.stdout = self._saved
        return False

    def get_output(self, eval_bytes: bool = False) -> str:
        """What was printed; with ``eval_bytes``, a printed ``b'...'`` literal as its text."""
        out = self.result_export_object
        if eval_bytes and out.startswith("b'"):
            import ast

            return plain_str(ast.literal_eval(out.strip()))
        return out


# --- Scapy's load_layer / load_contrib (issue 17, wt-httptls) ---


def load_layer(name: str, globals_dict: dict[str, Any] | None = None,
               symb_list: list[str] | None = None) -> None:
    """Scapy's ``load_layer("http")``: paquet's layer classes are all there already (``from
    paquet import *`` gives them); the protocols Scapy leaves unloaded by default (``http``,
    ``tls``) get their port bindings now, as in Scapy.

    >>> load_layer("vxlan")
    """
    import importlib

    try:
        module = importlib.import_module(f"paquet.layers.{name}")
    except ImportError:
        raise ValueError(f"no layer module named {name!r}") from None
    bind = getattr(module, "load_bindings", None)
    if bind is not None:
        bind()


def load_contrib(name: str, globals_dict: dict[str, Any] | None = None,
                 symb_list: list[str] | None = None) -> None:
    """Scapy's ``load_contrib(name)``: as :func:`load_layer` (paquet has no contrib set)."""
    load_layer(name, globals_dict, symb_list)


#: Scapy's ``scapy.modules`` names, with the paquet module that does the same work.
_SCAPY_MODULES = {"p0f": "paquet.net.p0f", "p0fv2": "paquet.net.p0f"}


def load_module(name: str, globals_dict: dict[str, Any] | None = None,
                symb_list: list[str] | None = None) -> None:
    """Scapy's ``load_module("p0f")``: the public names of the paquet module doing the work of
    Scapy's ``scapy.modules.<name>`` go into ``globals_dict`` (the builtins, as Scapy, when
    None), and their names into ``symb_list``. A module paquet does not have (``nmap``'s
    fingerprinting) raises :class:`~paquet.errors.PaquetError`.

    >>> names: list[str] = []
    >>> load_module("p0f", {}, names)
    >>> "p0f_impersonate" in names
    True
    """
    import builtins
    import importlib

    from paquet.errors import PaquetError

    target = _SCAPY_MODULES.get(name)
    if target is None:
        raise PaquetError(f"Scapy's module {name!r} has no paquet counterpart (paquet has: "
                          f"{', '.join(sorted(_SCAPY_MODULES))})")
    module = importlib.import_module(target)
    space = builtins.__dict__ if globals_dict is None else globals_dict
    for symbol in module.__all__:
        if symb_list is not None:
            symb_list.append(symbol)
        space[symbol] = getattr(module, symbol)

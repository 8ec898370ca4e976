"""Run the real tcpdump, tshark or Wireshark on packets, as Scapy's ``tcpdump()``,
``tdecode()`` and ``wireshark()`` do.

Packets (a packet, a list, a PacketList, a capture file object, or a file name) are handed to
the program as a pcap stream on its standard input (``-r -``), or through a temporary file with
``use_tempfile=True``. ``dump=True`` returns the program's output as bytes, ``getfd=True`` its
output as a file object, ``getproc=True`` the ``subprocess.Popen``. The programs are those of
``conf.prog`` when paquet's configuration has one, else ``tcpdump``, ``tshark`` and
``wireshark`` from ``PATH``.

>>> from paquet import IP, ICMP
>>> out = tcpdump([IP(dst="192.0.2.1") / ICMP()], dump=True, args=["-nn"], quiet=True)
>>> b"192.0.2.1: ICMP echo request" in out
True
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import subprocess
import tempfile
from typing import IO, Any

from paquet.errors import PaquetError

__all__ = ["tcpdump", "tdecode", "wireshark"]

_CHUNK = 1 << 20


def _prog(name: str) -> str:
    """The program called ``name``: ``conf.prog.<name>`` when configured, else ``name``."""
    import importlib

    conf = getattr(importlib.import_module("paquet.net.conf"), "conf", None)
    prog = getattr(conf, "prog", None)
    value = getattr(prog, name, None)
    return value if isinstance(value, str) and value else name


def _track_temp(path: str) -> None:
    """Record a temporary file in ``conf.temp_files`` when the configuration keeps such a list
    (Scapy removes them at exit)."""
    import importlib

    conf = getattr(importlib.import_module("paquet.net.conf"), "conf", None)
    files = getattr(conf, "temp_files", None)
    if isinstance(files, list):
        files.append(path)


def linktype_name(linktype: int | str) -> tuple[int, str]:
    """``(number, libpcap name)`` of a link type given by number, name or ``DLT_`` name.

    >>> linktype_name(1), linktype_name("DLT_EN10MB")
    ((1, 'EN10MB'), (1, 'EN10MB'))
    """
    from paquet.net.bpf import _libpcap

    lib = _libpcap()
    if isinstance(linktype, int):
        lib.pcap_datalink_val_to_name.restype = ctypes.c_char_p
        lib.pcap_datalink_val_to_name.argtypes = (ctypes.c_int,)
        name = lib.pcap_datalink_val_to_name(int(linktype))
        if not name:
            raise ValueError("Unknown linktype. Try passing its datalink name instead")
        return int(linktype), bytes(name).decode()
    text = linktype[4:] if linktype.startswith("DLT_") else linktype
    lib.pcap_datalink_name_to_val.restype = ctypes.c_int
    lib.pcap_datalink_name_to_val.argtypes = (ctypes.c_char_p,)
    value = int(lib.pcap_datalink_name_to_val(text.encode()))
    if value < 0:
        raise ValueError("Unknown linktype. Try passing its datalink name instead")
    return value, text


def _popen(argv: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(argv, **kwargs)
    except OSError as exc:
        raise PaquetError(f"could not run {argv[0]}: {exc.strerror or exc}") from None


def tcpdump(
    pktlist: Any = None,
    dump: bool = False,
    getfd: bool = False,
    args: list[str] | None = None,
    flt: str | None = None,
    prog: Any = None,
    getproc: bool = False,
    quiet: bool = False,
    use_tempfile: Any = None,
    read_stdin_opts: Any = None,
    linktype: Any = None,
    wait: bool = True,
    _suppress: bool = False,
) -> Any:
    """Run tcpdump (or ``prog``: tshark, Wireshark) on packets, a capture file object, a
    file name, or nothing (it then captures itself), as Scapy's ``tcpdump``.

    ``args`` are added to the command line, ``flt`` a BPF filter (checked first), ``linktype``
    (number or name) is passed as ``-y``. ``dump`` returns the output, ``getfd`` a file to
    read it from, ``getproc`` the process; otherwise the output goes to ours and, with
    ``wait``, the call returns when the program ends. ``quiet`` discards its errors. A
    program that cannot be run raises :class:`~paquet.errors.PaquetError`.
    """
    getfd = getfd or getproc
    tcpdump_prog = _prog("tcpdump")
    if prog is None:
        argv = [tcpdump_prog]
    elif isinstance(prog, str):
        argv = [prog]
    else:
        raise ValueError("prog must be a string")
    lt_number: int | None = None
    if linktype is not None:
        lt_number, lt_name = linktype_name(linktype)
        argv += ["-y", lt_name]
    extra = [] if args is None else list(args)
    if flt is not None:
        from paquet.net.bpf import compile_filter

        if lt_number is None and isinstance(pktlist, str):
            from paquet.pcap import open_capture

            with open_capture(pktlist, raw=True) as rd:
                lt_number = rd.linktype
        compile_filter(flt, 1 if lt_number is None else lt_number)
        extra.append(flt)
    stdout = subprocess.PIPE if dump or getfd else None
    stderr = subprocess.DEVNULL if quiet else None
    if read_stdin_opts is None:
        if argv[0] == _prog("wireshark"):
            stdin_opts = ["-ki", "-"]
        elif argv[0] == tcpdump_prog:
            stdin_opts = ["-U", "-r", "-"]
        else:
            stdin_opts = ["-r", "-"]
    else:
        stdin_opts = list(read_stdin_opts)
    temp: str | None = None
    if pktlist is None:
        proc = _popen(argv + extra, stdout=stdout, stderr=stderr)
    elif isinstance(pktlist, str):
        proc = _popen([*argv, "-r", pktlist, *extra], stdout=stdout, stderr=stderr)
    elif use_tempfile:
        fd, path = tempfile.mkstemp(prefix="paquet", suffix=".pcap")
        _track_temp(path)
        temp = path
        with os.fdopen(fd, "wb") as tmp:
            if hasattr(pktlist, "read"):
                for chunk in iter(lambda: pktlist.read(_CHUNK), b""):
                    tmp.write(chunk)
            else:
                _write(tmp, pktlist, lt_number)
        proc = _popen([*argv, "-r", path, *extra], stdout=stdout, stderr=stderr)
    else:
        proc = _feed(argv + stdin_opts + extra, pktlist, lt_number, stdout, stderr)
    if dump:
        assert proc.stdout is not None
        data = b"".join(iter(lambda: proc.stdout.read(_CHUNK), b""))  # type: ignore[union-attr]
        proc.wait()
        _remove(temp)
        return data
    if getproc:
        return proc
    if getfd:
        return proc.stdout
    if wait:
        proc.wait()
        _remove(temp)
    return None


def _remove(path: str | None) -> None:
    """Remove a temporary file the program has finished reading (left in ``conf.temp_files``
    as Scapy's, where a program still running may read it)."""
    if path is not None:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _write(f: IO[bytes], pktlist: Any, linktype: int | None) -> None:
    """Write ``pktlist`` to ``f`` as a pcap stream, leaving ``f`` open."""
    from paquet.pcap import PcapWriter

    with PcapWriter(f, linktype=linktype) as w:
        w.write(pktlist)


def _feed(
    argv: list[str], pktlist: Any, linktype: int | None, stdout: Any, stderr: Any
) -> subprocess.Popen[bytes]:
    """Start ``argv`` reading ``pktlist`` on its standard input: a real file is handed over as
    is, anything else is written to a pipe (a file object's bytes, or packets as pcap)."""
    try:
        pktlist.fileno()
    except (AttributeError, ValueError, OSError):
        pass
    else:
        return _popen(argv, stdin=pktlist, stdout=stdout, stderr=stderr)
    proc = _popen(argv, stdin=subprocess.PIPE, stdout=stdout, stderr=stderr)
    stdin = proc.stdin
    assert stdin is not None
    try:
        if hasattr(pktlist, "read"):
            for chunk in iter(lambda: pktlist.read(_CHUNK), b""):
                stdin.write(chunk)
        else:
            _write(stdin, pktlist, linktype)
    except BrokenPipeError:
        pass  # the program stopped reading (an error it reports itself)
    finally:
        with contextlib.suppress(BrokenPipeError):
            stdin.close()
    return proc


def tdecode(pktlist: Any, args: list[str] | None = None, **kwargs: Any) -> Any:
    """Run tshark on packets (``tshark -V``: every field decoded), as Scapy's ``tdecode``.

    Takes :func:`tcpdump`'s other arguments (``dump=True`` returns the text).
    """
    if args is None:
        args = ["-V"]
    return tcpdump(pktlist, prog=_prog("tshark"), args=args, **kwargs)


def wireshark(pktlist: Any, wait: bool = False, **kwargs: Any) -> Any:
    """Open packets in Wireshark (in the background by default), as Scapy's ``wireshark``.

    Wireshark is a graphical program: without a display (``DISPLAY`` or
    ``WAYLAND_DISPLAY``) this raises :class:`~paquet.errors.PaquetError` rather than start
    it, as it does when Wireshark is not installed. Takes :func:`tcpdump`'s other arguments.
    """
    prog = _prog("wireshark")
    display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if not display and shutil.which(prog):
        raise PaquetError("wireshark() needs a graphical display (DISPLAY is not set)")
    return tcpdump(pktlist, prog=prog, wait=wait, **kwargs)

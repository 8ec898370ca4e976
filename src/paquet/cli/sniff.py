"""``paquet sniff``: capture live, one line per packet as it arrives, with tcpdump's flags.

The filter (tcpdump's positional expression, or ``-f``) is compiled by libpcap and runs in
the kernel. Lines are tcpdump's (``-n``, ``-e``, ``-t``..``-ttttt``, ``-x``/``-X``/``-XX``,
``-A``, ``-v``); ``--summary`` gives paquet's numbered summaries instead (``--tree`` adds
each packet's field tree), ``--json`` one object a packet. ``-w`` saves every packet (pcapng,
or pcap when the name ends in ``.pcap``; ``-w -`` a pcap stream on standard output, as
tcpdump), ``-C``/``-G`` start a new file by size or time;
``-r`` reads a capture instead of the network. ``-p`` leaves the interface out of promiscuous
mode (tcpdump's meaning; promiscuous is the default on a named interface). At the end, a
tcpdump-like count on stderr: captured, received by the filter, dropped by the kernel, and
discarded (left in the ring when the capture ended): the last three add up to the second.
A frame that cannot be decoded or printed is shown as its bytes with the reason, and the
capture goes on. ``--timeout`` is a deadline from the start, whatever the traffic.
Exit codes: 0 a capture (even empty, as tcpdump), 2 no privilege, bad interface or filter.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import click

from paquet.capfile import RawPacket, _default_decoder, _set_meta
from paquet.cli.params import COUNT, SECONDS, TEXT, FilePath, FiniteFloat, Int
from paquet.cli.read import packet_json, packet_line, show_text
from paquet.cli.render import print_ndjson, refused
from paquet.cli.status import ExitStatus

__all__ = ["command"]


@click.command("sniff", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("expression", nargs=-1, type=TEXT)
@click.option("-i", "--iface", "ifaces", type=TEXT, metavar="IFACE", multiple=True,
              help="Interface, repeatable (default, or any: all of them).")
@click.option("-f", "--filter", "filt", type=TEXT, metavar="FILTER",
              help="tcpdump filter (libpcap syntax), as the EXPRESSION words are.")
@click.option("-c", "--count", type=COUNT, metavar="N", help="Stop after N packets.")
@click.option("--timeout", type=SECONDS, metavar="SECONDS", help="Stop after SECONDS.")
@click.option("-r", "--read-file", "infile", type=FilePath(exists=True, allow_dash=True),
              metavar="FILE", help="Read packets from a capture file instead of the network.")
@click.option("-w", "--write", "out", type=FilePath(writable=True, allow_dash=True),
              metavar="FILE", help="Save to a pcapng/pcap file (- : a pcap stream on stdout).")
@click.option("-C", "file_size", type=FiniteFloat(0, 1e9, open_low=True, unit="MB", name="MB"),
              metavar="MB", help="With -w: a new file each MB million bytes (FILE, FILE1...).")
@click.option("-G", "rotate", type=SECONDS, metavar="SECONDS",
              help="With -w: a new file every SECONDS (FILE through strftime, as tcpdump).")
@click.option("-W", "file_count", type=Int(1, 1_000_000), metavar="N",
              help="With -C: N files used in turn (FILE0, FILE1...); with -G: stop after N.")
@click.option("-s", "--snapshot-length", "snaplen", type=Int(0, 262144), metavar="SNAPLEN",
              help="Keep the first SNAPLEN bytes of each packet captured (0: 262144).")
@click.option("-n", "numeric", count=True, help="Numbers, not names, for ports.")
@click.option("-t", "stamps", count=True,
              help="-t no time, -tt epoch seconds, -ttt delta, -tttt date, -ttttt since first.")
@click.option("-e", "link", is_flag=True, help="Print the link-level header.")
@click.option("-x", "hex_", count=True, help="Hex dump (-xx: with the link header).")
@click.option("-X", "hex_ascii", count=True,
              help="Hex and ASCII dump (-XX: with the link header).")
@click.option("-A", "ascii_", is_flag=True, help="Each packet in ASCII (without link header).")
@click.option("-v", "--verbose", count=True,
              help="tcpdump's -v: IP header fields, checksums, quoted packets, ND options.")
@click.option("--tree", is_flag=True, help="paquet's field tree of each packet after its line.")
@click.option("-S", "--absolute-tcp-sequence-numbers", "absolute", is_flag=True,
              help="TCP sequence numbers as they are, not relative to the connection's first.")
@click.option("-K", "--dont-verify-checksums", "no_sums", is_flag=True,
              help="With -v: do not check the TCP/UDP/ICMPv6 checksums.")
@click.option("-#", "--number", "numbered", is_flag=True, help="A packet number before each line.")
@click.option("-l", "line_buffered", is_flag=True, help="Flush each line (stdout is a pipe).")
@click.option("-U", "--packet-buffered", "packet_buffered", is_flag=True,
              help="With -w: write each packet out as it is saved.")
@click.option("-p", "--no-promiscuous-mode", "no_promisc", is_flag=True,
              help="Do not put the interface in promiscuous mode (tcpdump's -p).")
@click.option("--promisc", "promisc", is_flag=True,
              help="Promiscuous mode on (the default on a named interface).")
@click.option("-q", "--quiet", is_flag=True, help="Print no packet lines (with -w).")
@click.option("--summary", is_flag=True, help="paquet's numbered one-line summaries.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per packet (NDJSON).")
@click.option("--netns", type=TEXT, metavar="NS", help="Capture inside network namespace NS.")
@click.option("-F", "filter_file", type=FilePath(exists=True), metavar="FILE",
              help="Read the filter expression from FILE.")
@refused("-D", "listing interfaces is not supported (ip link shows them)")
@refused("-L", "paquet captures each interface with its own link type")
@refused("-I", "monitor mode is not supported")
@refused("-B", "the capture ring's size is fixed (32 MiB)", takes_value=True)
@refused("-Z", "paquet does not change user after opening the capture", takes_value=True)
@refused("-z", "no command is run after a rotation", takes_value=True)
@refused("-y", "choosing the link type is not supported", takes_value=True)
@refused("-j", "choosing the time stamp type is not supported", takes_value=True)
@refused("-E", "ESP decryption is not supported", takes_value=True)
@refused("-M", "TCP-MD5 signatures are not checked", takes_value=True)
@refused("-T", "forcing a protocol's interpretation is not supported", takes_value=True)
@refused("-V", "reading a list of capture files is not supported", takes_value=True)
@refused("-Q", "capturing one direction only is not supported", takes_value=True)
def command(expression: tuple[str, ...], ifaces: tuple[str, ...], filt: str | None,
            count: int | None, timeout: float | None, infile: str | None, out: str | None,
            file_size: float | None, rotate: float | None, snaplen: int | None, numeric: int,
            stamps: int, link: bool, hex_: int, hex_ascii: int, ascii_: bool, verbose: int,
            tree: bool, absolute: bool, no_sums: bool, numbered: bool, line_buffered: bool,
            packet_buffered: bool, no_promisc: bool, promisc: bool, quiet: bool, summary: bool,
            as_json: bool, netns: str | None, filter_file: str | None,
            file_count: int | None) -> int:
    """Capture packets live (or read them, -r) and print one line per packet, as tcpdump.

    \b
    Examples:
      paquet sniff -i eth0 -n icmp or arp -c 10
      paquet sniff --netns pq-tp-client -w client.pcapng -q
      paquet sniff -i eth0 -w - udp port 53 | tshark -r -
      paquet sniff -r capture.pcap -e -X tcp port 80
    """
    if sum(map(bool, (expression, filt, filter_file))) > 1:
        raise click.UsageError("give the filter once: -f FILTER, -F FILE or the expression words")
    if filter_file is not None:
        with open(filter_file, encoding="utf-8", errors="surrogateescape") as f:
            filt = " ".join(f.read().split())
    if no_promisc and promisc:
        raise click.UsageError("-p turns promiscuous mode off; --promisc turns it on: not both")
    if (file_size or rotate) and (out is None or out == "-"):
        raise click.UsageError("-C and -G rotate the file of -w FILE (not -)")
    if file_count is not None and not (file_size or rotate):
        raise click.UsageError("-W counts the files of -C or -G")
    if infile is not None and (ifaces or netns or timeout):
        raise click.UsageError("-r reads a file: -i, --netns and --timeout are for live captures")
    if stamps > 5:
        raise click.UsageError("-t goes up to -ttttt")
    filt = " ".join(expression) if expression else filt
    if "any" in ifaces:  # tcpdump's -i any: every interface
        ifaces = ()
    iface: str | list[str] | None = (
        None if not ifaces else ifaces[0] if len(ifaces) == 1 else list(ifaces)
    )
    from paquet.cli.render import load_application_layers
    from paquet.cli.tcpdump import TcpdumpPrinter, where

    every = iface is None  # tcpdump -i any names the interface and direction on each line
    live = infile is None

    load_application_layers()
    to_stdout = out == "-"
    printer = TcpdumpPrinter(numeric=numeric > 0, link=link, stamps=stamps, verbose=verbose,
                             absolute=absolute, check_sums=not no_sums)
    writer = _Writer(out, file_size, rotate, flush=packet_buffered, count=file_count)
    state: dict[str, Any] = {"number": 0, "t0": None, "decode": None, "stop": False}
    cut = None if infile is not None else snaplen or None  # tcpdump -r ignores -s too

    def on_packet(rec: RawPacket) -> None:
        state["number"] += 1
        number = state["number"]
        if cut is not None and len(rec.data) > cut:
            rec.data = rec.data[:cut]
        try:
            writer.write(rec)
        except _FileLimit:
            state["stop"] = True
            return
        if quiet or to_stdout:
            return
        if state["t0"] is None:
            state["t0"] = rec.time
        try:
            show_packet(number, rec)
        except Exception as exc:  # RecursionError too: this frame is shown raw, the next ones
            show_raw(number, rec, exc)

    def show_raw(number: int, rec: RawPacket, exc: Exception) -> None:
        reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        if as_json:
            row = {"number": number, "time": rec.time, "caplen": len(rec.data)}
            print_ndjson({**row, "error": reason, "hex": rec.data.hex()})
            return
        rel = rec.time - state["t0"]
        click.echo(f"{number:>5} {rel:>11.6f} [cannot show: {reason}] {rec.data.hex()}")

    def show_packet(number: int, rec: RawPacket) -> None:
        if state["decode"] is None:
            state["decode"] = _default_decoder()
        pkt = _set_meta(state["decode"](rec.data, rec.linktype), rec)
        if as_json:
            print_ndjson(packet_json(number, pkt, rec))
            return
        if summary:
            line = packet_line(number, pkt, state["t0"])
            if not isinstance(iface, str) and rec.sniffed_on:
                line = f"{line}  [{rec.sniffed_on}]"
        else:
            on = where(rec.sniffed_on, rec.direction, rec.data) if every and live else ""
            line = printer.line(pkt, rec.time_ns, rec.wirelen, on)
            if numbered:
                line = f"{number:5d}  {line}"
        click.echo(line)
        dump = _dump(pkt, rec.data, hex_, hex_ascii, ascii_)
        if dump:
            click.echo(dump)
        if tree or (verbose and summary):
            click.echo(show_text(pkt).rstrip("\n") + "\n")
        if line_buffered:
            sys.stdout.flush()

    if infile is not None:
        return _offline(infile, filt, count, on_packet, writer, lambda: bool(state["stop"]))
    from paquet.net.sniff import sniff

    try:
        result = sniff(
            iface=iface,
            filter=filt,
            count=count or 0,
            timeout=timeout,
            prn=on_packet,
            stop_filter=lambda _rec: bool(state["stop"]),
            store=False,
            quiet=True,
            netns=netns,
            promisc=promisc or (iface is not None and not no_promisc),
            raw=True,
            started_callback=lambda: started(writer, iface, snaplen),
        )
        writer.statistics(result.capture_stats, state["number"])
    finally:
        writer.close()
    st = result.capture_stats
    received = st.kernel_received - st.duplicates
    click.echo(
        f"{state['number']} packets captured\n"
        f"{received} packets received by filter\n"
        f"{st.kernel_dropped} packets dropped by kernel\n"
        f"{st.discarded} packets discarded (in the ring at the end)",
        err=True,
    )
    if out is not None and not quiet and not to_stdout:
        click.echo(f"saved to {os.path.abspath(writer.name)}", err=True)
    return ExitStatus.OK


def started(writer: _Writer, iface: str | list[str] | None, snaplen: int | None) -> None:
    """The capture is live: open -w's file, and say so on stderr as tcpdump does."""
    writer.open()
    where = iface if isinstance(iface, str) else ", ".join(iface) if iface else "every interface"
    click.echo(f"paquet: listening on {where}, snapshot length {snaplen or 262144} bytes",
               err=True)


def _offline(infile: str, filt: str | None, count: int | None, on_packet: Any,
             writer: _Writer, stopped: Any) -> int:
    """``-r``: the file's packets through the filter (libpcap's, as tcpdump -r)."""
    from paquet.net.bpf import SavefileFilter
    from paquet.pcap import open_capture

    bpf = SavefileFilter(filt) if filt else None
    seen = 0
    writer.open()
    try:
        with open_capture(sys.stdin.buffer if infile == "-" else infile, raw=True) as reader:
            for rec in reader:
                if bpf is not None and not bpf.matches(rec, reader.byteorder):
                    continue
                on_packet(rec)
                if stopped():
                    break
                seen += 1
                if count is not None and seen >= count:
                    break
    finally:
        writer.close()
    return ExitStatus.OK


def _dump(pkt: Any, data: bytes, hex_: int, hex_ascii: int, ascii_: bool) -> str:
    """tcpdump's -x/-xx/-X/-XX/-A text after the line (without the link header unless doubled)."""
    from paquet.cli.tcpdump import hex_lines

    if not (hex_ or hex_ascii or ascii_):
        return ""
    whole = max(hex_, hex_ascii) >= 2
    body = data if whole else data[_link_len(pkt, data):]
    if hex_ascii:
        return hex_lines(body, True)
    if hex_:
        return hex_lines(body, False)
    out = []
    for i, b in enumerate(body):
        if b == 0x0D:  # tcpdump drops a CR before a LF or at the end
            if i + 1 < len(body) and body[i + 1] != 0x0A:
                out.append(".")
        elif 33 <= b < 127 or b in (0x20, 0x09, 0x0A):
            out.append(chr(b))
        else:
            out.append(".")
    return "".join(out)


def _link_len(pkt: Any, data: bytes) -> int:
    """The link-level header's length (Ethernet and its VLAN tags, Linux cooked)."""
    name = type(pkt).__name__
    if name not in ("Ether", "CookedLinux", "Dot3"):
        return 0
    layer = pkt.payload
    while type(layer).__name__ == "Dot1Q":
        layer = layer.payload
    return max(0, len(data) - len(bytes(layer)))


class _FileLimit(Exception):
    """-G with -W: the last file is full; the capture ends."""


class _Writer:
    """-w FILE (or -): pcapng, or pcap for ``.pcap`` names and standard output; a new file
    each -C million bytes (FILE, FILE1, FILE2...) or -G seconds (FILE through strftime)."""

    def __init__(self, name: str | None, size_mb: float | None, seconds: float | None,
                 flush: bool = False, count: int | None = None) -> None:
        self.pattern = name
        self.flush = flush
        self.count = count
        self.rotations = 0
        self.limit = None if size_mb is None else int(size_mb * 1_000_000)
        self.seconds = seconds
        self.writer: Any = None
        self.name = name or ""
        self.index = 0
        self.opened_at = 0.0
        self.start = time.time()

    def open(self) -> None:
        """Open the first file (called once the socket is open: no empty file on a failure)."""
        if self.pattern is None:
            return
        self.start = time.time()
        self._open_next()

    def _open_next(self) -> None:
        from paquet.pcap import PcapWriter
        from paquet.pcapng import PcapNgWriter

        assert self.pattern is not None
        self.opened_at = time.time()
        if self.pattern == "-":
            self.writer = PcapWriter(sys.stdout.buffer, nano=False)
            return
        name = time.strftime(self.pattern) if self.seconds else self.pattern
        if self.limit is not None and self.count is not None:  # -W: FILE0, FILE1... in turn
            name = f"{name}{self.index % self.count:0{len(str(self.count - 1))}d}"
        elif self.limit is not None and self.index:
            name = f"{name}{self.index}"
        self.name = name
        if self.pattern.endswith(".pcap"):  # FILE1, FILE2... keep FILE's format
            self.writer = PcapWriter(name, nano=True)
        else:
            self.writer = PcapNgWriter(name, nano=True, comment="paquet sniff")

    def write(self, rec: RawPacket) -> None:
        """Write one record (rotating first when a limit is reached)."""
        if self.writer is None:
            return
        if self.seconds and time.time() - self.opened_at >= self.seconds:
            self.writer.close()
            self.rotations += 1
            if self.count is not None and self.rotations >= self.count:
                self.writer = None  # -G with -W: tcpdump stops after N files
                raise _FileLimit
            self.index = 0
            self._open_next()
        elif self.limit is not None and self._size() > self.limit:
            self.writer.close()
            self.index += 1
            self._open_next()
        self.writer.write_packet(rec)
        if self.pattern == "-":
            sys.stdout.buffer.flush()
        elif self.flush:
            self.writer.flush()

    def _size(self) -> int:
        try:
            self.writer.flush()
            return os.path.getsize(self.name)
        except (OSError, AttributeError):
            return 0

    def statistics(self, st: Any, delivered: int) -> None:
        """One interface: the capture's counts belong to it (as dumpcap records them)."""
        from paquet.pcapng import InterfaceStatistics, PcapNgWriter

        writer = self.writer
        if isinstance(writer, PcapNgWriter) and len(writer.interfaces) == 1:
            writer.write_statistics(
                InterfaceStatistics(
                    0,
                    time.time(),
                    start=self.start,
                    end=time.time(),
                    filter_accepted=st.kernel_received - st.duplicates,
                    os_dropped=st.kernel_dropped,
                    delivered=delivered,
                    comments=["counters of paquet sniff (kernel PACKET_STATISTICS)"],
                )
            )

    def close(self) -> None:
        """Close the current file."""
        if self.writer is not None:
            self.writer.close()
            self.writer = None

"""``paquet read FILE``: list the packets of a pcap or pcapng file, as ``tshark -r`` does.

One line per packet (number, time since the first packet, summary); ``-v`` the field tree;
``FILE`` may be ``-``: ``tcpdump -w - | paquet read -`` reads as the packets come;
``-x`` a hexdump; ``--json`` one JSON object per line; ``-f`` a tcpdump filter run by libpcap.
Exit codes: 0 packets shown, 1 none (empty file, or the filter matched nothing), 2 a file that
is not a capture, is damaged (after the packets before the damage), or a bad filter.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

import click

from paquet.capfile import RawPacket, _default_decoder, _set_meta
from paquet.cli.main import Exit
from paquet.cli.params import COUNT, TEXT, Choice, FilePath
from paquet.cli.render import print_ndjson
from paquet.cli.status import ExitStatus
from paquet.pcap import open_capture

__all__ = ["command", "hexdump_text", "packet_json", "packet_line", "show_text"]


def packet_line(number: int, pkt: Any, t0: float | None) -> str:
    """``   12   0.004213 Ether / IP / UDP 192.0.2.1:53 > 192.0.2.2:4242``."""
    t = float(getattr(pkt, "time", 0.0) or 0.0)
    rel = t - t0 if t0 is not None else 0.0
    return f"{number:>5} {rel:>11.6f} {pkt.summary()}"


def show_text(pkt: Any) -> str:
    """The packet's field tree (``pkt.show()``), as text."""
    try:
        out = pkt.show(dump=True)
    except TypeError:
        out = None
    if isinstance(out, str):
        return out
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        pkt.show()
    return buf.getvalue()


def hexdump_text(data: bytes) -> str:
    """Offsets, hex bytes and ASCII, 16 bytes a line (``tcpdump -X`` / Scapy's hexdump)."""
    lines = []
    for off in range(0, len(data), 16):
        row = data[off : off + 16]
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
        lines.append(f"{off:04x}  {row.hex(' '):<47}  {text}")
    return "\n".join(lines)


def packet_json(number: int, pkt: Any, rec: RawPacket) -> dict[str, Any]:
    """One packet as a JSON-able dict: number, metadata, summary and the dissected layers."""
    out: dict[str, Any] = {
        "number": number,
        "time": rec.time,
        "time_ns": rec.time_ns,
        "caplen": len(rec.data),
        "wirelen": rec.wirelen,
        "linktype": rec.linktype,
    }
    if rec.sniffed_on is not None:
        out["interface"] = rec.sniffed_on
    if rec.comments:
        out["comments"] = [c.decode("utf-8", "replace") for c in rec.comments]
    out["summary"] = pkt.summary()
    to_dict = getattr(pkt, "to_dict", None)
    if callable(to_dict):
        out["layers"] = to_dict()
    return out


@click.command("read")
@click.argument("file", required=False, type=FilePath(exists=True, allow_dash=True))
@click.option(
    "-r", "--read-file", "read_file", type=FilePath(exists=True, allow_dash=True),
    metavar="FILE", help="The capture to read (tshark's -r; the same as FILE).",
)
@click.option(
    "-f", "--filter", "filt", type=TEXT, metavar="FILTER", help="tcpdump filter (libpcap syntax)."
)
@click.option(
    "-Y", "--display-filter", "dfilter", type=TEXT, metavar="FILTER",
    help="Wireshark display filter (tshark -Y): ip.addr == 192.0.2.0/24 && tcp.flags.syn.",
)
@click.option(
    "-c", "--count", type=COUNT, metavar="N",
    help="Stop after N packets: read (as tshark), or matched by -f (as tcpdump).",
)
@click.option(
    "-T", "output", type=Choice(["text", "fields", "json"]), default="text",
    help="Output format (tshark -T): text lines, the -e fields, or tshark's JSON.",
)
@click.option(
    "-e", "fields", type=TEXT, metavar="FIELD", multiple=True,
    help="A field to print with -T fields or -T json (repeatable): ip.src, dns.qry.name...",
)
@click.option(
    "-E", "field_opts", type=TEXT, metavar="KEY=VALUE", multiple=True,
    help="tshark's -E for -T fields: header=y, separator=/t|/s|C, quote=d|s|n, aggregator=C, "
    "occurrence=f|l|a.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show every field of every packet.")
@click.option("-x", "--hex", "hexdump", is_flag=True, help="Add a hexdump of each packet.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per packet (NDJSON).")
@click.option(
    "--follow",
    type=TEXT,
    metavar="tcp,N",
    help="Print TCP stream N's data in both directions, as Wireshark's Follow TCP Stream "
    "(tshark -z follow,tcp,ascii,N); tcp,hex,N or tcp,raw,N for its other modes.",
)
@click.option("--plot", is_flag=True, help="Packets and bytes over time (Wireshark's I/O graph).")
@click.option("--ladder", is_flag=True, help="Draw the exchange as a ladder diagram.")
@click.option(
    "--svg", type=FilePath(writable=True), help="Draw --plot or --ladder into this file."
)
@click.option(
    "--html", "html_file", type=FilePath(writable=True), help="Write the ladder as HTML."
)
def command(
    file: str | None,
    filt: str | None,
    count: int | None,
    verbose: bool,
    hexdump: bool,
    as_json: bool,
    follow: str | None = None,
    plot: bool = False,
    ladder: bool = False,
    svg: str | None = None,
    html_file: str | None = None,
    read_file: str | None = None,
    dfilter: str | None = None,
    output: str = "text",
    fields: tuple[str, ...] = (),
    field_opts: tuple[str, ...] = (),
) -> int:
    """Read a pcap or pcapng capture FILE (- for standard input) and list its packets.

    \b
    Examples:
      paquet read capture.pcapng -f "tcp port 80" -c 20
      paquet read -r capture.pcap -Y "dns.qry.name contains example" -T fields -e ip.src
      paquet read capture.pcap -v -x
      tcpdump -i lo -w - | paquet read -
      paquet read handshake.pcap --ladder --svg handshake.svg
    """
    import sys

    from paquet.cli.render import load_application_layers
    from paquet.net.bpf import SavefileFilter

    if file is not None and read_file is not None:
        raise click.UsageError("give the capture once: FILE or -r FILE")
    file = file if file is not None else read_file
    if file is None:
        raise click.UsageError("no capture to read: give FILE or -r FILE")
    if output == "fields" and not fields:
        raise click.UsageError("-T fields needs at least one -e FIELD")
    if fields and output == "text":
        raise click.UsageError("-e needs -T fields or -T json")
    display, opts = _tshark_options(dfilter, fields, field_opts)
    load_application_layers()

    if follow is not None:
        from paquet.net.follow import follow_command

        source = sys.stdin.buffer if file == "-" else file
        click.echo(follow_command(source, follow, filt), nl=False)
        return ExitStatus.OK
    if plot:
        from paquet.draw.iograph import plot_capture

        click.echo(plot_capture(sys.stdin.buffer if file == "-" else file, filt, svg, file))
        return ExitStatus.OK
    if ladder or svg or html_file:
        from paquet.cli.ladder import read_ladder

        if read_ladder(file, filt, count, svg, html_file) != ExitStatus.OK:
            raise Exit(ExitStatus.NEGATIVE)
        return ExitStatus.OK
    reader = open_capture(sys.stdin.buffer if file == "-" else file, raw=True)
    decode = _default_decoder()
    bpf = SavefileFilter(filt) if filt else None
    shown = 0
    t0: float | None = None
    first_ns = 0
    json_items = 0
    if output == "fields" and opts.header:
        click.echo(opts.header_line(list(fields)))
    if output == "json":
        click.echo("[", nl=False)
    with reader:
        for number, rec in enumerate(reader, 1):
            if t0 is None:
                t0 = rec.time
                first_ns = rec.time_ns
            if dfilter is None and count is not None and filt is None and shown >= count:
                break
            if dfilter is not None and count is not None and number > count:
                break
            if bpf is not None and not bpf.matches(rec, reader.byteorder):
                continue
            pkt = _set_meta(decode(rec.data, rec.linktype), rec)
            frame = None
            if display is not None or output != "text":
                frame = _frame(number, rec, first_ns, pkt)
                if display is not None and not display.matches(pkt, frame):
                    continue
            if output == "fields":
                assert frame is not None
                click.echo(_fields_line(pkt, frame, fields, opts))
            elif output == "json":
                assert frame is not None
                click.echo(_json_item(pkt, frame, fields, json_items), nl=False)
                json_items += 1
            elif as_json:
                print_ndjson(packet_json(number, pkt, rec))
            else:
                click.echo(packet_line(number, pkt, t0))
                if verbose:
                    click.echo(show_text(pkt).rstrip("\n"))
                if hexdump:
                    click.echo(hexdump_text(rec.data))
                if verbose or hexdump:
                    click.echo("")
            shown += 1
            if count is not None and filt is not None and shown >= count:
                break
    if output == "json":
        click.echo("\n]" if json_items else "]")
    if shown == 0:
        raise Exit(ExitStatus.NEGATIVE)
    return ExitStatus.OK


def _tshark_options(dfilter: str | None, fields: tuple[str, ...],
                    field_opts: tuple[str, ...]) -> tuple[Any, Any]:
    """The compiled -Y filter and -E options; a bad one is a usage error (one line, exit 2)."""
    from paquet.dfilter import compile_filter as compile_display
    from paquet.dfilter.output import FieldsOptions, check_fields
    from paquet.errors import ExpressionError

    try:
        display = None if dfilter is None else compile_display(dfilter)
        check_fields(list(fields))
        return display, FieldsOptions.parse(field_opts)
    except ExpressionError as exc:
        raise click.UsageError(str(exc)) from None


def _frame(number: int, rec: RawPacket, first_ns: int, pkt: Any) -> Any:
    from paquet.dfilter import FrameInfo

    return FrameInfo(number, rec.data, rec.wirelen or len(rec.data), rec.time_ns, first_ns,
                     pkt)


def _fields_line(pkt: Any, frame: Any, fields: tuple[str, ...], opts: Any) -> str:
    from paquet.dfilter.evaluate import _layers
    from paquet.dfilter.output import values

    layers = _layers(pkt, frame)
    return str(opts.line([values(name, pkt, frame, layers) for name in fields]))


def _json_item(pkt: Any, frame: Any, fields: tuple[str, ...], index: int) -> str:
    import json
    import textwrap

    from paquet.dfilter.output import json_packet

    text = json.dumps(json_packet(pkt, frame, list(fields)), indent=2, ensure_ascii=False)
    return ("," if index else "") + "\n" + textwrap.indent(text, "  ")

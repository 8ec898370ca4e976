"""``paquet sniff``: capture live, one line per packet as it arrives (tcpdump's job).

The filter is compiled by libpcap and runs in the kernel; ``-w`` saves every packet (pcapng,
or pcap when the name ends in ``.pcap``) with its exact timestamp and interface. At the end, a
tcpdump-like count on stderr: captured, received by the filter, dropped by the kernel, and
discarded (left in the ring when the capture ended): the last three add up to the second.
A frame that cannot be decoded or printed is shown as its bytes with the reason, and the
capture goes on. ``-t`` is a deadline from the start, whatever the traffic.
Exit codes: 0 a capture (even empty, as tcpdump), 2 no privilege, bad interface or filter.
"""

from __future__ import annotations

import os
import time
from typing import Any

import click

from paquet.capfile import RawPacket, _default_decoder, _set_meta
from paquet.cli.params import COUNT, SECONDS, TEXT, FilePath
from paquet.cli.read import packet_json, packet_line, show_text
from paquet.cli.render import print_ndjson
from paquet.cli.status import ExitStatus

__all__ = ["command"]


@click.command("sniff")
@click.option(
    "-i",
    "--iface",
    "ifaces",
    type=TEXT,
    metavar="IFACE",
    multiple=True,
    help="Interface, repeatable (default: all of them).",
)
@click.option(
    "-f", "--filter", "filt", type=TEXT, metavar="FILTER", help="tcpdump filter (libpcap syntax)."
)
@click.option(
    "-c", "--count", type=COUNT, metavar="N", help="Stop after N packets."
)
@click.option(
    "-t", "--timeout", type=SECONDS, metavar="SECONDS", help="Stop after SECONDS."
)
@click.option(
    "-w", "--write", "out", type=FilePath(writable=True), help="Save to a pcapng/pcap file."
)
@click.option("-v", "--verbose", is_flag=True, help="Show every field of every packet.")
@click.option("-q", "--quiet", is_flag=True, help="Print no packet lines (with -w).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per packet (NDJSON).")
@click.option("--netns", type=TEXT, metavar="NS", help="Capture inside network namespace NS.")
@click.option("-p", "--promisc", is_flag=True, help="Put the interface in promiscuous mode.")
def command(
    ifaces: tuple[str, ...],
    filt: str | None,
    count: int | None,
    timeout: float | None,
    out: str | None,
    verbose: bool,
    quiet: bool,
    as_json: bool,
    netns: str | None,
    promisc: bool,
) -> int:
    """Capture packets live and print one line per packet.

    \b
    Examples:
      paquet sniff -i eth0 -f "icmp or arp" -c 10
      paquet sniff --netns pq-tp-client -w client.pcapng -q
      paquet sniff -f "udp port 53" --json
    """
    iface: str | list[str] | None = (
        None if not ifaces else ifaces[0] if len(ifaces) == 1 else list(ifaces)
    )
    from paquet.cli.render import load_application_layers
    from paquet.net.sniff import sniff

    load_application_layers()
    from paquet.pcapng import InterfaceStatistics, PcapNgWriter

    state: dict[str, Any] = {
        "number": 0,
        "t0": None,
        "writer": None,
        "decode": None,
        "start": time.time(),
    }

    def open_writer() -> None:
        # Called once the socket is open: no empty file is left behind by a failed start.
        if out is None:
            return
        state["start"] = time.time()
        if out.endswith(".pcap"):
            from paquet.pcap import PcapWriter

            state["writer"] = PcapWriter(out, nano=True)
        else:
            state["writer"] = PcapNgWriter(out, nano=True, comment="paquet sniff")

    def on_packet(rec: RawPacket) -> None:
        state["number"] += 1
        number = state["number"]
        if state["writer"] is not None:
            state["writer"].write_packet(rec)
        if quiet:
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
        line = packet_line(number, pkt, state["t0"])
        if not isinstance(iface, str) and rec.sniffed_on:
            line = f"{line}  [{rec.sniffed_on}]"
        click.echo(line)
        if verbose:
            click.echo(show_text(pkt).rstrip("\n") + "\n")

    try:
        result = sniff(
            iface=iface,
            filter=filt,
            count=count or 0,
            timeout=timeout,
            prn=on_packet,
            store=False,
            quiet=True,
            netns=netns,
            promisc=promisc,
            raw=True,
            started_callback=open_writer,
        )
        st = result.capture_stats
        writer = state["writer"]
        if isinstance(writer, PcapNgWriter) and len(writer.interfaces) == 1:
            # One interface: the capture's counts belong to it (as dumpcap records them).
            writer.write_statistics(
                InterfaceStatistics(
                    0,
                    time.time(),
                    start=state["start"],
                    end=time.time(),
                    filter_accepted=st.kernel_received - st.duplicates,
                    os_dropped=st.kernel_dropped,
                    delivered=state["number"],
                    comments=["counters of paquet sniff (kernel PACKET_STATISTICS)"],
                )
            )
    finally:
        if state["writer"] is not None:
            state["writer"].close()
    st = result.capture_stats
    received = st.kernel_received - st.duplicates
    click.echo(
        f"{state['number']} packets captured\n"
        f"{received} packets received by filter\n"
        f"{st.kernel_dropped} packets dropped by kernel\n"
        f"{st.discarded} packets discarded (in the ring at the end)",
        err=True,
    )
    if out is not None and not quiet:
        click.echo(f"saved to {os.path.abspath(out)}", err=True)
    return ExitStatus.OK

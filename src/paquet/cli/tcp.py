"""``paquet tcp HOST PORT [--send DATA]``: a TCP session by hand, segment by segment (IPv4 or
IPv6).

The three-way handshake, the data and its acknowledgement, the server's answer, the close, all
from raw packets (the kernel's RST is silenced for the flow by a temporary nftables rule). Exit
status: 0 when the session went through, 1 when the server refused (RST) or did not answer,
2 on bad input or a missing privilege.
"""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from paquet.cli.main import Exit
from paquet.cli.params import MAX_SECONDS, TEXT, FiniteFloat, Int, Text
from paquet.cli.render import console, print_json
from paquet.cli.status import ExitStatus

__all__ = ["command", "segment_table"]


def segment_table(segments: list[dict[str, object]]) -> Table:
    """A table of the session's segments (as :meth:`Segment.to_dict` gives them)."""
    from paquet.course.handshake import endpoint

    table = Table(box=None, pad_edge=False, header_style="bold")
    for name in ("", "from", "to", "flags", "seq", "ack", "win", "len", "data", "what"):
        table.add_column(name, justify="right" if name in ("seq", "ack", "win", "len") else "left")
    for seg in segments:
        out = seg["direction"] == "out"
        flags = str(seg["flags"])
        style = "red" if "R" in flags else ("cyan" if out else "green")
        table.add_row(
            "->" if out else "<-",
            endpoint(str(seg["src"]), int(str(seg["sport"]))),
            endpoint(str(seg["dst"]), int(str(seg["dport"]))),
            f"[{style}]{escape(flags)}[/]",
            str(seg["rel_seq"]),
            str(seg["rel_ack"]) if "A" in flags else "",
            str(seg["window"]),
            str(seg["len"]),
            escape(repr(bytes.fromhex(str(seg["data_hex"])))) if seg["len"] else "",
            escape(str(seg["note"])),
        )
    return table


@click.command(name="tcp")
@click.argument("host", type=TEXT)
@click.argument("port", type=Int(1, 65535))
@click.option("--send", "data", type=Text(lines=True, longest=None), default=None,
              help="Data to send once connected (UTF-8 text).")
@click.option(
    "--sport",
    type=Int(1, 65535),
    default=None,
    help="Our source port (default: random).",
)
@click.option(
    "--timeout",
    "-t",
    type=FiniteFloat(0.1, MAX_SECONDS),
    default=2.0,
    show_default=True,
    help="Seconds to wait for each answer.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the segments as JSON.")
@click.option("--ladder", is_flag=True, help="Draw the session as a ladder diagram.")
def command(
    host: str, port: int, data: str | None, sport: int | None, timeout: float, as_json: bool,
    ladder: bool = False,
) -> int:
    """A TCP session by hand with HOST:PORT (IPv4 or IPv6): SYN, SYN/ACK, ACK, data, FIN,
    each segment shown.

    The kernel's RST (it knows nothing of a connection made from raw packets) is dropped by a
    temporary nftables rule scoped to this flow, removed at the end, also on error or Ctrl-C.
    Needs root.
    """
    from paquet.course.handshake import TCPHandshakeError, run_session

    payload = data.encode() if data is not None else None
    if data is not None and not payload:
        raise click.UsageError("--send needs at least one byte")
    error: str | None = None
    try:
        segments, answer = run_session(host, port, payload, sport, timeout)
    except TCPHandshakeError as exc:
        segments, answer, error = exc.segments, b"", str(exc)
    rows = [s.to_dict() for s in segments]
    if as_json:
        print_json(
            {
                "host": host,
                "port": port,
                "ok": error is None,
                "error": error,
                "segments": rows,
                "answer": answer.decode("utf-8", "replace"),
                "answer_hex": answer.hex(),
            }
        )
    else:
        screen = console()
        if not screen.is_terminal:
            screen.width = max(screen.width, 140)
        if rows and ladder:
            from paquet.cli.ladder import print_ladder

            print_ladder(segments)
        elif rows:
            screen.print(segment_table(rows))
        if answer:
            screen.print(f"answer: {escape(repr(answer))}")
        if error is not None:
            screen.print(f"[red]{escape(error)}[/]")
        elif rows:
            screen.print(f"session closed: {len(rows)} segments")
    if error is not None:
        raise Exit(ExitStatus.NEGATIVE)
    return ExitStatus.OK

"""The ladder options of the command line: ``paquet read FILE --ladder [--svg F | --html F]``
and ``paquet tcp ... --ladder`` (the picture itself is :mod:`paquet.draw.ladder`'s).

The text form is printed (80 columns, colours on a terminal); ``--svg F`` / ``--html F`` write
the picture to ``F`` as well.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

__all__ = ["capture_packets", "print_ladder", "read_ladder"]


def capture_packets(file: str, filt: str | None, count: int | None) -> list[Any]:
    """The packets of the capture ``file`` (``-``: standard input) that match the tcpdump
    filter ``filt``, at most ``count``."""
    from paquet.capfile import _default_decoder, _set_meta
    from paquet.net.bpf import SavefileFilter
    from paquet.pcap import open_capture

    reader = open_capture(sys.stdin.buffer if file == "-" else file, raw=True)
    decode = _default_decoder()
    bpf = SavefileFilter(filt) if filt else None
    packets: list[Any] = []
    with reader:
        for rec in reader:
            if bpf is not None and not bpf.matches(rec, reader.byteorder):
                continue
            packets.append(_set_meta(decode(rec.data, rec.linktype), rec))
            if count is not None and len(packets) >= count:
                break
    return packets


def print_ladder(source: Any, svg: str | None = None, html: str | None = None,
                 title: str = "") -> None:
    """Print the ladder of ``source`` and write its SVG / HTML to the files given."""
    from paquet.cli.render import console
    from paquet.draw.ladder import ladder

    drawn = ladder(source, title)
    screen = console()
    if screen.is_terminal:
        screen.print(drawn.__rich__(), soft_wrap=True)
    else:
        click.echo(drawn.text())
    for path, text in ((svg, drawn.svg), (html, drawn.html)):
        if path:
            with click.open_file(path, "w", encoding="utf-8") as out:
                out.write(text())


def read_ladder(file: str, filt: str | None, count: int | None, svg: str | None,
                html: str | None) -> int:
    """``paquet read FILE --ladder``: 0 when packets were drawn, 1 when there were none."""
    from paquet.cli.status import ExitStatus

    packets = capture_packets(file, filt, count)
    if not packets:
        return ExitStatus.NEGATIVE
    print_ladder(packets, svg, html, title=os.path.basename(file) if file != "-" else "")
    return ExitStatus.OK

"""What notebooks show (``_repr_html_``, ``_repr_svg_``) for packets, packet lists, answer lists
and traceroute results, read in Chromium: real packets (tests/data, the ``tp`` lab)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser import render

from paquet import PacketList, rdpcap
from paquet.explainer import packet_html

DATA = Path(__file__).resolve().parents[1] / "data"
SERVER = "203.0.113.10"


def test_a_packet_in_a_notebook() -> None:
    pkt = rdpcap(str(DATA / "tcpdump-lo.pcap"))[7]  # ICMP port unreachable quoting UDP
    render(pkt._repr_svg_()).assert_readable(["ICMP", "IPerror", "UDPerror", "chksum"])
    # Every fold open (the browser reports the text of closed <details> where it would be
    # drawn): what a reader sees who opens them all.
    view = pkt._repr_html_().replace("<details class=", "<details open class=")
    page = f"<!DOCTYPE html><html><body>{view}</body></html>"
    render(page).assert_readable(["ICMP", "dest-unreach", "Destination MAC", "chksum"])


def test_a_packet_list_in_a_notebook() -> None:
    packets = rdpcap(str(DATA / "tcpdump-lo.pcap"))
    html = packets._repr_html_()
    assert html == packet_html(packets)  # packet_html of a list no longer raises
    shown = render(f"<!DOCTYPE html><html><body>{html}</body></html>")
    summaries = [p.summary() for p in packets]
    shown.assert_readable(["#", "time", "summary", summaries[0], summaries[-1], "127.0.0.1:9999"])
    assert packets._repr_svg_() is not None and "<svg" in packets._repr_svg_()


def test_a_long_list_has_its_table_only() -> None:
    from paquet.draw.notebook import LADDER_MAX, ROWS_MAX

    packets = PacketList(list(rdpcap(str(DATA / "tcpdump-lo.pcap"))) * 20)
    assert len(packets) > max(LADDER_MAX, ROWS_MAX)
    html = packets._repr_html_()
    assert "<svg" not in html and f"{len(packets) - ROWS_MAX} more" in html
    assert packets._repr_svg_() is None


def _traceroute(dst: str) -> dict[str, Any]:
    from paquet import traceroute

    res, _unans = traceroute(dst, maxttl=8, timeout=1, verbose=0)
    return {"html": res._repr_html_(), "trace": res.get_trace(), "svg": res._repr_svg_()}


@pytest.mark.privileged
def test_a_traceroute_result_in_a_notebook(lab_tp: Any) -> None:
    got = lab_tp["client"].run(_traceroute, SERVER)
    (hops,) = got["trace"].values()
    assert "<svg" in got["svg"] and "<svg" in got["html"]  # its graph, not a ladder
    shown = render(f"<!DOCTYPE html><html><body>{got['html']}</body></html>")
    addresses = [address for address, _ in hops.values()]
    shown.assert_readable(["ttl", SERVER, *addresses])
    assert [t.text for t in shown.texts if t.text.isdigit()][: len(hops)] == [
        str(ttl) for ttl in sorted(hops)
    ]

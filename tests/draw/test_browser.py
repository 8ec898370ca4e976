"""The browser check itself can fail: overlapping, cut-off and missing labels are caught."""

from __future__ import annotations

from browser import render


def test_clean_picture_passes() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="80">'
        '<rect width="300" height="80" fill="#eef"/>'
        '<text x="10" y="30" font-size="14">client</text>'
        '<text x="200" y="30" font-size="14">server</text></svg>'
    )
    shown = render(svg, 400, 200)
    shown.assert_readable(["client", "server"])
    assert shown.labels() == ["client", "server"]


def test_overlap_cut_off_and_missing_are_caught() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
        '<text x="10" y="20" font-size="14">SYN</text>'
        '<text x="14" y="22" font-size="14">ACK</text>'
        '<text x="100" y="20" font-size="14">RST, cut</text></svg>'
    )
    shown = render(svg, 300, 100)
    assert shown.missing(["SYN", "FIN"]) == ["FIN"]
    assert [(a.text, b.text) for a, b in shown.overlaps()] == [("SYN", "ACK")]
    assert [t.text for t in shown.cut_off()] == ["RST, cut"]


def test_blank_page_is_caught() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="50" height="50"></svg>'
    shown = render(svg, 200, 200)
    assert shown.texts == []
    from browser import blank

    assert blank(shown.png)

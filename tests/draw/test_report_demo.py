"""``paquet demo --html``: the course as one self-contained page, opened in headless Chromium.

The whole course runs in the tp lab (as ``paquet demo`` does): the page must hold every
section, the code and what it printed, the lab's topology and question 3's path as pictures,
and be readable (no overlapping or cut-off text). Pictures are drawn by functions looked up by
name: a missing one (the ladder diagrams until ``paquet.draw.ladder`` exists) falls back to the
question's text, a registered one is drawn inline.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from browser import render

from paquet.cli.main import main
from paquet.course.demo import SECTIONS
from paquet.course.page import Code, Output, Picture, Rule
from paquet.draw import report
from paquet.draw.report import Report


def test_pictures_are_looked_up_by_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    page = Report("en")
    page.add(Rule("Question 7"))
    page.add(Code("sr1(IP()/TCP())"))
    page.add(Output("IP / TCP 192.0.2.10:5000 > 203.0.113.10:10000 S"))
    monkeypatch.setitem(report.PICTURES, "ladder", ("paquet.draw.nothing_here", "ladder_svg"))
    page.add(Picture("ladder", [1, 2], "SYN\nSYN/ACK"))
    monkeypatch.setitem(report.PICTURES, "ladder", ("draw_helpers", "fake_ladder_svg"))
    page.add(Picture("ladder", [1, 2, 3], "SYN\nSYN/ACK\nRST"))
    text = page.html()
    assert text.count("<svg") == 1 and "<?xml" not in text
    assert "paquet.draw.nothing_here.ladder_svg is not available" in text
    path = tmp_path / "page.html"
    path.write_text(text)
    shown = render(path)
    shown.assert_readable(["Question 7", "sr1(IP()/TCP())", "SYN/ACK", "packet 1", "packet 3",
                           "picture unavailable"])


def test_french_page_without_the_lab(tmp_path: Path) -> None:
    path = tmp_path / "rapport.html"
    assert main(["demo", "--lang", "fr", "--no-lab", "--html", str(path)]) == 0
    text = path.read_text()
    assert '<html lang="fr">' in text and "Sommaire" in text
    assert not re.search(r"<(script|link|img)\b", text)  # self-contained, nothing to fetch
    titles = [s.title("fr") for s in SECTIONS if not s.needs_lab]
    render(path).assert_readable(titles)


@pytest.mark.privileged
def test_the_whole_course_in_the_lab(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.html"
    assert main(["demo", "--lang", "en", "--html", str(path)]) == 0
    capsys.readouterr()
    text = path.read_text()
    assert '<html lang="en">' in text
    assert not re.search(r"<(script|link|img)\b", text)
    assert text.count('<figure class="topology">') == 1
    assert text.count('<figure class="trace">') == 1
    ladders = text.count('<figure class="ladder">')
    assert ladders == 3  # question 7: the capture and paquet tcp's session; question 9
    trace = re.search(r'<figure class="trace">(.*?)</figure>', text, re.S)
    assert trace is not None
    hops = re.findall(r">(\d+\.\d+\.\d+\.\d+)<", trace.group(1))
    shown = render(path)
    wanted: list[Any] = [s.title("en") for s in SECTIONS]
    wanted += ["tracerouteperso", "client", "gateway", "r1", "r2", "remote", *hops]
    shown.assert_readable(wanted)
    assert len(set(hops)) >= 5  # client, gateway, r1, r2, remote

"""``paquet demo`` (the main job of ``make run``) in-process: both languages, JSON answers
equal to the course functions', sections selectable and extensible."""

from __future__ import annotations

import json
import os

import pytest

from paquet import nsi
from paquet.cli import demo
from paquet.cli.main import main


def test_french_demo_covers_exercises_1_and_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--lang", "fr", "--no-lab"]) == 0
    out = capsys.readouterr().out
    for heading in (
        "a) Combien d'adresses",
        "b) Du binaire au décimal",
        "c) decomposer()",
        "d) est_une_ip()",
        "e) Combien de machines",
        "f) et g) Même sous-réseau",
        "h) masque()",
        "i) adresse_sousreseau()",
        "j) meme_sousreseau()",
        "Étapes (i) à (iv)",
        "e) est_conforme()",
    ):
        assert heading in out, heading
    assert ">>> adresse_sousreseau('201.9.118.44', 21)\n'201.9.112.0'" in out
    assert "la fiche affiche '255.255.248.0'" in out  # the sheet's mistake is pointed out
    assert ">>> plus_petit_masque(1000)\n22" in out
    assert "0xae49 + 0x2 = 0xae4b" in out and "~0xae4b = 0x51b4" in out
    assert "192.0.2.224/30" in out  # the VLSM plan
    assert "2001:db8:0:a::/64" in out


def test_english_demo(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--lang", "en", "--no-lab"]) == 0
    out = capsys.readouterr().out
    assert "Exercise 1: IPv4 addresses" in out and "a) How many addresses?" in out
    assert "one's complement on 16 bits" in out and "Incremental update (RFC 1624)" in out


def test_json_answers_are_the_course_functions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--json", "--lang", "en", "--no-lab"]) == 0
    data = json.loads(capsys.readouterr().out)
    answers = data["sections"]["adresses"]
    assert answers["a_ipv4"] == nsi.nombre_adresses_ipv4() == 2**32
    assert answers["c_decomposer"] == [201, 9, 118, 19]
    assert answers["d_invalide"] is False
    assert answers["e_machines"] == 2046 and answers["e_masque_1000"] == 22
    assert (answers["f"], answers["g"]) == (True, False)
    assert answers["h"] == "255.255.248.0" and answers["i"] == "201.9.112.0"
    assert answers["d_raisons"]["010.1.1.1"].startswith("part 1 '010' has a leading zero")
    steps = data["sections"]["somme"]["explication"]
    assert (steps["sum"], steps["folded"], steps["computed"]) == ("0x2ae49", "0xae4b", "0x51b4")
    assert data["sections"]["somme"]["e_conforme"] is True
    assert data["sections"]["somme"]["e_altere"] is False
    assert data["sections"]["somme"]["incremental"] == {"new_checksum": "0x52b4", "ok": True}
    # The frame crafted with paquet: its header words, as Scapy builds the same frame.
    from scapy.layers.inet import IP, TCP
    from scapy.layers.l2 import Ether

    scapy_frame = bytes(
        Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
        / IP(src="192.0.2.1", dst="203.0.113.5")
        / TCP()
        / "La NSI, c'est cool !"
    )
    header = scapy_frame[14:34]
    assert data["sections"]["somme"]["trame_mots"] == [
        f"0x{int.from_bytes(header[i : i + 2], 'big'):04x}" for i in range(0, 20, 2)
    ]
    assert data["sections"]["somme"]["trame_conforme"] is True
    assert data["sections"]["somme"]["hexdump"].startswith(
        "0000  02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00  ..............E."
    )


def test_only_list_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--only", "somme", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Exercise 2" in out and "Exercise 1" not in out
    assert main(["demo", "--list", "--lang", "fr"]) == 0
    listed = capsys.readouterr().out.split()
    assert listed[0] == "q1" and "adresses" in listed and "somme" in listed
    assert main(["demo", "--only", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("paquet: error: unknown demo section 'nope'")


def test_default_language_from_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert main(["demo", "--only", "plans"]) == 0
    assert "Découper un réseau" in capsys.readouterr().out
    monkeypatch.setenv("LC_ALL", "C")
    assert main(["demo", "--only", "plans"]) == 0
    assert "Planning subnets" in capsys.readouterr().out
    assert demo.default_lang({}) == "en"
    assert demo.default_lang({"LC_MESSAGES": "fr_CA", "LANG": "en_US"}) == "fr"


def test_sections_are_extensible(capsys: pytest.CaptureFixture[str]) -> None:
    before = list(demo.SECTIONS)
    try:

        @demo.section("extra", "Une section de plus", "One more section")
        def _extra(ctx: demo.DemoContext) -> None:
            ctx.say("Bonjour.", "Hello.")
            ctx.record("greeting", ctx.t("bonjour", "hello"))

        with pytest.raises(ValueError, match="registered twice"):
            demo.section("extra", "x", "y")(_extra)
        assert main(["demo", "--only", "extra", "--lang", "fr"]) == 0
        out = capsys.readouterr().out
        assert "Une section de plus" in out and "Bonjour." in out
        assert main(["demo", "--only", "extra", "--json", "--lang", "en"]) == 0
        assert json.loads(capsys.readouterr().out)["sections"] == {"extra": {"greeting": "hello"}}
    finally:
        demo.SECTIONS[:] = before


def test_without_root_the_lab_sections_are_skipped_in_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    assert main(["demo", "--lang", "en", "--only", "q1", "--only", "q2", "--only", "q4"]) == 0
    out = capsys.readouterr().out
    skipped = [line for line in out.splitlines() if "skipped" in line]
    assert skipped == [
        "Lab sections skipped (q2, q4): the lab needs root (network namespaces, raw sockets): "
        "run `sudo paquet demo`"
    ]
    assert "###[ IP ]###" in out and "Question 2" not in out  # q1 needs no lab
    assert main(["demo", "--json", "--only", "q3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["skipped"] == ["q3"] and data["sections"] == {} and data["lab"] is None


def test_question_1_and_explain_offline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--json", "--only", "q1", "--only", "explain", "--lang", "fr"]) == 0
    data = json.loads(capsys.readouterr().out)
    from paquet import IP

    assert data["sections"]["q1"]["show"].startswith(IP().show(dump=True))
    assert "IP / ICMP 192.0.2.1 > 127.0.0.1 echo-request 0 / Raw" in data["sections"]["q1"]["show"]
    assert data["sections"]["explain"]["explain"] == {"IPv4": True, "UDP": True, "Data": None}


@pytest.mark.privileged
def test_the_whole_course_on_the_lab(capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess

    assert main(["demo", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    for number in range(2, 11):
        assert f"Question {number} :" in out
    # Q2: the gateway's reply, as the report's resp.show().
    assert "src       = 192.0.2.254" in out and "type      = echo-reply" in out
    # Q3: the four hops; Q10: the open ports of the target.
    assert "192.0.2.254\n198.51.100.2\n198.51.100.6\n203.0.113.138\n" in out
    assert "[21, 22, 80, 443]" in out
    # Q4: the reply went to the spoofed host; Q5: the server logged the spoofed source.
    assert "remote a capturé :\n    Ether / IP / ICMP 192.0.2.11 > 203.0.113.138 echo-reply" in out
    assert "server udp:10000 <- 203.0.113.138:40000 b'miaou'" in out
    assert "server udp:10000 <- 203.0.113.77:40000 b'miaou'" in out
    # Q6 bounded; Q7 the kernel's RST, then the hand-made session delivered miaou.
    assert "server: 20, remote: 21 (41)" in out and "stopped by count" in out
    assert "server: 20 from 127.0.0.1:10000 in" in out
    assert (
        "203.0.113.10:webmin > 192.0.2.10:5000 SA\n  Ether / IP / TCP 192.0.2.10:5000 > "
        "203.0.113.10:webmin R" in out
    )
    assert "server tcp:10000 <- b'miaou'" in out
    # Q8 the echo through StreamSocket; Q9 nothing delivered; rp_filter drops.
    assert "load      = b'Miaou'" in out and "delivered: False" in out
    assert "rp_filter strict: server captured 0 packets" in out
    # Exercises still there, and the lab is gone.
    assert "Exercice 1 : les adresses IPv4" in out and "~0xae4b = 0x51b4" in out
    names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert f"demo_{os.getpid()}_" not in names


@pytest.mark.privileged
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_interrupted_demo_takes_its_lab_down(sig: str) -> None:
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen(
        [sys.executable, "-m", "paquet", "demo", "--lang", "en"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    prefix = f"pq-demo_{proc.pid}_"
    try:
        deadline = time.monotonic() + 30
        while (
            prefix
            not in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
        ):
            assert proc.poll() is None and time.monotonic() < deadline, "the lab never came up"
            time.sleep(0.05)
        proc.send_signal(getattr(signal, sig))
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode != 0
    names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    assert prefix not in names

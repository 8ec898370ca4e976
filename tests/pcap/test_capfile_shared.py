"""What pcap and pcapng readers and writers share (paquet.capfile): options, closing."""

from __future__ import annotations

from pathlib import Path

import pytest

from paquet.capfile import CaptureReader, _CaptureWriter
from paquet.layers import IP, UDP, Ether
from paquet.pcap import PcapReader, PcapWriter, wrpcap
from paquet.pcapng import _BLOCK_OVERHEAD, MAX_BLOCK, PcapNgReader, PcapNgWriter, wrpcapng


@pytest.mark.parametrize("write", [wrpcap, wrpcapng])
def test_readers_take_the_shared_options_and_close_on_exit(
    tmp_path: Path, write: object
) -> None:
    path = tmp_path / "one.cap"
    pkt = Ether() / IP(src="127.0.0.1", dst="127.0.0.1") / UDP()
    assert callable(write)
    write(str(path), pkt)
    with PcapReader(str(path), raw=True, max_record=100) as reader:
        assert isinstance(reader, CaptureReader) and reader.max_record == 100
        assert [len(r) for r in reader] == [len(pkt)]
    assert reader.f.closed


def test_pcapng_block_cap_follows_max_record(tmp_path: Path) -> None:
    path = tmp_path / "one.pcapng"
    wrpcapng(str(path), Ether() / IP(src="127.0.0.1", dst="127.0.0.1"))
    with PcapNgReader(str(path)) as default, PcapNgReader(str(path), max_record=64) as capped:
        assert default.max_block == MAX_BLOCK
        assert capped.max_block == 64 + _BLOCK_OVERHEAD


@pytest.mark.parametrize("writer", [PcapWriter, PcapNgWriter])
def test_writers_close_on_exit(tmp_path: Path, writer: type[PcapWriter | PcapNgWriter]) -> None:
    path = tmp_path / "empty.cap"
    with writer(str(path)) as w:
        assert isinstance(w, _CaptureWriter)
    assert w.f.closed and path.stat().st_size > 0

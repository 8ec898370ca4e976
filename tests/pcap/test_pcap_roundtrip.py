"""Property tests: any records written then read back are the same, and Scapy's readers (the
reference) read our files the same way."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from scapy.utils import RawPcapNgReader, RawPcapReader

from paquet.pcap import PcapReader, PcapWriter, RawPacket, open_capture
from paquet.pcapng import PcapNgReader, PcapNgWriter

LINKTYPES = st.sampled_from([0, 1, 101, 113, 228, 229, 276])

records = st.lists(
    st.builds(
        lambda data, ts, extra, comments: RawPacket(
            data,
            ts=ts,
            tsresol=10**9,
            wirelen=len(data) + extra,
            comments=comments,
        ),
        st.binary(max_size=300),
        st.integers(min_value=0, max_value=(1 << 32) * 10**9 - 1),
        st.integers(min_value=0, max_value=1000),
        st.none() | st.lists(st.text(max_size=20).map(str.encode), min_size=1, max_size=3),
    ),
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(records, LINKTYPES, st.booleans(), st.sampled_from(["<", ">"]))
def test_pcap_round_trip(recs: list[RawPacket], linktype: int, nano: bool, endian: str) -> None:
    buf = io.BytesIO()
    with PcapWriter(buf, linktype=linktype, nano=nano, endianness=endian) as w:
        w.write(recs)
    buf.seek(0)
    back = list(PcapReader(buf, raw=True))
    unit = 1 if nano else 1000
    assert [bytes(r) for r in back] == [bytes(r) for r in recs]
    assert [r.time_ns for r in back] == [r.time_ns // unit * unit for r in recs]
    assert [r.wirelen for r in back] == [r.wirelen for r in recs]
    assert {r.linktype for r in back} <= {linktype}
    buf.seek(0)
    with RawPcapReader(buf) as scapy:
        theirs = list(scapy)
        assert scapy.linktype == linktype
    assert [d for d, _m in theirs] == [bytes(r) for r in recs]
    resol = 10**9 if nano else 10**6
    assert [(m.sec, m.usec, m.wirelen) for _d, m in theirs] == [
        (*divmod(r.time_ns * resol // 10**9, resol), r.wirelen) for r in recs
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(records, LINKTYPES), max_size=4),
    st.booleans(),
    st.sampled_from(["<", ">"]),
)
def test_pcapng_round_trip(
    batches: list[tuple[list[RawPacket], int]], nano: bool, endian: str
) -> None:
    recs = []
    for batch, linktype in batches:
        for r in batch:
            r.linktype = linktype
            recs.append(r)
    buf = io.BytesIO()
    with PcapNgWriter(buf, nano=nano, endianness=endian, comment="round trip") as w:
        w.write(recs)
    buf.seek(0)
    reader = open_capture(buf, raw=True)
    assert isinstance(reader, PcapNgReader)
    back = list(reader)
    unit = 1 if nano else 1000
    assert [bytes(r) for r in back] == [bytes(r) for r in recs]
    assert [r.time_ns for r in back] == [r.time_ns // unit * unit for r in recs]
    assert [(r.wirelen, r.linktype, r.comments) for r in back] == [
        (r.wirelen, r.linktype, r.comments) for r in recs
    ]
    assert reader.section.comments == ["round trip"]
    buf.seek(0)
    with RawPcapNgReader(buf) as scapy:
        theirs = [(d, m.linktype, m.comments) for d, m in scapy]
    assert theirs == [(bytes(r), r.linktype, r.comments) for r in recs]

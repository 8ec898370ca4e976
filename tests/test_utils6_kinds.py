"""Scapy's IPv6 address kinds, 6to4, home agent, RFC 3041 and RFC 1924 helpers: the same
answers as Scapy's for a table of addresses."""

from __future__ import annotations

import pytest

from paquet import utils6

sutils6 = pytest.importorskip("scapy.utils6")
sdata = pytest.importorskip("scapy.data")

ADDRESSES = ["2002::1", "2001:db8::1", "ff0e::1", "ff02::1", "ff05::2", "fe80::", "febf::1",
             "fec0::1", "::1", "::", "4000::", "fe::", "fe8::1", "1::1", "1000::1",
             "2002:c000:201::", "::ffff:192.0.2.1", "fe80::21a:2bff:fe3c:4d5e", "3fff::"]


@pytest.mark.parametrize("addr", ADDRESSES)
def test_address_kinds_are_scapys(addr: str) -> None:
    assert utils6.in6_getAddrType(addr) == sutils6.in6_getAddrType(addr)
    assert utils6.in6_6to4ExtractAddr(addr) == sutils6.in6_6to4ExtractAddr(addr)
    assert utils6.in6_addrtomac(addr) == sutils6.in6_addrtomac(addr)
    assert utils6.in6_ptoc(addr) == sutils6.in6_ptoc(addr) or len(sutils6.in6_ptoc(addr)) < 20
    code = utils6.in6_ptoc(addr)
    assert code is not None and utils6.in6_ctop(code) == sutils6.in6_ctop(code)


def test_constants_are_scapys() -> None:
    for name in utils6.__all__:
        if name.startswith("IPV6_ADDR_"):
            assert getattr(utils6, name) == getattr(sdata, name), name


@pytest.mark.parametrize("v4", ["0.0.0.0", "255.255.255.255", "1.1.1.1", "192.0.2.1", "bad",
                                "1.2.3"])
def test_6to4_prefix_is_scapys(v4: str) -> None:
    assert utils6.in6_get6to4Prefix(v4) == sutils6.in6_get6to4Prefix(v4)


@pytest.mark.parametrize("prefix", ["2001:db8::", "2001:db8:1:2::", "fe80::1:2:3:4"])
def test_home_agent_address_is_scapys(prefix: str) -> None:
    assert utils6.in6_getha(prefix) == sutils6.in6_getha(prefix)


@pytest.mark.parametrize("iid", ["20b:93ff:feeb:2d3", "0:0:0:1", "1:2:3:4"])
@pytest.mark.parametrize("previous", ["d006:d540:db11:b092", "0:0:0:1", "ffff:0:0:ffff"])
def test_randomized_interface_id_is_scapys(iid: str, previous: str) -> None:
    assert utils6.in6_getRandomizedIfaceId(iid, previous) == sutils6.in6_getRandomizedIfaceId(
        iid, previous)
    first, _ = utils6.in6_getRandomizedIfaceId(iid)
    assert int(first.split(":")[0] or "0", 16) & 0x0400 == 0  # the universal bit cleared


@pytest.mark.parametrize("text", ["4)+k&C#VzJ4br>0wv%Y'", "4)+k&C#VzJ4br>0wv%Y", ""])
def test_rfc1924_bad_text_is_none_as_in_scapy(text: str) -> None:
    assert utils6.in6_ctop(text) is None and sutils6.in6_ctop(text) is None


def test_rfc1924_value_past_128_bits_is_refused() -> None:
    # Scapy keeps the low 128 bits of such a text; it names no address.
    assert utils6.in6_ctop("~" * 20) is None

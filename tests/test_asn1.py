"""ASN.1 values and BER (paquet.asn1) against Scapy's scapy.asn1, side by side.

The helpers and codecs are called on the same values in both libraries (random ones drawn from
a seeded generator included): the same bytes, the same values decoded, the same reprs, and
the same refusals (paquet's errors carry Scapy's names).
"""

from __future__ import annotations

import contextlib
import random
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

import paquet.asn1 as A

sa = pytest.importorskip("scapy.asn1.asn1")
sb = pytest.importorskip("scapy.asn1.ber")
pytest.importorskip("scapy.layers.snmp")  # (Scapy's IpAddress and Counter classes)

RNG = random.Random(2026)
INTS = [0, 1, -1, 127, 128, 255, 256, -127, -128, -129, -255, -256, -32768, -32769, 32767,
        32768, 65535, 2 ** 31 - 1, -2 ** 31, 2 ** 32, 2 ** 63, -2 ** 63, 2 ** 200, -2 ** 200,
        *[RNG.randrange(-2 ** 80, 2 ** 80) for _ in range(300)]]
LENGTHS = [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 24, 2 ** 40,
           *[RNG.randrange(0, 2 ** 32) for _ in range(100)]]
OIDS = ["1.3", "1.3.6.1.2.1.1.1.0", "2.5.4.3", "0.0", "2.999.1", "1.2.840.113549.1.1.11",
        "1.3.6.1.4.1.2021.4.5.0", "1.3.6.1.4.1.4294967295.18446744073709551616",
        *[".".join([str(RNG.randrange(3)), str(RNG.randrange(40))]
                   + [str(RNG.randrange(2 ** RNG.choice((7, 14, 32)))) for _ in range(6)])
          for _ in range(100)]]

# (paquet's value class, Scapy's, a value)
VALUES: list[tuple[str, Any]] = [
    ("ASN1_INTEGER", 5), ("ASN1_INTEGER", -300), ("ASN1_INTEGER", 2 ** 100),
    ("ASN1_BOOLEAN", 1), ("ASN1_BOOLEAN", 0), ("ASN1_STRING", b"public"),
    ("ASN1_STRING", "text"), ("ASN1_STRING", b""), ("ASN1_STRING", bytes(range(256)) * 2),
    ("ASN1_NULL", 0), ("ASN1_OID", "1.3.6.1.2.1.1.5.0"),
    ("ASN1_OID", "2.5.4.3"), ("ASN1_ENUMERATED", 3), ("ASN1_UTF8_STRING", "héllo"),
    ("ASN1_IA5_STRING", "testing123"), ("ASN1_PRINTABLE_STRING", "Lab CA"),
    ("ASN1_T61_STRING", b"t61"), ("ASN1_GENERAL_STRING", b"gen"),
    ("ASN1_UTC_TIME", "991231235959Z"), ("ASN1_GENERALIZED_TIME", "20201231000000Z"),
    ("ASN1_IPADDRESS", "192.0.2.1"), ("ASN1_COUNTER32", 4294967295), ("ASN1_GAUGE32", 7),
    ("ASN1_TIME_TICKS", 123456), ("ASN1_COUNTER64", 2 ** 64 - 1),
    ("ASN1_BIT_STRING", "101"), ("ASN1_BIT_STRING", "10110011"),
]


def _scapy_class(name: str) -> Any:
    import scapy.all as S

    return getattr(S, name)


@pytest.mark.parametrize("n", INTS)
def test_integer_bytes_as_scapy(n: int) -> None:
    assert A.BERcodec_INTEGER.enc(n) == sb.BERcodec_INTEGER.enc(n)
    assert repr(A.ASN1_INTEGER(n)) == repr(sa.ASN1_INTEGER(n))
    ours, rest = A.BERcodec_INTEGER.dec(sb.BERcodec_INTEGER.enc(n) + b"z")
    assert ours.val == n and rest == b"z"


def test_lengths_and_numbers_as_scapy() -> None:
    for n in LENGTHS:
        for size in (0, 4):
            assert A.BER_len_enc(n, size=size) == sb.BER_len_enc(n, size=size)
        enc = sb.BER_len_enc(n)
        assert A.BER_len_dec(enc + b"xy") == sb.BER_len_dec(enc + b"xy")
        assert A.BER_num_enc(n) == sb.BER_num_enc(n)
        assert A.BER_num_dec(sb.BER_num_enc(n) + b"q") == sb.BER_num_dec(sb.BER_num_enc(n) + b"q")
    for tag in (0x02, 0x30, 0xA0, 0x9F1F, 0x3FFF, 0x1234, 300, 1000):
        assert A.BER_id_enc(tag) == sb.BER_id_enc(tag)
        assert A.BER_id_dec(sb.BER_id_enc(tag) + b"r") == sb.BER_id_dec(sb.BER_id_enc(tag) + b"r")
    for s in (b"\x30\x03abc", b"\x04\x01x"):
        for kw in ({"implicit_tag": 0x80}, {"explicit_tag": 0xA3}, {}):
            assert A.BER_tagging_enc(s, **kw) == sb.BER_tagging_enc(s, **kw)


@pytest.mark.parametrize("oid", OIDS)
def test_oids_as_scapy(oid: str) -> None:
    enc = sb.BERcodec_OID.enc(oid)
    assert A.BERcodec_OID.enc(oid) == enc
    ours, theirs = A.BERcodec_OID.dec(enc)[0], sb.BERcodec_OID.dec(enc)[0]
    assert ours.val == theirs.val.decode() if isinstance(theirs.val, bytes) else theirs.val
    assert repr(A.ASN1_OID(oid)) == repr(sa.ASN1_OID(oid))


def test_oid_names_as_scapy() -> None:
    for oid, name in A.mib.items():
        assert sa.conf.mib._oidname(oid) == name
        assert repr(A.ASN1_OID(oid + ".4")) == repr(sa.ASN1_OID(oid + ".4"))
        assert A.ASN1_OID(name).val == sa.ASN1_OID(name).val


@pytest.mark.parametrize(("cls", "value"), VALUES, ids=[f"{c}:{v!r}"[:40] for c, v in VALUES])
def test_values_as_scapy(cls: str, value: Any) -> None:
    ours, theirs = getattr(A, cls)(value), _scapy_class(cls)(value)
    assert bytes(ours) == bytes(theirs)
    assert repr(ours) == repr(theirs)
    assert ours.tag == int(theirs.tag) and str(ours.tag) == str(theirs.tag)
    assert ours.command() == theirs.command()
    # decoded back (any tag: the universal class, as Scapy's)
    data = bytes(theirs)
    got, rest = A.BERcodec_Object.dec(data + b"++")
    exp, srest = sb.BERcodec_Object.dec(data + b"++")
    # (Scapy's x509 module registers _Raw_ASN1_BIT_STRING for that tag: the same value)
    assert (type(got).__name__, repr(got), rest) == (
        type(exp).__name__.removeprefix("_Raw_"), repr(exp).replace("<_Raw_", "<"), srest)


def test_sequences_as_scapy() -> None:
    seq_ours = A.ASN1_SEQUENCE([A.ASN1_INTEGER(1), A.ASN1_STRING(b"a"),
                                A.ASN1_SEQUENCE([A.ASN1_OID("1.3.6"), A.ASN1_NULL(0)])])
    seq_theirs = sa.ASN1_SEQUENCE([sa.ASN1_INTEGER(1), sa.ASN1_STRING(b"a"),
                                   sa.ASN1_SEQUENCE([sa.ASN1_OID("1.3.6"), sa.ASN1_NULL(0)])])
    data = bytes(seq_theirs)
    assert bytes(seq_ours) == data
    assert repr(A.BERcodec_Object.dec(data)[0]) == repr(sb.BERcodec_Object.dec(data)[0])
    assert seq_ours.strshow() == seq_theirs.strshow()
    assert bytes(A.ASN1_SET([A.ASN1_INTEGER(2)])) == bytes(sa.ASN1_SET([sa.ASN1_INTEGER(2)]))


def test_comparisons_as_scapy() -> None:
    assert A.ASN1_INTEGER(5) == 5 and A.ASN1_INTEGER(5) != 6 and A.ASN1_INTEGER(5) < 6
    assert A.ASN1_STRING(b"x") == b"x" and A.ASN1_OID("1.3.6") == "1.3.6"
    assert A.ASN1_INTEGER(5) == A.ASN1_INTEGER(5) and A.ASN1_INTEGER(4) <= A.ASN1_INTEGER(5)
    assert repr(A.ASN1_Class_UNIVERSAL.SEQUENCE) == repr(sa.ASN1_Class_UNIVERSAL.SEQUENCE)
    assert A.ASN1_Class_UNIVERSAL.IPADDRESS == 0x40 and A.ASN1_Class_UNIVERSAL[0x43] == 0x43


# time values: text Scapy parses, and datetimes
TIMES = ["1999123123", "199912312359", "19991231235959", "19991231235959.999",
         "19991231235959Z", "1999123123+0100", "19991231235959-2359", "19991231235960",
         "1999123124", "19991231235959+2400", "1999123125959.9999", "garbage", ""]


@pytest.mark.parametrize("text", TIMES)
def test_generalized_time_as_scapy(text: str) -> None:
    ours, theirs = A.ASN1_GENERALIZED_TIME(text), sa.ASN1_GENERALIZED_TIME(text)
    assert repr(ours) == repr(theirs)
    assert ours.datetime == theirs.datetime
    utc = text[2:] if len(text) > 2 else text
    assert repr(A.ASN1_UTC_TIME(utc)) == repr(sa.ASN1_UTC_TIME(utc))


def test_time_from_datetimes_as_scapy() -> None:
    for dt in (datetime(2020, 12, 31), datetime(2020, 12, 31, tzinfo=UTC),
               datetime(2020, 12, 31, 1, 2, 3, 456000),
               datetime(2020, 12, 31, tzinfo=timezone(timedelta(hours=-23, minutes=-59)))):
        for name in ("ASN1_GENERALIZED_TIME", "ASN1_UTC_TIME"):
            ours, theirs = getattr(A, name)(dt), getattr(sa, name)(dt)
            assert ours.val == theirs.val and repr(ours) == repr(theirs)
            assert bytes(ours) == bytes(theirs)


# refusals: the same bytes refused by both, with errors of Scapy's names
BAD = [b"", b"\x02", b"\x02\x05\x01", b"\x30\x84\x00\x00", b"\x06\x02\x81\x81", b"\x99\x00",
       b"\x1f\xff\xff", b"\x40\x03\x01\x02\x03", b"\x03\x00"]


@pytest.mark.parametrize("data", BAD, ids=[d.hex() or "empty" for d in BAD])
def test_refusals_as_scapy(data: bytes) -> None:
    with pytest.raises(sb.BER_Decoding_Error):
        sb.BERcodec_Object.dec(data)
    with pytest.raises(A.BER_Decoding_Error):
        A.BERcodec_Object.dec(data)
    ours = A.BERcodec_Object.safedec(data)[0]
    assert type(ours).__name__ in ("ASN1_DECODING_ERROR", "ASN1_BADTAG")


def test_random_ber_never_hangs_nor_escapes() -> None:
    rng = random.Random(5)
    good = [bytes(getattr(A, c)(v)) for c, v in VALUES]
    for _ in range(5000):
        data = bytearray(rng.choice(good) * rng.randint(1, 3))
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        with contextlib.suppress(A.ASN1_Error):
            A.BERcodec_Object.dec(bytes(data))
        A.BERcodec_Object.safedec(bytes(data))


def _nested(depth: int) -> bytes:
    deep = b"\x05\x00"
    for _ in range(depth):
        deep = b"\x30" + A.BER_len_enc(len(deep)) + deep
    return deep


def test_limits_as_scapy() -> None:
    for depth in (1, 10, 30, 31, 32, 33, 34, 40, 200):
        data = _nested(depth)
        for safe in (False, True):
            try:
                theirs = repr(sb.BERcodec_Object.dec(data, safe=safe))
            except sb.BER_Exception:
                theirs = "refused"
            try:
                ours = repr(A.BERcodec_Object.dec(data, safe=safe))
            except A.BER_Exception:
                ours = "refused"
            assert ours == theirs, (depth, safe)
    for n in (30, 31, 32, 33, 34, 35, 40):
        data = b"\x81" * n + b"\x01rest"
        try:
            theirs = repr(sb.BER_num_dec(data))
        except sb.BER_Decoding_Error:
            theirs = "refused"
        try:
            ours = repr(A.BER_num_dec(data))
        except A.BER_Decoding_Error:
            ours = "refused"
        assert ours == theirs, n
    huge = A.ASN1_INTEGER(1 << 100000)
    assert "..." in repr(huge) and len(repr(huge)) < 100

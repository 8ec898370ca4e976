"""The one table of protocol numbers: Scapy's values and names, and no copy left elsewhere."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Mapping
from enum import IntEnum
from pathlib import Path

import pytest

from paquet import number_enums, numbers
from paquet.number_enums import (
    EtherType,
    ICMPParamProblemCode,
    ICMPRedirectCode,
    ICMPTimeExceededCode,
    ICMPType,
    ICMPUnreachCode,
    ICMPv6ParamProblemCode,
    ICMPv6TimeExceededCode,
    ICMPv6Type,
    ICMPv6UnreachCode,
    IPProto,
)
from paquet.numbers import (
    ICMP_CODES,
    ICMP_ERROR_TYPES,
    ICMP_TYPES,
    ICMPV6_PARAM_CODES,
    ICMPV6_TIME_CODES,
    ICMPV6_TYPES,
    ICMPV6_UNREACH_CODES,
)

SRC = Path(numbers.__file__).parent


def _scapy_name(name: str) -> str:
    return name.replace("-", "_").upper()


def test_constants_have_scapys_values() -> None:
    data = pytest.importorskip("scapy.data")
    for name in ("ETH_P_ALL", "ETH_P_IP", "ETH_P_ARP", "ETH_P_IPV6"):
        assert getattr(numbers, name) == getattr(data, name), name
    assert numbers.ARPHRD_ETHER == data.ARPHDR_ETHER


def test_icmp_tables_are_scapys() -> None:
    inet = pytest.importorskip("scapy.layers.inet")
    inet6 = pytest.importorskip("scapy.layers.inet6")
    assert inet.icmptypes == ICMP_TYPES
    assert inet.icmpcodes == ICMP_CODES
    assert inet6.icmp6types == ICMPV6_TYPES
    for proto in IPProto:
        assert proto in inet6.ipv6nh or proto not in (0, 4, 6, 17, 41, 58), proto


def test_enums_name_what_the_tables_show() -> None:
    for member in ICMPType:
        assert _scapy_name(ICMP_TYPES[member]) == member.name
    for enum, type_ in (
        (ICMPUnreachCode, 3),
        (ICMPRedirectCode, 5),
        (ICMPTimeExceededCode, 11),
        (ICMPParamProblemCode, 12),
    ):
        for code in enum:
            assert _scapy_name(ICMP_CODES[type_][code]) == code.name
    for table, enum6 in (
        (ICMPV6_UNREACH_CODES, ICMPv6UnreachCode),
        (ICMPV6_TIME_CODES, ICMPv6TimeExceededCode),
        (ICMPV6_PARAM_CODES, ICMPv6ParamProblemCode),
    ):
        assert set(table) == {int(c) for c in enum6}
    assert {int(t) for t in ICMPv6Type} <= set(ICMPV6_TYPES)
    assert set(ICMP_ERROR_TYPES) == {3, 4, 5, 11, 12}
    assert EtherType(0x86DD).name == "IPv6"


def test_layers_use_the_shared_tables() -> None:
    from paquet.layers import ether, icmp, icmpv6, ipv4, ipv6

    assert ether.ETH_P_IPV6 is numbers.ETH_P_IPV6
    assert ipv4.IPProto is IPProto
    assert icmp.ICMPType is ICMPType and icmp.ICMP_TYPES is ICMP_TYPES
    assert icmp.ICMP_CODES is ICMP_CODES
    assert icmpv6.ICMPV6_TYPES is ICMPV6_TYPES
    assert ipv6.IPV6_NH is numbers.IPV6_NH


def test_numbers_imports_nothing_of_paquet() -> None:
    """At load time numbers.py imports nothing of paquet's (and not :mod:`enum`): its enums
    come from number_enums.py, through ``__getattr__`` or for the type checker only."""
    tree = ast.parse((SRC / "numbers.py").read_text())
    lazy = {
        id(n)
        for top in tree.body
        if isinstance(top, ast.FunctionDef | ast.If)  # __getattr__, if TYPE_CHECKING
        for n in ast.walk(top)
    }
    for node in ast.walk(tree):
        if id(node) in lazy:
            continue
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 and not (node.module or "").startswith(("paquet", "enum"))
        elif isinstance(node, ast.Import):
            assert not any(a.name.startswith(("paquet", "enum")) for a in node.names)


def test_the_start_up_path_builds_no_enum() -> None:
    """The probes' wire format (the start-up path of trace and ping) takes its numbers from
    numbers.py without building an enum; the enums name the same values."""
    code = (
        "import sys, paquet.probe.wire\n"
        "assert 'paquet.numbers' in sys.modules\n"
        "assert 'paquet.number_enums' not in sys.modules\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.stdout == "ok\n", done.stderr
    assert number_enums.LinkType(numbers.LINKTYPE_IPV6).name == "IPV6"
    flags = number_enums.TCPFlags
    assert flags(numbers.TCP_SYN | numbers.TCP_ACK) == flags.S | flags.A
    assert number_enums.IPProto(numbers.IPPROTO_ROUTING).name == "IPV6_ROUTE"


_DEFINITION = re.compile(
    r"^(ETH_P_[A-Z0-9_]+|_?ETHERTYPE_[A-Z0-9_]+|IPPROTO_[A-Z0-9_]+|LINKTYPE_[A-Z0-9_]+|ARPHRD_ETHER|"
    r"_?ARPHRD_ETHER|TCP|UDP|ICMP6?)\s*(:[^=]*)?=\s*(0x[0-9a-fA-F]+|\d+)\s*(#.*)?$",
    re.M,
)


def test_no_protocol_number_is_defined_twice() -> None:
    """Outside numbers.py, no module-level ``ETH_P_IPV6 = 0x86DD`` or ``TCP = 6``."""
    found = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        if rel.name == "numbers.py":
            continue
        for match in _DEFINITION.finditer(path.read_text()):
            found.append(f"{rel}: {match.group(0)}")
    assert not found, found


def test_link_types_are_bound_by_name() -> None:
    """``bind_linktype(LINKTYPE_IPV4, IP)``, never ``bind_linktype(228, IP)``."""
    literal = re.compile(r"bind_linktype\(\s*\d")
    found = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if literal.search(path.read_text())
    ]
    assert not found, found


def _int_constants(path: Path) -> dict[str, int]:
    """Module-level ``NAME = <int>`` (or ``NAME: Final = <int>``) of a module."""
    found: dict[str, int] = {}
    for node in ast.parse(path.read_text()).body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and target.id.lstrip("_").isupper() and value is not None:
            try:
                number = ast.literal_eval(value)
            except ValueError:
                continue
            if isinstance(number, int) and not isinstance(number, bool):
                found[target.id.lstrip("_")] = number
    return found


def test_no_constant_is_defined_in_two_modules() -> None:
    """The same name with the same number in two modules is a copy."""
    seen: dict[tuple[str, int], str] = {}
    copies = []
    for path in sorted(SRC.rglob("*.py")):
        rel = str(path.relative_to(SRC))
        for name, number in _int_constants(path).items():
            if (name, number) in seen:
                copies.append(f"{name} = {number}: {seen[name, number]} and {rel}")
            seen.setdefault((name, number), rel)
    assert not copies, copies


def test_link_types_are_defined_once() -> None:
    from paquet import capfile, layers, pcap, pcapng

    names = ("LINKTYPE_ETHERNET", "LINKTYPE_RAW", "LINKTYPE_IPV4", "LINKTYPE_IPV6")
    uses = [(pcapng, "LINKTYPE_ETHERNET")]
    uses += [(module, name) for module in (layers, pcap) for name in names]
    for module, name in uses:
        assert getattr(module, name) is getattr(numbers, name), (module.__name__, name)
    for module in (capfile, pcap):
        assert module.LinkType is number_enums.LinkType, module.__name__
    assert int(numbers.LINKTYPE_RAW) == 101 and number_enums.LinkType(276).name == "LINUX_SLL2"


def _spec_tables() -> list[tuple[str, Mapping[int, object], type[IntEnum]]]:
    from paquet.layers.specs import ether, icmp, icmpv6, ipv4

    return [
        ("ETHERTYPE_NAMES", ether.ETHERTYPE_NAMES, EtherType),
        ("PROTOCOL_NAMES", ipv4.PROTOCOL_NAMES, IPProto),
        ("icmp._TYPE_NAMES", icmp._TYPE_NAMES, ICMPType),
        ("icmp._UNREACH_NAMES", icmp._UNREACH_NAMES, ICMPUnreachCode),
        ("icmpv6._TYPE_NAMES", icmpv6._TYPE_NAMES, ICMPv6Type),
    ]


def test_explain_name_tables_are_keyed_by_the_shared_enums() -> None:
    """layers/specs names numbers of paquet.numbers by their enum members, not by literals."""
    for label, table, enum in _spec_tables():
        assert table, label
        for key in table:
            assert isinstance(key, enum), f"{label}: {key!r} is not a {enum.__name__}"


def test_specs_key_no_name_table_by_a_shared_literal() -> None:
    """No dict of layers/specs names by literal keys numbers that paquet.numbers names in the
    same family (an ICMP type written ``3: "dest-unreach"``); numbers only one protocol uses
    may stay, and so may a table of other things that happen to use small numbers (BOOTP's
    ``{1: "BOOTREQUEST", 2: "BOOTREPLY"}`` is not a table of IP protocols)."""
    enums = (EtherType, IPProto, ICMPType, ICMPv6Type)  # codes: by the test above
    families = [{int(m): m.name for m in e} for e in enums]
    paths = sorted((SRC / "layers" / "specs").glob("*.py"))
    assert paths
    for path in paths:
        _no_shared_literal_key(path, families)


def _squash(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


def _no_shared_literal_key(path: Path, families: list[dict[int, str]]) -> None:
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Dict):
            continue
        pairs = {k.value: v for k, v in zip(node.keys, node.values, strict=True)
                 if isinstance(k, ast.Constant) and isinstance(k.value, int)
                 and not isinstance(k.value, bool)}
        if len(pairs) < 2:
            continue
        for fam in families:
            if not set(pairs) <= set(fam):
                continue
            same = [k for k, v in pairs.items() if isinstance(v, ast.Constant)
                    and isinstance(v.value, str) and _squash(v.value) == _squash(fam[k])]
            assert not same, (path.name, sorted(pairs), same)


def test_name_fallbacks_follow_the_enums() -> None:
    from paquet.packet import names

    assert {int(t): t.name for t in EtherType} == names._FALLBACK_ETHERTYPES
    protos = names._plain(names._FALLBACK_PROTOS)
    assert all(type(k) is int for k in protos) and protos[IPProto.TCP] == "tcp"
    services = names._plain(names._FALLBACK_SERVICES)
    assert {int(p) for p in number_enums.Port} - {4789} <= set(services)

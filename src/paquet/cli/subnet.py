"""``paquet subnet``: an ipcalc-like calculator, same-subnet test, VLSM plans and summaries.

Exit codes: 0 a result, 1 a negative answer (two addresses not in the same subnet), 2 bad input.
"""

from __future__ import annotations

from collections.abc import Sequence

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from paquet import addr, plan
from paquet.cli.params import TEXT, Int
from paquet.cli.render import print_json, print_ndjson
from paquet.cli.status import ExitStatus
from paquet.errors import AddressError

__all__ = ["binary_text", "command", "console", "info_table", "parse_host_counts", "plan_table"]

NETWORK_STYLE = "bold cyan"
HOST_STYLE = "yellow"


def console() -> Console:
    """A console on stdout (colour only on a terminal) that leaves ``:a:`` in IPv6 addresses
    alone (no emoji codes) and is wide enough for the tables when the output is not a
    terminal."""
    out = Console(highlight=False, soft_wrap=True, emoji=False)
    if not out.is_terminal:
        out.width = max(out.width, 120)
    return out


def parse_host_counts(text: str) -> dict[str, int] | list[int]:
    """``'100,50,20,2'`` -> ``[100, 50, 20, 2]``; ``'lan=100,wifi=50'`` -> a name -> count map.

    >>> parse_host_counts('100, 50,20,2')
    [100, 50, 20, 2]
    >>> parse_host_counts('lan=100,wifi=50')
    {'lan': 100, 'wifi': 50}
    """
    items = [item.strip() for item in text.split(",")]
    if not items or any(item == "" for item in items):
        raise AddressError(f"invalid host counts {text!r}: empty item (write 100,50,20,2)")
    named = ["=" in item for item in items]
    if any(named) and not all(named):
        raise AddressError(f"invalid host counts {text!r}: name all subnets or none")
    counts: dict[str, int] = {}
    plain: list[int] = []
    for item in items:
        name, _, number = item.rpartition("=")
        number = number.strip()
        if not number.isdigit() or not number.isascii() or len(number) > 40:
            raise AddressError(f"invalid host count {number[:40]!r}: not a whole number")
        if int(number) < 1:
            raise AddressError(f"invalid host count {number!r}: at least 1 host")
        if any(named):
            name = name.strip()
            if not name:
                raise AddressError(f"invalid host counts {text!r}: empty subnet name")
            if name in counts:
                raise AddressError(f"invalid host counts {text!r}: subnet {name!r} twice")
            counts[name] = int(number)
        else:
            plain.append(int(number))
    return counts if any(named) else plain


def binary_text(address: addr.IPAddress, prefix: int) -> Text:
    """The binary form with the network bits and the host bits told apart: a space at the
    boundary (as ipcalc writes it) and a colour for each part when the terminal has colour."""
    network_bits, host_bits = addr.binary_parts(address, prefix)
    text = Text(network_bits, style=NETWORK_STYLE)
    if network_bits and host_bits:
        text.append(" ")
    text.append(host_bits, style=HOST_STYLE)
    return text


def info_table(info: addr.SubnetInfo) -> Table:
    """The ipcalc view of ``info`` as a rich table (binary column for IPv4)."""
    v4 = info.version == 4
    table = Table(title=f"{info.interface}", show_header=True, header_style="bold")
    table.add_column("")
    table.add_column("value")
    if v4:
        table.add_column("binary", no_wrap=True)
    prefix = info.prefix

    def row(label: str, value: str, address: addr.IPAddress | None) -> None:
        cells: list[str | Text] = [label, value]
        if v4:
            cells.append(binary_text(address, prefix) if address is not None else "")
        table.add_row(*cells)

    row("Address", str(info.address), info.address)
    row("Netmask", f"{info.netmask} = /{prefix}", info.netmask)
    row("Wildcard", str(info.wildcard), info.wildcard)
    row("Network", str(info.network), info.network.network_address)
    if info.broadcast is not None:
        row("Broadcast", str(info.broadcast), info.broadcast)
    elif v4:
        row("Broadcast", "none (RFC 3021)" if prefix == 31 else "none (host route)", None)
    else:
        row("Broadcast", "none (IPv6 has no broadcast)", None)
    row("HostMin", str(info.first_host), info.first_host)
    row("HostMax", str(info.last_host), info.last_host)
    row("Hosts/Net", f"{info.host_count:,}".replace(",", " "), None)
    row("Addresses", f"{info.address_count:,}".replace(",", " "), None)
    row("Kind", f"{info.kind.value} ({info.kind.describe()})", None)
    address_class = addr.ipv4_class(info.address)
    if address_class is not None:
        row("Class", f"{address_class} (historical, before CIDR)", None)
    if info.role != "host":
        row("Role", f"{info.address} is the {info.role} address of its subnet", None)
    if not v4:
        row("Exploded", info.address.exploded, None)
    row("Hex / integer", f"{addr.to_hex(info.address)} / {int(info.address)}", None)
    return table


def _show_info(text: str, prefix: str | None, as_json: bool) -> int:
    info = addr.subnet_info(text, prefix)
    if as_json:
        print_json(info.to_dict())
        return ExitStatus.OK
    out = console()
    out.print(info_table(info))
    if info.version == 6:
        out.print(binary_text(info.address, info.prefix))
    out.print(
        Text.assemble(
            ("network bits", NETWORK_STYLE),
            f": {info.prefix}, ",
            ("host bits", HOST_STYLE),
            f": {info.address.max_prefixlen - info.prefix}",
        )
    )
    return ExitStatus.OK


def _compare(first: str, second: str, prefix: str, as_json: bool) -> int:
    result = addr.compare_subnets(first, second, prefix)
    code = 0 if result.same else 1
    if as_json:
        print_json(result.to_dict())
        return code
    out = console()
    table = Table(show_header=True, header_style="bold")
    table.add_column("address")
    table.add_column(f"network (/{result.prefix})")
    v4 = result.first.version == 4
    if v4:
        table.add_column("binary", no_wrap=True)
    for address, network in (
        (result.first, result.first_network),
        (result.second, result.second_network),
    ):
        cells: list[str | Text] = [str(address), str(network.network_address)]
        if v4:
            cells.append(binary_text(address, result.prefix))
        table.add_row(*cells)
    out.print(table)
    mask = addr.prefix_to_mask(result.prefix, result.first.version)
    if result.same:
        out.print(
            f"[green]yes[/]: {result.first} and {result.second} are in the same subnet "
            f"{result.first_network} (mask {mask}): both network addresses are "
            f"{result.first_network.network_address}"
        )
    else:
        out.print(
            f"[red]no[/]: {result.first} is in {result.first_network} but {result.second} "
            f"is in {result.second_network} (mask {mask}): the network addresses differ"
        )
    return code


def plan_table(result: plan.Plan) -> Table:
    """A VLSM plan as a rich table, one row per allocation."""
    table = Table(title=f"VLSM plan of {result.parent}", header_style="bold")
    for name in ("subnet", "hosts", "network", "first host", "last host"):
        table.add_column(name, no_wrap=True)
    table.add_column("broadcast")
    table.add_column("capacity", justify="right")
    table.add_column("unused", justify="right")
    for allocation in result.allocations:
        data = allocation.to_dict()
        table.add_row(
            data["name"],
            str(data["hosts"]),
            data["network"],
            data["first_host"],
            data["last_host"],
            data["broadcast"] or "-",
            str(data["capacity"]),
            str(data["unused"]),
        )
    return table


def _vlsm(text: str, hosts: str, point_to_point: bool, as_json: bool) -> int:
    parent = addr.parse_network(text)
    result = plan.vlsm(parent, parse_host_counts(hosts), point_to_point=point_to_point)
    if as_json:
        print_json(result.to_dict())
        return ExitStatus.OK
    out = console()
    out.print(plan_table(result))
    used, total = result.used_addresses, result.parent.num_addresses
    free = ", ".join(str(n) for n in result.free) or "none"
    out.print(f"{used} of {total} addresses allocated; free: {free}")
    return ExitStatus.OK


def _split_row(info: addr.SubnetInfo) -> dict[str, object]:
    return {
        "network": str(info.network),
        "first_host": str(info.first_host),
        "last_host": str(info.last_host),
        "broadcast": None if info.broadcast is None else str(info.broadcast),
        "hosts": info.host_count,
    }


def _split(text: str, count: int, as_json: bool, ndjson: bool) -> int:
    parent = addr.parse_network(text)
    if ndjson:
        for net in plan.iter_split(parent, count):  # checked before the first line
            print_ndjson(_split_row(addr.subnet_info(str(net))))
        return ExitStatus.OK
    if count > plan.SPLIT_LIMIT:
        plan.iter_split(parent, count)  # a split that cannot be made says so first
        raise AddressError(
            f"{count} subnets are more than {plan.SPLIT_LIMIT} in one table: "
            "add --ndjson to stream them, one line each"
        )
    subnets = plan.split(parent, count)
    rows = [addr.subnet_info(str(net)) for net in subnets]
    if as_json:
        print_json(
            {
                "parent": str(parent),
                "count": count,
                "subnets": [_split_row(info) for info in rows],
            }
        )
        return ExitStatus.OK
    table = Table(title=f"{parent} split into {count}", header_style="bold")
    for name in ("#", "network", "first host", "last host", "broadcast", "hosts"):
        table.add_column(name)
    for number, info in enumerate(rows, 1):
        table.add_row(
            str(number),
            str(info.network),
            str(info.first_host),
            str(info.last_host),
            "-" if info.broadcast is None else str(info.broadcast),
            str(info.host_count),
        )
    console().print(table)
    return ExitStatus.OK


def _summarize(texts: Sequence[str], as_json: bool) -> int:
    networks = [addr.parse_network(t) for t in texts]
    summary = plan.summarize(networks)
    versions = {n.version for n in networks}
    cover = plan.supernet(networks) if len(versions) == 1 else None
    if as_json:
        print_json(
            {
                "inputs": [str(n) for n in networks],
                "summary": [str(n) for n in summary],
                "supernet": None if cover is None else str(cover),
            }
        )
        return ExitStatus.OK
    out = console()
    table = Table(title="Summary (exact cover)", header_style="bold")
    table.add_column("prefix")
    table.add_column("addresses", justify="right")
    for net in summary:
        table.add_row(str(net), str(net.num_addresses))
    out.print(table)
    out.print(f"{len(networks)} networks -> {len(summary)} prefixes")
    if cover is not None:
        out.print(f"smallest single covering prefix: {cover} (may cover more than the inputs)")
    return ExitStatus.OK


@click.command(name="subnet")
@click.argument("addresses", nargs=-1, required=True, type=TEXT)
@click.option(
    "--prefix", "-p", type=TEXT, help="Prefix length or netmask (21, /21, 255.255.248.0)."
)
@click.option(
    "--hosts", type=TEXT, help="VLSM plan: host counts, e.g. 100,50,20,2 or lan=100,wifi=50."
)
@click.option(
    "--split",
    "split_count",
    type=Int(1, 2**32),
    metavar="N",
    help=f"Split the network into N equal subnets (up to {plan.SPLIT_LIMIT}; up to 2**32 "
    "with --ndjson).",
)
@click.option("--summarize", is_flag=True, help="Summarise the networks into fewest prefixes.")
@click.option(
    "--p2p", is_flag=True, help="VLSM: 2-host links as /31 (RFC 3021) or /127 (RFC 6164)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--ndjson", is_flag=True, help="--split: stream one JSON object per subnet.")
def command(
    addresses: tuple[str, ...],
    prefix: str | None,
    hosts: str | None,
    split_count: int | None,
    summarize: bool,
    p2p: bool,
    as_json: bool,
    ndjson: bool,
) -> int:
    """Compute a subnet, test two addresses, plan subnets.

    \b
    paquet subnet 201.9.118.19/21                  ipcalc-like table with the binary form
    paquet subnet 201.9.118.19 255.255.248.0       the same, mask given apart
    paquet subnet 201.9.118.44 201.9.113.1 -p 21   same subnet? (exit 1 when not)
    paquet subnet 192.0.2.0/24 --hosts 100,50,20,2 VLSM plan, largest first
    paquet subnet 192.0.2.0/24 --split 4           four equal subnets
    paquet subnet 192.0.2.0/25 192.0.2.128/25 --summarize
    """
    modes = sum(bool(x) for x in (hosts, split_count is not None, summarize))
    if modes > 1:
        raise click.UsageError("use only one of --hosts, --split and --summarize")
    if ndjson and (split_count is None or as_json):
        raise click.UsageError("--ndjson goes with --split, without --json")
    if summarize:
        return _summarize(addresses, as_json)
    if hosts is not None or split_count is not None:
        if len(addresses) != 1:
            raise click.UsageError("a plan takes exactly one parent network")
        network = addresses[0] if prefix is None else f"{addresses[0]}/{prefix}"
        if hosts is not None:
            return _vlsm(network, hosts, p2p, as_json)
        assert split_count is not None
        return _split(network, split_count, as_json, ndjson)
    if len(addresses) == 1:
        return _show_info(addresses[0], prefix, as_json)
    if len(addresses) > 2:
        raise click.UsageError("give one address (a subnet) or two (the same-subnet test)")
    first, second = addresses
    if prefix is None and "/" not in first and addr.is_ipv4(second) and _is_mask(second):
        return _show_info(first, second, as_json)  # ipcalc's ADDRESS NETMASK form
    if prefix is None:
        if "/" not in first:
            raise click.UsageError("the same-subnet test needs --prefix (or ADDRESS/PREFIX)")
        first, _, prefix = first.partition("/")
    return _compare(first, second, prefix, as_json)


def _is_mask(text: str) -> bool:
    """True when ``text`` is a contiguous IPv4 netmask."""
    try:
        addr.mask_to_prefix(text)
    except AddressError:
        return False
    return True

"""The layer binding registry: which layer follows which, for building and for dissecting.

``bind_layers(Ether, IP, type=ETH_P_IP)`` says two things, as in Scapy: when an ``IP`` is put
on an ``Ether`` (``Ether()/IP()``) the Ether ``type`` becomes ``ETH_P_IP`` (0x0800) unless the
user set it (top down); and when an Ether frame is dissected with ``type == ETH_P_IP`` its
payload is an ``IP`` (bottom up). The numbers come from :mod:`paquet.numbers`. Layers register
themselves in their own module, so a new protocol plugs in without editing any other file.
``bind_linktype(LINKTYPE_ETHERNET, Ether)`` maps a pcap LINKTYPE to the first layer.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paquet.packet.base import Packet

__all__ = [
    "bind_bottom_up",
    "bind_layers",
    "bind_linktype",
    "bind_top_down",
    "layer_classes",
    "linktype_class",
    "linktype_of",
    "overload_fields",
    "payload_class",
    "split_layers",
]

# (lower class, upper class) -> fields set on the lower layer when the upper is put on it.
_TOP_DOWN: dict[tuple[type, type], dict[str, Any]] = {}
# lower class -> [(order, conditions, upper)] in registration order.
_BOTTOM_UP: dict[type, list[tuple[int, dict[str, Any], type]]] = {}
# lower class -> {first field name -> {value -> [(order, other conditions, upper)]}}: the index.
_INDEX: dict[type, dict[str, dict[Any, list[tuple[int, tuple[tuple[str, Any], ...], type]]]]] = {}
_LINKTYPES: dict[int, type] = {}
_order = 0
_generation = [0]


#: (lower, upper) -> overload_fields(lower, upper): filled by the engine, cleared on changes.
OVERLOAD_MEMO: dict[tuple[type, type], dict[str, Any] | None] = {}


def generation() -> int:
    """A number that changes whenever a binding changes (for caches of lookups)."""
    return _generation[0]


def bind_top_down(lower: type[Packet], upper: type[Packet], **fields: Any) -> None:
    """When ``upper`` is put on ``lower``, set ``fields`` on ``lower`` (unless set by the user)."""
    _TOP_DOWN[(lower, upper)] = dict(fields)
    _generation[0] += 1
    OVERLOAD_MEMO.clear()


def bind_bottom_up(lower: type[Packet], upper: type[Packet], **fields: Any) -> None:
    """When a dissected ``lower`` has all these ``fields`` values, its payload is ``upper``
    (with no field, always: Scapy's ``bind_layers(A, B)``, rules registered before it first)."""
    global _order
    _order += 1
    _BOTTOM_UP.setdefault(lower, []).append((_order, dict(fields), upper))
    _reindex(lower)


def bind_layers(lower: type[Packet], upper: type[Packet], **fields: Any) -> None:
    """Bind ``upper`` on ``lower`` both ways (Scapy's ``bind_layers``).

    >>> from paquet.layers import Ether, IP
    >>> from paquet.numbers import ETH_P_IP
    >>> bind_layers(Ether, IP, type=ETH_P_IP)  # already done by paquet.layers.ipv4
    """
    bind_top_down(lower, upper, **fields)
    bind_bottom_up(lower, upper, **fields)


def split_layers(lower: type[Packet], upper: type[Packet], **fields: Any) -> None:
    """Undo a binding (both ways); with ``fields``, only the bottom-up rules with those values."""
    if not fields:
        _TOP_DOWN.pop((lower, upper), None)
        _generation[0] += 1
        OVERLOAD_MEMO.clear()
    OVERLOAD_MEMO.clear()
    rules = _BOTTOM_UP.get(lower, [])
    _BOTTOM_UP[lower] = [
        r for r in rules
        if not (r[2] is upper and all(r[1].get(k) == v for k, v in fields.items()))
    ]
    _reindex(lower)


def _reindex(lower: type) -> None:
    _MEMO.clear()
    _generation[0] += 1
    OVERLOAD_MEMO.clear()
    index: dict[str, dict[Any, list[tuple[int, tuple[tuple[str, Any], ...], type]]]] = {}
    for order, cond, upper in _BOTTOM_UP.get(lower, []):
        items = list(cond.items())
        # A rule without condition is filed under the name no field has: it always matches.
        key, value = items[0] if items else ("", None)
        index.setdefault(key, {}).setdefault(value, []).append((order, tuple(items[1:]), upper))
    _INDEX[lower] = index


def overload_fields(lower: type, upper: type) -> dict[str, Any] | None:
    """The fields ``lower`` takes when ``upper`` is put on it, or None (searches base classes)."""
    for lo in (*lower.__mro__, *getattr(lower, "aliastypes", ())):
        for up in upper.__mro__:
            found = _TOP_DOWN.get((lo, up))
            if found is not None:
                return found
    return None


# lower class -> (names of the fields its rules look at, {their values -> payload class},
# a function of a layer's field dict giving that key: an ``itemgetter``).
_MEMO: dict[type, tuple[tuple[str, ...], dict[Any, type | None], Callable[[Any], Any]]] = {}
#: The memo of payload_class lookups, per lower class (read by the dissection loop).
MEMO = _MEMO


def _no_key(values: Any) -> None:
    """The memo key of a class no rule looks at."""
    return None


def payload_class(lower: type, values: dict[str, Any]) -> type | None:
    """The class of the payload of a dissected ``lower`` with field ``values``, or None.

    The rules of ``lower`` itself win; those of its base classes apply when none matches.
    """
    memo = _MEMO.get(lower)
    if memo is None:
        names: set[str] = set()
        for cls in (*lower.__mro__, *getattr(lower, "aliastypes", ())):
            for _, cond, _ in _BOTTOM_UP.get(cls, []):
                names.update(cond)
        keys = tuple(sorted(names)) or ("",)
        getter = itemgetter(*keys) if names else _no_key
        memo = _MEMO[lower] = (keys, {}, getter)
    keys, table, _ = memo
    key: Any = values.get(keys[0]) if len(keys) == 1 else tuple(map(values.get, keys))
    try:
        return table[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable value: no memo
        return _payload_class(lower, values)
    found = _payload_class(lower, values)
    if len(table) < 4096:
        table[key] = found
    return found


def _payload_class(lower: type, values: dict[str, Any]) -> type | None:
    for cls in (*lower.__mro__, *getattr(lower, "aliastypes", ())):
        index = _INDEX.get(cls)
        if not index:
            continue
        best: tuple[int, type] | None = None
        for key, table in index.items():
            rules = table.get(values.get(key))
            if not rules:
                continue
            for order, rest, upper in rules:
                if best is not None and order > best[0]:
                    break
                for k, v in rest:
                    if values.get(k) != v:
                        break
                else:
                    best = (order, upper)
                    break
        if best is not None:
            return best[1]
    return None


def bind_linktype(linktype: int, cls: type[Packet]) -> None:
    """Dissect frames of pcap LINKTYPE ``linktype`` starting with layer ``cls``."""
    _LINKTYPES[linktype] = cls


#: Link types whose layers live in a module imported on first use (LINKTYPE -> module): a
#: protocol with big tables (802.11) costs nothing at ``import paquet.layers``.
_LAZY_LINKTYPES: dict[int, str] = {}


def bind_linktype_lazy(linktype: int, module: str) -> None:
    """Dissect frames of pcap LINKTYPE ``linktype`` with the layer that ``module`` binds to
    it (:func:`bind_linktype`) when imported; the module is imported when first needed."""
    _LAZY_LINKTYPES[linktype] = module


def _import_lazy(linktypes: list[int]) -> None:
    import importlib

    for lt in linktypes:
        module = _LAZY_LINKTYPES.pop(lt, None)
        if module is not None:
            importlib.import_module(module)


def linktype_class(linktype: int) -> type | None:
    """The first layer for pcap LINKTYPE ``linktype``, or None when unknown."""
    cls = _LINKTYPES.get(linktype)
    if cls is None and linktype in _LAZY_LINKTYPES:
        _import_lazy([linktype])
        cls = _LINKTYPES.get(linktype)
    return cls


def linktype_of(cls: type) -> int | None:
    """The pcap LINKTYPE bound to ``cls`` as a first layer (the lowest when several are,
    Scapy's ``conf.l2types.layer2num``), or None; link types bound lazily are not asked.

    >>> from paquet.layers.pflog import PFLog
    >>> linktype_of(PFLog)
    117
    """
    found = [lt for lt, c in _LINKTYPES.items() if c is cls]
    return min(found) if found else None


def layer_classes() -> list[type[Packet]]:
    """Every layer class the registry knows, sorted by module and name: those named in a
    binding or a link type, and their subclasses (``IPerror`` under ``IP``, the ICMPv6
    messages under the family's base class), without the abstract bases in between (a class
    with no field that names no concrete class through ``dispatch_class``).

    For tests and tools that must cover every layer, including those added later (and those
    of link types bound lazily, imported now).
    """
    _import_lazy(list(_LAZY_LINKTYPES))
    seen: set[type[Packet]] = set(_LINKTYPES.values())
    for lower, upper in _TOP_DOWN:
        seen.update((lower, upper))
    for lower, rules in _BOTTOM_UP.items():
        seen.add(lower)
        seen.update(rule[2] for rule in rules)
    stack = list(seen)
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    out = [c for c in seen if c.__dict__.get("fields_desc", c.fields_desc)
           or "dispatch_class" in c.__dict__]
    return sorted(out, key=lambda c: (c.__module__, c.__qualname__))

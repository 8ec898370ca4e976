"""Fields printed as tshark prints them: ``-T fields -e NAME`` (with ``-E`` options) and
``-T json``.

>>> from paquet.layers.ipv4 import IP
>>> from paquet.layers.tcp import TCP
>>> pkt = IP(src='192.0.2.1', dst='192.0.2.2') / TCP(flags='S')
>>> values('ip.addr', pkt), values('tcp.flags', pkt), values('tcp.flags.syn', pkt)
(['192.0.2.1', '192.0.2.2'], ['0x0002'], ['1'])
>>> opts = FieldsOptions.parse(['separator=,', 'quote=d'])
>>> opts.line([values('ip.src', pkt), values('udp.port', pkt)])
'"192.0.2.1",'
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from paquet.dfilter.attributes import attribute, is_attribute
from paquet.dfilter.fields import FIELDS, FrameInfo, occurrences, value_text
from paquet.dfilter.protocols import layers_of as _layers
from paquet.errors import ExpressionError

__all__ = ["FieldsOptions", "check_fields", "json_packet", "values"]


def values(name: str, pkt: Any, frame: FrameInfo | None = None,
           layers: dict[str, list[Any]] | None = None, json: bool = False) -> list[str]:
    """Every occurrence of field ``name`` in ``pkt``, as tshark prints it (in its JSON
    with ``json``: bytes with colons)."""
    if frame is None:
        data = bytes(pkt)
        frame = FrameInfo(1, data, len(data), pkt=pkt)
    fd = FIELDS.get(name)
    if fd is None:  # layer.field: Scapy's attribute (paquet.dfilter.attributes)
        value = attribute(name, pkt)
        return [] if value is None else [_attribute_text(value)]
    if layers is None:
        layers = _layers(pkt, frame)
    return [value_text(fd, v, json) for v in occurrences(name, layers, frame)]


def _attribute_text(value: Any) -> str:
    """A ``layer.field`` value as text: numbers (enums, flags) in decimal, bytes in hex."""
    if isinstance(value, bytes | bytearray):
        return value.hex()
    if isinstance(value, int) or (hasattr(value, "__int__") and not isinstance(value, str)):
        try:
            return str(int(value))
        except (TypeError, ValueError):
            pass
    return str(value)


def check_fields(names: list[str]) -> None:
    """Refuse (ExpressionError) a name that is neither a Wireshark field paquet knows nor
    ``layer.field`` of a paquet layer (:mod:`paquet.dfilter.attributes`)."""
    for name in names:
        if name not in FIELDS and not is_attribute(name):
            raise ExpressionError(f"field {name!r} is neither a Wireshark field paquet knows "
                                  "(paquet.dfilter.fields.FIELDS) nor layer.field of a layer")


_SEPARATORS = {"/t": "\t", "/s": " "}


@dataclass
class FieldsOptions:
    """tshark's ``-E``: header, separator, occurrence, aggregator, quote."""

    header: bool = False
    separator: str = "\t"
    occurrence: str = "a"
    aggregator: str = ","
    quote: str = ""

    @classmethod
    def parse(cls, items: list[str] | tuple[str, ...]) -> FieldsOptions:
        """Options from ``-E key=value`` words (ExpressionError on a bad one)."""
        opts = cls()
        for item in items:
            key, eq, value = item.partition("=")
            if not eq:
                raise ExpressionError(f"-E {item!r}: expected key=value")
            if key == "header" and value in ("y", "n"):
                opts.header = value == "y"
            elif key in ("separator", "aggregator") and value:
                setattr(opts, key, _SEPARATORS.get(value, value[0]))
            elif key == "occurrence" and (value in ("f", "l", "a") or value.isdigit()):
                opts.occurrence = value
            elif key == "quote" and value in ("d", "s", "n"):
                opts.quote = {"d": '"', "s": "'", "n": ""}[value]
            else:
                raise ExpressionError(f"-E {item!r}: not a tshark field option "
                                      "(header=y|n, separator=/t|/s|C, occurrence=f|l|a|N, "
                                      "aggregator=,|/s|C, quote=d|s|n)")
        return opts

    def line(self, columns: list[list[str]]) -> str:
        """One line from each field's occurrences."""
        cells = []
        for occ in columns:
            if occ and self.occurrence != "a":
                if self.occurrence == "f":
                    occ = occ[:1]
                elif self.occurrence == "l":
                    occ = occ[-1:]
                else:
                    n = int(self.occurrence)
                    occ = occ[n - 1:n] if n > 0 else occ
            text = self.aggregator.join(occ)
            cells.append(f"{self.quote}{text}{self.quote}" if occ else "")
        return self.separator.join(cells)

    def header_line(self, names: list[str]) -> str:
        """The header line: the field names (never quoted, as tshark)."""
        return self.separator.join(names)


def json_packet(pkt: Any, frame: FrameInfo, names: list[str] | None = None) -> dict[str, Any]:
    """One packet as ``tshark -T json`` shows it: every known field grouped by protocol, or
    with ``names`` (``-e``) those fields, each a list of its occurrences."""
    layers = _layers(pkt, frame)
    source: dict[str, Any] = {}
    if names:
        for name in names:
            occ = values(name, pkt, frame, layers, json=True)
            if occ:
                source[name] = occ
    else:
        for proto in ("frame", *layers):
            group: dict[str, Any] = {}
            for name, fd in FIELDS.items():
                if fd.proto != proto:
                    continue
                occ = values(name, pkt, frame, layers, json=True)
                if occ:
                    group[name] = occ[0] if len(occ) == 1 else occ
            if group:
                source.setdefault(proto, group)
    day = datetime.datetime.fromtimestamp(float(frame.time_epoch), datetime.UTC).date()
    return {"_index": f"packets-{day.isoformat()}", "_type": "doc", "_score": None,
            "_source": {"layers": source}}

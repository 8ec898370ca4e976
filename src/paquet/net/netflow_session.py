"""NetFlow v9 and IPFIX read as a flow of packets (Scapy's ``NetflowSession``): each packet's
data records are read with the templates the packets before it carried, as they arrive.

    sniff(offline="exports.pcap", session=NetflowSession)

>>> from paquet import UDP, NetflowHeader, NetflowHeaderV9, NetflowFlowsetV9
>>> from paquet import NetflowTemplateV9, NetflowTemplateFieldV9, NetflowDataflowsetV9
>>> from paquet import NetflowRecordV9
>>> s = NetflowSession()
>>> template = NetflowFlowsetV9(templates=[NetflowTemplateV9(templateID=256,
...     template_fields=[NetflowTemplateFieldV9(fieldType=7)])])
>>> first = UDP() / NetflowHeader(version=9) / NetflowHeaderV9(unixSecs=0) / template
>>> data = NetflowDataflowsetV9(templateID=256, records=[NetflowRecordV9(fieldValue=b"\\0P")])
>>> later = UDP() / NetflowHeader(version=9) / NetflowHeaderV9(unixSecs=0) / data
>>> _ = s.process(UDP(bytes(first)))
>>> s.process(UDP(bytes(later)))[NetflowDataflowsetV9].records[0].L4_SRC_PORT
80
"""

from __future__ import annotations

from typing import Any

from paquet.layers.netflow import _defragment
from paquet.net.sessions import IPSession

__all__ = ["NetflowSession"]


class NetflowSession(IPSession):
    """IP reassembly, then NetFlow v9/IPFIX data records read with the templates seen so
    far (``definitions``, ``definitions_opts``; template ids not seen yet in ``ignored``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.definitions: dict[int, Any] = {}
        self.definitions_opts: dict[int, Any] = {}
        self.ignored: set[int] = set()
        super().__init__(*args, **kwargs)

    def process(self, pkt: Any) -> Any:
        pkt = super().process(pkt)
        if pkt:
            _defragment(pkt, self.definitions, self.definitions_opts, self.ignored)
        return pkt

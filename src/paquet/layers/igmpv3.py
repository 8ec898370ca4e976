"""Scapy's older names of the IGMPv3 classes (``scapy.contrib.igmpv3``, now
``scapy.layers.igmp``): ``IGMPv3mq``, ``IGMPv3gr``, ``IGMPv3mr``, ``IGMPv3mra``.

>>> IGMPv3mr is IGMPv3_MR
True
"""

from __future__ import annotations

from paquet.layers.igmp import IGMPv3, IGMPv3_MQ, IGMPv3_MR, IGMPv3_MR_Group, IGMPv3_MRA

__all__ = ["IGMPv3", "IGMPv3_MQ", "IGMPv3_MR", "IGMPv3_MRA", "IGMPv3_MR_Group", "IGMPv3gr",
           "IGMPv3mq", "IGMPv3mr", "IGMPv3mra"]

IGMPv3mq = IGMPv3_MQ
IGMPv3gr = IGMPv3_MR_Group
IGMPv3mr = IGMPv3_MR
IGMPv3mra = IGMPv3_MRA

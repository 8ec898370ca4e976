"""ASN.1 and its BER encoding, as Scapy's ``scapy.asn1``, ``scapy.asn1fields`` and
``scapy.asn1packet``: the tags (``ASN1_Class_UNIVERSAL``), the values (``ASN1_INTEGER``,
``ASN1_STRING``, ``ASN1_OID``...), the BER codecs and helpers (``BER_len_enc``...), the fields
of an ASN.1 packet (``ASN1F_SEQUENCE``...) and ``ASN1_Packet``. SNMP is built on it
(:mod:`paquet.layers.snmp`).

This package gives the public names of its modules (each module's ``__all__``): values and tags
(:mod:`.asn1`), BER (:mod:`.ber`), fields (:mod:`.fields`), the MIB (:mod:`.mib`: ``mib`` here
is the MIB itself, as in Scapy) and packets (:mod:`.packet`).

>>> from paquet.asn1 import ASN1_INTEGER, ASN1_OID
>>> bytes(ASN1_INTEGER(300)), bytes(ASN1_OID("1.3.6.1.2.1.1.5.0"))
(b'\\x02\\x02\\x01,', b'\\x06\\x08+\\x06\\x01\\x02\\x01\\x01\\x05\\x00')
"""

from __future__ import annotations

import sys

from paquet.asn1 import asn1, ber, fields, packet
from paquet.asn1.asn1 import *  # noqa: F403
from paquet.asn1.ber import *  # noqa: F403
from paquet.asn1.fields import *  # noqa: F403
from paquet.asn1.mib import *  # noqa: F403
from paquet.asn1.packet import *  # noqa: F403

__all__: list[str] = []
__all__ += asn1.__all__
__all__ += ber.__all__
__all__ += fields.__all__
__all__ += sys.modules["paquet.asn1.mib"].__all__  # (``mib`` here is the MIB object)
__all__ += packet.__all__

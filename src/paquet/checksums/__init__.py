"""The internet checksum (RFC 1071), explained step by step, and updated incrementally (RFC 1624).

The checksum of an IPv4 header, as the course explains it: cut the header into 16-bit words
(ten without options), leave the sixth one out (it is the checksum field), add the others,
fold the carry back into 16 bits, and take the one's complement.

>>> header = bytes.fromhex("4500003b000100004006" "51b4" "c0a80001b114b74a")
>>> steps = explain_ipv4_header(header)
>>> hex(steps.total), hex(steps.folded), hex(steps.computed), steps.ok
('0x2ae49', '0xae4b', '0x51b4', True)
>>> verify_ipv4_header(header)
True

This module is the bottom of the package: the packet engine calls :func:`internet_checksum`,
:func:`transport_checksum` and the ``verify_*`` helpers; nothing here touches the network.
"""

from __future__ import annotations

from paquet.checksums.arithmetic import (
    ChecksumError,
    FoldStep,
    checksum_with_field_zeroed,
    fold,
    fold_steps,
    incremental_update,
    internet_checksum,
    ones_complement_sum,
    update_word,
    verify,
    words16,
)
from paquet.checksums.explanation import (
    ChecksumExplanation,
    explain_words,
)
from paquet.checksums.headers import (
    explain_ipv4_header,
    ipv4_header,
    ipv4_header_checksum,
    ipv4_offset,
    verify_icmp,
    verify_ipv4_header,
)
from paquet.checksums.packets import (
    ChecksumCheck,
    explain_packet,
    explain_transport,
    verify_ipv4_packet,
    verify_packet,
)
from paquet.checksums.transport import (
    CHECKSUM_OFFSETS,
    pseudo_header,
    transport_checksum,
    verify_transport,
)

__all__ = [
    "CHECKSUM_OFFSETS",
    "ChecksumCheck",
    "ChecksumError",
    "ChecksumExplanation",
    "FoldStep",
    "checksum_with_field_zeroed",
    "explain_ipv4_header",
    "explain_packet",
    "explain_transport",
    "explain_words",
    "fold",
    "fold_steps",
    "incremental_update",
    "internet_checksum",
    "ipv4_header",
    "ipv4_header_checksum",
    "ipv4_offset",
    "ones_complement_sum",
    "pseudo_header",
    "transport_checksum",
    "update_word",
    "verify",
    "verify_icmp",
    "verify_ipv4_header",
    "verify_ipv4_packet",
    "verify_packet",
    "verify_transport",
    "words16",
]

"""The internet checksum (RFC 1071), explained step by step, and updated incrementally (RFC 1624).

The checksum of an IPv4 header, as the course explains it: cut the header into 16-bit words
(ten without options), leave the sixth one out (it is the checksum field), add the others,
fold the carry back into 16 bits, and take the one's complement.

>>> from paquet.checksums import explain_ipv4_header, verify_ipv4_header
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

from paquet._lazy import lazy_names

TYPE_CHECKING = False  # typing costs milliseconds: the probes' start-up imports this package
if TYPE_CHECKING:
    from paquet.checksums.arithmetic import (
        ChecksumError,
        FoldStep,
        checksum_with_field_zeroed,
        fold,
        fold_steps,
        incremental_update,
        internet_checksum,
        ones_complement_sum,
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
    from paquet.checksums.update import update_word

# Each public name and the module that defines it, imported on first use: importing the
# package costs one module, and a name loads only the module that defines it.
_EXPORTS = {
    "ChecksumError": "paquet.checksums.arithmetic",
    "FoldStep": "paquet.checksums.arithmetic",
    "checksum_with_field_zeroed": "paquet.checksums.arithmetic",
    "fold": "paquet.checksums.arithmetic",
    "fold_steps": "paquet.checksums.arithmetic",
    "incremental_update": "paquet.checksums.arithmetic",
    "internet_checksum": "paquet.checksums.arithmetic",
    "ones_complement_sum": "paquet.checksums.arithmetic",
    "update_word": "paquet.checksums.update",
    "verify": "paquet.checksums.arithmetic",
    "words16": "paquet.checksums.arithmetic",
    "ChecksumExplanation": "paquet.checksums.explanation",
    "explain_words": "paquet.checksums.explanation",
    "explain_ipv4_header": "paquet.checksums.headers",
    "ipv4_header": "paquet.checksums.headers",
    "ipv4_header_checksum": "paquet.checksums.headers",
    "ipv4_offset": "paquet.checksums.headers",
    "verify_icmp": "paquet.checksums.headers",
    "verify_ipv4_header": "paquet.checksums.headers",
    "ChecksumCheck": "paquet.checksums.packets",
    "explain_packet": "paquet.checksums.packets",
    "explain_transport": "paquet.checksums.packets",
    "verify_ipv4_packet": "paquet.checksums.packets",
    "verify_packet": "paquet.checksums.packets",
    "CHECKSUM_OFFSETS": "paquet.checksums.transport",
    "pseudo_header": "paquet.checksums.transport",
    "transport_checksum": "paquet.checksums.transport",
    "verify_transport": "paquet.checksums.transport",
}

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

__getattr__, __dir__ = lazy_names("paquet.checksums", _EXPORTS, globals())

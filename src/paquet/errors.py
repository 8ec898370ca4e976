"""The errors paquet raises: one base class, one subclass per kind of failure.

Every error carries a message that fits on one line; the CLI prints it as
``paquet: error: <message>`` and exits with status 2, never with a traceback.
"""

from __future__ import annotations

__all__ = [
    "AddressError",
    "CaptureError",
    "DecodeError",
    "ExpressionError",
    "LabError",
    "NetworkError",
    "PaquetError",
    "PrivilegeError",
]


class PaquetError(Exception):
    """Base class of every error paquet raises on purpose."""


#: Scapy's name for the base class of its errors: ``except Scapy_Exception`` catches paquet's.
Scapy_Exception = PaquetError


class AddressError(PaquetError, ValueError):
    """An address, mask, prefix or subnet plan that is not valid, with the reason."""


class DecodeError(PaquetError, ValueError):
    """Bytes that do not dissect as expected (strict mode): names the layer and offset."""

    def __init__(self, layer: str, offset: int, expected: str) -> None:
        self.layer = layer
        self.offset = offset
        self.expected = expected
        super().__init__(f"{layer} at offset {offset}: {expected}")


class ExpressionError(PaquetError, ValueError):
    """A packet expression on the command line that does not parse."""


class CaptureError(PaquetError):
    """A capture file that is damaged, truncated, or not a capture at all."""


class CaptureWarning(UserWarning):
    """A capture written as asked but likely misread (packets of another link type)."""


class NetworkError(PaquetError):
    """No route, unknown host, bad interface: the network cannot do what was asked."""


class PrivilegeError(PaquetError, PermissionError):
    """An operation that needs a privilege (CAP_NET_RAW, CAP_NET_ADMIN, root) the process lacks."""


class LabError(PaquetError):
    """A lab topology that is not valid, or a lab that cannot be built or found."""

"""Functions the HTTP/TLS lab tests run inside nodes (``node.run(func, ...)``): picklable."""

from __future__ import annotations

from typing import Any


def fetch_with_http_request(host: str, path: str) -> bytes:
    """paquet's ``http_request`` to a real server; the response as bytes."""
    from paquet.layers.http import http_request

    resp = http_request(host, path, port=80, timeout=10)
    return b"" if resp is None else bytes(resp)


def tls_client(host: str, port: int, server_name: str, alpn: list[str]) -> dict[str, Any]:
    """A TLS handshake with Python's ssl (no certificate check: the lab's is self-signed)."""
    import socket
    import ssl

    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_alpn_protocols(alpn)
    with socket.create_connection((host, port), timeout=10) as raw, \
            ctx.wrap_socket(raw, server_hostname=server_name) as s:
        return {"version": s.version(), "alpn": s.selected_alpn_protocol(),
                "cipher": s.cipher()[0]}

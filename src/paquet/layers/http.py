"""HTTP/1.x (RFC 9112) with Scapy's classes: ``HTTP``, ``HTTPRequest``, ``HTTPResponse``.

``HTTP`` is an empty layer, bound to TCP ports 80 and 8080 by ``load_layer("http")`` as in
Scapy (:func:`load_bindings`), that guesses its payload from the
first line: a request line (``GET /path HTTP/1.1``) gives :class:`HTTPRequest`, a status line
(``HTTP/1.1 200 OK``) :class:`HTTPResponse`, anything else ``Raw``. Each header Scapy knows is
a field named after it with ``-`` turned into ``_`` (``User_Agent``, ``Content_Length``);
headers it does not know go to ``Unknown_Headers`` (a dict of their names and values).
Dissected messages build back to their bytes unchanged until a field changes; a message built
from fields gets Scapy's layout (the headers in alphabetical order, ``Content-Length`` added
when not chunked, ``Date`` added to responses). A chunked body (responses) is dechunked and a
``deflate`` or ``gzip`` body decompressed into the ``Raw`` payload, as Scapy does, while the
bytes on the wire are kept. ``HTTP.tcp_reassemble`` finds where a message ends in a TCP
stream (``sniff(session=TCPSession)``), by Content-Length, chunks or the end of the stream.

>>> bytes(HTTP() / HTTPRequest(Host=b"www.example.com"))
b'GET / HTTP/1.1\\r\\nContent-Length: 0\\r\\nHost: www.example.com\\r\\n\\r\\n'
>>> p = HTTP(b"HTTP/1.1 404 Not Found\\r\\nServer: x\\r\\n\\r\\n")
>>> p.Status_Code, p.Reason_Phrase, p.Server
(b'404', b'Not Found', b'x')
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from paquet.layers._contrib import CONTRIBS as _ALL_CONTRIBS
from paquet.packet import registry
from paquet.packet.base import NOPAYLOAD, Packet, Raw
from paquet.packet.strfields import StrField

__all__ = ["HTTP", "HTTPRequest", "HTTPResponse", "http_request"]

_GENERAL = [
    "Cache-Control", "Connection", "Permanent", "Content-Length", "Content-MD5", "Content-Type",
    "Date", "Keep-Alive", "Pragma", "Upgrade", "Via", "Warning", "X-Request-ID",
    "X-Correlation-ID",
]
_REQUEST = [
    "A-IM", "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Accept-Datetime",
    "Access-Control-Request-Method", "Access-Control-Request-Headers", "Authorization", "Cookie",
    "Expect", "Forwarded", "From", "Host", "HTTP2-Settings", "If-Match", "If-Modified-Since",
    "If-None-Match", "If-Range", "If-Unmodified-Since", "Max-Forwards", "Origin",
    "Proxy-Authorization", "Range", "Referer", "TE", "User-Agent", "Upgrade-Insecure-Requests",
    "X-Requested-With", "DNT", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto",
    "Front-End-Https", "X-Http-Method-Override", "X-ATT-DeviceId", "X-Wap-Profile",
    "Proxy-Connection", "X-UIDH", "X-Csrf-Token", "Save-Data",
]
_RESPONSE = [
    "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
    "Access-Control-Expose-Headers", "Access-Control-Max-Age", "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers", "Accept-Patch", "Accept-Ranges", "Age", "Allow", "Alt-Svc",
    "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Location",
    "Content-Range", "Delta-Base", "ETag", "Expires", "IM", "Last-Modified", "Link", "Location",
    "P3P", "Proxy-Authenticate", "Public-Key-Pins", "Retry-After", "Server", "Set-Cookie",
    "Strict-Transport-Security", "Trailer", "Transfer-Encoding", "Tk", "Vary", "WWW-Authenticate",
    "X-Frame-Options", "Content-Security-Policy", "X-Content-Security-Policy", "X-WebKit-CSP",
    "Refresh", "Status", "Timing-Allow-Origin", "X-Content-Duration", "X-Content-Type-Options",
    "X-Powered-By", "X-UA-Compatible", "X-XSS-Protection",
]

_REQ_METHODS = b"OPTIONS|GET|HEAD|POST|PUT|DELETE|TRACE|CONNECT"
_REQ_LINE = re.compile(rb"^(?:" + _REQ_METHODS + rb") (?:.+?) HTTP/\d\.\d$")
_STATUS_LINE = re.compile(rb"^HTTP/\d\.\d \d\d\d .*$")
_WS = re.compile(rb"\s+")
#: The instance dict entry holding a dissected message's header bytes and field values.
_CACHE = "_httpcache"
#: The instance dict entry holding a dissected body: (its load as dissected, its wire bytes).
_BODY = "_httpbody"
#: Scapy's ``conf.contribs["http"]`` switches.
CONTRIBS: dict[str, bool] = {"auto_compression": True, "auto_chunk": True}
_ALL_CONTRIBS["http"] = CONTRIBS


def _key(name: str | bytes) -> str:
    """A header name as a field name, lower case (Scapy matches headers so)."""
    if isinstance(name, bytes):
        name = name.decode("latin-1")
    return name.strip().replace("-", "_").lower()


def _to_bytes(v: Any) -> bytes:
    if isinstance(v, bytes):
        return v
    if isinstance(v, str):
        return v.encode("utf-8", "surrogateescape")
    return str(v).encode()


class _HTTPHeaderField(StrField):
    """A header (or a part of the first line) as bytes; ``real_name`` is its name on the wire."""

    __slots__ = ("real_name",)

    def __init__(self, name: str, default: Any) -> None:
        self.real_name = name
        super().__init__(name.strip().replace("-", "_"), default)

    def any2i(self, pkt: Any, x: Any) -> Any:
        if x is None or isinstance(x, dict | bytes):
            return x
        return super().any2i(pkt, x)

    def i2repr(self, pkt: Any, x: Any) -> str:
        if isinstance(x, bytes):
            return x.decode(errors="backslashreplace")
        return repr(x) if isinstance(x, dict) else str(x)


def _fields(first: tuple[tuple[str, str], ...], *groups: list[str]) -> tuple[_HTTPHeaderField, ...]:
    heads = sorted(h for g in groups for h in g)
    return (*(_HTTPHeaderField(n, d) for n, d in first),
            *(_HTTPHeaderField(h, None) for h in heads),
            _HTTPHeaderField("Unknown-Headers", None))


def _split_message(s: bytes) -> tuple[bytes, dict[str, tuple[bytes, bytes]], bytes]:
    """The first line, the headers (by field key: name and value), the body."""
    i = s.find(b"\r\n\r\n")
    head, body = (s[:i + 4], s[i + 4:]) if i != -1 else (s, b"")
    first, _, rest = head.partition(b"\r\n")
    found: dict[str, tuple[bytes, bytes]] = {}
    for line in rest.split(b"\r\n"):
        name, colon, value = line.partition(b":")
        if colon:
            found[_key(name)] = (name, value.strip())
    return first.strip(), found, body


def _dechunk(s: bytes) -> bytes | None:
    """The body of a chunked transfer, or None when the chunks are not whole (Scapy's test)."""
    data = []
    while s:
        size, _, rest = s.partition(b"\r\n")
        try:
            n = int(size, 16)
        except ValueError:
            return None
        if n < 0 or rest[n:n + 2] != b"\r\n":
            return None
        data.append(rest[:n])
        s = rest[n + 2:]
    return b"".join(data)


def _decompress(s: bytes, encodings: list[str]) -> bytes:
    """The body decoded by the content encodings Python's stdlib knows (as Scapy's)."""
    if "deflate" in encodings:
        import zlib

        return zlib.decompress(s)
    if "gzip" in encodings:
        import gzip

        return gzip.decompress(s)
    return s


def _compress(s: bytes, encodings: list[str]) -> bytes:
    if "deflate" in encodings:
        import zlib

        return zlib.compress(s)
    if "gzip" in encodings:
        import gzip

        return gzip.compress(s)
    return s


class _HTTPContent(Packet):
    """What requests and responses share: dissecting and building the headers and the body."""

    _first_names: ClassVar[tuple[str, str, str]]

    def _get_encodings(self) -> list[str]:
        """The transfer and content encodings of a response, lower case (Scapy's)."""
        if not isinstance(self, HTTPResponse):
            return []
        out: list[str] = []
        for v in (self.__dict__["Transfer_Encoding"], self.__dict__["Content_Encoding"]):
            if v:
                out += [x.strip().lower() for x in _to_bytes(v).decode("latin-1").split(",")]
        return out

    def hashret(self) -> bytes:
        return b"HTTP1"

    def do_dissect(self, data: bytes, off: int, end: int) -> int:
        d = self.__dict__
        s = data[off:end]
        first, headers, body = _split_message(s)
        seen: dict[str, None] = {}
        parts = _WS.split(first, maxsplit=2)
        if len(parts) == 3:
            for name, value in zip(self._first_names, parts, strict=True):
                d[name] = value
                seen[name] = None
        for f in self._fields:
            hit = headers.pop(_key(f.name), None)
            if hit is not None:
                d[f.name] = hit[1]
                seen[f.name] = None
        if headers:
            d["Unknown_Headers"] = dict(headers.values())
            seen["Unknown_Headers"] = None
        d["_explicit"] = seen  # (repr lists the fields found, as Scapy's)
        hend = end - len(body)
        d[_CACHE] = (data[off:hend], self._snapshot())
        if body:
            self._dissect_body(body)
        return end if body else hend

    def _snapshot(self) -> tuple[Any, ...]:
        d = self.__dict__
        return tuple(dict(v) if isinstance(v := d[f.name], dict) else v for f in self._fields)

    def _dissect_body(self, body: bytes) -> None:
        load = body
        enc = self._get_encodings()
        if CONTRIBS["auto_chunk"] and "chunked" in enc:
            whole = _dechunk(body)
            if whole is not None:
                load = whole
        if CONTRIBS["auto_compression"]:
            try:
                load = _decompress(load, enc)
            except Exception:  # (zlib.error, OSError, EOFError): incomplete data, as Scapy
                load = body
        d = self.__dict__
        cls = self.guess_payload_class(load)
        pay = Raw(load) if cls is Raw else cls(load)
        pay.__dict__["underlayer"] = self
        pay.__dict__["time"] = d["time"]
        d["payload"] = pay
        if load is not body:
            d[_BODY] = (load, body)

    def guess_payload_class(self, payload: Any, start: int = 0, end: int | None = None) -> Any:
        return Raw

    def self_build(self) -> bytes:
        d = self.__dict__
        cached = d.get(_CACHE)
        if cached is not None:
            if cached[1] == self._snapshot():
                return cached[0]  # type: ignore[no-any-return]
            del d[_CACHE]
        enc = self._get_encodings()
        out: list[bytes] = []
        for i, f in enumerate(self._fields[:-1]):
            val = d[f.name]
            if not val:
                if f.name == "Content_Length" and "chunked" not in enc:
                    pay = d.get("payload")
                    val = str(len(pay) if pay is not None and pay is not NOPAYLOAD else 0)
                elif f.name == "Date" and isinstance(self, HTTPResponse):
                    import datetime

                    val = datetime.datetime.now(datetime.UTC).strftime(
                        "%a, %d %b %Y %H:%M:%S GMT")
                else:
                    continue
            v = _to_bytes(val)
            if i >= 3:
                v = _to_bytes(f.real_name) + b": " + v  # type: ignore[attr-defined]
            out.append(v + (b" " if i <= 1 else b"\r\n"))
        unknown = d["Unknown_Headers"]
        if unknown:
            out += [_to_bytes(k) + b": " + _to_bytes(v) + b"\r\n" for k, v in unknown.items()]
        if out:
            out.append(b"\r\n")
        return b"".join(out)

    def do_build(self) -> bytes:
        d = self.__dict__
        hdr = self.self_build()
        pay = self.payload
        body = pay.do_build()
        if _CACHE in d:  # dissected and unchanged: the body as it came
            kept = d.get(_BODY)
            if kept is not None and isinstance(pay, Raw) and pay.load == kept[0]:
                body = kept[1]
            return hdr + body
        return self.post_build(hdr, body)

    def post_build(self, hdr: bytes, pay: bytes) -> bytes:
        enc = self._get_encodings()
        if CONTRIBS["auto_compression"]:
            pay = _compress(pay, enc)
        if CONTRIBS["auto_chunk"] and "chunked" in enc:
            pay = b"%X\r\n" % len(pay) + pay + b"\r\n0\r\n\r\n"
        return hdr + pay


class HTTPRequest(_HTTPContent):
    """An HTTP request: ``Method``, ``Path``, ``Http_Version``, then one field per header.

    >>> r = HTTP(b"GET /a HTTP/1.1\\r\\nHost: example.com\\r\\nX-Y: 1\\r\\n\\r\\n")
    >>> r.Method, r.Path, r.Host, r.Unknown_Headers
    (b'GET', b'/a', b'example.com', {b'X-Y': b'1'})
    """

    name = "HTTP Request"
    fields_desc = _fields((("Method", "GET"), ("Path", "/"), ("Http-Version", "HTTP/1.1")),
                          _GENERAL, _REQUEST)
    _first_names = ("Method", "Path", "Http_Version")

    def mysummary(self) -> str:
        return self.sprintf("%HTTPRequest.Method% '%HTTPRequest.Path%' ")


class HTTPResponse(_HTTPContent):
    """An HTTP response: ``Http_Version``, ``Status_Code``, ``Reason_Phrase``, then the headers.

    >>> HTTP(b"HTTP/1.0 301 Moved\\r\\nLocation: /b\\r\\n\\r\\n").Location
    b'/b'
    """

    name = "HTTP Response"
    fields_desc = _fields((("Http-Version", "HTTP/1.1"), ("Status-Code", "200"),
                           ("Reason-Phrase", "OK")), _GENERAL, _RESPONSE)
    _first_names = ("Http_Version", "Status_Code", "Reason_Phrase")

    def answers(self, other: Packet) -> bool:
        return HTTPRequest in other

    def mysummary(self) -> str:
        return self.sprintf("%HTTPResponse.Status_Code% %HTTPResponse.Reason_Phrase%")


class HTTP(Packet):
    """An HTTP/1.x message's outer layer (no fields): its payload is the request or response.

    >>> type(HTTP(b"POST /x HTTP/1.1\\r\\n\\r\\n").payload).__name__
    'HTTPRequest'
    """

    name = "HTTP 1"
    fields_desc = ()
    show_indent = 0
    clsreq: ClassVar[type[Packet]] = HTTPRequest
    clsresp: ClassVar[type[Packet]] = HTTPResponse

    @classmethod
    def dispatch_class(cls, data: bytes, start: int, end: int) -> type[Packet]:
        """Itself (Scapy's hook looks for HTTP/2 frames, which paquet does not dissect)."""
        return cls

    def guess_payload_class(self, payload: Any, start: int = 0, end: int | None = None) -> Any:
        if not isinstance(payload, bytes | bytearray):
            payload = bytes(payload)
        else:
            payload = payload[start:end]
        i = payload.find(b"\r\n")
        if i == -1:
            return Raw
        line = payload[:i]
        if _REQ_LINE.match(line):
            return self.clsreq
        if _STATUS_LINE.match(line):
            return self.clsresp
        return Raw

    def clear_cache(self) -> None:
        """Forget the bytes dissected (Scapy's ``clear_cache``): the message builds anew
        from its fields (the headers in Scapy's order, the body chunked again...)."""
        super().clear_cache()  # the bytes each layer was dissected from (the engine's)
        layer: Any = self
        while layer:
            for key in (_CACHE, _BODY):  # and HTTP's own: the head and the body as they came
                layer.__dict__.pop(key, None)
            layer = layer.payload

    @classmethod
    def tcp_reassemble(cls, data: bytes, metadata: dict[str, Any],
                       session: dict[str, Any]) -> Packet | None:
        """The message when ``data`` (a TCP stream's bytes in order) holds a whole one, else
        None (Scapy's ``TCPSession`` hook; RFC 9112 section 6.3's rules, as Scapy reads them)."""
        detect = metadata.get("detect_end")
        if detect and not metadata.get("detect_unknown", True):
            return cls(data) if detect(data) else None
        metadata["detect_unknown"] = False
        pkt = cls(data)
        msg = pkt.payload
        if not isinstance(msg, _HTTPContent):
            return pkt
        md = msg.__dict__
        length: int | None = None
        if md["Content_Length"]:
            try:
                length = int(md["Content_Length"])
            except ValueError:
                length = None
        if length is not None:
            if session.pop("head_request", False):
                detect = _head_done
            elif msg.payload or length == 0:
                hlen = len(md[_CACHE][0]) if _CACHE in md else 0
                detect = _body_of(hlen, length)
            elif metadata.get("tcp_end", False):
                detect = _always
            else:
                detect = _never
                metadata["detect_unknown"] = True
        elif "chunked" in msg._get_encodings():
            detect = _last_chunk
        elif isinstance(msg, HTTPRequest):
            detect = _head_done_strict
            metadata["detect_unknown"] = True
            if md["Method"] == b"HEAD":
                session["head_request"] = True
        elif md["Status_Code"] == b"101" or session.pop("head_request", False):
            detect = _head_done
        else:
            metadata["detect_unknown"] = True

            def detect(_dat: bytes) -> bool:
                return bool(metadata.get("tcp_end", False))
        metadata["detect_end"] = detect
        return pkt if detect(data) else None


def _head_done(dat: bytes) -> bool:
    # Scapy tests ``dat.find(b"\r\n\r\n")``: true unless found at 0 (-1 is true too).
    return bool(dat.find(b"\r\n\r\n"))


def _head_done_strict(dat: bytes) -> bool:
    return dat.endswith(b"\r\n\r\n")


def _last_chunk(dat: bytes) -> bool:
    return dat.endswith(b"0\r\n\r\n")


def _always(_dat: bytes) -> bool:
    return True


def _never(_dat: bytes) -> bool:
    return False


def _body_of(hlen: int, length: int) -> Any:
    def detect(dat: bytes) -> bool:
        return len(dat) - hlen >= length
    return detect


def http_request(host: str, path: str = "/", port: int | None = None, timeout: float = 3,
                 display: bool = False, tls: bool = False, verbose: int = 0,
                 **headers: Any) -> Packet | None:
    """Send an HTTP request to ``host`` and return the response, ``HTTP() / HTTPResponse()
    / ...`` (Scapy's ``http_request``, with its headers); None when nothing came in time.

    ``port`` is 80, or 443 with ``tls`` (no certificate check: a lab's is self-signed);
    ``headers`` are more header fields (``User_Agent="..."``, ``Method="HEAD"``). The
    response is read until it is whole (its length, its last chunk, or the connection's end).
    ``display`` prints it (Scapy opens a browser); ``verbose`` is accepted for Scapy's
    signature.
    """
    import socket

    if port is None:
        port = 443 if tls else 80
    default = 443 if tls else 80
    fields: dict[str, Any] = {
        "Accept_Encoding": b"gzip, deflate", "Cache_Control": b"no-cache",
        "Pragma": b"no-cache", "Connection": b"keep-alive",
        "Host": host if port == default else f"{host}:{port}", "Path": path}
    fields.update(headers)
    req = bytes(HTTP() / HTTPRequest(**fields))
    sock: Any = socket.create_connection((host, port), timeout=timeout)
    msg: Packet | None = None
    buf = b""
    try:
        if tls:
            import ssl

            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            sock = ctx.wrap_socket(sock, server_hostname=host)
        sock.sendall(req)
        meta: dict[str, Any] = {}
        session: dict[str, Any] = {}
        while msg is None:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                chunk = b""
            if not chunk:
                meta["tcp_end"] = True
            buf += chunk
            if buf:
                msg = HTTP.tcp_reassemble(buf, meta, session)
            if not chunk:
                break
    finally:
        sock.close()
    if msg is None and buf:
        msg = HTTP(buf)
    if display and msg is not None:
        msg.show()
    return msg


_LOADED: list[bool] = []


def load_bindings() -> None:
    """Bind HTTP to TCP ports 80 and 8080, as Scapy does when ``load_layer("http")`` loads
    it (Scapy leaves HTTP unloaded by default: ``TCP()/"..."``, port 80 by default, stays
    Raw until then, in paquet too). :func:`paquet.utils.load_layer` calls this."""
    if _LOADED:
        return
    from paquet.layers.tcp import TCP
    from paquet.number_enums import Port

    http = int(Port.http)
    registry.bind_bottom_up(TCP, HTTP, sport=http)
    registry.bind_bottom_up(TCP, HTTP, dport=http)
    registry.bind_layers(TCP, HTTP, sport=http, dport=http)
    registry.bind_bottom_up(TCP, HTTP, sport=int(Port.http_alt))
    registry.bind_bottom_up(TCP, HTTP, dport=int(Port.http_alt))
    _LOADED.append(True)


def unload_bindings() -> None:
    """Undo :func:`load_bindings` (Scapy's ``split_layers``)."""
    from paquet.layers.tcp import TCP

    registry.split_layers(TCP, HTTP)
    _LOADED.clear()

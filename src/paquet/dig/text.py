"""An answer printed as ``dig`` prints it (BIND 9.18's layout: header, flags, sections in
master-file columns, statistics), as ``dig +short`` does, or as a JSON-ready dict."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterable
from typing import Any

from paquet.dig.query import Answer

__all__ = ["SECTIONS", "dig_short", "dig_text", "rdata_text", "to_dict"]

SECTIONS = ("question", "answer", "authority", "additional")
"""The sections of a message, by dig's names (``+noquestion``...)."""

_OPCODES = {0: "QUERY", 1: "IQUERY", 2: "STATUS", 4: "NOTIFY", 5: "UPDATE"}
_RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED",
           6: "YXDOMAIN", 7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE"}
_CLASSES = {1: "IN", 3: "CH", 4: "HS", 254: "NONE", 255: "ANY"}
_NAMES = {2, 5, 12, 39}  # NS, CNAME, PTR, DNAME: one domain name
#: Extended DNS Error codes (RFC 8914), as dig names them.
_EDE = dict(enumerate((
    "Other", "Unsupported DNSKEY Algorithm", "Unsupported DS Digest Type", "Stale Answer",
    "Forged Answer", "DNSSEC Indeterminate", "DNSSEC Bogus", "Signature Expired",
    "Signature Not Yet Valid", "DNSKEY Missing", "RRSIGs Missing", "No Zone Key Bit Set",
    "NSEC Missing", "Cached Error", "Not Ready", "Blocked", "Censored", "Filtered",
    "Prohibited", "Stale NXDOMAIN Answer", "Not Authoritative", "Not Supported",
    "No Reachable Authority", "Network Error", "Invalid Data")))


def type_name(rtype: int) -> str:
    """A record type's mnemonic, ``TYPE65534`` for one without a name (RFC 3597)."""
    from paquet.layers import dnsqtypes

    name = dnsqtypes.get(rtype)
    return str(name) if name else f"TYPE{rtype}"


def class_name(rclass: int) -> str:
    """A class's mnemonic, ``CLASS42`` for one without a name (RFC 3597)."""
    return _CLASSES.get(rclass, f"CLASS{rclass}")


def _name(value: Any) -> str:
    text = value.decode("ascii", "backslashreplace") if isinstance(value, bytes) else str(value)
    return text if text.endswith(".") else text + "."


def _quoted(s: bytes) -> str:
    out = []
    for b in s:
        c = chr(b)
        if c in '"\\':
            out.append("\\" + c)
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append(f"\\{b:03d}")
    return '"' + "".join(out) + '"'


def _raw_rdata(rr: Any) -> bytes:
    rdata = getattr(rr, "rdata", None)
    if isinstance(rdata, bytes):
        return rdata
    from paquet.layers import dns_encode

    # The record rebuilt alone (no compression): its data follows its name and 10 bytes.
    raw = bytes(rr)
    raw = raw[: len(raw) - len(bytes(rr.payload))]
    return raw[len(dns_encode(getattr(rr, "rrname", b".") or b".")) + 10 :]


def rdata_text(rr: Any) -> str:
    """A record's data in master-file form, as dig shows it (``10 mail.example.``,
    ``"some text"``, RFC 3597's ``\\# 4 C0000201`` for a type without a form)."""
    t = int(rr.type)
    if t in (1, 28):
        return str(rr.rdata)
    if t in _NAMES:
        return _name(rr.rdata)
    if t in (16, 99):
        items = rr.rdata if isinstance(rr.rdata, list) else [rr.rdata]
        return " ".join(_quoted(x if isinstance(x, bytes) else str(x).encode()) for x in items)
    if t == 15:
        return f"{rr.preference} {_name(rr.exchange)}"
    if t == 33:
        return f"{rr.priority} {rr.weight} {rr.port} {_name(rr.target)}"
    if t == 6:
        return (f"{_name(rr.mname)} {_name(rr.rname)} {rr.serial} {rr.refresh} {rr.retry} "
                f"{rr.expire} {rr.minimum}")
    if t == 13:
        return f"{_quoted(rr.cpu)} {_quoted(rr.os)}"
    if t == 43:
        return f"{rr.keytag} {int(rr.algorithm)} {int(rr.digesttype)} {rr.digest.hex().upper()}"
    if t == 48:
        return (f"{int(rr.flags)} {rr.protocol} {int(rr.algorithm)} "
                f"{base64.b64encode(rr.publickey).decode()}")
    data = _raw_rdata(rr)
    return f"\\# {len(data)} {data.hex().upper()}" if data else "\\# 0"


def _indent(line: str, column: int, to: int) -> tuple[str, int]:
    """BIND's ``indent()``: tabs to the last tab stop before ``to``, then spaces, and at least
    one character."""
    to = max(to, column + 1)
    tabs = to // 8 - column // 8
    if tabs > 0:
        line += "\t" * tabs
        column = to // 8 * 8
    return line + " " * (to - column), to


def _columns(parts: Iterable[tuple[str, int]]) -> str:
    line, column = "", 0
    for text, stop in parts:
        if stop:
            line, column = _indent(line, column, stop)
        line += text
        column += len(text)
    return line


def _rr_line(rr: Any) -> str:
    return _columns([(_name(rr.rrname), 0), (str(rr.ttl), 24), (class_name(_rclass(rr)), 32),
                     (type_name(int(rr.type)), 40), (rdata_text(rr), 48)])


def _rclass(rr: Any) -> int:
    return int(getattr(rr, "rclass", 1))


def _flags(msg: Any) -> list[str]:
    return [f for f in ("qr", "aa", "tc", "rd", "ra", "ad", "cd") if getattr(msg, f, 0)]


def _sections(msg: Any) -> dict[str, list[Any]]:
    return {"question": list(msg.qd or []), "answer": list(msg.an or []),
            "authority": list(msg.ns or []),
            "additional": [r for r in (msg.ar or []) if int(r.type) != 41]}


def _opt(msg: Any) -> Any:
    return next((r for r in (msg.ar or []) if int(r.type) == 41), None)


def _opt_lines(opt: Any) -> list[str]:
    flags = " do" if int(opt.z) & 0x8000 else ""
    lines = [f"; EDNS: version: {opt.version}, flags:{flags}; udp: {_rclass(opt)}"]
    for o in opt.rdata or []:
        code = int(getattr(o, "optcode", 0))
        data = bytes(o)[4:]  # the option's data, whatever class dissected it
        if code == 10:
            lines.append(f"; COOKIE: {data.hex()}")
        elif code == 3:
            lines.append(f"; NSID: {data.hex()} ({_quoted(data)})")
        elif code == 15 and len(data) >= 2:
            info = int.from_bytes(data[:2], "big")
            line = f"; EDE: {info}" + (f" ({_EDE[info]})" if info in _EDE else "")
            if data[2:]:
                line += f": ({data[2:].decode('utf-8', 'replace')})"
            lines.append(line)
        else:
            lines.append(f"; OPT={code}: {data.hex()}")
    return lines


def dig_text(answer: Answer, command: str = "", show: Iterable[str] | None = None,
             server_given: bool = True) -> str:
    """The answer as dig prints it. ``show`` names what to print (dig's ``+[no]cmd``,
    ``comments``, ``question``, ``answer``, ``authority``, ``additional``, ``stats``); all by
    default. ``server_given``: the server came from the command line (dig then says how many
    addresses it found)."""
    shown = set(show) if show is not None else {"cmd", "comments", *SECTIONS, "stats"}
    msg, out = answer.message, []
    if "cmd" in shown:
        out += ["", f"; <<>> paquet dns <<>> {command}".rstrip()]
        if server_given:
            out.append("; (1 server found)")
        out.append(";; global options: +cmd")
    sections = _sections(msg)
    if "comments" in shown:
        opcode = _OPCODES.get(int(msg.opcode), str(int(msg.opcode)))
        status = _RCODES.get(int(msg.rcode), f"RCODE{int(msg.rcode)}")
        counts = (f"QUERY: {len(sections['question'])}, ANSWER: {len(sections['answer'])}, "
                  f"AUTHORITY: {len(sections['authority'])}, "
                  f"ADDITIONAL: {len(msg.ar or [])}")
        out += [";; Got answer:",
                f";; ->>HEADER<<- opcode: {opcode}, status: {status}, id: {msg.id}",
                f";; flags: {' '.join(_flags(msg))}; {counts}"]
        if msg.rd and not msg.ra:
            out.append(";; WARNING: recursion requested but not available")
        out.append("")
        opt = _opt(msg)
        if opt is not None:
            out += [";; OPT PSEUDOSECTION:", *_opt_lines(opt)]
    for section in SECTIONS:
        records = sections[section]
        if section not in shown or not records:
            continue
        if "comments" in shown:
            out.append(f";; {section.upper()} SECTION:")
        if section == "question":
            out += [";" + _columns([(_name(q.qname), 0), (class_name(int(q.qclass)), 32),
                                    (type_name(int(q.qtype)), 40)]) for q in records]
        else:
            out += [_rr_line(rr) for rr in records]
        if "comments" in shown:
            out.append("")
    if "stats" in shown:
        when = time.strftime("%a %b %d %H:%M:%S %Z %Y", time.localtime(answer.when))
        out += [f";; Query time: {round(answer.elapsed * 1000)} msec",
                f";; SERVER: {answer.server}#{answer.port}({answer.server}) ({answer.protocol})",
                f";; WHEN: {when}", f";; MSG SIZE  rcvd: {answer.size}", ""]
    return "\n".join(out) + "\n"


def dig_short(answer: Answer) -> str:
    """The answer as ``dig +short`` prints it: each answer's data, one per line."""
    return "".join(rdata_text(rr) + "\n" for rr in _sections(answer.message)["answer"])


def to_dict(answer: Answer) -> dict[str, Any]:
    """The answer as plain data (``paquet dns --json``)."""
    msg = answer.message
    sections = _sections(msg)

    def record(rr: Any) -> dict[str, Any]:
        return {"name": _name(rr.rrname), "ttl": int(rr.ttl),
                "class": class_name(_rclass(rr)), "type": type_name(int(rr.type)),
                "data": rdata_text(rr)}

    return {
        "id": int(msg.id),
        "opcode": _OPCODES.get(int(msg.opcode), int(msg.opcode)),
        "status": _RCODES.get(int(msg.rcode), int(msg.rcode)),
        "flags": _flags(msg),
        "question": [{"name": _name(q.qname), "class": class_name(int(q.qclass)),
                      "type": type_name(int(q.qtype))} for q in sections["question"]],
        "answer": [record(r) for r in sections["answer"]],
        "authority": [record(r) for r in sections["authority"]],
        "additional": [record(r) for r in sections["additional"]],
        "server": answer.server, "port": answer.port, "protocol": answer.protocol,
        "query_time_ms": round(answer.elapsed * 1000, 3), "msg_size": answer.size,
    }

"""Explain spec of DNS (RFC 1035 section 4.1, :mod:`paquet.layers.dns`): the 12-byte header
(and the 2-byte length of DNS over TCP), then the four sections as parts of their own size,
each with its records named."""

from __future__ import annotations

from typing import Any

from paquet.explainer.core import Walk, layer_explanation, read_fields, variable_field
from paquet.layers.dns import DNS
from paquet.layers.llmnr import LLMNRQuery
from paquet.packet.general import _RAW
from paquet.packet.spec import FieldSpec, LayerSpec, hex_digits, named, register_spec

__all__ = ["DNS_SPEC", "LLMNR_SPEC"]

_OPCODES = {0: "QUERY", 1: "IQUERY", 2: "STATUS", 4: "NOTIFY", 5: "UPDATE"}
_RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP",
           5: "REFUSED"}

LENGTH = FieldSpec("length", "Length", 16,
                   "longueur du message DNS qui suit (DNS sur TCP seulement)",
                   "length of the DNS message that follows (DNS over TCP only)")

_ID = FieldSpec("id", "ID", 16,
                "identifiant choisi par le client, recopié dans la réponse",
                "identifier chosen by the client, copied into the reply", hex_digits(4))
_QR = FieldSpec("qr", "QR", 1, "0 : question, 1 : réponse", "0: query, 1: response")
_OPCODE = FieldSpec("opcode", "Opcode", 4, "type de requête (0 : requête standard)",
                    "kind of query (0: standard query)", named(_OPCODES))
_COUNTS = (
    FieldSpec("qdcount", "QDCOUNT", 16, "nombre de questions", "number of questions"),
    FieldSpec("ancount", "ANCOUNT", 16, "nombre d'enregistrements de réponse",
              "number of answer records"),
    FieldSpec("nscount", "NSCOUNT", 16, "nombre d'enregistrements d'autorité (serveurs de noms)",
              "number of authority records (name servers)"),
    FieldSpec("arcount", "ARCOUNT", 16, "nombre d'enregistrements additionnels (dont EDNS0)",
              "number of additional records (EDNS0's included)"),
)
_RCODE = FieldSpec("rcode", "RCODE", 4, "code de réponse (0 : pas d'erreur, 3 : nom inconnu)",
                   "response code (0: no error, 3: no such name)", named(_RCODES))

_FIELDS: tuple[FieldSpec, ...] = (
    _ID, _QR, _OPCODE,
    FieldSpec("aa", "AA", 1, "réponse d'un serveur faisant autorité pour ce nom",
              "answer from a server authoritative for the name"),
    FieldSpec("tc", "TC", 1, "message tronqué (à redemander sur TCP)",
              "message truncated (ask again over TCP)"),
    FieldSpec("rd", "RD", 1, "récursion demandée au serveur", "recursion desired"),
    FieldSpec("ra", "RA", 1, "le serveur sait faire la récursion", "recursion available"),
    FieldSpec("z", "Z", 1, "réservé, 0", "reserved, 0"),
    FieldSpec("ad", "AD", 1, "données authentifiées par DNSSEC (RFC 4035)",
              "data authenticated by DNSSEC (RFC 4035)"),
    FieldSpec("cd", "CD", 1, "vérification DNSSEC désactivée (RFC 4035)",
              "DNSSEC checking disabled (RFC 4035)"),
    _RCODE, *_COUNTS,
)

_LLMNR_FIELDS: tuple[FieldSpec, ...] = (
    _ID, _QR, _OPCODE,
    FieldSpec("c", "C", 1, "conflit : plusieurs machines répondent pour ce nom",
              "conflict: several hosts answer for this name"),
    FieldSpec("tc", "TC", 1, "message tronqué", "message truncated"),
    FieldSpec("t", "T", 1, "nom provisoire (pas encore vérifié unique)",
              "tentative name (not yet checked unique)"),
    FieldSpec("z", "Z", 4, "réservé, 0", "reserved, 0"),
    _RCODE, *_COUNTS,
)

_SECTIONS = (
    ("qd", "Question", "les questions : nom, type, classe", "the questions: name, type, class"),
    ("an", "Answer", "les réponses : nom, type, classe, durée de vie, données",
     "the answers: name, type, class, time to live, data"),
    ("ns", "Authority", "les serveurs de noms faisant autorité",
     "the authoritative name servers"),
    ("ar", "Additional", "les enregistrements additionnels (EDNS0 : pseudo-enregistrement OPT)",
     "the additional records (EDNS0: the OPT pseudo-record)"),
)


def _record_length(rec: Any) -> int:
    raw = rec.__dict__.get(_RAW)
    return len(raw[0]) if raw is not None else len(bytes(rec))


def _names(rec: Any) -> str:
    kind = type(rec).__name__
    name = rec.__dict__.get("qname", rec.__dict__.get("rrname"))
    return f"{kind} {name.decode('latin-1')}" if isinstance(name, bytes) else kind


def _explain(spec: LayerSpec, fields_spec: tuple[FieldSpec, ...], walk: Walk) -> Any:
    layer = walk.layer
    rest = walk.rest
    lead = 2 if getattr(layer, "length", None) is not None else 0
    if len(rest) < lead + 12:
        return None
    fields = read_fields(rest[lead:lead + 12], fields_spec, walk.lang, lead * 8)
    if lead:
        fields = [*read_fields(rest[:2], (LENGTH,), walk.lang), *fields]
    pos = lead + 12
    for name, label, fr, en in _SECTIONS:
        records = layer.__dict__.get(name) or []
        size = sum(_record_length(r) for r in records)
        if size:
            shown = ", ".join(_names(r) for r in records)
            fr_text = f"{fr} ({shown})"
            en_text = f"{en} ({shown})"
            fields.append(variable_field(name, label, pos * 8, rest[pos:pos + size],
                                         fr_text, en_text, walk.lang))
        pos += size
    return layer_explanation(spec, walk.offset, pos, fields, exact=True), pos


def _dns(walk: Walk) -> Any:
    return _explain(DNS_SPEC, _FIELDS, walk)


def _llmnr(walk: Walk) -> Any:
    return _explain(LLMNR_SPEC, _LLMNR_FIELDS, walk)


DNS_SPEC = LayerSpec("DNS", "RFC 1035", _FIELDS, explainer=_dns)
"""DNS's explain spec."""
LLMNR_SPEC = LayerSpec("LLMNR", "RFC 4795", _LLMNR_FIELDS, explainer=_llmnr)
"""LLMNR's explain spec."""

register_spec(DNS, DNS_SPEC)
register_spec(LLMNRQuery, LLMNR_SPEC)

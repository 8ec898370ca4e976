"""A checksum explained step by step, as the course shows it: the words, their sum, the folds
and the one's complement (:class:`ChecksumExplanation`).

>>> explain_words([0x4500, 0x003b, 0x51b4], 2).ok
False
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from paquet.checksums.arithmetic import ChecksumError, FoldStep, _check_word, fold, fold_steps

__all__ = [
    "ChecksumExplanation",
    "explain_words",
]


_SUBJECTS = {
    "header": (
        "L'en-tête contient {count} mots de 16 bits :",
        "The header holds {count} 16-bit words:",
        "l'en-tête",
        "the header",
    ),
    "segment": (
        "Le pseudo-en-tête et le segment forment {count} mots de 16 bits :",
        "The pseudo-header and the segment make {count} 16-bit words:",
        "le segment",
        "the segment",
    ),
    "data": (
        "Les données forment {count} mots de 16 bits :",
        "The data makes {count} 16-bit words:",
        "les données",
        "the data",
    ),
}


class ChecksumExplanation(NamedTuple):
    """The steps of an internet checksum, as the course does them by hand.

    ``words`` are all the 16-bit words; the one at ``checksum_index`` (the checksum field,
    ``None`` when there is none) is left out of the sum. ``total`` is the plain sum of the
    others, ``folds`` the carry folds, ``folded`` the 16-bit result, ``computed`` its one's
    complement, ``field`` the value found in the header and ``ok`` the verdict. ``subject`` is
    ``'header'``, ``'segment'`` (a pseudo-header and a TCP/UDP/ICMPv6 segment) or ``'data'``;
    ``zero_as_ffff`` tells that a result of 0 is sent as 0xffff (UDP, RFC 768).
    """

    words: tuple[int, ...]
    checksum_index: int | None
    total: int
    folds: tuple[FoldStep, ...]
    folded: int
    computed: int
    field: int | None
    subject: str = "header"
    zero_as_ffff: bool = False

    @property
    def summed_words(self) -> tuple[int, ...]:
        """The words that are added (all but the checksum field)."""
        return tuple(w for i, w in enumerate(self.words) if i != self.checksum_index)

    @property
    def ok(self) -> bool | None:
        """True when the header's field equals the computed checksum (None without a field)."""
        if self.field is None:
            return None
        if self.zero_as_ffff and self.computed == 0:
            return self.field == 0xFFFF
        return self.field == self.computed

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (numbers as ``0x`` hex strings, as the course writes them)."""
        return {
            "words": [f"0x{w:04x}" for w in self.words],
            "checksum_index": self.checksum_index,
            "summed_words": [f"0x{w:04x}" for w in self.summed_words],
            "sum": f"0x{self.total:x}",
            "folds": [
                {
                    "before": f"0x{s.before:x}",
                    "low": f"0x{s.low:04x}",
                    "carry": f"0x{s.carry:x}",
                    "after": f"0x{s.after:x}",
                }
                for s in self.folds
            ],
            "folded": f"0x{self.folded:04x}",
            "computed": f"0x{self.computed:04x}",
            "field": None if self.field is None else f"0x{self.field:04x}",
            "ok": self.ok,
            "subject": self.subject,
        }

    def lines(self, lang: str = "fr") -> list[str]:
        """The explanation as text lines, in French (``'fr'``) or English (``'en'``).

        >>> for line in explain_words([0x4500, 0x003b, 0x0001, 0x0000, 0x4006, 0x51b4,
        ...                            0xc0a8, 0x0001, 0xb114, 0xb74a], 5).lines('en'):
        ...     print(line)
        The header holds 10 16-bit words:
          4500 003b 0001 0000 4006 [51b4] c0a8 0001 b114 b74a
        Word 6 (0x51b4) is the checksum field itself: it is left out of the sum.
        (i)   0x4500 + 0x003b + 0x0001 + 0x0000 + 0x4006
              + 0xc0a8 + 0x0001 + 0xb114 + 0xb74a = 0x2ae49
        (ii)  0x2ae49 needs more than 2 bytes: fold the carry back, 0xae49 + 0x2 = 0xae4b
        (iii) one's complement on 16 bits: ~0xae4b = 0x51b4
        (iv)  the field is 0x51b4: equal, the header is intact
        """
        fr = lang == "fr"
        out = []
        shown = " ".join(
            f"[{w:04x}]" if i == self.checksum_index else f"{w:04x}"
            for i, w in enumerate(self.words)
        )
        count = len(self.words)
        intro_fr, intro_en, whole_fr, whole_en = _SUBJECTS.get(self.subject, _SUBJECTS["data"])
        out.append((intro_fr if fr else intro_en).format(count=count))
        out.append(f"  {shown}")
        if self.checksum_index is not None:
            rank = self.checksum_index + 1
            value = f"0x{self.words[self.checksum_index]:04x}"
            out.append(
                f"Le {rank}e mot ({value}) est la somme de contrôle elle-même : "
                "on le laisse de côté."
                if fr
                else f"Word {rank} ({value}) is the checksum field itself: "
                "it is left out of the sum."
            )
        terms = [f"0x{w:04x}" for w in self.summed_words] or ["0"]
        rows = [" + ".join(terms[i : i + 5]) for i in range(0, len(terms), 5)]
        for number, row in enumerate(rows):
            start = "(i)   " if number == 0 else "      + "
            end = f" = 0x{self.total:x}" if number == len(rows) - 1 else ""
            out.append(f"{start}{row}{end}")
        if not self.folds:
            out.append(
                f"(ii)  0x{self.total:x} tient sur 2 octets : pas de retenue à reporter"
                if fr
                else f"(ii)  0x{self.total:x} fits in 2 bytes: no carry to fold back"
            )
        for number, step in enumerate(self.folds):
            label = "(ii)  " if number == 0 else "      "
            out.append(
                f"{label}0x{step.before:x} s'écrit sur plus de 2 octets : "
                f"0x{step.low:04x} + 0x{step.carry:x} = 0x{step.after:04x}"
                if fr
                else f"{label}0x{step.before:x} needs more than 2 bytes: fold the carry back, "
                f"0x{step.low:04x} + 0x{step.carry:x} = 0x{step.after:04x}"
            )
        out.append(
            f"(iii) complément à 1 sur 16 bits : ~0x{self.folded:04x} = 0x{self.computed:04x}"
            if fr
            else f"(iii) one's complement on 16 bits: ~0x{self.folded:04x} = 0x{self.computed:04x}"
        )
        if self.field is not None:
            field = f"0x{self.field:04x}"
            if self.zero_as_ffff and self.computed == 0:
                out.append(
                    "      un résultat nul s'écrit 0xffff dans le champ (RFC 768)"
                    if fr
                    else "      a zero result is written 0xffff in the field (RFC 768)"
                )
            if self.ok:
                out.append(
                    f"(iv)  le champ vaut {field} : égal, {whole_fr} est conforme"
                    if fr
                    else f"(iv)  the field is {field}: equal, {whole_en} is intact"
                )
            else:
                out.append(
                    f"(iv)  le champ vaut {field} ≠ 0x{self.computed:04x} : "
                    f"{whole_fr} n'est pas conforme (altéré)"
                    if fr
                    else f"(iv)  the field is {field} ≠ 0x{self.computed:04x}: "
                    f"{whole_en} is not intact (damaged)"
                )
        return out

    def render(self, lang: str = "fr") -> str:
        """The explanation as one text, lines joined by newlines."""
        return "\n".join(self.lines(lang))


def explain_words(
    words: Sequence[int], checksum_index: int | None = None, field: int | None = None
) -> ChecksumExplanation:
    """Explain the checksum of ``words``; the word at ``checksum_index`` is the checksum
    field: it is left out of the sum and compared with the result (``field`` overrides the
    value compared with, e.g. the ``chksum`` argument of the course's ``est_conforme``).

    >>> e = explain_words([0x4500, 0x0073, 0x0000, 0x4000, 0x4011, 0xb861, 0xc0a8, 0x0001,
    ...                    0xc0a8, 0x00c7], 5)
    >>> hex(e.total), hex(e.computed), e.ok
    ('0x2479c', '0xb861', True)
    """
    checked = tuple(_check_word(w) for w in words)
    if checksum_index is not None and not 0 <= checksum_index < len(checked):
        raise ChecksumError(f"checksum index {checksum_index} outside the {len(checked)} words")
    if field is None and checksum_index is not None:
        field = checked[checksum_index]
    elif field is not None:
        _check_word(field)
    total = sum(w for i, w in enumerate(checked) if i != checksum_index)
    folded = fold(total)
    return ChecksumExplanation(
        words=checked,
        checksum_index=checksum_index,
        total=total,
        folds=fold_steps(total),
        folded=folded,
        computed=~folded & 0xFFFF,
        field=field,
        subject="header" if checksum_index is not None else "data",
    )

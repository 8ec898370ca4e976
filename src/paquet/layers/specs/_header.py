"""What the IPv4 and TCP specs share: a 20-byte fixed header whose length, in 32-bit words,
says how many bytes of options follow it."""

from __future__ import annotations

from collections.abc import Sequence

from paquet.explain.core import FieldExplanation, Walk, read_fields, variable_field
from paquet.packet.spec import FieldSpec

__all__ = ["fixed_and_options"]


def fixed_and_options(
    walk: Walk, fixed: Sequence[FieldSpec], words: int, options: tuple[str, str]
) -> tuple[int, list[FieldExplanation]]:
    """The header's length (``words`` 32-bit words, kept between 20 bytes and what is there)
    and its fields: the 20 fixed bytes read with ``fixed``, then the options as one part
    (``options`` says what they are, in French and English)."""
    rest = walk.rest
    size = max(20, min(words * 4, len(rest)))
    fields = read_fields(rest[:20], fixed, walk.lang)
    if size > 20:
        fr, en = options
        fields.append(variable_field("options", "Options", 160, rest[20:size], fr, en, walk.lang))
    return size, fields

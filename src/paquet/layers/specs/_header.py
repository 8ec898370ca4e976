"""What the IPv4 and TCP specs share: a 20-byte fixed header whose length, in 32-bit words,
says how many bytes of options follow it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from paquet.explainer.core import FieldExplanation, Walk, read_fields, variable_field
from paquet.packet.spec import FieldSpec

__all__ = ["fixed_and_options"]


def fixed_and_options(
    walk: Walk,
    fixed: Sequence[FieldSpec],
    words: Callable[[bytes], int],
    options: tuple[str, str],
) -> tuple[int, list[FieldExplanation]] | None:
    """The header's length (``words(header)`` 32-bit words, kept between 20 bytes and what is
    there) and its fields: the 20 fixed bytes read with ``fixed``, then the options as one
    part (``options`` says what they are, in French and English). None when fewer than the
    20 fixed bytes are there."""
    rest = walk.rest
    if len(rest) < 20:
        return None
    size = max(20, min(words(rest) * 4, len(rest)))
    fields = read_fields(rest[:20], fixed, walk.lang)
    if size > 20:
        fr, en = options
        fields.append(variable_field("options", "Options", 160, rest[20:size], fr, en, walk.lang))
    return size, fields

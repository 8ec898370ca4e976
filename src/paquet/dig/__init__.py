"""A DNS client for the course, dig's way: :func:`query` asks one server over UDP or TCP and
returns a :class:`Answer`; :func:`dig_text` prints it as ``dig`` does; ``paquet dns`` is the
command.

>>> from paquet.dig import reverse_name
>>> reverse_name("192.0.2.80")
'80.2.0.192.in-addr.arpa.'
"""

from __future__ import annotations

from paquet.dig.query import Answer, NoAnswer, Query, query, reverse_name, system_nameservers
from paquet.dig.text import dig_short, dig_text, rdata_text, to_dict

__all__ = [
    "Answer",
    "NoAnswer",
    "Query",
    "dig_short",
    "dig_text",
    "query",
    "rdata_text",
    "reverse_name",
    "system_nameservers",
    "to_dict",
]

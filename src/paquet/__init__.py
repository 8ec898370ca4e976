"""paquet: craft, send, capture and understand network packets.

Scapy-compatible names (``from paquet import *`` gives ``IP``, ``ICMP``, ``sr1``, ...), loaded
lazily so that ``import paquet`` stays fast: a name's module is imported on first use.

Standard library modules, as Scapy gives them. ``from scapy.all import *`` hands out some fifty
standard modules that Scapy's own files import (it has no ``__all__`` listing them out), and
Scapy scripts and students' code use them without importing them: ``random.randint`` for a
source port, ``time.sleep`` between probes, ``os.getuid()``, ``struct.pack``... A script that
runs with Scapy must run once its import line says ``paquet``, so ``from paquet import *``
gives the everyday ones of that set (:data:`STDLIB_MODULES`): ``os sys time random struct
socket select re math json threading subprocess itertools collections functools copy string
errno hashlib zlib gzip pickle queue tempfile shutil pathlib io logging uuid operator traceback
warnings``, and the few names Scapy gives from them that scripts use unqualified (``datetime``,
``timedelta``, ``defaultdict``, ``deque``, ``namedtuple``, ``Counter``, ``partial``,
``reduce``, ``choice``, ``inet_aton``, ``inet_ntoa``, ``crc32``, ``zip_longest``, ``gmtime``,
``strftime``). The rest of Scapy's set (``abc``, ``argparse``, ``ctypes``, ``ssl``,
``inspect``...) is Scapy's plumbing, not what scripts lean on. Like every public name they are
loaded on first use: ``import paquet`` imports none of them.

>>> import paquet
>>> paquet.random is __import__("random"), "struct" in paquet.__all__
(True, True)
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs the start-up of paquet trace milliseconds
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """A public name (``IP``, ``sr1``, ``os``...) or ``__all__``: the table of
    :mod:`paquet._exports` is read on the first one, which then answers every name."""
    from paquet._exports import attach  # (not "from paquet import": that asks this function)

    attach(globals())
    return globals()["__getattr__"](name) if name not in globals() else globals()[name]


def __dir__() -> list[str]:
    """The public names (the table of :mod:`paquet._exports`)."""
    from paquet._exports import attach

    attach(globals())
    names: list[str] = globals()["__dir__"]()
    return names

"""What a demo section shows, as data: :data:`Block` values a section hands to
``ctx.emit`` (a heading, a sentence, code as typed, what it printed, a table...) as soon as it
knows them, and the :class:`DemoContext` and :class:`Section` they are made with.

Nothing here prints: ``paquet.cli.demo`` renders the blocks (rich markup, colours).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Blank",
    "Block",
    "Code",
    "DemoContext",
    "Line",
    "Output",
    "Picture",
    "Rule",
    "Section",
    "Table",
    "Verbatim",
]


@dataclass(frozen=True)
class Rule:
    """A section's title, across the screen."""

    title: str


@dataclass(frozen=True)
class Blank:
    """An empty line."""


@dataclass(frozen=True)
class Line:
    """One line of text in parts, each with a rich style (``'bold'``, ``'green'``...) or None."""

    parts: tuple[tuple[str, str | None], ...]

    @classmethod
    def plain(cls, text: str, style: str | None = None) -> Line:
        """A line of one part."""
        return cls(((text, style),))


@dataclass(frozen=True)
class Code:
    """Code or a command as typed (``prompt`` ``>>>`` for Python, ``$`` for the shell)."""

    text: str
    prompt: str = ">>>"


@dataclass(frozen=True)
class Output:
    """What code or a command printed, as it printed it."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table the command line draws: ``kind`` ``'subnet'`` (an ``addr.SubnetInfo``) or
    ``'plan'`` (a ``plan.vlsm`` result)."""

    kind: str
    value: Any


@dataclass(frozen=True)
class Verbatim:
    """Lines printed exactly as they are (no markup, no highlighting)."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class Picture:
    """A picture of what the section just showed: ``kind`` names its drawing function
    (``"ladder"``, ``"trace"``, ``"topology"``: see :data:`paquet.draw.report.PICTURES`),
    ``data`` is what it draws, ``text`` its text form, shown where the picture cannot be drawn;
    ``svg`` is the picture when it was drawn already (where its data lived: a lab's node), and
    ``terminal`` says whether the terminal prints ``text`` (a ladder: the terminal draws it as
    text) or leaves the picture to the HTML report (the section's own lines say the same).
    """

    kind: str
    data: Any = field(compare=False)
    text: str = ""
    svg: str = field(default="", compare=False)
    terminal: bool = False

    @property
    def lines(self) -> tuple[str, ...]:
        """The text form, line by line."""
        return tuple(self.text.splitlines())


Block = Rule | Blank | Line | Code | Output | Table | Verbatim | Picture
"""Everything a section can show."""


@dataclass
class DemoContext:
    """What a section gets: the language, where its blocks go (``emit``), a record for JSON,
    and the ``tp`` lab (None for sections that need no lab)."""

    lang: str
    emit: Callable[[Block], None]
    data: dict[str, Any] = field(default_factory=dict)
    lab: Any = None

    def t(self, fr: str, en: str) -> str:
        """The text in the demo's language."""
        return fr if self.lang == "fr" else en

    def heading(self, fr: str, en: str) -> None:
        """A question's heading."""
        self.emit(Blank())
        self.emit(Line.plain(self.t(fr, en), "bold"))

    def say(self, fr: str, en: str) -> None:
        """A short sentence."""
        self.emit(Line.plain(self.t(fr, en)))

    def note(self, fr: str, en: str) -> None:
        """A remark that stands out (a mistake in the course sheet, a caveat)."""
        self.emit(Line.plain(self.t("Remarque : ", "Note: ") + self.t(fr, en), "magenta"))

    def line(self, *parts: tuple[str, str | None]) -> None:
        """One line in styled parts."""
        self.emit(Line(parts))

    def call(
        self, key: str, function: Callable[..., Any], *args: Any, shown: str | None = None
    ) -> Any:
        """Call ``function(*args)``, show it as an interactive session would (``shown``
        replaces the arguments as written), record the result under ``key`` and return it."""
        result = function(*args)
        arguments = ", ".join(repr(a) for a in args) if shown is None else shown
        self.emit(Code(f"{function.__name__}({arguments})"))
        self.emit(Line.plain(repr(result), "green"))
        self.record(key, result)
        return result

    def picture(self, kind: str, data: Any, text: str = "") -> None:
        """A picture of ``data`` drawn by ``kind``'s function in the HTML report (see
        :class:`Picture`)."""
        self.emit(Picture(kind, data, text))

    def record(self, key: str, value: Any) -> None:
        """Keep ``value`` for the ``--json`` output."""
        self.data[key] = value

    def code(self, text: str, prompt: str = ">>>") -> None:
        """Code or a command as typed."""
        self.emit(Code(text, prompt))

    def output(self, text: str) -> None:
        """What the code or command printed."""
        self.emit(Output(text))

    def run_shown(self, node: str, code: str, function: Callable[..., str], *args: Any) -> str:
        """Show ``code``, run ``function(*args)`` in the lab's ``node``, show what it printed
        and return it."""
        self.code(code)
        shown: str = self.lab[node].run(function, *args)
        self.output(shown)
        return shown


@dataclass(frozen=True)
class Section:
    """One part of the demo: a key (for ``--only``), a title in each language, a function."""

    key: str
    title_fr: str
    title_en: str
    run: Callable[[DemoContext], None]
    needs_lab: bool = False

    def title(self, lang: str) -> str:
        """The title in ``lang``."""
        return self.title_fr if lang == "fr" else self.title_en

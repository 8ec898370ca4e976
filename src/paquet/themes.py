"""Colour themes, as Scapy's ``scapy.themes``: ``conf.color_theme`` styles what is printed.

A theme is asked for a *styler* by the role of a piece of text (``layer_name``,
``field_name``, ``field_value``, ``punct``, ``id``, ``not_printable``, ``left``, ``right``...);
the styler wraps a value in the theme's codes: ANSI escapes for the terminal themes
(:class:`DefaultTheme`, :class:`BrightTheme`, :class:`RastaTheme`, :class:`ColorOnBlackTheme`),
LaTeX or HTML markup for the format themes (:class:`LatexTheme`, :class:`LatexTheme2`,
:class:`HTMLTheme`, :class:`HTMLTheme2`), nothing at all for :class:`NoTheme` and
:class:`BlackAndWhite`. A role a theme does not style gives the text unchanged.

Unless the user sets one, ``conf.color_theme`` is :class:`DefaultTheme` when standard output
is a terminal and ``NO_COLOR`` is not set, :class:`NoTheme` otherwise (:func:`default_theme`),
so output that is piped or captured never carries escape codes.

>>> LatexTheme().layer_name("IP")
'\\\\textcolor{red}{\\\\bf IP}'
>>> DefaultTheme().field_name("ttl")
'\\x1b[34mttl\\x1b[0m'
>>> NoTheme().field_name("ttl")
'ttl'
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

__all__ = [
    "EMPH_FIELDS",
    "AnsiColorTheme",
    "BlackAndWhite",
    "BrightTheme",
    "Color",
    "ColorOnBlackTheme",
    "ColorTable",
    "ColorTheme",
    "DefaultTheme",
    "FormatTheme",
    "HTMLTheme",
    "HTMLTheme2",
    "LatexTheme",
    "LatexTheme2",
    "NoTheme",
    "RastaTheme",
    "create_styler",
    "default_theme",
    "emphasized",
    "get_theme",
    "is_plain",
    "set_theme",
    "tex_escape",
]

Styler = Callable[..., str]

# Name -> ANSI escape sequence (Scapy's names).
_ANSI: dict[str, str] = {
    "black": "\033[30m",
    "red": "\033[31m",
    "green": "\033[32m",
    "yellow": "\033[33m",
    "blue": "\033[34m",
    "purple": "\033[35m",
    "cyan": "\033[36m",
    "white": "\033[37m",
    "grey": "\033[38;5;246m",
    "reset": "\033[39m",
    "bg_black": "\033[40m",
    "bg_red": "\033[41m",
    "bg_green": "\033[42m",
    "bg_yellow": "\033[43m",
    "bg_blue": "\033[44m",
    "bg_purple": "\033[45m",
    "bg_cyan": "\033[46m",
    "bg_white": "\033[47m",
    "bg_reset": "\033[49m",
    "normal": "\033[0m",
    "bold": "\033[1m",
    "uline": "\033[4m",
    "blink": "\033[5m",
    "invert": "\033[7m",
}


class ColorTable:
    """The ANSI escape sequences by name: ``Color.red``, ``Color.bold``, ``Color.normal``
    (an unknown name gives "").

    >>> Color.red + "x" + Color.normal
    '\\x1b[31mx\\x1b[0m'
    """

    colors = _ANSI

    def __repr__(self) -> str:
        return "<ColorTable>"

    def __getattr__(self, attr: str) -> str:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _ANSI.get(attr, "")


Color = ColorTable()
"""The one :class:`ColorTable`."""


def create_styler(
    fmt: str | None = None, before: str = "", after: str = "", fmt2: str = "%s"
) -> Styler:
    """A styler: ``styler(val, fmt=None, fmt2="%s", before="", after="")`` formats ``val``
    with ``fmt`` (``str`` when None), puts ``before`` and ``after`` around it, then fills
    ``fmt2`` with the whole (Scapy's ``create_styler``).

    >>> create_styler(before="<", after=">")(42, fmt="%04i")
    '<0042>'
    """

    def style(
        val: Any,
        fmt: str | None = fmt,
        fmt2: str = fmt2,
        before: str = before,
        after: str = after,
    ) -> str:
        text = str(val) if fmt is None else fmt % val
        return fmt2 % (before + text + after)

    return style


class ColorTheme:
    """A theme: ``theme.<role>(value)`` styles a value; this base class styles nothing.

    ``theme.format(text, "field_name+fail")`` applies several roles in turn.
    """

    style_normal = ""
    style_prompt = ""
    style_punct = ""
    style_id = ""
    style_not_printable = ""
    style_layer_name = ""
    style_field_name = ""
    style_field_value = ""
    style_emph_field_name = ""
    style_emph_field_value = ""
    style_depreciate_field_name = ""
    style_packetlist_name = ""
    style_packetlist_proto = ""
    style_packetlist_value = ""
    style_fail = ""
    style_success = ""
    style_odd = ""
    style_even = ""
    style_opening = ""
    style_active = ""
    style_closed = ""
    style_left = ""
    style_right = ""
    style_logo = ""

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (), ())

    def __getattr__(self, attr: str) -> Styler:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return create_styler()

    def format(self, string: str, fmt: str) -> str:
        """``string`` styled by each role of ``fmt`` (roles joined by ``+``)."""
        for role in fmt.split("+"):
            string = getattr(self, role)(string)
        return string


class NoTheme(ColorTheme):
    """No styling: the text as it is."""


class AnsiColorTheme(ColorTheme):
    """A terminal theme: a role's ``style_<role>`` escape before the text, ``style_normal``
    after; a colour name (``theme.red``) works as a role too."""

    def __getattr__(self, attr: str) -> Styler:
        if attr.startswith("__"):
            raise AttributeError(attr)
        key = f"style_{attr}"
        if key in type(self).__dict__:
            before, after = getattr(self, key), self.style_normal
        elif not isinstance(self, BlackAndWhite) and attr in _ANSI:
            before, after = _ANSI[attr], _ANSI["normal"]
        else:
            before = after = ""
        return create_styler(before=before, after=after)


class BlackAndWhite(AnsiColorTheme, NoTheme):
    """A terminal theme without colours (nothing is styled)."""


class DefaultTheme(AnsiColorTheme):
    """Scapy's default terminal theme (for light and dark backgrounds)."""

    style_normal = Color.normal
    style_prompt = Color.blue + Color.bold
    style_punct = Color.normal
    style_id = Color.blue + Color.bold
    style_not_printable = Color.white
    style_depreciate_field_name = Color.grey
    style_layer_name = Color.red + Color.bold
    style_field_name = Color.blue
    style_field_value = Color.purple
    style_emph_field_name = Color.blue + Color.uline + Color.bold
    style_emph_field_value = Color.purple + Color.uline + Color.bold
    style_packetlist_name = Color.red + Color.bold
    style_packetlist_proto = Color.blue
    style_packetlist_value = Color.purple
    style_fail = Color.red + Color.bold
    style_success = Color.blue + Color.bold
    style_even = Color.black + Color.bold
    style_odd = Color.black
    style_opening = Color.yellow
    style_active = Color.black
    style_closed = Color.white
    style_left = Color.blue + Color.invert
    style_right = Color.red + Color.invert
    style_logo = Color.green + Color.bold


class BrightTheme(AnsiColorTheme):
    """Bold, bright colours."""

    style_normal = Color.normal
    style_punct = Color.normal
    style_id = Color.yellow + Color.bold
    style_layer_name = Color.red + Color.bold
    style_field_name = Color.yellow + Color.bold
    style_field_value = Color.purple + Color.bold
    style_emph_field_name = Color.yellow + Color.bold
    style_emph_field_value = Color.green + Color.bold
    style_packetlist_name = Color.red + Color.bold
    style_packetlist_proto = Color.yellow + Color.bold
    style_packetlist_value = Color.purple + Color.bold
    style_fail = Color.red + Color.bold
    style_success = Color.blue + Color.bold
    style_even = Color.black + Color.bold
    style_odd = Color.black
    style_left = Color.cyan + Color.invert
    style_right = Color.purple + Color.invert
    style_logo = Color.green + Color.bold


class RastaTheme(AnsiColorTheme):
    """Green, yellow and red."""

    style_normal = Color.normal + Color.green + Color.bold
    style_prompt = Color.yellow + Color.bold
    style_punct = Color.red
    style_id = Color.green + Color.bold
    style_not_printable = Color.green
    style_layer_name = Color.red + Color.bold
    style_field_name = Color.yellow + Color.bold
    style_field_value = Color.green + Color.bold
    style_emph_field_name = Color.green
    style_emph_field_value = Color.green
    style_packetlist_name = Color.red + Color.bold
    style_packetlist_proto = Color.yellow + Color.bold
    style_packetlist_value = Color.green + Color.bold
    style_fail = Color.red
    style_success = Color.red + Color.bold
    style_even = Color.yellow
    style_odd = Color.green
    style_left = Color.yellow + Color.invert
    style_right = Color.red + Color.invert
    style_logo = Color.green + Color.bold


class ColorOnBlackTheme(AnsiColorTheme):
    """For terminals with a black background."""

    style_normal = Color.normal
    style_prompt = Color.green + Color.bold
    style_punct = Color.normal
    style_id = Color.green
    style_not_printable = Color.black + Color.bold
    style_layer_name = Color.yellow + Color.bold
    style_field_name = Color.cyan
    style_field_value = Color.purple + Color.bold
    style_emph_field_name = Color.cyan + Color.bold
    style_emph_field_value = Color.red + Color.bold
    style_packetlist_name = Color.black + Color.bold
    style_packetlist_proto = Color.yellow + Color.bold
    style_packetlist_value = Color.purple + Color.bold
    style_fail = Color.red + Color.bold
    style_success = Color.green
    style_even = Color.black + Color.bold
    style_odd = Color.white
    style_opening = Color.yellow
    style_active = Color.white + Color.bold
    style_closed = Color.black + Color.bold
    style_left = Color.cyan + Color.bold
    style_right = Color.red + Color.bold
    style_logo = Color.green + Color.bold


class FormatTheme(ColorTheme):
    """A markup theme: a role's ``style_<role>`` is a ``%s`` template the text fills."""

    def __getattr__(self, attr: str) -> Styler:
        if attr.startswith("__"):
            raise AttributeError(attr)
        template = type(self).__dict__.get(f"style_{attr}", "%s")
        return create_styler(fmt2=template)


class LatexTheme(FormatTheme):
    r"""LaTeX ``\textcolor`` markup, the text TeX-escaped (prepend the output with
    ``\tt\obeyspaces\obeylines\tiny\noindent``)."""

    style_prompt = r"\textcolor{blue}{%s}"
    style_not_printable = r"\textcolor{gray}{%s}"
    style_layer_name = r"\textcolor{red}{\bf %s}"
    style_field_name = r"\textcolor{blue}{%s}"
    style_field_value = r"\textcolor{purple}{%s}"
    style_emph_field_name = r"\textcolor{blue}{\underline{%s}}"
    style_emph_field_value = r"\textcolor{purple}{\underline{%s}}"
    style_packetlist_name = r"\textcolor{red}{\bf %s}"
    style_packetlist_proto = r"\textcolor{blue}{%s}"
    style_packetlist_value = r"\textcolor{purple}{%s}"
    style_fail = r"\textcolor{red}{\bf %s}"
    style_success = r"\textcolor{blue}{\bf %s}"
    style_left = r"\textcolor{blue}{%s}"
    style_right = r"\textcolor{red}{%s}"
    style_logo = r"\textcolor{green}{\bf %s}"

    def __getattr__(self, attr: str) -> Styler:
        styler = super().__getattr__(attr)

        def escaped(val: Any, *args: Any, **kwargs: Any) -> str:
            # Formatted first, then escaped (Scapy escapes first, so that ``fmt="%04i"``
            # fails on the text of a number).
            fmt = kwargs.pop("fmt", args[0] if args else None)
            text = str(val) if fmt is None else fmt % val
            return styler(tex_escape(text), None, *args[1:], **kwargs)

        return escaped


class LatexTheme2(FormatTheme):
    """LaTeX markup with ``@`@`` for ``\\``, ``@[@`` / ``@]@`` for braces (for tools that
    escape the text afterwards)."""

    style_prompt = r"@`@textcolor@[@blue@]@@[@%s@]@"
    style_not_printable = r"@`@textcolor@[@gray@]@@[@%s@]@"
    style_layer_name = r"@`@textcolor@[@red@]@@[@@`@bfseries@[@@]@%s@]@"
    style_field_name = r"@`@textcolor@[@blue@]@@[@%s@]@"
    style_field_value = r"@`@textcolor@[@purple@]@@[@%s@]@"
    style_emph_field_name = r"@`@textcolor@[@blue@]@@[@@`@underline@[@%s@]@@]@"
    style_emph_field_value = r"@`@textcolor@[@purple@]@@[@@`@underline@[@%s@]@@]@"
    style_packetlist_name = r"@`@textcolor@[@red@]@@[@@`@bfseries@[@@]@%s@]@"
    style_packetlist_proto = r"@`@textcolor@[@blue@]@@[@%s@]@"
    style_packetlist_value = r"@`@textcolor@[@purple@]@@[@%s@]@"
    style_fail = r"@`@textcolor@[@red@]@@[@@`@bfseries@[@@]@%s@]@"
    style_success = r"@`@textcolor@[@blue@]@@[@@`@bfseries@[@@]@%s@]@"
    style_even = r"@`@textcolor@[@gray@]@@[@@`@bfseries@[@@]@%s@]@"
    style_left = r"@`@textcolor@[@blue@]@@[@%s@]@"
    style_right = r"@`@textcolor@[@red@]@@[@%s@]@"
    style_logo = r"@`@textcolor@[@green@]@@[@@`@bfseries@[@@]@%s@]@"


class HTMLTheme(FormatTheme):
    """HTML ``<span class=role>`` markup."""

    style_prompt = "<span class=prompt>%s</span>"
    style_not_printable = "<span class=not_printable>%s</span>"
    style_layer_name = "<span class=layer_name>%s</span>"
    style_field_name = "<span class=field_name>%s</span>"
    style_field_value = "<span class=field_value>%s</span>"
    style_emph_field_name = "<span class=emph_field_name>%s</span>"
    style_emph_field_value = "<span class=emph_field_value>%s</span>"
    style_packetlist_name = "<span class=packetlist_name>%s</span>"
    style_packetlist_proto = "<span class=packetlist_proto>%s</span>"
    style_packetlist_value = "<span class=packetlist_value>%s</span>"
    style_fail = "<span class=fail>%s</span>"
    style_success = "<span class=success>%s</span>"
    style_even = "<span class=even>%s</span>"
    style_odd = "<span class=odd>%s</span>"
    style_left = "<span class=left>%s</span>"
    style_right = "<span class=right>%s</span>"


def _html2(role: str) -> str:
    return f"#[#span class={role}#]#%s#[#/span#]#"


class HTMLTheme2(HTMLTheme):
    """HTML markup with ``#[#`` / ``#]#`` for the angle brackets (escaped afterwards)."""

    style_prompt = _html2("prompt")
    style_not_printable = _html2("not_printable")
    style_layer_name = _html2("layer_name")
    style_field_name = _html2("field_name")
    style_field_value = _html2("field_value")
    style_emph_field_name = _html2("emph_field_name")
    style_emph_field_value = _html2("emph_field_value")
    style_packetlist_name = _html2("packetlist_name")
    style_packetlist_proto = _html2("packetlist_proto")
    style_packetlist_value = _html2("packetlist_value")
    style_fail = _html2("fail")
    style_success = _html2("success")
    style_even = _html2("even")
    style_odd = _html2("odd")
    style_left = _html2("left")
    style_right = _html2("right")


_TEX = {
    "{": "{\\tt\\char123}",
    "}": "{\\tt\\char125}",
    "\\": "{\\tt\\char92}",
    "^": "\\^{}",
    "$": "\\$",
    "#": "\\#",
    "_": "\\_",
    "&": "\\&",
    "%": "\\%",
    "|": "{\\tt\\char124}",
    "~": "{\\tt\\char126}",
    "<": "{\\tt\\char60}",
    ">": "{\\tt\\char62}",
}


def tex_escape(x: str) -> str:
    """``x`` with the characters LaTeX treats specially escaped (Scapy's forms; what
    :class:`LatexTheme` does to the text it styles).

    >>> print(tex_escape("50% of {a_b}"))
    50\\% of {\\tt\\char123}a\\_b{\\tt\\char125}
    """
    return "".join(_TEX.get(c, c) for c in x)


def default_theme(stream: Any = None) -> ColorTheme:
    """The theme used when none is set: :class:`DefaultTheme` when ``stream`` (standard
    output by default) is a terminal and the ``NO_COLOR`` environment variable is unset or
    empty, :class:`NoTheme` otherwise.

    >>> import io
    >>> default_theme(io.StringIO())
    <NoTheme>
    """
    if os.environ.get("NO_COLOR"):
        return NoTheme()
    out = sys.stdout if stream is None else stream
    isatty = getattr(out, "isatty", None)
    try:
        tty = bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):
        tty = False
    return DefaultTheme() if tty else NoTheme()


def is_plain(theme: ColorTheme) -> bool:
    """Whether ``theme`` leaves text unchanged (:class:`NoTheme`, :class:`BlackAndWhite`, or
    the base :class:`ColorTheme`), so that a printer may skip styling altogether.

    >>> is_plain(NoTheme()), is_plain(BlackAndWhite()), is_plain(HTMLTheme())
    (True, True, False)
    """
    return isinstance(theme, NoTheme) or type(theme) in (ColorTheme, AnsiColorTheme)


_chosen: list[ColorTheme] = []  # the theme the user set (conf.color_theme), if any


def get_theme() -> ColorTheme:
    """``conf.color_theme``: the theme the user set, else :func:`default_theme` (decided
    at each call, so that redirecting standard output turns the colours off)."""
    return _chosen[0] if _chosen else default_theme()


def set_theme(theme: ColorTheme | None) -> None:
    """Set ``conf.color_theme`` (None goes back to :func:`default_theme`'s choice).

    >>> set_theme(HTMLTheme()); get_theme()
    <HTMLTheme>
    >>> set_theme(None)
    """
    if theme is not None and not isinstance(theme, ColorTheme):
        from paquet.errors import PaquetError

        raise PaquetError(f"a colour theme is a ColorTheme instance, not {theme!r}")
    _chosen[:] = [] if theme is None else [theme]


#: Fields shown emphasised (``emph_field_name``/``emph_field_value``), by layer class name, as
#: Scapy's ``Emph`` fields; a subclass inherits them (``IPerror``). A layer may also name its
#: own in a class attribute ``emph_fields``.
EMPH_FIELDS: dict[str, frozenset[str]] = {"IP": frozenset({"src", "dst"})}


def emphasized(cls: type) -> frozenset[str]:
    """The names of the fields of layer class ``cls`` that ``show()`` emphasises.

    >>> from paquet.layers import IP, TCP
    >>> sorted(emphasized(IP)), sorted(emphasized(TCP))
    (['dst', 'src'], [])
    """
    own = getattr(cls, "emph_fields", None)
    if own is not None:
        return frozenset(own)
    for klass in cls.__mro__:
        found = EMPH_FIELDS.get(klass.__name__)
        if found is not None:
            return found
    return frozenset()

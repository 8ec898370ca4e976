"""``paquet demo``: what paquet can do, shown on the course's own examples (``make run``).

The course content (TP 4's questions, the exercise sheet, their code and fr/en texts) lives in
:mod:`paquet.course.demo`; this command only parses its arguments and renders the blocks the
sections hand over (:mod:`paquet.course.page`), on a rich console. New sections are added in
:mod:`paquet.course.demo` (see :func:`section` there), never here.
"""

from __future__ import annotations

import io
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from paquet.cli.params import TEXT, Choice, FilePath
from paquet.cli.render import default_lang, print_json
from paquet.cli.status import ExitStatus
from paquet.cli.subnet import console as wide_console
from paquet.course import demo as course
from paquet.course.demo import SECTIONS, DemoContext, Section, lab_unavailable, section
from paquet.course.page import Blank, Block, Code, Line, Output, Picture, Rule, Table, Verbatim

__all__ = [
    "SECTIONS",
    "DemoContext",
    "Section",
    "command",
    "default_lang",
    "lab_unavailable",
    "render",
    "run",
    "section",
    "table_text",
]

LANGS = ("fr", "en")


def render(screen: Console, block: Block) -> None:
    """Print one block of a demo section on ``screen``."""
    if isinstance(block, Line):
        screen.print(
            "".join(
                escape(text) if style is None else f"[{style}]{escape(text)}[/]"
                for text, style in block.parts
            )
        )
    elif isinstance(block, Code):
        for number, line in enumerate(block.text.strip("\n").splitlines()):
            mark = block.prompt if number == 0 or block.prompt == "$" else "..."
            screen.print(f"[dim]{escape(mark)}[/] {escape(line)}")
    elif isinstance(block, Output):
        for line in block.text.rstrip("\n").splitlines():
            screen.print(f"[green]{escape(line)}[/]")
    elif isinstance(block, Blank):
        screen.print()
    elif isinstance(block, Rule):
        screen.rule(f"[bold]{escape(block.title)}[/]")
    elif isinstance(block, Verbatim):
        screen.print("\n".join(block.lines), markup=False, highlight=False)
    elif isinstance(block, Table):
        from paquet.cli.subnet import info_table, plan_table

        screen.print(info_table(block.value) if block.kind == "subnet" else plan_table(block.value))
    elif isinstance(block, Picture):
        # a ladder is drawn as text; other pictures are for --html (the section's own lines
        # already say what they show)
        if block.terminal:
            screen.print(block.text, markup=False, highlight=False)
    else:  # pragma: no cover - every kind of block is drawn above
        raise TypeError(f"no way to draw {block!r}")


def table_text(block: Table) -> str:
    """A table block as the terminal draws it, as plain text (for the HTML report)."""
    screen = Console(file=io.StringIO(), width=80, record=True, emoji=False)
    render(screen, block)
    return screen.export_text()


def run(
    lang: str,
    only: tuple[str, ...] = (),
    out: Console | None = None,
    use_lab: bool = True,
    also: Any = None,
) -> dict[str, Any]:
    """Run the sections (all, or those named in ``only``) on ``out`` (a wide console by
    default) and return what they recorded (see :func:`paquet.course.demo.run`); ``also``
    receives every block too (the HTML report's ``add``)."""
    keys = course.section_keys()
    unknown = [k for k in only if k not in keys]
    if unknown:
        raise click.UsageError(
            f"unknown demo section {unknown[0]!r}; choose from {', '.join(sorted(keys))}"
        )
    screen = out if out is not None else wide_console()

    def emit(block: Block) -> None:
        render(screen, block)
        if also is not None:
            also(block)

    return course.run(lang, emit, only, use_lab=use_lab)


@click.command(name="demo")
@click.option(
    "--lang",
    type=Choice(LANGS),
    default=None,
    help="Language (default: French when the locale is French).",
)
@click.option("--only", type=TEXT, multiple=True, help="Run only this section (repeatable).")
@click.option("--list", "list_sections", is_flag=True, help="List the sections and exit.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--no-lab", is_flag=True, help="Skip the sections that need the lab.")
@click.option("--html", type=FilePath(writable=True), default=None,
              help="Also write the course as one self-contained HTML page (code, output, "
              "pictures).")
def command(
    lang: str | None, only: tuple[str, ...], list_sections: bool, as_json: bool, no_lab: bool,
    html: str | None = None,
) -> int:
    """Show what paquet does, on the course's examples."""
    language = lang or default_lang()
    if list_sections:
        if as_json:
            print_json([{"key": s.key, "title": s.title(language)} for s in SECTIONS])
        else:
            for s in SECTIONS:
                click.echo(f"{s.key:12} {s.title(language)}")
        return ExitStatus.OK
    report = None
    if html is not None:
        from paquet.draw.report import Report

        report = Report(language, tables=table_text)
    also = None if report is None else report.add
    if as_json:
        quiet = Console(file=io.StringIO(), width=120, emoji=False)
        print_json(run(language, only, quiet, use_lab=not no_lab, also=also))
    else:
        run(language, only, use_lab=not no_lab, also=also)
    if report is not None and html is not None:
        with open(html, "w", encoding="utf-8") as page:
            page.write(report.html())
    return ExitStatus.OK

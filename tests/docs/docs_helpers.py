"""Run the code blocks of docs/tp.md and docs/tutorial.md on the ``tp`` lab.

Three kinds of fenced blocks:

* ````python`` blocks are interactive sessions (``>>>`` and ``...`` lines, then what they
  print): each block runs from scratch inside a lab node (``client`` unless an HTML comment
  ``<!-- node: NAME -->`` just above says otherwise; ``host`` runs it in the test process
  with the lab as ``lab``), and what it prints must match what the page shows (doctest's
  rules: ``...`` stands for anything, whitespace runs compare equal);
* ````console`` blocks are shell sessions: ``$ paquet ...`` lines run through
  ``paquet.cli.main.main`` inside the node, and print what the page shows;
* ````sh`` blocks are setup instructions (``sudo paquet lab up tp``...): every ``paquet``
  command they name must exist.

``python tests/docs/docs_helpers.py FILE`` rewrites the outputs of FILE's blocks with what they
print now (on a lab it brings up), for a writer to review; the test never writes.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FENCE = re.compile(r"^```(\w+)\s*$")
NODE = re.compile(r"^<!--\s*node:\s*(\w+)\s*-->\s*$")
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@dataclass
class Step:
    """One statement (Python) or command (console) and the output the page shows for it."""

    source: str
    want: str


@dataclass
class Block:
    """A fenced block: its kind, the node it runs in, its steps, where it is in the file."""

    kind: str
    node: str
    steps: list[Step]
    first_line: int
    last_line: int
    text: str


def parse(text: str) -> list[Block]:
    """The fenced blocks of a Markdown page."""
    lines = text.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        kind = match.group(1)
        node = "client"
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        if j >= 0 and (m := NODE.match(lines[j])):
            node = m.group(1)
        end = i + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        body = "\n".join(lines[i + 1 : end])
        blocks.append(Block(kind, node, _steps(kind, body), i + 1, end + 1, body))
        i = end + 1
    return blocks


def _steps(kind: str, body: str) -> list[Step]:
    if kind == "python":
        examples = doctest.DocTestParser().get_examples(body)
        return [Step(e.source, e.want) for e in examples]
    if kind == "console":
        steps: list[Step] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                steps.append(Step(line[2:].strip(), ""))
            elif steps:
                steps[-1].want += line + "\n"
        return steps
    return [Step(line.strip(), "") for line in body.splitlines() if line.strip()]


# ----------------------------------------------------------------------------- running


def run_python(sources: list[str], extra: dict[str, Any] | None = None) -> list[str]:
    """Run each statement as the interactive interpreter would; what each one printed."""
    namespace: dict[str, Any] = {"__name__": "__docs__", **(extra or {})}
    outputs = []
    for source in sources:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            try:
                exec(compile(source, "<docs>", "single"), namespace)
            except Exception as exc:  # shown as the interpreter would, compared like output
                print("Traceback (most recent call last):")
                print(f"{type(exc).__module__}.{type(exc).__name__}: {exc}")
        outputs.append(out.getvalue())
    return outputs


def run_console(commands: list[str]) -> list[str]:
    """Run each ``paquet ...`` command in-process; what each one printed (stdout)."""
    from paquet.cli.main import main

    outputs = []
    for command in commands:
        argv = shlex.split(command)
        if not argv or argv[0] != "paquet":
            outputs.append(f"not a paquet command: {command}\n")
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            main(argv[1:])
        outputs.append(out.getvalue())
    return outputs


def run_block(lab: Any, block: Block) -> list[str]:
    """Run ``block`` where it belongs; the outputs of its steps."""
    sources = [s.source for s in block.steps]
    if block.kind == "python":
        if block.node == "host":
            return run_python(sources, {"lab": lab})
        got: list[str] = lab[block.node].run(run_python, sources)
        return got
    if block.kind == "console":
        done: list[str] = lab[block.node].run(run_console, sources)
        return done
    return []


def matches(want: str, got: str) -> bool:
    """Doctest's comparison (``...`` matches anything, whitespace runs are equal)."""
    return doctest.OutputChecker().check_output(want, got, FLAGS) or want.strip() == got.strip()


def setup_commands_exist(block: Block) -> list[str]:
    """The ``paquet`` subcommands a setup block names that do not exist."""
    from paquet.cli.main import COMMANDS

    missing = []
    for step in block.steps:
        words = shlex.split(step.source)
        if words[:1] == ["sudo"]:
            words = words[1:]
        if words[:1] == ["paquet"] and len(words) > 1 and words[1] not in COMMANDS:
            missing.append(words[1])
    return missing


# ----------------------------------------------------------------------------- writing


def _rewrite(path: Path) -> None:
    from paquet.lab import Lab
    from paquet.lab.testing import unique_lab_name

    text = path.read_text("utf-8")
    lines = text.splitlines()
    with Lab.up("tp", name=unique_lab_name("docs")) as lab:
        blocks = [b for b in parse(text) if b.kind in ("python", "console")]
        ran = [(block, run_block(lab, block)) for block in blocks]  # in the page's order
    for block, outputs in reversed(ran):
        body: list[str] = []
        for step, got in zip(block.steps, outputs, strict=True):
            if block.kind == "python":
                for n, line in enumerate(step.source.rstrip("\n").splitlines()):
                    body.append((">>> " if n == 0 else "... ") + line)
            else:
                body.append("$ " + step.source)
            keep = step.want if step.want and matches(step.want, got) else got
            body.extend(line.rstrip() for line in keep.rstrip("\n").splitlines())
        lines[block.first_line : block.last_line - 1] = body
    path.write_text("\n".join(lines) + "\n", "utf-8")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        _rewrite(Path(name))

"""The demo's content (``paquet.course``): the code each question shows is the code it runs,
and sections describe what to show as blocks, printing nothing themselves."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from typing import Any

import pytest

from paquet.course import demo, tp4
from paquet.course.page import Blank, Block, Code, DemoContext, Line, Output, Rule

ADDRESS = "192.0.2.99"  # any address: the text and the function are compared, nothing is sent


class _Fill(ast.NodeTransformer):
    """The function's parameter ``dst`` replaced by the address the text shows."""

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id == "dst":
            return ast.copy_location(ast.Constant(ADDRESS), node)
        return node


class _DropTimeout(ast.NodeTransformer):
    """The ``timeout=`` the demo adds where the course sheet waits forever."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        node.keywords = [k for k in node.keywords if k.arg != "timeout"]
        return node


def _statements(function: Callable[..., Any]) -> list[str]:
    """The function's statements (its imports left out), as ``ast.dump`` strings."""
    tree = ast.parse(inspect.getsource(function))
    body = tree.body[0]
    assert isinstance(body, ast.FunctionDef)
    statements = [
        s
        for s in body.body
        if not isinstance(s, ast.Import | ast.ImportFrom)
        and not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))  # docstring
    ]
    module = ast.fix_missing_locations(ast.Module(statements, []))
    module = _DropTimeout().visit(_Fill().visit(module))
    return [ast.dump(s) for s in module.body]


def _shown(text: str) -> list[str]:
    return [ast.dump(s) for s in ast.parse(text.format(dst=ADDRESS)).body]


@pytest.mark.parametrize(
    ("text", "function"),
    [
        (tp4.Q1_CODE, tp4.run_q1),
        (tp4.Q2_CODE, tp4.run_q2),
        (tp4.Q3_CODE, tp4.run_q3),
        (tp4.Q7_CODE, tp4.run_q7),
    ],
)
def test_what_runs_is_what_is_shown(text: str, function: Callable[..., Any]) -> None:
    assert _statements(function) == _shown(text)


def test_question_8_runs_what_it_shows_then_closes_its_socket() -> None:
    run = _statements(tp4.run_q8)
    assert run[:-1] == _shown(tp4.Q8_CODE)
    assert run[-1] == ast.dump(ast.parse("s.close()").body[0])


def test_question_1_prints_what_the_sheet_shows() -> None:
    from paquet import IP

    printed = tp4.printed(tp4.run_q1)
    assert printed.startswith(IP().show(dump=True))
    assert printed.endswith("IP / ICMP 192.0.2.1 > 127.0.0.1 echo-request 0 / Raw\n")


def test_sections_emit_blocks_and_print_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    blocks: list[Block] = []
    results = demo.run("en", blocks.append, ("q1", "adresses"), use_lab=False)
    assert capsys.readouterr().out == ""
    assert blocks[0] == Rule("TP 4, question 1: IP().show()")
    assert blocks[1] == Code(tp4.Q1_CODE)
    assert isinstance(blocks[2], Output) and "###[ IP ]###" in blocks[2].text
    assert Blank() in blocks
    assert Code("adresse_sousreseau('201.9.118.44', 21)") in blocks
    assert Line.plain("'201.9.112.0'", "green") in blocks
    assert results["sections"]["adresses"]["i"] == "201.9.112.0"
    assert list(results["sections"]) == ["q1", "adresses"]


def test_sections_in_order_and_unknown_keys() -> None:
    assert demo.section_keys()[:3] == ["q1", "q2", "q3"]
    assert demo.section_keys()[-4:] == ["adresses", "plans", "somme", "explain"]
    assert [s.key for s in demo.SECTIONS if not s.needs_lab] == [
        "q1",
        "adresses",
        "plans",
        "somme",
        "explain",
    ]
    with pytest.raises(ValueError, match="unknown demo section 'nope'"):
        demo.run("en", lambda block: None, ("nope",))


def test_context_texts() -> None:
    blocks: list[Block] = []
    ctx = DemoContext("fr", blocks.append)
    ctx.note("une erreur", "a mistake")
    ctx.heading("Titre", "Title")
    assert blocks == [
        Line.plain("Remarque : une erreur", "magenta"),
        Blank(),
        Line.plain("Titre", "bold"),
    ]


def test_run_shown_shows_the_code_and_what_the_node_printed() -> None:
    class Node:
        def run(self, function: Callable[..., str], *args: Any) -> str:
            return function(*args)

    blocks: list[Block] = []
    ctx = DemoContext("en", blocks.append, lab={"client": Node()})
    shown = ctx.run_shown("client", "sr1(IP(dst='x'))", lambda dst: f"reply from {dst}", "x")
    assert shown == "reply from x"
    assert blocks == [Code("sr1(IP(dst='x'))"), Output("reply from x")]
    assert ctx.data == {}

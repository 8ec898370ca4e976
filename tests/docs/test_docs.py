"""docs/tp.md (French) and docs/tutorial.md (English) stay true: every code block runs on one
``tp`` lab per page and prints what the page shows (see ``docs_helpers``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from docs_helpers import matches, parse, run_block, setup_commands_exist

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ["tp.md", "tutorial.md"]


def test_pages_have_blocks_of_every_kind() -> None:
    for page in PAGES:
        blocks = parse((DOCS / page).read_text("utf-8"))
        kinds = {b.kind for b in blocks}
        assert {"python", "console", "sh"} <= kinds, page
        for block in blocks:
            if block.kind == "python":
                assert block.steps, f"{page}:{block.first_line}: no >>> line"
                assert block.node in ("host", "client", "server"), block.node
            if block.kind == "sh":
                assert setup_commands_exist(block) == [], f"{page}:{block.first_line}"


def test_the_checker_can_fail() -> None:
    assert matches("[21, 22, ...]\n", "[21, 22, 80]\n")
    assert not matches("[21, 22]\n", "[21, 23]\n")
    assert not matches("", "Traceback (most recent call last):\n")


@pytest.mark.privileged
@pytest.mark.parametrize("page", PAGES)
def test_every_block_prints_what_the_page_shows(page: str, lab_factory: Any) -> None:
    lab = lab_factory("tp")
    text = (DOCS / page).read_text("utf-8")
    failures = []
    ran = 0
    for block in parse(text):
        if block.kind not in ("python", "console"):
            continue
        outputs = run_block(lab, block)
        for step, got in zip(block.steps, outputs, strict=True):
            ran += 1
            if not matches(step.want, got):
                failures.append(
                    f"{page}:{block.first_line} ({block.node}) {step.source.strip()!r}\n"
                    f"--- the page shows:\n{step.want}--- it printed:\n{got}"
                )
    assert not failures, "\n".join(failures)
    assert ran > 40

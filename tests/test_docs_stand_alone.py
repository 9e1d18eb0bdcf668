"""The docs stand alone: every link in the README and docs/ leads to a file of this
repository, and none names the design notes that live outside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
OUTSIDE = re.compile(r"PROTOCOLS\.md|ACCESSIBILITY\.md|ARCHITECTURE\.md|STYLE\.md|shared/design")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_leads_to_a_file_of_the_repository(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    broken = [
        target for target in LINK.findall(text)
        if "://" not in target and not (page.parent / target).resolve().exists()
    ]
    assert not broken, f"{page.name}: links to nothing: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_sends_the_reader_outside_the_repository(page: Path) -> None:
    found = OUTSIDE.findall(page.read_text(encoding="utf-8"))
    assert not found, f"{page.name} refers to {found}: copy what the reader needs instead"

"""The README fits on a page and links every docs page; every relative link in them resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
MAX_README_LINES = 200

#: An inline Markdown link or image: [text](target) or [text](target "title"); the target is group 1.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
#: Fenced code blocks, whose brackets and parentheses are code, not links.
FENCE = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)
#: Inline code spans.
CODE_SPAN = re.compile(r"`[^`\n]*`")


def _pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def _links(page: Path) -> list[str]:
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    text = CODE_SPAN.sub("", text)
    return LINK.findall(text)


def _relative(target: str) -> str | None:
    """The file part of a relative link, or None for a web link, a mail link or a pure anchor."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("#"):
        return None
    return target.split("#", 1)[0].split("?", 1)[0]


def test_readme_fits_on_a_page() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md has {len(lines)} lines; at most {MAX_README_LINES}"


def test_readme_names_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "make build" in text
    assert "make test" in text


def test_every_docs_page_is_linked_from_the_readme() -> None:
    assert _pages(), "docs/ holds no Markdown page"
    linked = {(README.parent / path).resolve() for target in _links(README) if (path := _relative(target))}
    unlinked = [page.relative_to(ROOT).as_posix() for page in _pages() if page.resolve() not in linked]
    assert not unlinked, f"docs pages the README does not link: {unlinked}"


@pytest.mark.parametrize("page", [README, *_pages()], ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_resolve(page: Path) -> None:
    broken = [target for target in _links(page) if (path := _relative(target)) and not (page.parent / path).exists()]
    assert not broken, f"{page.relative_to(ROOT).as_posix()}: links to missing files: {broken}"

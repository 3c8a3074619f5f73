"""The README and docs/ hold together: every relative link reaches a file and a heading that
exist, and docs/configuration.md lists exactly the settings `core/settings.py` reads."""

import re
from pathlib import Path

import pytest

from core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CONFIGURATION = ROOT / "docs" / "configuration.md"

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
INLINE_CODE = re.compile(r"`[^`]*`")


def _prose_lines(path: Path) -> list[str]:
    """Returns the file's lines outside fenced code blocks (a `#` there is a comment)."""
    lines, fenced = [], False
    for line in path.read_text().splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def _slug(heading: str) -> str:
    """Returns the anchor GitHub gives a heading."""
    text = heading.strip().lower().replace("`", "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link keeps its text
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Returns every heading anchor of a markdown file, numbered as GitHub numbers repeats."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in _prose_lines(path):
        match = HEADING.match(line)
        if not match:
            continue
        slug = _slug(match.group(1))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def relative_links(path: Path) -> list[str]:
    """Returns the link targets in a file's prose that point inside the repository."""
    targets = []
    for line in _prose_lines(path):
        for target in LINK.findall(INLINE_CODE.sub("", line)):
            if not re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                targets.append(target)
    return targets


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda path: path.name)
def test_every_relative_link_reaches_a_file_and_heading(document: Path) -> None:
    broken = []
    for target in relative_links(document):
        path_part, _, anchor = target.partition("#")
        linked = (document.parent / path_part).resolve() if path_part else document
        if not linked.exists():
            broken.append(f"{target}: no file {linked.relative_to(ROOT)}")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.relative_to(ROOT)}")
    assert not broken, f"{document.relative_to(ROOT)}: " + "; ".join(broken)


def test_the_readme_points_at_every_guide() -> None:
    linked = {target.partition("#")[0] for target in relative_links(ROOT / "README.md")}
    guides = {f"docs/{path.name}" for path in (ROOT / "docs").glob("*.md")}
    assert guides <= linked, f"README.md does not link {sorted(guides - linked)}"


def test_configuration_lists_exactly_the_settings() -> None:
    documented = set(
        re.findall(r"^\| `(REDRESS_[A-Z0-9_]+)`", CONFIGURATION.read_text(), flags=re.MULTILINE)
    )
    settings = {f"REDRESS_{name.upper()}" for name in Settings.model_fields}
    assert settings - documented == set(), "settings missing from docs/configuration.md"
    assert documented - settings == set(), "docs/configuration.md lists settings that do not exist"

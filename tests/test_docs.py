"""docs/reliability.md stays true to the code: the tests it cites exist, every cited ID is in it.

The promise IDs (a series letter and a number) are cited in comments, docstrings and a few
messages across the code. This file checks three things:

- docs/reliability.md has one ``### <ID> — …`` section per promise of every series, and each
  section names a test or says plainly that none exists yet;
- every ``tests/<path>.py::<name>`` it cites names a test function defined in that file;
- every ID cited in the code (``tracker/``, ``accounts/``, ``tests/``, ``bench/`` and the
  templates' comments) has a section, so a typo or a new, unwritten promise fails here.

What counts as a citation, so that paper sizes or test data do not: in comments and
docstrings (and template comments) any standalone letter-digit token of a series letter;
in other string literals only a parenthesised list such as ``"… (T5)"`` or ``"(C1, T4)"``.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RELIABILITY = ROOT / "docs" / "reliability.md"
SCANNED = ("tracker", "accounts", "tests", "bench")

# How many promises each series has (the shared RELIABILITY list the project was built to).
SERIES = {"D": 5, "A": 9, "C": 8, "E": 8, "T": 6, "S": 8, "P": 6}
EXPECTED = {f"{letter}{n}" for letter, count in SERIES.items() for n in range(1, count + 1)}

LETTERS = "".join(SERIES)
ID = rf"[{LETTERS}]\d{{1,2}}"
HEADING = re.compile(rf"^### ({ID})\b", re.MULTILINE)
TEST_REF = re.compile(r"(tests/[\w/]+\.py)::(\w+(?:::\w+)?)")
NO_TEST = re.compile(r"\b(no test yet|not built yet)\b", re.IGNORECASE)
# Anywhere in a comment or docstring.
LOOSE = re.compile(rf"\b({ID})\b")
# In any other string: only a parenthesised list of IDs, "(T5)", "(C1, T4)", "(S6 / P5)".
PAREN_LIST = re.compile(rf"\(\s*({ID}(?:\s*[,/]\s*{ID})*)\s*\)")
TEMPLATE_COMMENT = re.compile(
    r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|<!--.*?-->", re.DOTALL
)


def doc_sections() -> dict[str, str]:
    text = RELIABILITY.read_text(encoding="utf-8")
    parts = HEADING.split(text)
    # parts: [preamble, id1, body1, id2, body2, ...]; a body runs to the next ### or ## heading.
    sections: dict[str, str] = {}
    for promise, body in zip(parts[1::2], parts[2::2], strict=True):
        assert promise not in sections, f"{promise} has two sections"
        sections[promise] = re.split(r"^## ", body, maxsplit=1, flags=re.MULTILINE)[0]
    return sections


def test_every_promise_has_exactly_one_section() -> None:
    sections = doc_sections()
    missing, unexpected = sorted(EXPECTED - set(sections)), sorted(set(sections) - EXPECTED)
    assert not missing and not unexpected, f"missing: {missing}, unexpected: {unexpected}"


def test_every_section_names_a_test_or_says_there_is_none() -> None:
    silent = [
        promise
        for promise, body in doc_sections().items()
        if not TEST_REF.search(body) and not NO_TEST.search(body)
    ]
    assert not silent, f"sections with neither a test nor 'no test yet'/'not built yet': {silent}"


def defined_tests(path: Path) -> set[str]:
    """Test functions in the file: module level as ``name``, in classes as ``Class::name``."""
    names: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(f"{node.name}::{item.name}")
    return {name for name in names if name.split("::")[-1].startswith("test")}


def test_every_cited_test_exists() -> None:
    refs = TEST_REF.findall(RELIABILITY.read_text(encoding="utf-8"))
    assert len(refs) > 50, "the reference pattern no longer matches the document"
    broken = []
    cache: dict[str, set[str]] = {}
    for file, name in refs:
        path = ROOT / file
        if not path.is_file():
            broken.append(f"{file}::{name} (no such file)")
            continue
        tests = cache.setdefault(file, defined_tests(path))
        if name not in tests:
            broken.append(f"{file}::{name} (no such test)")
    assert not broken, "docs/reliability.md cites tests that do not exist:\n" + "\n".join(broken)


def docstring_nodes(tree: ast.AST) -> set[int]:
    """ids of string constants that stand alone as statements (docstrings and the like)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            found.add(id(node.value))
    return found


def python_citations(path: Path) -> Iterator[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            for match in LOOSE.finditer(token.string):
                yield token.start[0], match.group(1)
    tree = ast.parse(source)
    standalone = docstring_nodes(tree)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if id(node) in standalone:
            ids = [m.group(1) for m in LOOSE.finditer(node.value)]
        else:
            ids = [
                part for m in PAREN_LIST.finditer(node.value) for part in re.findall(ID, m.group(1))
            ]
        for promise in ids:
            yield node.lineno, promise


def template_citations(path: Path) -> Iterator[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    for comment in TEMPLATE_COMMENT.finditer(text):
        line = text.count("\n", 0, comment.start()) + 1
        for match in LOOSE.finditer(comment.group(0)):
            yield line, match.group(1)


def all_citations() -> Iterator[tuple[str, int, str]]:
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line, promise in python_citations(path):
                yield str(path.relative_to(ROOT)), line, promise
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for line, promise in template_citations(path):
            yield str(path.relative_to(ROOT)), line, promise


def test_every_promise_cited_in_the_code_has_a_section() -> None:
    known = set(doc_sections())
    citations = list(all_citations())
    # A scanner that silently stopped matching would pass everything; the code cites dozens.
    assert len({promise for _, _, promise in citations}) >= 30, citations
    unknown = [f"{file}:{line}: {p}" for file, line, p in citations if p not in known]
    assert not unknown, (
        "promise IDs cited in the code with no section in docs/reliability.md "
        "(add the section, fix the ID, or reword if it is not a promise):\n" + "\n".join(unknown)
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# claim first (C1, C2)\n", {"C1", "C2"}),
        ('"""S6 / P5: escaped."""\n', {"S6", "P5"}),
        ('x = "zone names (T5)"\n', {"T5"}),
        ("title = \"=cmd|' /C calc'!A0\"\n", set()),  # test data, not a citation
        ('i = before.index("T2")\n', set()),
        ("colour = 0xC1  # 0xC1 is a byte\n", set()),
        ("# see promise S9 here\n", {"S9"}),  # an unknown ID in a comment is caught
    ],
)
def test_citation_scanner(tmp_path: Path, source: str, expected: set[str]) -> None:
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    assert {promise for _, promise in python_citations(path)} == expected


def test_readme_links_the_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("reliability", "architecture", "operations"):
        assert f"docs/{name}.md" in readme
        assert (ROOT / "docs" / f"{name}.md").is_file()

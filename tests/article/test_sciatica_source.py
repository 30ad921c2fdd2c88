"""Checks on the Markdown source and its bibliography, before any pipeline runs.

The article must keep every sentence of the seed page word for word and in
order, drop the page chrome, turn the flattened tables back into real tables,
and cite its three sources through pandoc citations backed by CSL-JSON.  These
tests parse the source with real pandoc, so they check what pandoc reads, not
what the Markdown looks like.
"""

from __future__ import annotations

import collections
import json
import pathlib
import re

import pypandoc
import pytest

from building import PROJECT_ROOT
from seed_article import SEED_PATH, article_sentences, normalise_text

SOURCE_DIR = PROJECT_ROOT / "source"
ARTICLE_PATH = SOURCE_DIR / "sciatica-massage.md"
REFERENCES_PATH = SOURCE_DIR / "references.json"

CHROME_STRINGS = ("Photo of author", "Website | + posts", "Leave a Comment", "Continue reading")
EXPECTED_TABLE_HEADERS = [
    ["Physiological Mechanism", "Description"],
    ["Benefit", "Description"],
]
EXPECTED_CITATIONS = {"hernandez-reif2001": 1, "kumar2013": 1, "kamali2014": 2}
REQUIRED_CSL_FIELDS = ("author", "title", "container-title", "issued", "volume", "page")

# Without --citeproc pandoc prints a citation literally, e.g. " [@kamali2014]".
CITATION_SYNTAX = re.compile(r"\s*\[@[^\]]*\]")


@pytest.fixture(scope="module")
def plain_body() -> str:
    """The article body as pandoc renders it to plain text, citations removed, normalised."""
    plain = pypandoc.convert_file(
        str(ARTICLE_PATH), "plain", format="markdown", extra_args=["--wrap=none"]
    )
    return normalise_text(CITATION_SYNTAX.sub("", plain))


@pytest.fixture(scope="module")
def pandoc_ast() -> dict:
    """The article as pandoc's JSON AST, to see which blocks pandoc really parsed."""
    return json.loads(pypandoc.convert_file(str(ARTICLE_PATH), "json", format="markdown"))


@pytest.fixture(scope="module")
def references() -> list:
    """The parsed CSL-JSON bibliography."""
    return json.loads(REFERENCES_PATH.read_text(encoding="utf-8"))


def _stringify(node) -> str:
    """Plain text of a pandoc JSON node (like pandoc's own ``stringify``)."""
    if isinstance(node, list):
        return "".join(_stringify(n) for n in node)
    if not isinstance(node, dict):
        return ""
    if node.get("t") == "Str":
        return node["c"]
    if node.get("t") in ("Space", "SoftBreak", "LineBreak"):
        return " "
    return _stringify(node.get("c", []))


def _walk(node):
    """Yield every dict in a pandoc JSON tree, depth first, in document order."""
    if isinstance(node, dict):
        yield node
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            yield from _walk(child)


def _tables(ast: dict) -> list[dict]:
    """All ``Table`` blocks of the document."""
    return [n for n in _walk(ast["blocks"]) if n.get("t") == "Table"]


def _header_rows(table: dict) -> list[list[str]]:
    """Cell texts of each row in a table's head (pandoc 3: head = [attr, rows])."""
    _attr, _caption, _colspecs, head, _bodies, _foot = table["c"]
    return [[_stringify(cell[4]) for cell in row[1]] for row in head[1]]


def _body_row_count(table: dict) -> int:
    """Number of body rows (a body is [attr, row-head columns, head rows, rows])."""
    _attr, _caption, _colspecs, _head, bodies, _foot = table["c"]
    return sum(len(body[3]) for body in bodies)


def test_seed_yields_the_whole_article():
    """The helper must find the full article, or the in-order check proves little."""
    sentences = article_sentences(SEED_PATH)
    assert len(sentences) == 80
    assert sentences[0].startswith("Sciatica massage therapy is gaining popularity")
    assert sentences[-1].endswith("reduce pain and improve quality of life.")
    for cited_end in ("enhance blood flow.", "caused by sciatica.", "including sciatica."):
        assert any(s.endswith(cited_end) for s in sentences), cited_end
    assert not [s for s in sentences if "[" in s or "Continue reading" in s or ".." in s]


def test_every_seed_sentence_appears_in_order(plain_body):
    """Each seed sentence must appear in pandoc's rendering, after the previous one."""
    position = 0
    for index, sentence in enumerate(article_sentences(SEED_PATH)):
        found = plain_body.find(sentence, position)
        if found == -1:
            problem = "out of order (found only earlier)" if sentence in plain_body else "missing"
            pytest.fail(f"seed sentence #{index} is {problem}: {sentence!r}")
        position = found + len(sentence)


@pytest.mark.parametrize("char", ["\u2019", "\u2013"])
def test_typography_is_literal(char):
    """Curly apostrophes and en dashes must be typed as in the seed, not made by pandoc.

    Pandoc's ``smart`` extension turns ``'`` into ``’`` and ``--`` into ``–``, so
    the rendered comparison above cannot tell them apart; the source itself must.
    """
    seed_count = "".join(article_sentences(SEED_PATH)).count(char)
    assert seed_count > 0
    assert ARTICLE_PATH.read_text(encoding="utf-8").count(char) == seed_count


@pytest.mark.parametrize("chrome", CHROME_STRINGS)
def test_page_chrome_is_absent(chrome):
    """Web-page furniture is not article text and must not reach the leaflet."""
    assert chrome not in ARTICLE_PATH.read_text(encoding="utf-8")


def test_tables_are_real_tables_with_headers(pandoc_ast):
    """The two flattened tables must come back as tables with a header row each."""
    tables = _tables(pandoc_ast)
    assert [_header_rows(t) for t in tables] == [[h] for h in EXPECTED_TABLE_HEADERS]
    assert [_body_row_count(t) for t in tables] == [4, 4]


def test_markdown_cites_each_source(pandoc_ast, references):
    """Pandoc must see each citation, and each cited key must be in the bibliography."""
    cited = collections.Counter(
        n["citationId"] for n in _walk(pandoc_ast["blocks"]) if "citationId" in n
    )
    assert dict(cited) == EXPECTED_CITATIONS
    assert set(cited) <= {entry["id"] for entry in references}


def test_references_are_valid_csl_json(references):
    """The bibliography needs these fields for an AMA reference list."""
    assert isinstance(references, list)
    assert sorted(entry["id"] for entry in references) == sorted(EXPECTED_CITATIONS)
    for entry in references:
        assert entry["type"] == "article-journal", entry["id"]
        missing = [f for f in REQUIRED_CSL_FIELDS if not entry.get(f)]
        assert not missing, f"{entry['id']} lacks {missing}"
        assert all(a.get("family") and a.get("given") for a in entry["author"]), entry["id"]
        assert isinstance(entry["issued"]["date-parts"][0][0], int), entry["id"]

"""The live preview's shortcuts give the very bytes a fresh build gives.

A preview rebuild reuses the previous build's pages (``relayout.py``) and
pandoc's previous answers (``reread.py``). Each test here builds the sciatica
leaflet, edits it as an author would, rebuilds it the preview's way, and
compares the PDF and the EPUB byte for byte with a fresh build of the edited
article: real pandoc, real WeasyPrint, nothing stubbed. The tests also check
that the shortcut was taken where it should be (only the pages around the
edit laid out again, the paragraph spliced), so that a shortcut that quietly
stopped working shows up here and not only in ``make bench``.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.build import build
from pipeline.config import Settings
from pipeline.pdf import PdfWriter
from pipeline.relayout import PageReuse
from pipeline.reread import SplicingPandoc, changed_paragraphs
from pipeline.watch import changed_besides

PROJECT = Path(__file__).resolve().parent.parent
ARTICLE = PROJECT / "source" / "sciatica-massage.md"


@dataclass
class Preview:
    """What ``watch`` keeps between builds, around one copy of the sciatica article."""
    article: Path
    out: Path
    writer: PdfWriter
    pandoc: SplicingPandoc

    def rebuild(self, text: str) -> list[Path]:
        self.article.write_text(text, encoding="utf-8")
        return build(self.article, Settings(out_dir=self.out), self.writer, self.pandoc)

    def page_reuse(self) -> PageReuse:
        (reuse,) = self.writer.layouts.values()
        return reuse


@pytest.fixture(scope="module")
def warm_preview(tmp_path_factory) -> Preview:
    folder = tmp_path_factory.mktemp("preview")
    shutil.copy(ARTICLE, folder)
    shutil.copy(ARTICLE.parent / "references.json", folder)
    result = Preview(folder / ARTICLE.name, folder / "out", PdfWriter(reuse_layouts=True),
                     SplicingPandoc())
    result.rebuild(ARTICLE.read_text(encoding="utf-8"))
    return result


@pytest.fixture
def preview(warm_preview) -> Preview:
    """The warm preview, back at the unedited article after each test (as an author
    undoing an edit), so that every edit starts from the same build."""
    yield warm_preview
    warm_preview.rebuild(ARTICLE.read_text(encoding="utf-8"))


def fresh_build(article: Path, out: Path) -> dict[str, bytes]:
    return {path.suffix: path.read_bytes()
            for path in build(article, Settings(out_dir=out), PdfWriter())}


def edited(old: str, new: str, count: int = 1) -> str:
    text = ARTICLE.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    return text.replace(old, new, count)


EDITS = {
    # name: (text after the edit, pages laid out again (None: none), parts spliced)
    "a word on the first page": (
        edited("involves manipulating", "involves kneading"), (0, 0), ["read", "html"]),
    "a word mid-article": (
        edited("massage table", "massage couch"), (3, 3), ["read", "html"]),
    "a word on the last page": (
        edited("In conclusion, massage", "In short, massage"), (5, 5), ["read", "html"]),
    "the description, which only the metadata shows": (
        edited("How massage therapy can relieve", "How massage therapy can ease"), None, []),
    "a new section": (
        edited("## Conclusion", "## A new section\n\nWith a new paragraph.\n\n## Conclusion"),
        (5, 5), ["read"]),
    "a word in a heading": (
        edited("## Conclusion", "## Summary"), (5, 5), ["read", "html"]),
    "a word in a paragraph split over two pages (the page before, too)": (
        edited("placed on the skin", "placed on the body"), (3, 4), ["read", "html"]),
    "a word in a table": (
        edited("increasing blood flow", "increasing the blood flow"), (1, 1), ["read", "html"]),
    "the title (in every page's footer)": (
        edited("title: Say Goodbye to Sciatica Pain", "title: Goodbye to Sciatica Pain"),
        (0, 0), []),
    "a page more (every footer counts it)": (
        edited("## Conclusion", "## More\n\n" + "A new paragraph of some length, to fill a page. " * 80
               + "\n\n## Conclusion"), (5, 5), ["read"]),
    "a citation removed (the numbers after it change)": (
        edited(" [@kumar2013].", "."), (0, 5), ["html"]),
}


@pytest.mark.parametrize("name", EDITS)
def test_a_preview_rebuild_writes_what_a_fresh_build_writes(preview, tmp_path, name):
    text, relaid, spliced = EDITS[name]
    written = preview.rebuild(text)
    assert {path.suffix for path in written} == {".pdf", ".epub"}
    assert preview.page_reuse().relaid == relaid
    assert preview.pandoc.confirmed == spliced
    quick = {path.suffix: path.read_bytes() for path in written}
    assert quick == fresh_build(preview.article, tmp_path / "fresh")


def test_headers_and_footers_of_kept_pages_are_kept(preview):
    preview.rebuild(edited("massage table", "massage couch"))
    assert preview.page_reuse().relaid == (3, 3)
    assert preview.page_reuse().margins_kept == 5


def test_a_paragraph_that_reads_differently_alone_is_read_whole(preview, tmp_path):
    """A heading that repeats an earlier one: alone, pandoc gives it the plain identifier;
    in the article, "-1" added. The splice is caught before any output is replaced."""
    text = edited("## Conclusion", "## Introduction")
    misreads = preview.pandoc.misreads
    written = preview.rebuild(text)
    assert preview.pandoc.misreads == misreads + 1
    assert 'id="introduction-1"' in preview.pandoc.last["html"][1]
    quick = {path.suffix: path.read_bytes() for path in written}
    assert quick == fresh_build(preview.article, tmp_path / "fresh")
    preview.rebuild(ARTICLE.read_text(encoding="utf-8"))
    preview.rebuild(edited("massage table", "massage couch"))
    assert preview.pandoc.confirmed == ["read", "html"]  # splicing again after the misread


def test_a_broken_save_leaves_the_shortcuts_usable(preview, tmp_path):
    broken = edited("[@kumar2013]", "[@nobody2013]")
    with pytest.raises(Exception, match="unknown citation key '@nobody2013'"):
        preview.rebuild(broken)
    written = preview.rebuild(edited("massage table", "massage couch"))
    assert preview.page_reuse().relaid == (3, 3)
    quick = {path.suffix: path.read_bytes() for path in written}
    assert quick == fresh_build(preview.article, tmp_path / "fresh")


def test_an_edit_at_the_end_of_a_long_table_lays_out_all_of_it_again(tmp_path):
    """A table's columns are as wide as its widest cells, wherever they are: a longer
    word in its last row can change its first page."""
    rows = "\n".join(f"| Row {n} | Short |" for n in range(60))
    table = f"\n\n| Exercise | Repeat |\n|---|---|\n{rows}\n\n## References\n"
    text = ARTICLE.read_text(encoding="utf-8").replace("\n## References\n", table, 1)
    shutil.copy(ARTICLE.parent / "references.json", tmp_path)
    preview = Preview(tmp_path / ARTICLE.name, tmp_path / "out", PdfWriter(reuse_layouts=True),
                      SplicingPandoc())
    preview.rebuild(text)
    written = preview.rebuild(text.replace("| Row 59 | Short |",
                                           "| Row 59 | Twice a day, every day, for two weeks |"))
    quick = {path.suffix: path.read_bytes() for path in written}
    assert quick == fresh_build(preview.article, tmp_path / "fresh")
    pages = [page.extract_text() for page in PdfReader(tmp_path / "out" / "sciatica-massage.pdf").pages]
    table_pages = [number for number, page in enumerate(pages) if "Exercise" in page]
    assert len(table_pages) > 1
    assert preview.page_reuse().relaid == (table_pages[0], len(pages) - 1)


def test_the_edited_paragraph_is_the_lines_between_blank_lines():
    old = "# Title\n\nFirst line\nof a paragraph.\n\nAnother one.\n"
    new = "# Title\n\nFirst line\nof one paragraph.\n\nAnother one.\n"
    assert changed_paragraphs(old, new) == ("First line\nof a paragraph.",
                                            "First line\nof one paragraph.")
    # A new paragraph: the next one is read with it, since pandoc must be given something
    # to find in the previous reading.
    assert changed_paragraphs(old, old.replace("\n\nAnother", "\n\nNew.\n\nAnother")) == (
        "Another one.", "New.\n\nAnother one.")


def test_layouts_are_forgotten_when_anything_but_the_article_changes(tmp_path):
    article, image = tmp_path / "a.md", tmp_path / "logo.svg"
    before = {article: (1, 10), image: (1, 5)}
    assert not changed_besides(article, before, {article: (2, 11), image: (1, 5)})
    assert changed_besides(article, before, {article: (1, 10), image: (2, 5)})
    assert changed_besides(article, before, {article: (1, 10)})

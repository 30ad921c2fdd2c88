"""End to end: build the real article and check what a reader gets from the files (the
EPUB's own tests, on the same builds, are in ``epub/test_sciatica_epub.py``).

The builds run once per session (see ``conftest.py``): PDF and EPUB on A4, a
Letter PDF, and a second A4 build in another folder.  Expectations come from
the article itself (front matter, headings, citations), from the seed page
(its sentences) and from real pandoc with the AMA style (how citations and
references should read), never from the outputs under test.
"""

from __future__ import annotations

import hashlib
import re
import statistics

import pypdf
import pytest

import reading_pdf
import reading_epub
from conftest import ARTICLE_PATH, author_line
from seed_article import SEED_PATH, article_sentences, assert_in_order, normalise_text

A4_POINTS = (595.28, 841.89)
LETTER_POINTS = (612.0, 792.0)
HARFBUZZ_SUBSET_ADVICE = "DeprecationWarning: HarfBuzz-Subset will be required"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


# --- helpers -----------------------------------------------------------------------------------------

def long_date(value) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def cited_words(ama_citations) -> list[str]:
    """ "blood flow1." for each citation: the two words before it, the number, the punctuation."""
    source = ARTICLE_PATH.read_text(encoding="utf-8")
    places = re.findall(r"(\S+ \S+) \[@([^\]\s;,]+)\](\S?)", source)
    assert [key for _words, key, _after in places] == [c.key for c in ama_citations]
    return [f"{words}{citation.number}{after}"
            for (words, _key, after), citation in zip(places, ama_citations)]


@pytest.fixture(scope="session")
def pdf(a4_build) -> pypdf.PdfReader:
    return pypdf.PdfReader(a4_build.pdf)


# --- the words: every sentence, in order ----------------------------------------------------------

def test_pdf_reads_every_seed_sentence_in_order(a4_build):
    text = normalise_text(reading_pdf.pdf_body_text(a4_build.pdf))
    assert_in_order(article_sentences(SEED_PATH), text, "PDF (reading order, superscripts removed)")


def test_both_outputs_say_which_other_formats_exist(a4_build):
    """The patient-information standard asks for it; 'alternative-formats:' lists them."""
    formats = "large print, an A5 booklet or an EPUB e-book"
    assert f"This leaflet is also available in {formats}." in normalise_text(reading_pdf.pdf_text(a4_build.pdf))
    assert f"Also available in {formats}." in normalise_text(reading_epub.epub_text(a4_build.epub))


# --- citations --------------------------------------------------------------------------------------

def test_pdf_citation_numbers_follow_the_cited_words(a4_build, ama):
    citations, _references = ama
    text = normalise_text(reading_pdf.pdf_text(a4_build.pdf))
    assert_in_order(cited_words(citations), text, "PDF text (pypdf)")


def test_pdf_citation_numbers_link_to_their_references(a4_build, ama, pdf):
    citations, _references = ama
    internal = [link["dest"] for link in reading_pdf.pdf_link_annotations(a4_build.pdf) if link["dest"]]
    assert internal == [f"ref-{c.key}" for c in citations]
    missing = [dest for dest in internal if dest not in pdf.named_destinations]
    assert not missing, f"links point at destinations the PDF lacks: {missing}"


def test_pdf_citation_links_have_an_area_to_click(a4_build):
    flat = [link for link in reading_pdf.pdf_link_annotations(a4_build.pdf)
            if abs(link["rect"][2] - link["rect"][0]) < 1 or abs(link["rect"][3] - link["rect"][1]) < 1]
    assert not flat, ("link annotations whose /Rect has no width or no height cannot be clicked: "
                      + "; ".join(f"page {link['page']} -> {link['dest']}: {link['rect']}" for link in flat))


# --- references -------------------------------------------------------------------------------------

def test_pdf_lists_the_references_as_ama_formats_them(a4_build, ama):
    _citations, references = ama
    text = normalise_text(reading_pdf.pdf_body_text(a4_build.pdf))
    assert "References" in text
    after_heading = text[text.rindex("References"):]
    assert_in_order([r.numbered for r in references], after_heading, "PDF reference list")


# --- PDF: fonts and type size ----------------------------------------------------------------------

def test_pdf_embeds_every_font(a4_build):
    fonts = reading_pdf.pdf_fonts(a4_build.pdf)
    assert fonts
    assert [f.name for f in fonts if not f.embedded] == []


def test_pdf_subsets_every_font(a4_build):
    assert [f.name for f in reading_pdf.pdf_fonts(a4_build.pdf) if not reading_pdf.is_subset(f.name)] == []


def test_pdf_body_text_is_atkinson_hyperlegible(a4_build):
    _size, fonts = reading_pdf.body_chars(a4_build.pdf)
    names = [re.sub(r"[\s-]", "", reading_pdf.SUBSET_PREFIX.sub("", name)) for name in fonts]
    assert names and all(name.startswith("AtkinsonHyperlegible") for name in names), fonts


def test_pdf_body_text_is_at_least_12_pt(a4_build):
    size, _fonts = reading_pdf.body_chars(a4_build.pdf)
    assert size >= 12, f"the most common text size on page 1 is {size} pt"


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_pdf_lines_hold_60_to_75_characters(a4_build, letter_build, paper):
    """Clear print: lines of 60-75 characters are the easiest to follow."""
    build = a4_build if paper == "a4" else letter_build
    lengths = reading_pdf.body_line_lengths(build.pdf)
    assert 60 <= statistics.median(lengths) <= 75, f"median {statistics.median(lengths)}"
    assert max(lengths) <= 80, f"longest line {max(lengths)} characters"


# --- PDF: accessibility and metadata --------------------------------------------------------------

def is_true(value) -> bool:
    """A PDF boolean that is true (not merely a truthy object)."""
    return isinstance(value, pypdf.generic.BooleanObject) and value.value


def test_pdf_is_tagged(pdf):
    catalog = pdf.trailer["/Root"]
    assert is_true(catalog.get("/MarkInfo", {}).get("/Marked")), catalog.get("/MarkInfo")
    assert "/StructTreeRoot" in catalog


def test_pdf_language_is_the_articles(pdf, front_matter):
    assert pdf.trailer["/Root"].get("/Lang") == front_matter["lang"]


def test_pdf_viewer_shows_the_title_not_the_file_name(pdf):
    preferences = pdf.trailer["/Root"].get("/ViewerPreferences", {})
    assert is_true(preferences.get("/DisplayDocTitle")), preferences


def test_pdf_title_contains_the_articles_title(pdf, front_matter):
    assert front_matter["title"] in (pdf.metadata.title or "")


def test_pdf_author_is_the_author_with_credentials(pdf, front_matter):
    assert pdf.metadata.author == author_line(front_matter)


def test_pdf_subject_is_the_description(pdf, front_matter):
    assert pdf.metadata.subject == front_matter["description"]


def test_pdf_keywords_are_the_articles(pdf, front_matter):
    keywords = pdf.metadata.get("/Keywords", "")
    assert "sciatica" in keywords
    assert [word for word in front_matter["keywords"] if word not in keywords] == []


def test_pdf_creation_date_is_the_articles_date(pdf, front_matter):
    date = pdf.metadata.get("/CreationDate", "")
    assert date.startswith("D:" + front_matter["date"].strftime("%Y%m%d")), date


def test_pdf_bookmarks_hold_the_section_headings(pdf, section_headings):
    titles = reading_pdf.outline_titles(pdf)
    assert [t for t in titles if t in section_headings] == section_headings, titles


# --- PDF: pages -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("build_name", "size"), [("a4_build", A4_POINTS), ("letter_build", LETTER_POINTS)])
def test_pdf_page_size(request, build_name, size):
    reader = pypdf.PdfReader(request.getfixturevalue(build_name).pdf)
    wrong = [(number, float(page.mediabox.width), float(page.mediabox.height))
             for number, page in enumerate(reader.pages, start=1)
             if abs(float(page.mediabox.width) - size[0]) > 1 or abs(float(page.mediabox.height) - size[1]) > 1]
    assert not wrong, f"pages not {size[0]}×{size[1]} pt: {wrong}"


@pytest.mark.parametrize("build_name", ["a4_build", "letter_build"])
def test_every_pdf_page_has_the_footer(request, build_name, front_matter):
    footers = [normalise_text(f) for f in reading_pdf.pdf_footers(request.getfixturevalue(build_name).pdf)]
    parts = [front_matter["title"], f"Version {front_matter['version']}",
             f"Review date {long_date(front_matter['review-date'])}"]
    problems = []
    for number, footer in enumerate(footers, start=1):
        expected = parts + [f"Page {number} of {len(footers)}"]
        missing = [part for part in expected if part not in footer]
        if missing:
            problems.append(f"page {number}: footer {footer!r} lacks {missing}")
    assert not problems, "\n".join(problems)


# --- reproducible builds ----------------------------------------------------------------------------

def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pdf_builds_are_byte_identical(a4_build, second_a4_build):
    if sha256(a4_build.pdf) != sha256(second_a4_build.pdf):
        differences = reading_pdf.pdf_object_differences(a4_build.pdf, second_a4_build.pdf)
        pytest.fail("two builds of the same article gave different PDFs:\n" + "\n".join(differences))


# --- the build itself -------------------------------------------------------------------------------

def test_builds_log_no_warnings(a4_build, letter_build, second_a4_build):
    builds = (a4_build, letter_build, second_a4_build)
    assert [message for b in builds for message in b.logged] == []


def test_builds_raise_no_python_warnings_but_the_known_one(a4_build, letter_build, second_a4_build):
    """WeasyPrint warns, once when it is imported, that it would like the HarfBuzz-Subset
    library; without it fonts are subset by fontTools (see pipeline/printed/pdf.py). That is
    advice for whoever installs the machine, expected here; anything else is not."""
    builds = (a4_build, letter_build, second_a4_build)
    unexpected = [w for b in builds for w in b.warned if not w.startswith(HARFBUZZ_SUBSET_ADVICE)]
    assert unexpected == []

"""The PDF's text layer in every script: what ``pdftotext`` (poppler: Evince, Okular,
Linux screen readers) and pdfium (Chrome's PDF viewer, its screen-reader tree) get back.

Each leaflet is built once, as a standard PDF, by the real pipeline; the article's
words (its headings, paragraphs, lists and table cells, as pandoc reads them, without
the citation and footnote marks, which print as numbers) must come back from both
extractors: at least ``WORDS_BACK`` of them, counted word for word (the same word twice
in the article must be there twice).

pdfium reverses the order of a right-to-left line's direction runs (letters; digits,
separators, combining marks and ZWNJ; spaces), so a word with a mark in it (the kasra of
امشِ, the tanween of قليلًا) or a half-space (می‌شود) comes back whole from it only
through the nested ActualText written in its order (``text_layer.nest_for_pdfium``):
both extractors are held to every word in every script.
"""
from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pypdf
import pypdfium2
import pytest

from pipeline import Settings, build
from pipeline.article.front_matter import load_article
from pipeline.errors import SetupError
from pipeline.pandoc.ast import stringify
from pipeline.pandoc.run import markdown_to_ast
from pipeline.printed.text_layer import NO_TEXT_OF_ITS_OWN, check_weasyprint_version, pdfium_order
from building import FIXTURES, PROJECT_ROOT, warnings_recorded

TRANSLATED = FIXTURES / "translated-leaflet"
TEXT_LAYER = FIXTURES / "text-layer"
LEAFLETS = {
    "en": PROJECT_ROOT / "source" / "sciatica-massage.md",
    "ar": TRANSLATED / "sciatica-exercises.ar.md",
    "ur": TRANSLATED / "sciatica-exercises.ur.md",
    "hi": TRANSLATED / "sciatica-exercises.hi.md",
    "zh-CN": TRANSLATED / "sciatica-exercises.zh-CN.md",
    "ta": TEXT_LAYER / "sciatica-massage.ta.md",
    "bn": TEXT_LAYER / "sciatica-massage.bn.md",
    "fa": TEXT_LAYER / "sciatica-massage.fa.md",
}
# What the builds may warn about, and nothing else.
EXPECTED_WARNINGS = ("no CSL locale for", "strings/ta.yaml does not exist")
WORDS_BACK = 0.99
# Each character a word in the scripts written without spaces (as checks/reading_order.py).
UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
NOT_IN_PRINT = ("Cite", "Note", "Image")  # printed as a number, elsewhere, or not as text
TEXT_BLOCKS = ("Para", "Plain", "Header")
RIGHT_TO_LEFT = ("R", "AL")
DIRECTION_MARKS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("text-layer")
    built = {}
    for lang, source in LEAFLETS.items():
        with warnings_recorded() as recorder:
            (pdf,) = build(source, Settings(formats=("pdf",), editions=("standard",), out_dir=out))
        assert [m for m in recorder.messages if not any(e in m for e in EXPECTED_WARNINGS)] == []
        built[lang] = pdf
    return built


def words(text: str) -> list[str]:
    """Words as a reader searches them: NFKC-folded (Arabic presentation forms are their
    letters), case folded, split at spaces and punctuation; the direction marks pdftotext
    puts around a right-to-left line left out, the zero-width (non-)joiners kept."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    spaced = "".join(" " if unicodedata.category(c)[0] in "PSZ" or c in "\n\t\r" else c
                     for c in folded if c not in DIRECTION_MARKS)
    return UNSPACED.sub(lambda match: f" {match.group()} ", spaced).split()


def article_words(source: Path) -> list[str]:
    """The words of the article's title and text blocks (table cells and list items too)."""
    article = load_article(source)
    texts = [article.title]

    def visit(node) -> None:
        if isinstance(node, list):
            for child in node:
                visit(child)
        elif isinstance(node, dict):
            if node.get("t") in NOT_IN_PRINT:
                return
            if node.get("t") in TEXT_BLOCKS:
                texts.append(stringify(printed(node)))
                return
            for value in node.values():
                visit(value)

    visit(markdown_to_ast(article.markdown, source, 60)["blocks"])
    return [word for text in texts for word in words(text)]


def printed(node):
    """The node without what does not print as its words (``NOT_IN_PRINT``)."""
    if isinstance(node, list):
        return [printed(child) for child in node
                if not (isinstance(child, dict) and child.get("t") in NOT_IN_PRINT)]
    if isinstance(node, dict):
        return {key: printed(value) for key, value in node.items()}
    return node


def poppler_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdfium_text(pdf: Path) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def share_back(wanted: list[str], text: str) -> tuple[float, list[str]]:
    """The share of ``wanted`` in the text's words, word for word, and the words missing."""
    got, want = Counter(words(text)), Counter(wanted)
    missing = [word for word, count in want.items() if got[word] < count]
    return sum(min(count, got[word]) for word, count in want.items()) / len(wanted), missing


def marked_right_to_left(word: str) -> bool:
    """A right-to-left word with a combining mark or a zero-width (non-)joiner in it."""
    return (any(unicodedata.bidirectional(c) in RIGHT_TO_LEFT for c in word)
            and any(unicodedata.category(c) in ("Mn", "Mc", "Me", "Cf") for c in word))


@pytest.mark.parametrize("lang", LEAFLETS)
def test_pdftotext_reads_back_the_article(pdfs, lang):
    share, missing = share_back(article_words(LEAFLETS[lang]), poppler_text(pdfs[lang]))
    assert share >= WORDS_BACK, missing


@pytest.mark.parametrize("lang", LEAFLETS)
def test_pdfium_reads_back_the_article(pdfs, lang):
    share, missing = share_back(article_words(LEAFLETS[lang]), pdfium_text(pdfs[lang]))
    assert share >= WORDS_BACK, missing


def test_the_words_pdfium_used_to_break_are_in_the_fixtures():
    """The Arabic leaflet has 3 words with harakat, the Farsi one 15 with a half-space or
    a mark: the test above holds pdfium to them."""
    counts = {lang: sum(map(marked_right_to_left, article_words(source)))
              for lang, source in LEAFLETS.items()}
    assert counts == {"en": 0, "ar": 3, "ur": 0, "hi": 0, "zh-CN": 0, "ta": 0, "bn": 0, "fa": 15}


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_a_right_to_left_line_nests_actual_text_in_pdfiums_order(pdfs, lang):
    """Inside the MCID's sequence (drawing order, for poppler), a /Span without MCID whose
    ActualText, in a named property list, has the line's direction runs in reverse order."""
    reader = pypdf.PdfReader(pdfs[lang])
    nested = []
    for page in reader.pages:
        properties = page["/Resources"].get("/Properties", {})
        for operands, operator in pypdf.generic.ContentStream(page.get_contents(), reader).operations:
            if operator == b"BDC" and isinstance(operands[1], pypdf.generic.NameObject):
                nested.append(str(properties[operands[1]].get_object()["/ActualText"]))
    outer = [text for _, text in actual_texts(pdfs[lang])]
    assert len(nested) == len(outer)
    assert [pdfium_order(text) for text in outer] == nested


@pytest.mark.parametrize("lang", ["ur", "hi", "ta"])
def test_complex_script_lines_carry_their_words_as_actual_text(pdfs, lang):
    """On the marked-content sequence the structure tree points to (its MCID), in drawing
    order: a right-to-left line's characters backwards, as its glyphs are drawn."""
    actual = actual_texts(pdfs[lang])
    assert actual and all(mcid is not None for mcid, _ in actual)
    text = " ".join(text[::-1] if lang == "ur" else text for _, text in actual)
    heading = load_article(LEAFLETS[lang]).markdown.split("## ", 1)[1].splitlines()[0]
    assert heading in text


def test_english_needs_no_actual_text(pdfs):
    """Latin glyphs map one for one to their letters: nothing is added to the PDF."""
    assert actual_texts(pdfs["en"]) == []


@pytest.mark.parametrize("lang", LEAFLETS)
def test_every_glyph_maps_to_some_text(pdfs, lang):
    """PDF/UA-1 7.21.7: no empty entry in any ToUnicode map; a glyph with no text of its own
    maps to the invisible COMBINING GRAPHEME JOINER."""
    maps = to_unicode_maps(pdfs[lang])
    assert maps and not any(re.search(rb"<[0-9a-f]+>\s*<>", data) for data in maps)
    uses_joiner = any(NO_TEXT_OF_ITS_OWN.encode("utf-16-be").hex().encode() in data for data in maps)
    assert uses_joiner == (lang in ("ur", "hi", "ta", "bn", "ar"))  # Nastaliq's dots, vowel signs


def test_the_same_leaflet_gives_the_same_bytes(pdfs, tmp_path):
    (again,) = build(LEAFLETS["ur"], Settings(formats=("pdf",), editions=("standard",),
                                              out_dir=tmp_path))
    assert again.read_bytes() == pdfs["ur"].read_bytes()


def test_another_weasyprint_is_refused():
    with pytest.raises(SetupError) as raised:
        check_weasyprint_version("71.0")
    assert "WeasyPrint 71.0 is installed" in str(raised.value)
    assert "pip install weasyprint==70.0" in str(raised.value)


def actual_texts(pdf: Path) -> list[tuple[int | None, str]]:
    """(MCID, ActualText) of every marked-content sequence with an ActualText, in order."""
    reader = pypdf.PdfReader(pdf)
    found = []
    for page in reader.pages:
        for operands, operator in pypdf.generic.ContentStream(page.get_contents(), reader).operations:
            if operator == b"BDC" and isinstance(operands[1], dict) and "/ActualText" in operands[1]:
                found.append((operands[1].get("/MCID"), str(operands[1]["/ActualText"])))
    return found


def to_unicode_maps(pdf: Path) -> list[bytes]:
    reader = pypdf.PdfReader(pdf)
    maps = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            maps[font["/ToUnicode"].indirect_reference.idnum] = font["/ToUnicode"].get_data()
    return list(maps.values())

"""The braille-ready file, built by the real pipeline and read back by the real liblouis.

The sciatica article (headings, lists, two tables, references) and the small
EPUB fixture leaflet are each built once with ``--to brf``; the tests read the
files as an embosser would (form feeds, CR LF) and translate them back.
"""
from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest

from pipeline import Settings, build
from pipeline.__main__ import EXIT_DOCUMENT, main
from pipeline.braille.layout import BRAILLE_HYPHEN, wrapped
from pipeline.braille.liblouis import backward, forward
from pipeline.braille.tables import braille_tables, table_for_language
from pipeline.build import prepare
from pipeline.checks import ERROR, NOT_RUN, Report, check_leaflet
from pipeline.checks.braille import check_brf, read_pages, text_lines
from pipeline.braille.layout import BRAILLE_CELLS_PER_LINE, BRAILLE_LINES_PER_PAGE
from pipeline.config import THEME_DIR
from pipeline.errors import SourceError
from pipeline.pandoc.ast import elements, stringify
from building import FIXTURES, PROJECT_ROOT, leaflet_in_language

SCIATICA = PROJECT_ROOT / "source" / "sciatica-massage.md"
FIXTURE = FIXTURES / "epub-leaflet" / "sciatica-exercises.md"
UEB = "en-ueb-g2.ctb"
ALLOWED = set(range(0x20, 0x60)) | {0x0D, 0x0A, 0x0C}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Each article's BRF, keyed by its stem."""
    out = tmp_path_factory.mktemp("brf")
    return {source.stem: build(source, Settings(formats=("brf",), out_dir=out))[0]
            for source in (SCIATICA, FIXTURE)}


@pytest.fixture(scope="module", params=[SCIATICA.stem, FIXTURE.stem])
def brf(request, built) -> Path:
    return built[request.param]


def back_translated(pages: list[list[str]]) -> str:
    """The pages' text in print again, as one string of words."""
    return " ".join(" ".join(backward(text_lines(pages), UEB)).split())


def squeezed(text: str) -> str:
    return " ".join(text.split())


# --- the file's shape ------------------------------------------------------------------------

def test_only_braille_ascii_and_line_and_page_ends(brf):
    data = brf.read_bytes()
    assert set(data) <= ALLOWED
    assert b"\n" not in data.replace(b"\r\n", b""), "a line end that is not CR LF"
    assert data.endswith(b"\r\n") and not data.startswith(b"\f")


def test_lines_and_pages_fit_the_page(brf):
    pages = read_pages(brf)
    assert len(pages) >= 2, "a title page and the article"
    for page in pages:
        assert len(page) <= BRAILLE_LINES_PER_PAGE
        assert all(len(line) <= BRAILLE_CELLS_PER_LINE for line in page)


def test_form_feed_between_pages_and_a_page_number_at_the_end_of_each(brf):
    data = brf.read_bytes().decode("ascii")
    pages = read_pages(brf)
    assert data.count("\f") == len(pages) - 1
    assert data.count("\r\n\f") == data.count("\f"), "a form feed inside a line"
    numbers = forward([str(n) for n in range(1, len(pages) + 1)], UEB)
    for page, number in zip(pages, numbers):
        assert len(page) == BRAILLE_LINES_PER_PAGE
        assert page[-1] == number.rjust(BRAILLE_CELLS_PER_LINE)


def test_same_article_same_bytes(built, tmp_path):
    again = build(SCIATICA, Settings(formats=("brf",), out_dir=tmp_path))[0]
    assert again.read_bytes() == built[SCIATICA.stem].read_bytes()


# --- what is on the pages --------------------------------------------------------------------

def test_title_page_has_title_version_and_review_date(built):
    pages = read_pages(built[SCIATICA.stem])
    title_page = back_translated(pages[:1])
    assert "Say Goodbye to Sciatica Pain with Effective Massage Therapy" in title_page
    assert "A Comprehensive Guide" in title_page
    assert "Version 1.0" in title_page
    assert "Review date: 25 November 2027" in title_page
    assert "Introduction" not in title_page, "the article starts on a new page"
    fixture_title_page = back_translated(read_pages(built[FIXTURE.stem])[:1])
    assert "Exercises for Sciatica" in fixture_title_page and "Version 1.0" in fixture_title_page
    assert "Review date" not in fixture_title_page, "the fixture has no review date"


def test_headings_are_centred_after_a_blank_line(built):
    article, doc = prepare(SCIATICA, Settings())
    headings = [heading for heading in elements(doc["blocks"], "Header")]
    cells = forward([stringify(heading["c"][2]) for heading in headings], UEB)
    pages = read_pages(built[SCIATICA.stem])
    for heading, braille in zip(headings, cells):
        level = heading["c"][0]
        indent = 0 if level <= 2 else 4  # centred, or in cell 5
        first_line = wrapped(braille, BRAILLE_CELLS_PER_LINE, indent, indent)[0].strip()
        found = [(page, index) for page in pages for index, line in enumerate(page)
                 if line.strip() == first_line]
        assert found, f"heading {stringify(heading)!r} not found"
        page, index = found[0]
        if level <= 2:
            margin = len(page[index]) - len(page[index].lstrip())
            assert abs(margin - (BRAILLE_CELLS_PER_LINE - len(first_line)) // 2) <= 1
        else:
            assert page[index].startswith("    ") and not page[index].startswith("     ")
        assert index == 0 or page[index - 1] == "", f"no blank line before {stringify(heading)!r}"
        assert index < BRAILLE_LINES_PER_PAGE - 2, "a heading left at the foot of a page"


def test_list_items_each_start_a_line(built):
    pages = read_pages(built[SCIATICA.stem])
    bullet = forward(["\u2022"], UEB)[0]
    starts = [line for page in pages for line in page if line.startswith(bullet + " ")]
    assert len(starts) == 6 + 3 + 3, "every item of the article's three lists"


def test_a_table_row_reads_as_header_and_value(built):
    text = back_translated(read_pages(built[SCIATICA.stem]))
    assert ("Physiological Mechanism: Mechanical Stimulation. Description: The mechanical "
            "stimulation of massage can improve tissue extensibility") in text
    assert "Benefit: Reduce Pain. Description: Massage can help to reduce pain" in text


def test_citations_kept_as_numbers_to_look_up(built):
    text = back_translated(read_pages(built[SCIATICA.stem]))
    assert "enhance blood flow [1]." in text


def test_references_come_last(built):
    pages = read_pages(built[SCIATICA.stem])
    text = back_translated(pages)
    assert text.index("References") > text.index("In conclusion, massage can be an effective")
    last_page = back_translated(pages[-1:])
    assert re.search(r"Kamali F, Panahi F, Ebrahimi S", last_page), last_page
    assert text.rstrip().endswith(back_translated([pages[-1]]).rstrip())


def test_a_word_longer_than_a_line_is_split_with_the_braille_hyphen():
    long_word = forward(["Pneumonoultramicroscopicsilicovolcanoconiosis-and-more-words-again"], UEB)[0]
    assert len(long_word) > BRAILLE_CELLS_PER_LINE
    lines = wrapped(f"AB {long_word} CD", BRAILLE_CELLS_PER_LINE, 2, 0)
    assert all(len(line) <= BRAILLE_CELLS_PER_LINE for line in lines)
    assert lines[0] == "  AB"
    assert lines[1].endswith(BRAILLE_HYPHEN) and len(lines[1]) == BRAILLE_CELLS_PER_LINE
    assert "".join(line[:-1] if line.endswith(BRAILLE_HYPHEN) else line + " " for line in lines[1:]) \
        == f"{long_word} CD "


# --- the back-translation check --------------------------------------------------------------

def test_back_translation_loses_at_most_two_percent(brf):
    source = SCIATICA if brf.stem == SCIATICA.stem else FIXTURE
    article, doc = prepare(source, Settings())
    report = Report(leaflet=source)
    check_brf(brf, doc, article, report)
    assert report.findings == []


def test_the_check_names_the_first_passage_lost(built, tmp_path):
    original = built[SCIATICA.stem]
    pages = read_pages(original)
    lost_page = 3
    first_words = back_translated([pages[lost_page]]).split()[:4]
    pages[lost_page] = [""] * (len(pages[lost_page]) - 1) + pages[lost_page][-1:]
    corrupt = tmp_path / original.name
    corrupt.write_bytes("\f".join("".join(line + "\r\n" for line in page) for page in pages).encode("ascii"))
    article, doc = prepare(SCIATICA, Settings())
    report = Report(leaflet=SCIATICA)
    check_brf(corrupt, doc, article, report)
    [finding] = report.findings
    assert finding.severity == ERROR and finding.where == corrupt.name
    assert "the first passage lost" in finding.message
    quoted = re.search(r"\u201c(.*)\u201d", finding.message).group(1)
    assert [word.strip(".,").casefold() for word in quoted.split()[:4]] == \
        [word.strip(".,").casefold() for word in first_words]


def test_check_leaflet_builds_and_checks_the_braille(tmp_path, caplog):
    folder = tmp_path / "leaflet"
    shutil.copytree(FIXTURE.parent, folder)
    report = check_leaflet(folder / FIXTURE.name, Settings(out_dir=tmp_path / "out"))
    assert str(tmp_path / "out" / f"{FIXTURE.stem}.brf") in report.outputs
    assert [finding for finding in report.findings if finding.area == "braille"] == []
    assert [record for record in caplog.records if record.levelno >= logging.WARNING] == []


# --- languages ---------------------------------------------------------------------------------

@pytest.mark.parametrize("tag, table", [
    ("en", UEB), ("en-GB", UEB), ("EN-us", UEB), ("en-AU", UEB), ("cy", "cy-cy-g2.ctb"),
    ("pt-BR", "pt-pt-g1.utb"), ("zh-CN", "zh-chn.ctb"), ("zh-TW", "zh-tw.ctb"), ("fa", "fa-ir-extra.uti,fa-latin.uti,fa-ir-g1.utb"),
    ("ta", "ta-ta-g1.ctb"), ("ti", "ethio-g1.ctb"), ("am", "ethio-g1.ctb"), ("gu", "gu-in-g1.utb"),
    ("so", "en-ueb-g1.ctb"), ("ro", "ro-g1.utb"), ("tlh", None), ("ps", None), ("", None)])
def test_language_tags_find_their_table(tag, table):
    found = table_for_language(tag, THEME_DIR)
    assert (found.name if found else None) == table


def test_a_language_without_a_table_is_a_clear_error(tmp_path, capsys, caplog):
    article = leaflet_in_language(tmp_path / "leaflet", "tlh")
    with pytest.raises(SourceError) as raised:
        build(article, Settings(formats=("brf",), out_dir=tmp_path / "out"))
    message = str(raised.value)
    assert message.startswith(f"{article}, line 7: there is no braille table for the language 'tlh'")
    assert "How to fix:" in message
    assert not (tmp_path / "out" / f"{FIXTURE.stem}.brf").exists()
    assert main(["build", str(article), "--to", "brf", "--out", str(tmp_path / "out")]) == EXIT_DOCUMENT
    errors = capsys.readouterr().err
    assert "'tlh'" in errors and "Traceback" not in errors
    # Klingon has no strings file and no CSL locale either: those warnings, and no other.
    warned = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert warned and all("tlh.yaml does not exist" in message or "no CSL locale for tlh" in message
                          for message in warned)


def test_check_leaflet_says_braille_was_not_made_for_a_language_without_a_table(tmp_path):
    from pipeline.article.front_matter import load_article
    from pipeline.checks.braille import braille_can_be_built
    article = leaflet_in_language(tmp_path / "leaflet", "tlh")
    report = Report(leaflet=article)
    assert not braille_can_be_built(load_article(article), report)
    [finding] = report.findings
    assert finding.severity == NOT_RUN and "'tlh'" in finding.message

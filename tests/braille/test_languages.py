"""Braille in every language styles/braille.yaml has a table for, numbers kept whole across
line breaks, and the draft notice: the real liblouis, read back.

``data/sentences.yaml`` holds one short sentence a language; ``data/leaflets/`` small
leaflets in Somali, Tamil, Tigrinya, Farsi, Pashto and Gujarati, built with ``--to brf``.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from pipeline import Settings, build
from pipeline.braille.layout import BRAILLE_HYPHEN, wrapped
from pipeline.braille.liblouis import backward, characters_without_braille, forward
from pipeline.braille.tables import braille_tables, table_for_language
from pipeline.build import prepare
from pipeline.checks import ERROR, Report
from pipeline.checks.braille import check_brf, comparable, read_pages, text_lines
from pipeline.braille.layout import BRAILLE_CELLS_PER_LINE
from pipeline.config import THEME_DIR
from pipeline.errors import SourceError, StyleError
from pipeline.theme.strings import strings_for
from building import warnings_recorded

DATA = Path(__file__).parent / "data"
SENTENCES = yaml.safe_load((DATA / "sentences.yaml").read_text(encoding="utf-8"))
LEAFLETS = DATA / "leaflets"
BRAILLE_ASCII = {chr(code) for code in range(0x20, 0x60)}
# Warnings the small leaflets may give until their language has a strings file of its own.
ALLOWED_WARNINGS = (".yaml does not exist", "has no braille for")
UEB = "en-ueb-g2.ctb"
# Tables whose braille reads back nearly word for word: one sign stands for two characters
# (Romanian â and "("; Ukrainian ґ reads back as ∞), which the check's likeness allows.
NEARLY_BACK = ("fa", "ro", "uk")


def words(text: str) -> list[str]:
    return [comparable(word) for word in text.split() if comparable(word)]


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_each_language_s_table_writes_its_sentence_in_braille_ascii(lang):
    table = table_for_language(lang, THEME_DIR)
    text = SENTENCES[lang]
    assert characters_without_braille([text], table.table) == []  # the Bengali danda and য় too
    [cells] = forward([text], table.table)
    assert len(cells) >= len(text) // 2 and set(cells) <= BRAILLE_ASCII
    if table.back_translates:
        [back] = backward([cells], table.table)
        assert [word for word in words(back)] == words(text) or lang in NEARLY_BACK
        if lang in NEARLY_BACK:
            found = words(back)
            assert len(found) == len(words(text))
            assert sum(a == b for a, b in zip(found, words(text))) >= len(found) * 0.7


def test_every_table_that_reads_back_is_read_back_above():
    """Each table styles/braille.yaml says reads back has a sentence here that tests it."""
    tested = {table_for_language(lang, THEME_DIR).name for lang in SENTENCES}
    two_way = {table.name for table in braille_tables(THEME_DIR).values() if table.back_translates}
    assert two_way <= tested


def test_every_table_named_compiles():
    for tag, table in braille_tables(THEME_DIR).items():
        [cells] = forward(["12 people."], table.table)
        assert cells and set(cells) <= BRAILLE_ASCII, tag


@pytest.mark.parametrize("lang", ["ro", "lt", "ru", "uk", "bg", "fa", "ta", "gu", "so"])
def test_999_is_a_number_in_braille(lang):
    """The number sign then a, i, i, i: not 8-dot computer digits that a 6-dot page loses."""
    table = table_for_language(lang, THEME_DIR)
    [cells] = forward(["999"], table.table)
    assert cells.strip() == "#III"


def test_the_languages_clinics_meet_most_have_braille_where_liblouis_can_write_them():
    have = set(braille_tables(THEME_DIR))
    assert {"pl", "ro", "pa", "ur", "pt", "es", "ar", "bn", "gu", "it", "lt", "fr", "zh", "zh-tw",
            "ta", "tr", "so", "fa", "ku", "ckb", "ti", "am", "ru", "bg", "lv", "vi", "ne", "hi",
            "cy", "uk"} <= have
    assert not {"ps", "sq"} & have  # no table liblouis 3.24 writes them with in 6 dots


def test_a_table_file_that_names_a_path_is_refused(tmp_path):
    theme_dir = tmp_path / "styles"
    shutil.copytree(THEME_DIR, theme_dir)
    (theme_dir / "braille.yaml").write_text("en: {table: ../../etc/passwd, grade: 1}\n", encoding="utf-8")
    with pytest.raises(StyleError) as raised:
        table_for_language("en", theme_dir)
    assert "braille.yaml" in str(raised.value) and "../../etc/passwd" in str(raised.value)


# --- numbers, DOIs, addresses across line breaks ----------------------------------------------

REFERENCE = ("Lancet. 2018;391(10137):2356-67. doi:10.1016/S0140-6736(18)30489-6 "
             "https://www.nice.org.uk/guidance/ng59 or clinic.team@example.nhs.uk today")


@pytest.mark.parametrize("indent", range(0, 9))
def test_a_line_break_never_splits_a_number_nor_hyphenates_an_address(indent):
    """Each line read back on its own (as a reader reads it) keeps its digits: together the
    lines say the reference again, with no hyphen added."""
    [cells] = forward([REFERENCE], UEB)
    lines = wrapped(cells, BRAILLE_CELLS_PER_LINE, indent, indent + 2, codes=True)
    assert all(len(line) <= BRAILLE_CELLS_PER_LINE for line in lines)
    read = [back.replace("cc", ":").replace("con", ":") for back in backward([l.strip() for l in lines], UEB)]
    assert "".join(read).replace(" ", "") == REFERENCE.replace(" ", "")
    for line in read:
        assert not re.search(r"\d-[a-j]", line), line  # "30-dhi-6": digits read as letters
    assert "30489-6" in " ".join(read) or "30489-" in " ".join(read)
    assert "ng-59" not in " ".join(read)


def test_a_plain_long_word_is_still_split_with_the_braille_hyphen():
    [cells] = forward(["Pneumonoultramicroscopicsilicovolcanoconiosis-and-more"], UEB)
    lines = wrapped(cells, BRAILLE_CELLS_PER_LINE, 2, 0)
    assert lines[0].endswith(BRAILLE_HYPHEN) and len(lines[0]) == BRAILLE_CELLS_PER_LINE


def test_a_leaflet_s_dois_and_addresses_read_back_line_by_line_with_their_numbers(tmp_path):
    """Built for real: each line of the BRF read back on its own, as a braille reader reads
    it. Before, "30489-6" read "30-" then "dhi-6", ".../ng59" read "ng-" then "59"."""
    source = LEAFLETS / "numbers-at-line-ends.en-GB.md"
    [brf] = build(source, Settings(formats=("brf",), out_dir=tmp_path))
    lines = [line.strip() for page in read_pages(brf)[1:] for line in page[:-1] if line.strip()]
    read = backward(lines, UEB)
    for line in read:
        assert not re.search(r"\d-$|^[a-j]+-?\d|\d-[a-j]", line), line
    assert sum("30489-6" in line for line in read) == 3
    together = "".join(read)
    assert together.count("nice.org.uk/guidance/ng59") == 2
    assert "sciatica/treatment-and-self-care-for-sciatica-123456" in together
    assert not any(line.endswith(BRAILLE_HYPHEN) for line in lines if "#" in line)


# --- the draft notice ---------------------------------------------------------------------------

def test_a_draft_s_brf_opens_with_the_draft_notice(tmp_path):
    source = LEAFLETS / "back-pain.fa.md"
    brf = build(source, Settings(formats=("brf",), out_dir=tmp_path))[0]
    article, _ = prepare(source, Settings())
    assert article.is_draft
    table = table_for_language("fa", THEME_DIR)
    notice = strings_for("fa", THEME_DIR).word("draft-mark")
    [expected] = forward([notice], table.table)
    first_page = " ".join(line.strip() for line in read_pages(brf)[0][:-1] if line.strip())
    assert first_page.startswith(" ".join(expected.split()))


def test_an_english_draft_s_brf_reads_back_the_notice_first(tmp_path):
    source = Path(__file__).resolve().parents[2] / "source" / "sciatica-massage.md"
    brf = build(source, Settings(formats=("brf",), out_dir=tmp_path))[0]
    title_page = " ".join(backward(text_lines(read_pages(brf)[:1]), UEB))
    assert title_page.startswith("DRAFT")
    assert "not approved for patients" in title_page


def test_an_approved_leaflet_s_brf_has_no_draft_notice(tmp_path):
    source = Path(__file__).resolve().parents[1] / "fixtures" / "translated-leaflet" / "sciatica-exercises.md"
    assert not prepare(source, Settings())[0].is_draft
    brf = build(source, Settings(formats=("brf",), out_dir=tmp_path))[0]
    title_page = " ".join(backward(text_lines(read_pages(brf)[:1]), UEB))
    assert title_page.startswith("Exercises for Sciatica") and "DRAFT" not in title_page.upper()


# --- small leaflets in six languages -----------------------------------------------------------

@pytest.mark.parametrize("lang", ["so", "ta", "ti", "fa", "gu"])
def test_a_leaflet_in_the_language_builds_in_braille(lang, tmp_path):
    source = LEAFLETS / f"back-pain.{lang}.md"
    with warnings_recorded() as recorder:
        [brf] = build(source, Settings(formats=("brf",), out_dir=tmp_path))
    assert [m for m in recorder.messages if not any(a in m for a in ALLOWED_WARNINGS)] == []
    data = brf.read_bytes()
    assert set(data) <= {ord(c) for c in BRAILLE_ASCII} | {0x0D, 0x0A, 0x0C}
    article, doc = prepare(source, Settings())
    report = Report(leaflet=source)
    check_brf(brf, doc, article, report)
    assert [f for f in report.findings if f.severity == ERROR and "has no braille" not in f.message] == []
    table = table_for_language(lang, THEME_DIR)
    if table.back_translates:
        assert report.findings == [] or all("has no braille" in f.message for f in report.findings)


def test_a_pashto_leaflet_s_braille_is_an_error_naming_the_language(tmp_path):
    source = LEAFLETS / "back-pain.ps.md"
    with pytest.raises(SourceError) as raised:
        build(source, Settings(formats=("brf",), out_dir=tmp_path))
    message = str(raised.value)
    assert "there is no braille table for the language 'ps'" in message and "braille.yaml" in message
    assert not list(tmp_path.glob("*.brf"))


def test_a_number_longer_than_a_line_opens_each_line_with_the_number_sign_and_takes_no_time():
    """A hostile article's 100,000-digit number: laid out a line at a time (each line looked
    at once), each line of it a number a reader can read on its own."""
    import time
    [cells] = forward(["1" * 2000], UEB)
    started = time.monotonic()
    lines = wrapped(cells * 50, BRAILLE_CELLS_PER_LINE, 2, 2, codes=True)
    assert time.monotonic() - started < 5
    assert all(len(line) <= BRAILLE_CELLS_PER_LINE and line.strip().startswith("#") for line in lines)
    assert set(backward([lines[1].strip()], UEB)[0]) == {"1"}


def test_a_hostile_run_of_combining_marks_is_named_quickly():
    import time
    started = time.monotonic()
    missing = characters_without_braille(["a" + "\u0301" * 100_000 + " ਹਫ਼ਤਿਆਂ"], "pu-in-g1.utb")
    assert time.monotonic() - started < 10
    assert missing == ["\u0301"]

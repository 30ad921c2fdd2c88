"""The source stage: ``load_article`` reads the front matter pandoc users write
and explains, with file and line, what it cannot read.

Articles are written into ``tmp_path`` by ``write_article``: field N of the
front matter is on line N + 1 of the file, so line numbers in messages can be
checked against the text.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from pipeline.errors import SourceError
from pipeline.article.front_matter import load_article
from pipeline.article.model import Author
from building import FIXTURES

BODY = "## Heat\n\nA warm pack eases the pain.\n"


def write_article(folder: Path, *fields: str, body: str = BODY) -> Path:
    """An article whose front matter holds ``fields``, one per line, then ``body``."""
    path = folder / "leaflet.md"
    path.write_text("---\n" + "".join(f"{field}\n" for field in fields) + "---\n\n" + body,
                    encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    """What the user reads when ``path`` cannot be loaded."""
    with pytest.raises(SourceError) as caught:
        load_article(path)
    return str(caught.value)


def warnings_in(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]


# --- what pandoc users write ---------------------------------------------------------------------

def test_title_only_gives_the_defaults(tmp_path):
    article = load_article(write_article(tmp_path, "title: Back Pain"))
    assert (article.title, article.lang, article.authors, article.keywords, article.nocite) == \
        ("Back Pain", "en-US", (), (), ())
    assert article.date is None and article.bibliography == () and article.csl is None


def test_author_as_one_name(tmp_path):
    article = load_article(write_article(tmp_path, "title: Back Pain", "author: Jane Doe"))
    assert article.authors == (Author("Jane Doe"),)


def test_author_as_a_list_of_names(tmp_path):
    article = load_article(write_article(tmp_path, "title: Back Pain",
                                         "author: [Jane Doe, John Roe]"))
    assert [author.name for author in article.authors] == ["Jane Doe", "John Roe"]


def test_author_as_mappings_with_credentials_and_affiliation(tmp_path):
    article = load_article(write_article(
        tmp_path, "title: Back Pain", "author:",
        "  - name: Jane Doe", "    credentials: [MD, PhD]", "    affiliation: City Clinic",
        "  - name: John Roe"))
    assert article.authors == (Author("Jane Doe", "MD, PhD", "City Clinic"), Author("John Roe"))
    assert article.authors[0].display_name == "Jane Doe, MD, PhD"


@pytest.mark.parametrize("written", ["2026-11-25", '"2026-11-25"', "'2026-11-25'",
                                     "2026-11-25 09:30:00", '"2026-11-25T09:30"'])
def test_date_as_yaml_date_or_iso_string(tmp_path, written):
    article = load_article(write_article(tmp_path, "title: Back Pain", f"date: {written}"))
    assert article.date == dt.date(2026, 11, 25)


@pytest.mark.parametrize("key", ["review-date", "review_date", "Review_Date"])
def test_review_date_hyphenated_or_underscored(tmp_path, key):
    article = load_article(write_article(tmp_path, "title: Back Pain", f"{key}: 2027-11-25"))
    assert article.review_date == dt.date(2027, 11, 25)


@pytest.mark.parametrize("written", ["[sciatica, massage therapy]", "sciatica, massage therapy",
                                     '"sciatica,  massage therapy, "'])
def test_keywords_as_list_or_comma_string(tmp_path, written):
    article = load_article(write_article(tmp_path, "title: Back Pain", f"keywords: {written}"))
    assert article.keywords == ("sciatica", "massage therapy")


@pytest.mark.parametrize("written, keys", [
    ('"@smith2020, @jones2019"', ("smith2020", "jones2019")),
    ("|\n  @smith2020, @jones2019", ("smith2020", "jones2019")),
    ("['@smith2020', '@jones2019']", ("smith2020", "jones2019")),
    ('"@*"', ("*",)),
])
def test_nocite_keys(tmp_path, written, keys):
    article = load_article(write_article(tmp_path, "title: Back Pain", f"nocite: {written}"))
    assert article.nocite == keys


def test_version_keeps_the_digits_as_written(tmp_path):
    article = load_article(write_article(tmp_path, "title: Back Pain", "version: 1.10"))
    assert article.version == "1.10"


def test_bibliography_is_relative_to_the_article(tmp_path):
    article = load_article(write_article(tmp_path, "title: Back Pain",
                                         "bibliography: [references.json, extra.bib]"))
    assert article.bibliography == (tmp_path / "references.json", tmp_path / "extra.bib")


def test_windows_line_endings_and_byte_order_mark(tmp_path):
    path = tmp_path / "leaflet.md"
    path.write_bytes("\ufeff---\r\ntitle: Back Pain\r\n---\r\n\r\nText.\r\n".encode("utf-8"))
    article = load_article(path)
    assert article.title == "Back Pain"
    assert article.markdown.split("\n")[4] == "Text."


# --- line numbers ----------------------------------------------------------------------------

def test_markdown_keeps_body_lines_at_their_line_numbers(tmp_path):
    path = write_article(tmp_path, "title: Back Pain", "author: Jane Doe")
    file_lines = path.read_text(encoding="utf-8").split("\n")
    markdown_lines = load_article(path).markdown.split("\n")
    assert markdown_lines[:4] == ["", "", "", ""]  # the front matter, blanked
    assert markdown_lines[4:] == file_lines[4:]


def test_line_of_counts_lines_as_the_file_has_them(tmp_path):
    article = load_article(write_article(tmp_path, "title: Back Pain"))
    assert article.line_of("A warm pack") == 7
    assert article.line_of_field("title") == 2


def test_unicode_line_separators_are_spaces_and_do_not_shift_the_body(tmp_path):
    # U+2028 comes with text pasted from word processors; pandoc does not break lines there.
    path = write_article(tmp_path, "title: Back Pain", 'description: "Heat\u2028and rest"',
                         body="Heat\u2028helps.\nMassage \u2029helps.\nRest helps.\n")
    article = load_article(path)
    assert article.markdown.split("\n")[5:8] == ["Heat helps.", "Massage  helps.", "Rest helps."]
    assert article.line_of("Rest helps.") == 8
    assert article.description == "Heat and rest"


# --- problems in the front matter ------------------------------------------------------------

def test_no_front_matter(tmp_path):
    path = tmp_path / "leaflet.md"
    path.write_text("# Back Pain\n\nText.\n", encoding="utf-8")
    message = error_of(path)
    assert message.startswith(f"{path}, line 1: the article has no front matter")
    assert "How to fix: start the file with a YAML block" in message


def test_front_matter_not_closed(tmp_path):
    path = tmp_path / "leaflet.md"
    path.write_text("---\ntitle: Back Pain\n\nText.\n", encoding="utf-8")
    message = error_of(path)
    assert message.startswith(f"{path}, line 1: the front matter is not closed")
    assert "a line holding only ---" in message


def test_invalid_yaml_names_the_line_of_the_file():
    path = FIXTURES / "invalid-front-matter" / "back-pain.md"
    message = error_of(path)
    assert message.startswith(f"{path}, line 4: the front matter is not valid YAML")
    bad_line = path.read_text(encoding="utf-8").split("\n")[4 - 1]
    assert bad_line == "subtitle: What helps: heat, rest and exercise"
    assert repr(bad_line) in message
    assert "double quotes" in message


def test_unquoted_nocite_asks_for_quotes(tmp_path):
    message = error_of(write_article(tmp_path, "title: Back Pain", "nocite: @smith2020"))
    assert message.startswith(f"{tmp_path / 'leaflet.md'}, line 3:")
    assert "'nocite: @smith2020'" in message and "double quotes" in message


def test_unclosed_quote_names_the_line_where_it_opens(tmp_path):
    message = error_of(write_article(tmp_path, "title: Back Pain", 'subtitle: "Heat and rest',
                                     "author: Jane Doe", "date: 2026-11-25"))
    assert ", line 3: " in message
    assert "a quotation mark is not closed" in message and "'subtitle: \"Heat and rest'" in message


def test_unclosed_bracket_names_the_line_where_it_opens(tmp_path):
    message = error_of(write_article(tmp_path, "title: Back Pain", "keywords: [sciatica, heat",
                                     "author: Jane Doe"))
    assert ", line 3: " in message and "'[' is not closed" in message


def test_list_where_text_belongs(tmp_path):
    message = error_of(write_article(tmp_path, "title:", "  - Back Pain", "  - Heat"))
    assert message.startswith(f"{tmp_path / 'leaflet.md'}, line 2: front matter 'title': "
                              "expected text, found a list")
    assert "How to fix: write one value on the line" in message


def test_front_matter_without_title(tmp_path):
    message = error_of(write_article(tmp_path, "subtitle: Heat and rest"))
    assert "the front matter has no 'title'" in message
    assert "add a line 'title: ...'" in message


@pytest.mark.parametrize("written", ["next week", "25/11/2026", "2026-02-30", "2026-11-255"])
def test_date_that_is_not_a_date(tmp_path, written):
    message = error_of(write_article(tmp_path, "title: Back Pain", f"date: {written}"))
    assert message.startswith(f"{tmp_path / 'leaflet.md'}, line 3: front matter 'date': "
                              f"{written!r} is not a date")
    assert "YYYY-MM-DD" in message


def test_review_date_that_is_not_a_date(tmp_path):
    message = error_of(write_article(tmp_path, "title: Back Pain", "review_date: soon"))
    assert "line 3: front matter 'review-date': 'soon' is not a date" in message


def test_bad_language_tag(tmp_path):
    message = error_of(write_article(tmp_path, "title: Back Pain", "lang: pt_BR"))
    assert "line 3: front matter 'lang': 'pt_BR' is not a language tag" in message
    assert "'pt-BR'" in message


def test_author_that_cannot_be_read(tmp_path):
    message = error_of(write_article(tmp_path, "title: Back Pain", "author:",
                                     "  - credentials: MD"))
    assert "line 3: front matter 'author': cannot read the author {'credentials': 'MD'}" in message


def test_keyword_that_is_a_list(tmp_path):
    message = error_of(write_article(tmp_path, "title: Back Pain",
                                     "keywords: [sciatica, [heat, rest]]"))
    assert "line 3: front matter 'keywords': each keyword must be a word, found a list" in message


def test_bibliography_entry_that_is_not_a_file_name(tmp_path):
    message = error_of(write_article(tmp_path, "title: Back Pain",
                                     "bibliography: [references.json, 2020]"))
    assert "line 3: front matter 'bibliography': expected a file name, found 2020" in message


@pytest.mark.parametrize("written", ["smith2020", "[1, 2]"])
def test_nocite_without_keys(tmp_path, written):
    message = error_of(write_article(tmp_path, "title: Back Pain", f"nocite: {written}"))
    assert "line 3: front matter 'nocite': no citation keys in" in message
    assert "'@*'" in message


def test_unknown_field_is_ignored_with_a_warning(tmp_path, caplog):
    path = write_article(tmp_path, "title: Back Pain", "review-dat: 2027-11-25")
    article = load_article(path)
    assert article.review_date is None
    assert warnings_in(caplog) == [
        f"{path}, line 3: unknown front-matter field 'review-dat' is ignored; "
        "did you mean 'review-date'?"]


def test_field_given_twice_warns_and_uses_the_last(tmp_path, caplog):
    path = write_article(tmp_path, "title: Back Pain", "date: 2026-01-01", "date: 2026-11-25")
    assert load_article(path).date == dt.date(2026, 11, 25)
    assert warnings_in(caplog) == [
        f"{path}, line 4: the field 'date' is given again (first on line 3); the last one is used"]


# --- problems with the file itself -----------------------------------------------------------

def test_empty_file(tmp_path):
    path = tmp_path / "leaflet.md"
    path.write_text("\n  \n", encoding="utf-8")
    assert error_of(path).startswith(f"{path}: the article is empty")


def test_not_utf8_names_the_byte(tmp_path):
    path = tmp_path / "leaflet.md"
    path.write_bytes("---\ntitle: Caf\u00e9 au lait\n---\n".encode("latin-1"))
    message = error_of(path)
    assert message.startswith(f"{path}, line 2: the file is not UTF-8 text (byte 14 is 0xe9)")
    assert "save the file as UTF-8" in message


def test_binary_file(tmp_path):
    path = tmp_path / "leaflet.md"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00word/document.xml")
    message = error_of(path)
    assert message.startswith(f"{path}: this is a binary file, not a Markdown article")
    assert ".md text file" in message


def test_missing_file(tmp_path):
    path = tmp_path / "leaflet.md"
    message = error_of(path)
    assert message.startswith(f"{path}: the article does not exist")
    assert "How to fix: check the file name" in message


def test_folder_instead_of_file(tmp_path):
    assert error_of(tmp_path).startswith(f"{tmp_path}: this is a folder, not an article")

"""The command line, in process through ``main(argv)``: exit codes, what a
user reads on stderr, and which files a run leaves behind.

Only EPUB builds here; the end-to-end tests build the PDFs.
"""
from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest

from pipeline.__main__ import EXIT_DOCUMENT, EXIT_OK, EXIT_USAGE, main
from building import FIXTURES

GOOD = FIXTURES / "epub-leaflet" / "sciatica-exercises.md"
INVALID_YAML = FIXTURES / "invalid-front-matter" / "back-pain.md"
UNKNOWN_KEY = FIXTURES / "unknown-citation-key" / "heat-therapy.md"


def build(*args: str | Path) -> int:
    return main(["build", *(str(arg) for arg in args)])


# --- wrong usage: exit 2 ---------------------------------------------------------------------

def test_unknown_format_is_wrong_usage(tmp_path, capsys):
    assert build(GOOD, "--to", "docx", "--out", tmp_path) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "usage:" in err and "--to 'docx': choose from pdf, epub" in err
    assert list(tmp_path.iterdir()) == []


def test_unknown_paper_is_wrong_usage(tmp_path, capsys):
    assert build(GOOD, "--paper", "a3", "--out", tmp_path) == EXIT_USAGE
    assert "invalid choice: 'a3' (choose from 'a4', 'letter')" in capsys.readouterr().err


def test_no_sources_is_wrong_usage(capsys):
    assert build() == EXIT_USAGE
    assert "the following arguments are required: SOURCE.md" in capsys.readouterr().err


def test_out_that_is_a_file_is_wrong_usage(tmp_path, capsys):
    not_a_folder = tmp_path / "output"
    not_a_folder.write_text("notes\n", encoding="utf-8")
    assert build(GOOD, "--to", "epub", "--out", not_a_folder) == EXIT_USAGE
    assert f"--out '{not_a_folder}': this is a file, not a folder" in capsys.readouterr().err


def test_help_exits_0(capsys):
    assert main(["build", "--help"]) == EXIT_OK
    assert "--to pdf,epub" in capsys.readouterr().out


# --- a problem in a document: exit 1 ---------------------------------------------------------

def test_bad_document_names_file_and_line_without_traceback(tmp_path, capsys):
    assert build(INVALID_YAML, "--to", "epub", "--out", tmp_path) == EXIT_DOCUMENT
    err = capsys.readouterr().err
    assert err.startswith(f"error: {INVALID_YAML}, line 4: the front matter is not valid YAML")
    assert "How to fix:" in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback(tmp_path, capsys, caplog):
    assert build(INVALID_YAML, "--to", "epub", "--out", tmp_path, "--debug") == EXIT_DOCUMENT
    err = capsys.readouterr().err
    assert "error: traceback\nTraceback (most recent call last)" in err
    assert f"error: {INVALID_YAML}, line 4:" in err
    assert [(record.levelno, record.getMessage()) for record in caplog.records
            if record.levelno >= logging.WARNING] == [(logging.ERROR, "traceback")]


def test_missing_article(tmp_path, capsys):
    missing = tmp_path / "leaflet.md"
    assert build(missing, "--to", "epub", "--out", tmp_path) == EXIT_DOCUMENT
    assert f"error: {missing}: the article does not exist" in capsys.readouterr().err


def test_unknown_citation_key_names_key_and_line(tmp_path, capsys):
    assert build(UNKNOWN_KEY, "--to", "epub", "--out", tmp_path) == EXIT_DOCUMENT
    err = capsys.readouterr().err
    assert err.startswith(f"error: {UNKNOWN_KEY}, line 10: unknown citation key '@smyth2001'")
    assert "How to fix: did you mean @smith2001?" in err
    assert UNKNOWN_KEY.read_text(encoding="utf-8").split("\n")[10 - 1].endswith("[@smyth2001].")


def test_an_unknown_style_from_the_command_line_is_wrong_usage_of_the_option(tmp_path, capsys):
    """The option is at fault, not the article: the message names the option as typed."""
    assert build(GOOD, "--to", "epub", "--out", tmp_path, "--csl", "vancover") == EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("error: --csl 'vancover': unknown citation style 'vancover'")
    assert str(GOOD) not in err
    assert "did you mean" in err


# --- what a run leaves behind ----------------------------------------------------------------

def test_epub_only_build_writes_only_the_epub(tmp_path, capsys):
    assert build(GOOD, "--to", "epub", "--out", tmp_path) == EXIT_OK
    epub = tmp_path / "sciatica-exercises.epub"
    assert capsys.readouterr().out == f"wrote {epub}\n"
    assert list(tmp_path.iterdir()) == [epub]
    with zipfile.ZipFile(epub) as package:
        assert package.read("mimetype") == b"application/epub+zip"


def test_failed_build_leaves_the_previous_output_untouched(tmp_path, capsys):
    previous = tmp_path / "back-pain.epub"
    previous.write_bytes(b"the EPUB from the last good build")
    assert build(INVALID_YAML, "--to", "epub", "--out", tmp_path) == EXIT_DOCUMENT
    assert previous.read_bytes() == b"the EPUB from the last good build"
    assert list(tmp_path.iterdir()) == [previous]  # no half-written .part file either
    capsys.readouterr()


def test_one_bad_article_does_not_stop_the_others(tmp_path, capsys):
    assert build(INVALID_YAML, GOOD, "--to", "epub", "--out", tmp_path) == EXIT_DOCUMENT
    output = capsys.readouterr()
    assert f"error: {INVALID_YAML}, line 4:" in output.err
    assert output.out == f"wrote {tmp_path / 'sciatica-exercises.epub'}\n"
    assert [path.name for path in tmp_path.iterdir()] == ["sciatica-exercises.epub"]


def test_warnings_are_printed_and_the_build_goes_on(tmp_path, capsys, caplog):
    article = tmp_path / "leaflet.md"
    article.write_text("---\ntitle: Back Pain\nreview-dat: 2027-11-25\n---\n\nText.\n",
                       encoding="utf-8")
    assert build(article, "--to", "epub", "--out", tmp_path / "out") == EXIT_OK
    expected = (f"{article}, line 3: unknown front-matter field 'review-dat' is ignored; "
                "did you mean 'review-date'?")
    assert capsys.readouterr().err == f"warning: {expected}\n"
    assert [record.getMessage() for record in caplog.records
            if record.levelno >= logging.WARNING] == [expected]


@pytest.mark.parametrize("source, fmt", [(GOOD, "docx"), (INVALID_YAML, "epub")])
def test_main_leaves_no_logging_handler_behind(tmp_path, capsys, source, fmt):
    before = list(logging.getLogger().handlers)
    build(source, "--to", fmt, "--out", tmp_path)
    assert logging.getLogger().handlers == before
    capsys.readouterr()


def test_an_output_that_cannot_be_written_is_a_clear_error(tmp_path, capsys):
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "sciatica-exercises.epub").mkdir()  # a folder where the EPUB must go
    assert build(GOOD, "--to", "epub", "--out", blocked) == EXIT_DOCUMENT
    err = capsys.readouterr().err
    assert f"cannot write {blocked / 'sciatica-exercises.epub'}" in err
    assert "Traceback" not in err
    assert [p.name for p in blocked.iterdir()] == ["sciatica-exercises.epub"]

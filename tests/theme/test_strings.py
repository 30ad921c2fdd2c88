"""The pipeline's own words come from styles/strings/<lang>.yaml, English behind them."""
from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

import pytest

from building import PROJECT_ROOT
from pipeline.errors import StyleError
from pipeline.theme.strings import strings_for, warn_missing

THEME_DIR = PROJECT_ROOT / "styles"


@pytest.fixture
def theme_dir(tmp_path: Path) -> Path:
    """A copy of styles/strings a test may add languages to."""
    shutil.copytree(THEME_DIR / "strings", tmp_path / "strings")
    warn_missing.cache_clear()
    return tmp_path


def test_english_words_and_dates():
    strings = strings_for("en-GB", THEME_DIR)
    assert strings.word("page-of", page=2, pages=5) == "Page 2 of 5"
    assert strings.long_date(dt.date(2027, 1, 9)) == "9 January 2027"


def test_a_language_file_found_by_its_whole_tag_then_by_its_language(theme_dir):
    (theme_dir / "strings" / "pt.yaml").write_text(
        "review-date: Data de revisão\nmonths: [janeiro, fevereiro, março, abril, maio, junho, "
        "julho, agosto, setembro, outubro, novembro, dezembro]\ndate: '{day} de {month} de {year}'\n",
        encoding="utf-8")
    strings = strings_for("pt-BR", theme_dir)
    assert strings.file.name == "pt.yaml"
    assert strings.word("review-date") == "Data de revisão"
    assert strings.long_date(dt.date(2026, 3, 4)) == "4 de março de 2026"
    assert strings.word("version") == "Version"  # not translated yet: English


def test_a_language_without_a_file_falls_back_to_english_with_one_warning(theme_dir, caplog):
    with caplog.at_level(logging.WARNING):
        first = strings_for("ha", theme_dir)
        strings_for("ha", theme_dir)
    assert first.word("references") == "References"
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1
    assert str(theme_dir / "strings" / "ha.yaml") in warnings[0] and "in English" in warnings[0]


def test_a_broken_strings_file_is_named_with_its_line(theme_dir):
    (theme_dir / "strings" / "pl.yaml").write_text("version: Wersja\nreview-date: [Data\n",
                                                encoding="utf-8")
    with pytest.raises(StyleError) as error:
        strings_for("pl", theme_dir)
    assert error.value.file == theme_dir / "strings" / "pl.yaml"
    assert error.value.line is not None

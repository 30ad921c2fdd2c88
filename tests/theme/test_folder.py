"""The clinic's theme as one object (``Theme``), and the leaflet's build made from it."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from building import PROJECT_ROOT
from pipeline.build import prepare
from pipeline.config import Settings
from pipeline.errors import StyleError
from pipeline.leaflet import leaflet_build
from pipeline.theme.folder import Theme

THEME_DIR = PROJECT_ROOT / "styles"
SCIATICA = PROJECT_ROOT / "source" / "sciatica-massage.md"


def test_an_editions_stylesheets_are_files_of_the_theme():
    theme = Theme(THEME_DIR)
    assert theme.edition_stylesheets("standard", "letter") == [THEME_DIR / "leaflet.css",
                                                               THEME_DIR / "paper" / "letter.css"]
    booklet = theme.edition_stylesheets("booklet", "letter")
    assert booklet == [THEME_DIR / "leaflet.css", THEME_DIR / "editions" / "booklet.css"]
    assert all(path.is_file() for path in booklet)


def test_a_theme_gives_each_language_its_own_words():
    theme = Theme(THEME_DIR)
    assert theme.words("pl").word("language-name") == "Polski"
    assert theme.words("en-GB").word("page-of", page=2, pages=5) == "Page 2 of 5"


def test_a_missing_stylesheet_of_the_theme_is_named(tmp_path: Path):
    shutil.copytree(THEME_DIR, tmp_path / "styles")
    (tmp_path / "styles" / "epub.css").unlink()
    with pytest.raises(StyleError) as raised:
        Theme(tmp_path / "styles").checked_stylesheet("epub.css")
    assert raised.value.file == tmp_path / "styles" / "epub.css"


def test_a_leaflet_build_holds_the_words_of_its_article_s_language():
    settings = Settings()
    article, doc = prepare(SCIATICA, settings)
    leaflet = leaflet_build(article, doc, settings)
    assert leaflet.theme == Theme(settings.theme_dir)
    assert leaflet.words.file == leaflet.theme.words(article.lang).file
    assert leaflet.doc is doc and leaflet.article is article

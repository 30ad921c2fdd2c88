"""A leaflet in a language without the pipeline's words (``styles/strings/<lang>.yaml``) is
an error in ``make check`` and in ``release``, naming the file to add; a draft build only
warns. A translation made from an older version of its source warns when it is built.

The leaflets here are the community-languages fixture's, with their language changed to
Hausa (which has no strings file) or their source's version moved on.
"""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from building import FIXTURES, PROJECT_ROOT
from pipeline import Settings, build
from pipeline.__main__ import EXIT_DOCUMENT, main
from pipeline.article.front_matter import load_article
from pipeline.checks.findings import ERROR, Report
from pipeline.checks.translations import check_own_words
from pipeline.theme.strings import missing_words, warn_missing

FIXTURE = FIXTURES / "community-languages"
THEME_DIR = PROJECT_ROOT / "styles"
SOMALI = "sciatica-massage.so.md"


def library(folder: Path, replacements: dict[str, str], name: str = SOMALI) -> Path:
    """A copy of the fixture folder with lines of ``name`` replaced; the path of ``name``."""
    shutil.copytree(FIXTURE, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def theme_dir(tmp_path: Path) -> Path:
    """A copy of styles/ whose strings a test may take away."""
    shutil.copytree(THEME_DIR, tmp_path / "styles")
    warn_missing.cache_clear()
    return tmp_path / "styles"


def test_every_fixture_language_has_all_its_words():
    for path in sorted(FIXTURE.glob("*.md")):
        assert missing_words(load_article(path).lang, THEME_DIR) is None, path.name


def test_check_names_the_strings_file_a_language_needs(tmp_path):
    hausa = library(tmp_path / "leaflets", {"lang: so": "lang: ha"})
    report = Report(leaflet=hausa)
    check_own_words(load_article(hausa), THEME_DIR, report)
    [finding] = report.findings
    assert finding.severity == ERROR
    assert str(THEME_DIR / "strings" / "ha.yaml") in finding.message and "Hausa" not in finding.message
    assert finding.where == "front matter 'lang' (line 6)"
    assert "copy" in finding.hint and "en.yaml" in finding.hint and "ha.yaml" in finding.hint


def test_check_names_the_keys_a_strings_file_lacks(tmp_path, theme_dir):
    somali = theme_dir / "strings" / "so.yaml"
    lines = somali.read_text(encoding="utf-8").splitlines(keepends=True)
    somali.write_text("".join(line for line in lines
                              if not line.startswith(("review-date:", "  mp3:"))), encoding="utf-8")
    report = Report(leaflet=FIXTURE / SOMALI)
    check_own_words(load_article(FIXTURE / SOMALI), theme_dir, report)
    [finding] = report.findings
    assert finding.severity == ERROR
    assert str(somali) in finding.message and "review-date" in finding.message
    assert "site-formats" in finding.hint


def test_a_draft_build_only_warns_naming_the_file(tmp_path, caplog):
    hausa = library(tmp_path / "leaflets", {"lang: so": "lang: ha"})
    warn_missing.cache_clear()
    with caplog.at_level(logging.WARNING):
        written = build(hausa, Settings(out_dir=tmp_path / "out", formats=("pdf",)))
    assert [path.suffix for path in written] == [".pdf"]
    messages = [record.getMessage() for record in caplog.records]
    assert any("ha.yaml does not exist" in message for message in messages)
    assert all("CSL locale" in message or "ha.yaml" in message for message in messages), messages


def test_release_refuses_a_leaflet_without_its_words(tmp_path, capsys):
    library(tmp_path / "leaflets", {"lang: so": "lang: ha"})
    code = main(["release", str(tmp_path / "leaflets"), "--out", str(tmp_path / "out"),
                 "--today", "2027-01-01"])
    assert code == EXIT_DOCUMENT
    printed = capsys.readouterr().err
    assert SOMALI in printed and "ha.yaml does not exist" in printed
    assert "copy" in printed and "translate" in printed
    assert not (tmp_path / "out" / "release").exists()


def test_a_translation_of_an_older_version_warns_at_build_time(tmp_path, caplog):
    library(tmp_path / "leaflets", {'version: "1.0"': 'version: "1.1"'}, name="sciatica-massage.md")
    tamil = tmp_path / "leaflets" / "sciatica-massage.ta.md"
    with caplog.at_level(logging.WARNING):
        build(tamil, Settings(out_dir=tmp_path / "out", formats=("epub",)))
    [message] = [record.getMessage() for record in caplog.records if "out of date" in record.getMessage()]
    assert str(tamil) in message and "line 8" in message
    assert "version 1.0 of sciatica-massage.md, which is now version 1.1" in message
    assert "translated-from-version: \"1.1\"" in message

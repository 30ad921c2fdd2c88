"""The references stage and style lookup.

``load_references`` reads CSL-JSON, CSL YAML and BibTeX (through the real
pandoc) into the same CSL-JSON items, and names the file, entry and value of
whatever it cannot use. ``resolve_csl_style`` finds a CSL style by name or path.

``fixtures/reference-formats/`` holds the same two works in every format;
``fixtures/csl-files/`` holds style files as a clinic might have them.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from pipeline.config import PANDOC_TIMEOUT_SECONDS, THEME_DIR
from pipeline.citations.csl_styles import CSL_STYLES_ROOT, resolve_csl_style
from pipeline.errors import BibliographyError, CitationError, StyleError
from pipeline.article.references import load_references
from building import FIXTURES

FORMATS = FIXTURES / "reference-formats"
CSL_FILES = FIXTURES / "csl-files"
# The fields every format carries for the fixture works (volume is a number in CSL YAML).
COMPARED_FIELDS = ("id", "type", "author", "title", "container-title", "issued", "issue", "page",
                   "publisher", "publisher-place")


def load(*paths: Path) -> list[dict]:
    return load_references(paths, PANDOC_TIMEOUT_SECONDS)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(*paths: Path) -> str:
    with pytest.raises(BibliographyError) as caught:
        load(*paths)
    return str(caught.value)


def compared(items: list[dict]) -> list[dict]:
    return [{name: item.get(name) for name in COMPARED_FIELDS} for item in items]


# --- the formats -----------------------------------------------------------------------------

def test_csl_json():
    items = load(FORMATS / "references.json")
    assert [item["id"] for item in items] == ["hernandez-reif2001", "kumar2013"]
    assert items[0]["author"][2] == {"family": "Müller", "given": "Anna"}
    assert items[0]["issued"] == {"date-parts": [[2001]]}


@pytest.mark.parametrize("name", ["references.yaml", "references-pandoc.yaml", "references.bib"])
def test_every_format_gives_the_same_fields(name):
    assert compared(load(FORMATS / name)) == compared(load(FORMATS / "references.json"))


def test_bibtex_is_converted_by_pandoc():
    hernandez = load(FORMATS / "references.bib")[0]
    assert hernandez["author"][2] == {"family": "Müller", "given": "Anna"}  # from M{\"u}ller
    assert hernandez["page"] == "131-145" and hernandez["DOI"] == "10.3109/00207450109149744"


def test_csl_yaml_with_references_mapping(tmp_path):
    path = write(tmp_path, "refs.yml", "references:\n- id: kumar2013\n  title: Massage\n")
    assert load(path) == [{"id": "kumar2013", "title": "Massage"}]


@pytest.mark.parametrize("written, parts", [("2001", [2001]), ("2001-03", [2001, 3]),
                                            ("2001-03-04", [2001, 3, 4])])
def test_csl_yaml_dates_become_date_parts(tmp_path, written, parts):
    path = write(tmp_path, "refs.yaml", f"- id: kumar2013\n  issued: {written}\n")
    assert load(path)[0]["issued"] == {"date-parts": [parts]}


def test_csl_yaml_date_in_words_becomes_literal(tmp_path):
    path = write(tmp_path, "refs.yaml", "- id: kumar2013\n  issued: spring 2013\n")
    assert load(path)[0]["issued"] == {"literal": "spring 2013"}


def test_numeric_id_becomes_text(tmp_path):
    path = write(tmp_path, "refs.json", '[{"id": 2013, "title": "Massage"}]')
    assert load(path)[0]["id"] == "2013"


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "refs.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([{"id": "kumar2013"}]).encode("utf-8"))
    assert load(path) == [{"id": "kumar2013"}]


def test_several_files_in_order():
    items = load(FORMATS / "references.json", FIXTURES / "unknown-citation-key" / "references.json")
    assert [item["id"] for item in items] == ["hernandez-reif2001", "kumar2013", "smith2001"]


@pytest.mark.parametrize("name, text", [
    ("refs.json", "[]"),
    ("refs.bib", "Kumar S. Massage for back pain. London: Clinic Press; 2013.\n"),  # pandoc skips it
])
def test_file_without_entries_warns(tmp_path, caplog, name, text):
    path = write(tmp_path, name, text)
    assert load(path) == []
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] \
        == [f"{path}: the bibliography holds no entries"]


# --- problems with the file ------------------------------------------------------------------

def test_missing_file(tmp_path):
    message = error_of(tmp_path / "references.json")
    assert message.startswith(f"{tmp_path / 'references.json'}: the bibliography file does not exist")
    assert "relative to the article" in message


def test_unknown_extension(tmp_path):
    path = write(tmp_path, "references.ris", "TY  - JOUR\n")
    message = error_of(path)
    assert message.startswith(f"{path}: unknown bibliography format '.ris'")
    assert ".json (CSL-JSON), .yaml (CSL YAML) or .bib (BibTeX)" in message


def test_invalid_json_names_the_line(tmp_path):
    path = write(tmp_path, "refs.json", '[\n  {"id": "a"}\n  {"id": "b"}\n]\n')
    message = error_of(path)
    assert message.startswith(f"{path}, line 3: not valid JSON: Expecting ',' delimiter")
    assert "check commas, brackets and quotes" in message


def test_invalid_yaml_names_the_line(tmp_path):
    path = write(tmp_path, "refs.yaml", "- id: a\n  title: x\n - id: b\n")
    message = error_of(path)
    assert message.startswith(f"{path}, line 3: not valid YAML")
    assert "indentation" in message


def test_yaml_with_several_documents(tmp_path):
    path = write(tmp_path, "refs.yaml", "- id: a\n---\n- id: b\n")
    assert error_of(path).startswith(f"{path}: the file holds 2 YAML documents")


def test_invalid_bibtex_names_the_line(tmp_path):
    path = write(tmp_path, "refs.bib",
                 "@book{kumar2013,\n  title = {Massage},\n  year = {2013}\n}\n\n"
                 "@article{smith2001,\n  title = {Heat}\n  year = {2001}\n}\n")
    message = error_of(path)
    assert message.startswith(f"{path}, line 8: not valid BibTeX: unexpected 'y'")
    assert "check the entry that starts on line 6" in message


def test_unclosed_bibtex_entry_is_blamed_not_the_next_one(tmp_path):
    path = write(tmp_path, "refs.bib",
                 "@book{kumar2013,\n  title = {Massage},\n  year = {2013}\n\n"
                 "@article{smith2001,\n  title = {Heat}\n}\n")
    message = error_of(path)
    assert message.startswith(f"{path}, line 5: not valid BibTeX: unexpected '@'")
    assert "check the entry that starts on line 1" in message


def test_not_utf8(tmp_path):
    path = tmp_path / "refs.json"
    path.write_bytes('[\n{"id": "caf\u00e9"}]'.encode("latin-1"))
    assert error_of(path).startswith(f"{path}, line 2: the file is not UTF-8 text "
                                     "(byte 13 is 0xe9)")


def test_file_that_is_not_a_list(tmp_path):
    path = write(tmp_path, "refs.json", '{"id": "kumar2013"}')
    assert error_of(path).startswith(f"{path}: the file must hold a list of entries")


# --- problems with an entry ------------------------------------------------------------------

def test_entry_without_id(tmp_path):
    path = write(tmp_path, "refs.json", '[{"id": "a"}, {"title": "Massage for back pain"}]')
    message = error_of(path)
    assert message.startswith(f"{path}: entry 2 has no 'id' (title: 'Massage for back pain')")
    assert "the key the article cites with @id" in message


def test_duplicate_ids_in_one_file(tmp_path):
    path = write(tmp_path, "refs.json", '[{"id": "kumar2013"}, {"id": "kumar2013"}]')
    message = error_of(path)
    assert message.startswith(f"{path}: the key 'kumar2013' is used by two entries\n")
    assert "smith2020a, smith2020b" in message


def test_duplicate_ids_in_two_files_names_both(tmp_path):
    path = write(tmp_path, "more.json", '[{"id": "kumar2013"}]')
    message = error_of(FORMATS / "references.json", path)
    assert message.startswith(f"{path}: the key 'kumar2013' is used by two entries "
                              f"(the other one is in {FORMATS / 'references.json'})")


@pytest.mark.parametrize("author", ['"Smith, J"', '["Smith"]', '{"family": "Smith"}'])
def test_author_not_a_list_of_names(tmp_path, author):
    path = write(tmp_path, "refs.json", f'[{{"id": "a", "author": {author}}}]')
    message = error_of(path)
    assert message.startswith(f"{path}: entry 'a': field 'author' must be a list of names, not ")
    assert '"author": [{"family": "Smith", "given": "J"}]' in message


@pytest.mark.parametrize("issued", ['"2001"', '{"date-parts": [["2001", "x"]]}', "[2001]"])
def test_date_that_is_not_a_csl_date(tmp_path, issued):
    path = write(tmp_path, "refs.json", f'[{{"id": "a", "issued": {issued}}}]')
    message = error_of(path)
    assert message.startswith(f"{path}: entry 'a': field 'issued' is not a CSL date: ")
    assert '"issued": {"date-parts": [[2001, 3, 4]]}' in message


def test_bibtex_year_that_is_not_a_year_gets_a_bibtex_hint(tmp_path):
    path = write(tmp_path, "refs.bib", "@book{kumar2013,\n  title = {Massage},\n  year = 2013a\n}\n")
    message = error_of(path)
    assert message.startswith(f"{path}: entry 'kumar2013': field 'issued' is not a CSL date")
    assert "How to fix: write year = {2001}" in message


# --- citation styles -------------------------------------------------------------------------

def test_independent_style_by_name(tmp_path):
    style = resolve_csl_style("american-medical-association", tmp_path, THEME_DIR)
    assert style.path == CSL_STYLES_ROOT / "american-medical-association.csl"
    assert style.locale is None


def test_style_names_ignore_case_and_spaces(tmp_path):
    style = resolve_csl_style(" American-Medical-Association ", tmp_path, THEME_DIR)
    assert style.path == CSL_STYLES_ROOT / "american-medical-association.csl"


def test_dependent_style_by_name_resolves_to_its_parent(tmp_path):
    style = resolve_csl_style("vancouver-nlm", tmp_path, THEME_DIR)
    assert (style.name, style.path) == ("vancouver-nlm", CSL_STYLES_ROOT / "nlm-citation-sequence.csl")


def test_csl_file_relative_to_the_article():
    style = resolve_csl_style("clinic-house-style.csl", CSL_FILES, THEME_DIR)
    assert style.path == CSL_FILES / "clinic-house-style.csl"


def test_dependent_csl_file_resolves_to_its_parent_and_locale():
    style = resolve_csl_style("clinic-vancouver.csl", CSL_FILES, THEME_DIR)
    assert (style.path, style.locale) == (CSL_STYLES_ROOT / "nlm-citation-sequence.csl", "en-GB")


def test_unknown_style_suggests_close_names(tmp_path):
    with pytest.raises(CitationError) as caught:
        resolve_csl_style("american-medical-asociation", tmp_path, THEME_DIR)
    message = str(caught.value)
    assert message.startswith("unknown citation style 'american-medical-asociation'")
    assert "did you mean 'american-medical-association'" in message


def test_unknown_style_without_close_names_points_to_the_list(tmp_path):
    with pytest.raises(CitationError) as caught:
        resolve_csl_style("qqqq", tmp_path, THEME_DIR)
    assert "see https://www.zotero.org/styles for the names. A path" in str(caught.value)


def test_missing_csl_file_says_where_it_looked(tmp_path):
    with pytest.raises(CitationError) as caught:
        resolve_csl_style("house.csl", tmp_path, THEME_DIR)
    assert str(caught.value).startswith(
        f"the CSL file 'house.csl' does not exist (looked in {tmp_path} and {THEME_DIR / 'csl'})")


def test_installed_style_written_as_a_file_name(tmp_path):
    with pytest.raises(CitationError) as caught:
        resolve_csl_style("vancouver-nlm.csl", tmp_path, THEME_DIR)
    assert "write its name without '.csl' ('vancouver-nlm')" in str(caught.value)


@pytest.mark.parametrize("name, line, problem", [
    ("saved-web-page.csl", 1, "Start tag expected"),
    ("broken.csl", 5, "Opening and ending tag mismatch"),
])
def test_csl_file_that_is_not_xml(name, line, problem):
    with pytest.raises(StyleError) as caught:
        resolve_csl_style(name, CSL_FILES, THEME_DIR)
    message = str(caught.value)
    assert message.startswith(f"{CSL_FILES / name}, line {line}: the CSL file is not valid XML: "
                              f"{problem}")
    assert "check the tags near that line" in message


def test_xml_file_that_is_not_a_style(tmp_path):
    write(tmp_path, "page.csl", "<html><body>Download</body></html>\n")
    with pytest.raises(StyleError) as caught:
        resolve_csl_style("page.csl", tmp_path, THEME_DIR)
    assert str(caught.value).startswith(f"{tmp_path / 'page.csl'}: this XML file is not a CSL style")

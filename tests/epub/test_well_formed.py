"""Characters that are not text, and the EPUB's well-formedness gate (issue 19).

A title with a YAML "\\0" or "\\x1b" escape, an entity like &#27; in the text, a
reference manager's export with a control character: each used to give an EPUB
that is not well-formed XML, which e-readers refuse whole. Front-matter fields are
an error naming the field and line; the text and references lose the character
with a warning; and whatever gets past those is stopped by the gate before the
EPUB replaces the last good one.
"""
from __future__ import annotations

import json
import logging
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pipeline import Settings, build
from pipeline.__main__ import EXIT_DOCUMENT, main
from pipeline.config import THEME_DIR
from pipeline.epub.well_formed import check_well_formed
from pipeline.errors import RenderError
import reading_pdf
import reading_epub

FRONT = '---\ntitle: "Back pain"\nlang: en-GB\n---\n\n'


def write(folder: Path, text: str, name: str = "leaflet.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def every_xml_file_parses(epub: Path) -> list[str]:
    """The names of the EPUB's XML files, each parsed with lxml (raises if one fails)."""
    names = []
    with zipfile.ZipFile(epub) as package:
        for name in package.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".svg", ".xml")):
                etree.fromstring(package.read(name))
                names.append(name)
    return names


@pytest.mark.parametrize("field_line, field, character", [
    ('title: "Back \\x1b pain"', "title", "U+001B"),
    ('title: "Back pain\\0"', "title", "U+0000"),
    ('subtitle: "At \\u0085 home"', "subtitle", "U+0085"),
    ('keywords: ["heat", "\\uFFFE"]', "keywords[2]", "U+FFFE"),
    ('author:\n  - name: "Jane \\ud800 Doe"', "author[1].name", "U+D800"),
    ('reference: "PHY\\x07-1"', "reference", "U+0007"),
])
def test_a_control_character_in_a_front_matter_field_is_an_error_naming_it(
        tmp_path, capsys, field_line, field, character):
    text = FRONT.replace('title: "Back pain"', 'title: "Back pain"\n' + field_line) \
        if not field_line.startswith("title") else FRONT.replace('title: "Back pain"', field_line)
    article = write(tmp_path, text + "Text.\n")
    assert main(["build", str(article), "--to", "epub", "--out", str(tmp_path / "out")]) == EXIT_DOCUMENT
    err = capsys.readouterr().err
    line = next(n for n, l in enumerate(text.split("\n"), 1) if l.startswith(field_line.split(":")[0]))
    assert f"{article}, line {line}: front matter '{field}' holds the invisible control " \
           f"character {character}" in err
    assert "How to fix: remove the escape" in err and "Traceback" not in err
    assert not (tmp_path / "out" / "leaflet.epub").exists()


def test_a_control_character_in_the_clinic_profile_is_an_error_naming_it(tmp_path, capsys):
    write(tmp_path, 'name: "Riverside\\x1b[1m Physio"\n', "clinic.yaml")
    article = write(tmp_path, FRONT.replace("lang:", "clinic: clinic.yaml\nlang:") + "Text.\n")
    assert main(["build", str(article), "--to", "epub", "--out", str(tmp_path / "out")]) == EXIT_DOCUMENT
    err = capsys.readouterr().err
    assert f"{tmp_path / 'clinic.yaml'}: the clinic profile's 'name' holds the invisible " \
           "control character U+001B" in err


def test_character_references_to_control_characters_are_removed_with_a_warning(tmp_path, caplog):
    body = ("Heat helps.\n\nPasted &#27;[1m and &#x85; from a terminal.\n\n"
            'Raw <span title="a &#1; b">HTML</span> too.\n')
    article = write(tmp_path, FRONT + body)
    written = build(article, Settings(out_dir=tmp_path / "out", formats=("pdf", "epub")))
    epub = next(path for path in written if path.suffix == ".epub")
    assert "content.opf" in " ".join(every_xml_file_parses(epub))
    text = reading_epub.epub_text(epub)
    assert "Pasted [1m and from a terminal." in " ".join(text.split())
    pdf = next(path for path in written if path.suffix == ".pdf")
    assert "Pasted [1m and from a terminal." in " ".join(reading_pdf.pdf_text(pdf).split())
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warned == [f"{article}, line 8: removed 3 invisible control character(s) written as a "
                      "character reference (such as &#27;); they are not text and cannot go "
                      "into the EPUB"]


def test_control_characters_typed_into_the_text_are_removed_with_a_warning_naming_the_line(
        tmp_path, caplog):
    """C1 characters too (U+0085 is what cp1252's "..." becomes when read as Latin-1), and
    U+FFFF."""
    article = write(tmp_path, FRONT + "Heat helps.\n\nPasted\u0085 text\uffff and \x1b[1mmore.\n")
    (epub,) = build(article, Settings(out_dir=tmp_path / "out", formats=("epub",)))
    every_xml_file_parses(epub)
    assert "Pasted text and [1mmore." in " ".join(reading_epub.epub_text(epub).split())
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warned == [f"{article}, line 8: removed 3 invisible control character(s) (the first "
                      "is U+0085); they are not text and cannot go into the EPUB"]


def test_a_control_character_in_a_reference_is_removed_with_a_warning_naming_the_entry(
        tmp_path, caplog):
    references = [{"id": "lee2020", "type": "article-journal", "title": "Heat\u001b and \u0085pain",
                   "author": [{"family": "Lee", "given": "Ann"}],
                   "issued": {"date-parts": [[2020]]}}]
    (tmp_path / "references.json").write_text(json.dumps(references), encoding="utf-8")
    article = write(tmp_path, FRONT.replace("lang:", "bibliography: references.json\nlang:")
                    + "Heat helps [@lee2020].\n")
    (epub,) = build(article, Settings(out_dir=tmp_path / "out", formats=("epub",)))
    every_xml_file_parses(epub)
    assert "Heat and pain" in reading_epub.epub_text(epub)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warned == [f"{tmp_path / 'references.json'}: entry 'lee2020' (number 1), field "
                      "'title': removed the invisible control character U+001B; it is not text "
                      "and cannot go into the EPUB"]


def test_an_epub_that_is_not_well_formed_is_never_written(tmp_path):
    """Whatever gets past the cleaning (here a clinic's strings file whose word for
    "Cover" holds an escape, which goes into the navigation document as written) is
    stopped by the gate: a RenderError naming the file of the EPUB, and the last good
    EPUB stays in place."""
    article = write(tmp_path / "leaflets", FRONT + "Heat helps.\n")
    out = tmp_path / "out"
    (good,) = build(article, Settings(out_dir=out, formats=("epub",)))
    before = good.read_bytes()
    theme_dir = tmp_path / "styles"
    shutil.copytree(THEME_DIR, theme_dir)
    strings = theme_dir / "strings" / "en.yaml"
    strings.write_text(strings.read_text(encoding="utf-8").replace(
        "\ncover: Cover\n", '\ncover: "Cover\\e"\n'), encoding="utf-8")
    with pytest.raises(RenderError) as raised:
        build(article, Settings(out_dir=out, formats=("epub",), theme_dir=theme_dir))
    message = str(raised.value)
    assert message.startswith(f"{article}: the EPUB would not be well-formed XML, so e-readers "
                              "would refuse it: EPUB/content.opf: invalid character in attribute value")
    assert "the previous EPUB is left as it was" in message
    assert good.read_bytes() == before
    assert [path.name for path in out.iterdir()] == ["leaflet.epub"]  # no temporary file left


def test_the_gate_names_the_file_and_line_of_a_broken_package(tmp_path):
    package = tmp_path / "broken.epub"
    with zipfile.ZipFile(package, "w") as epub:
        epub.writestr("mimetype", "application/epub+zip")
        epub.writestr("EPUB/text/ch001.xhtml", '<html xmlns="http://www.w3.org/1999/xhtml">\n'
                      '<body><img alt="a" onload="x" alt="b"/></body></html>')
    with pytest.raises(RenderError) as raised:
        check_well_formed(package.read_bytes())
    assert "EPUB/text/ch001.xhtml: Attribute alt redefined, line 2" in str(raised.value)


def test_a_well_formed_epub_passes_the_gate(tmp_path):
    article = write(tmp_path, FRONT + "Heat helps.\n")
    (epub,) = build(article, Settings(out_dir=tmp_path / "out", formats=("epub",)))
    check_well_formed(epub.read_bytes())  # raises if any of its XML files is not well-formed
    assert len(every_xml_file_parses(epub)) >= 5

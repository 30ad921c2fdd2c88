"""The registry of outputs (``pipeline/outputs.py``): each format declared once.

What is checked: the formats a clinic, ``build --to`` and the release see, in their order;
every file has a label on the site; no module but a format's own registration spells its
file's suffix; a second format cannot take a name or a file that is taken; and ``status``
names each format a leaflet has, large print included.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pipeline
from pipeline import outputs
from pipeline.config import THEME_DIR
from pipeline.release.catalogue import file_kinds, release_files
from pipeline.release.status import files_cell
from pipeline.theme.strings import strings_for

PACKAGE_DIR = Path(pipeline.__file__).resolve().parent


def test_the_formats_in_the_order_a_clinic_sees_them():
    assert outputs.format_names() == ("pdf", "large-print", "booklet", "epub", "brf", "mp3",
                                      "narrated-epub")
    assert outputs.build_names() == ("pdf", "epub", "brf", "mp3", "narrated-epub")
    assert outputs.edition_format("booklet").name == "booklet"
    assert outputs.aliases()["braille"] == "brf"
    assert outputs.aliases()["audio with text"] == "narrated-epub"


def test_the_booklet_is_the_sheets_to_print_and_the_pages_to_proof():
    assert release_files("x", ("booklet",)) == {"booklet": "x.booklet.pdf", "a5": "x.a5.pdf",
                                                "cover": "x.cover.png"}
    assert file_kinds() == ("pdf", "large-print", "booklet", "a5", "epub", "brf", "mp3",
                            "narrated-epub", "cover")


def test_every_file_has_a_label_on_the_site():
    labels = strings_for("en", THEME_DIR).words["site-formats"]
    assert {file.kind for _, file in outputs.output_files()} == set(labels)


def spelt_strings(tree: ast.Module) -> set[str]:
    """Every string constant in a module, f-strings' literal parts too."""
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def registers_formats(tree: ast.Module) -> bool:
    """Whether the module declares formats: a call of ``register``, from outputs.py."""
    return any(isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
               and node.func.id == "register" for node in ast.walk(tree))


def test_no_module_but_its_registration_spells_a_suffix():
    suffixes = {file.suffix for _, file in outputs.output_files()}
    spelt = {}
    registrations = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        relative = path.relative_to(PACKAGE_DIR).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        if registers_formats(tree):
            registrations.append(relative)
        elif suffixes & spelt_strings(tree):
            spelt[relative] = suffixes & spelt_strings(tree)
    assert {"printed/__init__.py", "epub/__init__.py", "braille/__init__.py",
            "audio/__init__.py"} <= set(registrations)
    # The build pictures every PDF it wrote, whichever edition: a PDF by its type, not a format.
    assert spelt == {"build.py": {".pdf"}}


def test_a_second_format_cannot_take_a_name_or_a_file():
    taken_name = outputs.Format("braille", (outputs.OutputFile("dots", ".dots", "text/plain", "dots"),))
    with pytest.raises(ValueError, match="'braille' is registered already"):
        outputs.register(taken_name)
    taken_file = outputs.Format("print", (outputs.OutputFile("print", ".PDF", "application/pdf", "print"),))
    with pytest.raises(ValueError, match="is another format's"):
        outputs.register(taken_file)
    assert "print" not in outputs.format_names()


def test_status_names_large_print_and_the_booklet():
    assert files_cell(("pdf", "large-print", "epub", "cover")) == "pdf large-print epub"
    assert files_cell(("pdf", "booklet", "a5", "brf")) == "pdf booklet brf"
    assert files_cell(file_kinds()) == "all"

"""The labels of a clinic's details in the "Contact us" box ("Address", "Phone", "Email",
"Website") are the leaflet's language's, from its strings file, never English words in
Python; and an author's credentials follow the name with the language's comma.

The clinic is ``fixtures/clinic-leaflet``'s profile; the printed test builds a copy of that
leaflet in Polish and reads the labels back from the PDF's last page.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import Settings, build
from pipeline.article.front_matter import load_article
from pipeline.article.model import CONTACT_FIELDS, Author
from pipeline.theme.strings import strings_for
from building import FIXTURES, PROJECT_ROOT
from seed_article import normalise_text
from reading_pdf import pdf_page_texts

CLINIC = FIXTURES / "clinic-leaflet"
THEME_DIR = PROJECT_ROOT / "styles"
ENGLISH_LABELS = ("Address", "Phone", "Email", "Website")


def clinic():
    return load_article(CLINIC / "sciatica-exercises.md").clinic


def test_the_profile_lists_its_details_by_field_in_the_order_clinics_print_them():
    assert clinic().contact_lines == [
        ("address", "12 River Street\nLeeds LS1 4AP"), ("phone", "0113 496 0000"),
        ("email", "physio@riverside.example"), ("website", "https://riverside.example")]


def test_english_labels_read_as_before():
    labels = [label for label, _ in clinic().contact_details(strings_for("en-GB", THEME_DIR))]
    assert labels == list(ENGLISH_LABELS)


@pytest.mark.parametrize("lang, labels", [
    ("pl", ["Adres", "Telefon", "E-mail", "Strona internetowa"]),
    ("ar", ["العنوان", "الهاتف", "البريد الإلكتروني", "الموقع الإلكتروني"]),
    ("zh-CN", ["地址", "电话", "电子邮件", "网站"]),
])
def test_the_labels_are_the_leaflets_language(lang, labels):
    details = clinic().contact_details(strings_for(lang, THEME_DIR))
    assert [label for label, _ in details] == labels
    assert [value for _, value in details][1] == "0113 496 0000"


@pytest.mark.parametrize("path", sorted((THEME_DIR / "strings").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_strings_file_labels_every_contact_detail(path):
    words = strings_for(path.stem, THEME_DIR)
    assert words.file == path
    labels = [words.word(field) for field in CONTACT_FIELDS]
    assert all(labels)
    if path.stem != "en":
        assert not set(labels) & set(ENGLISH_LABELS), labels


def test_only_details_given_are_listed(tmp_path):
    shutil.copytree(CLINIC, tmp_path / "leaflets")
    profile = tmp_path / "leaflets" / "riverside.yaml"
    profile.write_text("name: Riverside Physiotherapy\nphone: 0113 496 0000\n", encoding="utf-8")
    article = load_article(tmp_path / "leaflets" / "sciatica-exercises.md")
    assert article.clinic.contact_details(strings_for("pl", THEME_DIR)) == [("Telefon", "0113 496 0000")]


@pytest.mark.parametrize("lang, line", [
    ("en", "Jane Doe, MD"), ("pl", "Jane Doe, MD"), ("zh-CN", "Jane Doe，MD"), ("ar", "Jane Doe، MD"),
])
def test_credentials_follow_the_name_with_the_languages_comma(lang, line):
    author = Author(name="Jane Doe", credentials="MD")
    assert author.display_name_in(strings_for(lang, THEME_DIR)) == line
    assert Author(name="Jane Doe").display_name_in(strings_for(lang, THEME_DIR)) == "Jane Doe"


def test_a_polish_leaflet_prints_polish_contact_labels(tmp_path):
    shutil.copytree(CLINIC, tmp_path / "leaflets")
    article = tmp_path / "leaflets" / "sciatica-exercises.md"
    article.write_text(article.read_text(encoding="utf-8").replace("lang: en-GB", "lang: pl"),
                       encoding="utf-8")
    pdf = next(path for path in build(article, Settings(out_dir=tmp_path / "out", formats=("pdf",)))
               if path.suffix == ".pdf")
    last = normalise_text(pdf_page_texts(pdf)[-1])
    for polish in ("Kontakt", "Adres", "Telefon", "E-mail", "Strona internetowa", "0113 496 0000"):
        assert polish in last
    for english in ("Contact us", *ENGLISH_LABELS):
        assert english not in last

"""The printed editions, checked on the built files: page sizes, the smallest
text on any page, the booklet's page order, text complete, the clinic's
branding, the QR code and the page pictures."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pypdf
import pypdfium2
import pytest
import zxingcpp

from pipeline import Settings, build
from pipeline.errors import SourceError
from building import FIXTURES, PROJECT_ROOT
from seed_article import SEED_PATH, article_sentences, normalise_text
import reading_pdf

ARTICLE = PROJECT_ROOT / "source" / "sciatica-massage.md"
CLINIC_FIXTURE = FIXTURES / "clinic-leaflet"
ALL_EDITIONS = ("standard", "large-print", "booklet")
A4, A5, A4_LANDSCAPE = (595.3, 841.9), (419.5, 595.3), (841.9, 595.3)
PAGE_NUMBER = re.compile(r"Page (\d+) of (\d+)")


def built(out: Path, article: Path, **options) -> dict[str, Path]:
    written = build(article, Settings(formats=("pdf",), editions=ALL_EDITIONS, out_dir=out, **options))
    return {path.name.removeprefix(article.stem).lstrip(".") or "pdf": path for path in written}


@pytest.fixture(scope="module")
def sciatica(tmp_path_factory) -> dict[str, Path]:
    """Every edition of the sciatica leaflet (no clinic profile, no url)."""
    return built(tmp_path_factory.mktemp("editions"), ARTICLE)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory) -> dict[str, Path]:
    """Every edition of a leaflet with a clinic profile and a url, with page pictures."""
    folder = tmp_path_factory.mktemp("clinic") / "leaflets"
    shutil.copytree(CLINIC_FIXTURE, folder)
    return built(folder.parent / "out", folder / "sciatica-exercises.md", page_pictures=True)


def page_sizes(pdf: Path) -> set[tuple[float, float]]:
    return {(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1))
            for p in pypdf.PdfReader(pdf).pages}


def char_sizes(pdf: Path) -> list[float]:
    with pdfplumber.open(pdf) as document:
        return [round(c["size"], 2) for page in document.pages for c in page.chars if c["text"].strip()]


def most_common(values: list[float]) -> float:
    return max(set(values), key=values.count)


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(pdf).pages]


# --- page sizes and type sizes --------------------------------------------------------------------

@pytest.mark.parametrize("output, size", [
    ("pdf", A4), ("large-print.pdf", A4), ("a5.pdf", A5), ("booklet.pdf", A4_LANDSCAPE)])
def test_page_sizes(sciatica, output, size):
    assert page_sizes(sciatica[output]) == {size}


def test_large_print_has_nothing_under_16_pt_and_body_text_at_18(sciatica):
    sizes = char_sizes(sciatica["large-print.pdf"])
    assert min(sizes) >= 16, f"smallest text {min(sizes)} pt"
    assert most_common(sizes) == 18


@pytest.mark.parametrize("output, smallest", [("pdf", 9), ("a5.pdf", 8)])
def test_standard_and_booklet_body_text_is_clear_print(sciatica, output, smallest):
    sizes = char_sizes(sciatica[output])
    assert most_common(sizes) >= 12
    assert min(sizes) >= smallest, f"smallest text {min(sizes)} pt"


def test_letter_paper_applies_to_the_large_print_edition(tmp_path):
    (pdf,) = build(ARTICLE, Settings(formats=("pdf",), editions=("large-print",), paper="letter",
                                     out_dir=tmp_path))
    assert page_sizes(pdf) == {(612.0, 792.0)}


# --- text complete --------------------------------------------------------------------------------

@pytest.mark.parametrize("output", ["large-print.pdf", "a5.pdf"])
def test_every_sentence_is_in_the_edition(sciatica, output):
    text = normalise_text(reading_pdf.pdf_body_text(sciatica[output]))
    missing = [s for s in article_sentences(SEED_PATH) if s not in text]
    assert missing == []


# --- the booklet ----------------------------------------------------------------------------------

def half_page_numbers(pdf: Path) -> list[tuple[int | None, int | None]]:
    """(left, right) page numbers printed on each side of each sheet; None for a blank half."""
    sides = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            halves = []
            for x0, x1 in ((0, page.width / 2), (page.width / 2, page.width)):
                text = page.crop((x0, 0, x1, page.height)).extract_text() or ""
                match = PAGE_NUMBER.search(text)
                halves.append(int(match.group(1)) if match else None)
            sides.append(tuple(halves))
    return sides


def folded_reading_order(sides: list[tuple]) -> list:
    """The order a reader meets the pages after printing double-sided (short edge),
    stacking the sheets and folding them: the front halves going in, then coming out."""
    sheets = [(sides[i], sides[i + 1]) for i in range(0, len(sides), 2)]
    going_in = [page for front, back in sheets for page in (front[1], back[0])]
    coming_out = [page for front, back in reversed(sheets) for page in (back[1], front[0])]
    return going_in + coming_out


def test_booklet_folds_into_reading_order_with_blank_pages_only_at_the_end(sciatica):
    a5_pages = len(pypdf.PdfReader(sciatica["a5.pdf"]).pages)
    sides = half_page_numbers(sciatica["booklet.pdf"])
    assert len(sides) % 2 == 0 and len(sides) * 2 == a5_pages + (-a5_pages % 4)
    order = folded_reading_order(sides)
    assert order == list(range(1, a5_pages + 1)) + [None] * (-a5_pages % 4)


def test_booklet_carries_the_a5_pages_unchanged(sciatica):
    a5 = [normalise_text(text) for text in page_texts(sciatica["a5.pdf"])]
    booklet = normalise_text(" ".join(page_texts(sciatica["booklet.pdf"])))
    for page in a5:
        for line in page.split(" Page ")[0].split(". ")[:3]:
            assert line in booklet


# --- clinic branding ------------------------------------------------------------------------------

def test_clinic_name_and_logo_come_first(clinic):
    first = page_texts(clinic["pdf"])[0]
    assert first.index("Riverside Physiotherapy") < first.index("Exercises for Sciatica")
    with pdfplumber.open(clinic["pdf"]) as document:
        page = document.pages[0]
        title_top = next(w["top"] for w in page.extract_words() if w["text"] == "Exercises")
        drawn_above_title = [c for c in page.curves + page.rects if c["bottom"] < title_top]
    assert drawn_above_title, "no logo drawn above the title"


@pytest.mark.parametrize("output", ["pdf", "large-print.pdf", "a5.pdf"])
def test_contact_details_are_on_the_last_page(clinic, output):
    last = normalise_text(page_texts(clinic[output])[-1])
    for detail in ("Contact us", "Riverside Physiotherapy", "12 River Street", "Leeds LS1 4AP",
                   "0113 496 0000", "physio@riverside.example", "https://riverside.example"):
        assert detail in last


@pytest.mark.parametrize("output", ["pdf", "large-print.pdf", "a5.pdf"])
def test_reference_code_and_version_are_in_every_footer(clinic, output):
    for number, text in enumerate(page_texts(clinic[output]), start=1):
        footer = text[text.rindex("Exercises for Sciatica"):]
        assert "PHY-042" in footer and "Version 1.0" in footer, (number, footer)


def test_without_a_profile_there_is_no_branding_and_no_placeholder(sciatica):
    text = " ".join(page_texts(sciatica["pdf"]))
    for absent in ("Contact us", "None", "Leaflet ", "Read this leaflet online", "undefined"):
        assert absent not in text
    assert "Version 1.0  ·  Review date 25 November 2027" in text or \
        "Version 1.0 · Review date 25 November 2027" in normalise_text(text)


def write_profile(folder: Path, **fields: str) -> None:
    lines = [f"{key}: {value}" for key, value in {"name": "Riverside Physiotherapy", **fields}.items()]
    (folder / "riverside.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def clinic_folder(tmp_path) -> Path:
    folder = tmp_path / "leaflets"
    shutil.copytree(CLINIC_FIXTURE, folder)
    return folder


def test_a_brand_colour_without_enough_contrast_is_an_error_with_its_ratio(clinic_folder, tmp_path):
    write_profile(clinic_folder, colour='"#7fb3d5"')
    with pytest.raises(SourceError) as raised:
        build(clinic_folder / "sciatica-exercises.md", Settings(formats=("pdf",), out_dir=tmp_path / "o"))
    message = str(raised.value)
    assert "the colour #7fb3d5 has a contrast of " in message
    ratio = float(re.search(r"contrast of (\d+\.\d+):1", message).group(1))
    assert ratio < 4.5 and "at least 4.5:1" in message
    assert "use a darker shade" in message


@pytest.mark.parametrize("fields, expected", [
    ({"name": "''"}, "the clinic has no 'name'"),
    ({"logo": "logo.gif"}, "the logo 'logo.gif' must be an SVG or PNG file"),
    ({"logo": "missing.svg"}, "the logo 'missing.svg' does not exist"),
    ({"logo": "../../outside.svg"}, "the logo '../../outside.svg' is outside the article's folder"),
    ({"colour": "teal-ish"}, "'teal-ish' is not a colour"),
])
def test_profile_problems_name_the_profile_file(clinic_folder, tmp_path, fields, expected):
    write_profile(clinic_folder, **fields)
    with pytest.raises(SourceError) as raised:
        build(clinic_folder / "sciatica-exercises.md", Settings(formats=("epub",), out_dir=tmp_path / "o"))
    assert str(raised.value).startswith(f"{clinic_folder / 'riverside.yaml'}: clinic profile: {expected}")


def test_a_profile_can_be_written_in_the_front_matter(clinic_folder, tmp_path):
    article = clinic_folder / "sciatica-exercises.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "clinic: riverside.yaml", "clinic:\n  name: Hillside Clinic\n  phone: 020 7946 0000"),
        encoding="utf-8")
    (pdf,) = build(article, Settings(formats=("pdf",), out_dir=tmp_path / "o"))
    text = normalise_text(" ".join(page_texts(pdf)))
    assert "Hillside Clinic" in text and "020 7946 0000" in text


def test_a_missing_profile_file_is_named_with_its_line(clinic_folder, tmp_path):
    article = clinic_folder / "sciatica-exercises.md"
    (clinic_folder / "riverside.yaml").unlink()
    with pytest.raises(SourceError) as raised:
        build(article, Settings(formats=("epub",), out_dir=tmp_path / "o"))
    assert str(raised.value).startswith(
        f"{article}, line 2: front matter 'clinic': the profile 'riverside.yaml' does not exist")


# --- QR code --------------------------------------------------------------------------------------

def decoded_qr_codes(pdf: Path) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        images = [page.render(scale=200 / 72).to_pil() for page in document]
    finally:
        document.close()
    return [result.text for image in images for result in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("output", ["pdf", "large-print.pdf", "a5.pdf"])
def test_qr_code_decodes_to_the_leaflets_address_printed_beside_it(clinic, output):
    url = "https://riverside.example/leaflets/sciatica-exercises"
    assert decoded_qr_codes(clinic[output]) == [url]
    text = normalise_text(" ".join(page_texts(clinic[output])))
    assert "Read this leaflet online" in text
    assert url in text.replace("/ ", "/").replace("- ", "-")


def test_no_url_means_no_qr_code(sciatica):
    assert decoded_qr_codes(sciatica["pdf"]) == []


# --- page pictures -------------------------------------------------------------------------------------

def test_page_pictures_show_every_page_and_make_a_contact_sheet(clinic):
    out = clinic["pdf"].parent
    for output in ("pdf", "large-print.pdf", "a5.pdf", "booklet.pdf"):
        pdf = clinic[output]
        pages = len(pypdf.PdfReader(pdf).pages)
        pictures = sorted((out / "pages").glob(f"{pdf.stem}-page-*.png"))
        assert len(pictures) == pages
    sheet = out / "sciatica-exercises.pages.png"
    assert clinic["pages.png"] == sheet
    from PIL import Image
    with Image.open(sheet) as picture:
        assert picture.width > 600 and picture.height > 4 * 280

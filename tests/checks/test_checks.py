"""The `check` gate: each check with an input that fails it and one that passes.

Source checks run on small articles through the real pandoc; PDF checks on
PDFs the real WeasyPrint renders; EPUB checks on EPUBs the pipeline builds.
"""
from __future__ import annotations

import datetime as dt
import html
import shutil
import zipfile
from pathlib import Path

import pydyf
import pypdf
import pytest
import weasyprint

from pipeline import Settings, build
from pipeline.__main__ import EXIT_DOCUMENT, EXIT_OK, main
from pipeline.checks import ERROR, NOT_RUN, WARNING, Report
from pipeline.checks.epub import check_accessibility_metadata, check_with_epubcheck
from pipeline.checks.pdf import check_pdf
from pipeline.checks.pdfua import check_pdfua
from pipeline.checks.readability import OPENING, check_readability
from pipeline.checks.reading_order import Opening, paragraph_openings
from pipeline.checks.patient_information import check_patient_information
from pipeline.checks.article_structure import check_structure
from pipeline.printed.editions import EDITIONS
from pipeline.config import THEME_DIR
from pipeline.pandoc.run import markdown_to_ast
from pipeline.article.front_matter import load_article
from building import FIXTURES
from seed_article import SEED_PATH, article_sentences

TODAY = dt.date(2026, 11, 25)
COMPLETE_FRONT_MATTER = """---
title: Heat for back pain
author:
  - name: Jane Doe
    credentials: MCSP
date: 2026-11-01
version: "2.0"
review-date: 2028-11-01
alternative-formats: [large print]
clinic:
  name: Riverside Physiotherapy
  phone: 0113 496 0000
approved-by:
  - name: Dr Ann Lee
    role: Clinical lead
    date: 2026-11-20
    version: '2.0'
---
"""


def article_from(tmp_path: Path, text: str):
    path = tmp_path / "leaflet.md"
    path.write_text(text, encoding="utf-8")
    article = load_article(path)
    return article, markdown_to_ast(article.markdown, path, 60)


def findings(report: Report) -> list[tuple[str, str, str]]:
    return [(f.severity, f.message, f.where) for f in report.findings]


def messages(report: Report, severity: str) -> list[str]:
    return [f.message for f in report.findings if f.severity == severity]


# --- patient-information standard ------------------------------------------------------------------

def standard_report(tmp_path: Path, front_matter: str, cites: bool = True) -> Report:
    article, _ = article_from(tmp_path, front_matter + "\nText.\n")
    report = Report(article.path)
    check_patient_information(article, cites, report, TODAY)
    return report


def test_a_complete_front_matter_passes_the_standard(tmp_path):
    assert findings(standard_report(tmp_path, COMPLETE_FRONT_MATTER)) == []


@pytest.mark.parametrize("remove, severity, message, field", [
    ("author:\n  - name: Jane Doe\n    credentials: MCSP\n", ERROR, "the leaflet names no author", "author"),
    ("    credentials: MCSP\n", WARNING, "the author Jane Doe has no credentials", "author"),
    ("date: 2026-11-01\n", ERROR, "the leaflet has no date of production", "date"),
    ('version: "2.0"\n', WARNING, "the leaflet has no version", "version"),
    ("review-date: 2028-11-01\n", ERROR, "the leaflet has no review date, so a release withdraws "
     "it (a leaflet nobody plans to review is not handed out)", "review-date"),
    ("alternative-formats: [large print]\n", WARNING,
     "the leaflet does not say which other formats exist", "alternative-formats"),
    ("clinic:\n  name: Riverside Physiotherapy\n  phone: 0113 496 0000\n", WARNING,
     "the leaflet gives no contact details", "clinic"),
])
def test_each_missing_item_is_named_with_its_field(tmp_path, remove, severity, message, field):
    report = standard_report(tmp_path, COMPLETE_FRONT_MATTER.replace(remove, ""))
    expected = [(severity, message)]
    if field == "version":  # a sign-off approves a version: without one, nothing is approved
        expected.append((WARNING, "the leaflet is a draft: no sign-off approves its version (none)"))
    assert sorted((s, m) for s, m, _ in findings(report)) == sorted(expected)
    assert any(finding.where.startswith(f"front matter '{field}' (") for finding in report.findings)


def test_a_passed_review_date_is_an_error_naming_its_line(tmp_path):
    report = standard_report(tmp_path, COMPLETE_FRONT_MATTER.replace("2028-11-01", "2026-11-24"))
    assert findings(report) == [(ERROR, "the review date 2026-11-24 has passed",
                                 "front matter 'review-date' (line 8)")]


def test_a_review_date_within_90_days_is_a_warning(tmp_path):
    report = standard_report(tmp_path, COMPLETE_FRONT_MATTER.replace("2028-11-01", "2027-01-20"))
    assert findings(report) == [(WARNING, "the review date 2027-01-20 is in 56 days",
                                 "front matter 'review-date' (line 8)")]


SIGN_OFF = ("approved-by:\n  - name: Dr Ann Lee\n    role: Clinical lead\n    date: 2026-11-20\n"
            "    version: '2.0'\n")


def test_a_leaflet_nobody_signed_off_is_a_draft_warning(tmp_path):
    report = standard_report(tmp_path, COMPLETE_FRONT_MATTER.replace(SIGN_OFF, ""))
    assert findings(report) == [(WARNING, "the leaflet is a draft, not approved for patients",
                                 "front matter 'approved-by' (missing)")]
    assert "add 'approved-by:'" in report.findings[0].hint


def test_a_leaflet_changed_after_its_sign_off_is_a_draft_warning_naming_both_dates(tmp_path):
    report = standard_report(tmp_path, COMPLETE_FRONT_MATTER.replace("date: 2026-11-01",
                                                                     "date: 2026-11-24"))
    assert findings(report) == [(WARNING, "the leaflet is a draft: it was changed (2026-11-24) "
                                 "after its latest sign-off (2026-11-20)",
                                 "front matter 'approved-by' (line 13)")]


def test_a_sign_off_dated_after_today_is_a_warning(tmp_path):
    report = standard_report(tmp_path, COMPLETE_FRONT_MATTER.replace("    date: 2026-11-20",
                                                                     "    date: 2062-11-20"))
    assert findings(report) == [(WARNING, "the sign-off by Dr Ann Lee is dated 2062-11-20, "
                                 "after today", "front matter 'approved-by' (line 13)")]


def test_no_sources_is_a_warning(tmp_path):
    report = standard_report(tmp_path, COMPLETE_FRONT_MATTER, cites=False)
    assert messages(report, WARNING) == ["the leaflet cites no sources"]


def test_unknown_front_matter_field_is_a_warning_with_its_line(tmp_path, caplog):
    report = standard_report(tmp_path, COMPLETE_FRONT_MATTER.replace("---\ntitle", "---\nreveiw-date: soon\ntitle"))
    assert findings(report) == [(WARNING, "unknown front-matter field 'reveiw-date' is ignored",
                                 "front matter 'reveiw-date' (line 2)")]
    assert "did you mean 'review-date'?" in caplog.text


@pytest.mark.parametrize("field, misspelt", [
    ("review-date: 2028-11-01", "reveiw-date: 2028-11-01"),
    ('version: "2.0"', 'verison: "2.0"'),
    ("date: 2026-11-01", "data: 2026-11-01"),
    ("author:", "auther:"),
])
def test_a_misspelt_required_field_is_an_error_with_the_spelling_it_should_have(
        tmp_path, caplog, field, misspelt):
    report = standard_report(tmp_path, COMPLETE_FRONT_MATTER.replace(field, misspelt, 1))
    wrong, meant = misspelt.split(":")[0], field.split(":")[0]
    errors = [f for f in report.findings if f.severity == ERROR and wrong in f.message]
    assert [(f.message, f.hint) for f in errors] == [
        (f"unknown front-matter field '{wrong}': did you mean '{meant}'? The leaflet has no "
         f"'{meant}' without it", f"write '{meant}:' instead of '{wrong}:'")]
    assert errors[0].where.startswith(f"front matter '{wrong}' (line ")
    # the build itself only warns: a draft may be half-written
    assert f"unknown front-matter field '{wrong}' is ignored; did you mean '{meant}'?" in caplog.text


def test_check_fails_on_a_misspelt_review_date_and_says_a_release_would_withdraw_it(
        tmp_path, caplog):
    report = standard_report(tmp_path, COMPLETE_FRONT_MATTER.replace("review-date:", "reveiw-date:"))
    assert [f.message for f in report.findings if f.severity == ERROR] == [
        "the leaflet has no review date, so a release withdraws it (a leaflet nobody plans to "
        "review is not handed out)",
        "unknown front-matter field 'reveiw-date': did you mean 'review-date'? The leaflet has "
        "no 'review-date' without it"]
    assert "did you mean 'review-date'?" in caplog.text


# --- structure --------------------------------------------------------------------------------------

def structure_report(tmp_path: Path, body: str) -> Report:
    (tmp_path / "spine.png").write_bytes((FIXTURES / "clinic-leaflet" / "riverside-logo.svg").read_bytes())
    article, doc = article_from(tmp_path, "---\ntitle: T\n---\n\n" + body)
    report = Report(article.path)
    check_structure(doc, article, report)
    return report


def test_well_structured_article_passes(tmp_path):
    body = ("## Causes\n\n### At work\n\nRead [NHS advice on sciatica](https://www.nhs.uk).\n\n"
            "![The lower spine](spine.png)\n\n| Exercise | How long |\n|---|---|\n| Walk | 10 minutes |\n")
    assert findings(structure_report(tmp_path, body)) == []


def test_image_without_alternative_text_is_an_error_with_its_line(tmp_path):
    report = structure_report(tmp_path, "## Causes\n\n![](spine.png)\n")
    assert findings(report) == [(ERROR, "the image 'spine.png' has no text alternative", "line 7")]


def test_skipped_heading_level_is_a_warning_with_its_line(tmp_path):
    report = structure_report(tmp_path, "## Causes\n\n#### At work\n\nText.\n")
    assert findings(report) == [(WARNING, "the heading 'At work' skips from level 2 to level 4", "line 7")]


def test_table_without_header_row_is_a_warning(tmp_path):
    report = structure_report(tmp_path, "## Exercises\n\n  ------ -----------\n  Walk   10 minutes\n"
                                        "  Swim   20 minutes\n  ------ -----------\n")
    assert [(s, m) for s, m, _ in findings(report)] == [
        (WARNING, "the table starting 'Walk' has no header row")]


def test_link_text_that_is_a_bare_address_is_a_warning(tmp_path):
    report = structure_report(tmp_path, "## More\n\nSee <https://www.nhs.uk/conditions/sciatica/>.\n")
    assert findings(report) == [(WARNING, "the link text is a bare address "
                                 "(https://www.nhs.uk/conditions/sciatica/)", "line 7")]


# --- readability ------------------------------------------------------------------------------------

EASY = "## Walk\n\nWalk a bit each day. It helps the pain. Stop if it hurts more.\n"
HARD = ("## Mechanisms\n\nNeuromuscular re-education facilitates proprioceptive recalibration, "
        "thereby ameliorating musculoskeletal dysfunction and consequently diminishing "
        "nociceptive transmission through the lumbosacral plexus.\n")


def readability_report(tmp_path: Path, body: str, extra: str = "") -> Report:
    article, doc = article_from(tmp_path, f"---\ntitle: T\nlang: en-GB\n{extra}---\n\n{body}")
    report = Report(article.path)
    check_readability(doc, article, report)
    return report


def test_plain_language_passes_readability(tmp_path):
    report = readability_report(tmp_path, EASY)
    assert findings(report) == []
    assert report.readability["article"]["flesch_kincaid_grade"] < 8
    assert report.readability["language"] == "en_US"


def test_hard_section_is_a_warning_naming_it_and_its_longest_sentence_and_words(tmp_path):
    report = readability_report(tmp_path, EASY + "\n" + HARD)
    warned = [f for f in report.findings if f.where.endswith("section 'Mechanisms'")]
    assert len(warned) == 1 and warned[0].severity == WARNING
    heading_line = report.leaflet.read_text(encoding="utf-8").split("\n").index("## Mechanisms") + 1
    assert warned[0].where == f"line {heading_line}, section 'Mechanisms'"
    assert "above the target-grade of 8" in warned[0].message
    assert "Neuromuscular re-education facilitates" in warned[0].hint
    assert "proprioceptive" in warned[0].hint
    assert not [f for f in report.findings if f.where.endswith("section 'Walk'")]


def test_above_max_grade_is_an_error(tmp_path):
    report = readability_report(tmp_path, HARD, extra="max-grade: 12\n")
    assert [f.severity for f in report.findings] == [ERROR, ERROR]  # whole article and section
    assert "above the max-grade of 12" in report.findings[0].message


def test_citations_and_the_reference_list_are_not_prose(tmp_path):
    body = EASY.replace("day.", "day [@smith2020].") + "\n## References\n\n::: {#refs}\n" + \
        "Smith J. Neuromuscular proprioceptive recalibration. J Physiother. 2020;12:1-9.\n:::\n"
    report = readability_report(tmp_path, body)
    assert findings(report) == []
    assert [s["title"] for s in report.readability["sections"]] == ["Walk"]


# --- PDF --------------------------------------------------------------------------------------------

def render(tmp_path: Path, css: str, body: str = "", **options) -> Path:
    """A page of real prose (the seed article's sentences) rendered by WeasyPrint."""
    sentences = ["Walk a little every day and stop if the pain gets worse."] + \
        article_sentences(SEED_PATH)[:40]
    paragraphs = "".join(f"<p>{' '.join(sentences[i:i + 4])}</p>" for i in range(0, 40, 4))
    html = (f"<html lang='en'><head><title>Leaflet</title><style>html {{ font-size: 13pt }} {css}"
            f"</style></head><body>{body or paragraphs}</body></html>")
    target = tmp_path / "leaflet.pdf"
    weasyprint.HTML(string=html).write_pdf(target, **options)
    return target


# The opening of render()'s first paragraph, as paragraph_openings() gives it.
WALK = [Opening("Walk a little every day and", OPENING)]


def pdf_report(pdf: Path, edition: str = "standard", openings: list[Opening] = WALK) -> Report:
    report = Report(pdf)
    check_pdf(pdf, EDITIONS[edition], openings, report)
    return report


def test_a_tagged_clear_pdf_passes(tmp_path):
    report = pdf_report(render(tmp_path, "", pdf_variant="pdf/ua-1"))
    assert findings(report) == []
    assert report.measurements["leaflet.pdf"]["body_pt"] == 13


def failed_clauses(report: Report) -> set[str]:
    """The PDF/UA-1 clauses (ISO 14289-1 and veraPDF's test number) the validator failed."""
    return {failure["clause"] for result in report.pdf_ua.values() for failure in result["failures"]}


def test_an_untagged_pdf_is_an_error(tmp_path):
    report = pdf_report(render(tmp_path, ""))
    assert {"6.2-1", "7.1-11", "5-1"} <= failed_clauses(report)
    untagged = next(f for f in report.findings if "6.2-1" in f.message)
    assert (untagged.severity, untagged.area, untagged.where) == (ERROR, "PDF/UA-1", "leaflet.pdf")
    assert untagged.message.startswith("rule 6.2-1 fails: the file does not say it is tagged, so")
    assert "PDFUA1-TAGGED-DOCUMENT-001" in untagged.message


def test_a_pdf_without_language_or_title_is_an_error(tmp_path, caplog):
    pdf = tmp_path / "bare.pdf"
    html = ("<html><body>" + "".join(f"<p>{s}</p>" for s in article_sentences(SEED_PATH)[:12])
            + "</body></html>")
    weasyprint.HTML(string=html).write_pdf(pdf, pdf_variant="pdf/ua-1")
    assert 'Missing required "lang"' in caplog.text  # WeasyPrint's own complaint
    report = pdf_report(pdf, openings=[])
    # WeasyPrint writes an empty /Lang, which is no language tag.
    assert {"7.1-9", "7.2-29"} <= failed_clauses(report)
    title = next(f for f in report.findings if "7.1-9" in f.message)
    assert title.hint == "set 'title:' in the article's front matter"
    language = next(f for f in report.findings if "7.2-29" in f.message)
    assert language.hint == "set 'lang:' to a language code such as en-GB, ur or zh-CN"


def test_headings_out_of_order_in_the_structure_tree_are_an_error(tmp_path):
    body = ("<h1>Sciatica</h1><p>Walk a little every day and stop if the pain gets worse.</p>"
            "<h4>Heat</h4><p>A warm pack eases the muscles of the lower back.</p>")
    report = pdf_report(render(tmp_path, "", body=body, pdf_variant="pdf/ua-1"))
    assert failed_clauses(report) == {"7.4.2-1"}
    assert messages(report, WARNING) == []


def test_lines_too_long_to_read_are_a_warning(tmp_path):
    report = pdf_report(render(tmp_path, "@page { size: A3 landscape; margin: 1cm }",
                               pdf_variant="pdf/ua-1"))
    (message,) = messages(report, WARNING)
    assert message.startswith("lines hold ") and message.endswith("characters; 60-75 read best")


def test_text_that_cannot_be_extracted_is_an_error(tmp_path):
    """The opening sentence drawn as a picture (SVG text is outlines in the PDF) is not text."""
    sentence = "Walk a little every day and stop if the pain gets worse."
    picture = ("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='600' "
               "height='30'><path d='M0 0 L600 0 L600 30 Z'/></svg>")
    body = f"<img src=\"{picture}\" alt=\"{sentence}\"><p>The rest of the leaflet is text.</p>"
    report = pdf_report(render(tmp_path, "", body=body, pdf_variant="pdf/ua-1"))
    assert messages(report, ERROR) == [
        "the article's text cannot be extracted in reading order: the paragraph starting "
        "“Walk a little every day and” (section 'Opening (before the first heading)') is not "
        "in the PDF's text"]


def test_a_font_that_is_not_embedded_is_an_error(tmp_path):
    """A PDF that only names Helvetica, as office programs write them, and the pipeline's own."""
    document = pydyf.PDF()
    font = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica"})
    document.add_object(font)
    text = pydyf.Stream()
    text.begin_text()
    text.set_font_size("F1", 12)
    text.set_text_matrix(1, 0, 0, 1, 72, 720)
    text.show_text(pydyf.String("Walk a little every day."))
    text.end_text()
    document.add_object(text)
    document.add_page(pydyf.Dictionary({
        "Type": "/Page", "Parent": document.pages.reference, "MediaBox": pydyf.Array([0, 0, 595, 842]),
        "Contents": text.reference,
        "Resources": pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": font.reference})})}))
    office = tmp_path / "office.pdf"
    with office.open("wb") as handle:
        document.write(handle)
    report = Report(office)
    check_pdfua(office, "standard", THEME_DIR, report)
    assert "7.21.4.1-1" in failed_clauses(report)
    (embedding,) = [f for f in report.findings if "7.21.4.1-1" in f.message]
    assert "a font is not in the file" in embedding.message

    ours = Report(office)
    check_pdfua(render(tmp_path, "", pdf_variant="pdf/ua-1"), "standard", THEME_DIR, ours)
    assert ours.findings == []
    assert ours.pdf_ua["leaflet.pdf"]["rules_passed"] == ours.pdf_ua["leaflet.pdf"]["rules_total"] == 104


def test_text_under_the_editions_minimum_is_an_error(tmp_path):
    report = pdf_report(render(tmp_path, "", pdf_variant="pdf/ua-1"), edition="large-print")
    assert messages(report, ERROR) == [
        "body text is 13 pt; the large-print edition needs at least 18 pt",
        "some text is 13 pt; the large-print edition allows nothing under 16 pt"]


def test_low_contrast_text_is_an_error_naming_colour_and_ratio(tmp_path):
    report = pdf_report(render(tmp_path, "p { color: #aaaaaa }", pdf_variant="pdf/ua-1"))
    (message,) = messages(report, ERROR)
    assert message.startswith("text in colour #aaaaaa has a contrast of 2.32:1 (page 1)")


def test_justified_text_is_a_warning(tmp_path):
    report = pdf_report(render(tmp_path, "p { text-align: justify }", pdf_variant="pdf/ua-1"))
    assert messages(report, WARNING) == ["the text is justified; clear print is left aligned"]


def test_image_without_alternative_text_in_the_structure_tree_is_an_error(tmp_path):
    logo = (FIXTURES / "clinic-leaflet" / "riverside-logo.svg").as_uri()
    body = f"<p>Walk a little every day and stop if it hurts.</p><img src='{logo}'>"
    report = pdf_report(render(tmp_path, "", body=body, pdf_variant="pdf/ua-1"))
    assert "7.3-1" in failed_clauses(report)
    (figure,) = [f for f in report.findings if "7.3-1" in f.message]
    assert figure.where == "leaflet.pdf, page 1" or figure.where == "leaflet.pdf"
    assert figure.hint == "describe every image: ![what it shows](file)"


def picture_only_pdf(tmp_path: Path) -> Path:
    """A leaflet scanned or exported as one picture: WeasyPrint draws the SVG as paths."""
    picture = ("data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='400' "
               "height='600'><path d='M0 0 L400 0 L400 600 Z'/></svg>")
    return render(tmp_path, "", body=f"<img src=\"{picture}\" alt=\"The leaflet\">",
                  pdf_variant="pdf/ua-1")


def blank_page_pdf(tmp_path: Path) -> Path:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    target = tmp_path / "blank.pdf"
    writer.write(target)
    return target


@pytest.mark.parametrize("make_pdf", [picture_only_pdf, blank_page_pdf])
def test_a_pdf_without_text_is_an_error_not_a_crash(tmp_path, make_pdf):
    pdf = make_pdf(tmp_path)
    report = pdf_report(pdf)
    no_text = [f for f in report.findings if "no text" in f.message]
    assert [(f.severity, f.message, f.where) for f in no_text] == [
        (ERROR, "the PDF has no text a screen reader can read: its pages are empty or hold "
                "only pictures", pdf.name)]
    assert "not as pictures of text" in no_text[0].hint
    assert report.measurements == {}  # nothing to measure, and no text to find paragraphs in
    assert not [m for m in messages(report, ERROR) if "reading order" in m]


def test_a_pdf_with_no_long_lines_measures_the_body_from_all_its_text(tmp_path):
    """An edition without paragraphs (a poster of short lines) is measured, not a crash."""
    body = "".join(f"<p>{line}</p>" for line in ("Walk every day.", "Stop if it hurts.",
                                                 "Call us on 0113 496 0000."))
    report = pdf_report(render(tmp_path, "", body=body, pdf_variant="pdf/ua-1"), openings=[])
    assert findings(report) == []
    assert report.measurements["leaflet.pdf"]["body_pt"] == 13


# --- reading order ----------------------------------------------------------------------------------

def seed_paragraphs(count: int) -> list[str]:
    """Paragraphs of real prose, each opening differently."""
    sentences = article_sentences(SEED_PATH)
    return [" ".join(sentences[i * 3:i * 3 + 3]) for i in range(count)]


def reading_order_report(tmp_path: Path, paragraphs: list[str], printed: list[int]) -> Report:
    """The check of a PDF that prints ``paragraphs`` in the order ``printed`` against the
    openings pandoc gives for the article that has them in their own order."""
    markdown = "---\ntitle: T\n---\n\n## Exercise\n\n" + "\n\n".join(paragraphs) + "\n"
    _, doc = article_from(tmp_path, markdown)
    body = "<h1>T</h1><h2>Exercise</h2>" + "".join(f"<p>{html.escape(paragraphs[i])}</p>" for i in printed)
    return pdf_report(render(tmp_path, "", body=body, pdf_variant="pdf/ua-1"),
                      openings=paragraph_openings(doc))


def test_paragraphs_in_the_articles_order_pass(tmp_path):
    report = reading_order_report(tmp_path, seed_paragraphs(4), printed=[0, 1, 2, 3])
    assert findings(report) == []


def test_paragraphs_out_of_order_are_an_error_quoting_the_first_one(tmp_path):
    paragraphs = seed_paragraphs(4)
    report = reading_order_report(tmp_path, paragraphs, printed=[0, 2, 1, 3])
    second, third = (" ".join(paragraphs[i].split()[:6]) for i in (1, 2))
    assert findings(report) == [(
        ERROR, f"a screen reader reads the paragraph starting “{third}” (section 'Exercise') "
               f"before the one starting “{second}” (section 'Exercise'), which comes before it "
               "in the article", "leaflet.pdf")]
    assert "styles/" in report.findings[0].hint


def test_paragraphs_a_style_moves_are_out_of_order(tmp_path):
    """A stylesheet that reverses a column of paragraphs: WeasyPrint tags them in the
    order they are shown, so a screen reader reads them reversed too."""
    paragraphs = seed_paragraphs(3)
    _, doc = article_from(tmp_path, "---\ntitle: T\n---\n\n" + "\n\n".join(paragraphs) + "\n")
    body = ("<div style='display: flex; flex-direction: column-reverse'>"
            + "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs) + "</div>")
    report = pdf_report(render(tmp_path, "", body=body, pdf_variant="pdf/ua-1"),
                        openings=paragraph_openings(doc))
    (message,) = messages(report, ERROR)
    second = " ".join(paragraphs[1].split()[:6])
    assert message.startswith(f"a screen reader reads the paragraph starting “{second}”")


def test_paragraph_openings_leave_out_lists_tables_references_and_short_paragraphs(tmp_path):
    _, doc = article_from(tmp_path, (
        "---\ntitle: T\n---\n\nWalk a little every day and stop if it hurts.\n\n"
        "## Heat\n\nA warm pack [@smith2020] eases the muscles.\n\nYes, often.\n\n"
        "- Walk a little every day\n\n| Exercise | How long |\n|---|---|\n| Walk | 10 minutes |\n\n"
        "> Heat helps most in the first days.\n\n"
        "::: {#refs}\nSmith J. Heat and back pain. J Physiother. 2020;12:1-9.\n:::\n"))
    assert paragraph_openings(doc) == [
        Opening("Walk a little every day and", OPENING),
        Opening("A warm pack", "Heat"),  # a citation's printed marker is not in the source
        Opening("Heat helps most in the first", "Heat")]


# --- EPUB -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built_epub(tmp_path_factory) -> Path:
    (epub,) = build(FIXTURES / "epub-leaflet" / "sciatica-exercises.md",
                    Settings(formats=("epub",), out_dir=tmp_path_factory.mktemp("epub")))
    return epub


def rewritten(epub: Path, target: Path, name: str, change) -> Path:
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(target, "w") as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            copy.writestr(info, change(data) if info.filename == name else data)
    return target


def test_the_built_epub_passes_epubcheck_and_has_its_metadata(built_epub):
    report = Report(built_epub)
    check_with_epubcheck(built_epub, report)
    check_accessibility_metadata(built_epub, report)
    assert findings(report) == []


def test_epubcheck_errors_are_errors(built_epub, tmp_path):
    broken = rewritten(built_epub, tmp_path / "broken.epub", "EPUB/text/ch001.xhtml",
                       lambda data: data.replace(b"</body>", b"<p>unclosed</body>"))
    report = Report(broken)
    check_with_epubcheck(broken, report)
    assert report.count(ERROR) >= 1
    assert all(f.where.startswith("broken.epub: ") for f in report.findings)


def test_missing_accessibility_metadata_is_an_error(built_epub, tmp_path):
    stripped = rewritten(built_epub, tmp_path / "stripped.epub", "EPUB/content.opf",
                         lambda data: data.replace(b"schema:accessibilitySummary", b"schema:description"))
    report = Report(stripped)
    check_accessibility_metadata(stripped, report)
    assert messages(report, ERROR) == ["the accessibility metadata 'schema:accessibilitySummary' is missing"]


# --- the command ------------------------------------------------------------------------------------

@pytest.fixture
def passing_leaflet(tmp_path) -> Path:
    folder = tmp_path / "leaflets"
    shutil.copytree(FIXTURES / "clinic-leaflet", folder)
    article = folder / "sciatica-exercises.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        'version: "1.0"', 'version: "1.0"\nreview-date: 2030-01-01\nalternative-formats: [large print]'),
        encoding="utf-8")
    return article


def test_check_writes_json_and_html_reports_and_passes_a_good_leaflet(passing_leaflet, tmp_path, capsys):
    assert main(["check", str(passing_leaflet), "--out", str(tmp_path / "out")]) == EXIT_OK
    out = capsys.readouterr().out
    assert "0 error(s)" in out
    report = (tmp_path / "out" / "sciatica-exercises.report.json").read_text(encoding="utf-8")
    assert '"errors": 0' in report
    html = (tmp_path / "out" / "sciatica-exercises.report.html").read_text(encoding="utf-8")
    assert "Leaflet check: sciatica-exercises.md" in html and "Readability" in html


def test_check_fails_on_an_error(passing_leaflet, tmp_path, capsys):
    text = passing_leaflet.read_text(encoding="utf-8")
    passing_leaflet.write_text(text.replace("review-date: 2030-01-01", "review-date: 2020-01-01"),
                               encoding="utf-8")
    assert main(["check", str(passing_leaflet), "--out", str(tmp_path / "out")]) == EXIT_DOCUMENT
    assert "the review date 2020-01-01 has passed" in capsys.readouterr().out


@pytest.mark.parametrize("severity, strict, fails", [
    (ERROR, False, True), (WARNING, False, False), (WARNING, True, True),
    (NOT_RUN, False, False), (NOT_RUN, True, True)])
def test_errors_fail_and_strict_also_fails_on_warnings_and_checks_not_run(severity, strict, fails):
    report = Report(Path("leaflet.md"))
    report.add(severity, "EPUB", "something", "leaflet.epub")
    assert report.failed(strict) is fails

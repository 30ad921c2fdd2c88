"""Every PDF edition (standard, large print, A5, the imposed booklet) of every fixture leaflet,
in every script the project sets, against PDF/UA-1 rule by rule (page-validation, veraPDF's
profile) and against the structure tree read by hand: no marked content the tree does not
reach, page furniture an /Artifact of /Type /Pagination, a draft's notice the first thing
in the tree, and the booklet's sheets carrying the A5 file's tags, language, title and links.

Each leaflet is built once for the session, in all three printed editions.
"""
from __future__ import annotations

from pathlib import Path

import page
import pdfplumber
import pypdf
import pytest
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject

from pipeline import Settings, build
from pipeline.checks.findings import Report
from pipeline.checks.pdfua import check_pdfua, explain, rule_explanations
from pipeline.checks.report import validator_rows
from pipeline.config import THEME_DIR
from pipeline.errors import SetupError, StyleError
from pipeline.printed.tagging import WEASYPRINT_VERSION, check_weasyprint_version
from pipeline.theme.strings import strings_for
from pipeline.article.front_matter import load_article
from building import FIXTURES, PROJECT_ROOT, warnings_recorded

TRANSLATED = FIXTURES / "translated-leaflet"
SCRIPTS = FIXTURES / "pdf-ua-scripts"
# name: (the article, its script)
LEAFLETS = {
    "sciatica-massage": (PROJECT_ROOT / "source" / "sciatica-massage.md", "Latin"),
    "clinic": (FIXTURES / "clinic-leaflet" / "sciatica-exercises.md", "Latin"),
    "figures-and-tables": (FIXTURES / "figure-and-tables-leaflet" / "knee-exercises.md", "Latin"),
    "easy-read": (FIXTURES / "easy-read-leaflet" / "sciatica-exercises.easy-read.md", "Latin"),
    "pl": (TRANSLATED / "sciatica-exercises.pl.md", "Latin"),
    "ar": (TRANSLATED / "sciatica-exercises.ar.md", "Arabic"),
    "ur": (TRANSLATED / "sciatica-exercises.ur.md", "Nastaliq"),
    "hi": (TRANSLATED / "sciatica-exercises.hi.md", "Devanagari"),
    "ta": (SCRIPTS / "exercises-tamil.md", "Tamil"),
    "zh-CN": (TRANSLATED / "sciatica-exercises.zh-CN.md", "CJK"),
    "am": (SCRIPTS / "exercises-amharic.md", "Ethiopic"),
}
EDITION_FILES = ("pdf", "large-print.pdf", "a5.pdf", "booklet.pdf")
# What building them may warn of: languages without a strings file or a CSL locale.
MAY_WARN = ("does not exist: the pipeline's own words in this leaflet are in English",
            "no CSL locale for")
# Rule 7.21.7-1 (a ToUnicode map for every glyph), which WeasyPrint's empty entries broke in
# these scripts until pipeline/printed/text_layer.py. Their glyphs' own text (pdfplumber's, which
# reads no ActualText) is still not their words: their ActualText is.
TEXT_LAYER_FAULT = "PDFUA1-FONT-UNICODE-MAPPING-001"
GLYPH_TEXT_NOT_THE_WORDS = {"ar", "ur", "hi", "ta"}
DRAFTS = {name for name, (article, _) in LEAFLETS.items() if load_article(article).is_draft}
DRAFT_MARK = "DRAFT — not approved for patients"  # in English, the strings' fallback


@pytest.fixture(scope="session")
def editions(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """Every leaflet's PDF editions, by leaflet and by file ("pdf", "booklet.pdf"...)."""
    built = {}
    for name, (article, _script) in LEAFLETS.items():
        out = tmp_path_factory.mktemp(f"pdf-ua-{name}")
        with warnings_recorded() as recorder:
            written = build(article, Settings(formats=("pdf",), out_dir=out,
                                              editions=("standard", "large-print", "booklet")))
        assert [m for m in recorder.messages if not any(w in m for w in MAY_WARN)] == []
        built[name] = {path.name.removeprefix(article.stem).lstrip(".") or "pdf": path
                       for path in written}
        assert set(built[name]) == set(EDITION_FILES)
    return built


ALL_FILES = [(name, file) for name in LEAFLETS for file in EDITION_FILES]


def file_id(case) -> str:
    return f"{case[0]}-{LEAFLETS[case[0]][1]}-{case[1]}"


@pytest.mark.parametrize("case", ALL_FILES, ids=file_id)
def test_every_edition_passes_pdf_ua_1(editions, case):
    name, file = case
    result = page.validate_pdf(editions[name][file], profile="ua1")
    failed = {failure.rule_id: failure.message for failure in result.failures}
    assert result.is_compliant
    assert failed == {}
    assert result.rules.total == 104


# --- the structure tree, read by hand -----------------------------------------------------------

def tree_marks(reader: pypdf.PdfReader) -> list[tuple[int, int, str]]:
    """(page or XObject holding it, MCID, structure type) of each marked-content sequence the
    structure tree reaches, in the tree's order."""
    found = []
    pending = [(reader.trailer["/Root"]["/StructTreeRoot"].raw_get("/K"), None, None)]
    while pending:
        node, owner, kind = pending.pop()
        item = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(item, int):  # an MCID on the element's page
            found.append((owner, int(item), kind))
        elif isinstance(item, ArrayObject):
            pending.extend((kid, owner, kind) for kid in reversed(item))
        elif isinstance(item, DictionaryObject):
            if "/Pg" in item:
                owner = item.raw_get("/Pg").idnum
            if item.get("/Type") == "/MCR":  # in another content stream (/Stm), or on /Pg
                holder = item.raw_get("/Stm").idnum if "/Stm" in item else owner
                found.append((holder, int(item["/MCID"]), kind))
            elif item.get("/Type") != "/OBJR" and "/K" in item:
                pending.append((item.raw_get("/K"), owner, str(item.get("/S", kind))))
    return found


def content_marks(reader: pypdf.PdfReader) -> list[tuple[int, int | None, str, dict]]:
    """(page or XObject, MCID, tag, properties) of every marked-content sequence drawn, in
    every page's content and every Form XObject it draws; a sequence nested inside one
    with an MCID (the text layer's ActualText for pdfium) has that MCID's content: it is
    given the MCID it is inside of."""
    marks = []

    def scan(owner: int, stream, resources) -> None:
        enclosing: list[int | None] = []  # the MCID each open sequence is or is inside of
        for operands, operator in ContentStream(stream, reader).operations:
            if operator in (b"BDC", b"BMC"):
                properties = operands[1] if operator == b"BDC" else DictionaryObject()
                if not isinstance(properties, DictionaryObject):
                    properties = resources["/Properties"][properties].get_object()
                mcid = properties.get("/MCID")
                inside = next((m for m in reversed(enclosing) if m is not None), None)
                enclosing.append(mcid if mcid is not None else inside)
                if mcid is None and inside is not None:
                    marks.append((owner, inside, str(operands[0]), dict(properties)))
                else:
                    marks.append((owner, mcid, str(operands[0]), dict(properties)))
            elif operator == b"EMC":
                enclosing.pop()
            elif operator == b"Do":
                reference = resources["/XObject"].raw_get(operands[0])
                xobject = reference.get_object()
                if xobject["/Subtype"] == "/Form":
                    scan(reference.idnum, xobject, xobject.get("/Resources", resources))

    for sheet in reader.pages:
        scan(sheet.indirect_reference.idnum, sheet.get_contents(), sheet["/Resources"])
    return marks


@pytest.mark.parametrize("case", ALL_FILES, ids=file_id)
def test_all_marked_content_is_in_the_tree_or_a_declared_artifact(editions, case):
    reader = pypdf.PdfReader(editions[case[0]][case[1]])
    reached = {(owner, mcid) for owner, mcid, _kind in tree_marks(reader)}
    marks = content_marks(reader)
    assert [m for m in marks if m[1] is not None and (m[0], m[1]) not in reached] == []
    assert {tag for _owner, mcid, tag, _ in marks if mcid is None} <= {"/Artifact"}
    # The running footer of every page ("Page 1 of 6", the title, the version) is pagination;
    # on the booklet's sheets, inside each A5 page's XObject.
    with_footer = {owner for owner, _mcid, _tag, properties in marks
                   if properties.get("/Type") == "/Pagination" and properties.get("/Subtype") == "/Footer"}
    pages = len(pypdf.PdfReader(editions[case[0]]["a5.pdf"]).pages) if case[1] == "booklet.pdf" \
        else len(reader.pages)
    assert len(with_footer) == pages


@pytest.mark.parametrize("name", LEAFLETS)
def test_the_page_furniture_text_is_an_artifact_a_screen_reader_skips(editions, name):
    """The footer's page numbers and title, read from the page: drawn, but outside the tree."""
    with pdfplumber.open(editions[name]["pdf"]) as document:
        for page_box in document.pages:
            footer = [c for c in page_box.chars if c["top"] > page_box.height * 0.9 and c["text"].strip()]
            assert footer, f"page {page_box.page_number} has no footer"
            assert {(c.get("tag"), c.get("mcid")) for c in footer} == {("Artifact", None)}


@pytest.mark.parametrize("name", sorted(DRAFTS))
@pytest.mark.parametrize("file", ("pdf", "large-print.pdf", "a5.pdf"))  # the booklet: the A5's tree
def test_a_drafts_notice_is_the_first_structure_element(editions, name, file):
    """The notice is the first paragraph of the tree and the topmost text of page 1."""
    with pdfplumber.open(editions[name][file]) as document:
        (root,) = document.structure_tree
        first = root["children"][0]
        page_one = [c for c in document.pages[0].chars if c["text"].strip()]
    assert (first["type"], first["page_number"]) == ("P", 1)
    notice = [c for c in page_one if c.get("mcid") in mcids_under(first)]
    others = [c for c in page_one if c not in notice and c.get("tag") != "Artifact"]
    assert notice and max(c["bottom"] for c in notice) < min(c["top"] for c in others)
    if name not in GLYPH_TEXT_NOT_THE_WORDS:  # glyphs that read back as written
        lang = pypdf.PdfReader(editions[name][file]).trailer["/Root"]["/Lang"]
        mark = strings_for(str(lang), THEME_DIR).word("draft-mark")
        assert "".join(c["text"] for c in notice) == "".join(mark.split())  # spaces are not drawn


def mcids_under(element: dict) -> set[int]:
    found = set(element.get("mcids", []))
    for child in element.get("children", []):
        found |= mcids_under(child)
    return found


@pytest.mark.parametrize("name", sorted(set(LEAFLETS) - DRAFTS))
def test_an_approved_leaflet_has_no_draft_notice(editions, name):
    with pdfplumber.open(editions[name]["pdf"]) as document:
        assert DRAFT_MARK not in "".join(c["text"] for p in document.pages for c in p.chars)


# --- the booklet ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", LEAFLETS)
def test_the_booklet_carries_the_a5_files_tags_language_title_and_links(editions, name):
    a5, booklet = (pypdf.PdfReader(editions[name][file]) for file in ("a5.pdf", "booklet.pdf"))
    a5_root, sheets_root = a5.trailer["/Root"], booklet.trailer["/Root"]
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
        assert sheets_root[key] == a5_root[key]
    assert booklet.metadata.title == a5.metadata.title
    assert booklet.xmp_metadata.dc_title == a5.xmp_metadata.dc_title
    assert b"pdfuaid:part" in sheets_root["/Metadata"].get_data()
    # The same structure: the same elements, reaching as many marked sequences.
    assert [kind for _, _, kind in tree_marks(booklet)] == [kind for _, _, kind in tree_marks(a5)]
    # Every link, on a sheet, in the structure tree (its /StructParent), pointing where it did.
    links = [a.get_object() for sheet in booklet.pages for a in sheet.get("/Annots", ())]
    a5_links = [a.get_object() for p in a5.pages for a in p.get("/Annots", ())]
    assert sorted(str(a.get("/Dest")) for a in links) == sorted(str(a.get("/Dest")) for a in a5_links)
    assert all("/StructParent" in a for a in links)
    assert all(sheet["/Tabs"] == "/S" for sheet in booklet.pages if "/Annots" in sheet)
    sheets = {sheet.indirect_reference.idnum for sheet in booklet.pages}
    for destination in booklet.named_destinations.values():
        assert destination.page.idnum in sheets


@pytest.mark.parametrize("name", ["sciatica-massage", "ar"])
def test_the_booklet_reads_in_the_a5_files_order(editions, name):
    """A screen reader follows the tree, not the sheets: the booklet's text in tree order is
    the A5 file's, whatever order the pages are printed in."""
    def in_tree_order(pdf: Path, imposed: bool) -> str:
        reader = pypdf.PdfReader(pdf)
        owners = {}  # page or A5 page's XObject -> (page number, half of the sheet it is on)
        for page_number, sheet in enumerate(reader.pages, start=1):
            owners[sheet.indirect_reference.idnum] = (page_number, 0)
            half_width, moved_by = float(sheet.mediabox.width) / 2, 0.0
            for operands, operator in ContentStream(sheet.get_contents(), reader).operations:
                if operator == b"cm":
                    moved_by = float(operands[4])
                elif operator == b"Do":
                    form = sheet["/Resources"]["/XObject"].raw_get(operands[0]).idnum
                    owners[form] = (page_number, int(moved_by >= half_width))
        order = {(*owners[owner], mcid): index
                 for index, (owner, mcid, _) in enumerate(tree_marks(reader))}
        with pdfplumber.open(pdf) as document:
            chars = [(c["page_number"], int(imposed and c["x0"] >= p.width / 2), c["mcid"], c["text"])
                     for p in document.pages for c in p.chars
                     if c.get("mcid") is not None and c["text"].strip()]
        assert all((page_number, half, mcid) in order for page_number, half, mcid, _ in chars)
        return "".join(text for *_, text in sorted(chars, key=lambda c: order[c[:3]]))
    assert in_tree_order(editions[name]["booklet.pdf"], True) == in_tree_order(editions[name]["a5.pdf"], False)


# --- make check's words for each rule ---------------------------------------------------------------

def test_every_rule_has_its_clause_and_what_it_means_for_a_reader():
    explained = rule_explanations(THEME_DIR)
    assert len(explained["rules"]) == 104
    for rule, words in explained["rules"].items():
        assert rule.startswith("PDFUA1-") and words["clause"] and words["meaning"], rule
    assert explained["rules"][TEXT_LAYER_FAULT]["clause"] == "7.21.7-1"


def test_a_rule_the_list_does_not_know_is_still_shown_with_the_validators_words():
    failure = explain("PDFUA1-NEW-RULE-001", "page 3 has something new", rule_explanations(THEME_DIR))
    assert (failure.clause, failure.page, failure.detail) == ("", 3, "page 3 has something new")
    assert failure.meaning == rule_explanations(THEME_DIR)["unknown-rule"]


def test_the_report_shows_each_editions_result_beside_the_epub_checkers(editions):
    report = Report(Path("sciatica-massage.md"))
    for file in EDITION_FILES:
        check_pdfua(editions["sciatica-massage"][file], file, THEME_DIR, report)
    report.outputs = ["out/sciatica-massage.epub"]
    report.add("error", "EPUB", "EPUBCheck RSC-005: an error", "sciatica-massage.epub: x.xhtml")
    rows = validator_rows(report)
    assert [(row.checker, row.passed, row.result) for row in rows] == [
        *[("PDF/UA-1 (page-validation)", True, "104 of 104 rules passed")] * 4,
        ("EPUBCheck", False, "1 error(s), 0 warning(s)"), ("DAISY Ace", True, "0 error(s), 0 warning(s)")]
    assert report.as_dict()["pdf_ua"]["sciatica-massage.booklet.pdf"]["rules_passed"] == 104


def test_a_weasyprint_other_than_the_one_the_tagging_is_written_for_is_refused():
    check_weasyprint_version(WEASYPRINT_VERSION)
    with pytest.raises(SetupError, match="WeasyPrint 71.0 is installed"):
        check_weasyprint_version("71.0")


def test_a_missing_rules_file_is_a_clear_error(tmp_path):
    with pytest.raises(StyleError, match="cannot read the PDF/UA rules' explanations") as raised:
        rule_explanations(tmp_path)
    assert raised.value.file == tmp_path / "checks" / "pdf-ua-1.yaml"

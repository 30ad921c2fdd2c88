"""`make check` on leaflets in every script: true findings on Arabic, Urdu, Hindi,
Chinese, Tamil, Bengali and Farsi, read from the PDFs and braille the real pipeline builds.

A PDF's text reads back from it in drawing order (a right-to-left line left to right),
its complex-script lines from their ActualText (``printed/text_layer.py``): the reading
order check passes a correct leaflet with neither error nor warning, and still finds a
paragraph that a style hides or a style that reverses the order. Clear print is measured
on the glyphs (a vowel sign or a Nastaliq dot has an empty box), and braille is read
back like with like.

Built once for the module: each translation in ``fixtures/translated-leaflet`` and each
leaflet in ``fixtures/text-layer`` as it is; each with its last paragraph hidden by a
style (``display: none``); each with its blocks shown in reverse order by a style; and
the Arabic and Urdu braille.
"""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from pipeline import Settings, build
from pipeline.config import THEME_DIR
from pipeline.build import prepare
from pipeline.checks import ERROR, WARNING, Report
from pipeline.checks.braille import check_brf, read_pages
from pipeline.checks.pdf import check_pdf
from pipeline.checks.reading_order import Opening, paragraph_openings
from pipeline.config import MIN_TEXT_CONTRAST
from pipeline.printed.editions import EDITIONS
from pipeline.pandoc.run import markdown_to_ast
from pipeline.article.front_matter import load_article
from building import FIXTURES, PROJECT_ROOT, warnings_recorded

TRANSLATED = FIXTURES / "translated-leaflet"
STEM = "sciatica-exercises"
# Each leaflet by its language: the translations, and the text layer's own leaflets.
SOURCES = {**{lang: TRANSLATED / f"{STEM}.{lang}.md" for lang in ("ar", "ur", "hi", "zh-CN")},
           **{lang: FIXTURES / "text-layer" / f"sciatica-massage.{lang}.md"
              for lang in ("ta", "bn", "fa")}}
LANGUAGES = tuple(SOURCES)
# What the builds may warn about, and nothing else: Urdu, Tamil and Bengali have no CSL
# locale; Tamil may have no strings file yet (the pipeline's words then print in English).
EXPECTED_BUILD_WARNINGS = {"ur": ["no CSL locale for Urdu"], "bn": ["no CSL locale for Bengali"],
                           "ta": ["no CSL locale for Tamil", "strings/ta.yaml does not exist"]}
# Urdu's own table alone has no Latin letters, full stop or brackets: a build with it says so.
URDU_TABLE_ALONE = "ur-pk-g1.utb"
URDU_TABLE_ALONE_WARNING = ("the braille table ur-pk-g1.utb has no braille for 28 of the "
                            "article's characters: '(' (U+0028), ')' (U+0029), '.' (U+002E)")
# A clinic's styles that hide a block, or show the article's blocks in reverse order.
HIDDEN, REVERSED = "hidden-by-a-style", "reversed-by-a-style"
FAULTY_STYLES = f"""
.{HIDDEN} {{ display: none }}
.{REVERSED} {{ display: flex; flex-direction: column-reverse }}
"""



def built(source: Path, settings: Settings, also_expected: tuple[str, ...] = ()) -> dict[str, Path]:
    """The files one build wrote, by suffix ("pdf", "brf"). The build warns of what is
    expected of its language, of each of ``also_expected``, and of nothing else."""
    with warnings_recorded() as recorder:
        written = build(source, settings)
    lang = source.stem.split(".", 1)[1]
    expected = [*EXPECTED_BUILD_WARNINGS.get(lang, []), *also_expected]
    assert [m for m in recorder.messages if not any(e in m for e in expected)] == []
    assert all(any(e in m for m in recorder.messages) for e in also_expected)
    return {path.name.removeprefix(source.stem).lstrip("."): path for path in written}


def last_paragraph_hidden(markdown: str) -> str:
    """The article with its last paragraph in a block a style hides."""
    head, _, last = markdown.rstrip().rpartition("\n\n")
    return f"{head}\n\n::: {{.{HIDDEN}}}\n{last}\n:::\n"


def blocks_reversed(markdown: str) -> str:
    """The article's body in a block a style shows from the bottom up."""
    _, front, body = markdown.split("---\n", 2)
    return f"---\n{front}---\n\n::: {{.{REVERSED}}}\n{body.strip()}\n:::\n"


@pytest.fixture(scope="module")
def faulty_styles(tmp_path_factory) -> Path:
    """The styles with a clinic's rules added to its paper stylesheets: not to leaflet.css,
    whose classes are the pipeline's own parts, which the build takes off an article."""
    theme_dir = tmp_path_factory.mktemp("styles") / "styles"
    shutil.copytree(PROJECT_ROOT / "styles", theme_dir)
    for paper in (theme_dir / "paper").glob("*.css"):
        with paper.open("a", encoding="utf-8") as css:
            css.write(FAULTY_STYLES)
    return theme_dir


@pytest.fixture(scope="module")
def leaflets(tmp_path_factory, faulty_styles) -> dict[tuple[str, str], tuple[Path, dict[str, Path]]]:
    """(language, "as written" | HIDDEN | REVERSED): the article and its standard PDF."""
    found = {}
    for case, change in (("as written", None), (HIDDEN, last_paragraph_hidden),
                         (REVERSED, blocks_reversed)):
        folder = tmp_path_factory.mktemp(case.replace(" ", "-"))
        for name in ("references.json", f"{STEM}.md"):  # the translations name their source
            shutil.copy(TRANSLATED / name, folder)
        for lang, original in SOURCES.items():
            source = folder / original.name
            text = original.read_text(encoding="utf-8")
            source.write_text(change(text) if change else text, encoding="utf-8")
            theme_dir = faulty_styles if change else PROJECT_ROOT / "styles"
            settings = Settings(formats=("pdf",), editions=("standard",), out_dir=folder / "out",
                                theme_dir=theme_dir)
            found[(lang, case)] = (source, built(source, settings))
    return found


def openings_of(source: Path) -> list[Opening]:
    article = load_article(source)
    return paragraph_openings(markdown_to_ast(article.markdown, source, 60))


def pdf_findings(leaflets, lang: str, case: str) -> tuple[Report, list[Opening]]:
    source, outputs = leaflets[(lang, case)]
    openings = openings_of(SOURCES[lang])  # the article as written
    report = Report(source)
    check_pdf(outputs["pdf"], EDITIONS["standard"], openings, report)
    return report, openings


def messages(report: Report, severity: str) -> list[str]:
    return [finding.message for finding in report.findings if finding.severity == severity]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_correct_leaflet_passes_in_every_script(leaflets, lang):
    report, openings = pdf_findings(leaflets, lang, "as written")
    assert len(openings) >= 2  # Chinese too: each character counts as a word
    assert messages(report, ERROR) == []
    assert messages(report, WARNING) == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_clear_print_is_measured_on_the_glyphs(leaflets, lang):
    """No 1:1 contrast from a mark's empty box, no justified text from lines set flush
    right, no long lines from vowel signs or guessed spaces counted as characters."""
    report, _ = pdf_findings(leaflets, lang, "as written")
    (figures,) = report.measurements.values()
    assert figures["lowest_contrast"] >= MIN_TEXT_CONTRAST
    assert figures["justified"] is False
    assert 20 <= figures["line_length_median"] <= 75


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_paragraph_a_style_hides_is_still_found_missing(leaflets, lang):
    report, openings = pdf_findings(leaflets, lang, HIDDEN)
    assert messages(report, ERROR) == [
        "the article's text cannot be extracted in reading order: the paragraph starting "
        f"{openings[-1]} is not in the PDF's text"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_paragraphs_a_style_reverses_are_still_found_out_of_order(leaflets, lang):
    report, openings = pdf_findings(leaflets, lang, REVERSED)
    assert messages(report, ERROR) == [
        f"a screen reader reads the paragraph starting {openings[1]} before the one starting "
        f"{openings[0]}, which comes before it in the article"]


def test_chinese_openings_count_characters_as_words(tmp_path):
    source = tmp_path / "leaflet.zh-CN.md"
    source.write_text("---\ntitle: 运动\nlang: zh-CN\n---\n\n对大多数人来说，轻柔的活动可以减轻疼痛。\n\n"
                      "好。\n", encoding="utf-8")
    assert openings_of(source) == [Opening("对大多数人来", "Opening (before the first heading)")]


# --- braille ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def braille(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """The Arabic and Urdu translations' braille: (article, BRF) by language."""
    out = tmp_path_factory.mktemp("braille")
    found = {}
    for lang in ("ar", "ur"):
        source = TRANSLATED / f"{STEM}.{lang}.md"
        found[lang] = (source, built(source, Settings(formats=("brf",), out_dir=out))["brf"])
    return found


def brf_findings(source: Path, brf: Path, theme_dir: Path = THEME_DIR) -> Report:
    article, doc = prepare(source, Settings())
    report = Report(source)
    check_brf(brf, doc, article, report, theme_dir)
    return report


def test_arabic_braille_reads_back_as_the_article(braille):
    """Its digits read back as Arabic-Indic digits, its Latin reference as Latin braille."""
    assert brf_findings(*braille["ar"]).findings == []


def test_arabic_braille_that_lost_a_page_is_still_found(braille, tmp_path):
    source, original = braille["ar"]
    pages = read_pages(original)
    pages[1] = [""] * (len(pages[1]) - 1) + pages[1][-1:]  # the article's first page of text
    corrupt = tmp_path / original.name
    corrupt.write_bytes("\f".join("".join(line + "\r\n" for line in page) for page in pages)
                        .encode("ascii"))
    (finding,) = brf_findings(source, corrupt).findings
    assert finding.severity == ERROR and finding.message.startswith("translated back, the braille has lost ")


def test_urdu_braille_reads_back_as_the_article(braille):
    """Urdu's table with the English table's character definitions: the Latin reference
    list and the full stops have braille too."""
    assert brf_findings(*braille["ur"]).findings == []


def test_characters_the_urdu_table_has_no_braille_for_are_named(tmp_path, caplog):
    """ur-pk-g1.utb alone has no Latin letters, full stop or brackets: liblouis writes their
    code numbers (\\x002e) into the braille, which the build warns of (``braille``) and the
    check reports as an error naming them, and nothing more."""
    theme_dir = tmp_path / "styles"
    shutil.copytree(THEME_DIR, theme_dir)
    tables = theme_dir / "braille.yaml"
    tables.write_text(tables.read_text(encoding="utf-8").replace(
        '"ur-pk-g1.utb,en-ueb-chardefs.uti"', URDU_TABLE_ALONE), encoding="utf-8")
    source = TRANSLATED / f"{STEM}.ur.md"
    brf = built(source, Settings(formats=("brf",), out_dir=tmp_path, theme_dir=theme_dir),
                (URDU_TABLE_ALONE_WARNING,))["brf"]
    caplog.clear()  # the build's warnings are checked above; the check's own come next
    caplog.set_level(logging.WARNING)
    (finding,) = brf_findings(source, brf, theme_dir).findings
    assert finding.severity == ERROR
    assert finding.message.startswith("the braille table ur-pk-g1.utb has no braille for ")
    assert "'.' (U+002E)" in finding.message and "'K' (U+004B)" in finding.message
    assert [r.getMessage() for r in caplog.records if "CSL locale" not in r.getMessage()] == []

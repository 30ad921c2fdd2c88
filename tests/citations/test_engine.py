"""The citation stage: citeproc-py renders, pandoc's own citeproc is the reference.

For the article's references, the in-text citations and the bibliography from
our stage must read the same as ``pandoc --citeproc`` (text, markup and
spacing ignored, bibliography in the same order) in the styles clinics use.
"""
from __future__ import annotations

import json
import logging
import re
import shutil
import subprocess
from pathlib import Path

import pypandoc
import pytest

from pipeline.citations.rules.conditions import NUMERIC
from pipeline.citations.engine import html_to_inlines, process_citations
from pipeline.citations.sample import sample_lines
from pipeline.config import THEME_DIR
from pipeline.citations.csl_styles import resolve_csl_style
from pipeline.citations.rules.punctuation import collapse_duplicate_periods
from pipeline.citations.rules.quotes import QuoteTerms
from pipeline.citations.rules.settling import settled_text
from pipeline.citations.rules.values import CLOSE_QUOTE, OPEN_QUOTE
from pipeline.errors import CitationError
from pipeline.pandoc.run import markdown_to_ast
from pipeline.pandoc.ast import elements, stringify
from pipeline.article.references import load_references
from pipeline.article.front_matter import load_article
from building import FIXTURES, PROJECT_ROOT

REFERENCES = PROJECT_ROOT / "source" / "references.json"
KEYS = [entry["id"] for entry in json.loads(REFERENCES.read_text(encoding="utf-8"))]

# The styles the foundation issue names, and others clinics and journals use.
STYLES = ["american-medical-association", "nlm-citation-sequence", "apa", "chicago-author-date",
          "ieee", "harvard-cite-them-right", "modern-language-association", "vancouver-nlm",
          "nature", "bmj", "the-lancet", "elsevier-harvard", "plos"]

# Every form of pandoc's citation syntax: one work, locators, prefix and
# suffix, several works, author in text, suppressed author.
SYNTAX_BODY = "\n\n".join([
    *(f"Cited [@{key}]." for key in KEYS),
    "A [see @kumar2013, p. 33].",
    "B @kumar2013 says.",
    "C [-@kamali2014].",
    "D [@kumar2013; @hernandez-reif2001].",
    "E [@kamali2014, pp. 475-476; also @kumar2013, chap. 2].",
    "F [@hernandez-reif2001 and elsewhere].",
])


def article_text(body: str, *, csl: str, bibliography: str = "references.json",
                 extra: str = "") -> str:
    return (f"---\ntitle: Test leaflet\nlang: en-US\nbibliography: {bibliography}\n"
            f"csl: {csl}\n{extra}---\n\n{body}\n\n::: {{#refs}}\n:::\n")


def write_article(folder: Path, body: str, *, csl: str = "american-medical-association",
                  extra: str = "") -> Path:
    shutil.copy(REFERENCES, folder / "references.json")
    path = folder / "article.md"
    path.write_text(article_text(body, csl=csl, extra=extra), encoding="utf-8")
    return path


def run_stage(path: Path, csl: str | None = None) -> dict:
    article = load_article(path)
    doc = markdown_to_ast(article.markdown, article.path, 60)
    style = resolve_csl_style(csl or article.csl, article.folder, THEME_DIR)
    return process_citations(doc, article, load_references(article.bibliography, 60), style)


def pandoc_citeproc(path: Path, csl_path: Path) -> dict:
    """The reference: pandoc's own citeproc on the same article, style file and references."""
    text = path.read_text(encoding="utf-8").replace(f"csl: {path.stem}", "")
    result = subprocess.run(
        [pypandoc.get_pandoc_path(), "--from", "markdown", "--to", "json", "--citeproc",
         "--csl", str(csl_path)], input=text.encode(), capture_output=True, cwd=path.parent,
        check=True)
    return json.loads(result.stdout)


def readable(node: object) -> str:
    return re.sub(r"\s+", " ", stringify(node)).strip()


def citations_and_bibliography(doc: dict) -> tuple[list[str], list[str]]:
    cites = [readable(cite["c"][1]) for cite in elements(doc["blocks"], "Cite")]
    refs = next(div for div in elements(doc["blocks"], "Div") if div["c"][0][0] == "refs")
    return cites, [readable(entry) for entry in refs["c"][1]]


@pytest.mark.parametrize("style", STYLES)
def test_citations_and_bibliography_read_as_pandoc_citeproc(tmp_path: Path, style: str) -> None:
    path = write_article(tmp_path, SYNTAX_BODY, csl=style)
    ours = citations_and_bibliography(run_stage(path))
    csl_path = resolve_csl_style(style, tmp_path, THEME_DIR).path
    reference = citations_and_bibliography(pandoc_citeproc(path, csl_path))
    assert ours[0] == reference[0], "in-text citations differ from pandoc's citeproc"
    assert ours[1] == reference[1], "bibliography differs from pandoc's citeproc"
    assert len(ours[1]) == len(KEYS)


def test_superscript_citation_follows_the_word_without_a_space(tmp_path: Path) -> None:
    doc = run_stage(write_article(tmp_path, "Blood flow [@hernandez-reif2001]."))
    para = doc["blocks"][0]["c"]
    assert [node["t"] for node in para[-3:]] == ["Str", "Cite", "Str"]
    assert para[-3]["c"] == "flow"
    assert readable(para[-2]["c"][1]) == "1"
    assert next(elements(para[-2]["c"][1], "Superscript"), None) is not None


def test_one_work_citation_links_to_its_bibliography_entry(tmp_path: Path) -> None:
    doc = run_stage(write_article(tmp_path, "Flow [@kumar2013]."))
    links = [link["c"][2][0] for link in elements(doc["blocks"], "Link")]
    assert links == ["#ref-kumar2013"]
    entries = [div["c"][0][0] for div in elements(doc["blocks"], "Div") if "csl-entry" in div["c"][0][1]]
    assert entries == ["ref-kumar2013"]


def test_bibliography_goes_to_the_end_under_a_heading_without_a_refs_div(tmp_path: Path) -> None:
    path = write_article(tmp_path, "Flow [@kumar2013].")
    path.write_text(path.read_text(encoding="utf-8").replace("::: {#refs}\n:::\n", ""), encoding="utf-8")
    doc = run_stage(path)
    heading, refs = doc["blocks"][-2:]
    assert heading["t"] == "Header" and readable(heading["c"][2]) == "References"
    assert refs["c"][0][0] == "refs" and len(refs["c"][1]) == 1


def test_bibliography_goes_under_the_articles_own_closing_heading(tmp_path: Path) -> None:
    path = write_article(tmp_path, "Flow [@kumar2013].\n\n## Sources")
    path.write_text(path.read_text(encoding="utf-8").replace("::: {#refs}\n:::\n", ""), encoding="utf-8")
    doc = run_stage(path)
    headings = [readable(block["c"][2]) for block in doc["blocks"] if block["t"] == "Header"]
    assert headings[-1] == "Sources" and "References" not in headings
    assert doc["blocks"][-1]["c"][0][0] == "refs" and doc["blocks"][-2]["t"] == "Header"


def test_nocite_adds_works_to_the_bibliography_without_citing_them(tmp_path: Path) -> None:
    doc = run_stage(write_article(tmp_path, "Flow [@kumar2013].", extra="nocite: '@kamali2014'\n"))
    cites, bibliography = citations_and_bibliography(doc)
    assert cites == ["1"]
    assert [entry.split(".")[0] for entry in bibliography] == ["1", "2"]
    assert "Kamali F" in bibliography[1]


def test_nocite_star_lists_every_work(tmp_path: Path) -> None:
    doc = run_stage(write_article(tmp_path, "No citations here.", extra="nocite: '@*'\n"))
    assert len(citations_and_bibliography(doc)[1]) == len(KEYS)


def test_unknown_key_names_the_key_the_line_and_close_keys(tmp_path: Path) -> None:
    path = write_article(tmp_path, "First paragraph.\n\nFlow [@kumar2031].")
    with pytest.raises(CitationError) as raised:
        run_stage(path)
    message = str(raised.value)
    assert "unknown citation key '@kumar2031'" in message
    assert f"{path}, line 10" in message
    assert "did you mean @kumar2013" in message


def test_citing_without_a_bibliography_says_how_to_add_one(tmp_path: Path) -> None:
    path = tmp_path / "article.md"
    path.write_text("---\ntitle: T\n---\n\nFlow [@kumar2013].\n", encoding="utf-8")
    with pytest.raises(CitationError) as raised:
        run_stage(path, csl="apa")
    assert "its bibliography has no entries" in str(raised.value)
    assert "bibliography: references.json" in str(raised.value)


CSL_FILES = FIXTURES / "csl-files"


def test_a_style_citeproc_py_cannot_render_is_rendered_by_pandoc_with_a_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # A real style file citeproc-py fails on (it calls a macro it never defines).
    shutil.copy(CSL_FILES / "undefined-macro.csl", tmp_path / "undefined-macro.csl")
    path = write_article(tmp_path, "Flow [@kumar2013]. Pain [@kamali2014].", csl="undefined-macro.csl")
    with caplog.at_level(logging.WARNING, logger="pipeline"):
        ours = citations_and_bibliography(run_stage(path))
    assert [(record.levelno, record.getMessage()) for record in caplog.records] == [(
        logging.WARNING,
        "citation style 'undefined-macro.csl' rendered with pandoc's citeproc: citeproc-py does not "
        "support <text macro=\"access\"> on line 27 of undefined-macro.csl "
        "(IndexError: list index out of range)")]
    assert ours == citations_and_bibliography(pandoc_citeproc(path, tmp_path / "undefined-macro.csl"))
    assert ours == (["[1]", "[2]"], [
        "1. Kumar S, Beaton K, Hughes T. The effectiveness of massage therapy for the treatment of "
        "nonspecific low back pain: a systematic review of systematic reviews.",
        "2. Kamali F, Panahi F, Ebrahimi S, Abbasi L. Comparison between massage and routine physical "
        "therapy in women with sub acute and chronic nonspecific low back pain."])


def test_note_style_puts_each_citation_in_a_footnote_as_pandoc_does(tmp_path: Path) -> None:
    body = "Massage helps [@kumar2013]. See also @kamali2014, who agree.\n\nAgain [@kumar2013, p. 735]."
    path = write_article(tmp_path, body, csl="chicago-note-bibliography")
    doc = run_stage(path)
    cites = list(elements(doc["blocks"], "Cite"))
    assert [[node["t"] for node in cite["c"][1]] for cite in cites] == [
        ["Note"], ["Str", "Space", "Str", "Space", "Str", "Note"], ["Note"]]
    notes = [readable(note["c"]) for note in elements(doc["blocks"], "Note")]
    assert notes[2] == ("Kumar et al., “The Effectiveness of Massage Therapy for the Treatment of "
                        "Nonspecific Low Back Pain: A Systematic Review of Systematic Reviews,” 735.")
    # The period moves before the footnote mark, as in pandoc's own output.
    assert readable(doc["blocks"][0]["c"][:4]) == "Massage helps."
    csl_path = resolve_csl_style("chicago-note-bibliography", tmp_path, THEME_DIR).path
    reference = pandoc_citeproc(path, csl_path)
    assert notes == [readable(note["c"]) for note in elements(reference["blocks"], "Note")]
    assert [readable(block) for block in doc["blocks"][:2]] == \
        [readable(block) for block in reference["blocks"][:2]]


def test_a_renamed_style_is_found_by_its_old_name(tmp_path: Path) -> None:
    style = resolve_csl_style("chicago-note-bibliography", tmp_path, THEME_DIR)
    assert (style.name, style.path.name) == ("chicago-note-bibliography",
                                            "chicago-shortened-notes-bibliography.csl")


@pytest.mark.parametrize("name, text", [
    ("references.bib", """@article{kumar2013,
  author = {Kumar, S. and Beaton, K. and Hughes, T.},
  title = {The effectiveness of massage therapy for the treatment of nonspecific low back pain: {a}
           systematic review of systematic reviews},
  journal = {International Journal of General Medicine},
  year = {2013}, volume = {6}, pages = {733--741}}
"""),
    ("references.yaml", """references:
- id: kumar2013
  type: article-journal
  author: [{family: Kumar, given: S.}, {family: Beaton, given: K.}, {family: Hughes, given: T.}]
  title: 'The effectiveness of massage therapy for the treatment of nonspecific low back pain:
    a systematic review of systematic reviews'
  container-title: International Journal of General Medicine
  issued: 2013
  volume: 6
  page: 733-741
"""),
])
def test_bibtex_and_csl_yaml_give_the_same_entry_as_csl_json(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    path = tmp_path / "article.md"
    path.write_text(article_text("Flow [@kumar2013].", csl="apa", bibliography=name), encoding="utf-8")
    assert citations_and_bibliography(run_stage(path)) == (
        ["(Kumar et al., 2013)"],
        ["Kumar, S., Beaton, K., & Hughes, T. (2013). The effectiveness of massage therapy for "
         "the treatment of nonspecific low back pain: a systematic review of systematic reviews. "
         "International Journal of General Medicine, 6, 733–741."])


# --- the CSL rules our stage adds to citeproc-py -------------------------------------------------

AMERICAN_QUOTES = QuoteTerms(punctuation_in_quote=True)


def test_punctuation_in_quote_moves_comma_and_period_inside() -> None:
    marked = f"{OPEN_QUOTE}Title{CLOSE_QUOTE}, Journal"
    assert settled_text(marked, AMERICAN_QUOTES) == "“Title,” Journal"


def test_punctuation_in_quote_does_not_double_a_period() -> None:
    marked = f"{OPEN_QUOTE}Why?{CLOSE_QUOTE}. Next"
    assert settled_text(marked, AMERICAN_QUOTES) == "“Why?” Next"


def test_without_punctuation_in_quote_the_comma_stays_outside() -> None:
    marked = f"{OPEN_QUOTE}Title{CLOSE_QUOTE}, Journal"
    assert settled_text(marked, QuoteTerms()) == "“Title”, Journal"


def test_duplicate_period_across_markup_is_collapsed_but_an_ellipsis_is_kept() -> None:
    assert collapse_duplicate_periods("Field T, et al.</i>. Lower") == "Field T, et al.</i> Lower"
    assert collapse_duplicate_periods("wait... and") == "wait... and"


@pytest.mark.parametrize("value, numeric", [
    ("33", True), ("475-476", True), ("2, 4", True), ("12a", True), ("iv", False), ("preface", False)])
def test_is_numeric_follows_the_csl_definition(value: str, numeric: bool) -> None:
    assert bool(NUMERIC.match(value)) is numeric


def test_citeproc_html_becomes_pandoc_inlines() -> None:
    inlines = html_to_inlines('Smith <i>J Med</i>. <sup>1</sup> <span style="font-variant:small-caps;">Et</span> &amp; co')
    assert [node["t"] for node in inlines] == [
        "Str", "Space", "Emph", "Str", "Space", "Superscript", "Space", "SmallCaps", "Space", "Str", "Space", "Str"]
    assert readable(inlines) == "Smith J Med. 1 Et & co"


def test_unknown_key_is_found_on_its_own_line_not_inside_a_longer_key(tmp_path: Path) -> None:
    path = write_article(tmp_path, "Flow [@kumar2013].\n\nAgain [@kumar].")
    with pytest.raises(CitationError) as raised:
        run_stage(path)
    assert f"{path}, line 10: unknown citation key '@kumar'" in str(raised.value)


def test_unknown_nocite_key_points_at_the_nocite_field(tmp_path: Path) -> None:
    path = write_article(tmp_path, "Flow [@kumar2013].", extra="nocite: '@nobody2020'\n")
    with pytest.raises(CitationError) as raised:
        run_stage(path)
    assert f"{path}, line 6: unknown citation key '@nobody2020'" in str(raised.value)


def test_the_cite_sample_prints_each_style_and_goes_on_after_one_that_fails() -> None:
    lines = list(sample_lines(REFERENCES, ["vancouver-nlm", "no-such-style", "apa"]))
    failed = [line for line in lines if not isinstance(line, str)]
    assert [str(error).splitlines()[0] for error in failed] == ["unknown citation style 'no-such-style'"]
    text = [line for line in lines if isinstance(line, str)]
    assert text[:2] == ["== vancouver-nlm", "cite: (1) | (2) | (3)"]
    assert text[2].startswith("bib: 1. Hernandez-Reif M, Field T, Krasnegor J, Theakston H. Lower back pain")
    assert text[5:7] == ["== no-such-style", "== apa"]
    assert text[7] == "cite: (Hernandez-Reif et al., 2001) | (Kumar et al., 2013) | (Kamali et al., 2014)"
    assert len(text) == 11


@pytest.mark.parametrize("style", ["oscola", "chicago-note-bibliography", "new-harts-rules-notes"])
def test_note_style_writes_ibid_and_short_forms_as_pandoc_does(tmp_path: Path, style: str) -> None:
    """Subsequent citations in a note style: "Ibid." where the style writes it, the short form
    where it does not, counted in the leaflet's footnotes (the author's own included: after a
    footnote citing two works, a citation of one of them is no "Ibid.")."""
    body = ("Massage helps [@kumar2013].^[An aside.] Again [@kumar2013, p. 735]. "
            "Then [@kamali2014].^[See [@kumar2013] and [@kamali2014].] Once more [@kamali2014]. "
            "And [as he said. @kamali2014, p. 3].")
    path = write_article(tmp_path, body, csl=style)
    notes = [readable(note["c"]) for note in elements(run_stage(path)["blocks"], "Note")]
    csl_path = resolve_csl_style(style, tmp_path, THEME_DIR).path
    reference = [readable(note["c"]) for note in elements(pandoc_citeproc(path, csl_path)["blocks"], "Note")]
    assert notes == reference
    if style == "oscola":  # the style that writes "ibid" and "(n 1)"
        assert notes[2] != "Ibid 735." and "(n 1)" in notes[4] and notes[6] == "As he said. ibid 3."

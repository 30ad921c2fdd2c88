"""One test per CSL 1.0.2 rule our citation stage puts right in citeproc-py.

Each test writes a small style (a ``cs:citation`` and often a
``cs:bibliography`` layout that exercise one rule), renders a few CSL-JSON
items through the real citeproc-py with our fixes installed (the build's
own ``render_citations``), and asserts the exact text. The tests are named
after the rule; the module and function that implement it are named in the
docstring. Where pandoc's citeproc takes part (note placement, the fallback),
it is the real pandoc.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.citations import notes as citation_notes
from pipeline.citations.rules import fixes as csl_fixes
from pipeline.citations.rules import names as csl_names
from pipeline.citations.rules import punctuation as csl_punctuation
from pipeline.citations.rules import text_case as csl_text_case
from pipeline.citations.rules import values as csl_values
from pipeline.citations.sample import plain_text, sample_document, rendered_parts
from pipeline.citations.engine import render_citations
from pipeline.citations.styles import ResolvedStyle
from pipeline.pandoc.run import markdown_to_ast
from pipeline.pandoc.ast import elements, stringify

STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="{cls}" version="1.0" default-locale="en-US"{attrs}>
  <info><title>Rule test</title><id>rule-test</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  {body}
</style>
"""

SMITH = {"id": "smith", "type": "article-journal", "title": "A study of backs",
         "author": [{"family": "Smith", "given": "John"}],
         "container-title": "Spine", "issued": {"date-parts": [[2001, 1, 5]]},
         "volume": "6", "page": "733-741"}


def names(*people: str) -> list[dict]:
    """'Given Family' strings as CSL-JSON names."""
    return [{"given": person.rsplit(" ", 1)[0], "family": person.rsplit(" ", 1)[1]} for person in people]


def item(**fields) -> dict:
    return {"id": "item", "type": "book", **fields}


def write_style(folder: Path, body: str, *, cls: str = "in-text", attrs: str = "") -> ResolvedStyle:
    path = folder / "rule-test.csl"
    path.write_text(STYLE.format(cls=cls, attrs=attrs, body=body), encoding="utf-8")
    return ResolvedStyle("rule-test", path, None)


def citation_only(layout: str, **citation_attributes: str) -> str:
    attributes = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in citation_attributes.items())
    return f"<citation{attributes}><layout>{layout}</layout></citation>"


def render(folder: Path, body: str, items: list[dict], *, cls: str = "in-text", attrs: str = "",
           lang: str = "en-US") -> tuple[list[str], list[str]]:
    """Each item cited once, in order, then the bibliography: their plain text."""
    style = write_style(folder, body, cls=cls, attrs=attrs)
    doc = render_citations(sample_document(items), items, style, lang=lang)
    citations, entries = rendered_parts(doc)
    return [plain_text(inlines) for inlines in citations], [plain_text(inlines) for inlines in entries]


def cite(folder: Path, layout: str, items: list[dict], **citation_attributes: str) -> str:
    """The citation of the first item, with a citation layout only."""
    return render(folder, citation_only(layout, **citation_attributes), items)[0][0]


def render_markdown(folder: Path, body: str, markdown: str, items: list[dict], *,
                    cls: str = "in-text") -> dict:
    """A Markdown text with pandoc's citation syntax, rendered; the document."""
    style = write_style(folder, body, cls=cls)
    doc = markdown_to_ast(markdown, folder / "article.md", 60)
    return render_citations(doc, items, style, lang="en-US")


def cite_texts(doc: dict) -> list[str]:
    return [plain_text(node["c"][1]) for node in elements(doc["blocks"], "Cite")]


NAMES = '<names variable="author"><name {attrs}/></names>'


# --- CSL 1.0.2, "Name" (csl_names) -----------------------------------------------------------

def test_name_et_al_use_first_with_delimiter_precedes_et_al_contextual(tmp_path: Path) -> None:
    """`et-al-min`/`et-al-use-first`: one name and a space before "et al.", two names and the delimiter."""
    authors = names("Ann Doe", "Bob Roe", "Cy Poe", "Di Low")
    one = cite(tmp_path, NAMES.format(attrs='form="short" et-al-min="3" et-al-use-first="1"'), [item(author=authors)])
    two = cite(tmp_path, NAMES.format(attrs='form="short" et-al-min="3" et-al-use-first="2"'), [item(author=authors)])
    assert (one, two) == ("Doe et al.", "Doe, Roe, et al.")


@pytest.mark.parametrize("precedes, two, three", [
    ("contextual", "Doe and Roe", "Doe, Roe, and Poe"),
    ("always", "Doe, and Roe", "Doe, Roe, and Poe"),
    ("never", "Doe and Roe", "Doe, Roe and Poe"),
])
def test_name_delimiter_precedes_last(tmp_path: Path, precedes: str, two: str, three: str) -> None:
    layout = NAMES.format(attrs=f'form="short" and="text" delimiter-precedes-last="{precedes}"')
    assert cite(tmp_path, layout, [item(author=names("Ann Doe", "Bob Roe"))]) == two
    assert cite(tmp_path, layout, [item(author=names("Ann Doe", "Bob Roe", "Cy Poe"))]) == three


def test_name_delimiter_precedes_last_after_inverted_name(tmp_path: Path) -> None:
    """Spec example: with name-as-sort-order="first", "Doe, J., and T. Williams"."""
    layout = NAMES.format(attrs='and="text" delimiter-precedes-last="after-inverted-name" '
                                'name-as-sort-order="first" initialize-with=". "')
    assert cite(tmp_path, layout, [item(author=names("John Doe", "Tom Williams"))]) == "Doe, J., and T. Williams"
    assert cite(tmp_path, layout, [item(author=names("John Doe", "Sam Smith", "Tom Williams"))]) == \
        "Doe, J., S. Smith and T. Williams"


def test_name_affixes_surround_each_name(tmp_path: Path) -> None:
    """cs:name "describe[s] the formatting of individual names": its affixes go around each name,
    the delimiter, "and" and "et al." between and after them (csl_names.render_name_list)."""
    layout = NAMES.format(attrs='form="short" and="text" prefix="[" suffix="]" et-al-min="4" et-al-use-first="3"')
    assert cite(tmp_path, layout, [item(author=names("Ann Doe", "Bob Roe", "Cy Poe"))]) == "[Doe], [Roe], and [Poe]"
    authors = names("Ann Doe", "Bob Roe", "Cy Poe", "Di Low")
    assert cite(tmp_path, layout, [item(author=authors)]) == "[Doe], [Roe], [Poe], et al."
    spaced = NAMES.format(attrs='form="short" suffix=" "')  # the space goes before the delimiter's comma
    assert cite(tmp_path, spaced + '<text variable="title"/>', [item(title="T", author=names("Ann Doe", "Bob Roe"))]) == \
        "Doe, Roe T"


def test_name_without_and_the_delimiter_separates_the_last_name(tmp_path: Path) -> None:
    """"if ``and`` is not set, the name delimiter is always used"."""
    layout = NAMES.format(attrs='form="short" delimiter-precedes-last="never"')
    assert cite(tmp_path, layout, [item(author=names("Ann Doe", "Bob Roe"))]) == "Doe, Roe"


def test_name_et_al_use_last_adds_ellipsis_and_the_last_name(tmp_path: Path) -> None:
    layout = NAMES.format(attrs='form="short" et-al-min="5" et-al-use-first="2" et-al-use-last="true"')
    authors = names("Ann Doe", "Bob Roe", "Cy Poe", "Di Low", "Ed Fox")
    assert cite(tmp_path, layout, [item(author=authors)]) == "Doe, Roe, … Fox"


def test_name_et_al_use_last_needs_two_more_names_than_are_shown(tmp_path: Path) -> None:
    """"only possible when the original name list has at least two more names than the truncated
    name list": with one more, the list ends in "et al." (csl_names.render_name_list)."""
    layout = NAMES.format(attrs='form="short" et-al-min="3" et-al-use-first="2" et-al-use-last="true"')
    assert cite(tmp_path, layout, [item(author=names("Ann Doe", "Bob Roe", "Cy Poe"))]) == "Doe, Roe, et al."


def test_name_as_sort_order_all_with_sort_separator(tmp_path: Path) -> None:
    layout = NAMES.format(attrs='name-as-sort-order="all" sort-separator=" " initialize-with=""')
    assert cite(tmp_path, layout, [item(author=names("Andrea D. Furlan", "Marta Giraldo"))]) == \
        "Furlan AD, Giraldo M"


def test_name_initialize_false_keeps_given_names_but_adds_the_mark_to_initials(tmp_path: Path) -> None:
    """Spec example: "James T Kirk" becomes "James T. Kirk"."""
    layout = NAMES.format(attrs='initialize="false" initialize-with=". "')
    assert cite(tmp_path, layout, [item(author=names("James T Kirk"))]) == "James T. Kirk"
    assert cite(tmp_path, layout, [item(author=names("Daniel C. Cherkin"))]) == "Daniel C. Cherkin"


def test_initialize_is_inherited_from_the_bibliography_calling_the_macro(tmp_path: Path) -> None:
    """Inheritable name options set on cs:bibliography apply to a cs:name in a macro it calls
    (csl_names.name_option)."""
    body = ('<macro name="editors"><names variable="editor"><name initialize-with="."/></names></macro>'
            + citation_only('<text variable="title"/>')
            + '<bibliography initialize="false"><layout><text macro="editors"/></layout></bibliography>')
    assert render(tmp_path, body, [item(title="T", editor=names("J. Larry Jameson"))])[1] == ["J.Larry Jameson"]


@pytest.mark.parametrize("hyphen, expected", [("true", "J.-L. Picard"), ("false", "J. L. Picard")])
def test_initialize_with_hyphen(tmp_path: Path, hyphen: str, expected: str) -> None:
    layout = NAMES.format(attrs='initialize-with=". "')
    rendered = render(tmp_path, citation_only(layout), [item(author=names("Jean-Luc Picard"))],
                      attrs=f' initialize-with-hyphen="{hyphen}"')
    assert rendered[0] == [expected]


def test_name_form_short_keeps_the_non_dropping_particle(tmp_path: Path) -> None:
    gogh = [{"given": "Vincent", "non-dropping-particle": "van", "family": "Gogh"}]
    assert cite(tmp_path, NAMES.format(attrs='form="short"'), [item(author=gogh)]) == "van Gogh"


@pytest.mark.parametrize("demote, expected", [
    ("display-and-sort", "Gogh, Vincent van"), ("never", "van Gogh, Vincent")])
def test_name_part_order_demote_non_dropping_particle(tmp_path: Path, demote: str, expected: str) -> None:
    gogh = [{"given": "Vincent", "non-dropping-particle": "van", "family": "Gogh"}]
    rendered = render(tmp_path, citation_only(NAMES.format(attrs='name-as-sort-order="all"')),
                      [item(author=gogh)], attrs=f' demote-non-dropping-particle="{demote}"')
    assert rendered[0] == [expected]


def test_name_form_count_counts_the_names_that_would_be_printed(tmp_path: Path) -> None:
    layout = NAMES.format(attrs='form="count" et-al-min="4" et-al-use-first="2"')
    assert cite(tmp_path, layout, [item(author=names("Ann Doe", "Bob Roe", "Cy Poe"))]) == "3"
    assert cite(tmp_path, layout, [item(author=names("Ann Doe", "Bob Roe", "Cy Poe", "Di Low"))]) == "2"


def test_name_part_formatting_applies_to_the_family_name(tmp_path: Path) -> None:
    layout = ('<names variable="author"><name><name-part name="family" text-case="uppercase"/>'
              '</name></names>')
    assert cite(tmp_path, layout, [item(author=names("Jane Doe"))]) == "Jane DOE"


def test_a_literal_name_is_printed_as_given(tmp_path: Path) -> None:
    layout = NAMES.format(attrs='name-as-sort-order="all" initialize-with="."')
    assert cite(tmp_path, layout, [item(author=[{"literal": "World Health Organization"}])]) == \
        "World Health Organization"


def test_name_et_al_subsequent_min_applies_to_later_cites(tmp_path: Path) -> None:
    layout = ('<names variable="author"><name form="short" et-al-min="5" et-al-use-first="1" '
              'et-al-subsequent-min="3" et-al-subsequent-use-first="1"/></names>')
    doc = render_markdown(tmp_path, citation_only(layout), "[@item] and [@item]",
                          [item(author=names("Ann Doe", "Bob Roe", "Cy Poe"))])
    assert cite_texts(doc) == ["Doe, Roe, Poe", "Doe et al."]


@pytest.mark.parametrize("given, mark, expected", [
    ("John Edward", ". ", "J. E."), ("J.E.", ".", "J.E."), ("Jean-Luc", ". ", "J.-L."),
    ("Jean-luc", ". ", "J."), ("Charles de", ". ", "C. de"), ("THomas", ".", "Th.")])
def test_initialize_with_splits_given_names_as_pandoc_does(given: str, mark: str, expected: str) -> None:
    assert csl_names.initialize(given, mark) == expected


# --- CSL 1.0.2, "Group" and "Label" (csl_groups) ---------------------------------------------------

GROUP = ('<group delimiter=" " prefix="(" suffix=")"><text term="retrieved"/><text term="from"/>'
         '<text variable="URL"/></group>')


def test_group_is_suppressed_when_every_variable_it_calls_is_empty(tmp_path: Path) -> None:
    layout = '<group delimiter=" "><text variable="title"/>' + GROUP + '</group>'
    assert cite(tmp_path, layout, [item(title="Back pain")]) == "Back pain"
    assert cite(tmp_path, layout, [item(title="Back pain", URL="https://x.org")]) == \
        "Back pain (retrieved from https://x.org)"


def test_group_with_only_terms_is_printed(tmp_path: Path) -> None:
    """Condition a) of the rule: no variable is called, so the group is not suppressed."""
    assert cite(tmp_path, '<group delimiter=" "><text term="in"/><text term="and"/></group>', [item()]) == "in and"


def test_group_suppression_counts_variables_called_through_a_macro(tmp_path: Path) -> None:
    body = ('<macro name="place"><text variable="publisher-place"/></macro>'
            + citation_only('<group delimiter=": "><text term="in"/><text macro="place"/></group>'
                            '<text variable="title" prefix="[" suffix="]"/>'))
    assert render(tmp_path, body, [item(title="T")])[0] == ["[T]"]


def test_group_suppression_ignores_the_branch_that_was_not_chosen(tmp_path: Path) -> None:
    """A group whose chosen branch prints only a term, its variable empty, is suppressed."""
    layout = ('<group prefix="(" suffix=")" delimiter=" "><choose><if variable="genre">'
              '<text variable="genre"/></if><else><text variable="medium"/><text term="edition"/>'
              '</else></choose></group><text variable="title"/>')
    assert cite(tmp_path, layout, [item(title="T")]) == "T"


def test_choose_inside_a_group_takes_the_group_delimiter(tmp_path: Path) -> None:
    layout = ('<group delimiter=", "><text variable="title"/><choose><if type="book">'
              '<text variable="publisher"/><text variable="publisher-place"/></if></choose></group>')
    assert cite(tmp_path, layout, [item(title="T", publisher="P", **{"publisher-place": "L"})]) == "T, P, L"


def test_a_non_empty_nested_group_counts_as_a_non_empty_variable(tmp_path: Path) -> None:
    """"a non-empty nested cs:group is treated as a non-empty variable for the purposes of
    determining suppression of the outer cs:group" (csl_groups.render_group)."""
    layout = ('<group delimiter=", "><group delimiter=" "><text term="in"/><text term="and"/></group>'
              '<text variable="container-title"/></group><text variable="title" prefix=" "/>')
    assert cite(tmp_path, layout, [item(title="T")]) == "in and T"


def test_substituted_variables_are_suppressed_in_the_rest_of_the_output(tmp_path: Path) -> None:
    """"Substituted variables are suppressed in the rest of the output ... considered empty for the
    purposes of determining whether to suppress an enclosing cs:group" (csl_groups.render_substitute)."""
    layout = ('<group delimiter=". "><names variable="composer"><name form="short"/><substitute>'
              '<names variable="author"/></substitute></names>'
              '<group delimiter=" "><text value="by"/><names variable="author"><name form="short"/></names></group>'
              '<text variable="title"/></group>')
    assert cite(tmp_path, layout, [item(title="T", author=names("Ann Doe"))]) == "Doe. T"


def test_shorthand_names_in_a_substitute_choose_inherit_name_and_label(tmp_path: Path) -> None:
    """The shorthand cs:names "inherits the attributes values set on the cs:name ... of the original
    cs:names element", also inside a cs:choose of the cs:substitute (csl_groups.substituted_for)."""
    layout = ('<names variable="container-author"><name form="short" and="text"/><label form="short" prefix=", "/>'
              '<substitute><choose><if type="chapter"><names variable="editor"/></if></choose></substitute></names>')
    chapter = item(type="chapter", editor=names("Ann Doe", "Bob Roe"))
    assert cite(tmp_path, layout, [chapter]) == "Doe and Roe, eds."


def test_label_is_only_rendered_if_the_variable_is_non_empty(tmp_path: Path) -> None:
    layout = ('<text variable="title"/><label variable="page" form="short" prefix=" "/>'
              '<text variable="page" prefix=" "/>')
    assert cite(tmp_path, layout, [item(title="T")]) == "T"


@pytest.mark.parametrize("page, expected", [("5", "p. 5"), ("1-9", "pp. 1–9"), ("2, 4", "pp. 2, 4")])
def test_label_plural_contextual_follows_the_number_of_numbers(tmp_path: Path, page: str, expected: str) -> None:
    layout = '<group delimiter=" "><label variable="page" form="short"/><text variable="page"/></group>'
    assert cite(tmp_path, layout, [item(page=page)]) == expected


# --- CSL 1.0.2, "Affixes" and "Delimiter" (csl_punctuation) ------------------------------------------

def test_affixes_are_only_rendered_if_the_element_produces_output(tmp_path: Path) -> None:
    layout = '<text variable="title"/><text variable="volume" prefix="; vol. " suffix="."/>'
    assert cite(tmp_path, layout, [item(title="T")]) == "T"


def test_delimiter_delimits_only_non_empty_pieces(tmp_path: Path) -> None:
    layout = ('<group delimiter=", "><text variable="title"/><text variable="volume"/>'
              '<text variable="page"/></group>')
    assert cite(tmp_path, layout, [item(title="T", page="12")]) == "T, 12"


def test_affix_punctuation_meeting_a_suffix_is_not_doubled(tmp_path: Path) -> None:
    """"et al." + suffix "." reads "et al.", not "et al.."."""
    layout = ('<names variable="author" suffix="."><name form="short" et-al-min="2" et-al-use-first="1"/>'
              '</names><text variable="title" prefix=" "/>')
    assert cite(tmp_path, layout, [item(title="T", author=names("Ann Doe", "Bob Roe"))]) == "Doe et al. T"


def test_a_piece_starting_with_punctuation_takes_no_delimiter(tmp_path: Path) -> None:
    layout = ('<group delimiter=" "><text variable="title"/><text variable="volume" prefix=", "/></group>')
    assert cite(tmp_path, layout, [item(title="T", volume="6")]) == "T, 6"


@pytest.mark.parametrize("before, after, expected", [
    ("al.", ".", "al."), ("x;", ".", "x;"), ("x:", "?", "x?"), ("x ", ",", "x,"), ("x.", ",", "x.,")])
def test_punctuation_at_a_seam_is_settled_by_the_table(before: str, after: str, expected: str) -> None:
    assert csl_punctuation.settle(before + csl_values.SEAM + after) == expected


def test_an_escaped_angle_bracket_is_not_a_semicolon_at_a_seam() -> None:
    """"&gt;" ends in ";" only as HTML: "<URL>" + ". Accessed" keeps its period."""
    rendered = "&lt;https://x.org&gt;" + csl_values.SEAM + ". Accessed"
    assert csl_punctuation.settle(rendered) == "&lt;https://x.org&gt;. Accessed"


# --- CSL 1.0.2, "Text-case" (csl_text_case) --------------------------------------------------------

@pytest.mark.parametrize("kind, text, expected", [
    ("title", "the effect of massage on low-back pain: a review of trials",
     "The Effect of Massage on Low-Back Pain: A Review of Trials"),
    ("title", "what it is for", "What It Is For"),
    ("title", "massage in the NHS and eBay", "Massage in the NHS and eBay"),
    ("sentence", "The Effect Of Massage On NHS Patients", "The effect of massage on NHS patients"),
    ("capitalize-first", "massage therapy", "Massage therapy"),
    ("capitalize-all", "massage for low-back pain", "Massage For Low-Back Pain"),
    ("uppercase", "massage <i>therapy</i>", "MASSAGE <i>THERAPY</i>"),
    ("lowercase", "Massage Therapy", "massage therapy"),
])
def test_text_case(kind: str, text: str, expected: str) -> None:
    assert csl_text_case.transform(text, kind) == expected


def test_text_case_title_applies_to_english_only() -> None:
    assert csl_text_case.transform("a massagem na dor lombar", "title", english=False) == \
        "a massagem na dor lombar"


def test_text_case_leaves_nocase_and_superscript_alone() -> None:
    assert csl_text_case.transform('the <span class="nocase">pH</span> of x<sup>a</sup>', "uppercase") == \
        'THE <span class="nocase">pH</span> OF X<sup>a</sup>'


def test_text_case_title_looks_at_the_items_language(tmp_path: Path) -> None:
    layout = '<text variable="title" text-case="title"/>'
    assert cite(tmp_path, layout, [item(title="massage for back pain")]) == "Massage for Back Pain"
    assert cite(tmp_path, layout, [item(title="massagem para dor", language="pt-BR")]) == "massagem para dor"


def test_text_case_on_name_parts_and_numbers(tmp_path: Path) -> None:
    """citeproc-py failed on these: they reach text-case as plain str."""
    layout = ('<names variable="author"><name><name-part name="family" text-case="capitalize-first"/>'
              '</name></names><number variable="volume" prefix=" " text-case="uppercase"/>')
    assert cite(tmp_path, layout, [item(author=names("Ann de"), volume="6")]) == "Ann De 6"


# --- CSL-JSON text and CSL 1.0.2, "Quotes" (csl_values, csl_fixes) ---------------------------------

def test_markup_characters_in_data_are_text_and_rich_text_tags_are_kept() -> None:
    assert csl_values.escaped("<https://x.org> & <i>Spine</i>") == \
        "&lt;https://x.org&gt; &amp; <i>Spine</i>"


def test_straight_quotes_in_data_become_quote_marks_and_apostrophes() -> None:
    marked = csl_values.mark_quotes("Simons' \"new\" method, O'Brien's")
    assert marked == f"Simons\u2019 {csl_values.OPEN_QUOTE}new{csl_values.CLOSE_QUOTE} method, O\u2019Brien\u2019s"


def test_quotes_within_quotes_use_the_inner_quote_terms(tmp_path: Path) -> None:
    layout = '<text variable="title" quotes="true"/>'
    assert cite(tmp_path, layout, [item(title='The "gate" theory')]) == "“The ‘gate’ theory”"


def test_url_in_angle_brackets_survives_as_text(tmp_path: Path) -> None:
    layout = '<text variable="URL" prefix="Available at: &lt;" suffix="&gt;."/>'
    assert cite(tmp_path, layout, [item(URL="https://x.org/a?b=1&c=2")]) == \
        "Available at: <https://x.org/a?b=1&c=2>."


def test_punctuation_in_quote_locale_option_moves_the_comma_inside(tmp_path: Path) -> None:
    body = citation_only('<group delimiter=", "><text variable="title" quotes="true"/>'
                         '<text variable="container-title"/></group>')
    locale = '<locale><style-options punctuation-in-quote="true"/></locale>'
    assert render(tmp_path, locale + body, [item(title="Sciatica", **{"container-title": "Spine"})])[0] == \
        ["“Sciatica,” Spine"]
    assert render(tmp_path, body, [item(title="Sciatica", **{"container-title": "Spine"})], lang="en-GB")[0] == \
        ["‘Sciatica’, Spine"]


def test_locale_options_fall_back_one_by_one(tmp_path: Path) -> None:
    """Locale fallback: an in-style cs:locale setting another option leaves `punctuation-in-quote`
    to the locale file (true for en-US) (csl_fixes.locale_option_with_fallback)."""
    body = citation_only('<group delimiter=", "><text variable="title" quotes="true"/>'
                         '<text variable="container-title"/></group>')
    locale = '<locale><style-options limit-day-ordinals-to-day-1="true"/></locale>'
    assert render(tmp_path, locale + body, [item(title="Sciatica", **{"container-title": "Spine"})])[0] == \
        ["“Sciatica,” Spine"]


def test_punctuation_in_quote_does_not_add_a_period_after_a_question_mark() -> None:
    quotes = csl_fixes.QuoteTerms(punctuation_in_quote=True)
    assert csl_fixes.finish(f"{csl_values.OPEN_QUOTE}Why?{csl_values.CLOSE_QUOTE}. Next", quotes) == "“Why?” Next"


def test_duplicate_period_across_markup_is_collapsed() -> None:
    assert csl_fixes.collapse_duplicate_periods("Field T, et al.</i>. Lower") == "Field T, et al.</i> Lower"
    assert csl_fixes.collapse_duplicate_periods("wait... and") == "wait... and"


# --- the other rules of csl_fixes -------------------------------------------------------------

def test_terms_form_fallback_verb_short_to_verb_to_long(tmp_path: Path) -> None:
    """"'verb-short' first falls back to 'verb' ... 'verb' and 'short' both fall back to 'long'"."""
    body = ('<locale><terms><term name="edition">edition</term></terms></locale>'
            + citation_only('<text term="edition" form="verb-short"/>'))
    assert render(tmp_path, body, [item()])[0] == ["edition"]


@pytest.mark.parametrize("lang, edition, expected", [
    ("de-DE", "3", "3. Aufl."), ("fr-FR", "3", "3ᵉ éd."), ("fr-FR", "1", "1ʳᵉ éd."),
    ("en-US", "3", "3rd ed."), ("en-US", "13", "13th ed."), ("en-US", "22", "22nd ed.")])
def test_ordinal_terms_of_a_locale_replace_those_of_its_fallbacks(tmp_path: Path, lang: str, edition: str,
                                                                  expected: str) -> None:
    """"(re)defining any of the ordinal terms ... replaces all previously defined ordinal terms";
    the ordinal has the gender of its noun ("édition" is feminine) (csl_fixes.to_ordinal)."""
    body = citation_only('<number variable="edition" form="ordinal"/><text term="edition" form="short" prefix=" "/>')
    assert render(tmp_path, body, [item(edition=edition)], lang=lang)[0] == [expected]


def test_day_ordinal_has_the_gender_of_the_month(tmp_path: Path) -> None:
    """"When the "day" date-part is rendered in the "ordinal" form, the ordinal gender is matched
    against that of the month term" (csl_fixes.day_with_month_gender)."""
    layout = ('<date variable="issued"><date-part name="day" form="ordinal" suffix=" "/>'
              '<date-part name="month"/></date>')
    body = citation_only(layout)
    assert render(tmp_path, body, [item(issued={"date-parts": [[2001, 3, 1]]})], lang="fr-FR")[0] == ["1ᵉʳ mars"]
    localized = '<macro name="date"><date variable="issued" form="text"><date-part name="day" form="ordinal"/></date></macro>' + citation_only('<text macro="date"/>')
    assert render(tmp_path, localized, [item(issued={"date-parts": [[2001, 3, 1]]})], lang="fr-FR")[0] == \
        ["1ᵉʳ mars 2001"]


def test_a_term_with_form_long_is_the_long_form(tmp_path: Path) -> None:
    """"form": "long" is the default, so a term defined with form="long" is the long term
    (csl_fixes.long_form_is_the_default)."""
    body = ('<locale><terms><term name="no date" form="long">date unknown</term></terms></locale>'
            + citation_only('<text term="no date" prefix="[" suffix="]"/>'))
    assert render(tmp_path, body, [item()])[0] == ["[date unknown]"]


def test_number_renders_hyphenated_number_variables(tmp_path: Path) -> None:
    """cs:number renders any number variable ("number-of-pages", "collection-number") with its
    label (csl_fixes.number_variable_by_its_name)."""
    layout = ('<group delimiter=" "><number variable="number-of-pages"/><label variable="number-of-pages" form="short"/>'
              '</group><number variable="collection-number" form="roman" prefix=", no. "/>')
    assert cite(tmp_path, layout, [item(**{"number-of-pages": "1008", "collection-number": "4"})]) == "1008 p., no. iv"


def test_localized_date_format_uses_the_locales_delimiters(tmp_path: Path) -> None:
    layout = '<date variable="issued" form="text"/>'
    assert cite(tmp_path, layout, [item(issued={"date-parts": [[2001, 1, 5]]})]) == "January 5, 2001"
    numeric = '<date variable="issued" form="numeric"/>'
    assert cite(tmp_path, numeric, [item(issued={"date-parts": [[2001, 1, 5]]})]) == "01/05/2001"


def test_sorting_cites_in_the_order_cited_without_cs_sort(tmp_path: Path) -> None:
    body = ('<citation><layout delimiter="; "><text variable="title"/></layout></citation>'
            '<bibliography><sort><key variable="title"/></sort><layout><text variable="title"/></layout>'
            '</bibliography>')
    items = [{"id": "b", "type": "book", "title": "Beta"}, {"id": "a", "type": "book", "title": "Alpha"}]
    doc = render_markdown(tmp_path, body, "[@b; @a]", items)
    assert cite_texts(doc) == ["Beta; Alpha"]


def test_sorting_cites_with_cs_sort_except_when_they_carry_affixes(tmp_path: Path) -> None:
    body = ('<citation><sort><key variable="title"/></sort><layout delimiter="; ">'
            '<text variable="title"/></layout></citation>')
    items = [{"id": "b", "type": "book", "title": "Beta"}, {"id": "a", "type": "book", "title": "Alpha"}]
    doc = render_markdown(tmp_path, body, "[@b; @a]\n\n[see @b; @a]", items)
    assert cite_texts(doc) == ["Alpha; Beta", "see Beta; Alpha"]


def test_sort_key_of_a_macro_is_its_text_without_markup(tmp_path: Path) -> None:
    """"The sort key value for a macro ... without rich text markup": quotation marks do not sort."""
    body = ('<macro name="title"><choose><if type="book"><text variable="title" font-style="italic"/></if>'
            '<else><text variable="title" quotes="true"/></else></choose></macro>'
            '<citation><layout><text variable="title"/></layout></citation>'
            '<bibliography><sort><key macro="title"/></sort><layout><text macro="title"/></layout>'
            '</bibliography>')
    items = [{"id": "a", "type": "book", "title": "Beta"},
             {"id": "b", "type": "article-journal", "title": "Alpha"}]
    assert render(tmp_path, body, items)[1] == ["“Alpha”", "Beta"]


@pytest.mark.parametrize("range_format, expected", [
    ("expanded", "pp. 475–476"), ("minimal", "pp. 475–6"), ("chicago", "pp. 475–76")])
def test_page_range_format_applies_to_a_page_locator(tmp_path: Path, range_format: str, expected: str) -> None:
    body = citation_only('<group delimiter=" "><label variable="locator" form="short"/>'
                         '<text variable="locator"/></group>')
    doc = render_markdown(tmp_path, body, "[@item, pp. 475-476]", [item()], cls="in-text")
    assert cite_texts(doc) == ["pp. 475–476"]  # without page-range-format: only the dash
    style = write_style(tmp_path, body, attrs=f' page-range-format="{range_format}"')
    doc = render_citations(markdown_to_ast("[@item, pp. 475-476]", tmp_path / "a.md", 60), [item()], style,
                           lang="en-US")
    assert cite_texts(doc) == [expected]


def test_choose_disambiguate_is_false_without_an_ambiguity(tmp_path: Path) -> None:
    layout = ('<choose><if disambiguate="true"><text variable="title"/></if>'
              '<else><text value="plain"/></else></choose>')
    assert cite(tmp_path, layout, [item(title="T")]) == "plain"


@pytest.mark.parametrize("value, numeric", [
    ("33", True), ("475-476", True), ("2, 4", True), ("2 & 4", True), ("2nd", True), ("D2", True),
    ("L2d", True), ("second", False), ("2nd edition", False), ("preface", False)])
def test_choose_is_numeric_follows_the_definition(value: str, numeric: bool) -> None:
    assert bool(csl_fixes.NUMERIC.match(value)) is numeric


def test_choose_is_numeric_tests_the_locator(tmp_path: Path) -> None:
    body = citation_only('<choose><if is-numeric="locator"><text value="numeric"/></if>'
                         '<else><text value="not numeric"/></else></choose>')
    doc = render_markdown(tmp_path, body, "[@item, p. 33] [@item, chap. intro]", [item()])
    assert cite_texts(doc) == ["numeric", "not numeric"]


@pytest.mark.parametrize("match, expected", [("any", "yes"), ("all", "no"), ("none", "no")])
def test_choose_match_combines_every_condition(tmp_path: Path, match: str, expected: str) -> None:
    layout = (f'<choose><if type="book" variable="volume" match="{match}"><text value="yes"/></if>'
              '<else><text value="no"/></else></choose>')
    assert cite(tmp_path, layout, [item()]) == expected


@pytest.mark.parametrize("match, expected", [("all", "URL"), ("any", "URL"), ("none", "none")])
def test_choose_type_tests_whether_the_type_is_one_of_the_given_types(tmp_path: Path, match: str,
                                                                     expected: str) -> None:
    """"type": one condition, true when the item's type is among the listed ones (csl_fixes)."""
    layout = (f'<choose><if type="post webpage" variable="URL" match="{match}"><text value="URL"/></if>'
              '<else><text value="none"/></else></choose>')
    assert cite(tmp_path, layout, [item(type="webpage", URL="https://example.org")]) == expected


def test_strip_periods_on_the_citation_number(tmp_path: Path) -> None:
    """"strip-periods": the citation number has none to strip (citeproc-py failed on it)."""
    layout = '<text variable="citation-number" strip-periods="true" prefix="(" suffix=")"/>'
    assert cite(tmp_path, layout, [item()]) == "(1)"


def test_second_field_align_sets_the_first_field_apart(tmp_path: Path) -> None:
    body = ('<citation><layout><text variable="citation-number"/></layout></citation>'
            '<bibliography second-field-align="flush"><layout>'
            '<text variable="citation-number" suffix=". "/><text variable="title"/></layout></bibliography>')
    style = write_style(tmp_path, body)
    doc = render_citations(sample_document([item(title="T")]), [item(title="T")], style, lang="en-US")
    entry = next(div for div in elements(doc["blocks"], "Div") if "csl-entry" in div["c"][0][1])
    spans = [(span["c"][0][1], stringify(span["c"][1])) for span in elements(entry, "Span")]
    assert spans == [(["csl-left-margin"], "1. "), (["csl-right-inline"], "T")]


# --- pandoc's citation modes (csl_fixes.watching_names) ------------------------------------------

AUTHOR_DATE = citation_only(
    '<group delimiter=", "><names variable="author"><name form="short"/>'
    '<substitute><text variable="title"/></substitute></names>'
    '<date variable="issued"><date-part name="year"/></date></group>', )


def test_suppress_author_leaves_out_the_first_names(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, AUTHOR_DATE, "[-@smith]", [SMITH])
    assert cite_texts(doc) == ["2001"]


def test_suppress_author_does_not_substitute_the_title(tmp_path: Path) -> None:
    anonymous = {**SMITH, "author": []}
    doc = render_markdown(tmp_path, AUTHOR_DATE, "[-@smith]", [anonymous])
    assert cite_texts(doc) == ["2001"]


def test_author_in_text_puts_the_names_before_the_rest(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, AUTHOR_DATE.replace("<layout>", '<layout prefix="(" suffix=")">'),
                          "@smith says", [SMITH])
    assert cite_texts(doc) == ["Smith (2001)"]


# --- where citations go in the text (citation_notes) ----------------------------------------------

NOTE_STYLE = citation_only('<group delimiter=", "><text variable="title" text-case="lowercase"/>'
                           '<text variable="page"/></group>', ) \
    .replace("<layout>", '<layout suffix=".">')


def note_texts(doc: dict) -> list[str]:
    return [stringify(note["c"]) for note in elements(doc["blocks"], "Note")]


def test_note_style_citation_becomes_a_footnote_with_its_first_letter_capitalized(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, NOTE_STYLE, "Massage helps [@smith].", [SMITH], cls="note")
    para = doc["blocks"][0]["c"]
    assert stringify(para[:-1]) == "Massage helps."
    assert note_texts(doc) == ["A study of backs, 733–741."]


def test_note_style_citation_inside_a_footnote_stays_in_it_in_parentheses(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, NOTE_STYLE, "Text.^[As shown [@smith], it helps.]", [SMITH], cls="note")
    assert note_texts(doc) == ["As shown (a study of backs, 733–741), it helps."]


def test_note_style_citation_opening_a_footnote_is_printed_as_is(tmp_path: Path) -> None:
    doc = render_markdown(tmp_path, NOTE_STYLE, "Text.^[[@smith]]", [SMITH], cls="note")
    assert note_texts(doc) == ["a study of backs, 733–741."]


def test_superscript_citation_follows_the_word_without_a_space(tmp_path: Path) -> None:
    body = citation_only('<text variable="citation-number" vertical-align="sup"/>')
    doc = render_markdown(tmp_path, body, "Massage helps [@smith].", [SMITH])
    para = doc["blocks"][0]["c"]
    assert [node["t"] for node in para] == ["Str", "Space", "Str", "Cite", "Str"]
    assert stringify(para) == "Massage helps1."


def test_remove_final_period_looks_inside_markup_and_before_a_closing_quote() -> None:
    inlines = [{"t": "Emph", "c": [{"t": "Str", "c": "“Title.”"}]}]
    assert stringify(citation_notes.remove_final_period(inlines)) == "“Title”"

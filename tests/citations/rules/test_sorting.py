"""CSL 1.0.2, "Sorting": the order of cites, and sort keys of macros (``rules.sorting``)."""
from __future__ import annotations

from pathlib import Path

from rule_styles import cite_texts, item, render, render_markdown


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


def test_a_variable_sort_key_is_read_without_markup_quotes_or_punctuation(tmp_path: Path) -> None:
    """CSL 1.0.2 "Sorting Variables" read as citeproc-js reads them (``collation_text``)."""
    body = ('<citation><layout><text variable="title"/></layout></citation>'
            '<bibliography><sort><key variable="title"/></sort>'
            '<layout><text variable="title"/></layout></bibliography>')
    items = [item(id="c", title='Simple "title" here C'), item(id="a", title="Simple title, here A"),
             item(id="b", title='"Simple title here B"'), item(id="d", title="<i>Simple</i> title here D")]
    _, entries = render(tmp_path, body, items)
    assert entries == ["Simple title, here A", "“Simple title here B”", "Simple “title” here C",
                       "Simple title here D"]

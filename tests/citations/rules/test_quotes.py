"""CSL 1.0.2, "Quotes" and `punctuation-in-quote` (``rules.quotes``, ``rules.settling``)."""
from __future__ import annotations

from pathlib import Path

from pipeline.citations.rules.quotes import QuoteTerms
from pipeline.citations.rules.settling import settled_text
from pipeline.citations.rules.values import CLOSE_QUOTE, OPEN_QUOTE

from rule_styles import cite, cite_texts, citation_only, item, render, render_markdown


def test_quotes_within_quotes_use_the_inner_quote_terms(tmp_path: Path) -> None:
    layout = '<text variable="title" quotes="true"/>'
    assert cite(tmp_path, layout, [item(title='The "gate" theory')]) == "“The ‘gate’ theory”"


def test_punctuation_in_quote_locale_option_moves_the_comma_inside(tmp_path: Path) -> None:
    body = citation_only('<group delimiter=", "><text variable="title" quotes="true"/>'
                         '<text variable="container-title"/></group>')
    locale = '<locale><style-options punctuation-in-quote="true"/></locale>'
    assert render(tmp_path, locale + body, [item(title="Sciatica", **{"container-title": "Spine"})])[0] == \
        ["“Sciatica,” Spine"]
    assert render(tmp_path, body, [item(title="Sciatica", **{"container-title": "Spine"})], lang="en-GB")[0] == \
        ["‘Sciatica’, Spine"]


def test_punctuation_in_quote_does_not_add_a_period_after_a_question_mark() -> None:
    quotes = QuoteTerms(punctuation_in_quote=True)
    assert settled_text(f"{OPEN_QUOTE}Why?{CLOSE_QUOTE}. Next", quotes) == "“Why?” Next"


def test_the_authors_prefix_quotes_in_the_locales_marks_punctuation_left_in_place(tmp_path: Path) -> None:
    """A prefix's straight quotes become the locale's (CSL 1.0.2 "Quotes"), and the author's
    comma after them is not moved inside (``collapsing.cite_affix``); typographic ones stay."""
    body = citation_only('<text variable="title"/>')
    doc = render_markdown(tmp_path, body, "[\\'quote\\', and ‘this’, @item]", [item(title="T")])
    assert cite_texts(doc) == ["“quote”, and ‘this’, T"]


def test_punctuation_moves_inside_a_quote_that_ends_inside_another() -> None:
    rendered = f"{OPEN_QUOTE}This is {OPEN_QUOTE}The One{CLOSE_QUOTE}{CLOSE_QUOTE}."
    assert settled_text(rendered, QuoteTerms(punctuation_in_quote=True)) == "“This is ‘The One.’”"


def test_straight_quotes_in_a_styles_text_value_nest_as_the_locales(tmp_path: Path) -> None:
    """``quotes.value_quotes_marked``: the style's own text is read as the data is."""
    layout = '<text value="Speak, \'friend\', and enter" quotes="true"/>'
    assert cite(tmp_path, layout, [item()]) == "“Speak, ‘friend,’ and enter”"  # en-US: the comma inside

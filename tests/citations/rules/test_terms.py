"""CSL 1.0.2, "Terms" and "Locale Options" (``rules.terms``)."""
from __future__ import annotations

from pathlib import Path

from rule_styles import citation_only, item, render


def test_terms_form_fallback_verb_short_to_verb_to_long(tmp_path: Path) -> None:
    """"'verb-short' first falls back to 'verb' ... 'verb' and 'short' both fall back to 'long'"."""
    body = ('<locale><terms><term name="edition">edition</term></terms></locale>'
            + citation_only('<text term="edition" form="verb-short"/>'))
    assert render(tmp_path, body, [item()])[0] == ["edition"]


def test_a_term_with_form_long_is_the_long_form(tmp_path: Path) -> None:
    """"form": "long" is the default, so a term defined with form="long" is the long term
    (terms.long_form_is_the_default)."""
    body = ('<locale><terms><term name="no date" form="long">date unknown</term></terms></locale>'
            + citation_only('<text term="no date" prefix="[" suffix="]"/>'))
    assert render(tmp_path, body, [item()])[0] == ["[date unknown]"]


def test_locale_options_fall_back_one_by_one(tmp_path: Path) -> None:
    """Locale fallback: an in-style cs:locale setting another option leaves `punctuation-in-quote`
    to the locale file (true for en-US) (terms.locale_option_with_fallback)."""
    body = citation_only('<group delimiter=", "><text variable="title" quotes="true"/>'
                         '<text variable="container-title"/></group>')
    locale = '<locale><style-options limit-day-ordinals-to-day-1="true"/></locale>'
    assert render(tmp_path, locale + body, [item(title="Sciatica", **{"container-title": "Spine"})])[0] == \
        ["“Sciatica,” Spine"]

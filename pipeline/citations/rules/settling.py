"""The string-level rules, applied once a citation or an entry is wholly rendered.

Some rules can only be applied to the whole text: what follows a quote, how
deep it is nested, which marks meet at a seam across markup. citeproc-py's
rendering leaves private-use marks (``values``) where they apply; here they
are settled, in the order the specification applies the rules.
"""
from __future__ import annotations

from .flipflop import flip_nested_formatting
from .punctuation import collapse_duplicate_periods, settle
from .quotes import QuoteTerms, move_punctuation_into_quotes
from .values import resolve_quotes


def settled_text(rendered: str, quotes: QuoteTerms = QuoteTerms()) -> str:
    """The rendered HTML as the reader gets it: seams settled (CSL "Affixes", "Delimiter"),
    punctuation moved into quotes if the locale asks, the locale's quotation marks in place
    of the marks, no doubled period, and italics within italics in roman (``flipflop``)."""
    rendered = settle(rendered)
    if quotes.punctuation_in_quote:
        rendered = move_punctuation_into_quotes(rendered)
    rendered = collapse_duplicate_periods(resolve_quotes(rendered, quotes.outer, quotes.inner))
    return flip_nested_formatting(rendered)

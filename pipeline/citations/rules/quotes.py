"""CSL 1.0.2, "Quotes", and the locale option `punctuation-in-quote`.

`quotes="true"` wraps the text in the locale's quotation marks; quotes
within quotes use the inner ones; with `punctuation-in-quote`, "commas and
periods following quoted text are placed inside the closing quotation
mark". citeproc-py ignored the option ("…therapy”," instead of "…therapy,”")
and had no inner quotes. The text is wrapped in marks (``values``) that
become quotation marks once the whole citation is rendered (``settling``):
only then is it known what follows the quote and how deep it is nested.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from citeproc.string import String

from .values import CLOSE_QUOTE, OPEN_QUOTE, STRAIGHT_QUOTES, TAGS_PATTERN, mark_quotes

# A run of closing quotes (a quote ending inside a quote: ‘The One’”) and the mark after it.
_PUNCTUATION_AFTER_QUOTE = re.compile("((?:" + CLOSE_QUOTE + TAGS_PATTERN + ")+)([.,!?])")
END_PUNCTUATION = tuple(".,;:!?")


@dataclass(frozen=True)
class QuoteTerms:
    """The locale's quotation marks and its `punctuation-in-quote` option."""

    outer: tuple[str, str] = ("\u201c", "\u201d")
    inner: tuple[str, str] = ("\u2018", "\u2019")
    punctuation_in_quote: bool = False


def quote_terms(root) -> QuoteTerms:
    """The quote terms of the style's locale (``root`` is citeproc-py's cs:style)."""
    def term(name: str) -> str:
        return str(root.get_single_term(name))
    option = (root.get_locale_option("punctuation-in-quote") or "false").lower() == "true"
    return QuoteTerms((term("open-quote"), term("close-quote")),
                      (term("open-inner-quote"), term("close-inner-quote")), option)


def quote_with_marks(self, string):
    """In place of ``Quoted.quote``: the marks, not yet the quotation marks."""
    if self.get("quotes", "false").lower() != "true":
        return string
    return String(OPEN_QUOTE) + string + String(CLOSE_QUOTE)


def move_punctuation_into_quotes(rendered: str) -> str:
    """A period or comma (or ? !) after a closing quote moves inside it.

    If the quoted text already ends in punctuation, the moved mark is
    dropped, as the rule against duplicate punctuation asks. After a quote
    that ends inside another, the mark goes inside both ("‘The One.’”").
    """
    def move(match: re.Match) -> str:
        closers, mark = match.groups()
        before = re.sub(TAGS_PATTERN + "$", "", rendered[:match.start()])
        duplicate = before.endswith(END_PUNCTUATION)
        return ("" if duplicate else mark) + closers

    return _PUNCTUATION_AFTER_QUOTE.sub(move, rendered)


# A style's own text (`<text value="'friend'"/>`) is read as the data is read
# (``values``): its straight quotation marks are quote marks, which become the
# locale's and nest with the quotes around them ("“Speak, ‘friend’ ...”").

def value_quotes_marked(process):
    """cs:text with a value: its straight quotation marks as quote marks."""
    def text(self, item, context=None, **kwargs):
        rendered, language = process(self, item, context=context, **kwargs)
        if "value" in self.attrib and rendered and any(mark in str(rendered) for mark in STRAIGHT_QUOTES):
            rendered = String(mark_quotes(str(rendered), typographic=False))
        return rendered, language
    return text

"""Rules of the CSL 1.0.2 specification that citeproc-py 0.11 breaks, put
right by wrapping its rendering (the installed package is never edited).

Each fix names the rule it implements. No fix knows about a particular
style: they apply to every style that uses the rule. ``apply()`` installs
them once per process; the citation stage calls it before rendering.
"""
from __future__ import annotations

import re

from citeproc import model
from citeproc.string import String

# Private-use characters that bracket a closing quotation mark in citeproc-py's
# output, so that punctuation after it can be moved inside once the whole
# citation is rendered (the move needs to see what follows the quote).
CLOSE_QUOTE_START = "\ue000"
CLOSE_QUOTE_END = "\ue001"
_TAGS = r"(?:</?[a-z]+(?:\s[^>]*)?>)*"
_PUNCTUATION_AFTER_QUOTE = re.compile(
    CLOSE_QUOTE_START + r"([^" + CLOSE_QUOTE_END + r"]*)" + CLOSE_QUOTE_END
    + r"(" + _TAGS + r")([.,])")
_MARKERS = re.compile(f"[{CLOSE_QUOTE_START}{CLOSE_QUOTE_END}]")

_applied = False


def apply() -> None:
    """Install the fixes into citeproc-py's model classes (idempotent)."""
    global _applied
    if _applied:
        return
    model.Quoted.quote = quote_with_movable_punctuation
    model.Date.render_single_date = render_single_date_with_locale_delimiter
    _applied = True


# --- Locale option `punctuation-in-quote` (CSL 1.0.2, "Locale Options") -----------------------
# "If set to 'true', commas and periods following quoted text are placed
# inside the closing quotation mark." citeproc-py reads the option but never
# applies it ("…therapy”," instead of "…therapy,”").

def quote_with_movable_punctuation(self, string):
    if self.get("quotes", "false").lower() != "true":
        return string
    open_quote = self.get_single_term(name="open-quote")
    close_quote = self.get_single_term(name="close-quote")
    if (self.get_locale_option("punctuation-in-quote") or "false").lower() == "true":
        close_quote = String(CLOSE_QUOTE_START + str(close_quote) + CLOSE_QUOTE_END)
    return open_quote + string + close_quote


def move_punctuation_into_quotes(rendered: str) -> str:
    """Finish the `punctuation-in-quote` rule on a fully rendered string.

    A comma or period that follows a marked closing quote moves inside it; if
    the quoted text already ends in that mark (or in ? or !), the moved one is
    dropped, as the rule against duplicate punctuation asks.
    """
    def move(match: re.Match) -> str:
        close_quote, tags, mark = match.groups()
        before = re.sub(_TAGS + "$", "", rendered[:match.start()])
        duplicate = before.endswith((mark, "?", "!")) or (mark == "," and before.endswith("."))
        return ("" if duplicate else mark) + close_quote + tags

    return _MARKERS.sub("", _PUNCTUATION_AFTER_QUOTE.sub(move, rendered))


# --- Localized date formats (CSL 1.0.2, "Localized Date Formats") ----------------------------
# "The delimiter attribute of a localized date format [cs:date in cs:locale]
# ... is used"; the calling cs:date may not set one. citeproc-py joins the
# parts with the caller's (empty) delimiter, giving "2013Sep4".

def render_single_date_with_locale_delimiter(self, date, show_parts=None, context=None):
    if context is not None and context is not self:
        parts = self.parts(date, show_parts, context)
    else:
        parts = self.parts(date, show_parts)
    if not parts:
        return None
    return self.join(parts)

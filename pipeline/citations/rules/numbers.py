"""Numbers: CSL 1.0.2, "Number", page ranges in locators, and the citation number."""
from __future__ import annotations

import re

from citeproc.string import String


# --- Number variables (CSL 1.0.2, "Number", Appendix IV "Number Variables") ------------------
# cs:number renders "the number variable selected with the required variable
# attribute"; citeproc-py looked up "number-of-pages", "collection-number"
# and the other hyphenated names as written, found nothing and printed
# nothing ("Philadelphia: Wolters Kluwer. 3rd ed." without "1008 p.").

def number_variable_by_its_name(process):
    def number(self, item, context=None, **kwargs):
        variable = self.get("variable", "")
        if "-" not in variable or variable == "page-first":
            return process(self, item, context=context, **kwargs)
        return self._process(item.reference[variable.replace("-", "_")], variable)
    return number


# --- Page locators (CSL 1.0.2, "page-range-format" and the term "page-range-delimiter") ----------
# Page ranges are formatted by the style's page-range-format and joined with
# its page-range-delimiter; a locator of type "page" is a page range too
# ("pp. 475–76" in Chicago, "pp475-476" in AMA). citeproc-py only ever
# replaced its hyphens by en dashes. A range of another locator ("chaps.
# 200 - 201") is a range of numbers as well: "200–201", the spaces around
# its dash gone, as for pages.

NUMBER_RANGE = re.compile(r"(\d)\s*[-\u2013]\s*(?=\d)")


def page_locator_as_page_range(variable_text):
    def text(self, item, context):
        if self.get("variable") == "locator" and item.has_locator and item.locator.label == "page":
            return self._process(str(item.locator.identifier), "page")
        value = variable_text(self, item, context)
        if self.get("variable") == "locator" and value is not None:
            return String(NUMBER_RANGE.sub("\\1\u2013", str(value)))
        return value
    return text


# --- Ampersands in number values (CSL 1.0.2, "Number": "1 & 2" is a list of numbers) -----------
# citeproc-py splits a number value at "&" and joins the parts with an
# escaped ampersand. The values reach it escaped for its HTML (``values``),
# so "1 &amp; 2" was split inside the entity and printed "1 &amp; amp; 2".
# The value is split at its real ampersands; other entities ("&lt;") are
# kept whole.

ENTITY = re.compile(r"&(?!amp;)([a-z]+|#\d+);", re.I)
ENTITY_MARK = "\ue006"  # stands for an entity kept whole while the value is split


def number_value_unescaped(_process):
    def process(self, value, variable):
        text = str(value)
        if "&" not in text:
            return _process(self, value, variable)
        entities = ENTITY.findall(text)
        text = ENTITY.sub(ENTITY_MARK, text).replace("&amp;", "&")
        rendered = _process(self, text, variable)
        if not entities:
            return rendered
        pieces = str(rendered).split(ENTITY_MARK)
        return String(pieces[0] + "".join(f"&{name};{piece}" for name, piece in zip(entities, pieces[1:])))
    return process


# --- An escaped hyphen (citeproc-js's convention, read by pandoc's citeproc too) ------------------
# CSL 1.0.2, "Number": a value with a hyphen is a range ("3-4", printed "3–4",
# with a plural label). A backslash before the hyphen ("327\-30", "3\-B")
# says it is none: one number, printed with a plain hyphen. citeproc-py split
# the value there and printed "327\–30".

# A hyphen between two words that are not numbers ("Michaelson-Morely") joins
# them: no range either, as citeproc-js reads it; roman numerals are numbers
# ("i-ix" is a range).

ESCAPED_HYPHEN = "\\-"
HYPHEN_MARK = "\ue007"  # stands for the escaped hyphen while the value is formatted
JOINED_WORDS = re.compile(r"(?<![\w\\])([^\W\d_]+)-([^\W\d_]+)(?!\w)")
ROMAN = re.compile(r"[ivxlcdm]+", re.I)


def hyphens_that_are_no_range(text: str) -> str:
    """The value with its escaped hyphens and its hyphens between words as HYPHEN_MARK."""
    def joined(match: re.Match) -> str:
        if ROMAN.fullmatch(match[1]) and ROMAN.fullmatch(match[2]):
            return match[0]
        return match[1] + HYPHEN_MARK + match[2]
    return JOINED_WORDS.sub(joined, text.replace(ESCAPED_HYPHEN, HYPHEN_MARK))


def escaped_hyphen_kept(_process):
    def process(self, value, variable):
        text = str(value)
        marked = hyphens_that_are_no_range(text)
        if marked == text:
            return _process(self, value, variable)
        rendered = _process(self, marked, variable)
        return String(str(rendered).replace(HYPHEN_MARK, "-"))
    return process


# --- Strip-periods (CSL 1.0.2, "Formatting": "strip-periods") -------------------------------
# "When set to 'true' ... any periods in the rendered text are removed." The
# citation number reaches citeproc-py's rendering as an int, which has no
# periods to remove; citeproc-py called ``replace`` on it and failed.

def strip_periods_of_text(strip_periods):
    def strip(self, string):
        if isinstance(string, int):
            return string
        return strip_periods(self, string)
    return strip

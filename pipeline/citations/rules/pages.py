"""CSL 1.0.2, "Appendix V: Page Range Formats": the style's `page-range-format`.

``page_ranges_formatted`` wraps citeproc-py's ``FormatNumber._process`` for the
"page" variable (and a page locator, which ``numbers`` renders as one) when
the style sets `page-range-format`. Each range of the value ("N110 - 5",
"321-28", several joined by "," or "&") is read as first and last page, each
a prefix and a number:

- an abbreviated last page is read in full first ("100-4" is 100 to 104,
  "1536-538" is 1536 to 1538), then written as the format asks:
  "expanded" in full ("110–115"); "minimal" with the digits that repeat
  the first page left out ("101–8"); "minimal-two" the same, but at least
  two digits ("321–28"); "chicago" (the Chicago Manual's 15th edition, also
  "chicago-15") and "chicago-16" by the rules the appendix gives: all digits
  below 100 and from a multiple of 100 ("71–72", "100–104"), the changed part
  only from 101 to 109 in a hundred ("107–8"), at least two digits otherwise
  ("321–28", "11564–68"), and in chicago-15 all digits when a four-digit page
  changes in three of them ("1496–1504");
- the same prefix on both pages ("N110 - N5") keeps it: in full with
  "expanded" ("N110–N115"), on the first page only otherwise ("n11564–8");
- pages with different prefixes ("N110 - 5", "110 - N6") are no range to
  shorten: they are kept as written, joined by a plain hyphen, as
  citeproc-js keeps them; pages without numbers ("xxv-xxviii") are joined
  by the range delimiter as they are.

The delimiter is the locale's `page-range-delimiter` term, else an en dash.
citeproc-py formatted only the written digits ("100-4" stayed "100–4"),
chose chicago's forms by other thresholds, and dashed every hyphen.
"""
from __future__ import annotations

import re

from citeproc.string import String

PAGE = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")
RANGE = re.compile(r"^(?P<first>.+?)\s*(?:-+|\u2013)\s*(?P<last>.+)$")
LIST_SEPARATOR = re.compile(r"\s*([,&])\s*")
FORMATS = ("expanded", "minimal", "minimal-two", "chicago", "chicago-15", "chicago-16")


def page_ranges_formatted(_process):
    def process(self, value, variable):
        range_format = self.get_root().get("page-range-format")
        if variable != "page" or range_format not in FORMATS:
            return _process(self, value, variable)
        delimiter = self.get_single_term(name="page-range-delimiter") or "\u2013"
        parts = LIST_SEPARATOR.split(str(value).strip())
        out = []
        for index, part in enumerate(parts):
            if index % 2:
                out.append(", " if part == "," else " & ")
            else:
                out.append(formatted_range(part, range_format, str(delimiter)))
        return String("".join(out))
    return process


def formatted_range(text: str, range_format: str, delimiter: str) -> str:
    match = RANGE.match(text.strip())
    if match is None:
        return text.strip()
    first, last = match["first"], match["last"]
    first_page, last_page = PAGE.match(first), PAGE.match(last)
    if first_page is None or last_page is None:
        return f"{first}{delimiter}{last}"
    prefix = first_page["prefix"]
    if last_page["prefix"] and last_page["prefix"] != prefix or not last_page["prefix"] and prefix:
        return f"{first}-{last}"
    start, end = first_page["number"], full_last_page(first_page["number"], last_page["number"])
    if range_format == "expanded":
        return f"{prefix}{start}{delimiter}{prefix}{end}"
    return f"{prefix}{start}{delimiter}{shortened(start, end, range_format)}"


def full_last_page(first: str, last: str) -> str:
    """"100-4": the last page is 104."""
    if len(last) >= len(first):
        return last
    return first[:len(first) - len(last)] + last


def shortened(first: str, last: str, range_format: str) -> str:
    if len(first) != len(last):
        return last
    if range_format in ("chicago", "chicago-15", "chicago-16"):
        range_format = chicago_form(int(first), first, last, range_format)
    common = common_prefix(first, last)
    if range_format == "minimal":
        return last[min(common, len(last) - 1):]
    if range_format == "minimal-two":
        return last[min(common, max(len(last) - 2, 0)):]
    return last


def chicago_form(number: int, first: str, last: str, range_format: str) -> str:
    if number < 100 or number % 100 == 0:
        return "expanded"
    if 1 <= number % 100 <= 9:
        return "minimal"
    if range_format != "chicago-16" and len(first) == 4 and common_prefix(first, last) < 2:
        return "expanded"  # chicago-15: four digits, three of them changing
    return "minimal-two"


def common_prefix(first: str, last: str) -> int:
    count = 0
    for a, b in zip(first, last):
        if a != b:
            break
        count += 1
    return count

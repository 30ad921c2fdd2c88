"""CSL 1.0.2, "Ordinal Suffixes" and "Gender-specific Ordinals": "3rd", "3.", "1ʳᵉ".

``to_ordinal`` replaces citeproc-py's; ``day_with_month_gender`` tells it,
while a day of the month renders, the gender of that month's term.
"""
from __future__ import annotations

import re

from citeproc import model
from citeproc.source import VariableError

from .state import render_state


# CSL 1.0.2, "Ordinal Suffixes" and "Gender-specific Ordinals":
# "(Re)defining any of the ordinal terms through cs:locale replaces all
# previously defined ordinal terms": the suffixes come from the first
# locale, in fallback order, that defines any of "ordinal", "ordinal-00" ...
# "ordinal-99", and from that locale only. citeproc-py looked each term up
# through every locale, so German and French styles found en-US's
# "ordinal-03" before their own "ordinal" ("3rd Aufl." for "3. Aufl.").
# Within the set: "ordinal-10" to "ordinal-99" match the last two digits
# (or the whole number), "ordinal-00" to "ordinal-09" the last digit (or the
# last two digits, or the whole number), else the "ordinal" term; the CSL
# 1.0 scheme (no "ordinal", only "ordinal-01" to "-04") is kept. The term of
# the same gender as the noun (the variable's term, or the month's for a
# day) is used, falling back to the neuter one.
ORDINAL_TERM = re.compile(r"^ordinal(?:-(\d\d))?$")


def ordinal_terms(context) -> list:
    """The ordinal terms of the first locale (in fallback order) that defines any."""
    root = context.get_root()
    locales = [root] if isinstance(root, model.Locale) else (root.locales or [])
    for locale in locales:
        terms = locale.find("cs:terms", locale.nsmap)
        found = [term for term in (terms if terms is not None else [])
                 if isinstance(term.tag, str) and ORDINAL_TERM.match(term.get("name", ""))
                 and term.get("form") is None]
        if found:
            return found
    return []


def ordinal_suffix(number: int, terms: list, gender: str | None) -> str:
    def pick(candidates):
        gendered = [t for t in candidates if gender and t.get("gender-form") == gender]
        neuter = [t for t in candidates if t.get("gender-form") is None]
        chosen = (gendered or neuter)
        return str(chosen[0].single) if chosen else None

    def matches(term, digits: int) -> bool:
        wanted = int(ORDINAL_TERM.match(term.get("name"))[1])
        match = term.get("match", "last-two-digits" if digits == 2 else "last-digit")
        if match == "whole-number":
            return number == wanted
        return number % (100 if match == "last-two-digits" else 10) == wanted

    numbered = [t for t in terms if ORDINAL_TERM.match(t.get("name"))[1] is not None]
    has_default = any(t.get("name") == "ordinal" for t in terms)
    if not has_default and {t.get("name") for t in numbered} >= {f"ordinal-0{i}" for i in range(1, 5)}:
        last = 4 if number % 100 in (11, 12, 13) else min(number % 10 or 4, 4)
        return pick([t for t in numbered if t.get("name") == f"ordinal-0{last}"]) or ""
    for digits, group in ((2, [t for t in numbered if int(ORDINAL_TERM.match(t.get("name"))[1]) >= 10]),
                          (1, [t for t in numbered if int(ORDINAL_TERM.match(t.get("name"))[1]) < 10])):
        found = pick([t for t in group if matches(t, digits)])
        if found is not None:
            return found
    return pick([t for t in terms if t.get("name") == "ordinal"]) or ""


def noun_gender(context) -> str | None:
    """The gender of the noun an ordinal goes with: the variable's term, or the month's."""
    day = render_state().month_gender
    if day is not None:  # a day of the month, whichever element passed the context
        return day[1]
    variable = context.get("variable") if hasattr(context, "get") else None
    if not variable:
        return None
    term = context.get_term(variable)
    return term.get("gender") if term is not None else None


def to_ordinal(number, context):
    return str(number) + ordinal_suffix(int(number), ordinal_terms(context), noun_gender(context))


def day_with_month_gender(process):
    def part(self, date, context=None):
        if self.get("name") != "day":
            return process(self, date, context)
        gender = None
        try:
            term = self.get_term(f"month-{int(date.month):02}")
            gender = term.get("gender") if term is not None else None
        except (VariableError, AttributeError, TypeError, ValueError):
            pass
        with render_state().changed(month_gender=("day", gender)):
            return process(self, date, context)
    return part

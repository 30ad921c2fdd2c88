"""CSL 1.0.2, "Disambiguation": which cites are ambiguous, for the `disambiguate` condition.

citeproc-py does no disambiguation. The condition `disambiguate="true"` of
cs:choose ("Choose") "only tests true when ... disambiguation" is needed,
that is, for a cite whose rendering is the same as that of a cite of
another item. ``find_ambiguous`` renders each registered item as a cite
(no locator, no affixes, as if cited first) and, while two items render
alike, lets the next of the style's `disambiguate` conditions (in the
order the style writes them) test true for those items, as citeproc-js
does: one condition after the other, only as far as needed. The condition
then reads the level an item reached (``conditions``), in its citations
and in its bibliography entry.

Before the conditions (the specification's step 3, `disambiguate-add-year-
suffix`): items whose cites still read alike get year-suffixes, "a", "b",
..., "z", "aa" ..., in the order of the bibliography, one series for each
set of items that read alike; the suffix is the `year-suffix` variable, and
a style that never renders that variable gets it after the year of the
first issued date (``date_with_implicit_year_suffix``). The names come
first in the specification (steps 1 and 2, add names and given names),
which are not done here: where the style asks for them and the items'
names differ, no suffix is added (the cites stay as they were).
"""
from __future__ import annotations

from collections import defaultdict

from .punctuation import visible
from .state import render_state

DISAMBIGUATE_CONDITION = ".//cs:if[@disambiguate='true'] | .//cs:else-if[@disambiguate='true']"


def find_ambiguous(style_root, bibliography) -> None:
    """Record on ``bibliography`` how many of the style's `disambiguate` conditions test true
    for each item (``disambiguation_levels``); only for a style that has such a condition."""
    bibliography.disambiguation_levels = {}
    add_year_suffixes(style_root, bibliography)
    found = style_root.xpath_search(DISAMBIGUATE_CONDITION)
    if not found:
        return
    # Each condition's place in the order of the conditions of its section: the
    # bibliography's own count apart (its entry reflects what the cites needed).
    in_entries = [bool(condition.xpath_search("./ancestor::cs:bibliography")) for condition in found]
    conditions = [condition for condition, entry in zip(found, in_entries) if not entry]
    bibliography.disambiguate_conditions = {
        condition.getroottree().getpath(condition): in_entries[:number].count(entry)
        for number, (condition, entry) in enumerate(zip(found, in_entries))}
    levels = {item.key: 0 for item in bibliography.items}
    bibliography.disambiguation_levels = levels
    raised = True
    while raised:
        raised = False
        for keys in alike(style_root.citation, bibliography.items):
            for key in keys:
                if levels[key] < len(conditions):
                    levels[key] += 1
                    raised = True


def alike(citation, items) -> list[list[str]]:
    """The keys of the items whose cites render alike, in groups of two or more."""
    layout = citation.layout
    keys_by_text: dict[str, list[str]] = defaultdict(list)
    cites_before = getattr(citation, "cites", None)
    citation.cites = []  # each item rendered as if cited first
    try:
        for item in items:
            layout.repressed = {}
            rendered = layout.render_children(item)
            keys_by_text[visible(rendered) if rendered is not None else ""].append(item.key)
    finally:
        if cites_before is None:
            del citation.cites
        else:
            citation.cites = cites_before
    return [keys for keys in keys_by_text.values() if len(keys) > 1]


def disambiguates(condition, item) -> bool:
    """Whether ``condition`` (a cs:if or cs:else-if with `disambiguate`) tests true for ``item``."""
    try:
        bibliography = item.bibliography
    except AttributeError:  # an item outside a citation
        return False
    levels = getattr(bibliography, "disambiguation_levels", None)
    if not levels:
        return False
    index = bibliography.disambiguate_conditions.get(condition.getroottree().getpath(condition))
    return index is not None and levels.get(item.key, 0) > index


# --- Year-suffixes (CSL 1.0.2, "Disambiguation", step 3; "year-suffix" variable) ---------------

NAME_VARIABLES = ("author", "editor", "translator", "director", "composer", "illustrator")


def add_year_suffixes(style_root, bibliography) -> None:
    citation = style_root.citation
    if citation.get("disambiguate-add-year-suffix", "false").lower() != "true":
        return
    by_names = any(citation.get(option, "false").lower() == "true"
                   for option in ("disambiguate-add-names", "disambiguate-add-givenname"))
    style_root.implicit_year_suffix = not style_root.xpath_search(".//cs:text[@variable='year-suffix']")
    position = {item.key: index for index, item in enumerate(bibliography.items)}
    for keys in alike(citation, bibliography.items):
        if by_names and len({names_of(bibliography.source[key]) for key in keys}) > 1:
            continue
        for number, key in enumerate(sorted(keys, key=position.get)):
            bibliography.source[key]["year_suffix"] = suffix_letters(number)


def names_of(reference) -> str:
    return repr([reference.get(variable) for variable in NAME_VARIABLES])


def suffix_letters(number: int) -> str:
    """0 → "a", 25 → "z", 26 → "aa" (citeproc-js's series)."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def date_with_implicit_year_suffix(process):
    """cs:date of `issued`: the item's year-suffix after the year, if the style renders no
    `year-suffix` variable itself."""
    def date(self, item, variable=None, show_parts=None, context=None, **kwargs):
        suffix = implicit_suffix(self, item, variable)
        if suffix is None:
            return process(self, item, variable, show_parts, context, **kwargs)
        with render_state().changed(year_suffix=suffix):
            return process(self, item, variable, show_parts, context, **kwargs)
    return date


def implicit_suffix(date, item, variable) -> str | None:
    if (variable or date.get("variable")) != "issued" or date.is_locale_date():
        return None
    if not getattr(date.get_root(), "implicit_year_suffix", False):
        return None
    try:
        return item.reference.get("year_suffix")
    except AttributeError:
        return None


def year_with_suffix(process):
    """cs:date-part name="year": the pending implicit year-suffix appended (once)."""
    def part(self, date, context=None):
        text = process(self, date, context)
        state = render_state()
        if state.year_suffix and self.get("name") == "year" and text is not None:
            text, state.year_suffix = text + state.year_suffix, None
        return text
    return part

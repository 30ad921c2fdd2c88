"""CSL 1.0.2, Appendix IV, "Standard Variables": the `citation-label` an item without one gets.

"citation-label: label identifying the item in in-text citations of label
styles (e.g. "Ferr78"). May be assigned by the CSL processor based on item
metadata." It is assigned as citeproc-js and pandoc's citeproc assign it,
when the references are prepared (so that a sort key of the label sees it
too): the first four letters of a sole author's family name, two of each of
two or three authors', one of each of the first four of more (particles
left out: "von Dipheria" is "D"; another name
variable where there is no author, "Xyz" where there is none), then the last
two digits of the year issued. A year-suffix follows the label where two
read alike (``disambiguation.label_with_implicit_year_suffix``).
"""
from __future__ import annotations

from .name_parts import parsed_name

LABEL_NAME_VARIABLES = ("author", "editor", "translator", "container-author", "collection-editor",
                        "composer", "director", "illustrator", "interviewer", "original-author",
                        "recipient", "reviewed-author")


def with_citation_label(item: dict) -> dict:
    """The CSL-JSON item, with a `citation-label` made for it if it has none."""
    if item.get("citation-label"):
        return item
    return {**item, "citation-label": trigraph(item)}


def trigraph(item: dict) -> str:
    authors = next((item[variable] for variable in LABEL_NAME_VARIABLES
                    if isinstance(item.get(variable), list) and item[variable]), None)
    if authors:
        letters = 4 if len(authors) == 1 else (1 if len(authors) >= 4 else 2)
        names = "".join(str(parsed_name(name).get("family", ""))[:letters] for name in authors[:4]
                        if isinstance(name, dict))
    else:
        names = "Xyz"
    return names + two_digit_year(item.get("issued"))


def two_digit_year(issued) -> str:
    """"02" for 2002 (the first year of a range); "" without a year."""
    try:
        year = int(issued["date-parts"][0][0])
    except (TypeError, KeyError, IndexError, ValueError):
        return ""
    return f"{year % 100:02d}"

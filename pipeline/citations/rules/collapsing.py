"""CSL 1.0.2, "Citation-specific Options: Cite Grouping, Cite Collapsing".

citeproc-py reads the options but collapses nothing: "[1,2,3,5]" where the
style asks for "[1–3,5]". ``joined_cites`` joins the rendered cites of one
citation as the `collapse` option asks:

- "citation-number": "collapses ranges of cite numbers (rendered through
  the 'citation-number' variable) ... into a range": three or more cites
  whose numbers follow one another, in the order printed, become the first
  and the last joined by an en dash ("1–3"); two stay apart ("1, 2"), as a
  repeated number breaks a run ("1, 2, 2–4"). A cite with a locator or with
  the author's own prefix or suffix is kept whole (its words would be lost
  inside a range).
- "year", "year-suffix", "year-suffix-ranged": cites are grouped first (see
  below), and "collapses cites with identical names by suppressing the
  rendered names of subsequent cites in the group" ("Smith 1900, 2000").
- `after-collapse-delimiter`: "the delimiter for cites that follow a
  collapsed cite group" or range, and within a group after a cite with a
  locator ("Wong 1999, 328; 2000, 475") or after collapsed year-suffixes
  ("Smith 2000a–c; 2001"), where citeproc-js applies it too (default: the
  layout's delimiter).

Cite grouping ("Cite Grouping"), when the citation sets
`cite-group-delimiter` or collapses by year: "cites with identical rendered
names are grouped together", the names being the output of the first
cs:names a cite renders; "grouped cites maintain their relative order, and
are moved to the original location of the first cite of the group". The
cites of a group are delimited by `cite-group-delimiter` (default ", ").
pandoc's author modes ("[-@key]", "@key says") leave the names out already:
their citations are not grouped.
"""
from __future__ import annotations

from dataclasses import dataclass

from citeproc.string import String

from .punctuation import join_with_seams, visible
from .state import NamesWatch, render_state
from .quotes import quote_terms
from .values import SEAM, escaped, mark_quotes, resolve_quotes

RANGE_DASH = "\u2013"
YEAR_COLLAPSES = ("year", "year-suffix", "year-suffix-ranged")
DEFAULT_CITE_GROUP_DELIMITER = ", "


@dataclass
class Cite:
    """One rendered cite; ``group`` > 0 for the later cites of a cite group."""

    item: object
    output: object
    names: object = None  # what its first cs:names rendered
    group: int = 0
    before: str | None = None  # the delimiter before it, where collapsing decides it


def rendered_cites(layout, items) -> list[Cite]:
    """Each cite of ``items`` rendered (pandoc's prefix and suffix around it), grouped if the
    citation groups cites; the ones that render nothing are left out."""
    citation = layout.getparent()
    outer = render_state().names_watch
    grouping = (citation.get("cite-group-delimiter") is not None
                or citation.get("collapse") in YEAR_COLLAPSES) and not (outer and outer.suppress)
    cites = []
    for item in items:
        output, names = render_cite(layout, item, watch=grouping)
        if output is not None and str(output) != "":
            cites.append(Cite(item, output, names))
            citation.cites.append(item)
    if not grouping:
        return cites
    if outer is not None and outer.first_names is None and cites:
        outer.first_names = cites[0].names
    return grouped(layout, cites)


def render_cite(layout, item, watch: bool, suppress_names: bool = False):
    layout.repressed = {}
    if not watch:
        output = layout.render_children(item)
        names = None
    else:
        names_watch = NamesWatch(suppress=suppress_names)
        with render_state().changed(names_watch=names_watch):
            output = layout.render_children(item)
        names = names_watch.first_names
    if output is not None and str(output) != "":
        output = cite_affix(layout, item, "prefix") + output + cite_affix(layout, item, "suffix")
    return output, names


def cite_affix(layout, item, name: str) -> str:
    """The author's prefix or suffix as citeproc-js reads it: markup characters escaped
    (``values``), straight quotation marks as the locale's, typographic ones as typed; the
    punctuation after them stays where the author put it."""
    text = str(item.get(name, "") or "")
    if not text:
        return ""
    terms = quote_terms(layout.get_root())
    return resolve_quotes(mark_quotes(escaped(text), typographic=False), terms.outer, terms.inner)


# Cites that print no names (a cite of the year alone) have identical names, the
# empty ones, where the citation collapses year-suffixes: "(1965a, b)".
NO_NAMES = {"year-suffix": "\0", "year-suffix-ranged": "\0"}


def grouped(layout, cites: list[Cite]) -> list[Cite]:
    """The cites with the same names together, where the first of them stood; the later ones
    of a group without their names if the citation collapses by year."""
    citation = layout.getparent()
    collapse = citation.get("collapse")
    groups: dict[str, list[Cite]] = {}
    order: list[list[Cite]] = []
    for cite in cites:
        key = visible(cite.names) if cite.names is not None else NO_NAMES.get(collapse, "")
        if key and key in groups:
            groups[key].append(cite)
            continue
        members = [cite]
        if key:
            groups[key] = members
        order.append(members)
    result = []
    for members in order:
        for position, cite in enumerate(members):
            cite.group = position
            if position and collapse in YEAR_COLLAPSES:
                cite.output, _ = render_cite(layout, cite.item, watch=True, suppress_names=True)
        if collapse in ("year-suffix", "year-suffix-ranged"):
            members = suffixes_collapsed(members, collapse == "year-suffix-ranged",
                                         year_suffix_delimiter(citation, layout))
        result.extend(members)
    return result


# "year-suffix": "collapses ... by suppressing the rendered names of subsequent
# cites in the group and the year of cites with identical years" ("Doe 2000a,
# b"), the suffixes delimited by `year-suffix-delimiter` (default: the
# cite-group-delimiter if set, else the layout's delimiter); "year-suffix-ranged" also "collapses ranges of year-suffixes"
# ("2000a–c", three or more, as citation numbers). A cite with a locator or
# the author's own words keeps its year.

def year_suffix_delimiter(citation, layout) -> str:
    """`year-suffix-delimiter`, by default the layout's delimiter; where the style sets a
    `cite-group-delimiter`, "the delimiter for cites within a cite group", that one: a
    collapsed suffix is a cite of the group ("Aalto 2015a, b"), as citeproc-js reads it."""
    return citation.get("year-suffix-delimiter",
                        citation.get("cite-group-delimiter", layout.get("delimiter", "")))


def suffixes_collapsed(members: list[Cite], ranged: bool, delimiter: str) -> list[Cite]:
    out: list[Cite] = []
    run: list[Cite] = []  # the suffix-only cites after out[-1]
    for cite in members:
        suffix = year_suffix_of(cite.item)
        if out and suffix and same_year(out[-1 - len(run)] if run else out[-1], cite) and \
                year_suffix_of((run or out)[-1].item):
            cite.output, cite.before = String(suffix), delimiter
            run.append(cite)
        else:
            run = []
        out.append(cite)
    if ranged:
        out = suffix_ranges(out)
    return out


def suffix_ranges(cites: list[Cite]) -> list[Cite]:
    """Runs of three or more consecutive suffixes (the first the full cite's) as a range."""
    out: list[Cite] = []
    index = 0
    while index < len(cites):
        end = index
        while end + 1 < len(cites) and cites[end + 1].before is not None and \
                next_letter(year_suffix_of(cites[end].item)) == year_suffix_of(cites[end + 1].item):
            end += 1
        if end - index >= 2:
            last = cites[end]
            last.output, last.before = String(RANGE_DASH + year_suffix_of(last.item)), ""
            out += [cites[index], last]
        else:
            out += cites[index:end + 1]
        index = end + 1
    return out


def year_suffix_of(item) -> str | None:
    if keeps_its_words(item):
        return None
    try:
        return item.reference.get("year_suffix")
    except AttributeError:
        return None


def same_year(first: Cite, second: Cite) -> bool:
    def year(cite):
        issued = cite.item.reference.get("issued")
        return getattr(issued, "year", None) if issued is not None else None
    return year(first) is not None and year(first) == year(second)


def next_letter(suffix: str | None) -> str | None:
    return chr(ord(suffix) + 1) if suffix and len(suffix) == 1 and suffix != "z" else None


def joined_cites(layout, cites: list[Cite]):
    """The rendered cites joined by the layout's delimiter, collapsed as the citation's
    `collapse` option asks, the cites of a group by the `cite-group-delimiter`."""
    delimiter = layout.get("delimiter", "")
    citation = layout.getparent()
    after_collapse = citation.get("after-collapse-delimiter", delimiter)
    collapse = citation.get("collapse")
    if collapse == "citation-number" and len(cites) >= 3:
        return joined_numbers(cites, delimiter, after_collapse)
    group_delimiter = citation.get("cite-group-delimiter", DEFAULT_CITE_GROUP_DELIMITER)
    joined = None
    for index, cite in enumerate(cites):
        if joined is None:
            joined = cite.output
            continue
        previous = cites[index - 1]
        if cite.before is not None:
            between = cite.before
        elif collapse in YEAR_COLLAPSES and (previous.group if not cite.group else
                                             previous.item.has_locator or previous.before is not None):
            between = after_collapse
        elif cite.group:
            between = group_delimiter
        else:
            between = delimiter
        joined = join_with_seams([joined, cite.output], between)
    return joined


def joined_numbers(cites: list[Cite], delimiter: str, after_collapse: str):
    joined = None
    last_was_range = False
    for run in number_runs(cites):
        if len(run) >= 3:
            pieces = [run[0].output + String(SEAM + RANGE_DASH + SEAM) + run[-1].output]
        else:
            pieces = [cite.output for cite in run]
        for piece in pieces:
            joined = piece if joined is None else join_with_seams(
                [joined, piece], after_collapse if last_was_range else delimiter)
            last_was_range = len(run) >= 3
    return joined


def number_runs(cites: list[Cite]) -> list[list[Cite]]:
    """The cites in runs of consecutive citation numbers (a cite that may not collapse alone)."""
    runs: list[list[Cite]] = []
    previous = None
    for cite in cites:
        number = None if keeps_its_words(cite.item) else cite.item.number
        if runs and previous is not None and number == previous + 1:
            runs[-1].append(cite)
        else:
            runs.append([cite])
        previous = number
    return runs


def keeps_its_words(item) -> bool:
    return item.has_locator or "prefix" in item or "suffix" in item

"""CSL 1.0.2, "Disambiguation": cites that would read alike, told apart.

citeproc-py does no disambiguation. ``find_ambiguous`` renders each
registered item as a cite (no locator, no affixes, as if cited first: the
uncited items of the bibliography count too, as the specification asks;
and, where the style writes a cite of a work cited before otherwise, as
cited before too: ``alike_cites``), finds the sets of items whose cites
read alike, and applies the methods in
the specification's order, each to the sets the one before left ambiguous,
as pandoc's citeproc does:

1. `disambiguate-add-names`: names hidden by et-al abbreviation are added,
   one at a time, until a cite reads unlike the others of its set, or the
   set splits in smaller ones (``add_names``); a cite that no number of
   names tells apart keeps its abbreviation.
2. `disambiguate-add-givenname`, with `givenname-disambiguation-rule`
   ("Name expansion"): a name whose family name is that of another name is
   shown with initials, or with the full given name where the initials are
   the same too. The rules all-names, all-names-with-initials, primary-name
   and primary-name-with-initials apply to every name (or every first name)
   of every cite, ambiguous or not (``global_name_hints``); by-cite, the
   default, only to the names of ambiguous cites (``by_cite_name_hints``).
   The *-with-initials rules stop at initials.
3. `disambiguate-add-year-suffix`: items whose cites still read alike get
   year-suffixes, "a", "b", ..., "z", "aa" ..., in the order of the
   bibliography, one series for each set of items that read alike; the
   suffix is the `year-suffix` variable, and a style that never renders
   that variable gets it after the year of the first issued date
   (``date_with_implicit_year_suffix``).
4. The condition `disambiguate="true"` of cs:choose ("Choose") "only tests
   true when ... disambiguation" is still needed: while two items render
   alike, the next of the style's `disambiguate` conditions (in the order the
   style writes them) tests true for those items, as citeproc-js does: one
   condition after the other, only as far as needed. The condition then
   reads the level an item reached (``conditions``), in its citations and in
   its bibliography entry.

Names expansions are read by ``names`` (``NameExpansion``) as it renders an
item's names in a citation.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from citeproc.source import Citation, CitationItem

from .names import (ADD_GIVEN_NAME, ADD_GIVEN_NAME_IF_PRIMARY, ADD_INITIALS, ADD_INITIALS_IF_PRIMARY,
                    NameExpansion, initialize, name_identity)
from .punctuation import visible
from .state import render_state

DISAMBIGUATE_CONDITION = ".//cs:if[@disambiguate='true'] | .//cs:else-if[@disambiguate='true']"


@dataclass
class Cite:
    """One item rendered as a cite, to be compared: its text and the names it printed."""

    key: str
    text: str
    names: list


def find_ambiguous(style_root, bibliography) -> None:
    """Disambiguate the cites of ``bibliography``'s items as the style asks: the names'
    expansions (``name_expansions``), the year-suffixes, and how many of the style's
    `disambiguate` conditions test true for each item (``disambiguation_levels``)."""
    bibliography.disambiguation_levels = {}
    citation = style_root.citation
    bibliography.name_expansions = {item.key: NameExpansion() for item in bibliography.items}
    rule = givenname_rule(citation)
    if rule not in (None, "by-cite"):
        global_name_hints(rule, rendered_cites(citation, bibliography.items), bibliography.name_expansions)
    steps = rule is not None or any(option_set(citation, option) for option in
                                    ("disambiguate-add-names", "disambiguate-add-year-suffix"))
    ambiguous = alike_cites(citation, bibliography.items) if steps else []
    if ambiguous and option_set(citation, "disambiguate-add-names"):
        for cites in ambiguous:
            add_names(cites, rule, bibliography.name_expansions)
        ambiguous = alike_cites(citation, bibliography.items)
    if ambiguous and rule == "by-cite":
        for cites in ambiguous:
            by_cite_name_hints(cites, bibliography.name_expansions)
        ambiguous = alike_cites(citation, bibliography.items)
    if ambiguous and option_set(citation, "disambiguate-add-year-suffix"):
        add_year_suffixes(style_root, bibliography, [[cite.key for cite in cites] for cites in ambiguous])
    find_disambiguate_levels(style_root, bibliography)


def option_set(citation, option: str) -> bool:
    return citation.get(option, "false").lower() == "true"


def givenname_rule(citation) -> str | None:
    """The `givenname-disambiguation-rule` if `disambiguate-add-givenname` is set."""
    if not option_set(citation, "disambiguate-add-givenname"):
        return None
    return citation.get("givenname-disambiguation-rule", "by-cite")


def find_disambiguate_levels(style_root, bibliography) -> None:
    """Step 4: the `disambiguate` conditions, one after the other while items read alike."""
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


def rendered_cites(citation, items, subsequent: bool = False) -> list[Cite]:
    """Each item rendered as a cite, as if cited first (or, ``subsequent``, as if cited before,
    not just before), with the names it printed."""
    layout = citation.layout
    cites_before = getattr(citation, "cites", None)
    cites = []
    try:
        for item in items:
            citation.cites = cited_before(item) if subsequent else []
            layout.repressed = {}
            with render_state().changed(names_rendered=[]) as state:
                rendered = layout.render_children(item)
                cites.append(Cite(item.key, visible(rendered) if rendered is not None else "",
                                  state.names_rendered))
    finally:
        if cites_before is None:
            del citation.cites
        else:
            citation.cites = cites_before
    return cites


def cited_before(item) -> list:
    """The cites of a citation before this one: the item, then another work (so that the
    cite is "subsequent", never "ibid")."""
    earlier = Citation([CitationItem(item.key), CitationItem(OTHER_WORK)])
    earlier.bibliography = item.citation.bibliography
    return earlier.cites


OTHER_WORK = "\u0000another work"
POSITION_DEPENDENT = ".//cs:if[@position] | .//cs:else-if[@position]"


def depends_on_position(citation) -> bool:
    """Whether a cite may read otherwise when the work was cited before."""
    return any(citation.get(option) is not None
               for option in ("et-al-subsequent-min", "et-al-subsequent-use-first")) or \
        bool(citation.get_root().xpath_search(POSITION_DEPENDENT))


def alike_cites(citation, items) -> list[list[Cite]]:
    """The cites that read alike (and say something), in sets of two or more works: as first
    cited, and as cited before where that reads otherwise ("et-al-subsequent-min" ...), as
    pandoc's citeproc compares them; sets that share a work are one set."""
    renderings = [rendered_cites(citation, items)]
    if depends_on_position(citation):
        try:
            renderings.append(rendered_cites(citation, items, subsequent=True))
        except (KeyError, AttributeError, IndexError, TypeError):
            # citeproc-py 0.11 cannot render some cites of a work cited before
            # (position="near-note" looks up an option it lacks): such a style's
            # cites are compared as first cited only; its citations show the error.
            pass
    sets: list[dict[str, Cite]] = []
    for cites in renderings:
        by_text: dict[str, dict[str, Cite]] = defaultdict(dict)
        for cite in cites:
            by_text[cite.text].setdefault(cite.key, cite)
        sets += [alike for text, alike in by_text.items() if text and len(alike) > 1]
    return [list(merged.values()) for merged in merged_sets(sets)]


def merged_sets(sets: list[dict[str, Cite]]) -> list[dict[str, Cite]]:
    """Sets of cites by work, those that share a work joined, in the order first found."""
    merged: list[dict[str, Cite]] = []
    for alike in sets:
        joined = dict(alike)
        rest = []
        for other in merged:
            if other.keys() & joined.keys():
                joined = {**other, **joined}
            else:
                rest.append(other)
        merged = rest + [joined]
    return merged


def alike(citation, items) -> list[list[str]]:
    """The keys of the items whose cites render alike, in groups of two or more."""
    return [[cite.key for cite in cites] for cites in alike_cites(citation, items)]


# --- Step 1: add names ----------------------------------------------------------------------

def add_names(cites: list[Cite], rule: str | None, expansions: dict[str, NameExpansion]) -> None:
    """Show more names in a set of alike cites, one at a time: where a number of names splits
    the set (as far as the given-name rule will show the names), its cites get that number,
    and the cites still alike go on. With by-cite, the given names are expanded first, as
    step 2 will."""
    if rule == "by-cite":
        by_cite_name_hints(cites, expansions)
    sets = [cites]
    most = max(len(cite.names) for cite in cites)
    for count in range(1, most + 1):
        still_alike = []
        for alike_set in sets:
            parts: dict[tuple, list[Cite]] = defaultdict(list)
            for cite in alike_set:
                parts[shown_names(cite, count, rule)].append(cite)
            if len(parts) > 1:
                for cite in alike_set:
                    expansions[cite.key].et_al_names = count
            still_alike += [part for part in parts.values() if len(part) > 1]
        sets = still_alike
        if not sets:
            return


def shown_names(cite: Cite, count: int, rule: str | None) -> tuple:
    """The first ``count`` names of ``cite`` as the rule shows them, and whether "et al."
    follows them."""
    return tuple(names_as_shown(cite.names[:count], rule)), len(cite.names) > count


def names_as_shown(names: list, rule: str | None) -> list[tuple]:
    """The names as far as disambiguation can show them: family names only without
    add-givenname, initials with a *-with-initials rule, the given names of the first name
    only with a primary-name rule."""
    shown = []
    for index, name in enumerate(names):
        if rule in ("all-names", "by-cite") or (rule == "primary-name" and index == 0):
            given = str(name.get("given", ""))
        elif rule == "all-names-with-initials" or (rule == "primary-name-with-initials" and index == 0):
            given = initials_of(name)
        else:
            given = ""
        shown.append((family_of(name), given))
    return shown


def family_of(name) -> str:
    if "literal" in name:
        return str(name["literal"])
    return " ".join(str(name.get(part, "")) for part in ("dropping-particle", "non-dropping-particle",
                                                           "family", "suffix"))


def initials_of(name) -> str:
    given = name.get("given")
    return initialize(str(given), "") if given else ""


# --- Step 2: add given names ----------------------------------------------------------------

def hint_against(name, others: list) -> str | None:
    """The expansion that tells ``name`` from the other names of its family name: initials,
    or the full given name where the initials are the same too; None without such a name."""
    same_family = [other for other in others
                   if name_identity(other) != name_identity(name) and family_of(other) == family_of(name)]
    if not same_family:
        return None
    if any(initials_of(other) == initials_of(name) for other in same_family):
        return ADD_GIVEN_NAME
    return ADD_INITIALS


def by_cite_name_hints(cites: list[Cite], expansions: dict[str, NameExpansion]) -> None:
    """by-cite: each name of an ambiguous cite, compared with the names in the same place of
    the other cites of its set."""
    for place in range(max(len(cite.names) for cite in cites)):
        column = [(cite.key, cite.names[place]) for cite in cites if place < len(cite.names)]
        for key, name in column:
            hint = hint_against(name, [other for _, other in column])
            if hint is not None:
                expansions[key].hints[name_identity(name)] = hint


PRIMARY_HINTS = {ADD_INITIALS: ADD_INITIALS_IF_PRIMARY, ADD_GIVEN_NAME: ADD_GIVEN_NAME_IF_PRIMARY}


def global_name_hints(rule: str, cites: list[Cite], expansions: dict[str, NameExpansion]) -> None:
    """all-names, all-names-with-initials, primary-name, primary-name-with-initials: every
    (first) name of every cite, compared with all the (first) names of the citations."""
    primary = rule.startswith("primary-name")
    with_initials = rule.endswith("with-initials")
    names = [name for cite in cites for name in (cite.names[:1] if primary else cite.names)]
    unique = list({name_identity(name): name for name in names}.values())
    hints: dict[tuple, str] = {}
    for name in unique:
        hint = hint_against(name, unique)
        if hint == ADD_GIVEN_NAME and with_initials:
            continue
        if primary:
            hint = PRIMARY_HINTS.get(hint)
        if hint is not None:
            hints[name_identity(name)] = hint
    for expansion in expansions.values():
        expansion.hints.update(hints)


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

def add_year_suffixes(style_root, bibliography, ambiguous: list[list[str]]) -> None:
    """Step 3: a series of suffixes for each set of items whose cites read alike."""
    style_root.implicit_year_suffix = not style_root.xpath_search(".//cs:text[@variable='year-suffix']")
    position = {item.key: index for index, item in enumerate(bibliography.items)}
    for keys in ambiguous:
        for number, key in enumerate(sorted(keys, key=position.get)):
            bibliography.source[key]["year_suffix"] = suffix_letters(number)


def suffix_letters(number: int) -> str:
    """0 → "a", 25 → "z", 26 → "aa" (citeproc-js's series)."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


SUFFIX_PRINTED = "implicit year-suffix printed"  # key in the cs:layout's ``repressed`` dict


def date_with_implicit_year_suffix(process):
    """cs:date of `issued`: the item's year-suffix after the year, if the style renders no
    `year-suffix` variable itself; once a cite or entry ("the year-suffix is rendered
    once", after the first date that prints the year), as pandoc's citeproc and
    citeproc-js do."""
    def date(self, item, variable=None, show_parts=None, context=None, **kwargs):
        suffix = implicit_suffix(self, item, variable)
        printed = printed_suffixes(self, context)
        if suffix is None or (printed is not None and printed.get(SUFFIX_PRINTED)):
            return process(self, item, variable, show_parts, context, **kwargs)
        with render_state().changed(year_suffix=suffix) as state:
            text = process(self, item, variable, show_parts, context, **kwargs)
            if state.year_suffix is None and printed is not None:  # the year took it
                printed[SUFFIX_PRINTED] = True
        return text
    return date


def label_with_implicit_year_suffix(variable_text):
    """cs:text of `citation-label`: the item's year-suffix after the label ("Aalt02a"), if the
    style renders no `year-suffix` variable itself, and no date took it before."""
    def text(self, item, context=None):
        value = variable_text(self, item, context)
        if self.get("variable") != "citation-label" or value is None or \
                not getattr(self.get_root(), "implicit_year_suffix", False):
            return value
        suffix = item.reference.get("year_suffix")
        printed = printed_suffixes(self, context)
        if not suffix or printed is None or printed.get(SUFFIX_PRINTED):
            return value
        printed[SUFFIX_PRINTED] = True
        return value + suffix
    return text


def printed_suffixes(date, context) -> dict | None:
    """The memory of the cite or entry being rendered (citeproc-py resets it for each)."""
    try:
        return (context if context is not None else date).get_layout().repressed
    except (AttributeError, IndexError):
        return None


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

"""The rules of the CSL 1.0.2 specification that citeproc-py 0.11 breaks, put right.

citeproc-py renders a style by calling the methods of its model's classes
(``citeproc.model.Group.process``, ``Names.render`` ...). Each rule here
replaces or wraps one of those methods, in memory: the installed package is
never edited. No rule knows about a particular style; each applies to every
style that uses the rule, and each module is named by the rules it
implements, with the place in the specification in its comments:

- ``punctuation``: affixes, delimiters and the marks where pieces meet;
  ``quotes``: quotation marks and `punctuation-in-quote`; ``values``: the
  CSL-JSON text and the private-use marks the rendering leaves;
  ``settling``: the string-level rules, once a citation is rendered.
- ``names``: a name list and initials; ``name_parts``: the particles and
  suffixes within CSL-JSON names; ``subsequent_author``: the bibliography's
  `subsequent-author-substitute`; ``groups``: group suppression,
  labels, substitutes; ``conditions``: cs:choose; ``sorting``: the order of
  cites and sort keys; ``terms``: term forms and locale options;
  ``ordinals``; ``dates``; ``numbers``: number variables, page locators,
  the citation number; ``pages``: page-range-format; ``positions``: first,
  subsequent, ibid, near-note, first-reference-note-number; ``capitals``: a
  term opening a note's sentence; ``text_case``; ``flipflop``: italics within
  italics (applied by ``settling``); ``layout``: second-field-align.
- ``disambiguation``: added names and given names, year-suffixes and the
  `disambiguate` condition; ``citation_label``: the label an item without
  one gets;
  ``collapsing``: cite grouping and collapsing.
- ``author_modes``: pandoc's "[-@key]" and "@key says" (not CSL rules).
- ``state``: what the rules remember while citeproc-py renders.

``install()`` (called by the citation stage before it renders) first checks
that the installed citeproc-py is the release the rules were written for
(``CITEPROC_PY_VERSION``, pinned in pyproject.toml): another one is refused
with a ``SetupError``, since a wrapped method that changed would render
wrong citations without a word. It then puts every patch of ``PATCHES`` in
place, once per process.

The install order: each replacement looks citeproc-py's other methods up
when it is called, not when it is installed, so the order of the table
matters only where a rule wraps citeproc-py's own method, and only within
one attribute. No attribute is replaced twice: where two rules touch one
method, one replacement does both steps (``names_render`` ...), and says
which rule runs inside which. The table is written in rendering order, from
the joins every piece of output goes through outwards; each line says why.
"""
from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass, field
from typing import Callable

from ...errors import SetupError
from . import (author_modes, capitals, conditions, dates, disambiguation, flipflop, groups, names,
               numbers, ordinals, pages, positions, punctuation, quotes, sorting, subsequent_author,
               terms, text_case)

# The citeproc-py release the rules are written for: they wrap its methods, so another
# release is refused (rules.install). pyproject.toml pins the same version.
CITEPROC_PY_VERSION = "0.11.1"

__all__ = ["install", "check_citeproc_version", "PATCHES", "RULES"]


# --- the methods two rules touch: one replacement each, the inner rule first -------------------

def names_render(render: Callable) -> Callable:
    """cs:names: the subsequent-author-substitute (innermost: it replaces what citeproc-py
    printed) inside pandoc's author watch (it may leave the author out) inside the
    substitution bookkeeping (outer: a substitution is kept only if the names print, so it
    must see what the watch let through)."""
    return groups.substitution_kept_if_printed(author_modes.names_render_watched(
        subsequent_author.first_names_substituted(render)))


def text_variable(variable_text: Callable) -> Callable:
    """cs:text's variable: the citation-label's year-suffix (innermost), a page locator as a
    page range, inside the group rule's count (outer: it counts the value as rendered)."""
    return groups.counted_text_variable(numbers.page_locator_as_page_range(
        disambiguation.label_with_implicit_year_suffix(variable_text)))


def text_process(process: Callable) -> Callable:
    """cs:text: a value's quotation marks marked (innermost), a term opening a note's
    sentence capitalized (it sees the term as rendered), the item's language for text-case
    (inner) inside the macro-as-group rule (outer: it decides whether the macro's text, with
    its language, is printed at all)."""
    opening_term = capitals.term_capitalized_when_opening(quotes.value_quotes_marked(process))
    return groups.macro_as_group(text_case.with_item_language(opening_term))


def layout_render_children(render_children: Callable) -> Callable:
    """cs:layout, one cite: the first reference's note number set on the reference (inner: the
    variable is there while the cite renders) inside the note's opening term (outer)."""
    note_number = positions.cite_with_first_reference_note_number(render_children)
    return capitals.cite_with_opening_term(note_number)


def format_number_process(_process: Callable) -> Callable:
    """A number value: the page-range-format (innermost: it reads the value's real ampersands
    and hyphens), the escaped hyphen kept (inner) inside the ampersand rule (outer: it
    unescapes them)."""
    page_ranges = pages.page_ranges_formatted(_process)
    return numbers.number_value_unescaped(numbers.escaped_hyphen_kept(page_ranges))


def date_process(process: Callable) -> Callable:
    """cs:date: the implicit year-suffix (inner: it marks the year to come) inside the group
    rule's count (outer: it counts the date variable)."""
    return groups.counted_date(disambiguation.date_with_implicit_year_suffix(process))


def date_part_process(process: Callable) -> Callable:
    """cs:date-part: the year-suffix after the year (inner) inside the day's month gender
    (outer: it sets the gender for the ordinal day the inner parts render)."""
    return ordinals.day_with_month_gender(disambiguation.year_with_suffix(process))


def number_process(process: Callable) -> Callable:
    """cs:number: the variable found by its hyphenated name (inner) inside the group rule's count
    (outer: "number-of-pages" counts as the value found, not as empty)."""
    return groups.counted_number(numbers.number_variable_by_its_name(process))


# --- the install table --------------------------------------------------------------------------

@dataclass(frozen=True)
class Patch:
    """One citeproc-py attribute and what takes its place."""

    target: str  # under ``citeproc``: "model.Names.render", "string.join"
    rule: Callable  # the replacement; with ``wraps``, makes it from citeproc-py's own method
    why: str  # why it comes where it does in the table
    wraps: bool = False

    def owner_and_name(self) -> tuple[object, str]:
        module, *path, name = self.target.split(".")
        owner: object = importlib.import_module(f"citeproc.{module}")
        for part in path:
            owner = getattr(owner, part)
        return owner, name


PATCHES: tuple[Patch, ...] = (
    # Joining and affixing: every element's output goes through these.
    Patch("string.join", punctuation.join_with_seams,
          "first: all output is joined here; marks the seams `settling` settles"),
    Patch("model.join", punctuation.join_with_seams,
          "model's own copy of string.join (imported by name), so the same rule"),
    Patch("model.Affixed.wrap", punctuation.wrap_with_seams,
          "affixes around non-empty output, seams marked as the joins mark them"),
    Patch("model.Quoted.quote", quotes.quote_with_marks,
          "quote marks, not yet quotation marks: `settling` resolves them by depth"),
    # Names, in the order a cs:names renders them.
    Patch("source.json.NAMES", names.all_name_variables,
          "CSL-JSON's name variables read as names: CSL 1.0.2's too", wraps=True),
    Patch("model.NAMES", names.all_name_variables,
          "model's own copy (imported by name): a sort key of a name variable", wraps=True),
    Patch("source.Reference.__contains__", names.reference_has_csl_variable,
          "a name variable looked up as the style writes it (\"container-author\")", wraps=True),
    Patch("source.Reference.__getitem__", names.reference_csl_variable,
          "and its value (CustomDict's lookup, raising VariableError, inside)", wraps=True),
    Patch("model.Names.render", names_render,
          "three rules: subsequent-author-substitute inside pandoc's author watch inside the "
          "substitution bookkeeping", wraps=True),
    Patch("model.Names.process", groups.counted_names,
          "counts the name variables for the group rule; a substituted one is empty", wraps=True),
    Patch("model.Substitute.render", groups.render_substitute,
          "records what the substitute rendered, for Names.render's bookkeeping"),
    Patch("model.Name.process", names.render_name_list,
          "the name list as cs:name asks; its pieces joined with seams (above)"),
    Patch("model.Name.markup", names.format_name_list,
          "the list's formatting only: render_name_list put the affixes around each name"),
    Patch("model.Name.initialize", names.initialize_given_name,
          "called by render_name_list for each given name"),
    # Groups and the elements whose variables they count.
    Patch("model.Group.process", groups.render_group,
          "suppressed when its variables are empty: needs the counts below"),
    Patch("model.Text._variable", text_variable,
          "three rules: the label's year-suffix, the page locator as a page range, inside the "
          "group count", wraps=True),
    Patch("model.Text.process", text_process,
          "two rules: the item's language inside the macro-as-group rule", wraps=True),
    Patch("model.Number.process", number_process,
          "two rules: the variable by its hyphenated name inside the group count", wraps=True),
    Patch("model.FormatNumber._process", format_number_process,
          "three rules: page-range-format, escaped hyphen, the escaped '&' as the list separator",
          wraps=True),
    Patch("model.Date.process", date_process,
          "two rules: the implicit year-suffix inside the group count", wraps=True),
    Patch("model.Label.process", groups.render_label,
          "a label only for a non-empty variable; not counted, as labels are no variables"),
    # Conditions and order.
    Patch("model.If.render", conditions.render_if_with_all_conditions,
          "every condition tested, combined by `match`; chooses what the groups see"),
    Patch("model.Layout.render_citation", sorting.render_citation_in_given_order,
          "cites in the order cited unless cs:sort; sorts through Sort.sort below"),
    Patch("model.Sort.sort", author_modes.unwatched,
          "sort keys render names too: not the citation's author", wraps=True),
    Patch("model.Key.sort_keys", sorting.sort_keys_as_read,
          "a macro's sort key without markup or the marks the rules leave", wraps=True),
    # Terms, locales, and what is printed with them.
    Patch("model.CitationStylesElement.get_term", terms.term_with_form_fallback,
          "a missing form falls back to another; asks Locale.get_term below", wraps=True),
    Patch("model.Locale.get_term", terms.long_form_is_the_default,
          "one locale's term; form=\"long\" written out is the long form", wraps=True),
    Patch("model.CitationStylesElement.get_locale_option", terms.locale_option_with_fallback,
          "each option from the first locale that sets it; read by quote_terms too"),
    Patch("model.to_ordinal", ordinals.to_ordinal,
          "the ordinal terms of one locale, in the noun's gender"),
    Patch("model.Date_Part.process", date_part_process,
          "two rules: the year-suffix after the year inside the day's month gender", wraps=True),
    Patch("model.Date.render_single_date", dates.render_single_date_with_locale_delimiter,
          "a localized date's parts joined with the locale's delimiter"),
    # Formatting, last: applied to text the elements above rendered.
    Patch("model.Formatted.font_style", flipflop.font_style_normal_written,
          "font-style=\"normal\" written as a span, for flip_nested_formatting", wraps=True),
    Patch("model.StrippedPeriods.strip_periods", numbers.strip_periods_of_text,
          "leaves the citation number (an int) alone", wraps=True),
    Patch("model.TextCased.case", text_case.case_in_language,
          "text-case in the language Text.process passed on (English for title case)"),
    # Positions, and a term that opens a note's sentence (the CSL test suite's rules, issue 15).
    Patch("model.If._position", positions.cite_positions,
          "called by render_if_with_all_conditions for a `position` test"),
    Patch("model.Layout.render_children", layout_render_children,
          "two rules, on one cite's rendering (Parent's method, set on Layout): the first "
          "reference's note number inside the opening term", wraps=True),
)


def installed_citeproc_version() -> str:
    """The version citeproc-py's own package states (its wheel's ``_version``): reading it
    costs nothing, where ``importlib.metadata`` costs a cold build 12 ms to import."""
    import citeproc
    return getattr(citeproc, "__version__", "none")


def check_citeproc_version(found: str | None = None) -> None:
    """Refuse a citeproc-py other than ``CITEPROC_PY_VERSION`` (``found``: the installed one)."""
    found = installed_citeproc_version() if found is None else found
    if found != CITEPROC_PY_VERSION:
        raise SetupError(
            f"citeproc-py {found} is installed, but the pipeline's citation rules are written for "
            f"citeproc-py {CITEPROC_PY_VERSION}, and would render citations wrongly with another",
            hint=f"run `.venv/bin/pip install citeproc-py=={CITEPROC_PY_VERSION}` in the pipeline's folder "
                 f"(or delete .venv and run `make setup`)")


@dataclass
class RuleTable:
    """The install table, and what installing it put in place: for each target, citeproc-py's
    own attribute and its replacement."""

    patches: tuple[Patch, ...]
    installed: dict[str, tuple[Callable, Callable]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def install(self) -> None:
        """Check citeproc-py's version, then put every patch in place (once per process)."""
        with self._lock:
            if self.installed:
                return
            check_citeproc_version()
            for patch in self.patches:
                owner, name = patch.owner_and_name()
                original = getattr(owner, name)
                replacement = patch.rule(original) if patch.wraps else patch.rule
                setattr(owner, name, replacement)
                self.installed[patch.target] = (original, replacement)


RULES = RuleTable(PATCHES)


def install() -> None:
    """Install the rules into citeproc-py's model (idempotent); refuse another citeproc-py."""
    RULES.install()

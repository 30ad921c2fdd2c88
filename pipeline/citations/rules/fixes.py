"""Rules of the CSL 1.0.2 specification that citeproc-py 0.11 breaks, put
right by wrapping its rendering (the installed package is never edited).

Each fix names the rule it implements. No fix knows about a particular
style: they apply to every style that uses the rule. ``apply()`` installs
them once per process; the citation stage calls it before rendering.
"""
from __future__ import annotations

import contextlib
import contextvars
import re
from dataclasses import dataclass

from citeproc import model
from citeproc.source import VariableError
from citeproc.string import String

from . import groups as csl_groups
from . import names as csl_names
from . import punctuation as csl_punctuation
from . import text_case as csl_text_case
from .values import CLOSE_QUOTE, OPEN_QUOTE, resolve_quotes

_TAGS = r"(?:</?[a-z]+(?:\s[^>]*)?>)*"
_PUNCTUATION_AFTER_QUOTE = re.compile(CLOSE_QUOTE + "(" + _TAGS + r")([.,!?])")
END_PUNCTUATION = tuple(".,;:!?")

_applied = False


def apply() -> None:
    """Install the fixes into citeproc-py's model classes (idempotent)."""
    global _applied
    if _applied:
        return
    model.Quoted.quote = quote_with_marks
    model.Date.render_single_date = render_single_date_with_locale_delimiter
    model.If.render = render_if_with_all_conditions
    model.Names.render = names_render_watched(model.Names.render)
    model.Sort.sort = unwatched(model.Sort.sort)
    model.Layout.render_citation = render_citation_in_given_order
    model.Text._variable = page_locator_as_page_range(model.Text._variable)
    model.TextCased.case = text_case
    model.CitationStylesElement.get_term = term_with_form_fallback(model.CitationStylesElement.get_term)
    model.Text.process = with_item_language(model.Text.process)
    model.Number.process = number_variable_by_its_name(model.Number.process)
    model.Locale.get_term = long_form_is_the_default(model.Locale.get_term)
    model.CitationStylesElement.get_locale_option = locale_option_with_fallback
    csl_groups.install()
    csl_names.install()
    csl_punctuation.install()
    model.Key.sort_keys = sort_keys_as_read(model.Key.sort_keys)
    model.StrippedPeriods.strip_periods = strip_periods_of_text(model.StrippedPeriods.strip_periods)
    model.to_ordinal = to_ordinal
    model.Date_Part.process = day_with_month_gender(model.Date_Part.process)
    _applied = True


@dataclass(frozen=True)
class QuoteTerms:
    """The locale's quotation marks and its `punctuation-in-quote` option."""

    outer: tuple[str, str] = ("\u201c", "\u201d")
    inner: tuple[str, str] = ("\u2018", "\u2019")
    punctuation_in_quote: bool = False


def quote_terms(root) -> QuoteTerms:
    def term(name: str) -> str:
        return str(root.get_single_term(name))
    option = (root.get_locale_option("punctuation-in-quote") or "false").lower() == "true"
    return QuoteTerms((term("open-quote"), term("close-quote")),
                      (term("open-inner-quote"), term("close-inner-quote")), option)


# --- Quotes (CSL 1.0.2, "Quotes", and the locale option `punctuation-in-quote`) -----------------
# `quotes="true"` wraps the text in the locale's quotation marks; quotes
# within quotes use the inner ones; with `punctuation-in-quote`, "commas and
# periods following quoted text are placed inside the closing quotation
# mark". citeproc-py ignored the option ("…therapy”," instead of "…therapy,”")
# and had no inner quotes. The text is wrapped in marks (``csl_values``) that
# become quotation marks once the whole citation is rendered: only then is it
# known what follows the quote and how deep it is nested.

def quote_with_marks(self, string):
    if self.get("quotes", "false").lower() != "true":
        return string
    return String(OPEN_QUOTE) + string + String(CLOSE_QUOTE)


def move_punctuation_into_quotes(rendered: str) -> str:
    """A period or comma (or ? !) after a closing quote moves inside it.

    If the quoted text already ends in punctuation, the moved mark is
    dropped, as the rule against duplicate punctuation asks.
    """
    def move(match: re.Match) -> str:
        tags, mark = match.groups()
        before = re.sub(_TAGS + "$", "", rendered[:match.start()])
        duplicate = before.endswith(END_PUNCTUATION)
        return ("" if duplicate else mark) + CLOSE_QUOTE + tags

    return _PUNCTUATION_AFTER_QUOTE.sub(move, rendered)


# --- Duplicate punctuation (CSL 1.0.2, "Affixes" and "Delimiter": citeproc-js and pandoc
# collapse a period that follows a period, "?" or "!") ------------------------------------------
# citeproc-py collapses "al." + "." only where the two meet as plain text; a
# name part or term that ended inside markup, or came through a group
# delimiter, still gave "et al.." (BMJ and others).
_DOUBLE_PERIOD = re.compile(r"([^\W\d_][.]|[?!])(" + _TAGS + r")\.(?!\.)")


def collapse_duplicate_periods(rendered: str) -> str:
    return _DOUBLE_PERIOD.sub(r"\1\2", rendered)


def finish(rendered: str, quotes: QuoteTerms = QuoteTerms()) -> str:
    """The string-level rules, in the order the specification applies them."""
    rendered = csl_punctuation.settle(rendered)
    if quotes.punctuation_in_quote:
        rendered = move_punctuation_into_quotes(rendered)
    return collapse_duplicate_periods(resolve_quotes(rendered, quotes.outer, quotes.inner))


# --- Sorting (CSL 1.0.2, "Sorting Macros") --------------------------------------------------------
# "The sort key value for a macro ... consists of the string value the macro
# would ordinarily generate, without rich text markup": no tags, no marks.

def sort_keys_as_read(sort_keys):
    def keys(self, items, context):
        return [csl_punctuation.visible(key) if isinstance(key, (str, list)) and "macro" in self.attrib
                else key for key in sort_keys(self, items, context)]
    return keys


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


# --- Term forms (CSL 1.0.2, "Terms") -------------------------------------------------------------
# "If a style uses a term in a form that is undefined (even after Locale
# Fallback), there is fallback to other forms: 'verb-short' first falls back
# to 'verb', 'symbol' first falls back to 'short', and 'verb' and 'short'
# both fall back to 'long'." citeproc-py printed nothing instead.
FORM_FALLBACK = {"verb-short": "verb", "symbol": "short", "verb": None, "short": None}


def term_with_form_fallback(get_term):
    def term(self, name, form=None, fallback_locale=True, zero_padded=False):
        found = get_term(self, name, form, fallback_locale, zero_padded)
        while found is None and form in FORM_FALLBACK:
            form = FORM_FALLBACK[form]
            found = get_term(self, name, form, fallback_locale, zero_padded)
        return found
    return term


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


# --- Term forms (CSL 1.0.2, "Terms": form "long" is the default) ----------------------------
# A term defined with an explicit form="long" is the long form; citeproc-py
# only found long terms written without the attribute, so a style's own
# `<term name="no date" form="long">date unknown</term>` lost to the
# locale file's "no date".

def long_form_is_the_default(get_term):
    def term(self, name, form=None, zero_padded=False):
        if form in (None, "long"):
            try:
                return get_term(self, name, None, zero_padded)
            except IndexError:
                found = self.terms.xpath_search(f"./cs:term[@name='{name}' and @form='long']") \
                    if getattr(self, "terms", None) is not None else []
                if found:
                    return found[0]
                raise
        return get_term(self, name, form, zero_padded)
    return term


# --- Locale options (CSL 1.0.2, "Locale Fallback" and "Locale Options") ---------------------
# Locale fallback works value by value: an in-style cs:locale that sets
# `limit-day-ordinals-to-day-1` does not reset `punctuation-in-quote`, which
# still comes from the locale file (true for en-US). citeproc-py took every
# option from the first locale with a cs:style-options element, defaults
# included.
LOCALE_OPTION_DEFAULTS = {"limit-day-ordinals-to-day-1": "false", "punctuation-in-quote": "false"}


def locale_option_with_fallback(self, name):
    root = self.get_root()
    locales = [root] if isinstance(root, model.Locale) else (getattr(root, "locales", None) or [])
    for locale in locales:
        options = locale.find("cs:style-options", locale.nsmap)
        if options is not None and options.get(name) is not None:
            return options.get(name)
    return LOCALE_OPTION_DEFAULTS.get(name)


# --- Ordinal suffixes (CSL 1.0.2, "Ordinal Suffixes" and "Gender-specific Ordinals") -----------
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
_month_gender: contextvars.ContextVar[tuple[str, str | None] | None] = contextvars.ContextVar(
    "month_gender", default=None)


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
    day = _month_gender.get()
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
        token = _month_gender.set(("day", gender))
        try:
            return process(self, date, context)
        finally:
            _month_gender.reset(token)
    return part


# --- Second-field-align (CSL 1.0.2, "Whitespace") -----------------------------------------------
# The first field is set apart from the rest; each field is rendered on its
# own, and a field whose variables are empty is simply absent.

def render_layout_child(layout, child, item):
    try:
        if isinstance(child, model.Choose):
            return child.render(item, delimiter=layout.get("delimiter", ""))
        return child.render(item)
    except VariableError:
        return None


# --- Text-case (CSL 1.0.2, "Text-case") ---------------------------------------------------------
# See ``csl_text_case``. Title case only applies to English: the item's
# `language` if it has one, else the language the style is rendered in.

def with_item_language(process):
    """The language title case looks at: the item's own, not the style's default-locale."""
    def text(self, item, context=None, **kwargs):
        rendered, _ = process(self, item, context=context, **kwargs)
        language = item.reference.get("language")
        return rendered, str(language) if language else None
    return text


def text_case(self, text, language=None):
    kind = self.get("text-case")
    if kind is None or text is None:
        return text
    language = language or getattr(self.get_root(), "output_language", None) or "en"
    return String(csl_text_case.transform(str(text), kind, english=language[:2].lower() == "en"))


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


# --- Sorting of cites (CSL 1.0.2, "Sorting") ---------------------------------------------------
# "cs:citation ... may contain a cs:sort ... In the absence of cs:sort, cites
# ... are rendered in the order in which they are cited." citeproc-py always
# put them in bibliography order first. Like pandoc's citeproc (and
# citeproc-js), cites that carry a prefix or suffix are not sorted: the
# author's words ("see", "also") belong to the order they wrote.

def render_citation_in_given_order(self, citation, callback):
    good_cites = [cite for cite in citation.cites if not cite.is_bad()]
    bad_cites = [cite for cite in citation.cites if cite.is_bad()]
    has_affixes = any("prefix" in cite or "suffix" in cite for cite in good_cites)
    if self.getparent().sort is not None and not has_affixes:
        good_cites = self.getparent().sort.sort(good_cites, self)
    out = []
    for item in good_cites:
        self.repressed = {}
        output = self.render_children(item)
        if output is not None and str(output) != "":
            out.append(item.get("prefix", "") + output + item.get("suffix", ""))
            self.getparent().cites.append(item)
    for item in bad_cites:
        out.append(callback(item) or f"{item.key}?")
    if not out:  # nothing left to cite (all suppressed): no empty brackets either
        return String("")
    return self.format(self.wrap(self.join(out)))


# --- Page locators (CSL 1.0.2, "page-range-format" and the term "page-range-delimiter") ----------
# Page ranges are formatted by the style's page-range-format and joined with
# its page-range-delimiter; a locator of type "page" is a page range too
# ("pp. 475–76" in Chicago, "pp475-476" in AMA). citeproc-py only ever
# replaced its hyphens by en dashes.

def page_locator_as_page_range(variable_text):
    def text(self, item, context):
        if self.get("variable") == "locator" and item.has_locator and item.locator.label == "page":
            return self._process(str(item.locator.identifier), "page")
        return variable_text(self, item, context)
    return text


# --- Conditions (CSL 1.0.2, "Choose") ---------------------------------------------------------
# `disambiguate="true"` "only tests true when ... disambiguation" is needed;
# citeproc-py ignores the attribute, so a branch testing only it is always
# taken (MLA then prints every title in its citations). citeproc-py does no
# disambiguation by conditions, so the test is false here.
# `type` "tests whether the item matches the given types": an item has one
# type, so `type="post post-weblog webpage"` asks whether its type is one of
# them, and counts as one condition when `match="all"` combines it with the
# others. citeproc-js and pandoc's citeproc read it so, and the styles are
# written for it (the literal reading, every listed type at once, can never
# be true); citeproc-py tested each type as a condition of its own, so a
# web page failed the test and lost its URL and access date.
# `is-numeric` applies to the locator too ("is-numeric=\"locator\"") and
# treats "475-476", "2, 4" and "12a" as numeric; citeproc-py looked for a
# `locator` field in the reference and never found one.
NUMERIC = re.compile(r"^\s*[a-z]*\d+[a-z]*(\s*([-\u2013,&]|and)\s*[a-z]*\d+[a-z]*)*\s*$", re.I)


def render_if_with_all_conditions(self, item, context=None, delimiter="", **kwargs):
    results = []
    if "type" in self.attrib:
        results.append(any(self._type(item)))
    if "variable" in self.attrib:
        results += self._variable(item)
    if "is-numeric" in self.attrib:
        results += [is_numeric(item, name) for name in self.get("is-numeric").split()]
    if "is-uncertain-date" in self.attrib:
        results += self._is_uncertain_date(item)
    if "locator" in self.attrib:
        results += self._locator(item)
    if "position" in self.attrib:
        results += self._position(item, context)
    if self.get("disambiguate", "false").lower() == "true":
        results.append(False)
    match = self.get("match", "all")
    passed = any(results) if match == "any" else (not any(results) if match == "none" else all(results))
    if not passed:
        raise model.ConditionFailed
    return self.render_children(item, context=context, delimiter=delimiter, **kwargs)


def is_numeric(item, name: str) -> bool:
    if name == "locator":
        value = item.locator.identifier if item.has_locator else None
    else:
        value = item.reference.get(name.replace("-", "_"))
    return value is not None and bool(NUMERIC.match(str(value)))


# --- pandoc's citation modes (not CSL rules: CSL-M's suppress-author / author-only) ----------
# "[-@key]" leaves out the author; "@key says" prints the author, then the
# citation without it. Both concern the first cs:names element that renders
# in the citation, which only the rendering itself can tell (it may sit in
# any branch of a cs:choose), so Names.render is watched while one citation
# renders.

@dataclass
class NamesWatch:
    suppress: bool
    first_names: object = None


_watch: contextvars.ContextVar[NamesWatch | None] = contextvars.ContextVar("names_watch", default=None)


@contextlib.contextmanager
def watching_names(suppress: bool):
    """Within the block, capture (and optionally suppress) the first names rendered."""
    watch = NamesWatch(suppress=suppress)
    token = _watch.set(watch)
    try:
        yield watch
    finally:
        _watch.reset(token)


def unwatched(sort):
    """Sort keys render names too; they are not the citation's author."""
    def sort_unwatched(self, items, context):
        token = _watch.set(None)
        try:
            return sort(self, items, context)
        finally:
            _watch.reset(token)
    return sort_unwatched


def names_render_watched(render):
    def watched(self, item, *args, **kwargs):
        watch = _watch.get()
        if watch is None or watch.first_names is not None:
            return render(self, item, *args, **kwargs)
        result = render(self, item, *args, **kwargs)
        if watch.first_names is None and result is not None:
            watch.first_names = result
        elif watch.first_names is None:
            return result
        # The names were found here or in this element's cs:substitute: with
        # them suppressed, the substitute must not put a title in their place.
        return None if watch.suppress else result
    return watched

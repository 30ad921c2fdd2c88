"""CSL 1.0.2, "Name": how a name list is rendered, and how given names are initialized.

A name list (``render_name_list``, in place of citeproc-py's ``Name.process``)
follows the attributes of ``cs:name`` as the specification describes them,
in the reading of pandoc's citeproc:

- ``et-al-min``/``et-al-use-first`` (``et-al-subsequent-*`` for cites of a
  work cited before) truncate the list and add the "et-al" term (or the
  ``cs:et-al`` element's); ``et-al-use-last`` adds "… " and the last name.
- ``delimiter-precedes-et-al`` and ``delimiter-precedes-last`` (contextual,
  after-inverted-name, always, never) decide between the name delimiter and
  a space before "et al." and before the "and" term; without ``and`` the
  delimiter always separates the names.
- ``name-as-sort-order`` (first, all) inverts names with ``sort-separator``;
  ``demote-non-dropping-particle`` places "van" before or after the family
  name; ``form="short"`` keeps particle and family name; ``form="count"``
  counts the names that would be printed.
- ``cs:name-part`` formatting and affixes apply to the given or family part.
- A literal name (an organisation) is printed as given.
- Affixes on ``cs:name`` surround each name (where an affix meets the
  delimiter, the seam table of ``punctuation`` settles the marks, so a
  suffix " " before ", " goes): "The cs:name element ... can
  be used to describe the formatting of individual names, and the
  separation of names within a name variable" (the name delimiter and the
  "and" term stand between the affixed names; "et al." after them), as
  pandoc's citeproc reads it. citeproc-py put them once around the whole
  list ("Furlan AD, Giraldo M." for "Furlan AD., Giraldo M.").

citeproc-py built the list with an empty piece as a way to add a delimiter,
ignored "after-inverted-name", and put no space around "and" in some cases.

``initialize-with``: "given names are converted to initials. The attribute
value is added after each initial". ``initialize``: "When set to 'false',
given names are no longer initialized when initialize-with is set. However,
the value of initialize-with is still added after initials present in the
full name ('James T Kirk' becomes 'James T. Kirk')." citeproc-py ignored
``initialize="false"`` (Chicago and MLA printed "Cherkin, D. C." for
"Daniel C.") and lost lower-case particles' spacing.

The splitting follows pandoc's citeproc: a one-letter word, or letters
followed by a period, is already an initial; a compound name keeps its
hyphen between initials when ``initialize-with-hyphen`` is true ("J.-L.").

Disambiguation (CSL 1.0.2, "Disambiguation", steps 1 and 2; decided by
``disambiguation``) changes how one item's names render in its cites: a
``NameExpansion`` shows more names before "et al." (`disambiguate-add-
names`) and expands single names (`disambiguate-add-givenname`, "Name
expansion": form="short" becomes "long", then initials become the full given
name). While cites are rendered to compare them, the names each cs:names
prints are recorded (``RenderState.names_rendered``).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from citeproc.string import String

from .state import render_state
from .values import SEAM

INHERITING = ("citation", "bibliography")
ELLIPSIS = "\u2026 "
NO_SPACE_AFTER = ("\u2019", "'", "-", "\u2013")


# --- Name expansion (CSL 1.0.2, "Disambiguation": "Name expansion", steps 1 and 2) -------------
# The hints, as pandoc's citeproc names them: initials added (form "short" shown
# as "long"), or the full given name (also `initialize="false"`); the "primary"
# ones only for the first name of a list (`givenname-disambiguation-rule`
# primary-name, primary-name-with-initials).
ADD_INITIALS = "add-initials"
ADD_GIVEN_NAME = "add-given-name"
ADD_INITIALS_IF_PRIMARY = "add-initials-if-primary"
ADD_GIVEN_NAME_IF_PRIMARY = "add-given-name-if-primary"
PRIMARY_ONLY = {ADD_INITIALS_IF_PRIMARY: ADD_INITIALS, ADD_GIVEN_NAME_IF_PRIMARY: ADD_GIVEN_NAME}


@dataclass
class NameExpansion:
    """How one item's names are expanded in its cites, to tell them from another item's."""

    et_al_names: int | None = None  # names shown before "et al." at least (add-names)
    hints: dict[tuple, str] = field(default_factory=dict)  # name_identity → hint (add-givenname)

    def hint_for(self, name, index: int) -> str | None:
        hint = self.hints.get(name_identity(name))
        if hint in PRIMARY_ONLY:
            return PRIMARY_ONLY[hint] if index == 0 else None
        return hint


def name_identity(name) -> tuple:
    """A name as a value to compare: all its parts, the given name's initials spaced alike
    ("J. J." is "J.J.")."""
    return tuple(sorted((part, initialize(str(value), ".", make_initials=False) if part == "given"
                         else str(value)) for part, value in name.items()))


def expansion_of(item, context) -> NameExpansion | None:
    """The item's name expansion, in a citation (the bibliography prints names as written)."""
    try:
        expansions = item.bibliography.name_expansions
    except AttributeError:
        return None
    if context is not None and context.xpath_search("./ancestor-or-self::cs:bibliography"):
        return None
    return expansions.get(item.key)


def with_hint(option, hint: str | None):
    """The name options with a hint's form: "long" for any hint."""
    if hint is None:
        return option
    return lambda name: "long" if name == "form" else option(name)


# --- Name variables (CSL 1.0.2, Appendix IV, "Name Variables") -------------------------------
# citeproc-py knows the name variables of CSL 1.0 only: a "director" or
# "reviewed-author" in CSL-JSON was read as text, and a cs:names of it printed
# nothing (or the list's repr). The table of variables it reads as names gains
# those CSL 1.0.2 added (citeproc-py's spelling: "_" for "-").
CSL_1_0_2_NAME_VARIABLES = (
    "author", "chair", "collection_editor", "compiler", "composer", "container_author",
    "contributor", "curator", "director", "editor", "editorial_director", "editor_translator",
    "executive_producer", "guest", "host", "illustrator", "interviewer", "narrator", "organizer",
    "original_author", "performer", "producer", "recipient", "reviewed_author", "script_writer",
    "series_creator", "translator")


def all_name_variables(known: list[str]) -> list[str]:
    """citeproc-py's list of name variables, with CSL 1.0.2's."""
    return list(known) + [variable for variable in CSL_1_0_2_NAME_VARIABLES if variable not in known]


# citeproc-py stores a reference's variables under "_" names ("container_author")
# but its cs:names looks them up as the style writes them ("container-author"), so
# no name variable of two words ever printed. A reference answers to both.

def reference_has_csl_variable(contains):
    def has(self, key):
        return contains(self, key) or (isinstance(key, str) and "-" in key and
                                       contains(self, key.replace("-", "_")))
    return has


def reference_csl_variable(getitem):
    def value(self, key):
        if isinstance(key, str) and "-" in key and not dict.__contains__(self, key):
            key = key.replace("-", "_")
        return getitem(self, key)
    return value


def format_name_list(self, text):
    """The list's formatting; its affixes went around each name (``render_name_list``). A
    count (form="count") stays a number: cs:names adds up the counts of its variables ("the
    total number of names that would otherwise be rendered")."""
    if isinstance(text, int):
        return text
    return self.format(text) if text else None


def render_name_list(self, item, variable, context=None, sort_options=None, **kwargs):
    """The names of ``variable``, delimited, truncated and joined as cs:name asks."""
    def option(name):
        return self.get_option(name, context, sort_options)

    names = list(item.reference.get(variable.replace("-", "_"), []))
    in_sort_key = sort_options is not None
    state = render_state()
    if state.names_rendered is not None and not in_sort_key and names:
        state.names_rendered.extend(names)
    expansion = None if in_sort_key else expansion_of(item, context if context is not None else self)
    subsequent = is_subsequent(item, context if context is not None else self)
    et_al_min = option("et-al-subsequent-min") if subsequent and option("et-al-subsequent-min") \
        else option("et-al-min")
    use_first = option("et-al-subsequent-use-first") if subsequent and \
        self.get_option("et-al-subsequent-min", context, sort_options) else option("et-al-use-first")
    threshold = use_first if et_al_min and len(names) >= et_al_min else None
    if threshold is not None and not use_first_set(self, subsequent, context, sort_options):
        threshold = None  # et-al-min alone does not truncate: "et-al-use-first" says where
    if threshold is not None and expansion is not None and expansion.et_al_names:
        threshold = max(threshold, expansion.et_al_names)
    if option("form") == "count":
        return len(names) if threshold is None else min(len(names), threshold)
    if threshold == 0:
        return None
    substitution = state.name_substitution
    if substitution is not None and substitution.whole_list:
        return String(substitution.text)
    delimiter = str(option("delimiter"))
    hints = [expansion.hint_for(name, index) if expansion else None for index, name in enumerate(names)]
    rendered = [render_name(self, name, index, with_hint(option, hint), context,
                            full_given=hint == ADD_GIVEN_NAME)
                for index, (name, hint) in enumerate(zip(names, hints))]
    if substitution is not None:  # the first names, as the entry before printed them
        rendered = [String(substitution.text) if index < substitution.count else name
                    for index, name in enumerate(rendered)]
    if not in_sort_key:
        rendered = [self.wrap(name) if name is not None and str(name) != "" else name for name in rendered]
    inverted_before_last = len(names) > 1 and is_inverted(names[-2], len(names) - 2, option)
    last_joiner = before_last(self, option, len(names), delimiter, inverted_before_last)
    # "only possible when the original name list has at least two more names than the
    # truncated name list"; otherwise the list ends in "et al." as usual
    use_last = bool(option("et-al-use-last")) and threshold is not None and len(names) >= threshold + 2
    et_al = et_al_text(self, option, threshold, len(names), delimiter, use_last)
    pieces = []
    for index, name in enumerate(rendered, start=1):
        if index == 1:
            pieces.append(name)
        elif index == len(names) and use_last:
            pieces.append(name)
        elif threshold is not None and index - 1 > threshold:
            continue
        elif threshold is not None and index - 1 == threshold:
            if not in_sort_key:
                pieces.append(String(SEAM) + et_al)
        elif in_sort_key:
            pieces.append(String(" ") + name)
        elif index == len(names):
            pieces.append(String(SEAM + last_joiner + SEAM) + name)
        else:
            pieces.append(String(SEAM + delimiter + SEAM) + name)
    result = String("")
    for piece in pieces:
        result = result + piece
    return result


def use_first_set(name, subsequent: bool, context, sort_options) -> bool:
    """Whether the style sets et-al-use-first (or, for a subsequent cite, either use-first) for
    this name: citeproc-py's default of 1 is not the specification's (it sets none)."""
    if sort_options and sort_options.get("et-al-use-first") is not None:
        return True
    options = ("et-al-use-first", "et-al-subsequent-use-first") if subsequent else ("et-al-use-first",)
    return any(name_option(name, option, None, context) is not None for option in options)


def is_subsequent(item, context) -> bool:
    """Whether this cite refers to a work cited before (always false in the bibliography)."""
    try:
        if context.xpath_search("./ancestor-or-self::cs:bibliography"):
            return False
        cites = context.get_layout().getparent().cites
    except (AttributeError, IndexError):
        return False
    return any(cite.key == item.key for cite in cites)


def is_inverted(name, index: int, option) -> bool:
    """Whether name-as-sort-order inverts this name (never a literal one, an organisation)."""
    sort_order = option("name-as-sort-order")
    if "literal" in name or not romanesque(name.get("family")):
        return False
    return sort_order == "all" or (sort_order == "first" and index == 0)


def before_last(name, option, count: int, delimiter: str, inverted_before_last: bool = True) -> str:
    """What stands before the last name: the delimiter and/or the "and" term, with spaces
    ("after-inverted-name": only if the name before the last was inverted)."""
    and_option = option("and")
    if and_option is None:
        return delimiter
    precedes = option("delimiter-precedes-last")
    sort_order = option("name-as-sort-order")
    if precedes == "always" or (precedes == "contextual" and count > 2):
        before = delimiter
    elif precedes == "after-inverted-name" and inverted_before_last and \
            (sort_order == "all" or (sort_order == "first" and count < 3)):
        before = delimiter
    else:
        before = ""
    and_term = "&" if and_option == "symbol" else str(name.get_single_term("and"))
    space_before = "" if before.endswith(" ") or not spaced_edge(and_term[:1]) else " "
    if not before:
        space_before = "" if (name.get("suffix") or "").endswith(" ") or not spaced_edge(and_term[:1]) else " "
    space_after = "" if (name.get("prefix") or "").startswith(" ") or not spaced_edge(and_term[-1:]) else " "
    return before + space_before + and_term + space_after


def et_al_text(name, option, threshold: int | None, count: int, delimiter: str, use_last: bool = False):
    """The "et al." (or "… ") that ends a truncated list, with the delimiter or space before it."""
    if threshold is None:
        return String("")
    precedes = option("delimiter-precedes-et-al")
    sort_order = option("name-as-sort-order")
    if precedes == "always" or (precedes == "contextual" and count > 2 and threshold > 1):
        before = delimiter
    elif precedes == "after-inverted-name" and (sort_order == "all" or
                                                (sort_order == "first" and threshold < 2)):
        before = delimiter
    else:
        before = " "
    if use_last:  # the ellipsis and the last name take the place of "et al." (cs:et-al too)
        return String(before + ELLIPSIS)
    element = name.xpath_search("./following-sibling::cs:et-al[1]")
    term = element[0].render() if element else name.get_single_term("et-al")
    # a term of white space only (a locale's "and others" written across lines) is empty
    if term is None or not str(term).strip():
        return String("")
    # a space before "等" too ("Zither 等"), as pandoc's citeproc prints it (citeproc-js does not)
    return String(before) + term


def spaced_edge(char: str) -> bool:
    """Whether a space separates a name from the "and" term on this side of the term:
    not where the term begins or ends with white space of its own, or with a letter of a script
    that writes names without spaces ("Name-part Order": Chinese, Japanese; Hebrew's "and", the
    letter vav, is joined to the name), as citeproc-js reads the locale's terms."""
    if not char or char.isspace():
        return not char
    return not char.isalpha() or romanesque(char) or unicodedata.name(char, "").startswith(SPACED_SCRIPTS)


SPACED_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")  # all their letters, Romanian "și" too


def render_name(self, name, index: int, option, context=None, full_given: bool = False):
    """One name, in long, short or sort order, with the name-part formatting; ``full_given``:
    the given name not initialized (disambiguation's given name)."""
    given, family, dropping, non_dropping, suffix = name.parts()
    family_parts = [part for part in self.findall("cs:name-part", self.nsmap) if part.get("name") == "family"]
    given_parts = [part for part in self.findall("cs:name-part", self.nsmap) if part.get("name") == "given"]
    family_style = family_parts[0] if family_parts else None
    given_style = given_parts[0] if given_parts else None
    if "literal" in name:  # an organisation takes the family name's formatting
        literal = String(str(name["literal"]))
        return affixed(family_style, family_style.format(family_style.case(literal))
                       if family_style is not None else literal)
    if given is not None and option("initialize-with") is not None and family:
        if full_given:
            given = initialize(str(given), str(option("initialize-with")), make_initials=False,
                               hyphen=name_option(self, "initialize-with-hyphen", "true", context) == "true")
        else:
            given = self.initialize(given, option("initialize-with"), context)

    def styled(text, part):
        if not text:
            return None
        text = String(str(text))
        return part.format(part.case(text)) if part is not None else text

    family_text, given_text = styled(family, family_style), styled(given, given_style)
    if not romanesque(family):  # "我妻栄": family name first, no space, never initialized
        if option("form") == "short" or not given_text:
            return affixed(family_style, family_text)
        return affixed(family_style, family_text) + affixed(given_style, styled(name.parts()[0], given_style))
    non_dropping_text, dropping_text = styled(non_dropping, family_style), styled(dropping, given_style)
    suffix_text = String(str(suffix)) if suffix else None
    sort_order = option("name-as-sort-order")
    inverted = sort_order == "all" or (sort_order == "first" and index == 0)
    separator = str(option("sort-separator"))
    demote = str(self.get_root().get("demote-non-dropping-particle", "display-and-sort"))
    if option("form") == "short":
        return affixed(family_style, spaced(non_dropping_text, family_text))
    if inverted:
        if demote in ("never", "sort-only"):
            family_side = affixed(family_style, spaced(non_dropping_text, family_text))
            given_side = affixed(given_style, spaced(given_text, dropping_text))
        else:
            family_side = affixed(family_style, family_text)
            given_side = affixed(given_style, spaced(spaced(given_text, dropping_text), non_dropping_text))
        return separated(separated(family_side, given_side, separator), suffix_text, separator)
    family_side = spaced(spaced(dropping_text, non_dropping_text), family_text)
    if name.get("comma-suffix"):  # CSL-JSON's "comma-suffix": "Jeffrey Doe, Jr."
        family_side = separated(family_side, suffix_text, separator)
    else:
        family_side = spaced(family_side, suffix_text)
    return spaced(affixed(given_style, given_text), affixed(family_style, family_side))


def romanesque(family) -> bool:
    """Whether a family name is written in a script whose names read "given family" (Latin,
    Greek, Cyrillic, Hebrew, Arabic, Thai: CSL 1.0.2, "Name-part Order", as citeproc-js's
    ROMANESQUE_REGEX reads it); a name in another (Chinese, Japanese, Korean) reads "family
    given" without a space."""
    if family is None:
        return True
    return any(char in "-0123456789" or "a" <= char.lower() <= "z" or
               any(low <= char <= high for low, high in ROMANESQUE_RANGES) for char in str(family))


ROMANESQUE_RANGES = (("\u00c0", "\u017f"), ("\u0370", "\u03ff"), ("\u0400", "\u052f"),
                     ("\u0590", "\u05d4"), ("\u05d6", "\u05ff"), ("\u0600", "\u06ff"),
                     ("\u0e01", "\u0e5b"), ("\u1f00", "\u1fff"), ("\u200c", "\u200e"),
                     ("\u2018", "\u2019"), ("\u021a", "\u021b"), ("\u202a", "\u202e"))


def affixed(part, text):
    if text is None or part is None:
        return text
    return part.wrap(text)


def spaced(left, right):
    """Two name parts with a space, none after an apostrophe or hyphen ("d’Alembert")."""
    if left is None or str(left) == "":
        return right
    if right is None or str(right) == "":
        return left
    glue = "" if str(left).endswith(NO_SPACE_AFTER) or str(left)[-1:].isspace() else " "
    return left + String(glue) + right


def separated(left, right, separator: str):
    if left is None or str(left) == "":
        return right
    if right is None or str(right) == "":
        return left
    return left + String(separator) + right


def initialize_given_name(self, given, mark, context):
    make_initials = name_option(self, "initialize", "true", context).lower() == "true"
    hyphen = name_option(self, "initialize-with-hyphen", "true", context).lower() == "true"
    return initialize(str(given), str(mark), make_initials=make_initials, hyphen=hyphen)


def name_option(name, option: str, default: str, context=None) -> str:
    """An inheritable name option: on cs:name, else the cs:citation or cs:bibliography being
    rendered, else cs:style (CSL 1.0.2, "Inheritable Name Options"). A cs:name in a macro takes
    it from the cs:bibliography or cs:citation that calls the macro (``context``)."""
    if name.get(option) is not None:
        return name.get(option)
    if context is not None:
        try:
            caller = context.xpath_search("./ancestor-or-self::*[self::cs:citation or self::cs:bibliography][1]")
        except (AttributeError, IndexError):
            caller = []
        if caller and caller[0].get(option) is not None:
            return caller[0].get(option)
    element = name.getparent()
    while element is not None:
        tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
        if tag in INHERITING or tag == "style":
            if element.get(option) is not None:
                return element.get(option)
        element = element.getparent()
    return default


def initialize(given: str, mark: str, *, make_initials: bool = True, hyphen: bool = True) -> str:
    if MARKUP_TAG.search(given):
        return initialize_marked_up(given, mark, make_initials, hyphen)
    words = split_given(given)
    out = "".join(initialize_word(is_initial, word, mark, make_initials, hyphen)
                  for is_initial, word in words)
    return out.replace(" -", "-").strip()


# A given name with rich-text markup ("<b>John</b> Quiggly", ``values``): each
# tag stands in for one private-use character while the name is split, so that
# an initial keeps the markup of its word ("<b>J.</b> Q."), its mark inside,
# the space after it outside.
MARKUP_TAG = re.compile(r"</?[a-z]+(?:\s[^>]*)?>")
TAG_PLACES = 0xF0000  # supplementary private use area: never in a name


def initialize_marked_up(given: str, mark: str, make_initials: bool, hyphen: bool) -> str:
    tags = MARKUP_TAG.findall(given)
    places = iter(range(len(tags)))
    text = MARKUP_TAG.sub(lambda match: chr(TAG_PLACES + next(places)), given)
    out = ""
    for is_initial, word in split_given(text):
        bare = word.strip("".join(chr(TAG_PLACES + index) for index in range(len(tags))))
        start = word.index(bare) if bare else len(word)
        opening, closing = word[:start], word[start + len(bare):]
        initial = initialize_word(is_initial, bare, mark, make_initials, hyphen) if bare else ""
        spacing = initial[len(initial.rstrip()):]
        out += opening + initial.rstrip() + closing + spacing
    out = out.replace(" -", "-").strip()
    return "".join(tags[ord(char) - TAG_PLACES] if TAG_PLACES <= ord(char) < TAG_PLACES + len(tags)
                   else char for char in out)


def split_given(given: str) -> list[tuple[bool, str]]:
    """The given name as words, each marked as already an initial or not."""
    words: list[tuple[bool, str]] = []
    current = ""
    for char in given:
        if char == ".":
            if current:
                words.append((True, current))
            current = ""
        elif char == "-":
            if current:
                words.append((False, current))
            current = "-"
        elif char == " ":
            if len(current) == 1:
                words.append((True, current))
            elif current:
                words.append((False, current))
            current = ""
        else:
            current += char
    if len(current) == 1:
        words.append((True, current))
    elif current:
        words.append((False, current))
    return words


def initialize_word(is_initial: bool, word: str, mark: str, make_initials: bool, hyphen: bool) -> str:
    if is_initial:
        return word + mark if word else ""
    if word.islower() and not word.startswith("-"):  # a particle ("de", "van") is not initialized
        return word + " " if mark.endswith(" ") else " " + word + " "
    if make_initials:
        initial = to_initial(word, hyphen)
        return initial + mark if initial else ""
    return word + " "


def to_initial(word: str, hyphen: bool) -> str:
    if word.startswith("-"):
        rest = word[1:]
        if rest[:1].isupper():
            return ("-" if hyphen else "") + rest[0].upper()
        return ""
    if word[:1].isupper():
        if len(word) > 2 and word[1].isupper() and word[2:].islower():
            return word[0] + word[1].lower()  # "THomas" -> "Th"
        return word[0]
    return word

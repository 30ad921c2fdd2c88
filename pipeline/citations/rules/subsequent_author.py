"""CSL 1.0.2, "Reference Grouping": `subsequent-author-substitute` in the bibliography.

"If set, the value of this attribute replaces names in a bibliographic entry
that also occur in the preceding entry ... Substitution is limited to the
first cs:names element rendered." citeproc-py ignores the attribute. Here
the first cs:names of each entry is watched (``first_names_substituted``, around
citeproc-py's ``Names.render``): the names it printed are remembered for the
entry, compared with those of the entry before, and, where they match as
`subsequent-author-substitute-rule` asks, the cs:names is rendered again
with the names replaced (``names.render_name_list`` reads the replacement):

- complete-all (the default): all names match (all those printed: the names
  "et al." hides may differ); the substitute takes the
  place of the whole list ("including punctuation and terms like et al and
  and"), its label and affixes stay;
- complete-each: all match; each name is replaced;
- partial-each: the names that match, from the first to the first mismatch;
- partial-first: the first name only, if it matches.

A cs:names that printed its cs:substitute instead (no names: a title) is
replaced whole when it reads as the entry before's, as pandoc's citeproc
does.
"""
from __future__ import annotations

from dataclasses import dataclass

from citeproc.string import String

from .names import name_identity
from .punctuation import visible
from .state import NameSubstitution, render_state

FIRST_NAMES_SEEN = "first cs:names rendered"  # key in the cs:layout's ``repressed`` dict


@dataclass(frozen=True)
class EntryNames:
    """What an entry's first cs:names printed: the names, and the text."""

    names: tuple
    text: str


def first_names_substituted(render):
    """cs:names in a bibliography entry: the first one compared with the entry before's."""
    def names(self, item, *args, **kwargs):
        context = kwargs.get("context")
        context = self if context is None else context
        substitute = substitute_text(context)
        memory = entry_memory(context)
        if substitute is None or memory is None or memory.get(FIRST_NAMES_SEEN) or \
                kwargs.get("sort_options") is not None:  # a sort key reads the names themselves
            return render(self, item, *args, **kwargs)
        with render_state().changed(names_rendered=[]) as state:
            result = render(self, item, *args, **kwargs)
            printed = EntryNames(tuple(as_printed(name) for name in state.names_rendered),
                                 visible(result) if result is not None else "")
        if not printed.text:  # printed nothing: the first cs:names "rendered" is still to come
            return result
        memory[FIRST_NAMES_SEEN] = True
        previous = remember(item, printed)
        if previous is None:
            return result
        if not printed.names:
            return String(substitute) if printed == previous else result
        substitution = matching_substitution(rule_of(context), substitute, printed.names, previous.names,
                                             same_text=printed.text == previous.text)
        if substitution is None:
            return result
        with render_state().changed(name_substitution=substitution):
            return render(self, item, *args, **kwargs)
    return names


def as_printed(name) -> tuple:
    """A name to compare with the entry before's: "Beijing Zoo" as a family name alone reads as
    the literal (organisation) name "Beijing Zoo"."""
    if set(name) == {"family"}:
        return (("literal", str(name["family"])),)
    return name_identity(name)


def substitute_text(context) -> str | None:
    """The bibliography's `subsequent-author-substitute`, if this is an entry and it sets one."""
    try:
        bibliography = context.xpath_search("./ancestor-or-self::cs:bibliography")
        if not bibliography:
            return None
    except AttributeError:
        return None
    return bibliography[0].get("subsequent-author-substitute")


def rule_of(context) -> str:
    bibliography = context.xpath_search("./ancestor-or-self::cs:bibliography")[0]
    return bibliography.get("subsequent-author-substitute-rule", "complete-all")


def entry_memory(context) -> dict | None:
    """The memory of the entry being rendered (citeproc-py resets it for each)."""
    try:
        return context.get_layout().repressed
    except (AttributeError, IndexError):
        return None


def remember(item, printed: EntryNames) -> EntryNames | None:
    """Record what this entry's names printed; what the entry before's printed, if any."""
    try:
        bibliography = item.bibliography
    except AttributeError:
        return None
    if not hasattr(bibliography, "entry_names"):
        bibliography.entry_names = {}
    bibliography.entry_names[item.key] = printed
    keys = [entry.key for entry in bibliography.items]
    place = keys.index(item.key) if item.key in keys else 0
    return bibliography.entry_names.get(keys[place - 1]) if place > 0 else None


def matching_substitution(rule: str, substitute: str, names: tuple, previous: tuple,
                          same_text: bool = False) -> NameSubstitution | None:
    """How many names the rule replaces (and how), or None if they do not match as it asks
    (``same_text``: the names printed read alike, the names hidden by "et al." apart)."""
    if rule in ("complete-all", "complete-each"):
        if names != previous and not same_text:
            return None
        return NameSubstitution(substitute, whole_list=rule == "complete-all", count=len(names))
    matching = 0
    for name, before in zip(names, previous):
        if name != before:
            break
        matching += 1
    if matching == 0:
        return None
    return NameSubstitution(substitute, whole_list=False, count=1 if rule == "partial-first" else matching)

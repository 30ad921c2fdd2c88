"""CSL 1.0.2, "Bibliography-specific Options", `subsequent-author-substitute`.

"If set, the value of this attribute replaces names in a bibliographic entry
that also occur in the preceding entry ... Substitution is limited to the
first cs:names element rendered" (with what its cs:substitute put in place
of the names: a title, for a work without author). citeproc-py ignored the
attribute, so Chicago's and MLA's lists repeated the author ("Smith, John.
1999 ... Smith, John. 2001") where they write "———. 2001".

The rule `subsequent-author-substitute-rule` is read as its default,
"complete-all": when the first names of the entry read exactly as the
preceding entry's, the whole list is replaced (its affixes too, as
citeproc-py renders them with the names). The other rules ("complete-each",
"partial-each", "partial-first") compare name by name; for them the list is
left as it is.

``entries_with_author_substitute`` renders the entries in order, watching the
first cs:names of each (``author_modes``), and renders again, with the names
replaced, an entry whose names repeat the preceding ones.
"""
from __future__ import annotations

from typing import Callable, TypeVar

from .author_modes import watching_names
from .punctuation import visible

Entry = TypeVar("Entry")


def entries_with_author_substitute(bibliography, items: list,
                                   render: Callable[[object], Entry]) -> list[Entry]:
    """Each item's entry (``render(item)``), names repeated from the preceding entry
    replaced as ``bibliography`` (citeproc-py's cs:bibliography) asks."""
    substitute = bibliography.get("subsequent-author-substitute")
    rule = bibliography.get("subsequent-author-substitute-rule", "complete-all")
    if substitute is None or rule != "complete-all":
        return [render(item) for item in items]
    entries = []
    previous = None
    for item in items:
        with watching_names(suppress=False) as watch:
            entry = render(item)
        names = visible(watch.first_names) if watch.first_names is not None else None
        if names and names == previous:
            with watching_names(suppress=False, replacement=substitute):
                entry = render(item)
        previous = names
        entries.append(entry)
    return entries

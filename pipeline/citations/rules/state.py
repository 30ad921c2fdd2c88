"""What the rules remember while citeproc-py renders: one ``RenderState`` per thread.

citeproc-py renders by calling one element's method from another; a rule
that needs to know what happened further down (did this group's children
find a variable? which names did this citation print first?) cannot pass
it through citeproc-py's arguments, so it keeps it here. All of it lives in
one object, held in one ``contextvars.ContextVar``: each thread (and each
copied context) renders with its own.

A rule that changes a value for the length of one call (``changed``) puts
the previous value back afterwards, so nested calls see their own.
"""
from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass, field
from typing import Iterator


@dataclass
class VariableCount:
    """CSL 1.0.2, "Group": the variables looked up so far, and how many were non-empty."""

    looked_up: int = 0
    non_empty: int = 0

    def snapshot(self) -> tuple[int, int]:
        return self.looked_up, self.non_empty

    def all_empty_since(self, snapshot: tuple[int, int]) -> bool:
        """Variables were looked up since ``snapshot``, and none was non-empty."""
        looked_up, non_empty = snapshot
        return self.looked_up > looked_up and self.non_empty == non_empty


@dataclass
class NamesWatch:
    """pandoc's author modes: the first names one citation renders, and whether to leave them out."""

    suppress: bool
    first_names: object = None


@dataclass(frozen=True)
class NameSubstitution:
    """`subsequent-author-substitute`: the text in place of the whole name list, or of its
    first ``count`` names (``subsequent_author``)."""

    text: str
    whole_list: bool
    count: int


@dataclass
class RenderState:
    # Every variable looked up, for the group rule (``groups``). Never reset: a
    # group compares the count before and after its children.
    variables: VariableCount = field(default_factory=VariableCount)
    # The variables found non-empty while a cs:substitute's child renders (``groups``).
    recorders: list[set[str]] = field(default_factory=list)
    # The substitutions made while one cs:names renders; None outside one (``groups``).
    pending_substitutions: list[set[str]] | None = None
    # The first names of the citation being rendered; None outside a citation and in
    # sort keys (``author_modes``).
    names_watch: NamesWatch | None = None
    # ("day", the month term's gender) while a day date-part renders (``ordinals``).
    month_gender: tuple[str, str | None] | None = None
    # The implicit year-suffix ("a") the next year date-part appends, while the issued
    # date of an item that has one renders (``disambiguation``).
    year_suffix: str | None = None
    # Every name the cs:names print, while cites are rendered to be compared; None
    # otherwise (``disambiguation``).
    names_rendered: list | None = None
    # The names to replace while an entry's first cs:names renders again (``subsequent_author``).
    name_substitution: NameSubstitution | None = None
    # While a cite that opens a sentence renders and nothing has printed yet: how many
    # variables were found non-empty when it began (``capitals``).
    opening_term: int | None = None

    def count(self, found: bool, variable: str | None = None) -> None:
        """One variable looked up; a non-empty one is recorded for the substitutes rendering."""
        self.variables.looked_up += 1
        self.variables.non_empty += 1 if found else 0
        if found and variable:
            for recorded in self.recorders:
                recorded.add(variable)

    @contextlib.contextmanager
    def changed(self, **values: object) -> Iterator[RenderState]:
        """Within the block, the given fields have the given values; then the old ones again."""
        before = {name: getattr(self, name) for name in values}
        for name, value in values.items():
            setattr(self, name, value)
        try:
            yield self
        finally:
            for name, value in before.items():
                setattr(self, name, value)


_STATE: contextvars.ContextVar[RenderState] = contextvars.ContextVar("csl_render_state")


def render_state() -> RenderState:
    """This thread's (or context's) state, made on first use."""
    try:
        return _STATE.get()
    except LookupError:
        state = RenderState()
        _STATE.set(state)
        return state

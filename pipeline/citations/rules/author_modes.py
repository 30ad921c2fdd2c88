"""pandoc's citation modes (not CSL rules: CSL-M's suppress-author / author-only).

"[-@key]" leaves out the author; "@key says" prints the author, then the
citation without it. Both concern the first cs:names element that renders
in the citation, which only the rendering itself can tell (it may sit in
any branch of a cs:choose), so ``Names.render`` is watched while one
citation renders (``watching_names``).
"""
from __future__ import annotations

import contextlib
from typing import Iterator

from citeproc.string import String

from .state import NamesWatch, render_state


@contextlib.contextmanager
def watching_names(suppress: bool, replacement: str | None = None) -> Iterator[NamesWatch]:
    """Within the block, capture (and optionally suppress, or replace) the first names rendered."""
    watch = NamesWatch(suppress=suppress, replacement=replacement)
    with render_state().changed(names_watch=watch):
        yield watch


def unwatched(sort):
    """Sort keys render names too; they are not the citation's author."""
    def sort_unwatched(self, items, context):
        with render_state().changed(names_watch=None):
            return sort(self, items, context)
    return sort_unwatched


def names_render_watched(render):
    def watched(self, item, *args, **kwargs):
        watch = render_state().names_watch
        if watch is None or watch.first_names is not None:
            return render(self, item, *args, **kwargs)
        result = render(self, item, *args, **kwargs)
        if watch.first_names is None and result is not None:
            watch.first_names = result
        elif watch.first_names is None:
            return result
        # The names were found here or in this element's cs:substitute: with
        # them suppressed, the substitute must not put a title in their place.
        if watch.replacement is not None:
            return String(watch.replacement) if watch.replacement else None
        return None if watch.suppress else result
    return watched

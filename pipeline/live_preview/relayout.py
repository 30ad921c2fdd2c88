"""The live preview's shortcut: after an edit, lay out again only the pages it touched.

WeasyPrint lays a document out page by page, and for each page it keeps where
the page starts in the box tree and the state it starts with (counters, page
side, named page). It already uses that to lay out again only the pages whose
page-based counters changed. ``PageReuse`` hands it the previous build's pages
and states as if they came from an earlier pass of the same layout, with only
the pages around the edit marked as changed:

- the previous and the new box trees are compared, before layout, box by box
  (kind, element, attributes, text); the first and the last box that differ
  bound the edit. An edit inside a box whose size depends on all it holds (a
  table, a float, an inline block, flex, grid, columns) is an edit of that
  whole box;
- pages that end before the edit are kept, but for the one just before it
  when its layout began the block the edit is in: where a page ends can
  depend on the first lines of the next page's blocks (widows and orphans; a
  heading kept with the paragraph that follows, when an edit anywhere in that
  paragraph changes how it can be split). Which blocks each page's layout
  began is recorded as it is laid out;
- pages that start after the edit are kept only if the page before ends
  where it ended last time with the same state, which WeasyPrint checks
  itself; otherwise it goes on laying out until they meet again;
- a kept page keeps its header and footer (margin boxes) if its counters and
  named strings (the title, the page count) are as they were.

The result is the same PDF, byte for byte, as a full layout
(``tests/live_preview/test_rebuilds.py`` builds both ways and compares, for
chosen edits and for edits Hypothesis makes up). Whatever the comparison cannot
vouch for gets a full layout: a change in the tree's shape before the edit's
end, floats or footnotes carried over a page break, running elements,
page-based counters in the text. Files the HTML only names (images, fonts)
are not compared: the watch forgets the layouts when anything but the article
changes.
"""
from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from dataclasses import dataclass

from ..printed.pdf import kept_at_most

Position = tuple


@dataclass
class LaidOut:
    """One layout, kept for the next: the box tree, its pages before WeasyPrint added
    the margin boxes, and the state each page started with."""
    root_box: object
    pages: list[tuple]  # (page, its children, its root box, that box's children)
    page_maker: list[tuple]
    starts: list[Position | None]
    page_bottom: float | None
    # For each page, the blocks its layout began (a page's end can depend on the first
    # lines of the next page's blocks); None where that is not known.
    reached: list[set[Position] | None]


class KeptLayouts:
    """The last layout of each leaflet and stylesheet set, lent to a ``PdfWriter``
    (it is a ``printed.pdf.LayoutMemory``)."""

    def __init__(self) -> None:
        self.kept: dict[tuple, PageReuse] = {}

    def reusing(self, key: tuple) -> contextlib.AbstractContextManager:
        if key not in self.kept:
            kept_at_most(self.kept, key, PageReuse())
        return self.kept[key].active()

    def forget(self) -> None:
        self.kept.clear()


class PageReuse:
    """The last layout of one leaflet in one edition, and the means to reuse it."""

    def __init__(self) -> None:
        self.previous: LaidOut | None = None
        self.relaid: tuple[int, int] | None = None  # first and last page laid out again, for tests
        # Each page's margin boxes (header, footer), with what they were made from.
        self.margins: dict[int, tuple[object, tuple, list]] = {}
        self.margins_kept = 0  # for tests
        self.reaching: dict[int, set[int]] = {}  # page number: ids of the elements laid out
        self.laying_out = False  # in the page loop (not the headers and footers after it)

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        """While WeasyPrint lays out one document, start from the previous layout.
        ``make_all_pages`` is WeasyPrint's page loop and ``make_margin_boxes`` lays
        out a page's header and footer; both are wrapped only for this document (a
        build is single-threaded) and restored even on error."""
        import weasyprint.layout as layout
        import weasyprint.layout.block as block
        original_pages, original_margins = layout.make_all_pages, layout.make_margin_boxes
        original_block = block.block_level_layout

        def make_all_pages(context, root_box, html, pages):
            reused = self.seed(context, root_box, html) if not pages else pages
            yield from self.made(original_pages(context, root_box, html, reused), reused,
                                 context, root_box)

        def make_margin_boxes(context, page, state):
            return self.margin_boxes(original_margins, context, page, state)

        def block_level_layout(context, box, *args, **kwargs):
            if self.laying_out and box.element is not None:
                self.reaching.setdefault(context.current_page, set()).add(id(box.element))
            return original_block(context, box, *args, **kwargs)

        layout.make_all_pages, layout.make_margin_boxes = make_all_pages, make_margin_boxes
        block.block_level_layout = block_level_layout
        self.margins_kept, self.reaching = 0, {}
        try:
            yield
        except BaseException:
            self.previous = None  # a layout cut short is not a layout to go on from
            self.margins = {}
            raise
        finally:
            layout.make_all_pages, layout.make_margin_boxes = original_pages, original_margins
            block.block_level_layout = original_block
            self.laying_out = False

    def margin_boxes(self, make, context, page, state) -> list:
        """A kept page's header and footer as last time, if everything they show is as it
        was: the page's counters (its number, the number of pages) and the named strings
        set on it and the pages before (the title, the version)."""
        number = context.current_page
        key = (copy.deepcopy(state), context.page_bottom, {
            name: [list(by_page.get(page_number, ())) for page_number in range(1, number + 1)]
            for name, by_page in context.string_set.items()})
        kept = self.margins.get(number)
        if kept is not None and kept[0] is page and kept[1] == key:
            self.margins_kept += 1
            return kept[2]
        boxes = list(make(context, page, state))
        self.margins[number] = (page, key, boxes)
        return boxes

    def seed(self, context, root_box, html) -> list:
        """The previous pages, and ``context.page_maker`` marking those to lay out again;
        no pages (a full layout) when the previous layout cannot be vouched for."""
        previous, self.relaid = self.previous, None
        if previous is None or None in previous.starts:
            return []
        edit = Edit()
        compare(previous.root_box, root_box, (), edit)
        if edit.first is None:
            dirty = range(0)
        else:
            start = first_page_to_lay_out(previous, sized_by_content(root_box, edit.first))
            end = (len(previous.pages) - 1 if edit.reshaped else
                   page_holding(previous.starts, sized_by_content(root_box, edit.last)))
            dirty = range(start, end + 1)
            self.relaid = (start, end)
        context.page_maker = [
            (copy.deepcopy(resume_at), copy.deepcopy(next_page), right_page,
             copy.deepcopy(page_state),
             {"content_changed": index in dirty, "pages_wanted": False, "anchors": [],
              "content_lookups": []})
            for index, (resume_at, next_page, right_page, page_state, _)
            in enumerate(previous.page_maker)]
        from weasyprint.layout.page import set_page_type_computed_styles
        pages = [restored(kept) for kept in previous.pages]
        for page in pages:  # the margin boxes of kept pages need their page's styles
            set_page_type_computed_styles(page.page_type, html, context.style_for)
        return pages

    def made(self, pages: Iterator, reused: list, context, root_box) -> Iterator:
        """WeasyPrint's pages, passed on; at the end, kept for the next layout."""
        made, reusable = [], True
        self.laying_out = True
        for page in pages:
            made.append(page)
            # Something carried over this page break lives in boxes of this tree only.
            reusable &= not (context.broken_out_of_flow or context.reported_footnotes)
            self.laying_out = False
            yield page
            self.laying_out = True
        self.laying_out = False
        if made and any(made[-1] is page for page in reused):
            # The margin boxes are laid out with the last page's bottom, as in a full layout.
            context.page_bottom = self.previous.page_bottom
        running = any(any(by_page.values()) for by_page in context.running_elements.values())
        reusable &= not (running or context.footnotes
                         or context.target_collector.counter_lookup_items)
        if not reusable:
            self.previous = None
            return
        earlier = [] if self.previous is None else self.previous.reached
        self.previous = LaidOut(
            root_box, [kept(page) for page in made],
            [(resume_at, copy.deepcopy(next_page), right_page, copy.deepcopy(page_state), state)
             for resume_at, next_page, right_page, page_state, state in context.page_maker],
            [position(entry[0]) for entry in context.page_maker[:len(made)]],
            context.page_bottom, self.reached(root_box, made, reused, earlier))

    def reached(self, root_box, made: list, reused: list, earlier: list) -> list:
        """Each page's reached blocks: found now for the pages laid out now, as known
        before for the pages kept (their positions have not moved), else unknown."""
        blocks = block_positions(root_box) if self.reaching else {}
        kept_pages = {id(page) for page in reused}
        reached: list[set[Position] | None] = []
        for number, page in enumerate(made):
            if number + 1 in self.reaching:
                reached.append({position for element in self.reaching[number + 1]
                                for position in blocks.get(element, ())})
            else:
                reached.append(earlier[number] if id(page) in kept_pages
                               and number < len(earlier) else None)
        return reached


def kept(page) -> tuple:
    """A page as it leaves the page loop: WeasyPrint then replaces its children (adding
    the margin boxes) without changing them, so they can be put back."""
    root = page.children[0]
    return page, page.children, root, root.children


def restored(kept_page: tuple):
    page, children, root, root_children = kept_page
    page.children, root.children = children, root_children
    return page


def position(resume_at: dict | None) -> Position | None:
    """Where a page starts, as a path of child indexes from the root box (the last one
    an offset in the text when the page starts inside a line); None when the start
    has several branches (tables, columns), which this does not compare."""
    path = []
    while resume_at:
        if len(resume_at) != 1:
            return None
        ((index, resume_at),) = resume_at.items()
        path.append(index)
    return tuple(path)


def first_page_to_lay_out(previous: LaidOut, first: Position) -> int:
    """The page where the edit begins, or the one before it if that page's layout began
    the block the edit is in: where a page ends can depend on the first lines of the
    next page's blocks (widows and orphans, a heading kept with the paragraph after
    it, however far into that paragraph the edit is)."""
    page = page_starting_before(previous.starts, first)
    if page == 0:
        return 0
    reached = previous.reached[page - 1]
    block = enclosing_block(previous.root_box, first)
    return page - 1 if reached is None or block is None or block in reached else page


def enclosing_block(root_box, path: Position) -> Position | None:
    """The innermost block in the normal flow that holds the box at ``path``; None if
    the path leaves the normal flow (floats, positioned boxes) on the way."""
    from weasyprint.formatting_structure import boxes
    box, block = root_box, ()
    for depth, index in enumerate(path):
        kids = children(box)
        if index >= len(kids):
            break
        box = kids[index]
        if not box.is_in_normal_flow():
            return None
        if isinstance(box, boxes.BlockLevelBox):
            block = path[:depth + 1]
    return block


def block_positions(root_box) -> dict[int, list[Position]]:
    """Where the blocks of each element are (by the element's id): a page's layout
    begins blocks, and lays out lines inside them."""
    from weasyprint.formatting_structure import boxes
    found: dict[int, list[Position]] = {}
    pending = [(root_box, ())]
    while pending:
        box, path = pending.pop()
        for index, child in enumerate(children(box)):
            if isinstance(child, (boxes.BlockLevelBox, boxes.BlockContainerBox)):
                if child.element is not None:
                    found.setdefault(id(child.element), []).append((*path, index))
                pending.append((child, (*path, index)))
    return found


def sized_by_content(root_box, path: Position) -> Position:
    """The outermost box around ``path`` whose size depends on all it holds (a table's
    columns, a float, an inline block, a flex or grid container, columns): an edit
    anywhere inside it may change it on every page it is on."""
    from weasyprint.formatting_structure import boxes
    box = root_box
    for depth, index in enumerate(path):
        kids = children(box)
        if index >= len(kids):
            break
        box = kids[index]
        style = box.style
        if (isinstance(box, (boxes.TableBox, boxes.InlineBlockBox, boxes.FlexContainerBox,
                             boxes.GridContainerBox))
                or getattr(box, "is_table_wrapper", False)
                or style["float"] != "none" or style["position"] in ("absolute", "fixed")
                or style["column_width"] != "auto" or style["column_count"] != "auto"):
            return path[:depth + 1]
    return path


def page_starting_before(starts: list[Position], path: Position) -> int:
    """The page on which the box at ``path`` begins."""
    return max(index for index, start in enumerate(starts) if start <= path)


def page_holding(starts: list[Position], path: Position) -> int:
    """The last page holding part of the box at ``path``."""
    return max(index for index, start in enumerate(starts)
               if start <= path or start[:len(path)] == path)


@dataclass
class Edit:
    """Where two box trees differ: the first and the last box, in document order, and
    whether they differ in shape (then the boxes after the edit are not at the same
    positions, and nothing after it can be compared)."""
    first: Position | None = None
    last: Position | None = None
    reshaped: bool = False


def compare(old, new, path: Position, edit: Edit) -> None:
    """Walk both trees at once, noting in ``edit`` where they differ."""
    if not same_box(old, new):
        edit.first = path if edit.first is None else edit.first
        edit.last = path
    old_children, new_children = children(old), children(new)
    for index, (old_child, new_child) in enumerate(zip(old_children, new_children)):
        compare(old_child, new_child, (*path, index), edit)
    if len(old_children) != len(new_children):
        edit.reshaped = True
        if edit.first is None:
            edit.first = (*path, min(len(old_children), len(new_children)))


def same_box(old, new) -> bool:
    """Boxes that lay out alike: the same kind, for the same element with the same
    attributes (so the same style), holding the same text."""
    if type(old) is not type(new) or old.element_tag != new.element_tag:
        return False
    if getattr(old, "text", None) != getattr(new, "text", None):
        return False
    if (old.element is None) != (new.element is None):
        return False
    return old.element is None or old.element.attrib == new.element.attrib


def children(box) -> list:
    return getattr(box, "children", None) or []

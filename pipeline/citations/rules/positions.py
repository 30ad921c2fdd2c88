"""CSL 1.0.2, "Choose", the `position` test: where a cite stands among the cites before it.

``cite_positions`` takes the place of citeproc-py's ``If._position``. The
specification's positions, each tested against the cites rendered before
this one (citeproc-py's list on the cs:citation element):

- "first": "the first cite to an item"; "subsequent": any later one.
- "ibid": the cite "immediately follows on another cite, within the same
  citation, that references the same item", or it "is the first cite in the
  citation, and the previous citation ... references the same item" and only
  it. Where the citations carry note numbers, "previous citation" reads as
  citeproc-js (the reference implementation) reads it: the cites of the
  previous note, which may hold several citations, and a citation in the
  text (note 0) follows on the previous one in the text, not on a footnote.
  As pandoc's citeproc reads it, a footnote without citations between the
  two (the author's own) breaks the sequence: "Ibid." would point at it.
- "ibid-with-locator": an ibid cite whose locator differs from the
  preceding cite's, or that has one where the preceding has none. "Whenever
  position="ibid-with-locator" tests true, position="ibid" also tests true",
  except that a cite without a locator after one with a locator is not
  ibid: "Ibid." would claim the same page. It is "subsequent".
- "near-note": a subsequent cite whose previous cite of the same item is at
  most `near-note-distance` notes back (default 5, "Note Distance";
  citeproc-py had no default and failed on a style that did not set it).
- In cs:bibliography, every position tests false.
- A cite item that carries its own ``position`` (citeproc-js's numbers, for a
  word processor that tells the processor the positions) holds that one.
  pandoc's citations carry none: a leaflet's positions are always found.

The note number of a citation is its ``note_index`` where the citation
stage set one (a note style's footnotes, ``notes.note_numbers``); without,
each citation counts as a note of its own, in the order cited.

``cite_with_first_reference_note_number`` gives the variable of that name
(CSL 1.0.2, "Number Variables": "number of a preceding note containing the
first reference to the item"), which citeproc-py did not know ("supra note
2" printed "supra"): empty for a first cite, in the bibliography, and where
the first cite is in no note (note 0, the text).
"""
from __future__ import annotations


DEFAULT_NEAR_NOTE_DISTANCE = 5
# A cite item's own ``position`` (citeproc-js's numbers, for a processor that is told
# the positions rather than finding them): first, subsequent, ibid, ibid-with-locator.
GIVEN_POSITIONS = {0: ("first",), 1: ("subsequent",), 2: ("subsequent", "ibid"),
                   3: ("subsequent", "ibid", "ibid-with-locator")}
FIRST_NOTE_VARIABLE = "first_reference_note_number"  # as citeproc-py names a reference's variables


def cite_positions(self, item, context=None) -> list[bool]:
    """The outcome of each position the cs:if tests, in order."""
    if context is None:
        context = self
    if context.xpath_search("./ancestor::*[self::cs:bibliography]"):
        return [False]
    citation = context.get_layout().getparent()
    found = position(item, list(citation.cites), near_note_distance(citation))
    return [name in found for name in self.get("position").split()]


def near_note_distance(citation) -> int:
    value = citation.get("near-note-distance")
    return int(value) if value and value.strip().isdigit() else DEFAULT_NEAR_NOTE_DISTANCE


def position(item, earlier: list, distance: int = DEFAULT_NEAR_NOTE_DISTANCE) -> set[str]:
    """The positions ``item`` holds after the cites ``earlier`` (in the order rendered)."""
    given = item.get("position") if hasattr(item, "get") else None
    if given in GIVEN_POSITIONS:
        return set(GIVEN_POSITIONS[given]) | ({"near-note"} if item.get("near_note") else set())
    same_item = [cite for cite in earlier if cite.key == item.key]
    if not same_item:
        return {"first"}
    found = {"subsequent"}
    notes = NoteNumbers(earlier + [item])
    if notes.of(item) - notes.of(same_item[-1]) <= distance:
        found.add("near-note")
    preceding = preceding_cites(item, earlier, notes)
    if preceding and all(cite.key == item.key for cite in preceding):
        found |= ibid_positions(item, preceding[-1])
    return found


def preceding_cites(item, earlier: list, notes: NoteNumbers) -> list:
    """What an ibid cite must follow on: the cite before it in its citation, else the cites
    of the previous citation (of the previous note, where notes are numbered)."""
    own = [cite for cite in earlier if cite.citation is item.citation]
    if own:
        return own[-1:]
    in_text = notes.of(item) == 0 and notes.numbered(item)
    stream = [cite for cite in earlier if (notes.of(cite) == 0 and notes.numbered(cite)) == in_text]
    if not stream:
        return []
    last = stream[-1]
    if notes.numbered(last) and notes.numbered(item) and notes.of(item) - notes.of(last) > 1:
        return []  # a note between them (the author's own): "Ibid." would point at it
    if notes.numbered(last) and notes.of(last) > 0:
        return [cite for cite in stream if notes.numbered(cite) and notes.of(cite) == notes.of(last)]
    return [cite for cite in stream if cite.citation is last.citation]


def ibid_positions(item, preceding) -> set[str]:
    here, there = locator_of(item), locator_of(preceding)
    if here is None:
        return {"ibid"} if there is None else set()
    return {"ibid", "ibid-with-locator"} if here != there else {"ibid"}


def locator_of(item) -> tuple[str, str] | None:
    if not item.has_locator:
        return None
    return str(item.locator.label), str(item.locator.identifier)


class NoteNumbers:
    """Each citation's note: its ``note_index`` if set, else its place among the citations."""

    def __init__(self, cites: list) -> None:
        self.order: dict[int, int] = {}
        for cite in cites:
            self.order.setdefault(id(cite.citation), len(self.order) + 1)

    @staticmethod
    def numbered(cite) -> bool:
        return cite.citation.get("note_index") is not None

    def of(self, cite) -> int:
        note = cite.citation.get("note_index")  # citeproc-py's Citation is a dict
        return int(note) if note is not None else self.order[id(cite.citation)]


def cite_with_first_reference_note_number(render_children):
    """cs:layout: one cite of a citation rendered with the variable set on its reference
    while it renders (so cs:text, cs:label and the `variable` test all find it)."""
    def render(self, item, *args, **kwargs):
        number = first_note_of(item, self)
        if number is None:
            return render_children(self, item, *args, **kwargs)
        reference = item.reference
        reference[FIRST_NOTE_VARIABLE] = str(number)
        try:
            return render_children(self, item, *args, **kwargs)
        finally:
            del reference[FIRST_NOTE_VARIABLE]
    return render


def first_note_of(item, layout) -> int | None:
    citation = layout.getparent()
    if not str(citation.tag).endswith("}citation") or FIRST_NOTE_VARIABLE in item.reference:
        return None
    earlier = [cite for cite in citation.cites if cite.key == item.key]
    if not earlier:
        return None
    notes = NoteNumbers(earlier + [item])
    number = notes.of(earlier[0])
    return number if number > 0 else None

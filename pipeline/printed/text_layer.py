"""The PDF's text layer: what extraction, copying and a screen reader get back from
the glyphs WeasyPrint draws, right in every script.

WeasyPrint writes one text per glyph into each font's ToUnicode map: the text of
the first cluster the glyph was drawn for. That is right for a script whose
glyphs stand one for one for its characters (Latin, Cyrillic, Chinese), and wrong
where shaping draws one glyph for several characters or several glyphs for one
(a Nastaliq glyph shared by several letters reads as the first letter it was
drawn for; a vowel sign Devanagari draws before its consonant, a conjunct, a
lam-alef with a mark, a glyph of a cluster that is not its last glyph reads as
nothing at all, and an empty entry makes the ToUnicode map malformed for
PDF/UA-1, rule 7.21.7-1).

So, while WeasyPrint draws a document (``active``), each text box's line is
looked at with the cluster information HarfBuzz gave Pango (the same glyph runs
WeasyPrint has just drawn), and:

- a line whose every cluster is one glyph whose ToUnicode text is exactly that
  cluster's characters reads back as it is: nothing is added (English costs a
  look at each glyph, nothing in the PDF);
- any other line carries ``/ActualText`` with its characters, on the
  marked-content sequence WeasyPrint opens for the text box (``/Span`` with the
  ``/MCID`` the structure tree points to: the tree is unchanged, and no marked
  content is added that the tree does not reach; a right-to-left line's second
  ActualText, below, is nested inside that sequence). ``pdftotext`` (poppler:
  Evince, Okular, Orca) and pdfium (Chrome's viewer and its screen-reader tree)
  read the ActualText instead of the glyphs' text. Text drawn in no such
  sequence gets none: page furniture (an ``/Artifact``, ``tagging.py``), which
  screen readers pass over, an SVG's labels (its figure's description is what
  they read) and list markers;
- every glyph WeasyPrint mapped to no text is mapped to an invisible combining
  character (``NO_TEXT_OF_ITS_OWN``), so that the ToUnicode map has no empty
  entry (the line it was drawn in carries ActualText, which is what is read).

The ActualText stands in for the glyphs' text where the glyphs stand, so it is
written in the order they are drawn, as the glyphs' own text is: Pango's runs
left to right, a right-to-left run's characters backwards (``drawing_order``).
Readers lay a line's text out from left to right and then turn each right-to-
left run round into reading order, ActualText included (poppler and pdfium
both do; measured on the fixtures, a right-to-left line's ActualText written in
reading order comes back reversed from both), so a line comes back in the order
it is read, marks and Latin runs in place.

pdfium's turning round is rougher (measured with pypdfium2 5.15.2 on one-line
PDFs in the fixtures' fonts): it turns a right-to-left line's ActualText round
as a whole and then reverses the order of the line's direction runs (right-to-
left letters; left-to-right letters; digits, separators, combining marks and
ZWNJ; spaces). A word of one run comes back whole, but a word with a mark or a
ZWNJ in it is several runs, which come back swapped (امشِ as ِامش), and no one
order of one ActualText gives both readers such a word. They differ in which
ActualText they read, though: pdfium the innermost, poppler 22.12 (the pinned
one) only one written in the BDC operator itself, not in a named property list.
So a line holding a right-to-left letter also has its drawing wrapped, inside
its text object and inside the MCID's sequence, in a ``/Span`` without MCID
whose ActualText, in a property list of the stream's resources, has the drawing
order's runs in reverse order (``nest_for_pdfium``, ``pdfium_order``): pdfium's
two turns then give the words back, poppler reads the MCID's. A poppler that
reads named property lists (later than 22.12) would read the nested one, so
the pin moves only with ``tests/printed/test_text_layer.py`` passing.

The decision is made per line, from the clusters, for every script alike: no
language is named here.

This hooks two functions of WeasyPrint's drawing (``draw.draw_text``, which
WeasyPrint's page drawing calls inside the text box's marked content, and
``draw.text.draw_first_line``, which draws the glyphs), for one document at a
time, restored afterwards, like the live preview's layout reuse
(``live_preview/relayout.py``). They depend on WeasyPrint's internals, so
``check_weasyprint_version`` refuses a WeasyPrint other than the one this was
written for (``WEASYPRINT_VERSION``, pinned in pyproject.toml): an upgrade fails
loudly, and this module is checked against the new drawing code before the pin
moves.
"""
from __future__ import annotations

import contextlib
import itertools
import re
import struct
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# The WeasyPrint release whose drawing code the hooks below were read against: one pin for
# both of the pipeline's drawing hooks (pyproject.toml pins the same).
from .tagging import check_weasyprint_version as check_tagging_version
# Characters a line may lose from its glyphs without changing what it says: a soft
# hyphen where the line does not break is drawn as nothing.
INVISIBLE = frozenset("\u00ad")
# What a glyph that stands for no character of its own maps to (a Nastaliq dot, the second
# glyph of a Devanagari vowel sign): COMBINING GRAPHEME JOINER, a character that shows
# nothing and joins nothing, so a reader that ignores ActualText adds nothing visible, and
# a count of a line's letters (clear print, reading order) passes over it as a mark.
NO_TEXT_OF_ITS_OWN = "\u034f"
# Letters and punctuation that have no combining marks among them and are drawn left to
# right, one glyph each in the fonts the pipeline sets them in (``plainly_one_for_one``).
# Any right-to-left letter: a line holding one also gets ActualText for pdfium (``nest_for_pdfium``).
RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
# The bidi classes pdfium's CFX_BidiChar counts as "left weak".
PDFIUM_WEAK = frozenset(("AN", "EN", "NSM", "CS", "ES", "ET", "BN"))
PLAIN = re.compile("[\u0020-\u007e\u00a0-\u02ff\u0370-\u03ff\u0400-\u0482\u048a-\u04ff"
                   "\u2010-\u2027\u2030-\u205e]*")


def check_weasyprint_version(found: str | None = None) -> None:
    """Refuse a WeasyPrint other than ``WEASYPRINT_VERSION`` (``found``: the one loaded)."""
    check_tagging_version(found, relies="writes the PDF's text layer inside",
                          where="pipeline/printed/text_layer.py",
                          otherwise="could write PDFs whose text reads back wrong")


@dataclass
class Cluster:
    """One cluster of a glyph run: the characters HarfBuzz shaped together, and the glyphs
    (ids as WeasyPrint writes them) it drew for them."""

    text: str
    glyphs: list[int]
    moved: bool = False  # a glyph drawn off its pen position (a mark placed on its base)


def actual_text(stream, textbox) -> str | None:
    """The characters of the text box's line, in drawing order (``drawing_order``), when
    its glyphs do not read back as them one for one; None when they do. Called just after
    WeasyPrint drew the line, while its Pango layout is still active, so every glyph drawn
    has its ToUnicode entry; any empty entry is filled in (``mapped_to_something``)."""
    from weasyprint.text.ffi import ffi

    layout = textbox.pango_layout
    line, _ = layout.get_first_line()
    utf8 = layout.text.encode()
    one_for_one = True
    pieces: list[str] = []
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        item = glyph_item.item
        right_to_left = bool(item.analysis.level % 2)
        text = utf8[item.offset:item.offset + item.length].decode()
        font, _ = stream.add_font(item.analysis.font)  # WeasyPrint's, already added
        if not (one_for_one and plainly_one_for_one(glyph_item, text, font.to_unicode)):
            for cluster in clusters(glyph_item, utf8, font):
                mapped_to_something(cluster, font.to_unicode)
                one_for_one = one_for_one and reads_back(cluster, font.to_unicode, right_to_left)
        pieces.append(drawing_order(text, right_to_left))
    return None if one_for_one else "".join(pieces)


def plainly_one_for_one(glyph_item, text: str, to_unicode: dict[int, str]) -> bool:
    """The general test (``clusters``, ``reads_back``) made quick for the run most lines are
    made of: left to right, in letters without marks (Latin, Greek, Cyrillic, common
    punctuation), one glyph a character, each glyph's ToUnicode text its character. It
    answers as the general test would, or False, and then the general test answers."""
    from weasyprint.text.ffi import ffi

    glyph_string = glyph_item.glyphs
    count = glyph_string.num_glyphs
    if glyph_item.item.analysis.level % 2 or count != len(text) or not PLAIN.fullmatch(text):
        return False
    if ffi.unpack(glyph_string.log_clusters, count) != character_offsets(text):
        return False
    size = ffi.sizeof("PangoGlyphInfo")
    infos = struct.iter_unpack(f"=Iiii{size - 16}x", ffi.buffer(glyph_string.glyphs, count * size))
    glyphs = []
    for glyph, _, x_offset, y_offset in infos:
        if x_offset or y_offset:
            return False
        glyphs.append(glyph)
    return list(map(to_unicode.get, glyphs)) == list(text)


def character_offsets(text: str) -> list[int]:
    """Where each character starts in the text's UTF-8 bytes (Pango's cluster offsets)."""
    if text.isascii():
        return list(range(len(text)))
    return [0, *itertools.accumulate(len(character.encode()) for character in text[:-1])]


def drawing_order(text: str, right_to_left: bool) -> str:
    """A run's characters in the order its glyphs are drawn: a right-to-left run's
    backwards. Pango's runs are already in the order they are drawn, left to right."""
    return text[::-1] if right_to_left else text


def clusters(glyph_item, utf8: bytes, font) -> Iterator[Cluster]:
    """The run's clusters in the order its glyphs are drawn (visual order: a right-to-left
    run's last characters first). The glyph string is read in bulk: this runs for every
    line of every leaflet."""
    from weasyprint.text.ffi import ffi, pango

    item, glyph_string = glyph_item.item, glyph_item.glyphs
    count = glyph_string.num_glyphs
    starts = ffi.unpack(glyph_string.log_clusters, count)
    size = ffi.sizeof("PangoGlyphInfo")  # glyph, width, x offset, y offset, attributes
    infos = struct.iter_unpack(f"=Iiii{size - 16}x", ffi.buffer(glyph_string.glyphs, count * size))
    ends = cluster_ends(starts, item.length)
    current: Cluster | None = None
    previous = None
    for start, (glyph, _, x_offset, y_offset) in zip(starts, infos):
        if start != previous:
            if current is not None:
                yield current
            current, previous = Cluster(utf8[item.offset + start:item.offset + ends[start]].decode(), []), start
        if x_offset or y_offset:
            current.moved = True
        if glyph == pango.PANGO_GLYPH_EMPTY:
            continue
        if glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:  # drawn as .notdef under an id of its own
            glyph = font.get_unused_glyph_id(glyph - pango.PANGO_GLYPH_UNKNOWN_FLAG)
        current.glyphs.append(glyph)
    if current is not None:
        yield current


def cluster_ends(starts: list[int], run_length: int) -> dict[int, int]:
    """Where each cluster's characters end (bytes into the run): where the next cluster
    in the text begins, whichever way the run is drawn."""
    ordered = sorted(set(starts))
    return dict(zip(ordered, [*ordered[1:], run_length]))


def reads_back(cluster: Cluster, to_unicode: dict[int, str], right_to_left: bool) -> bool:
    """Whether a reader gets the cluster's characters back from its glyph: one glyph, drawn
    where the pen is, whose ToUnicode text is the cluster's characters (a single one in a
    right-to-left run, whose text readers turn round glyph by glyph, which would turn a
    lam-alef's two letters round too), and not a mark on its own (readers set a mark
    apart from its letter); or nothing drawn for a character that shows nothing."""
    if not cluster.glyphs:
        return all(character in INVISIBLE for character in cluster.text)
    return (len(cluster.glyphs) == 1 and not cluster.moved
            and (len(cluster.text) == 1 or not right_to_left)
            and not unicodedata.category(cluster.text[0]).startswith("M")
            and to_unicode.get(cluster.glyphs[0]) == cluster.text)


def mapped_to_something(cluster: Cluster, to_unicode: dict[int, str]) -> None:
    """A glyph WeasyPrint mapped to no text (any glyph of a cluster but the one that carries
    the cluster's text) gets ``NO_TEXT_OF_ITS_OWN``: an empty entry makes the ToUnicode map
    malformed, and the line's ActualText is what readers read."""
    for glyph in cluster.glyphs:
        if not to_unicode.get(glyph):
            to_unicode[glyph] = NO_TEXT_OF_ITS_OWN


def hex_text(text: str) -> bytes:
    """A PDF text string in UTF-16BE with its byte order mark, as a hexadecimal string."""
    return b"<feff" + text.encode("utf-16-be").hex().encode("ascii") + b">"


class TextLayer:
    """The two hooks, for one document at a time."""

    def __init__(self) -> None:
        self.enclosing: list = []  # the open text box's /Span property list, if any
        self.hooked = False

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        """While WeasyPrint draws one document: each text box's line gets ActualText where
        its glyphs do not read back as its characters. Restored even on error; entered
        again while active, it changes nothing (the hooks are in place once)."""
        import weasyprint.draw as draw
        import weasyprint.draw.text as text

        check_weasyprint_version()
        if self.hooked:
            yield
            return
        original_draw_text, original_first_line = draw.draw_text, text.draw_first_line

        def draw_text(stream, textbox, *args, **kwargs):
            self.enclosing.append(span_just_opened(stream))
            try:
                return original_draw_text(stream, textbox, *args, **kwargs)
            finally:
                self.enclosing.pop()

        def draw_first_line(stream, textbox, *args, **kwargs):
            start = len(stream.stream)
            emojis = original_first_line(stream, textbox, *args, **kwargs)
            if len(stream.stream) == start:  # nothing drawn (blank, or zero-sized text)
                return emojis
            characters = actual_text(stream, textbox)  # also for the ToUnicode entries
            if characters is not None and self.attach(characters) and RIGHT_TO_LEFT.search(characters):
                nest_for_pdfium(stream, start, characters)
            return emojis

        draw.draw_text, text.draw_first_line = draw_text, draw_first_line
        self.hooked = True
        try:
            yield
        finally:
            draw.draw_text, text.draw_first_line = original_draw_text, original_first_line
            self.enclosing.clear()
            self.hooked = False

    def attach(self, characters: str) -> bool:
        """ActualText on the text box's own /Span, the one the structure tree points to;
        whether it was put there."""
        span = self.enclosing[-1] if self.enclosing else None
        if span is not None and "ActualText" not in span:
            span["ActualText"] = hex_text(characters)
            return True
        return False


def nest_for_pdfium(stream, start: int, characters: str) -> None:
    """Wrap the line's drawing (the stream's operators from ``start`` on, inside its text
    object) in a ``/Span`` without MCID whose ActualText, in pdfium's order
    (``pdfium_order``), sits in a named property list of the stream's resources: pdfium
    reads the innermost ActualText, poppler 22.12 reads only ActualText written in the
    operator, so each gets the order it turns round into the words. (``_resources`` is
    WeasyPrint's, read under the same version pin as the hooks.)"""
    import pydyf

    properties = stream._resources.setdefault("Properties", pydyf.Dictionary())
    name = f"TL{len(properties)}"
    properties[name] = pydyf.Dictionary({"ActualText": hex_text(pdfium_order(characters))})
    stream.stream[start:start] = ["/Span", f"/{name}", b"BDC"]
    stream.stream.append(b"EMC")


def pdfium_order(characters: str) -> str:
    """The line's characters (in drawing order) with its direction runs in reverse
    order, each run's characters as they are: pdfium turns the ActualText of a line drawn
    right to left round as a whole and then reverses the order of its runs, which gives
    back the drawing order's runs turned round, words with marks and ZWNJs whole."""
    runs: list[str] = []
    for character in characters:
        if runs and pdfium_direction(runs[-1][-1]) == pdfium_direction(character):
            runs[-1] += character
        else:
            runs.append(character)
    return "".join(reversed(runs))


def pdfium_direction(character: str) -> str:
    """The direction pdfium's bidi (``CFX_BidiChar``) gives a character: right-to-left
    letters, left-to-right letters, weak (digits, separators, marks, ZWNJ), neutral."""
    bidi_class = unicodedata.bidirectional(character)
    if bidi_class in ("R", "AL"):
        return "R"
    if bidi_class == "L":
        return "L"
    return "W" if bidi_class in PDFIUM_WEAK else "N"


def span_just_opened(stream):
    """The property list of the /Span WeasyPrint opened just before drawing a text box
    (``Stream.marked``: the tag, the list with the MCID, BDC), or None."""
    last = stream.stream[-3:]
    if len(last) == 3 and last[0] == "/Span" and last[2] == b"BDC" and isinstance(last[1], dict):
        return last[1]
    return None


TEXT_LAYER = TextLayer()

"""The PDF as a patient (and a screen reader) gets it, checked from the file:
PDF/UA-1 rule by rule (``pdfua.py``: tags, language, title, image descriptions,
headings, fonts, links...), then what the validator cannot see: the article's
text extractable in reading order, and clear print: text sizes, line length,
justification, colour contrast."""
from __future__ import annotations

import statistics
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pypdfium2
from pdfplumber.structure import PDFStructTree, StructTreeMissing

from ..article.clinic import contrast_ratio
from ..config import MIN_TEXT_CONTRAST, THEME_DIR
from ..printed.editions import Edition
from .findings import ERROR, WARNING, Report
from .pdfua import check_pdfua
from .reading_order import Opening, check_reading_order, marked_content_chars

# The clear-print check's limits, and how it tells a text's colour from its background.
LONGEST_LINE = 80  # characters; 60-75 reads best
RENDER_SCALE = 2  # 144 dpi: enough to read the colour around a character
SAMPLES_PER_COLOUR = 30  # characters of each text colour measured on each page
COLOUR_DISTANCE = 60  # summed RGB difference that tells a background from the text's edge

AREA, CLEAR = "PDF", "clear print"


def check_pdf(pdf: Path, edition: Edition, openings: Sequence[Opening], report: Report,
              figure_files: Mapping[str, str] | None = None, theme_dir: Path = THEME_DIR) -> None:
    """Check one printed edition; ``openings`` are the article's paragraphs, in order
    (``paragraph_openings``), which a screen reader must meet in the same order;
    ``figure_files`` the article's image files by their descriptions, to name them."""
    check_pdfua(pdf, edition.name, theme_dir, report)
    with pdfplumber.open(pdf) as document:
        chars = visible_chars(document)
        if not chars:  # nothing to read, and nothing to measure
            report.add(ERROR, AREA, "the PDF has no text a screen reader can read: its pages "
                       "are empty or hold only pictures", pdf.name,
                       "write the leaflet's words as text in the Markdown, not as pictures of "
                       "text, and build the PDF with the pipeline")
            return
        check_reading_order(document, openings, pdf.name, report)
        tagged = tagged_chars(document)
        measure_clear_print(pdf, document, chars, edition, report, tagged)
        check_figure_text(tagged.figures, edition, pdf.name, report, figure_files or {})


def visible_chars(document: pdfplumber.PDF) -> list[dict]:
    """Every character of the PDF that is not a space."""
    return [c for page in document.pages for c in page.chars if c["text"].strip()]


def measure_clear_print(pdf: Path, document: pdfplumber.PDF, chars: list[dict], edition: Edition,
                        report: Report, tagged: TaggedChars | None = None) -> None:
    """The clear-print rules, measured on ``chars`` (``visible_chars``, never empty).
    A figure's own labels are measured by ``check_figure_text``, which names the figure."""
    tagged = tagged or tagged_chars(document)
    in_figures = {id(char) for chars_of in tagged.figures.values() for char in chars_of}
    sizes = [round(c["size"], 1) for c in chars if id(c) not in in_figures] or \
        [round(c["size"], 1) for c in chars]
    body = paragraph_body_size(tagged.paragraphs) or body_size(document)
    lines = body_lines(document, body)
    worst = worst_contrast(pdf, chars)
    line_lengths = [characters_in(line) for line in lines]
    full = [n for n in line_lengths if n >= 0.8 * max(line_lengths)] if line_lengths else []
    figures = {"body_pt": body, "smallest_pt": min(sizes),
               "line_length_median": statistics.median(full) if full else None,
               "justified": is_justified(lines),
               "lowest_contrast": round(worst[0], 2) if worst else None}
    report.measurements[pdf.name] = figures
    if body < edition.min_body_pt:
        report.add(ERROR, CLEAR, f"body text is {body:g} pt; the {edition.name} edition needs "
                   f"at least {edition.min_body_pt:g} pt", pdf.name,
                   f"raise the font-size in styles/ for the {edition.name} edition")
    if min(sizes) < edition.min_text_pt:
        report.add(ERROR, CLEAR, f"some text is {min(sizes):g} pt; the {edition.name} edition "
                   f"allows nothing under {edition.min_text_pt:g} pt", pdf.name,
                   "raise the smallest font-size (footer, references, superscripts) in styles/")
    if full and statistics.median(full) > LONGEST_LINE:
        report.add(WARNING, CLEAR, f"lines hold {statistics.median(full):g} characters; "
                   "60-75 read best", pdf.name, "widen the page margins in styles/paper/")
    if figures["justified"]:
        report.add(WARNING, CLEAR, "the text is justified; clear print is left aligned",
                   pdf.name, "use text-align: left in styles/")
    if worst and worst[0] < MIN_TEXT_CONTRAST:
        ratio, colour, page = worst
        report.add(ERROR, CLEAR, f"text in colour {colour} has a contrast of {ratio:.2f}:1 "
                   f"(page {page}); text needs at least {MIN_TEXT_CONTRAST}:1", pdf.name,
                   "use a darker colour for that text in styles/ or the clinic profile")


@dataclass
class TaggedChars:
    """Characters by what the structure tree says they are."""

    paragraphs: list[dict] = field(default_factory=list)  # in a P element: running text
    # in each Figure element (an SVG's labels), by (description, page)
    figures: dict[tuple[str, int], list[dict]] = field(default_factory=dict)


def tagged_chars(document: pdfplumber.PDF) -> TaggedChars:
    """The visible characters of paragraphs and of figures, from the tagged PDF's
    structure tree; nothing when the PDF has none (``check_tags`` reports that)."""
    tagged = TaggedChars()
    try:
        tree = PDFStructTree(document)
    except StructTreeMissing:
        return tagged
    marked = marked_content_chars(document)

    def chars_of(element) -> list[dict]:
        found = [c for mcid in element.mcids or () for c in marked.get((element.page_number, mcid), [])]
        for child in element.children:
            found += chars_of(child)
        return [c for c in found if c["text"].strip()]

    def visit(element) -> None:
        if element.type == "P":
            tagged.paragraphs += chars_of(element)
        elif element.type == "Figure":
            chars = chars_of(element)
            if chars:
                key = (element.alt_text or "", chars[0]["page_number"])
                tagged.figures.setdefault(key, []).extend(chars)
        else:
            for child in element.children:
                visit(child)

    for element in tree:
        visit(element)
    return tagged


def paragraph_body_size(chars: list[dict]) -> float | None:
    """The size most of the paragraphs' characters are set in: the body text, whatever
    the tables, references and footers around it are set in. Superscripts and the odd
    bold word do not outnumber it. None when the PDF tags no paragraphs."""
    if not chars:
        return None
    return Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]


def check_figure_text(figures: Mapping[tuple[str, int], list[dict]], edition: Edition, where: str,
                      report: Report, figure_files: Mapping[str, str]) -> None:
    """Each figure whose own labels print under the edition's smallest size: the print
    HTML widens SVG figures across the page's printable width and then onto a landscape
    page (``printed/figures.py``), so what is still too small needs larger labels in the
    drawing."""
    for (description, page), chars in figures.items():
        smallest = min(round(c["size"], 1) for c in chars)
        if smallest >= edition.min_text_pt:
            continue
        name = f"“{description}”" if description else "without a description"
        file = f" ({figure_files[description]})" if description in figure_files else ""
        factor = edition.min_text_pt / smallest
        report.add(ERROR, CLEAR, f"the figure {name}{file} on page {page} prints its smallest "
                   f"text at {smallest:g} pt; the {edition.name} edition needs {edition.min_text_pt:g} "
                   "pt, and the figure cannot be printed wider than a landscape page", where,
                   f"make the figure's smallest labels {factor:.1f} times larger in the drawing "
                   "(or use fewer, shorter labels), then export the SVG again")


def body_size(document) -> float:
    """Without tagged paragraphs (an untagged PDF), the size of running text is guessed:
    the commonest size of lines of 30 characters or more
    (titles, footers and contact details are shorter); of all text when no line is that
    long. Never empty: ``check_pdf`` measures only a PDF that has text."""
    sizes = [Counter(round(c["size"], 1) for c in line["chars"]).most_common(1)[0][0]
             for page in document.pages for line in page.extract_text_lines(return_chars=True)
             if len(line["text"]) >= 30]
    if not sizes:
        sizes = [round(c["size"], 1) for page in document.pages for c in page.chars]
    return Counter(sizes).most_common(1)[0][0]


def body_lines(document, body_size: float) -> list[dict]:
    lines = []
    for page in document.pages:
        for line in page.extract_text_lines(return_chars=True):
            if {round(c["size"], 1) for c in line["chars"]} == {body_size}:
                lines.append(line)
    return lines


def characters_in(line: dict) -> int:
    """The characters a reader sees in a line: its letters, digits, punctuation and spaces
    as drawn, a vowel sign or other mark on a letter not counted on its own (Devanagari
    writes one syllable with two or three), nor a space a PDF reader guesses between
    glyphs (Nastaliq's are set apart to join a word's letters)."""
    return sum(1 for char in line["chars"] for character in char["text"]
               if not unicodedata.category(character).startswith("M"))


def is_justified(lines: list[dict]) -> bool:
    """Most lines both start and end flush with the others. Text set flush left (or,
    in a right-to-left leaflet, flush right) is flush on one side only."""
    if len(lines) < 10:
        return False
    left, right = min(line["x0"] for line in lines), max(line["x1"] for line in lines)
    flush = [line for line in lines if right - line["x1"] < 1.0 and line["x0"] - left < 1.0]
    return len(flush) >= 0.5 * len(lines)


def worst_contrast(pdf: Path, chars: list[dict]) -> tuple[float, str, int] | None:
    """(ratio, colour, page) of the text with the lowest contrast against what is
    drawn behind it. The background is read from the rendered page inside each
    character's box: borders and fills drawn as paths cannot mislead it."""
    samples: dict[tuple, list[dict]] = {}
    for char in filter(has_room_for_a_pixel, chars):
        key = (char["page_number"], as_rgb(char.get("non_stroking_color")))
        if len(samples.setdefault(key, [])) < SAMPLES_PER_COLOUR:
            samples[key].append(char)
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = {number: document[number - 1].render(scale=RENDER_SCALE).to_pil().convert("RGB")
                 for number in {page for page, _ in samples}}
    finally:
        document.close()
    worst = None
    for (page, colour), group in samples.items():
        for char in group:
            ratio = contrast_ratio(colour, background_around(char, colour, pages[page]))
            if worst is None or ratio < worst[0]:
                worst = (ratio, "#" + "".join(f"{v:02x}" for v in colour), page)
    return worst


def has_room_for_a_pixel(char: dict) -> bool:
    """Whether the character's box is a pixel wide and high in the rendered page. A mark
    drawn over its letter (a Devanagari vowel sign, Nastaliq's dots and the letters it
    stacks up a word) has no advance of its own, so its box is empty: there is nothing
    in it to tell its background by, and its letter's box is measured instead."""
    return min(char["x1"] - char["x0"], char["bottom"] - char["top"]) * RENDER_SCALE >= 1


def background_around(char: dict, colour: tuple[int, int, int], picture) -> tuple[int, int, int]:
    """The commonest colour inside the character's box, and a margin of a quarter of its
    height around it, other than the text's own (anti-aliased edges blend the two; the
    background is what is left). The margin holds the background where the glyph fills its
    box: in small text, whose box is a few pixels of blended edges, and in a script whose
    glyphs reach outside their boxes (Nastaliq)."""
    margin = (char["bottom"] - char["top"]) / 4
    box = tuple(round(v * RENDER_SCALE) for v in (char["x0"] - margin, char["top"] - margin,
                                                  char["x1"] + margin, char["bottom"] + margin))
    pixels = list(picture.crop(box).get_flattened_data()) if box[2] > box[0] and box[3] > box[1] else []
    for candidate, _ in Counter(pixels).most_common():
        if sum(abs(a - b) for a, b in zip(candidate, colour)) > COLOUR_DISTANCE:
            return candidate
    return colour


def as_rgb(colour) -> tuple[int, int, int]:
    """pdfplumber's colour (grey, RGB or CMYK, 0-1) as 0-255 RGB; black if unknown."""
    if colour is None:
        return (0, 0, 0)
    values = list(colour) if isinstance(colour, (list, tuple)) else [colour]
    if len(values) == 1:
        grey = round(float(values[0]) * 255)
        return (grey, grey, grey)
    if len(values) == 3:
        return tuple(round(float(v) * 255) for v in values)
    if len(values) == 4:
        c, m, y, k = (float(v) for v in values)
        return tuple(round(255 * (1 - v) * (1 - k)) for v in (c, m, y))
    return (0, 0, 0)

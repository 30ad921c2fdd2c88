"""What the narration says: the leaflet's text as sentences, in sections, from the AST.

The opening section is the title part (title, subtitle, authors, version); then one
section for each level-1 or level-2 heading. Headings, paragraphs, list items and
table rows are read ("Treatment: Strengthening exercise."); citation markers are
left out, and the reference list is not read: a note at its start, spoken, says so. The
review date and "End of leaflet" close the narration.

Each sentence knows the element that shows it in the narrated EPUB, and that
element shows what is said, no more: the text is wrapped in ``Span`` elements
with ids (``s12``) in a copy of the AST, a heading's words too (its own id
goes to its section), a table's announcement points at its row of headings,
and the title part at the elements of pandoc's title page (``TITLE_PAGE_IDS``).
"""
from __future__ import annotations

import dataclasses
import itertools
import json
import re
from dataclasses import dataclass

from ..article.model import Article
from ..pandoc.ast import attr, stringify, text_inlines, walk
from ..theme.strings import FALLBACK_LANGUAGE, Strings

# Silence after each sentence, after a heading, and at the end of a section (before the next
# heading): enough for a listener to hear the structure. Milliseconds.
SENTENCE_PAUSE_MS = 300
HEADING_PAUSE_MS = 600
SECTION_PAUSE_MS = 1200

REFERENCES_ID = "refs"  # the reference list's Div, as the citation stage writes it
SILENT_INLINES = frozenset({"Cite", "Note"})  # markers a listener does not need to hear
# A sentence's last mark, in each script: . ! ? … ; Arabic's ؟, Urdu's ۔, the Devanagari and
# Bengali danda । ॥, Ethiopic's ። ፧ ፨, and the ideographic full stop and marks 。！？.
SENTENCE_END = re.compile("[.!?\u2026\u061f\u06d4\u0964\u0965\u1362\u1367\u1368\u3002\uff01\uff1f]"
                          "[\"'\u201d\u2019)\\]\u00bb]*$")
# The title page pandoc's EPUB writer makes: the element (tag, class) of each part.
TITLE_PAGE_IDS = {"narration-title": ("h1", "title"), "narration-subtitle": ("p", "subtitle")}
AUTHOR_ID = "narration-author-{number}"  # the n-th ``p.author`` on the title page


@dataclass(frozen=True)
class Sentence:
    text: str  # what eSpeak NG says
    element_id: str  # the element that shows it in the narrated EPUB's XHTML
    pause_after_ms: int = SENTENCE_PAUSE_MS
    # The language of its words when it is not the leaflet's: the pipeline's own words, where
    # the leaflet's language has no strings file yet and they are English.
    lang: str | None = None


@dataclass(frozen=True)
class Section:
    title: str  # the chapter's title in the MP3
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Narration:
    sections: tuple[Section, ...]
    opening_blocks: list  # the narrated EPUB's version line, with its sentence's Span
    body_blocks: list  # the article's blocks, every spoken sentence a Span with an id
    closing_blocks: list  # the review date and "End of leaflet", as the narration ends

    @property
    def sentences(self) -> list[Sentence]:
        return [sentence for section in self.sections for sentence in section.sentences]


def narration(doc: dict, article: Article, title: str, strings: Strings) -> Narration:
    """The narration of ``doc`` (citations rendered); ``title`` is the title as shown
    (a draft's carries its mark)."""
    blocks = json.loads(json.dumps(doc["blocks"]))  # spans go into a copy: the PDF's AST stays
    ids = SentenceIds(used_ids(blocks))
    narrator = Narrator(ids, strings)
    opening = narrator.opening(article, title)
    for block in blocks:
        narrator.block(block)
    closing = narrator.closing(article)
    sections = narrator.sections(title)
    return Narration(sections, opening, blocks, closing)


class SentenceIds:
    """``s1``, ``s2``, ... skipping any id the article already uses."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.numbers = itertools.count(1)

    def next(self) -> str:
        while True:
            candidate = f"s{next(self.numbers)}"
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate


def used_ids(blocks: list) -> set[str]:
    found: set[str] = set()

    def visit(element: dict) -> None:
        content = element.get("c")
        if type(content) is list and content and is_attr(content[0]) and content[0][0]:
            found.add(content[0][0])
    walk(blocks, visit)
    return found


def is_attr(value: object) -> bool:
    return (type(value) is list and len(value) == 3 and type(value[0]) is str
            and type(value[1]) is list and type(value[2]) is list)


class Narrator:
    """Walks the blocks once, wrapping sentences in spans and collecting them by section."""

    def __init__(self, ids: SentenceIds, strings: Strings) -> None:
        self.ids = ids
        self.strings = strings
        self.parts: list[tuple[str | None, list[Sentence]]] = [(None, [])]
        # The pipeline's words are English when the language has no strings file of its own:
        # then they are said in an English voice, not spelt out by the leaflet's.
        fallback = strings.file.stem.split("-")[0].lower() == FALLBACK_LANGUAGE
        self.own_words_lang = FALLBACK_LANGUAGE if fallback and \
            strings.lang.split("-")[0].lower() != FALLBACK_LANGUAGE else None

    def say(self, text: str, element_id: str, pause_ms: int = SENTENCE_PAUSE_MS,
            own_words: bool = False) -> None:
        """``own_words``: the sentence is all the pipeline's words (strings), none the article's."""
        text = " ".join(text.split())
        if text:
            self.parts[-1][1].append(Sentence(text, element_id, pause_ms,
                                              self.own_words_lang if own_words else None))

    def opening(self, article: Article, title: str) -> list:
        self.say(title, "narration-title", HEADING_PAUSE_MS)
        if article.subtitle:
            self.say(article.subtitle, "narration-subtitle")
        for number, author in enumerate(article.authors, start=1):
            self.say(author.display_name, AUTHOR_ID.format(number=number))
        if not article.version:
            return []
        return [{"t": "Div", "c": [attr("", ["leaflet-details"]), [{"t": "Para", "c": self.spoken_inlines(
            text_inlines(f"{self.strings.word('version')} {article.version}."), own_words=True)}]]}]

    def closing(self, article: Article) -> list:
        words = []
        if article.review_date:
            words.append(f"{self.strings.word('review-date')}: {self.strings.long_date(article.review_date)}.")
        words.append(f"{self.strings.word('end-of-leaflet')}.")
        inlines = []
        for text in words:
            said = self.spoken_inlines(text_inlines(text), own_words=True)
            inlines += ([{"t": "Space"}] if inlines else []) + said
        return [{"t": "Div", "c": [attr("", ["narration-end"]), [{"t": "Para", "c": inlines}]]}]

    def sections(self, title: str) -> tuple[Section, ...]:
        """Each section's last sentence gets the longer pause that marks a section's end."""
        finished = []
        for heading, sentences in self.parts:
            if not sentences:
                continue
            last = sentences[-1]
            pause = max(last.pause_after_ms, SECTION_PAUSE_MS)
            sentences[-1] = dataclasses.replace(last, pause_after_ms=pause)
            finished.append(Section(heading or title, tuple(sentences)))
        return tuple(finished)

    # --- blocks ---------------------------------------------------------------------------------

    def block(self, block: dict, prefix: str = "") -> None:
        kind, content = block["t"], block.get("c")
        if kind == "Header":
            self.header(block)
        elif kind in ("Para", "Plain"):
            block["c"] = self.spoken_inlines(content, prefix)
        elif kind == "LineBlock":
            block["c"] = [self.spoken_inlines(line) for line in content]
        elif kind in ("BulletList", "OrderedList"):
            for item in content if kind == "BulletList" else content[1]:
                self.blocks(item)
        elif kind == "DefinitionList":
            for term, definitions in content:
                term[:] = self.spoken_inlines(term)
                for definition in definitions:
                    self.blocks(definition)
        elif kind == "BlockQuote":
            self.blocks(content)
        elif kind in ("Div", "Figure"):
            self.division(block)
        elif kind == "Table":
            self.table(block)
        # CodeBlock, RawBlock, HorizontalRule: nothing a listener can follow is in them

    def blocks(self, blocks: list, prefix: str = "") -> None:
        for index, block in enumerate(blocks):
            self.block(block, prefix if index == 0 else "")

    def header(self, block: dict) -> None:
        """The heading's words go in a span of their own, which its clip highlights: pandoc's
        EPUB writer moves a heading's id to the ``<section>`` it opens, the whole section."""
        level, _, inlines = block["c"]
        text = spoken_text(inlines)
        if level <= 2:
            self.parts.append((text, []))
        element_id = self.ids.next()
        block["c"][2] = [{"t": "Span", "c": [attr(element_id), inlines]}]
        self.say(text, element_id, HEADING_PAUSE_MS)

    def division(self, block: dict) -> None:
        division_attr, children = block["c"][0], block["c"][-1]
        if division_attr[0] == REFERENCES_ID:  # said in a note of its own before the list
            children.insert(0, {"t": "Para", "c": self.spoken_inlines(
                text_inlines(self.strings.word("references-not-read")), own_words=True)})
            return
        self.blocks(children)

    def table(self, block: dict) -> None:
        """"Table: Benefit, Description." at its row of headings, then each row's cells, each after its
        column's heading: "Benefit: Reduce Pain. Description: Massage can help ...". The
        caption is read as a paragraph."""
        _, caption, _, head, bodies, foot = block["c"]
        self.blocks(caption[1])
        head_rows = head[1]
        headings = [spoken_text(cell[4]) for cell in head_rows[-1][1]] if head_rows else []
        if headings:  # said at the row of headings, which its clip highlights
            row_attr = head_rows[-1][0]
            if not row_attr[0]:
                row_attr[0] = self.ids.next()
            self.say(f"{self.strings.word('table')}: {', '.join(h for h in headings if h)}.", row_attr[0])
        rows = [row for body in bodies for row in (*body[2], *body[3])] + list(foot[1])
        for row in rows:
            for column, cell in enumerate(row[1]):
                heading = headings[column] if column < len(headings) else ""
                self.blocks(cell[4], f"{heading}: " if heading else "")

    # --- inlines --------------------------------------------------------------------------------

    def spoken_inlines(self, inlines: list, prefix: str = "", own_words: bool = False) -> list:
        """``inlines`` with each sentence in a Span with an id, and each sentence said (the
        first after ``prefix``, a table cell's column heading)."""
        wrapped: list = []
        for index, sentence in enumerate(split_sentences(inlines)):
            element_id = self.ids.next()
            text = spoken_text(sentence)
            self.say(f"{prefix}{text}" if index == 0 and text else text, element_id,
                     own_words=own_words)
            if wrapped:
                wrapped.append({"t": "Space"})
            wrapped.append({"t": "Span", "c": [attr(element_id), sentence]})
        return wrapped


def split_sentences(inlines: list) -> list[list]:
    """Runs of inlines, each one sentence: a break after ".", "!", "?" (and a closing quote)
    followed by a space. A run with nothing to say (a citation after the full stop) joins
    the sentence before it. Emphasis, links and spans stay whole."""
    sentences: list[list] = []
    current: list = []
    for inline in inlines:
        if inline["t"] in ("Space", "SoftBreak", "LineBreak") and ends_sentence(current):
            sentences.append(current)
            current = []
            continue
        current.append(inline)
    if current:
        sentences.append(current)
    merged: list[list] = []
    for sentence in sentences:
        if merged and not spoken_text(sentence):
            merged[-1] += [{"t": "Space"}, *sentence]
        else:
            merged.append(sentence)
    return merged


def ends_sentence(inlines: list) -> bool:
    return bool(SENTENCE_END.search(spoken_text(inlines)))


def spoken_text(inlines: list) -> str:
    """The words of ``inlines`` without citation markers and notes, wherever they sit."""
    return " ".join(stringify(silenced(inlines)).split())


def silenced(node: object) -> object:
    if type(node) is list:
        return [silenced(child) for child in node
                if not (type(child) is dict and child.get("t") in SILENT_INLINES)]
    if type(node) is dict:
        return {key: silenced(value) for key, value in node.items()}
    return node

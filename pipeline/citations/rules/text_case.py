"""CSL 1.0.2, "Text-case": the ``text-case`` attribute, as pandoc's citeproc applies it.

citeproc-py's own implementation fails on name parts and numbers (they reach
it as plain ``str``, which has no ``capitalize_first``) and cases every word
alike. The specification's rules, in the reading pandoc's citeproc gives them:

- "lowercase" / "uppercase": every letter.
- "capitalize-first": the first word, if it is lower case.
- "capitalize-all": every lower-case word.
- "sentence": a capitalized word ("Word") is lowercased, except the first
  one of a sentence, which is capitalized; other words keep their case.
- "title" (English only): lower-case words are capitalized, except stop
  words that are neither first, last, nor after a colon; words in mixed or
  upper case keep their case; "hyphenated word parts are treated as
  distinct words" ("Low-Back").

The text is read as pandoc's citeproc reads it: words are runs of ASCII
letters and digits (or of other letters), and the state between them tells
whether a word starts a sentence, follows a space or a hyphen, or follows
other punctuation. Markup (the HTML tags citeproc-py writes) is kept as is;
superscript, subscript and small-caps parts keep their case.
"""
from __future__ import annotations

import re

from citeproc.string import MixedString, NoCase, String

from .values import RENDERING_MARKS

START, START_SENTENCE, AFTER_WORD_END, AFTER_WORD_CHAR = "start", "start-sentence", "word-end", "word-char"
AFTER_SENTENCE_END, AFTER_OTHER_PUNCTUATION, BEFORE_LAST_WORD = "sentence-end", "punctuation", "last-word"

STOP_WORDS = frozenset((
    "a an and as at but by down for from in into nor of on onto or over so the till to up via "
    "with yet about van von de d l").split())
WORD_BREAKS = frozenset("-/\u2013\u2014")
SENTENCE_END = frozenset(".?!:")
TAG = re.compile(r"(<[^>]*>)")
# Tags whose content keeps its case (CSL: "nocase" and the implicitly protected forms).
PROTECTED_TAG = re.compile(r"<(sup|sub|nocase)\b|<span[^>]*(small-caps|nocase)", re.I)
# A nocase part of a value, while text-case is applied (see ``case_in_language``).
NOCASE_OPEN, NOCASE_CLOSE = "<nocase>", "</nocase>"


def transform(text: str, text_case: str, english: bool = True) -> str:
    """``text`` (possibly with markup) in the case ``text_case`` asks for."""
    change = CASES.get(text_case)
    if change is None or (text_case == "title" and not english):
        return text
    pieces = TAG.split(text)
    last_word = last_word_index(pieces)
    state = START
    protected = 0
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:  # a tag
            if protected or PROTECTED_TAG.match(piece):
                protected += -1 if piece.startswith("</") else (0 if piece.endswith("/>") else 1)
            out.append(piece)
            continue
        for chunk_index, chunk in enumerate(chunks(piece)):
            if chunk in RENDERING_MARKS:  # quotation and seam marks are transparent to the case state
                out.append(chunk)
                continue
            if (index, chunk_index) == last_word and state in (AFTER_WORD_END, START_SENTENCE, START):
                state = BEFORE_LAST_WORD
            changed = change(state, chunk) if chunk.isalnum() and not protected else chunk
            state = next_state(state, chunk)
            out.append(changed)
    return "".join(out)


def chunks(text: str) -> list[str]:
    """Runs of ASCII letters and digits, of other letters, of spaces; each other character alone."""
    found: list[str] = []
    for char in text:
        if found and same_kind(found[-1][-1], char):
            found[-1] += char
        else:
            found.append(char)
    return found


def same_kind(a: str, b: str) -> bool:
    if a in RENDERING_MARKS or b in RENDERING_MARKS:
        return False
    if a.isalnum() and b.isalnum():
        return a.isascii() == b.isascii()
    return a.isspace() and b.isspace()


def last_word_index(pieces: list[str]) -> tuple[int, int] | None:
    """Where the last word starts, if the text ends in a word that no break splits.

    pandoc's citeproc treats the final word of a multi-word text as the last
    word (capitalized in title case even if it is a stop word).
    """
    index = len(pieces) - 1
    if index % 2 or not pieces[index] or pieces[index][-1:].isspace():
        return None
    text = pieces[index]
    word = re.search(r"(\S+)$", text)
    if word is None or any(c in WORD_BREAKS for c in word.group(1)) or word.start() == 0 and index == 0:
        return None
    parts = chunks(text)
    position = 0
    for chunk_index, chunk in enumerate(parts):
        if position >= word.start():
            return index, chunk_index
        position += len(chunk)
    return None


def next_state(state: str, chunk: str) -> str:
    last = chunk[-1]
    if last in SENTENCE_END:
        return AFTER_SENTENCE_END
    if last.isalnum():
        return AFTER_WORD_CHAR
    if last.isspace() and state == AFTER_SENTENCE_END:
        return START_SENTENCE
    if last.isspace() or last in WORD_BREAKS:
        return AFTER_WORD_END
    return AFTER_OTHER_PUNCTUATION


def is_mixed_case(chunk: str) -> bool:
    return any(c.isupper() for c in chunk) and any(c.islower() for c in chunk)


def capitalize(chunk: str) -> str:
    return chunk[:1].upper() + chunk[1:]


def lowercase(state: str, chunk: str) -> str:
    return chunk.lower()


def uppercase(state: str, chunk: str) -> str:
    return chunk.upper()


def capitalize_all(state: str, chunk: str) -> str:
    if is_mixed_case(chunk) or state not in (START, START_SENTENCE, AFTER_WORD_END, BEFORE_LAST_WORD):
        return chunk
    return capitalize(chunk) if chunk.islower() else chunk


def capitalize_first(state: str, chunk: str) -> str:
    if is_mixed_case(chunk) or state != START:
        return chunk
    return capitalize(chunk) if chunk.islower() else chunk


def sentence(state: str, chunk: str) -> str:
    capitalized = chunk[:1].isupper() and (chunk[1:].islower() or len(chunk) == 1)
    at_start = state in (START, START_SENTENCE)
    if capitalized and not at_start:
        return chunk.lower()
    if (capitalized or chunk.islower()) and at_start:
        return capitalize(chunk.lower())
    return chunk


def title(state: str, chunk: str) -> str:
    if is_mixed_case(chunk) or chunk.isupper() or not chunk.isascii():
        return chunk
    if state in (START_SENTENCE, START):
        return capitalize(chunk.lower())
    if state == AFTER_WORD_END and chunk not in STOP_WORDS and len(chunk) > 1:
        return capitalize(chunk.lower())
    if state == BEFORE_LAST_WORD and len(chunk) > 1:
        return capitalize(chunk.lower())
    return chunk


CASES = {"lowercase": lowercase, "uppercase": uppercase, "capitalize-first": capitalize_first,
         "capitalize-all": capitalize_all, "sentence": sentence, "title": title}


# --- The text-case attribute in citeproc-py (CSL 1.0.2, "Text-case") ---------------------------
# Title case only applies to English: the item's `language` if it has one,
# else the language the style is rendered in.

def with_item_language(process):
    """The language title case looks at: the item's own, not the style's default-locale."""
    def text(self, item, context=None, **kwargs):
        rendered, _ = process(self, item, context=context, **kwargs)
        language = item.reference.get("language")
        return rendered, str(language) if language else None
    return text


def case_in_language(self, text, language=None):
    """In place of ``TextCased.case``: ``transform``, title case for English text only."""
    kind = self.get("text-case")
    if kind is None or text is None:
        return text
    item_language = language
    language = language or getattr(self.get_root(), "output_language", None) or "en"
    marked = with_nocase_marked(text)
    # The item's own language only: a Turkish style upper-cases an English name "REIF", not
    # "REİF" (the name is not Turkish), as pandoc's citeproc prints it.
    if item_language and item_language[:2].lower() in DOTTED_I_LANGUAGES:
        marked = with_dotted_i(marked, kind)
    cased = transform(marked, kind, english=language[:2].lower() == "en")
    return String(cased.replace(NOCASE_OPEN, "").replace(NOCASE_CLOSE, ""))


# Upper and lower case in the item's language: Turkish and Azeri pair a dotted and a dotless
# i ("i" → "İ", "ı" → "I"; "I" → "ı", "İ" → "i"), which Python's str.upper() does not know.
DOTTED_I_LANGUAGES = frozenset({"tr", "az"})


def with_dotted_i(text: str, kind: str) -> str:
    """The i's as the language cases them, where the case is the whole text's (tags kept)."""
    swaps = {"uppercase": {"i": "\u0130"}, "lowercase": {"I": "\u0131", "\u0130": "i"}}.get(kind)
    if swaps is None:
        return text
    pieces = TAG.split(text)
    return "".join(piece if index % 2 else "".join(swaps.get(char, char) for char in piece)
                   for index, piece in enumerate(pieces))


# CSL 1.0.2, "Text-case" / "Rich Text Markup": `<span class="nocase">` in a value "disables
# case-transformations" for its content. citeproc-py's CSL-JSON reader turns the span into a
# ``NoCase`` part of a ``MixedString``, which ``str()`` flattens: the parts are marked with a
# tag of their own for ``transform``, which leaves a protected tag's content alone.

def with_nocase_marked(text) -> str:
    if isinstance(text, NoCase):
        return NOCASE_OPEN + str(text) + NOCASE_CLOSE
    if isinstance(text, MixedString):
        return "".join(with_nocase_marked(part) for part in text)
    return str(text)

"""Punctuation where rendered pieces meet: affixes, delimiters, and the marks between them.

CSL 1.0.2, "Affixes": prefix and suffix "are only rendered if the element
produces output"; "Delimiter": the delimiter "delimits non-empty pieces of
output". And where two pieces meet, the specification leaves processors to
avoid doubled punctuation ("Smith et al.." or "title. ." are never meant).
citeproc-py printed affixes around empty text ("BackCare;." for an empty
year), and only merged two identical marks that met as plain text.

pandoc's citeproc (after citeproc-js, ``queue.js``) settles every seam by one
table: of the last mark before the seam and the first mark after it, it
keeps the first ("." + "." → "."; ";" + "." → ";"), the second (":" + "?"
→ "?"; a space before "," or "." goes), or both (". , ; :" mostly
combine); a period after a closing quote is compared with the mark inside
the quote; and a delimiter is left out before a piece that starts with
",", ";" or ".". The same table is applied here.

Seams are marked while citeproc-py renders (an invisible private-use mark
where an affix or delimiter is joined), and settled once the whole citation
or entry is rendered, looking through markup and quotation marks.
"""
from __future__ import annotations

import re

from citeproc.string import String

from .values import CLOSE_QUOTE, OPEN_QUOTE, SEAM, TAGS_PATTERN, escaped

TAG = re.compile(r"<[^>]*>")
NO_DELIMITER_BEFORE = (",", ";", ".")
QUOTE_LIKE = frozenset("\"'\u201d\u2019\u00bb\u203a" + CLOSE_QUOTE)

# (last mark before, first mark after) -> which to keep; every other pair keeps both.
KEEP_FIRST, KEEP_SECOND = "first", "second"
SEAM_RULES = {
    ("!", "."): KEEP_FIRST, ("!", ":"): KEEP_FIRST, ("?", "."): KEEP_FIRST, ("?", ":"): KEEP_FIRST,
    (":", "!"): KEEP_SECOND, (":", "?"): KEEP_SECOND, (":", "."): KEEP_FIRST,
    (";", "!"): KEEP_SECOND, (";", "?"): KEEP_SECOND, (";", ":"): KEEP_FIRST, (";", "."): KEEP_FIRST,
    ("!", "!"): KEEP_FIRST, ("?", "?"): KEEP_FIRST, (".", "."): KEEP_FIRST, (":", ":"): KEEP_FIRST,
    (";", ";"): KEEP_FIRST, (",", ","): KEEP_FIRST,
    (" ", " "): KEEP_SECOND, (" ", ","): KEEP_SECOND, (" ", "."): KEEP_SECOND,
}


def visible(text) -> str:
    """The text a reader sees: no markup, no private-use marks."""
    return TAG.sub("", str(text)).translate(HIDDEN)


HIDDEN = {ord(c): None for c in SEAM + OPEN_QUOTE + CLOSE_QUOTE}


def join_with_seams(items, delimiter=""):
    """Non-empty pieces joined by the delimiter, which a piece starting with , ; . goes without."""
    pieces = [item for item in items if item is not None and visible(item) != ""]
    if not pieces:
        return String("")
    output = pieces[0]
    for piece in pieces[1:]:
        if delimiter and not visible(piece).startswith(NO_DELIMITER_BEFORE):
            output = output + String(SEAM) + delimiter
        output = output + String(SEAM) + piece
    return output


def wrap_with_seams(self, string):
    """Affixes around non-empty output only."""
    if string is None:
        return None
    if visible(string) == "":
        return String("")
    prefix, suffix = escaped(self.get("prefix", "")), escaped(self.get("suffix", ""))
    if prefix:
        string = String(prefix) + String(SEAM) + string
    if suffix:
        string = string + String(SEAM) + String(suffix)
    return string


# --- settling the seams of a rendered string -----------------------------------------------------

def settle(rendered: str) -> str:
    """Apply the seam table at every marked seam, then remove the marks."""
    if SEAM not in rendered:
        return rendered
    # An escaped character ("&gt;" for a ">" affix) is one visible mark, not
    # a ";" the table would merge with a following "." (ABNT's "<URL>. Acesso").
    entities = ENTITY.findall(rendered)
    chars = list(ENTITY.sub(ENTITY_PLACEHOLDER, rendered))
    for index, char in enumerate(chars):
        if char == SEAM:
            settle_seam(chars, index)
    settled = "".join(c for c in chars if c != SEAM)
    return restore_entities(settled, iter(entities))


ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
ENTITY_PLACEHOLDER = "\ue005"


def restore_entities(text: str, entities) -> str:
    return re.sub(ENTITY_PLACEHOLDER, lambda _: next(entities), text)


def settle_seam(chars: list[str], seam: int) -> None:
    for _ in range(8):  # each step removes a character; a seam settles in a few
        before = previous_visible(chars, seam)
        after = next_visible(chars, seam)
        if before is None or after is None:
            return
        first = chars[after]
        last = chars[before]
        if first == "." and last in QUOTE_LIKE:
            inside = previous_visible(chars, before, skip=QUOTE_LIKE | {" "})
            if inside is not None:
                last = chars[inside]
        rule = SEAM_RULES.get((last, first))
        if rule == KEEP_FIRST:
            remove_run(chars, after, first, forward=True)
        elif rule == KEEP_SECOND:
            remove_run(chars, before, chars[before], forward=False)
        else:
            return


def previous_visible(chars: list[str], index: int, skip: frozenset | set = frozenset()) -> int | None:
    index -= 1
    while index >= 0:
        if chars[index] == ">":
            index = skip_tag_backward(chars, index)
        elif chars[index] in ("", SEAM):
            index -= 1
        elif chars[index] in skip:
            index -= 1
        else:
            return index
    return None


def next_visible(chars: list[str], index: int) -> int | None:
    index += 1
    while index < len(chars):
        if chars[index] == "<":
            index = skip_tag_forward(chars, index)
        elif chars[index] in ("", SEAM):
            index += 1
        else:
            return index
    return None


def skip_tag_backward(chars: list[str], index: int) -> int:
    start = index
    while index >= 0 and chars[index] != "<":
        index -= 1
    return index - 1 if index >= 0 else start - 1


def skip_tag_forward(chars: list[str], index: int) -> int:
    start = index
    while index < len(chars) and chars[index] != ">":
        index += 1
    return index + 1 if index < len(chars) else start + 1


def remove_run(chars: list[str], index: int, mark: str, *, forward: bool) -> None:
    """Remove ``mark`` at ``index`` and the same marks next to it (markup between is kept)."""
    while index is not None and 0 <= index < len(chars) and chars[index] == mark:
        chars[index] = ""
        index = next_visible(chars, index) if forward else previous_visible(chars, index)


# --- Duplicate punctuation (CSL 1.0.2, "Affixes" and "Delimiter": citeproc-js and pandoc
# collapse a period that follows a period, "?" or "!") ------------------------------------------
# citeproc-py collapses "al." + "." only where the two meet as plain text; a
# name part or term that ended inside markup, or came through a group
# delimiter, still gave "et al.." (BMJ and others).
_DOUBLE_PERIOD = re.compile(r"([^\W\d_][.]|[?!])(" + TAGS_PATTERN + r")\.(?!\.)")


def collapse_duplicate_periods(rendered: str) -> str:
    return _DOUBLE_PERIOD.sub(r"\1\2", rendered)

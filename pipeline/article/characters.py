"""Characters that are not text: control characters, lone surrogates and the two
non-characters U+FFFE and U+FFFF.

XML 1.0 allows none of them (except tab, line feed and carriage return), so one of
them in any string that reaches the EPUB makes a package that is not well-formed:
e-readers refuse the whole book. They are invisible in an editor, and come from text
pasted out of a terminal or a PDF, or from YAML and JSON escapes (``"\\x1b"``,
``"\\0"``, ``"\\u0085"``).

What each place does with them, and why:

- **Front matter** (title, author, any field): an error naming the field and its
  line. A field is a few words the author typed on purpose, printed on the cover and
  in every format's metadata; such a character there is an escape written by
  mistake (``"Back\\0pain"``), and only the author knows what was meant.
- **The article's text, alternative text, the clinic profile and references**:
  removed, with a warning naming the file and line (or the entry and field). A
  character the author cannot see in their editor means nothing to a reader either;
  removing it leaves the leaflet exactly as the author sees it, where an error
  would ask them to find something they cannot see. (``front_matter.read_text``
  removes those typed into the Markdown; ``without_control_characters_in`` those
  pandoc makes from entities like ``&#27;``.)

Whatever gets past these is caught by the EPUB's well-formedness check
(``epub/well_formed.py``) before the EPUB is written.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator

log = logging.getLogger(__name__)

# C0 except tab and line feed, DEL, C1, UTF-16 surrogates (only a YAML or JSON escape
# can make one), and U+FFFE/U+FFFF.
NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def describe(character: str) -> str:
    """``U+001B``: how a character that cannot be shown is named in a message."""
    return f"U+{ord(character):04X}"


def first_not_text(value: object, path: str = "") -> tuple[str, str] | None:
    """The first character that is not text in ``value`` (YAML or JSON data: strings,
    lists and mappings, keys too), and where: ``("author[1].name", "\\x1b")``."""
    for where, text in strings_in(value, path):
        found = NOT_TEXT.search(text)
        if found is not None:
            return where, found.group()
    return None


def strings_in(value: object, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in ``value`` with where it is, without recursion (the data has
    passed the nesting limit, but a walk need not depend on it)."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                name = f"{where}.{key}" if where else str(key)
                if isinstance(key, str):
                    yield name, key
                stack.append((name, child))
        elif isinstance(item, list):
            for number, child in reversed(list(enumerate(item, start=1))):
                stack.append((f"{where}[{number}]", child))


def without_not_text(text: str) -> str:
    return NOT_TEXT.sub("", text)


def without_control_characters_in(doc: dict) -> tuple[dict, list[str]]:
    """pandoc's AST with every character that is not text removed from every string
    (text, alternative text, attributes, code, metadata): pandoc makes them from
    entities (``&#27;``) the reader cannot see. Returns the AST and the texts that had
    them, as they read without them (for the warning, to find the line)."""
    changed: list[str] = []
    stack: list[object] = [doc]
    while stack:
        item = stack.pop()
        if isinstance(item, dict) and item.get("t") in RAW and isinstance(item.get("c"), list):
            without_references_to_not_text(item["c"], changed)
        pairs = item.items() if isinstance(item, dict) else enumerate(item)
        for key, child in list(pairs):
            if isinstance(child, str):
                if NOT_TEXT.search(child):
                    item[key] = without_not_text(child)
                    changed.append(item[key])
            elif isinstance(child, (dict, list)):
                stack.append(child)
    return doc, changed


CHARACTER_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
RAW = ("RawInline", "RawBlock")  # raw HTML: pandoc hands its '&#1;' to the EPUB as written


def refers_to_not_text(reference: re.Match) -> bool:
    code = int(reference.group(1), 16) if reference.group(1) else int(reference.group(2))
    return code >= 0x110000 or NOT_TEXT.match(chr(code)) is not None


def without_references_to_not_text(raw: list, changed: list[str]) -> None:
    """Raw HTML's content (``[format, text]``) without references like ``&#1;``."""
    if len(raw) == 2 and isinstance(raw[1], str) and "&#" in raw[1]:
        cleaned = CHARACTER_REFERENCE.sub(
            lambda found: "" if refers_to_not_text(found) else found.group(), raw[1])
        if cleaned != raw[1]:
            raw[1] = cleaned
            changed.append(cleaned)


def line_of_character_reference(markdown: str) -> int | None:
    """The first line with an entity (``&#27;``, ``&#x1b;``) for a character that is not
    text: where the author can find what pandoc turned into one."""
    for number, line in enumerate(markdown.split("\n"), start=1):
        if any(refers_to_not_text(found) for found in CHARACTER_REFERENCE.finditer(line)):
            return number
    return None


def warn_of_removed(texts: list[str], markdown: str, path: object) -> None:
    if not texts:
        return
    line = line_of_character_reference(markdown)
    where = f"{path}, line {line}" if line else f"{path}"
    log.warning("%s: removed %d invisible control character(s) written as a character "
                "reference (such as &#27;); they are not text and cannot go into the EPUB",
                where, len(texts))


def without_not_text_in_entry(item: dict, number: int, path: object) -> dict:
    """A bibliography entry without characters that are not text, with a warning naming
    the entry and field of the first: a reference manager's export may carry them."""
    found = first_not_text(item)
    if found is None:
        return item
    where, character = found
    log.warning("%s: entry '%s' (number %d), field '%s': removed the invisible control "
                "character %s; it is not text and cannot go into the EPUB", path,
                item.get("id", "?"), number, where, describe(character))
    cleaned, _ = without_control_characters_in({"entry": item})
    return cleaned["entry"]

"""Stage 2a: load the bibliography into CSL-JSON items.

The file format follows the extension: ``.json`` is CSL-JSON, ``.yaml`` or
``.yml`` CSL YAML (a list, or a mapping with ``references:`` as pandoc
writes it), ``.bib`` BibTeX (converted by pandoc, which knows LaTeX accents
and BibTeX's quirks better than any other converter we could ship).
"""
from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import yaml

from ..limits import MAX_BIBLIOGRAPHY_BYTES, MAX_BIBTEX_BYTES, MAX_DATA_NESTING_DEPTH
from ..errors import BibliographyError, RenderError
from ..pandoc.run import run_pandoc
from .characters import without_not_text_in_entry
from .front_matter import YamlLoader
from .guarded_yaml import YamlTooLarge

log = logging.getLogger(__name__)

# Fields whose value must be a list of names, and those that must be dates.
NAME_FIELDS = ("author", "editor", "translator", "container-author", "collection-editor")
DATE_FIELDS = ("issued", "accessed", "original-date", "event-date", "submitted")
# Where pandoc's BibTeX reader says it stopped: "Error at (line 3, column 3):".
PANDOC_POSITION = re.compile(r"\(line (\d+), column (\d+)\):?\s*")


def load_references(paths: tuple[Path, ...], timeout: float) -> list[dict]:
    """Every entry of every bibliography file, checked, in file order."""
    items: list[dict] = []
    seen: dict[str, Path] = {}
    for path in paths:
        entries = read_bibliography(path, timeout)
        if not entries:
            log.warning("%s: the bibliography holds no entries", path)
        for number, item in enumerate(entries, start=1):
            item = without_not_text_in_entry(item, number, path)
            check_entry(item, number, path)
            key = item["id"]
            if key in seen:
                elsewhere = f" (the other one is in {seen[key]})" if seen[key] != path else ""
                raise BibliographyError(
                    f"the key '{key}' is used by two entries{elsewhere}", file=path,
                    hint="give each entry its own id (e.g. add a, b: smith2020a, smith2020b)")
            seen[key] = path
            items.append(item)
    return items


def read_bibliography(path: Path, timeout: float) -> list[dict]:
    if not path.is_file():
        raise BibliographyError(
            "the bibliography file does not exist", file=path,
            hint="check 'bibliography:' in the front matter; the path is relative to the article")
    check_size(path)
    suffix = path.suffix.lower()
    readers = {".json": read_csl_json, ".yaml": read_csl_yaml, ".yml": read_csl_yaml}
    if suffix == ".bib":
        return read_bibtex(path, timeout)
    if suffix not in readers:
        raise BibliographyError(
            f"unknown bibliography format '{suffix}'", file=path,
            hint="use a .json (CSL-JSON), .yaml (CSL YAML) or .bib (BibTeX) file")
    return readers[suffix](path)


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BibliographyError(
            f"the file is not UTF-8 text (byte {error.start} is 0x{data[error.start]:02x})",
            file=path, line=data[:error.start].count(b"\n") + 1,
            hint="save the file as UTF-8") from None
    return text.removeprefix("\ufeff")  # Notepad's byte-order mark is not part of the data


def read_csl_json(path: Path) -> list[dict]:
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BibliographyError(f"not valid JSON: {error.msg}", file=path, line=error.lineno,
                                hint="check commas, brackets and quotes near that line") from None
    except RecursionError:  # nested deeper than even the parser goes
        raise json_too_deep(text, path) from None
    if nested_deeper_than(data, MAX_DATA_NESTING_DEPTH):
        raise json_too_deep(text, path)
    return as_entry_list(data, path)


def nested_deeper_than(data: object, limit: int) -> bool:
    """Whether lists and records in ``data`` go more than ``limit`` deep, found without
    recursion: the citation stage recurses into the values of every entry."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > limit:
                    return True
                stack.append((child, depth + 1))
    return False


def json_too_deep(text: str, path: Path) -> BibliographyError:
    return BibliographyError(
        f"the file nests lists or records more than {MAX_DATA_NESTING_DEPTH} levels deep; a "
        "CSL-JSON bibliography needs five", file=path, line=line_too_deep(text),
        hint="check the brackets near that line: each entry is { \"id\": ..., ... } inside "
             "the one list [ ... ]")


JSON_BRACKET = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def line_too_deep(text: str) -> int | None:
    """The line where brackets first open more than ``MAX_DATA_NESTING_DEPTH`` deep."""
    depth = 0
    for token in JSON_BRACKET.finditer(text):
        depth += 1 if token.group() in "[{" else -1 if token.group() in "]}" else 0
        if depth > MAX_DATA_NESTING_DEPTH:
            return text.count("\n", 0, token.start()) + 1
    return None


def read_csl_yaml(path: Path) -> list[dict]:
    try:
        # pandoc writes CSL YAML as a metadata block between two "---" lines;
        # the closing "---" starts a second, empty, YAML document.
        documents = [document for document in yaml.load_all(read_text(path), Loader=YamlLoader)
                     if document is not None]
    except YamlTooLarge as error:
        raise BibliographyError(f"the file is too large to read: {error.problem}", file=path,
                                line=error.problem_mark.line + 1,
                                hint="check the indentation near that line: each entry is "
                                     "one '- id: ...' item of the one list") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise BibliographyError(
            f"not valid YAML: {getattr(error, 'problem', error)}", file=path,
            line=mark.line + 1 if mark else None,
            hint="check the indentation near that line") from None
    if len(documents) > 1:
        raise BibliographyError(
            f"the file holds {len(documents)} YAML documents, separated by '---' lines",
            file=path, hint="keep one list of entries: remove the '---' lines between them")
    data = documents[0] if documents else None
    if isinstance(data, dict) and "references" in data:
        data = data["references"]
    return [dates_as_csl(item) for item in as_entry_list(data, path)]


def read_bibtex(path: Path, timeout: float) -> list[dict]:
    text = read_text(path)
    check_bibtex_expansion(text, path)
    try:
        output = run_pandoc(["--sandbox", "--from", "bibtex", "--to", "csljson"], text, timeout,
                            what=f"reading the BibTeX file {path.name}", file=path)
    except RenderError as error:
        found = PANDOC_POSITION.search(error.message)
        if found is None:  # pandoc did not say where (it timed out)
            raise
        line, column = int(found.group(1)), int(found.group(2))
        raise BibliographyError(
            f"not valid BibTeX: {error.message[found.end():].strip()}", file=path, line=line,
            hint=f"check the entry that starts on line {entry_start(text, line, column)}: "
                 "every { needs its }, and fields are separated by commas") from None
    try:
        data = json.loads(output)
    except RecursionError:  # pragma: no cover - pandoc writes CSL-JSON five levels deep
        raise json_too_deep("", path) from None  # the line would be of pandoc's JSON
    return as_entry_list(data, path)


def entry_start(bibtex: str, line: int, column: int) -> int:
    """The line of the entry pandoc was reading: the last ``@type{`` before the
    error. An error at the ``@`` of an entry means the one before it is not closed."""
    lines = bibtex.split("\n")
    before = lines[:line - 1] + [lines[line - 1][:column - 1]] if line <= len(lines) else lines
    starts = [number for number, text in enumerate(before, start=1) if text.lstrip().startswith("@")]
    return starts[-1] if starts else 1


def as_entry_list(data: object, path: Path) -> list[dict]:
    if not isinstance(data, list):
        raise BibliographyError("the file must hold a list of entries", file=path,
                                hint="a CSL-JSON file starts with [ and ends with ]")
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise BibliographyError(f"entry {number} is not a record", file=path,
                                    hint="each entry is written as { \"id\": ..., ... }")
    return data


def dates_as_csl(item: dict) -> dict:
    """CSL YAML allows `issued: 2001` or `issued: 2001-03-04`; make them CSL-JSON dates."""
    fixed = dict(item)
    for name in DATE_FIELDS:
        value = fixed.get(name)
        if isinstance(value, (int, str)) or hasattr(value, "year"):
            fixed[name] = {"date-parts": [date_parts(value)]} if date_parts(value) else {"literal": str(value)}
    return fixed


def date_parts(value: object) -> list[int]:
    if hasattr(value, "year"):
        return [value.year, value.month, value.day]
    parts = str(value).split("-")
    if all(part.isdigit() for part in parts):
        return [int(part) for part in parts]
    return []


def check_entry(item: dict, number: int, path: Path) -> None:
    key = item.get("id")
    label = f"entry '{key}'"
    if isinstance(key, bool) or not isinstance(key, (str, int)) or str(key).strip() == "":
        title = f" (title: {item['title']!r})" if "title" in item else ""
        raise BibliographyError(f"entry {number} has no 'id'{title}", file=path,
                                hint="give every entry an 'id', the key the article cites with @id")
    item["id"] = str(key)
    if not isinstance(item.get("type", "article"), str):
        raise BibliographyError(f"{label}: field 'type' must be text, not {item['type']!r}",
                                file=path, hint="use a CSL type such as 'article-journal' or 'book'")
    bibtex = path.suffix.lower() == ".bib"
    for name in NAME_FIELDS:
        if name in item and not is_name_list(item[name]):
            raise BibliographyError(
                f"{label}: field '{name}' must be a list of names, not {item[name]!r}", file=path,
                hint=f"write {name} = {{Smith, John and Doe, Jane}}" if bibtex else
                f"write \"{name}\": [{{\"family\": \"Smith\", \"given\": \"J\"}}]")
    for name in DATE_FIELDS:
        if name in item and not is_csl_date(item[name]):
            raise BibliographyError(
                f"{label}: field '{name}' is not a CSL date: {item[name]!r}", file=path,
                hint="write year = {2001} (month and day are optional)" if bibtex else
                f"write \"{name}\": {{\"date-parts\": [[2001, 3, 4]]}}")


def is_name_list(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(name, dict) and any(k in name for k in ("family", "given", "literal"))
        for name in value)


def is_csl_date(value: object) -> bool:
    if not isinstance(value, dict):
        return False
    if "literal" in value or "raw" in value:
        return True
    parts = value.get("date-parts")
    return (isinstance(parts, list) and parts and all(
        isinstance(part, list) and part and all(str(n).lstrip("-").isdigit() for n in part)
        for part in parts))


# --- sizes: what a bibliography may make the pipeline read ---------------------------------------

def check_size(path: Path) -> None:
    """A bibliography larger than its format's limit is refused before it is read."""
    bibtex = path.suffix.lower() == ".bib"
    limit = MAX_BIBTEX_BYTES if bibtex else MAX_BIBLIOGRAPHY_BYTES
    size = path.stat().st_size
    if size > limit:
        raise BibliographyError(
            f"the bibliography is {size / 1_000_000:.1f} MB; a leaflet's "
            f"{'BibTeX ' if bibtex else ''}bibliography may be at most {limit / 1_000_000:g} MB",
            file=path, hint="export only the references the leaflet cites from your reference "
                            "manager" + (" (or export CSL-JSON, which may be larger)" if bibtex else ""))


STRING_DEFINITION = re.compile(r"@string\s*[{(]\s*([^\s=#{}()\",]+)\s*=\s*", re.IGNORECASE)
BIBTEX_NAME = re.compile(r"[^\s=#{}()\",]+")
# Where a defined @string can be used: a field's value, or a part of one after '#'.
VALUE_START = re.compile(r"[=#]\s*([^\s=#{}()\",]+)")


def check_bibtex_expansion(text: str, path: Path) -> None:
    """BibTeX's @string abbreviations expand where they are used, each into others: a small
    file can stand for gigabytes, which pandoc would build in memory. Their sizes are added
    up here, without expanding them, and a file standing for more than MAX_BIBTEX_BYTES is
    refused with the line of the first @string that grows past it."""
    sizes: dict[str, int] = {}
    for definition in STRING_DEFINITION.finditer(text):
        name = definition.group(1).lower()
        sizes[name] = value_size(text, definition.end(), sizes)
        if sizes[name] > MAX_BIBTEX_BYTES:
            raise expands_too_far(path, text.count("\n", 0, definition.start()) + 1,
                                  f"the abbreviation @string{{{definition.group(1)}}} stands for "
                                  f"more than {MAX_BIBTEX_BYTES / 1_000_000:g} MB of text")
    total = len(text)
    for use in VALUE_START.finditer(text):
        total += sizes.get(use.group(1).lower(), 0)
        if total > MAX_BIBTEX_BYTES:
            raise expands_too_far(path, text.count("\n", 0, use.start()) + 1,
                                  "with its @string abbreviations expanded, the file stands for "
                                  f"more than {MAX_BIBTEX_BYTES / 1_000_000:g} MB of text")


def value_size(text: str, start: int, sizes: dict[str, int]) -> int:
    """The expanded size of the value starting at ``start``: quoted and braced parts and
    numbers as written, names of earlier @strings as they expand, joined by '#'."""
    size, position = 0, start
    while position < len(text):
        character = text[position]
        if character in "{\"":
            end = closing(text, position)
            size, position = size + end - position, end
        else:
            name = BIBTEX_NAME.match(text, position)
            if name is None:
                return size
            size += sizes.get(name.group().lower(), len(name.group()))
            position = name.end()
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text) or text[position] != "#":
            return size
        position += 1
        while position < len(text) and text[position].isspace():
            position += 1
    return size


def closing(text: str, start: int) -> int:
    """Just past the end of the braced or quoted part at ``start`` (braces nest)."""
    depth, position = 0, start
    quoted = text[start] == "\""
    position += 1 if quoted else 0
    while position < len(text):
        character = text[position]
        if character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
            if depth == 0 and not quoted:
                return position + 1
        elif character == "\"" and quoted and depth == 0:
            return position + 1
        position += 1
    return position


def expands_too_far(path: Path, line: int, message: str) -> BibliographyError:
    return BibliographyError(
        message + "; a leaflet's references need a few kilobytes", file=path, line=line,
        hint="write the journal names and other abbreviations out in the entries, or check "
             "that no @string is made of copies of another")

"""Stage 2a: load the bibliography into CSL-JSON items.

The file format follows the extension: ``.json`` is CSL-JSON, ``.yaml`` or
``.yml`` CSL YAML (a list, or a mapping with ``references:`` as pandoc
writes it), ``.bib`` BibTeX (converted by pandoc, which knows LaTeX accents
and BibTeX's quirks better than any other converter we could ship).
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml

from .errors import BibliographyError
from .pandoc_ast import run_pandoc

# Fields whose value must be a list of names, and those that must be dates.
NAME_FIELDS = ("author", "editor", "translator", "container-author", "collection-editor")
DATE_FIELDS = ("issued", "accessed", "original-date", "event-date", "submitted")


def load_references(paths: tuple[Path, ...], timeout: float) -> list[dict]:
    """Every entry of every bibliography file, checked, in file order."""
    items: list[dict] = []
    seen: dict[str, Path] = {}
    for path in paths:
        for item in read_bibliography(path, timeout):
            check_entry(item, path)
            key = item["id"]
            if key in seen:
                raise BibliographyError(
                    f"the key '{key}' is used by two entries", file=path,
                    hint="give each entry its own id (e.g. add a, b: smith2020a, smith2020b)")
            seen[key] = path
            items.append(item)
    return items


def read_bibliography(path: Path, timeout: float) -> list[dict]:
    if not path.is_file():
        raise BibliographyError(
            "the bibliography file does not exist", file=path,
            hint="check 'bibliography:' in the front matter; the path is relative to the article")
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
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise BibliographyError(f"the file is not UTF-8 text (byte {error.start})", file=path,
                                hint="save the file as UTF-8") from None


def read_csl_json(path: Path) -> list[dict]:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise BibliographyError(f"not valid JSON: {error.msg}", file=path, line=error.lineno,
                                hint="check commas, brackets and quotes near that line") from None
    return as_entry_list(data, path)


def read_csl_yaml(path: Path) -> list[dict]:
    try:
        data = yaml.safe_load(read_text(path))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise BibliographyError(
            f"not valid YAML: {getattr(error, 'problem', error)}", file=path,
            line=mark.line + 1 if mark else None,
            hint="check the indentation near that line") from None
    if isinstance(data, dict) and "references" in data:
        data = data["references"]
    return [dates_as_csl(item) for item in as_entry_list(data, path)]


def read_bibtex(path: Path, timeout: float) -> list[dict]:
    output = run_pandoc(["--from", "bibtex", "--to", "csljson"], read_text(path), timeout,
                        what=f"reading the BibTeX file {path.name}", file=path)
    return as_entry_list(json.loads(output), path)


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


def check_entry(item: dict, path: Path) -> None:
    key = item.get("id")
    label = f"entry '{key}'" if key else "an entry"
    if not isinstance(key, (str, int)) or str(key).strip() == "":
        title = item.get("title", "(no title)")
        raise BibliographyError(f"an entry has no 'id' (title: {title!r})", file=path,
                                hint="give every entry an 'id', the key the article cites with @id")
    item["id"] = str(key)
    if not isinstance(item.get("type", "article"), str):
        raise BibliographyError(f"{label}: field 'type' must be text", file=path,
                                hint="use a CSL type such as 'article-journal' or 'book'")
    for name in NAME_FIELDS:
        if name in item and not is_name_list(item[name]):
            raise BibliographyError(
                f"{label}: field '{name}' must be a list of names", file=path,
                hint=f"write \"{name}\": [{{\"family\": \"Smith\", \"given\": \"J\"}}]")
    for name in DATE_FIELDS:
        if name in item and not is_csl_date(item[name]):
            raise BibliographyError(
                f"{label}: field '{name}' is not a CSL date: {item[name]!r}", file=path,
                hint=f"write \"{name}\": {{\"date-parts\": [[2001, 3, 4]]}}")


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

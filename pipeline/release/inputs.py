"""What a released version was made from: its identity in the archive (issue 19).

A version's outputs are shaped by more than its Markdown: the references, the clinic
profile and its logo, the images, a CSL file, the styles and the pipeline itself. The
archive records each of them with its sha256 (``inputs`` in ``manifest.json``), grouped
by kind::

    {"article": {"exercises.md": "…"}, "references": {"references.json": "…"},
     "clinic profile": {"clinic.yaml": "…"}, "images": {"images/stretch.png": "…"},
     "CSL style": {"house.csl": "…"}, "styles": {"styles/leaflet.css": "…", …},
     "pipeline": {"leaflet-pipeline": "0.1.0"}}

``changes`` compares a recorded identity with today's and names what differs, so a
release can refuse a change under a released version and say what changed.

Which files of the library a leaflet uses: those the article names (its front matter
and text mention the file's path or name: ``bibliography:``, ``clinic:``, ``csl:``,
images, raw HTML), and those its named YAML files name in turn (the clinic profile's
logo). Naming is a superset of using: a file the article merely mentions is counted too,
which can only make a release more careful, never let a change through.

Which styles: every file of ``styles/`` that shapes a leaflet, that is all but the
site's own (``SITE_ONLY``) and the strings files of other languages (the leaflet's
language, its base language and English, the fallback, are counted). A styles file that
is new since the release is not a change (nothing read it then); one changed or removed is.
"""
from __future__ import annotations

import html
import importlib.metadata
from pathlib import Path
from urllib.parse import unquote

from .catalogue import Entry, sha256_of

ARTICLE, REFERENCES, CLINIC, IMAGES, CSL, OTHER, STYLES, PIPELINE = (
    "article", "references", "clinic profile", "images", "CSL style", "other files", "styles",
    "pipeline")
PIPELINE_PACKAGE = "leaflet-pipeline"
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".tif", ".tiff"})
YAML_SUFFIXES = frozenset({".yaml", ".yml"})
# styles/ files that shape the site, the status page and the check report, not a leaflet.
SITE_ONLY = ("site.css", "templates/site/", "templates/status.html", "templates/report.html")
STRINGS = "strings/"
FALLBACK_LANGUAGE = "en"
# Kinds where a file that was not there at release time is not a change.
ADDITIONS_IGNORED = frozenset({STYLES})

Inputs = dict[str, dict[str, str]]


def identity(entry: Entry, theme_dir: Path, library: list[Path] | None = None,
             styles: dict[str, str] | None = None) -> Inputs:
    """Everything ``entry``'s outputs are made from, each with its sha256 (or version).
    ``library`` and ``styles`` (``styles_of`` for its language), when the caller has them
    from another leaflet of the same folder and language: a release reads them once."""
    folder = entry.path.parent
    library = library if library is not None else library_files(folder)
    article_text = readable(entry.path)
    named = files_named(article_text, library, folder)
    for path in [path for path in named if path.suffix.lower() in YAML_SUFFIXES]:
        named |= files_named(readable(path), library, folder)
    bibliography = {path.resolve() for path in entry.article.bibliography}
    inputs: Inputs = {ARTICLE: {entry.path.name: sha256_of(entry.path)}}
    for path in sorted(named):
        name = path.relative_to(folder).as_posix()
        inputs.setdefault(kind_of(path, bibliography), {})[name] = sha256_of(path)
    inputs[STYLES] = styles if styles is not None else styles_of(theme_dir, entry.article.lang)
    inputs[PIPELINE] = {PIPELINE_PACKAGE: installed_version(PIPELINE_PACKAGE)}
    return inputs


def library_files(folder: Path) -> list[Path]:
    """The files of the library folder a leaflet may use: not leaflets, not hidden ones."""
    return sorted(path for path in folder.rglob("*") if path.is_file() and path.suffix != ".md"
                  and not any(part.startswith(".") for part in path.relative_to(folder).parts))


def readable(path: Path) -> str:
    """The file's text as the article may name things in it: also URL- and HTML-decoded."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return "\n".join((text, unquote(text), html.unescape(text)))


def files_named(text: str, library: list[Path], folder: Path) -> set[Path]:
    return {path for path in library
            if path.relative_to(folder).as_posix() in text or path.name in text}


def kind_of(path: Path, bibliography: set[Path]) -> str:
    suffix = path.suffix.lower()
    if path.resolve() in bibliography:
        return REFERENCES
    if suffix == ".csl":
        return CSL
    if suffix in IMAGE_SUFFIXES:
        return IMAGES
    return CLINIC if suffix in YAML_SUFFIXES else OTHER


def styles_of(theme_dir: Path, lang: str) -> dict[str, str]:
    languages = {f"{lang}.yaml", f"{lang.split('-')[0]}.yaml", f"{FALLBACK_LANGUAGE}.yaml"}
    files = {}
    for path in sorted(theme_dir.rglob("*")) if theme_dir.is_dir() else ():
        relative = path.relative_to(theme_dir).as_posix()
        if (not path.is_file() or any(part.startswith(".") for part in relative.split("/"))
                or relative.startswith(SITE_ONLY)
                or (relative.startswith(STRINGS) and path.name not in languages)):
            continue
        files[f"styles/{relative}"] = sha256_of(path)
    return files


def installed_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def changes(recorded: Inputs, now: Inputs) -> list[str]:
    """What differs between a version's recorded inputs and today's, in words:
    ``"references: references.json changed"``, ``"pipeline: leaflet-pipeline 0.1.0 → 0.2.0"``."""
    found = []
    for kind in sorted(set(recorded) | set(now)):
        before, after = recorded.get(kind, {}), now.get(kind, {})
        for name in sorted(set(before) | set(after)):
            if name not in after:
                found.append(f"{kind}: {name} removed")
            elif name not in before:
                if kind not in ADDITIONS_IGNORED:
                    found.append(f"{kind}: {name} added")
            elif before[name] != after[name]:
                found.append(f"{kind}: {before[name]} → {after[name]}" if kind == PIPELINE
                             else f"{kind}: {name} changed")
    return found


def next_version(version: str) -> str:
    """The version to raise to: the last number one up ("1.0" → "1.1", "2" → "3")."""
    head, _, last = version.rpartition(".")
    if last.isdigit():
        return f"{head}.{int(last) + 1}" if head else str(int(last) + 1)
    return f"{version}.1"

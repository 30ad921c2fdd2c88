"""Stage 3: citations, rendered by citeproc-py and put back into pandoc's AST.

A straight line: collect the ``Cite`` elements in document order, register
them with citeproc-py, render each one into the ``Cite`` element's content,
and put the bibliography where ``::: {#refs}`` stands (or at the end under
a "References" heading). Both outputs, PDF and EPUB, take it from there.

What pandoc's citation syntax carries is honoured: several keys in one
citation, locators (``[@key, p. 33]``), prefixes and suffixes, author in
text (``@key says``), suppressed author (``[-@key]``) and ``nocite``.

A style that citeproc-py cannot render (it fails inside) is rendered by
pandoc's own citeproc instead, with a warning naming the style
(``fallback.py``). Footnote styles (CSL ``class="note"``) put each
citation in a footnote, as pandoc does (``notes.py``).
"""
from __future__ import annotations

import copy
import difflib
import json
import logging
import re
import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator
from citeproc import LANGUAGE_NAMES as CSL_LANGUAGE_NAMES, PRIMARY_DIALECTS as CSL_PRIMARY_DIALECTS
from citeproc import formatter as citeproc_formatters
from citeproc.source.json import CiteProcJSON
from citeproc.string import join
from lxml import etree

from . import fallback as citation_fallback
from . import languages
from . import notes as citation_notes
from . import rules
from .notes import RenderedCitation
from .rules.author_modes import watching_names
from .rules.disambiguation import find_ambiguous
from .rules.layout import render_layout_child
from .rules.quotes import QuoteTerms, quote_terms
from .rules.settling import settled_text
from .rules.values import prepared_references
from ..config import PANDOC_TIMEOUT_SECONDS
from .csl_styles import ResolvedCslStyle
from ..errors import CitationError, PipelineError
from ..pandoc.ast import attr, elements, stringify, text_inlines
from ..processes import captured_logs, replay
from ..article.model import Article
from ..theme.strings import english_name

# Title of the reference list when the article does not give its own heading.
DEFAULT_REFERENCES_HEADING = "References"
# Citations rendered by citeproc-py that a process keeps, by everything they depend on.
KEPT_RENDERINGS = 4

log = logging.getLogger(__name__)

# Locator labels as authors write them, mapped to CSL locator terms.
LOCATOR_LABELS = {
    "p": "page", "pp": "page", "page": "page", "pages": "page",
    "chap": "chapter", "chapter": "chapter", "chapters": "chapter",
    "sec": "section", "section": "section", "sections": "section", "§": "section",
    "vol": "volume", "volume": "volume", "volumes": "volume",
    "fig": "figure", "figure": "figure", "figures": "figure",
    "para": "paragraph", "paragraph": "paragraph", "¶": "paragraph",
    "l": "line", "line": "line", "lines": "line", "n": "note", "note": "note",
    "col": "column", "column": "column", "pt": "part", "part": "part",
    "bk": "book", "book": "book", "v": "verse", "verse": "verse", "op": "opus",
}
LOCATOR = re.compile(r"^\s*,?\s*(?P<label>[^\W\d]+|§|¶)\.?\s*(?P<value>[\w\-–—:]+(?:\s*[-–,]\s*[\w]+)*)(?P<rest>.*)$")
SMALL_CAPS_STYLE = "font-variant:small-caps;"
# The spans that set formatting back to normal, as pandoc's citeproc names them (its
# classes "csl-no-emph" ... which the leaflet's stylesheets set).
NORMAL_STYLES = {"font-style:normal;": "no-emph", "font-weight:normal;": "no-strong",
                 "font-variant:normal;": "no-smallcaps"}


def process_citations(doc: dict, article: Article, references: list[dict],
                      style: ResolvedCslStyle,
                      references_heading: str = DEFAULT_REFERENCES_HEADING) -> dict:
    """Render every citation of ``doc`` and its bibliography, in place; return ``doc``.
    ``references_heading`` is the list's heading in the leaflet's language (its strings file)."""
    cites = list(elements(doc["blocks"], "Cite"))
    if not cites and not article.nocite:
        return doc
    if not references:
        key = cites[0]["c"][0][0]["citationId"] if cites else article.nocite[0]
        what = f"cites '@{key}'" if cites else "lists works under 'nocite:'"
        raise CitationError(
            f"the article {what} but its bibliography has no entries", file=article.path,
            line=article.line_of_citation(key),
            hint="add 'bibliography: references.json' to the front matter, "
                 "and entries to that file")
    check_keys(cites, article, references)
    try:
        return render_citations(doc, references, style, lang=article.lang, nocite=article.nocite,
                                references_heading=references_heading,
                                source=language_source(article),
                                references_lang=languages.references_language(article))
    except PipelineError as error:
        raise error.located(article.path, article.line_of_field("csl"))


def render_citations(doc: dict, references: list[dict], style: ResolvedCslStyle, *, lang: str,
                     nocite: tuple[str, ...] = (),
                     timeout: float = PANDOC_TIMEOUT_SECONDS,
                     references_heading: str = DEFAULT_REFERENCES_HEADING,
                     source: str | None = None, references_lang: str | None = None) -> dict:
    """Fill every ``Cite`` of ``doc`` and place the bibliography; return ``doc``.

    The one code path behind the build, ``python -m pipeline cite`` and the
    agreement benchmark. The keys must exist (``process_citations`` checks).
    ``source`` says where ``lang`` comes from, for the warning about a language
    without a CSL locale. ``references_lang`` is the language of a reference that
    names none (``languages.references_language``; the leaflet's if not given).
    """
    cites = list(elements(doc["blocks"], "Cite"))
    # Before the try below: a citeproc-py the rules refuse is the installation's problem, not
    # the style's, so it must not fall back to pandoc's citeproc.
    rules.install()
    csl = load_csl(style, lang, source)
    entry_languages = languages.entry_languages(references, references_lang or lang)
    note_style = csl.root.get("class") == "note"
    notes = citation_notes.note_numbers(doc["blocks"]) if note_style else {}
    note_of_cite = [notes.get(id(cite)) for cite in cites]
    try:
        parts, entries = remembered_rendering(style, lang, csl, cites, references, nocite,
                                              note_of_cite)
    except CitationError:
        raise
    except Exception as error:  # citeproc-py fails inside on some styles
        log.warning("citation style '%s' rendered with pandoc's citeproc: citeproc-py does "
                    "not support %s", style.name, citation_fallback.unsupported(error, style))
        rendered, entries = citation_fallback.render_with_pandoc(
            doc, references, style, lang=style.locale or lang, nocite=nocite, timeout=timeout)
    else:
        rendered = (citation_notes.as_footnotes(doc["blocks"], cites, parts) if note_style
                    else [part.in_text() for part in parts])
        entries = entries_in_their_locales(entries, style, csl, cites, references, nocite,
                                           note_of_cite, entry_languages)
    entries = languages.marked_in_language(entries, entry_languages, lang)
    for cite, inlines in zip(cites, rendered):
        cite["c"][1] = inlines if note_style else link_single_work(cite, inlines)
    citation_notes.place_citations(doc["blocks"], notes_after_punctuation=note_style)
    place_bibliography(doc, entries, references_heading)
    return doc


def entries_in_their_locales(entries: list[dict], style: ResolvedCslStyle, csl: CitationStylesStyle,
                             cites: list[dict], references: list[dict], nocite: tuple[str, ...],
                             notes: list[int | None], entry_languages: dict[str, str]) -> list[dict]:
    """``entries`` with each one whose language has another CSL locale than the leaflet's
    rendered again in that locale (an English reference's "2018 Jun 9" in an Arabic
    leaflet, not "9 يونيو، 2018"). The works are registered in the same order, so numbers
    and sorting stay those of the citations. A style that fixes its locale (a dependent
    style's ``default-locale``) keeps it; a language the CSL project has no locale for
    keeps the leaflet's."""
    if style.locale:
        return entries
    leaflet_locale = csl.root.output_language
    by_locale: dict[str, set[str]] = {}
    for key, language in entry_languages.items():
        locale = csl_locale(language)
        if locale is not None and locale != leaflet_locale:
            by_locale.setdefault(locale, set()).add(f"ref-{key}")
    for locale, identifiers in sorted(by_locale.items()):
        if not any(entry["c"][0][0] in identifiers for entry in entries):
            continue
        other = load_csl(style, locale)
        _, rendered = remembered_rendering(style, locale, other, cites, references, nocite, notes)
        again = {entry["c"][0][0]: entry for entry in rendered}
        entries = [again.get(entry["c"][0][0], entry) if entry["c"][0][0] in identifiers else entry
                   for entry in entries]
    return entries


# The last renderings (``KEPT_RENDERINGS``), by everything they depend on: a live
# preview's rebuild after an edit that left the citations alone renders none again
# (8 ms of the sciatica article).
RENDERINGS: dict[str, tuple[list[RenderedCitation], list[dict]]] = {}


def remembered_rendering(style: ResolvedCslStyle, lang: str, csl: CitationStylesStyle,
                         cites: list[dict], references: list[dict],
                         nocite: tuple[str, ...], notes: list[int | None] | None = None,
                         ) -> tuple[list[RenderedCitation], list[dict]]:
    """``render_with_citeproc_py``, or a copy of its answer to the same question. An
    answer that came with warnings is not kept, so every build shows its warnings."""
    stat = style.path.stat()
    key = json.dumps([str(style.path), stat.st_mtime_ns, stat.st_size, style.locale, lang,
                      [cite["c"][0] for cite in cites], references, nocite, notes])
    if key not in RENDERINGS:
        with captured_logs() as records:
            answer = render_with_citeproc_py(csl, cites, references, nocite, notes)
        replay(records)
        if records:
            return answer
        while len(RENDERINGS) >= KEPT_RENDERINGS:
            del RENDERINGS[next(iter(RENDERINGS))]
        RENDERINGS[key] = answer
    return copy.deepcopy(RENDERINGS[key])  # the build puts the inlines into its AST


def render_with_citeproc_py(csl: CitationStylesStyle, cites: list[dict], references: list[dict],
                            nocite: tuple[str, ...], notes: list[int | None] | None = None,
                            ) -> tuple[list[RenderedCitation], list[dict]]:
    """Each citation, and the bibliography entries, rendered by citeproc-py; ``notes``: each
    citation's footnote number in a note style (``notes.note_numbers``)."""
    engine = CitationEngine(csl, references)
    citations = [engine.citation_for(cite) for cite in cites]
    for citation, note in zip(citations, notes or ()):
        if note is not None:
            citation.note_index = note  # read by the position rules (``rules.positions``)
    engine.register(citations, nocite)
    rendered = [engine.render_citation(cite, citation) for cite, citation in zip(cites, citations)]
    return rendered, engine.bibliography_blocks()


def check_keys(cites: list[dict], article: Article, references: list[dict]) -> None:
    known = {item["id"] for item in references}
    for cite in cites:
        for item in cite["c"][0]:
            key = item["citationId"]
            if key not in known:
                unknown_key(key, known, article)
    for key in article.nocite:
        if key != "*" and key not in known:
            unknown_key(key, known, article)


def unknown_key(key: str, known: set[str], article: Article) -> None:
    close = difflib.get_close_matches(key, sorted(known), n=3)
    hint = (f"did you mean {', '.join('@' + c for c in close)}? " if close else "") + \
        "The key must match an 'id' in the bibliography file."
    raise CitationError(f"unknown citation key '@{key}'", file=article.path,
                        line=article.line_of_citation(key),
                        hint=hint)


@dataclass
class CitationEngine:
    """citeproc-py set up for one style and one bibliography."""

    csl: CitationStylesStyle
    references: list[dict]
    ids: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        rules.install()
        self.ids = {item["id"].lower(): item["id"] for item in self.references}
        with warnings.catch_warnings():
            # citeproc-py warns about every CSL-JSON field it does not use (DOI, PMID, ...).
            warnings.simplefilter("ignore")
            source = CiteProcJSON(prepared_references(self.references))
        self.bibliography = CitationStylesBibliography(self.csl, source, citeproc_formatters.html)
        self.quotes = quote_terms(self.csl.root)

    def citation_for(self, cite: dict) -> Citation:
        return Citation([citation_item(item) for item in cite["c"][0]])

    def register(self, citations: list[Citation], nocite: tuple[str, ...]) -> None:
        """Number and sort the works: cited ones in order of first citation, then nocite.

        Each work is registered with a bare item: citeproc-py formats a
        bibliography entry from the first item registered for its key, and a
        citation's locator ("p. 33") must not leak into the entry's pages.
        """
        keys = [item.key for citation in citations for item in citation.cites]
        if "*" in nocite:
            keys += [key.lower() for key in self.ids.values()]
        else:
            keys += [key.lower() for key in nocite]
        bare = Citation([CitationItem(key) for key in dict.fromkeys(keys)])
        self.bibliography.register(bare)
        for citation in citations:
            citation.bibliography = self.bibliography
        if self.csl.has_bibliography():  # CSL 1.0.2: cs:bibliography is optional
            self.bibliography.sort()
        find_ambiguous(self.csl.root, self.bibliography)

    def render_citation(self, cite: dict, citation: Citation) -> RenderedCitation:
        """One citation as pandoc inlines, in the mode its syntax asks for."""
        modes = {item["citationMode"]["t"] for item in cite["c"][0]}
        author_in_text = "AuthorInText" in modes
        with watching_names(suppress=author_in_text or modes == {"SuppressAuthor"}) as names:
            rendered = as_text(self.bibliography.cite(citation, lambda item: None), self.quotes)
        inlines = html_to_inlines(rendered)
        if author_in_text and names.first_names is not None:
            author = html_to_inlines(as_text(names.first_names, self.quotes))
            return RenderedCitation(inlines, author=author)
        return RenderedCitation(inlines)

    def bibliography_blocks(self) -> list[dict]:
        if not self.csl.has_bibliography():
            return []
        layout = self.csl.root.bibliography.layout
        split_first_field = self.csl.root.bibliography.get("second-field-align") is not None
        blocks = []
        for item in self.bibliography.items:
            key = self.ids.get(item.key, item.key)
            blocks.append(bibliography_entry(key, render_entry(layout, item, split_first_field,
                                                               self.quotes)))
        return blocks


def language_source(article: Article) -> str:
    """"leaflet.ur.md, line 6": where the article says its language."""
    line = article.line_of_field("lang")
    return f"{article.path}, line {line}" if line else str(article.path)


def load_csl(style: ResolvedCslStyle, lang: str, source: str | None = None) -> CitationStylesStyle:
    """The style, set up to print its terms (months, "cited", "available at") in the CSL
    locale of ``lang``; where the CSL project has none (Urdu), in the style's own locale,
    with a warning that says so."""
    wanted = style.locale or lang
    locale = csl_locale(wanted)
    try:
        if locale is not None:
            csl = CitationStylesStyle(str(style.path), locale=locale, validate=False)
            language = locale
        else:
            csl = CitationStylesStyle(str(style.path), validate=False)
            language = csl.root.get("default-locale") or "en-US"
            log.warning("%sno CSL locale for %s: citations use the style's own locale, %s; "
                        "the words the reference list adds (months, 'cited', 'available at') "
                        "are in that language", f"{source}: " if source else "",
                        english_name(wanted), language)
    except etree.XMLSyntaxError as error:
        raise CitationError(f"the CSL style is not valid XML: {error.msg}", file=style.path,
                            line=error.lineno) from None
    csl.root.output_language = language  # read by the text-case rule (title case is English only)
    return csl


# CSL locales in another script than the one the language is written in by default: the
# CSL project's Punjabi is Shahmukhi (pa-PK), a UK clinic's Punjabi is Gurmukhi.
CSL_LOCALE_SCRIPTS = {"pa-PK": "Arab"}
# Tags that name a CSL locale by their script or region rather than by the locale's own
# tag: Traditional Chinese is zh-TW's, not Simplified zh-CN's.
CSL_LOCALE_ALIASES = {"zh-Hant": "zh-TW", "zh-HK": "zh-TW", "zh-MO": "zh-TW"}


def csl_locale(lang: str) -> str | None:
    """citeproc-py's locale for the language tag ``lang``: the tag's own (``zh-CN``),
    else its language's primary dialect in the same script (``pl`` → ``pl-PL``); None
    where the CSL project has none, where citeproc-py would quietly print American
    English."""
    if lang in CSL_LANGUAGE_NAMES:
        return lang
    for tag, locale in CSL_LOCALE_ALIASES.items():
        if lang == tag or lang.startswith(f"{tag}-"):
            return locale
    primary = CSL_PRIMARY_DIALECTS.get(lang.split("-")[0])
    script = CSL_LOCALE_SCRIPTS.get(primary)
    if primary is None or (script is not None and script not in lang.split("-")):
        return None
    return primary


def citation_item(item: dict) -> CitationItem:
    key = item["citationId"]
    prefix = stringify(item["citationPrefix"])
    suffix = stringify(item["citationSuffix"])
    options: dict = {}
    locator = LOCATOR.match(suffix) if suffix else None
    if locator and locator["label"].lower() in LOCATOR_LABELS:
        options["locator"] = Locator(LOCATOR_LABELS[locator["label"].lower()], locator["value"])
        suffix = locator["rest"]
    if prefix:
        options["prefix"] = prefix + " "
    if suffix.strip():
        options["suffix"] = suffix if suffix.startswith((",", ";", ".", " ")) else " " + suffix
    return CitationItem(key, **options)


def render_entry(layout, item, split_first_field: bool, quotes: QuoteTerms) -> list[str]:
    """One bibliography entry as [entry] or, with `second-field-align`, [first field, rest].

    CSL 1.0.2, "Whitespace": with second-field-align the first field of the
    layout (usually the citation number) is set apart from the rest.
    """
    layout.repressed = {}
    if not split_first_field:
        return [as_text(layout.format(layout.wrap(layout.render_children(item))), quotes)]
    children = [child for child in layout.iterchildren() if isinstance(child.tag, str)]
    rendered = [render_layout_child(layout, child, item) for child in children]
    first, rest = rendered[0], [part for part in rendered[1:] if part is not None]
    return [as_text(first, quotes) if first is not None else "",
            as_text(layout.format(layout.wrap(join(rest, layout.get("delimiter", "")))), quotes)]


def as_text(rendered, quotes: QuoteTerms) -> str:
    """citeproc-py's rendering (a ``String``, or None for nothing) as settled HTML text."""
    return settled_text(str(rendered), quotes) if rendered is not None else ""


def bibliography_entry(key: str, fields: list[str]) -> dict:
    if len(fields) == 2:
        content = [span("csl-left-margin", html_to_inlines(fields[0])), {"t": "Space"},
                   span("csl-right-inline", html_to_inlines(fields[1]))]
    else:
        content = html_to_inlines(fields[0])
    return {"t": "Div", "c": [attr(f"ref-{key}", ["csl-entry"]), [{"t": "Para", "c": content}]]}


def span(class_name: str, inlines: list[dict]) -> dict:
    return {"t": "Span", "c": [attr("", [class_name]), inlines]}


def link_single_work(cite: dict, inlines: list[dict]) -> list[dict]:
    """A one-work citation links to its bibliography entry."""
    if len(cite["c"][0]) != 1 or not inlines:
        return inlines
    return [link_to_entry(cite["c"][0][0]["citationId"], inlines)]


def link_to_entry(key: str, inlines: list[dict]) -> dict:
    """Wrap a one-work citation in a link to its bibliography entry."""
    if len(inlines) == 1 and inlines[0]["t"] == "Superscript":
        return {"t": "Superscript", "c": [link_to_entry(key, inlines[0]["c"])]}
    return {"t": "Link", "c": [attr("", ["citation-link"]), inlines, [f"#ref-{key}", ""]]}


def place_bibliography(doc: dict, entries: list[dict],
                       heading: str = DEFAULT_REFERENCES_HEADING) -> None:
    if not entries:
        return
    refs = next((div for div in elements(doc["blocks"], "Div") if div["c"][0][0] == "refs"), None)
    if refs is not None:
        refs["c"][0][1] = sorted(set(refs["c"][0][1]) | {"references", "csl-bib-body"})
        refs["c"][1] = entries
        return
    # An article that ends with a heading ("## References") has written the list's heading
    # itself: the list goes under it, not under a second one.
    ends_with_heading = bool(doc["blocks"]) and doc["blocks"][-1]["t"] == "Header"
    if not ends_with_heading:
        taken = {header["c"][1][0] for header in elements(doc["blocks"], "Header")}
        identifier, number = "references", 1
        while identifier in taken:  # one identifier twice would make the EPUB invalid
            number += 1
            identifier = f"references-{number}"
        doc["blocks"].append({"t": "Header", "c": [2, attr(identifier, ["unnumbered"]),
                                                   text_inlines(heading)]})
    doc["blocks"].append({"t": "Div", "c": [attr("refs", ["references", "csl-bib-body"]), entries]})


# --- citeproc-py's HTML output as pandoc inlines ---------------------------------------------------

INLINE_FOR_TAG = {"i": "Emph", "b": "Strong", "u": "Underline", "sup": "Superscript",
                  "sub": "Subscript"}


class InlineBuilder(HTMLParser):
    """Reads the few tags citeproc-py's HTML formatter writes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, list]] = [("root", [])]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        style = (dict(attrs).get("style") or "").replace(" ", "")
        kind = "smallcaps" if tag == "span" and SMALL_CAPS_STYLE in style else tag
        if tag == "span" and style in NORMAL_STYLES:  # ``rules.flipflop``: roman within italics
            kind = NORMAL_STYLES[style]
        self.stack.append((kind, []))

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) == 1:
            return
        kind, children = self.stack.pop()
        if kind == "smallcaps":
            node = {"t": "SmallCaps", "c": children}
        elif kind in INLINE_FOR_TAG:
            node = {"t": INLINE_FOR_TAG[kind], "c": children}
        else:
            node = {"t": "Span", "c": [attr("", [f"csl-{kind}"]), children]}
        self.stack[-1][1].append(node)

    def handle_data(self, data: str) -> None:
        target = self.stack[-1][1]
        for piece in re.split(r"([ \t\n]+)", data):
            if not piece:
                continue
            if piece.isspace():
                if not target or target[-1] != {"t": "Space"}:
                    target.append({"t": "Space"})
            else:
                target.append({"t": "Str", "c": piece})


def html_to_inlines(fragment: str) -> list[dict]:
    builder = InlineBuilder()
    builder.feed(fragment)
    builder.close()
    while len(builder.stack) > 1:
        builder.handle_endtag(builder.stack[-1][0])
    return builder.stack[0][1]

"""Raw HTML in an article, through an allow-list (``nh3``, the Rust ``ammonia``
sanitiser) before any output carries it.

pandoc hands raw HTML over in pieces: ``H<sub>2</sub>O`` is a raw ``<sub>``,
the text ``2`` and a raw ``</sub>``. Each piece is read as tokens (Python's
``html.parser``, which decodes entities as a browser does) and rebuilt:

- a start tag goes through ``nh3`` with the allow-list below (``ELEMENTS``,
  ``ATTRIBUTES``, links only to ``LINK_SCHEMES``), in the context its
  element needs (a ``<td>`` inside a table row), and comes back in ``nh3``'s
  canonical form; empty elements are closed (``<br />``) for the EPUB's XHTML;
- an end tag stays if its element is allowed; text is escaped; comments go;
- what ``DROPPED_WITH_CONTENT`` names (``<script>``, ``<style>``) goes with
  everything up to its end tag.

Every loss the author would notice is reported (``Finding``): a removed
element, attribute, class or link. Whether a file named by ``src``,
``srcset``, ``poster``, ``data`` or a CSS ``url()`` may be read is the
caller's (``safety.py``, with ``urls.local_file``): here every such URL is
listed, whatever becomes of its tag.

A leaflet carries no CSS of its own: ``style`` attributes and ``<style>``
are removed (a clinic restyles its leaflets through ``styles/``), and so are
classes, which would let an article pass for the pipeline's furniture (an
approval, the DRAFT mark): see docs/checks.md, "Safe by default".
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

from .urls import LINK_SCHEMES, SCRIPT_SCHEMES, css_urls, link_scheme_allowed, scheme, srcset_urls

# What a leaflet's text may use: phrases, lists, simple tables and quotes, images.
# No headings (Markdown's make the contents list), no sections, asides, headers or
# footers (the pipeline's furniture is made of those), no forms, nothing embedded.
ELEMENTS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul", "var", "wbr",
})
EVERYWHERE = {"lang", "dir", "title", "id"}
ATTRIBUTES = {
    "*": EVERYWHERE,
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "details": {"open"},
}
VOID = frozenset({"br", "hr", "img", "wbr"})
DROPPED_WITH_CONTENT = frozenset({"script", "style", "template", "textarea", "title",
                                  "noembed", "noframes", "xmp", "plaintext"})
# Removed as running code or showing another document: "a leaflet does not run scripts".
ACTIVE = frozenset({"script", "iframe", "frame", "frameset", "object", "embed", "applet",
                    "noembed", "param", "base", "meta", "link", "form", "input", "button",
                    "svg", "math", "portal", "template"})
# The element a lone start tag needs around it to mean anything to an HTML parser.
CONTEXT = {"tr": "<table><tbody>", "td": "<table><tbody><tr>", "th": "<table><tbody><tr>",
           "thead": "<table>", "tbody": "<table>", "tfoot": "<table>", "caption": "<table>",
           "li": "<ul>", "dt": "<dl>", "dd": "<dl>", "summary": "<details>",
           "figcaption": "<figure>"}
# Attributes whose value a browser or a writer would fetch.
FETCHED = frozenset({"src", "poster", "data", "background", "lowsrc", "dynsrc", "codebase",
                     "archive", "manifest", "icon", "longdesc", "xlink:href"})
FETCHED_BY = {"link": {"href"}, "image": {"href"}, "use": {"href"}, "feimage": {"href"}}
# Characters XML cannot hold (the EPUB is XHTML): dropped from text and attribute values.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
LINKED = frozenset({"href", "action", "formaction", "cite", "ping", "xlink:href"})


@dataclass
class Finding:
    """Something the author wrote that the leaflet will not carry, and why."""
    what: str
    why: str


@dataclass
class SanitisedPiece:
    html: str
    findings: list[Finding] = field(default_factory=list)
    # URLs the piece names, as (tag, attribute, url), the attribute "link" for a link:
    # the images the leaflet shows and every other file it names, for the caller to check.
    urls: list[tuple[str, str, str]] = field(default_factory=list)
    opens_dropped: str | None = None  # a lone <script> or <style>: its end tag ends the drop
    closes: str | None = None  # a lone end tag


class Tokens(HTMLParser):
    """The tokens of one piece, entities decoded, as (kind, name, attributes or text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, str, object]] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tokens.append(("start", tag, attrs))

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag, None))

    def handle_data(self, data):
        self.tokens.append(("text", "", data))


def tokens_of(piece: str) -> list[tuple[str, str, object]]:
    parser = Tokens()
    parser.feed(piece)
    parser.close()
    return parser.tokens


def sanitised(piece: str, *, keep_image=lambda url: True,
              reserved_ids: frozenset[str] = frozenset()) -> SanitisedPiece:
    """``piece`` of raw HTML rebuilt from allowed parts. ``keep_image(url)`` says whether an
    ``<img>`` with that ``src`` stays (a remote one without ``--allow-remote`` does not);
    ``reserved_ids`` are the identifiers of the pipeline's own elements."""
    result = SanitisedPiece("")
    out: list[str] = []
    dropping: str | None = None
    tokens = tokens_of(NOT_IN_XML.sub("", piece))
    for kind, name, value in tokens:
        if dropping is not None:
            if kind == "end" and name == dropping:
                dropping = None
            elif kind == "text" and dropping == "style":  # what the stylesheet would fetch
                result.urls += [("style", "style", url) for url in css_urls(value)]
            continue
        if kind == "text":
            out.append(html.escape(value, quote=False))
        elif kind == "end":
            if name in ELEMENTS and name not in VOID:
                out.append(f"</{name}>")
            if len(tokens) == 1:
                result.closes = name
        else:
            attributes = [(key, "" if text is None else text) for key, text in value]
            result.urls += named_urls(name, attributes)
            if name in DROPPED_WITH_CONTENT:
                result.findings.append(removed_element(name, attributes))
                dropping = name
                continue
            out.append(start_tag(name, attributes, result, keep_image, reserved_ids))
    if dropping is not None and len(tokens) == 1:
        result.opens_dropped = dropping
    result.html = "".join(out)
    return result


def start_tag(name: str, attributes: list[tuple[str, str]], result: SanitisedPiece,
              keep_image, reserved_ids: frozenset[str]) -> str:
    if name not in ELEMENTS:
        result.findings.append(removed_element(name, attributes))
        return ""
    if name == "img" and not keep_image(dict(attributes).get("src", "")):
        return ""  # the caller has said why
    allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(name, set())
    for key, text in attributes:
        if key not in allowed:
            result.findings.append(removed_attribute(name, key, text))
        elif key == "href" and not link_scheme_allowed(text):
            result.findings.append(Finding(f'the link {shorten(text)}', link_reason(text)))
        elif key == "id" and text in reserved_ids:
            result.findings.append(Finding(f'id="{text}"', "the pipeline's own elements use it"))
    tag = "<" + name + "".join(f' {key}="{html.escape(text)}"' for key, text in attributes
                               if key in allowed) + ">"
    cleaned = nh3.clean(CONTEXT.get(name, "") + tag, tags=set(ELEMENTS), attributes=ATTRIBUTES,
                        url_schemes=set(LINK_SCHEMES), link_rel=None, strip_comments=True,
                        attribute_filter=lambda element, key, text: filtered(key, text, reserved_ids))
    found = canonical_start_tag(name).search(cleaned)
    if found is None:
        return ""
    rebuilt = found.group(0).replace("&nbsp;", "&#160;")
    return rebuilt[:-1] + " />" if name in VOID else rebuilt


def filtered(key: str, text: str, reserved_ids: frozenset[str]) -> str | None:
    """nh3's last word on an allowed attribute: links only to allowed schemes (and
    never to the article's own files), identifiers never the pipeline's."""
    if key == "href" and not link_scheme_allowed(text):
        return None
    if key == "id" and text in reserved_ids:
        return None
    return text


def canonical_start_tag(name: str) -> re.Pattern:
    """The start tag ``name`` as nh3 writes it: attribute values always in double quotes."""
    return re.compile(rf'<{name}(?:\s+[^\s=/>"]+(?:="[^"]*")?)*\s*/?>')


def named_urls(name: str, attributes: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    urls = []
    for key, text in attributes:
        if key in FETCHED or key in FETCHED_BY.get(name, ()):
            urls.append((name, key, text))
        elif key == "srcset" or key == "imagesrcset":
            urls += [(name, key, url) for url in srcset_urls(text)]
        elif key == "style":
            urls += [(name, key, url) for url in css_urls(text)]
        elif key in LINKED:
            urls.append((name, "link", text))
    return urls


def link_reason(url: str) -> str:
    """Why a link goes: in the words the Markdown links' warnings use (``safety.py``)."""
    kind = scheme(url)
    if kind in SCRIPT_SCHEMES:
        return "a leaflet does not run scripts"
    if not kind and not url.strip().startswith("//"):
        return "a reader of the leaflet or the EPUB cannot open the article's own files"
    return "a leaflet links only to web, email and telephone addresses (https:, mailto:, tel:)"


def removed_element(name: str, attributes: list[tuple[str, str]]) -> Finding:
    shown = "<" + name + "".join(f' {key}="{shorten(text, 60)}"' for key, text in attributes) + ">"
    if name in ACTIVE or name in DROPPED_WITH_CONTENT and name != "style":
        why = "a leaflet does not run scripts or embed other pages"
    elif name == "style":
        why = "a leaflet carries no CSS of its own (a clinic restyles leaflets in styles/)"
    else:
        why = ("a leaflet's HTML may use only simple text elements (abbr, sub, sup, br, span, "
               "kbd, mark, small, img, lists and tables); its text stays")
    return Finding(shorten(shown, 110), why)


def removed_attribute(name: str, key: str, text: str) -> Finding:
    shown = f'{key}="{shorten(text, 80)}" from <{name}>'
    if key.startswith("on"):
        return Finding(f"the attribute {shown}", "a leaflet does not run scripts")
    if key == "style":
        return Finding(f"the attribute {shown}",
                       "a leaflet carries no CSS of its own (a clinic restyles leaflets in styles/)")
    if key == "class":
        return Finding(f"the attribute {shown}",
                       "a leaflet's HTML carries no classes: they would let it pass for the "
                       "pipeline's own parts (the approvals, the DRAFT mark)")
    return Finding(f"the attribute {shown}", "a leaflet's HTML does not use it")


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"

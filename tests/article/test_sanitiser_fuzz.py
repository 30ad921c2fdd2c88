"""Hypothesis tries the sanitiser and the URL resolution with hostile input it makes up.

- Raw HTML (``article/raw_html.py``): whatever tags, attributes, entities and
  schemes go in, what comes out holds only allow-listed elements and
  attributes, links only to allowed schemes (read as a browser would read
  them), no style, class or pipeline identifier; and a balanced piece comes
  out as well-formed XHTML.
- URL resolution (``article/urls.py``): whatever path, scheme, percent
  escape or symbolic link a URL uses, ``local_file`` either refuses it or
  gives an existing file inside the article's folder.
- SVG cleaning (``article/svg.py``): no script, handler, foreign object or
  outside reference survives.

The default profile keeps each test to a bounded number of examples, all
derandomised, so ``make test`` stays quick; ``HYPOTHESIS_PROFILE=fuzz`` runs more.
"""
from __future__ import annotations

import html
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.article import raw_html, urls
from pipeline.article.svg import ACTIVE, clean_svg
from pipeline.errors import SourceError

QUICK = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100"))
                 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 100,
                 deadline=None, derandomize=os.environ.get("HYPOTHESIS_PROFILE") != "fuzz",
                 database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                       HealthCheck.too_slow])
RESERVED_IDS = frozenset({"contact-us", "approvals"})

TAGS = sorted(raw_html.ELEMENTS) + [
    "script", "style", "iframe", "object", "embed", "meta", "base", "link", "form", "input",
    "svg", "math", "aside", "section", "header", "footer", "frame", "template", "textarea",
    "video", "audio", "source", "picture", "h1", "h2", "button", "x-custom", "SCRIPT", "Img"]
ATTRIBUTES = ["href", "src", "srcset", "poster", "data", "style", "class", "id", "onclick",
              "onerror", "ONLOAD", "title", "alt", "lang", "dir", "width", "http-equiv", "content",
              "action", "formaction", "xlink:href", "background", "colspan", "value", "target"]
SCHEMES = ["javascript:", "JaVaScRiPt:", "java&#x73;cript:", "java&#115;cript:", "jav&#x09;ascript:",
           "java\tscript:", " javascript:", "\x01javascript:", "data:text/html,", "data:image/svg+xml,",
           "vbscript:", "file:///etc/", "https://example.org/", "http://", "mailto:a@b.c", "tel:1",
           "#", "//evil.example/", "/etc/", "../", "ftp://x/", "", "&#106;avascript:",
           "javascript&colon;", "java\nscript:", "\u00a0javascript:"]
TEXT = st.lists(st.sampled_from(list("ab <>&\"'=/;:()#\u00a0\u202e\t\n")
                                + ["&amp;", "&lt;", "&#0;", "<!--", "-->", "]]>", "&#x3c;"]),
                max_size=12).map("".join)


@st.composite
def attribute_value(draw) -> str:
    return draw(st.sampled_from(SCHEMES)) + draw(TEXT)


@st.composite
def tag(draw, quotes: tuple[str, ...] = ('"', "'", "")) -> str:
    name = draw(st.sampled_from(TAGS))
    attributes = draw(st.lists(st.tuples(st.sampled_from(ATTRIBUTES), attribute_value()), max_size=4))
    quote = draw(st.sampled_from(quotes))
    written = "".join(f" {key}={quote}{value.replace(quote, '') if quote else value.split()[0] if value.split() else 'x'}{quote}"
                      for key, value in attributes)
    return f"<{name}{written}{draw(st.sampled_from(['', ' /']))}>"


@st.composite
def piece(draw) -> str:
    parts = draw(st.lists(st.one_of(tag(), TEXT, st.sampled_from(
        ["</a>", "</span>", "</script>", "</style>", "</td>", "<!-- x -->", "<![CDATA[x]]>",
         "<?php x ?>", "<!DOCTYPE html>"])), min_size=1, max_size=6))
    return "".join(parts)


class Seen(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.ends: list[str] = []

    def handle_starttag(self, name, attributes):
        self.starts.append((name, attributes))

    def handle_startendtag(self, name, attributes):
        self.starts.append((name, attributes))

    def handle_endtag(self, name):
        self.ends.append(name)


def assert_only_allowed(output: str) -> None:
    seen = Seen()
    seen.feed(output)
    seen.close()
    for name, attributes in seen.starts:
        assert name in raw_html.ELEMENTS, (name, output)
        allowed = raw_html.ATTRIBUTES["*"] | raw_html.ATTRIBUTES.get(name, set())
        for key, value in attributes:
            assert key in allowed, (key, output)
            assert not key.startswith("on") and key not in ("style", "class")
            if key == "href":
                assert urls.link_scheme_allowed(value), (value, output)
                assert urls.scheme(value) in ("", "http", "https", "mailto", "tel"), (value, output)
            if key == "id":
                assert value not in RESERVED_IDS
    assert all(name in raw_html.ELEMENTS for name in seen.ends), output
    lowered = output.lower()
    for forbidden in ("<script", "<style", "<iframe", "<meta", "<base", "<form", "<object", "<svg"):
        assert forbidden not in lowered, output


@QUICK
@given(piece())
def test_sanitised_html_holds_only_allow_listed_elements_attributes_and_schemes(html_piece):
    result = raw_html.sanitised(html_piece, reserved_ids=RESERVED_IDS)
    assert_only_allowed(result.html)
    # Sanitising what the sanitiser wrote changes nothing: its output is its own fixed point.
    assert raw_html.sanitised(result.html, reserved_ids=RESERVED_IDS).html == result.html


@st.composite
def balanced(draw, depth: int = 0) -> str:
    """A balanced piece of HTML, of allowed and hostile elements."""
    name = draw(st.sampled_from([n for n in TAGS if n.lower() not in raw_html.VOID
                                 and n.lower() not in ("svg", "math", "template", "textarea",
                                                       "style", "script", "title")]))
    opening = draw(tag(quotes=('"',))).split(" ", 1)  # quoted: no value ends the tag early
    attributes = opening[1][:-1].rstrip(" /") if len(opening) > 1 else ""
    inner = draw(st.lists(st.one_of(TEXT.map(html.escape),
                                    st.just("<br>"), st.just('<img src="a.png" alt="a">'),
                                    balanced(depth + 1) if depth < 3 else TEXT.map(html.escape)),
                          max_size=3))
    return f"<{name} {attributes}>" + "".join(inner) + f"</{name}>"


@QUICK
@given(balanced())
def test_a_balanced_piece_comes_out_as_well_formed_xhtml(html_piece):
    result = raw_html.sanitised(html_piece, reserved_ids=RESERVED_IDS)
    assert_only_allowed(result.html)
    etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">{result.html}</div>'.encode())


# --- URL resolution -------------------------------------------------------------------------------

SEGMENTS = ["..", ".", "", "a", "picture.png", "inside", "out-link", "loop", "%2e%2e", "%2E.",
            "..%2f..", "%2fetc", "etc", "passwd", "~", "\\..", "..\\..", "C:", "%00", "\x00",
            "secret.txt", "%252e%252e"]
PREFIXES = ["", "/", "//", "file:", "file://", "file:///", "FILE:/", " ", "\t", "./", "data:,",
            "https://x/", "c:\\", "\\\\host\\", "%2f", "javascript:"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """An article's folder with a picture, a folder, and symbolic links pointing in and out."""
    root = tmp_path_factory.mktemp("urls")
    (root / "secret.txt").write_text("secret", encoding="utf-8")
    article = root / "article"
    (article / "inside").mkdir(parents=True)
    (article / "picture.png").write_bytes(b"png")
    (article / "inside" / "picture.png").write_bytes(b"png")
    (article / "out-link").symlink_to(root)
    (article / "in-link.png").symlink_to(article / "picture.png")
    (article / "loop").symlink_to(article / "loop")
    return article


@QUICK
@given(prefix=st.sampled_from(PREFIXES), segments=st.lists(st.sampled_from(SEGMENTS), max_size=6),
       separator=st.sampled_from(["/", "\\", "//", "/./"]), suffix=st.sampled_from(["", "?x=1", "#y", "/"]))
def test_url_resolution_never_leaves_the_article_s_folder(folder, prefix, segments, separator, suffix):
    url = prefix + separator.join(segments) + suffix
    try:
        path = urls.local_file(url, folder, "image")
    except SourceError as error:
        assert "Traceback" not in str(error)
        return
    resolved = path.resolve()
    assert resolved.is_relative_to(folder.resolve()), (url, resolved)
    assert resolved.is_file()


@QUICK
@given(st.text(max_size=40))
def test_any_text_as_a_url_is_refused_or_inside_the_folder(folder, url):
    try:
        path = urls.local_file(url, folder, "image")
    except SourceError:
        return
    assert path.resolve().is_relative_to(folder.resolve()) and path.is_file(), url


# --- SVG cleaning ---------------------------------------------------------------------------------

SVG_PARTS = ['<rect width="1" height="1"/>', "<script>alert(1)</script>", '<g onload="x"><circle r="1"/></g>',
             '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>',
             '<a xlink:href="javascript:x"><text>t</text></a>', '<use xlink:href="#r"/>',
             '<set attributeName="href" to="javascript:x"/>', '<animate onbegin="x"/>',
             '<style>rect { fill: url(#g) }</style>', '<linearGradient id="g"><stop offset="0"/></linearGradient>',
             '<text x="1">A <tspan onmouseover="x">label</tspan></text>', "<!-- note -->",
             '<metadata><x xmlns="urn:x">y</x></metadata>', '<image href="data:image/png;base64,iVBORw0KGgo="/>']


@QUICK
@given(st.lists(st.sampled_from(SVG_PARTS), max_size=8))
def test_a_cleaned_svg_has_nothing_active(parts):
    source = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
              'onload="x">' + "".join(parts) + "</svg>")
    tree = etree.ElementTree(etree.fromstring(source.encode()))
    cleaned = etree.fromstring(clean_svg(tree, "drawing.svg").data)
    for element in cleaned.iter():
        assert isinstance(element.tag, str)
        assert etree.QName(element).localname not in ACTIVE | {"a", "metadata"}
        for attribute, value in element.attrib.items():
            assert not etree.QName(attribute).localname.lower().startswith("on")
            if etree.QName(attribute).localname == "href":
                assert value.startswith(("#", "data:image/png"))


@pytest.mark.parametrize("reference", ["https://example.org/x.png", "file:///etc/passwd", "other.svg",
                                       "data:image/svg+xml;base64,PHN2Zy8+", " javascript:x"])
def test_an_svg_referring_to_another_file_is_refused(reference):
    source = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
              f'<image xlink:href="{reference}"/></svg>')
    with pytest.raises(SourceError) as raised:
        clean_svg(etree.ElementTree(etree.fromstring(source.encode())), "drawing.svg")
    assert "the SVG image 'drawing.svg' refers to another file" in str(raised.value)


@pytest.mark.parametrize("style", ['@import "x.css";', "rect { fill: url(x.svg#g) }",
                                   "rect { background: url('file:///etc/passwd') }"])
def test_an_svg_whose_style_fetches_a_file_is_refused(style):
    source = f'<svg xmlns="http://www.w3.org/2000/svg"><style>{style}</style></svg>'
    with pytest.raises(SourceError):
        clean_svg(etree.ElementTree(etree.fromstring(source.encode())), "drawing.svg")

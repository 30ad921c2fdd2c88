"""styles/ is data a clinic edits, and a build reads nothing outside the
article's folder and styles/: both give clear errors when something is off."""
from __future__ import annotations

import logging
import shutil
import socket
import threading
import zipfile
from pathlib import Path

import pypdf
import pytest
from lxml import etree
from PIL import Image

from pipeline import Settings, build
from pipeline.config import THEME_DIR
from pipeline.errors import PipelineError, StyleError


@pytest.fixture
def theme_dir(tmp_path: Path) -> Path:
    """A copy of styles/ to break."""
    copy = tmp_path / "styles"
    shutil.copytree(THEME_DIR, copy)
    return copy


def settings(out: Path, theme_dir: Path, *formats: str) -> Settings:
    return Settings(formats=formats or ("pdf",), out_dir=out, theme_dir=theme_dir)


def test_template_syntax_error_names_the_template_and_line(article, theme_dir, tmp_path):
    template = theme_dir / "templates" / "leaflet.html"
    lines = template.read_text(encoding="utf-8").split("\n")
    lines[4] = "  <title>{{ article.title </title>"
    template.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(StyleError) as raised:
        build(article, settings(tmp_path / "out", theme_dir))
    message = str(raised.value)
    assert message.startswith(f"{template}, line 5: the template has a syntax error")
    assert "How to fix" in message
    assert not (tmp_path / "out" / f"{article.stem}.pdf").exists()


def test_template_naming_an_unknown_field_is_a_style_error(article, theme_dir, tmp_path):
    template = theme_dir / "templates" / "leaflet.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "{{ article.title }}</h1>", "{{ article.headline }}</h1>"), encoding="utf-8")
    with pytest.raises(StyleError) as raised:
        build(article, settings(tmp_path / "out", theme_dir))
    assert "headline" in str(raised.value)


def test_missing_stylesheet_is_named(article, theme_dir, tmp_path):
    (theme_dir / "leaflet.css").unlink()
    with pytest.raises(StyleError) as raised:
        build(article, settings(tmp_path / "out", theme_dir))
    assert str(raised.value).startswith(f"{theme_dir / 'leaflet.css'}: a stylesheet is missing")


def test_missing_epub_stylesheet_is_named(article, theme_dir, tmp_path):
    (theme_dir / "epub.css").unlink()
    with pytest.raises(StyleError) as raised:
        build(article, settings(tmp_path / "out", theme_dir, "epub"))
    assert str(raised.value).startswith(f"{theme_dir / 'epub.css'}: a stylesheet is missing")


@pytest.mark.parametrize("field, value, expected", [
    ("bibliography", "../../outside.json", "'bibliography': '../../outside.json' is outside the article's folder"),
    ("csl", "../../outside.csl", "the CSL file '../../outside.csl' is outside the article's folder"),
])
def test_files_outside_the_article_folder_are_refused(article, tmp_path, field, value, expected):
    (tmp_path.parent / "outside.json").write_text("[]", encoding="utf-8")
    lines = article.read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(lines, 1) if text.startswith(f"{field}:"))
    lines[line - 1] = f"{field}: {value}"
    article.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(PipelineError) as raised:
        build(article, settings(tmp_path / "out", THEME_DIR, "epub"))
    assert expected in str(raised.value)
    assert f"{article}, line {line}" in str(raised.value)


@pytest.mark.parametrize("target", ["../../../etc/hostname", "/etc/hostname"])
def test_image_outside_the_article_folder_is_refused(article, tmp_path, target):
    with article.open("a", encoding="utf-8") as handle:
        handle.write(f"\n![A spine]({target})\n")
    with pytest.raises(PipelineError) as raised:
        build(article, settings(tmp_path / "out", THEME_DIR, "epub"))
    assert f"the image '{target}' is outside the article's folder" in str(raised.value)


def test_symlink_out_of_the_article_folder_is_refused(article, tmp_path):
    outside = tmp_path / "elsewhere" / "spine.png"
    outside.parent.mkdir()
    outside.write_bytes(b"\x89PNG\r\n\x1a\n")
    (article.parent / "spine.png").symlink_to(outside)
    with article.open("a", encoding="utf-8") as handle:
        handle.write("\n![A spine](spine.png)\n")
    with pytest.raises(PipelineError) as raised:
        build(article, settings(tmp_path / "out", THEME_DIR, "epub"))
    assert "the image 'spine.png' is outside the article's folder" in str(raised.value)


def test_missing_image_is_named_with_its_line(article, tmp_path):
    with article.open("a", encoding="utf-8") as handle:
        handle.write("\n![A spine](spine.png)\n")
    line = article.read_text(encoding="utf-8").split("\n").index("![A spine](spine.png)") + 1
    with pytest.raises(PipelineError) as raised:
        build(article, settings(tmp_path / "out", THEME_DIR, "epub"))
    assert str(raised.value).startswith(f"{article}, line {line}: the image 'spine.png' does not exist")


def test_remote_image_is_left_out_with_a_warning(article, tmp_path, caplog):
    with article.open("a", encoding="utf-8") as handle:
        handle.write("\n![A spine](https://example.org/spine.png)\n")
    written = build(article, settings(tmp_path / "out", THEME_DIR, "epub"))
    assert [path.suffix for path in written] == [".epub"]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1
    assert "the remote image https://example.org/spine.png is left out" in warnings[0]
    assert "--allow-remote" in warnings[0]


@pytest.fixture
def listener():
    """A server on 127.0.0.1 that counts the connections a build makes to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    connections: list = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            connections.append(connection)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", connections
    stop.set()
    thread.join(timeout=2)
    server.close()


def test_a_build_makes_no_network_connection(article, tmp_path, listener, caplog):
    url, connections = listener
    with article.open("a", encoding="utf-8") as handle:
        handle.write(f'\n![Markdown image]({url}/a.png)\n\n'
                     f'Raw <img src="{url}/b.png" alt="raw image"> image.\n\n'
                     f'<link rel="stylesheet" href="{url}/c.css">\n\n'
                     f'Styled <span style="background: url({url}/d.png)">text</span>.\n')
    written = build(article, settings(tmp_path / "out", THEME_DIR, "pdf", "epub"))
    assert [path.suffix for path in written] == [".pdf", ".epub"]
    assert connections == []
    warned = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    for name in ("a.png", "b.png", "c.css", "d.png"):
        assert f"{url}/{name}" in warned
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def opf_properties(epub: Path) -> list[tuple[str, str]]:
    with zipfile.ZipFile(epub) as package:
        opf = etree.fromstring(package.read("EPUB/content.opf"))
    return [(meta.get("property"), meta.text) for meta in opf.iter("{http://www.idpf.org/2007/opf}meta")
            if (meta.get("property") or "").startswith("schema:")]


def add_image(article: Path, alt: str) -> None:
    Image.new("RGB", (40, 20), "#0b4f6c").save(article.parent / "spine.png")
    with article.open("a", encoding="utf-8") as handle:
        handle.write(f"\n![{alt}](spine.png)\n")


def test_described_image_is_in_both_outputs_and_claimed_in_the_epub(article, tmp_path, caplog):
    add_image(article, "Drawing of the lower spine")
    pdf, epub = build(article, settings(tmp_path / "out", THEME_DIR, "pdf", "epub"))
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert ("schema:accessibilityFeature", "alternativeText") in opf_properties(epub)
    assert ("schema:accessMode", "visual") in opf_properties(epub)
    with zipfile.ZipFile(epub) as package:
        assert any(name.endswith(".png") for name in package.namelist())
    assert pypdf.PdfReader(pdf).pages[-1].images, "the image is not in the PDF"


def test_image_without_description_is_warned_about_and_not_claimed(article, tmp_path, caplog):
    add_image(article, "")
    (epub,) = build(article, settings(tmp_path / "out", THEME_DIR, "epub"))
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "the image 'spine.png' has no description" in warnings[0]
    assert ("schema:accessibilityFeature", "alternativeText") not in opf_properties(epub)

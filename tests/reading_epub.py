"""Reading a built EPUB as a reading system gets it: the package parsed with lxml,
namespace-aware (``NS`` holds the prefixes the XPath expressions use)."""

from __future__ import annotations

import pathlib
import zipfile

from lxml import etree

XHTML_NS = "http://www.w3.org/1999/xhtml"
OPS_NS = "http://www.idpf.org/2007/ops"
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
NS = {"x": XHTML_NS, "epub": OPS_NS, "opf": OPF_NS, "dc": DC_NS, "c": CONTAINER_NS}

BLOCK_TAGS = {f"{{{XHTML_NS}}}{tag}" for tag in
              "p li td th h1 h2 h3 h4 h5 h6 div section nav dt dd caption figcaption".split()}


def epub_entries(path: pathlib.Path) -> list[zipfile.ZipInfo]:
    with zipfile.ZipFile(path) as package:
        return package.infolist()


def epub_read(path: pathlib.Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read(name)


def opf_name(path: pathlib.Path) -> str:
    container = etree.fromstring(epub_read(path, "META-INF/container.xml"))
    return container.xpath("//c:rootfile/@full-path", namespaces=NS)[0]


def opf(path: pathlib.Path) -> etree._Element:
    """The package document's root element."""
    return etree.fromstring(epub_read(path, opf_name(path)))


def epub_name(path: pathlib.Path, href: str) -> str:
    """The ZIP entry name of a package document ``href``."""
    return str(pathlib.PurePosixPath(opf_name(path)).parent / href)


def epub_xhtml(path: pathlib.Path) -> list[tuple[str, etree._Element]]:
    """The spine's XHTML documents in reading order: (name in the ZIP, root element)."""
    package = opf(path)
    items = {item.get("id"): item for item in package.xpath("//opf:manifest/opf:item", namespaces=NS)}
    documents = []
    for ref in package.xpath("//opf:spine/opf:itemref", namespaces=NS):
        name = epub_name(path, items[ref.get("idref")].get("href"))
        documents.append((name, etree.fromstring(epub_read(path, name))))
    return documents


def epub_nav(path: pathlib.Path) -> etree._Element:
    package = opf(path)
    href = package.xpath("//opf:manifest/opf:item[contains(concat(' ', @properties, ' '), ' nav ')]/@href",
                         namespaces=NS)[0]
    return etree.fromstring(epub_read(path, epub_name(path, href)))


def epub_text(path: pathlib.Path) -> str:
    """The text of the spine documents in order, citation markers left out."""
    texts = []
    for _name, root in epub_xhtml(path):
        body = root.find(f"{{{XHTML_NS}}}body")
        for citation in body.xpath(".//x:span[contains(concat(' ', @class, ' '), ' citation ')]",
                                   namespaces=NS):
            drop_keeping_tail(citation)
        for block in body.iter(*BLOCK_TAGS):
            block.tail = " " + (block.tail or "")
        texts.append("".join(body.itertext()))
    return "\n".join(texts)


def drop_keeping_tail(element: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent, previous = element.getparent(), element.getprevious()
    tail = element.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)

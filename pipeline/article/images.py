"""Is this file an image a leaflet can use? Shared by the article's images and
the clinic's logo. Raises ``SourceError`` without a location: the caller
knows which line named the file."""
from __future__ import annotations

from pathlib import Path

from lxml import etree
from PIL import Image, UnidentifiedImageError

from ..errors import SourceError


def check_image_file(path: Path, name: str) -> None:
    """``name`` is how the user wrote the file's name, for the message."""
    if path.suffix.lower() == ".svg":
        check_svg(path, name)
        return
    try:
        with Image.open(path) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise SourceError(f"the image '{name}' cannot be read: it is damaged or not an image "
                          f"({error})",
                          hint="open it in an image editor and save it again as PNG or JPEG") from None


def check_svg(path: Path, name: str) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as error:
        raise SourceError(f"the SVG image '{name}' is not valid XML: {error.msg}",
                          hint="export the drawing again as SVG from your drawing program") from None
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute, value in element.attrib.items():
            if etree.QName(attribute).localname == "href" and not value.startswith(("#", "data:")):
                raise SourceError(f"the SVG image '{name}' refers to another file ({value})",
                                  hint="embed everything in the SVG, or export it as PNG")

"""Is this file an image a leaflet can use? Shared by the article's images and
the clinic's logo. Raises ``SourceError`` without a location: the caller
knows which line named the file.

Every picture WeasyPrint and pandoc later open has passed through here, so the
files that would make them run out of memory or stack are refused here: a
picture claiming more pixels than ``MAX_IMAGE_PIXELS`` (a decompression bomb:
a few bytes that unpack to gigabytes), and SVGs nested too deep, too large,
or declaring entities that expand into other entities (a "billion laughs").
An SVG is also cleaned of anything active (``svg.py``): what it loses is
returned, for the caller to tell the author where the picture is named.
"""
from __future__ import annotations

import traceback
import warnings
from pathlib import Path

from lxml import etree
from PIL import Image, UnidentifiedImageError

from ..config import MAX_DATA_NESTING_DEPTH, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, MAX_SVG_ELEMENTS
from ..errors import SourceError
from .svg import clean_svg

SENSIBLE_SIZE = "save the picture at a sensible size, e.g. under 4000 × 4000 pixels"


def check_image_file(path: Path, name: str) -> tuple[str, ...]:
    """``name`` is how the user wrote the file's name, for the message. Returns what
    cleaning takes out of an SVG (``<script>``, ``onload=``): nothing for other pictures."""
    check_image_bytes(path, name)
    if path.suffix.lower() == ".svg":
        return check_svg(path, name)
    try:
        with opened_image(path, name) as image:
            check_pixels(image.size, name)
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise SourceError(f"the image '{name}' cannot be read: it is damaged or not an image "
                          f"({error})",
                          hint="open it in an image editor and save it again as PNG or JPEG") from None
    return ()


def check_image_bytes(path: Path, name: str) -> None:
    """A file larger than ``MAX_IMAGE_BYTES`` is refused before anything reads it."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        raise SourceError(f"the image '{name}' is {size / 1_000_000:.1f} MB; a leaflet's image "
                          f"may be at most {MAX_IMAGE_BYTES / 1_000_000:g} MB",
                          hint=SENSIBLE_SIZE + ", as PNG or JPEG")


def opened_image(path: Path, name: str) -> Image.Image:
    """The image, its header read. Pillow warns of a decompression bomb above its limit and
    refuses one above twice it; either way ``check_pixels`` tells the user what it claims."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            return Image.open(path)
        except Image.DecompressionBombError as error:
            raise too_many_pixels(claimed_size(error), name) from None


def claimed_size(error: Image.DecompressionBombError) -> tuple[int, int]:
    """The width and height the refused file claims. Pillow's message gives only their
    product; the image it had opened is still in the frame that raised."""
    opened = [frame.f_locals.get("im") for frame, _ in traceback.walk_tb(error.__traceback__)]
    sizes = [image.size for image in opened if isinstance(image, Image.Image)]
    return sizes[-1] if sizes else (2 * MAX_IMAGE_PIXELS, 1)


def check_pixels(size: tuple[int, int], name: str) -> None:
    width, height = size
    if width * height > MAX_IMAGE_PIXELS:
        raise too_many_pixels(size, name)


def too_many_pixels(size: tuple[int, int], name: str) -> SourceError:
    width, height = size
    return SourceError(
        f"the image '{name}' claims to be {width} × {height} pixels ({width * height:,} pixels); "
        f"a leaflet's picture may have at most {MAX_IMAGE_PIXELS:,}: a file this large is "
        "damaged, or made to exhaust the computer's memory", hint=SENSIBLE_SIZE)


def check_svg(path: Path, name: str) -> tuple[str, ...]:
    """Refuse an SVG that cannot be drawn safely; return what cleaning takes out of it."""
    return clean_svg(parsed_svg(path, name), name).removed


def parsed_svg(path: Path, name: str) -> etree._ElementTree:
    """The SVG's tree, refused if it is not XML, declares entities that read files or
    multiply, or is too deep or too large."""
    # Entities are not expanded, no DTD or network is read; libxml2's own limits
    # (depth 256, entity amplification) stay on: huge_tree is off.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as error:
        raise svg_syntax_problem(error, name) from None
    check_svg_entities(tree, name)
    check_svg_shape(tree.getroot(), name)
    return tree


def svg_syntax_problem(error: etree.XMLSyntaxError, name: str) -> SourceError:
    """libxml2's words for its limits are a programmer's: say what they mean."""
    message = error.msg or str(error)
    if "Excessive depth" in message:
        return svg_too_deep(name, error.lineno)
    if "amplification" in message or "entity reference loop" in message.lower():
        return svg_entities_expand(name)
    return SourceError(f"the SVG image '{name}' is not valid XML: {message}",
                       hint="export the drawing again as SVG from your drawing program")


def svg_too_deep(name: str, line: int | None) -> SourceError:
    where = f" (line {line} of the SVG)" if line else ""
    return SourceError(
        f"the SVG image '{name}' nests its elements more than {MAX_DATA_NESTING_DEPTH} levels "
        f"deep{where}; a drawing needs a few", hint="ungroup the drawing in your drawing program "
        "and export it again as SVG, or export it as PNG")


def svg_entities_expand(name: str) -> SourceError:
    return SourceError(
        f"the SVG image '{name}' declares entities that are made of other entities, which "
        "would expand to an enormous text (a 'billion laughs' file)",
        hint="export the drawing again as SVG from your drawing program, or export it as PNG")


def check_svg_entities(tree: etree._ElementTree, name: str) -> None:
    """Drawing programs declare entities as short names for their namespaces; an entity made
    of entities only multiplies text, and one read from a file would read that file."""
    dtd = tree.docinfo.internalDTD
    for entity in dtd.iterentities() if dtd is not None else ():
        if entity.system_url or entity.orig and "&" in entity.orig:
            if entity.system_url:
                raise SourceError(f"the SVG image '{name}' refers to another file "
                                  f"({entity.system_url})",
                                  hint="embed everything in the SVG, or export it as PNG")
            raise svg_entities_expand(name)


def check_svg_shape(root: etree._Element, name: str) -> None:
    """WeasyPrint draws an SVG by recursing into it, and pandoc copies it into the EPUB:
    a tree too deep or too large is refused here, counted without recursion."""
    count = depth = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        count, depth = count + 1, depth + 1
        if depth > MAX_DATA_NESTING_DEPTH:
            raise svg_too_deep(name, element.sourceline)
        if count > MAX_SVG_ELEMENTS:
            raise SourceError(
                f"the SVG image '{name}' has more than {MAX_SVG_ELEMENTS:,} elements; a drawing "
                "for a leaflet has a few thousand", hint="simplify the drawing in your drawing "
                "program (fewer points and shapes), or export it as PNG")

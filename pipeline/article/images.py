"""Is this file an image a leaflet can use? Shared by the article's images and
the clinic's logo. Raises ``SourceError`` without a location: the caller
knows which line named the file.

Every picture WeasyPrint and pandoc later open has passed through here, so the
files that would make them run out of memory or stack are refused here: a
picture claiming more pixels than ``MAX_IMAGE_PIXELS`` (a decompression bomb:
a few bytes that unpack to gigabytes), and (read by ``svg.py``) SVGs nested too
deep, too large, or declaring entities that expand into other entities (a
"billion laughs"). An SVG is also cleaned of anything active (``svg.py``): what
it loses is returned, for the caller to tell the author where the picture is named.
"""
from __future__ import annotations

import traceback
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from ..limits import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS
from ..errors import SourceError

# Pillow and lxml (svg.py) are imported when a picture is checked: a leaflet without
# pictures (and a cold build before it knows) does without a fortieth of a second.
if TYPE_CHECKING:
    from PIL import Image

SENSIBLE_SIZE = "save the picture at a sensible size, e.g. under 4000 × 4000 pixels"


def check_image_file(path: Path, name: str) -> tuple[str, ...]:
    """``name`` is how the user wrote the file's name, for the message. Returns what
    cleaning takes out of an SVG (``<script>``, ``onload=``): nothing for other pictures."""
    from PIL import UnidentifiedImageError
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
    from PIL import Image
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            return Image.open(path)
        except Image.DecompressionBombError as error:
            raise too_many_pixels(claimed_size(error), name) from None


def claimed_size(error: Image.DecompressionBombError) -> tuple[int, int]:
    """The width and height the refused file claims. Pillow's message gives only their
    product; the image it had opened is still in the frame that raised."""
    from PIL import Image
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
    from .svg import clean_svg, parsed_svg
    return clean_svg(parsed_svg(path, name), name).removed

"""The QR code that takes a reader of the printed leaflet to its online copy.

Vector (SVG drawn by WeasyPrint as paths), so it stays sharp at any print
resolution. Error correction level M survives a crease or a coffee ring.
"""
from __future__ import annotations

from markupsafe import Markup


def qr_svg(url: str, title: str) -> Markup:
    """Inline SVG of the QR code for ``url``; ``title`` is its text alternative."""
    import segno  # a thirtieth of a second to import: only for a leaflet with a URL
    code = segno.make(url, error="m", micro=False)
    return Markup(code.svg_inline(scale=1, border=4, dark="#000000", light="#ffffff",
                                  title=title, svgclass="qr-code", lineclass=None,
                                  omitsize=True))

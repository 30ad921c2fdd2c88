"""Pictures of the printed pages, to check a leaflet before printing a hundred.

Each page of each PDF becomes ``output/pages/<pdf name>-page-<n>.png``,
and all of a leaflet's pages one contact sheet, ``output/<stem>.pages.png``:
one row per edition, pages side by side, each labelled.
"""
from __future__ import annotations

from pathlib import Path

import pypdfium2
from PIL import Image, ImageDraw, ImageFont

from ..files import atomic_output
from .fonts import packaged_font_files

# Page pictures (--pictures): enough to judge a page's layout, small enough to mail.
PAGE_PICTURE_DPI = 60

THUMBNAIL_HEIGHT = 280  # the contact sheet's rows, in pixels
GAP = 16
LABEL_HEIGHT = 30
BACKGROUND = "#d9dee1"


def write_page_pictures(pdfs: list[Path], out_dir: Path, stem: str) -> list[Path]:
    if not pdfs:
        return []
    folder = out_dir / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    written, rows = [], []
    for pdf in pdfs:
        pictures = page_pictures(pdf)
        for number, picture in enumerate(pictures, start=1):
            written.append(save_png(picture, folder / f"{pdf.stem}-page-{number}.png"))
        rows.append((pdf.name, pictures))
    written.append(save_png(contact_sheet(rows), out_dir / f"{stem}.pages.png"))
    return written


def page_pictures(pdf: Path) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=PAGE_PICTURE_DPI / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()


def save_png(picture: Image.Image, target: Path) -> Path:
    with atomic_output(target) as temporary:
        picture.save(temporary, format="PNG", optimize=True)
    return target


def contact_sheet(rows: list[tuple[str, list[Image.Image]]]) -> Image.Image:
    """Every page, one row per PDF, scaled to the same height and labelled."""
    scaled = [(label, [thumbnail(page) for page in pages]) for label, pages in rows]
    width = GAP + max(sum(page.width + GAP for page in pages) for _, pages in scaled)
    height = GAP + len(scaled) * (LABEL_HEIGHT + THUMBNAIL_HEIGHT + GAP)
    sheet = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = label_font()
    y = GAP
    for label, pages in scaled:
        draw.text((GAP, y), label, fill="#1a1a1a", font=font)
        x = GAP
        for page in pages:
            sheet.paste(page, (x, y + LABEL_HEIGHT))
            x += page.width + GAP
        y += LABEL_HEIGHT + THUMBNAIL_HEIGHT + GAP
    return sheet


def thumbnail(page: Image.Image) -> Image.Image:
    width = round(page.width * THUMBNAIL_HEIGHT / page.height)
    return page.resize((width, THUMBNAIL_HEIGHT), Image.LANCZOS)


def label_font() -> ImageFont.FreeTypeFont:
    bold = next(path for _, weight, style, path in packaged_font_files()
                   if weight == 700 and style == "normal")
    return ImageFont.truetype(str(bold), 18)

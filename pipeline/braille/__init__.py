"""Braille: the braille-ready file (``--to brf``), in the leaflet's language.

The modules follow the order of the work:

- ``text.py``: the article as print blocks (title page, headings, paragraphs, list
  items, table rows as "header: value", references), in reading order;
- ``liblouis.py``: liblouis's ``lou_translate`` turns their text into braille cells
  (and, for ``make check``, braille back into text), with the table
  ``tables.py`` finds for the language in ``styles/braille.yaml``;
- ``layout.py``: the cells wrapped into lines and the lines into pages, with page
  numbers, as a braille transcriber lays them out;
- ``brf.py``: ``write(leaflet, path)``, what ``build.py`` calls with the leaflet's build
  (``leaflet.py``).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..outputs import Format, OutputFile, register

if TYPE_CHECKING:
    from ..leaflet import LeafletBuild


def write_brf(leaflet: LeafletBuild, path: Path) -> None:
    from .brf import write  # liblouis is looked for only when braille is asked for
    write(leaflet, path)


# North American Braille ASCII: plain text, with form feeds between pages. No media type is
# registered for it; braille software opens it as the text it is.
register(Format("brf", (OutputFile("brf", ".brf", "text/plain", "brf"),), aliases=("braille",),
                write=write_brf, table_word="brf", site_rank=6))

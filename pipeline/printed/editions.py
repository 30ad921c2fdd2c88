"""The printed editions of the PDF:

- ``standard``: the A4 (or Letter) leaflet.
- ``large-print``: 18 pt body text, nothing under 16 pt (what the NHS Accessible Information
  Standard calls large print).
- ``booklet``: A5 pages imposed two-up on A4 landscape in saddle-stitch order
  (``printed/imposition.py``).
Each is a format of its own (registered, with its files, by ``printed/__init__.py``). How
each looks is in ``styles/editions/<edition>.css``, applied on top of ``styles/leaflet.css``;
only the sizes ``make check`` holds it to and its page size are decided here.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..outputs import edition_format


@dataclass(frozen=True)
class Edition:
    name: str
    uses_paper_size: bool  # A4/Letter from --paper, or a page size of its own
    min_body_pt: float  # body text at least this size (checked by make check)
    min_text_pt: float  # no text anywhere smaller: footers, references, superscripts

    def stylesheets(self, theme_dir: Path, paper: str) -> list[Path]:
        """Its stylesheets in the theme folder (``Theme.edition_stylesheets``), on ``paper``."""
        paths = [theme_dir / "leaflet.css"]
        if self.uses_paper_size:
            paths.append(theme_dir / "paper" / f"{paper}.css")
        if self.name != "standard":
            paths.append(theme_dir / "editions" / f"{self.name}.css")
        return paths

    def target(self, out_dir: Path, stem: str) -> Path:
        """The PDF its pages are laid out in."""
        laid_out = next(file for file in edition_format(self.name).files if not file.imposed)
        return laid_out.path(out_dir, stem)

    def imposed_target(self, out_dir: Path, stem: str) -> Path | None:
        """The sheets to print, when its pages are imposed."""
        imposed = next((file for file in edition_format(self.name).files if file.imposed), None)
        return imposed.path(out_dir, stem) if imposed is not None else None


EDITIONS = {
    "standard": Edition("standard", uses_paper_size=True, min_body_pt=12, min_text_pt=9),
    "large-print": Edition("large-print", uses_paper_size=True, min_body_pt=18, min_text_pt=16),
    "booklet": Edition("booklet", uses_paper_size=False, min_body_pt=12, min_text_pt=8),
}

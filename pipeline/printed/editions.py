"""The printed editions made from one leaflet.

- ``standard``: the A4 (or Letter) leaflet → ``<stem>.pdf``.
- ``large-print``: 18 pt body text, nothing under 16 pt → ``<stem>.large-print.pdf``
  (what the NHS Accessible Information Standard calls large print).
- ``booklet``: A5 pages (``<stem>.a5.pdf``, for proofing on screen) imposed
  two-up on A4 landscape in saddle-stitch order → ``<stem>.booklet.pdf``.

How each edition looks is in ``styles/editions/<edition>.css``, applied on
top of ``styles/leaflet.css``; only the file names and the imposition are
decided here.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import Settings


@dataclass(frozen=True)
class Edition:
    name: str
    suffix: str  # added to the leaflet's stem: "" → x.pdf, ".large-print" → x.large-print.pdf
    uses_paper_size: bool  # A4/Letter from --paper, or a page size of its own
    min_body_pt: float  # body text at least this size (checked by make check)
    min_text_pt: float  # no text anywhere smaller: footers, references, superscripts
    imposed_suffix: str | None = None  # the sheets for printing, when pages are imposed

    def stylesheets(self, settings: Settings) -> list[Path]:
        styles = settings.styles_dir
        paths = [styles / "leaflet.css"]
        if self.uses_paper_size:
            paths.append(styles / "paper" / f"{settings.paper}.css")
        if self.name != "standard":
            paths.append(styles / "editions" / f"{self.name}.css")
        return paths

    def target(self, out_dir: Path, stem: str) -> Path:
        return out_dir / f"{stem}{self.suffix}.pdf"

    def imposed_target(self, out_dir: Path, stem: str) -> Path | None:
        return out_dir / f"{stem}{self.imposed_suffix}.pdf" if self.imposed_suffix else None


EDITIONS = {
    "standard": Edition("standard", "", uses_paper_size=True, min_body_pt=12, min_text_pt=9),
    "large-print": Edition("large-print", ".large-print", uses_paper_size=True,
                           min_body_pt=18, min_text_pt=16),
    "booklet": Edition("booklet", ".a5", uses_paper_size=False, min_body_pt=12, min_text_pt=8,
                       imposed_suffix=".booklet"),
}

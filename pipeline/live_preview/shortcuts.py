"""What the live preview lends each build: ``build.Shortcuts`` that remember.

The build knows nothing of the live preview. It asks pandoc through the
shortcuts' ``pandoc``, writes PDFs with their ``pdf_writer``, and calls
``confirm`` before any output replaces the previous one. Here those are:

- ``SplicingPandoc`` (``reread.py``): pandoc reads and writes again only the
  paragraph an edit changed; its answers are provisional until ``confirm``
  has compared them with pandoc's whole answers, and a wrong one raises
  ``Misread``, a ``build.Rebuild``;
- a PDF writer lent ``KeptLayouts`` (``relayout.py``): WeasyPrint lays out
  again only the pages an edit touched.
"""
from __future__ import annotations

from ..build import Shortcuts
from ..config import Settings
from ..printed.pdf import PdfWriter, import_weasyprint
from .relayout import KeptLayouts
from .reread import SplicingPandoc


class PreviewShortcuts(Shortcuts):
    provisional = True

    def __init__(self, settings: Settings) -> None:
        self.layouts = KeptLayouts()
        writer = None
        if "pdf" in settings.formats:
            import_weasyprint()  # now, so that every build, the first included, runs in this process
            writer = PdfWriter(layouts=self.layouts)
        super().__init__(pandoc=SplicingPandoc(), pdf_writer=writer)
        self.pandoc: SplicingPandoc

    def confirm(self) -> None:
        self.pandoc.confirm()

    def abandon(self) -> None:
        self.pandoc.abandon()

    def forget_layouts(self) -> None:
        """Something the layouts may depend on without naming it in the HTML (an image,
        a font, the references) has changed: the next layout is a full one."""
        if self.pdf_writer is not None:
            self.pdf_writer.forget()

"""One error hierarchy for everything a user can fix.

Every message names the file (and the line, where known), the bad value, and
what to do about it. Anything that is not a ``PipelineError`` is a bug in the
pipeline and is shown with a traceback.
"""
from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """A problem in the user's files that they can fix; exit code 1."""

    category = "problem"

    def __init__(self, message: str, *, file: Path | str | None = None,
                 line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = Path(file) if file is not None else None
        self.line = line
        self.hint = hint

    def located(self, file: Path | str, line: int | None = None) -> "PipelineError":
        """Attach a file (and line) when the stage that raised did not know it."""
        if self.file is None:
            self.file = Path(file)
        if self.line is None:
            self.line = line
        return self

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f", line {self.line}"
            where += ": "
        text = f"{where}{self.message}"
        if self.hint:
            text += f"\n  How to fix: {self.hint}"
        return text


class SourceError(PipelineError):
    """The article itself: encoding, front matter, Markdown."""

    category = "article"


class BibliographyError(PipelineError):
    """The bibliography file or one of its entries."""

    category = "references"


class CitationError(PipelineError):
    """A citation in the article, or the citation style."""

    category = "citations"


class StyleError(PipelineError):
    """Something in styles/: a template, a stylesheet, a CSL file."""

    category = "styles"


class RenderError(PipelineError):
    """pandoc, WeasyPrint or the EPUB writer could not produce an output."""

    category = "rendering"


class UsageError(PipelineError):
    """Wrong command-line usage; exit code 2."""

    category = "usage"


"""One error hierarchy for everything a user can fix.

Every message names the file (and the line, where known) or the command-line
option, the bad value, and what to do about it. Anything that is not a
``PipelineError`` is a bug in the pipeline and is shown with a traceback.
Each class says which exit code the command line gives for it.
"""
from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """A problem in the user's files that they can fix; exit code 1."""

    exit_code = 1

    def __init__(self, message: str, *, file: Path | str | None = None,
                 line: int | None = None, hint: str | None = None,
                 option: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = Path(file) if file is not None else None
        self.line = line
        self.hint = hint
        self.option = option  # the command-line option at fault, as typed ("--csl 'apa'")

    def located(self, file: Path | str, line: int | None = None) -> "PipelineError":
        """Attach a file (and line) when the stage that raised did not know it. An error
        in a command-line option stays the option's: no file is at fault."""
        if self.option is None and self.file is None:
            self.file = Path(file)
            if self.line is None:  # the line is the file's: not another file's line
                self.line = line
        return self

    def __str__(self) -> str:
        where = ""
        if self.option is not None:
            where = f"{self.option}: "
        elif self.file is not None:
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


class BibliographyError(PipelineError):
    """The bibliography file or one of its entries."""


class CitationError(PipelineError):
    """A citation in the article, or the citation style."""


class StyleError(PipelineError):
    """Something in styles/: a template, a stylesheet, a CSL file."""


class RenderError(PipelineError):
    """pandoc, WeasyPrint or the EPUB writer could not produce an output."""


class UsageError(PipelineError):
    """Wrong command-line usage (an option's value, a file that should be a folder);
    exit code 2."""

    exit_code = 2


# --- The pipeline's own installation (citeproc-py's rules, pipeline/citations/rules/) ----------

class SetupError(PipelineError):
    """The pipeline's own installation is not what it needs; exit code 1.

    No file of the user's is at fault, so ``located`` attaches none."""

    def located(self, file: Path | str, line: int | None = None) -> "PipelineError":
        return self

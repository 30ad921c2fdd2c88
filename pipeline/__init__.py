"""The patient-leaflet pipeline: one Markdown article with citations in, a
print-ready PDF and an accessible EPUB out.

    from . import Settings, build
    build(Path("source/sciatica-massage.md"), Settings(formats=("pdf",)))
"""
from .build import build
from .config import Settings
from .errors import PipelineError

__all__ = ["PipelineError", "Settings", "build"]

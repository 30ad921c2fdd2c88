"""The patient-leaflet pipeline: one Markdown article with citations in, a
print-ready PDF and an accessible EPUB out.

    from . import Settings, build
    build(Path("source/sciatica-massage.md"), Settings(formats=("pdf",)))
"""
# Each subpackage that writes a format registers it (outputs.py), in this order: the printed
# editions, the EPUB, braille, audio. Their __init__ modules import no tools.
from . import printed, epub, braille, audio  # noqa: F401  (isort: skip)
from .build import build
from .config import Settings
from .errors import PipelineError

__all__ = ["PipelineError", "Settings", "build"]

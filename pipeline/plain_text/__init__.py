"""Plain text (``--to txt``): the leaflet's words without their layout, for a text message
or a reader that opens nothing else. ``text.py`` writes it."""
from pathlib import Path

from ..outputs import Format, OutputFile, register


def write_text(doc: dict, article, settings, path: Path) -> None:
    from .text import write
    write(doc, article, settings, path)


register(Format("txt", (OutputFile("txt", ".txt", "text/plain", "plain text"),),
                aliases=("plain text",), write=write_text, table_word="txt", site_rank=7))

"""The leaflet read aloud: ``--to mp3`` (``mp3.py``) and ``--to narrated-epub``
(``narrated_epub.py``, an EPUB 3 with media overlays).

``narration.py`` decides what is said, sentence by sentence, in sections;
``speech.py`` has eSpeak NG say each sentence and measures it, so that the MP3's
chapters and the EPUB's SMIL clips come from the narration's own timing;
``mp3.py`` encodes it with LAME and writes the ID3 tags and chapters.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..outputs import Format, OutputFile, register

if TYPE_CHECKING:
    from ..leaflet import LeafletBuild


def write_mp3(leaflet: LeafletBuild, path: Path) -> None:
    from .mp3 import write  # eSpeak NG and LAME are looked for only when audio is asked for
    write(leaflet, path)


def write_narrated_epub(leaflet: LeafletBuild, path: Path) -> None:
    from .narrated_epub import write
    write(leaflet, path)


register(Format("mp3", (OutputFile("mp3", ".mp3", "audio/mpeg", "mp3"),), aliases=("audio",),
                write=write_mp3, table_word="mp3", site_rank=5))
register(Format("narrated-epub",
                (OutputFile("narrated-epub", ".narrated.epub", "application/epub+zip", "narrated-epub"),),
                aliases=("narrated epub", "audio with text"), write=write_narrated_epub,
                table_word="narrated", site_rank=4))

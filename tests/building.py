"""What a test builds from: where the project and its fixture folders are (from any test
folder, as the tests mirror ``pipeline/``'s subpackages), the files a test makes, and the
warnings its builds log."""

from __future__ import annotations

import contextlib
import logging
import pathlib
import shutil
import struct
import zlib
from collections.abc import Iterator

from pipeline import Settings

PROJECT_ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header claiming ``width`` × ``height`` pixels, with almost no pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 4))
            + chunk(b"IEND", b""))


def leaflet_in_language(folder: pathlib.Path, lang: str) -> pathlib.Path:
    """A copy of the fixture leaflet (epub-leaflet) in ``folder``, its ``lang:`` changed."""
    shutil.copytree(FIXTURES / "epub-leaflet", folder)
    article = folder / "sciatica-exercises.md"
    article.write_text(article.read_text(encoding="utf-8").replace("lang: en-GB", f"lang: {lang}"),
                       encoding="utf-8")
    return article


def append(article: pathlib.Path, text: str) -> int:
    """Add ``text`` at the end of the article; return the line it starts on."""
    lines = article.read_text(encoding="utf-8").split("\n")
    article.write_text("\n".join(lines) + "\n" + text + "\n", encoding="utf-8")
    return len(lines) + 1


def epub_only(tmp_path: pathlib.Path) -> Settings:
    return Settings(formats=("epub",), out_dir=tmp_path / "out")


class WarningRecorder(logging.Handler):
    """The warnings logged while it is attached (``warnings_recorded``)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def warnings_recorded() -> Iterator[WarningRecorder]:
    """The warnings logged within the block, by any logger: for a module's builds, where
    pytest's caplog (a test's) cannot reach."""
    recorder = WarningRecorder()
    logging.getLogger().addHandler(recorder)
    try:
        yield recorder
    finally:
        logging.getLogger().removeHandler(recorder)

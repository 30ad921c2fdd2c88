"""Stage 5: the EPUB e-book, written by pandoc's EPUB3 writer (``writer.py``)."""
from ..outputs import Format, OutputFile, register

# The build writes it itself: pandoc runs on it while WeasyPrint lays out the PDF.
register(Format("epub", (OutputFile("epub", ".epub", "application/epub+zip", "epub"),),
                aliases=("e-book", "ebook"), table_word="epub", site_rank=3))

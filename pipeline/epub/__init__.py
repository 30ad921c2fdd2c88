"""Stage 5: the EPUB e-book, written by pandoc's EPUB3 writer (``writer.py``)."""

"""Stage 4: the printed leaflet. ``html.py`` wraps pandoc's HTML in the print
template; ``pdf.py`` lays it out with WeasyPrint (``fonts.py``,
``native_libraries.py``, ``qr.py`` serve it), one PDF per edition
(``editions.py``, each a format registered below); ``imposition.py``
imposes the A5 booklet; and ``page_pictures.py`` draws PNG pictures of the pages."""
from ..outputs import Format, OutputFile, register

PDF = "application/pdf"

# The printed editions, each a format: the build writes them together (one HTML body,
# laid out once an edition by WeasyPrint), so none has a writer of its own here.
register(Format("pdf", (OutputFile("pdf", ".pdf", PDF, "pdf"),), edition="standard",
                aliases=("standard", "standard print"), table_word="pdf", site_rank=0))
register(Format("large-print",
                (OutputFile("large-print", ".large-print.pdf", PDF, "large-print edition"),),
                edition="large-print", aliases=("large print",), table_word="large-print",
                site_rank=1))
register(Format("booklet", (OutputFile("booklet", ".booklet.pdf", PDF,  # the sheets to print
                                       "booklet edition (the sheets to print)", imposed=True),
                            OutputFile("a5", ".a5.pdf", PDF, "booklet edition")),  # the pages to proof
                edition="booklet", aliases=("a5 booklet",), table_word="booklet", site_rank=2))

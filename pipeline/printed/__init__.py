"""Stage 4: the printed leaflet. ``html.py`` wraps pandoc's HTML in the print
template; ``pdf.py`` lays it out with WeasyPrint (``fonts.py``,
``native_libraries.py``, ``qr.py`` serve it), one PDF per edition
(``config.EDITIONS``); ``imposition.py`` imposes the A5 booklet; and
``page_pictures.py`` draws PNG pictures of the pages."""

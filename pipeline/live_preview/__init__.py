"""The live preview, ``python -m pipeline watch`` (``watch.py``), on top of the
build: it lends each build ``shortcuts.py``, which re-read only the edited
paragraph (``reread.py``) and lay out again only the pages it touched
(``relayout.py``). The build imports nothing from here."""

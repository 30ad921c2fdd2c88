"""The clinic's leaflet library through its governance cycle (issue 14).

``python -m pipeline release SOURCE_DIR --out DIR`` builds every leaflet, publishes
the approved ones that are within their review date into ``DIR/release/``, keeps every
released version in the archive (``archive/`` beside SOURCE_DIR, or ``--archive``) and
writes the site (``DIR/site/``); ``python -m pipeline status SOURCE_DIR`` says where each
leaflet stands and checks the archive.

- ``catalogue.py``: the library's leaflets and their state (``ReleasedLeaflet``, what
  the site is written from);
- ``archive.py``: ``ARCHIVE/<stem>/<version>/``, never overwritten; ``inputs.py``: what
  each version was made from (its identity in the archive);
- ``publish.py``: the release itself (build, choose, archive, switch into place);
  ``folders.py``: the lock and the one-step switch; ``epub_gate.py``: EPUBCheck first;
- ``status.py``: the status table, its JSON and ``site/status.html``.
"""

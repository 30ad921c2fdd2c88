"""The clinic's leaflet library through its governance cycle (issue 14).

``python -m pipeline release SOURCE_DIR --out DIR`` builds every leaflet, publishes
the approved ones that are within their review date into ``DIR/release/``, keeps every
released version in ``DIR/archive/`` and writes the site (``DIR/site/``);
``python -m pipeline status SOURCE_DIR`` says where each leaflet stands.

- ``catalogue.py``: the library's leaflets and their state (``ReleasedLeaflet``, what
  the site is written from);
- ``archive.py``: ``DIR/archive/<stem>/<version>/``, never overwritten;
- ``publish.py``: the release itself (build, choose, archive, swap into place);
- ``status.py``: the status table, its JSON and ``site/status.html``.
"""

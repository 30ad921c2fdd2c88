"""Stage 1: the article and what it pulls in.

``front_matter.py`` reads the Markdown file and validates its front matter
into an ``Article``; ``clinic.py`` the clinic profile it names; ``images.py``
checks the pictures it uses; ``references.py`` loads its bibliography; and
``safety.py``, once pandoc has read it, removes anything active and makes its
links go somewhere: with ``urls.py`` (what a URL may point at), ``raw_html.py``
(raw HTML through ``nh3``'s allow-list), ``svg.py`` (an SVG cleaned to a
drawing) and ``furniture.py`` (the classes of the pipeline's own parts, which
an article may not use). ``media.py`` hands the checked pictures to pandoc's
sandboxed EPUB writer as data.
"""

"""Stage 1: the article and what it pulls in.

``front_matter.py`` reads the Markdown file and validates its front matter
into an ``Article``; ``clinic.py`` the clinic profile it names; ``images.py``
checks the pictures it uses; ``references.py`` loads its bibliography; and
``safety.py``, once pandoc has read it, removes anything active and makes its
links go somewhere.
"""

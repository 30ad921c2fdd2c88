"""Stage 3: citations, rendered by citeproc-py into pandoc's AST.

``engine.py`` renders the citations and the reference list; ``csl_styles.py``
finds the CSL style by name or path; ``notes.py`` puts note styles'
citations in footnotes; ``fallback.py`` renders with pandoc's citeproc what
citeproc-py cannot; ``sample.py`` is the ``cite`` command's sample of each
style; ``rules/`` holds the CSL 1.0.2 rules citeproc-py breaks, installed
into it once.
"""

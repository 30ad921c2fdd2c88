"""A term that opens a sentence in a footnote: "Ibid.", not "ibid.".

CSL 1.0.2, "Terms": a term prints as the locale writes it ("ibid.", "and");
"Style Class": in a note style each citation is a footnote. A footnote reads
as a sentence, so its first word is capitalized: citeproc-js, the reference
implementation, capitalizes a term that is the first thing a note style's
citation prints (the CSL test suite expects "Ibid." there), and one that
follows the author's prefix when the prefix ends a sentence ("He said
“Please work.” Ibid."). A one-word prefix ending in a period ("cf.", "Nocaps.")
is taken for an abbreviation, as citeproc-js takes it. The citation stage
capitalizes a footnote's first letter anyway (``notes.as_footnotes``, as
pandoc does); this rule makes the term after a prefix right too.

``cite_with_opening_term`` wraps cs:layout's rendering of one cite: where the
cite opens a sentence it records how many variables were found so far
(``RenderState.opening_term``); ``term_capitalized_when_opening`` wraps
cs:text: a term rendered before any variable or other text of the cite is
capitalized, and any term or value text ends the opening.
"""
from __future__ import annotations

import re

from citeproc.string import String

from .state import render_state

# More than one word, ending with a sentence's end (a closing quote may follow).
SENTENCE_PREFIX = re.compile(r"\S\s+\S.*[.!?][\u201d\u2019\"')\]]*$", re.S)


def cite_with_opening_term(render_children):
    """cs:layout: one cite's children, with the opening recorded if the cite opens a sentence."""
    def render(self, item, *args, **kwargs):
        if not opens_sentence(self, item):
            return render_children(self, item, *args, **kwargs)
        state = render_state()
        with state.changed(opening_term=state.variables.non_empty):
            return render_children(self, item, *args, **kwargs)
    return render


def opens_sentence(layout, item) -> bool:
    citation = layout.getparent()
    if not str(citation.tag).endswith("}citation") or layout.get_root().get("class") != "note":
        return False
    prefix = str(item.get("prefix", "") or "").strip()
    if prefix:
        return bool(SENTENCE_PREFIX.search(prefix))
    citation_of_item = item.get("citation")
    return not any(cite.get("citation") is citation_of_item for cite in citation.cites)


def term_capitalized_when_opening(process):
    """cs:text: a term that opens the cite's sentence, capitalized."""
    def text(self, item, context=None, **kwargs):
        state = render_state()
        opening = state.opening_term
        rendered, language = process(self, item, context=context, **kwargs)
        if opening is None or not rendered or not ("term" in self.attrib or "value" in self.attrib):
            return rendered, language
        state.opening_term = None
        if "term" in self.attrib and state.variables.non_empty == opening:
            rendered = capitalized(rendered)
        return rendered, language
    return text


def capitalized(text):
    value = str(text)
    if not value[:1].islower():
        return text
    return String(value[0].upper() + value[1:])

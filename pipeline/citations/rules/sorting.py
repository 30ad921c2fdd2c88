"""CSL 1.0.2, "Sorting": the order of cites in a citation, and what a macro's sort key reads."""
from __future__ import annotations

import html
import unicodedata

from citeproc import DATES, NAMES, NUMBERS
from citeproc.string import String

from .collapsing import joined_cites, rendered_cites
from .punctuation import visible


# --- Sorting of cites (CSL 1.0.2, "Sorting") ---------------------------------------------------
# "cs:citation ... may contain a cs:sort ... In the absence of cs:sort, cites
# ... are rendered in the order in which they are cited." citeproc-py always
# put them in bibliography order first. Like pandoc's citeproc (and
# citeproc-js), cites that carry a prefix or suffix are not sorted: the
# author's words ("see", "also") belong to the order they wrote.

def render_citation_in_given_order(self, citation, callback):
    good_cites = [cite for cite in citation.cites if not cite.is_bad()]
    bad_cites = [cite for cite in citation.cites if cite.is_bad()]
    has_affixes = any("prefix" in cite or "suffix" in cite for cite in good_cites)
    if self.getparent().sort is not None and not has_affixes:
        good_cites = self.getparent().sort.sort(good_cites, self)
    out = rendered_cites(self, good_cites)
    rendered = [joined_cites(self, out)] if out else []
    for item in bad_cites:
        rendered.append(callback(item) or f"{item.key}?")
    if not rendered:  # nothing left to cite (all suppressed): no empty brackets either
        return String("")
    return self.format(self.wrap(self.join(rendered)))


# --- Sorting (CSL 1.0.2, "Sorting Macros", "Sorting Variables") ------------------------------------
# "The sort key value for a macro ... consists of the string value the macro
# would ordinarily generate, without rich text markup": no tags, no marks.
# A variable's text is read the same way (its "<i>" and quotation marks are
# markup too), and, as citeproc-js and pandoc's citeproc compare keys,
# punctuation is ignored: “Simple title here B” sorts between "Simple title,
# here A" and "Simple “title” here C", "[F]linders" with the F's.

def sort_keys_as_read(sort_keys):
    def keys(self, items, context):
        return [collation_text(key) if isinstance(key, (str, list)) and is_text_key(self)
                else key for key in sort_keys(self, items, context)]
    return keys


def is_text_key(key) -> bool:
    """A macro, or a variable that is neither a name, a date nor a number (those have keys
    of their own: "Doe;John", date parts, the number)."""
    if "macro" in key.attrib:
        return True
    variable = key.get("variable", "").replace("-", "_")
    return variable not in {*NAMES, *DATES, *NUMBERS, "citation_number"}


def collation_text(key) -> str:
    # A variable's key comes escaped for the HTML formatter ("&lt;i&gt;"): read as text first.
    text = visible(html.unescape(visible(key)))
    return "".join(char for char in text if not unicodedata.category(char).startswith("P"))

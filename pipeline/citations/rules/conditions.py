"""CSL 1.0.2, "Choose": how cs:if and cs:else-if test their conditions.

``render_if_with_all_conditions`` takes the place of citeproc-py's
``If.render``: every condition an element sets is tested, and `match`
combines them.
"""
from __future__ import annotations

import re

from citeproc import model

from .disambiguation import disambiguates


# --- Conditions (CSL 1.0.2, "Choose") ---------------------------------------------------------
# `disambiguate="true"` "only tests true when ... disambiguation" is needed:
# for a cite that reads as a cite of another item does (``disambiguation``).
# citeproc-py ignores the attribute, so a branch testing only it is always
# taken (MLA then printed every title in its citations). The bibliography
# entry of such an item tests true too (as citeproc-js reflects it there).
# `type` "tests whether the item matches the given types": an item has one
# type, so `type="post post-weblog webpage"` asks whether its type is one of
# them, and counts as one condition when `match="all"` combines it with the
# others. citeproc-js and pandoc's citeproc read it so, and the styles are
# written for it (the literal reading, every listed type at once, can never
# be true); citeproc-py tested each type as a condition of its own, so a
# web page failed the test and lost its URL and access date.
# `is-numeric` applies to the locator too ("is-numeric=\"locator\"") and
# treats "475-476", "2, 4" and "12a" as numeric; citeproc-py looked for a
# `locator` field in the reference and never found one.
NUMERIC = re.compile(r"^\s*[a-z]*\d+[a-z]*(\s*([-\u2013,&]|and)\s*[a-z]*\d+[a-z]*)*\s*$", re.I)


def render_if_with_all_conditions(self, item, context=None, delimiter="", **kwargs):
    results = []
    if "type" in self.attrib:
        results.append(any(self._type(item)))
    if "variable" in self.attrib:
        results += self._variable(item)
    if "is-numeric" in self.attrib:
        results += [is_numeric(item, name) for name in self.get("is-numeric").split()]
    if "is-uncertain-date" in self.attrib:
        results += self._is_uncertain_date(item)
    if "locator" in self.attrib:
        results += self._locator(item)
    if "position" in self.attrib:
        results += self._position(item, context)
    if self.get("disambiguate", "false").lower() == "true":
        results.append(disambiguates(self, item))
    match = self.get("match", "all")
    passed = any(results) if match == "any" else (not any(results) if match == "none" else all(results))
    if not passed:
        raise model.ConditionFailed
    return self.render_children(item, context=context, delimiter=delimiter, **kwargs)


def is_numeric(item, name: str) -> bool:
    if name == "locator":
        value = item.locator.identifier if item.has_locator else None
    else:
        value = item.reference.get(name.replace("-", "_"))
    return value is not None and bool(NUMERIC.match(str(value)))


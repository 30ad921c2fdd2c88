"""CSL 1.0.2, "Group": a group is suppressed when it calls variables and all of them are empty.

"cs:group implicitly acts as a conditional: cs:group and its child elements
are suppressed if a) at least one rendering element in cs:group calls a
variable (either directly or via a macro), and b) all variables that are
called are empty." citeproc-py decided this from the style's XML (does a
child *contain* a variable?), not from what was rendered, so a group whose
chosen branch prints only a term survived ("(Publication)" in APA), and it
never treated a macro as a group.

As pandoc's citeproc (and citeproc-js) do, rendering counts every variable
it looks up and every one that is non-empty; a group, and a ``cs:text``
that calls a macro, print nothing when their children looked up variables
and found none non-empty. Conditions (``cs:choose``) and labels do not
count; "year-suffix" does not either.

Also CSL 1.0.2, "Label": "The term is only rendered if the selected variable
is non-empty"; citeproc-py printed "pp." for a work without pages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from citeproc import model
from citeproc.source import VariableError


@dataclass
class VariableCount:
    looked_up: int = 0
    non_empty: int = 0

    def add(self, found: bool) -> None:
        self.looked_up += 1
        self.non_empty += 1 if found else 0

    def snapshot(self) -> tuple[int, int]:
        return self.looked_up, self.non_empty

    def all_empty_since(self, snapshot: tuple[int, int]) -> bool:
        """Variables were looked up since ``snapshot``, and none was non-empty."""
        looked_up, non_empty = snapshot
        return self.looked_up > looked_up and self.non_empty == non_empty


COUNT = VariableCount()
NOT_COUNTED = ("year-suffix",)


def install() -> None:
    model.Text._variable = counted_text_variable(model.Text._variable)
    model.Text.process = macro_as_group(model.Text.process)
    model.Number.process = counted_number(model.Number.process)
    model.Date.process = counted_date(model.Date.process)
    model.Names.process = counted_names(model.Names.process)
    model.Group.process = render_group
    model.Label.process = render_label


def counted_text_variable(text_variable):
    def text(self, item, context):
        if self.get("variable") in NOT_COUNTED:
            return text_variable(self, item, context)
        try:
            value = text_variable(self, item, context)
        except VariableError:
            COUNT.add(False)
            raise
        COUNT.add(value is not None and str(value) != "")
        return value
    return text


def counted_number(process):
    def number(self, item, context=None, **kwargs):
        try:
            value = process(self, item, context=context, **kwargs)
        except VariableError:
            COUNT.add(False)
            raise
        COUNT.add(value is not None and str(value) != "")
        return value
    return number


def counted_date(process):
    def date(self, item, variable=None, show_parts=None, context=None, **kwargs):
        if self.is_locale_date():  # the style's cs:date has counted already
            return process(self, item, variable, show_parts, context, **kwargs)
        try:
            value = process(self, item, variable, show_parts, context, **kwargs)
        except VariableError:
            COUNT.add(False)
            raise
        COUNT.add(value is not None and str(value) != "")
        return value
    return date


def counted_names(process):
    def names(self, item, names_context=None, context=None, **kwargs):
        for role in self.get("variable", "").split():
            COUNT.add(role.replace("-", "_") in item.reference)
        return process(self, item, names_context=names_context, context=context, **kwargs)
    return names


def macro_as_group(process):
    """``<text macro="..."/>`` is rendered as a group of the macro's children."""
    def text(self, item, context=None, **kwargs):
        if "macro" not in self.attrib:
            return process(self, item, context=context, **kwargs)
        before = COUNT.snapshot()
        text, language = process(self, item, context=context, **kwargs)
        if COUNT.all_empty_since(before):
            return None, language
        if text is not None and str(text) != "":
            # "When a cs:group contains a child cs:macro, if the cs:macro is
            # non-empty, it is treated as a non-empty variable."
            COUNT.add(True)
        return text, language
    return text


def render_group(self, item, context=None, **kwargs):
    before = COUNT.snapshot()
    output = []
    # cs:choose is transparent: the group's delimiter also delimits the chosen branch.
    delimiter = self.get("delimiter", "")
    for child in self.iterchildren():
        try:
            if isinstance(child, model.Choose):
                text = child.render(item, context=context, delimiter=delimiter, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except VariableError:
            continue
        if text is not None and str(text) != "":
            output.append(text)
    if not output or COUNT.all_empty_since(before):
        raise VariableError
    return self.join(output)


def render_label(self, item, variable=None, plural=None, context=None, **kwargs):
    """The term for the label's variable, in the form and number the label asks for."""
    if variable is None:
        variable = self.get("variable", "")
        if not has_value(item, variable):
            return None
        if variable == "locator":
            variable = item.locator.label
        plural = label_is_plural(item, self.get("variable"))
    number = self.get("plural", "contextual")
    if number != "contextual":
        plural = number == "always"
    form = self.get("form", "long")
    form = None if form == "long" else form
    return self.get_plural_term(variable, form) if plural else self.get_single_term(variable, form)


def label_is_plural(item, variable: str) -> bool:
    """pandoc's citeproc: plural when the value holds several numbers ("1-3", "2, 4"),
    or for `number-of-volumes` above one; an escaped hyphen ("\\-") is one number."""
    value = str(item.locator.identifier if variable == "locator" else
                item.reference[variable.replace("-", "_")])
    if variable == "number-of-volumes":
        return value not in ("0", "1")
    if "\\-" in value:
        return False
    return len(NUMBER_PARTS.findall(value)) > 1


NUMBER_PARTS = re.compile(r"[^,;\-\u2013\s]+|[,;\-\u2013\s]+")


def has_value(item, variable: str) -> bool:
    if variable == "locator":
        return item.has_locator
    try:
        value = item.reference[variable.replace("-", "_")]
    except VariableError:
        return False
    return value is not None and str(value) != ""

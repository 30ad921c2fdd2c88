"""CSL 1.0.2, "Group": a group is suppressed when it calls variables and all of them are empty.

"cs:group implicitly acts as a conditional: cs:group and its child elements
are suppressed if a) at least one rendering element in cs:group calls a
variable (either directly or via a macro), and b) all variables that are
called are empty." citeproc-py decided this from the style's XML (does a
child *contain* a variable?), not from what was rendered, so a group whose
chosen branch prints only a term survived ("(Publication)" in APA), and it
never treated a macro as a group.

"If a cs:group is nested within another cs:group, the inner group is
evaluated first: a non-empty nested cs:group is treated as a non-empty
variable for the purposes of determining suppression of the outer cs:group"
(a group of terms alone, "In", keeps its outer group).

As pandoc's citeproc (and citeproc-js) do, rendering counts every variable
it looks up and every one that is non-empty; a group, and a ``cs:text``
that calls a macro, print nothing when their children looked up variables
and found none non-empty. Conditions (``cs:choose``) and labels do not
count; "year-suffix" does not either.

Also CSL 1.0.2, "Label": "The term is only rendered if the selected variable
is non-empty"; citeproc-py printed "pp." for a work without pages.

And CSL 1.0.2, "Substitute": "Substituted variables are suppressed in the
rest of the output to prevent duplication. Substituted variables are
considered empty for the purposes of determining whether to suppress an
enclosing cs:group." The variables a substitute rendered (directly or
through a macro or a cs:choose) are empty for the rest of the cite or entry:
names, text, numbers and dates; a name variable is substituted as soon as
it prints, so the rest of the substitute's own macro does not print it
again. citeproc-py only kept a ``cs:text``'s own
variable out of later ``cs:text`` elements, so an author that stood in for
a composer was printed again in place of the editors.
"""
from __future__ import annotations

import re

from citeproc import model
from citeproc.source import VariableError

from .numbers import hyphens_that_are_no_range
from .state import render_state

NOT_COUNTED = ("year-suffix",)
SUPPRESSED = "substituted variables"  # key in the cs:layout's ``repressed`` dict


def suppressed(element, context, variable: str | None) -> bool:
    """Whether ``variable`` was substituted earlier in this cite or entry."""
    if not variable:
        return False
    try:
        layout = (context if context is not None else element).get_layout()
    except (AttributeError, IndexError):
        return False
    return variable in getattr(layout, "repressed", {}).get(SUPPRESSED, ())


def substitution_kept_if_printed(render):
    """A substitution suppresses its variables only if the cs:names that made it prints (an
    author left out by "@key says" takes its substitute with it)."""
    def names(self, item, *args, **kwargs):
        with render_state().changed(pending_substitutions=[]) as state:
            result = render(self, item, *args, **kwargs)
            substituted = state.pending_substitutions
        if substituted and result is not None and str(result) != "":
            context = kwargs.get("context")
            try:
                layout = (context if context is not None else self).get_layout()
            except (AttributeError, IndexError):
                return result
            for recorded in substituted:
                layout.repressed.setdefault(SUPPRESSED, set()).update(recorded)
        return result
    return names


def substituted_for(names):
    """The cs:names a shorthand cs:names stands in for, inside its cs:substitute (also within a
    cs:choose there): "A shorthand version of cs:names without child elements ... inherits the
    attributes values set on the cs:name and cs:et-al child elements of the original cs:names"."""
    owner = names.xpath_search("./ancestor::cs:substitute[1]/parent::cs:names[1]")
    return owner[0] if owner else None


def render_substitute(self, item, context=None, **kwargs):
    """The first child that renders; the variables it rendered are suppressed from then on."""
    state = render_state()
    for child in self.iterchildren():
        if not isinstance(child.tag, str):
            continue
        recorded: set[str] = set()
        state.recorders.append(recorded)
        try:
            if isinstance(child, model.Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except VariableError:
            continue
        finally:
            state.recorders.remove(recorded)
        if text is not None and str(text) != "":
            pending = state.pending_substitutions
            if pending is not None:
                pending.append(recorded)
            return text
    return None


def counted_text_variable(text_variable):
    def text(self, item, context):
        variable = self.get("variable")
        if variable in NOT_COUNTED:
            return text_variable(self, item, context)
        state = render_state()
        if suppressed(self, context, variable):
            state.count(False)
            return None
        try:
            value = text_variable(self, item, context)
        except VariableError:
            state.count(False)
            raise
        state.count(value is not None and str(value) != "", variable)
        return value
    return text


def counted_rendering(element, context, render):
    """Render a variable's element and count it for its group: empty, or suppressed by
    a substitution, counts as an empty variable."""
    state = render_state()
    if suppressed(element, context, element.get("variable")):
        state.count(False)
        raise VariableError
    try:
        value = render()
    except VariableError:
        state.count(False)
        raise
    state.count(value is not None and str(value) != "", element.get("variable"))
    return value


def counted_number(process):
    def number(self, item, context=None, **kwargs):
        def render():
            return process(self, item, context=context, **kwargs)
        return counted_rendering(self, context, render)
    return number


def counted_date(process):
    def date(self, item, variable=None, show_parts=None, context=None, **kwargs):
        def render():
            return process(self, item, variable, show_parts, context, **kwargs)
        if self.is_locale_date():  # the style's cs:date has counted already
            return render()
        return counted_rendering(self, context, render)
    return date


def counted_names(process):
    def names(self, item, names_context=None, context=None, **kwargs):
        if names_context is None and len(self) == 0:
            names_context = substituted_for(self)
        roles = self.get("variable", "").split()
        state = render_state()
        kept = [role for role in roles
                if not suppressed(self, context, role) and not rendered_in_substitute(state, role)]
        for role in roles:
            state.count(role in kept and role.replace("-", "_") in item.reference, role)
        if kept == roles:
            return process(self, item, names_context=names_context, context=context, **kwargs)
        self.set("variable", " ".join(kept))  # the suppressed ones are empty: maybe substituted
        try:
            return process(self, item, names_context=names_context, context=context, **kwargs)
        finally:
            self.set("variable", " ".join(roles))
    return names


def rendered_in_substitute(state, role: str) -> bool:
    """Whether the cs:substitute rendering now has printed this name variable already: it is
    substituted from then on, in the rest of the same substitute too (a macro that prints the
    editors with a short label, then again with a long one, prints them once)."""
    return any(role in recorded for recorded in state.recorders)


def macro_as_group(process):
    """``<text macro="..."/>`` is rendered as a group of the macro's children."""
    def text(self, item, context=None, **kwargs):
        if "macro" not in self.attrib:
            return process(self, item, context=context, **kwargs)
        state = render_state()
        before = state.variables.snapshot()
        text, language = process(self, item, context=context, **kwargs)
        if state.variables.all_empty_since(before):
            return None, language
        if text is not None and str(text) != "":
            # "When a cs:group contains a child cs:macro, if the cs:macro is
            # non-empty, it is treated as a non-empty variable."
            state.count(True)
        return text, language
    return text


def render_group(self, item, context=None, **kwargs):
    state = render_state()
    before = state.variables.snapshot()
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
    if not output or state.variables.all_empty_since(before):
        raise VariableError
    # "a non-empty nested cs:group is treated as a non-empty variable for the
    # purposes of determining suppression of the outer cs:group"
    state.count(True)
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
    or for `number-of-volumes` above one; an escaped hyphen ("\\-") is one number, and so
    are words joined by a hyphen ("Michaelson-Morely", ``numbers``)."""
    value = str(item.locator.identifier if variable == "locator" else
                item.reference[variable.replace("-", "_")])
    if variable == "number-of-volumes":
        return value not in ("0", "1")
    if "\\-" in value:
        return False
    return len(NUMBER_PARTS.findall(hyphens_that_are_no_range(value))) > 1


NUMBER_PARTS = re.compile(r"[^,;\-\u2013\s]+|[,;\-\u2013\s]+")


def has_value(item, variable: str) -> bool:
    if variable == "locator":
        return item.has_locator
    try:
        value = item.reference[variable.replace("-", "_")]
    except VariableError:
        return False
    return value is not None and str(value) != ""

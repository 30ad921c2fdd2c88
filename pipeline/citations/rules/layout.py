"""CSL 1.0.2, "Whitespace": `second-field-align`, the bibliography entry in two fields."""
from __future__ import annotations

from citeproc import model
from citeproc.source import VariableError


# --- Second-field-align (CSL 1.0.2, "Whitespace") -----------------------------------------------
# The first field is set apart from the rest; each field is rendered on its
# own, and a field whose variables are empty is simply absent.

def render_layout_child(layout, child, item):
    try:
        if isinstance(child, model.Choose):
            return child.render(item, delimiter=layout.get("delimiter", ""))
        return child.render(item)
    except VariableError:
        return None

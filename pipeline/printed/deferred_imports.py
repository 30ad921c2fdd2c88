"""Modules WeasyPrint imports at its own import but seldom uses, loaded when first used.

``weasyprint.pdf.fonts`` imports fontTools' subsetter, and its variable-font instancer
(which brings fontTools' whole ``varLib``): a third of WeasyPrint's import time, paid in
a cold build's critical path and in every library worker. The subsetter is used only for
a font HarfBuzz cannot subset (with HarfBuzz's subset library installed, hardly ever),
the instancer only for a variable font. Each is put in ``sys.modules`` as a stand-in that
imports the real module the moment one of its names is used: a PDF that needs them gets
exactly what an eager import gives, a PDF that does not never pays for them.
"""
from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable

# Module: the names imported from it with ``from ... import`` (WeasyPrint's
# ``from fontTools.varLib.instancer import instantiateVariableFont``), which the stand-in
# holds as functions that call the real ones.
DEFERRED: dict[str, tuple[str, ...]] = {
    "fontTools.subset": (),
    "fontTools.varLib.instancer": ("instantiateVariableFont",),
}


class ModuleOnFirstUse(types.ModuleType):
    """Stands for a module that has not been imported; the first use of any of its
    names imports it, and from then on the stand-in holds the module's own names."""

    def __init__(self, name: str, imported_names: tuple[str, ...]) -> None:
        super().__init__(name)
        for imported in imported_names:
            setattr(self, imported, self.forwarder(imported))

    def forwarder(self, name: str) -> Callable:
        def forward(*args, **kwargs):
            return getattr(self.real(), name)(*args, **kwargs)
        forward.__name__ = forward.__qualname__ = name
        return forward

    def __getattr__(self, name: str):  # only for names the stand-in does not hold
        if name.startswith("__") and name.endswith("__"):  # the import system's questions
            raise AttributeError(name)
        return getattr(self.real(), name)

    def real(self) -> types.ModuleType:
        """The module, imported at the first call (its names then copied here, once)."""
        module = sys.modules.get(self.__name__)
        if module is None or module is self:
            sys.modules.pop(self.__name__, None)
            module = importlib.import_module(self.__name__)
            self.__dict__.update(module.__dict__)
        return module


def defer_seldom_used_imports() -> None:
    """Put the stand-ins in place, before WeasyPrint is imported."""
    for name, imported_names in DEFERRED.items():
        if name in sys.modules:
            continue
        stand_in = ModuleOnFirstUse(name, imported_names)
        sys.modules[name] = stand_in
        parent, _, child = name.rpartition(".")
        if parent in sys.modules:  # ``from fontTools import subset`` reads the parent's name
            setattr(sys.modules[parent], child, stand_in)

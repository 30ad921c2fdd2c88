"""The clinic's theme as one object: the ``styles/`` folder, and what the pipeline derives
from it (the strings of a language, the templates, the stylesheets of an edition, the
fonts of a script).

A ``Theme`` is made where the folder enters the work (a leaflet's build, ``leaflet.py``;
the site; the check gate), so that nothing below asks for the folder again: a writer
asks its theme for what it needs. What one format alone reads from the folder (the
braille tables, the voices) its own subpackage reads from ``Theme.folder``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

# What the folder is read with is imported when first asked for (YAML, Jinja2, tinycss2):
# making a Theme costs nothing, and `import pipeline` stays light (build.py).
if TYPE_CHECKING:
    import jinja2

    from ..printed.fonts import FontStack
    from .strings import Strings

TEMPLATES_FOLDER = "templates"


@dataclass(frozen=True)
class Theme:
    """The clinic's ``styles/`` folder (``Settings.theme_dir``)."""

    folder: Path

    def words(self, lang: str) -> Strings:
        """The strings the pipeline prints in ``lang`` (English where the language has none)."""
        from .strings import strings_for
        return strings_for(lang, self.folder)

    def templates(self) -> jinja2.Environment:
        """The Jinja2 environment of ``styles/templates/``."""
        from .templates import template_environment
        return template_environment(self.template_folder())

    def template_folder(self) -> Path:
        return self.folder / TEMPLATES_FOLDER

    def checked_stylesheet(self, name: str) -> Path:
        """``styles/<name>``, once it is known to exist and to parse (a ``StyleError`` if not)."""
        from .stylesheets import check_stylesheet
        path = self.folder / name
        check_stylesheet(path)
        return path

    def edition_stylesheets(self, edition: str, paper: str) -> list[Path]:
        """The stylesheets a printed edition is laid out with, on ``paper``."""
        from ..printed.editions import EDITIONS
        return EDITIONS[edition].stylesheets(self.folder, paper)

    def font_stack(self, lang: str) -> FontStack:
        """The fonts ``styles/fonts.css`` names for ``lang``'s script."""
        from ..printed.fonts import font_stack  # fontconfig is loaded only when fonts are asked for
        return font_stack(lang, self.folder)

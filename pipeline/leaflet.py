"""One leaflet's build, as the output writers see it: made once by ``build.py`` after
``prepare()`` and handed to every writer (``outputs.Format.write``), so that none of them
reads the settings' theme folder again or rebuilds the article's strings."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .config import Settings
from .theme.folder import Theme

if TYPE_CHECKING:
    from .article.model import Article
    from .theme.strings import Strings


@dataclass(frozen=True)
class LeafletBuild:
    """The article, its pandoc document (made safe, citations rendered), the settings of
    the run, the clinic's theme, and the theme's words in the article's language."""

    article: Article
    doc: dict
    settings: Settings
    theme: Theme
    words: Strings


def leaflet_build(article: Article, doc: dict, settings: Settings) -> LeafletBuild:
    theme = Theme(settings.theme_dir)
    return LeafletBuild(article, doc, settings, theme, theme.words(article.lang))

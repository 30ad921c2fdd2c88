"""Stage 4: the print HTML. pandoc writes the body, a Jinja2 template from
``styles/templates/`` wraps it with the title block and the metadata that
WeasyPrint turns into PDF metadata."""
from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..config import Settings
from ..errors import StyleError
from ..pandoc.run import PANDOC, Pandoc
from .qr import qr_svg
from ..article.front_matter import Article

TEMPLATE_NAME = "leaflet.html"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def html_body(doc: dict, article: Article, settings: Settings, pandoc: Pandoc = PANDOC) -> Markup:
    """The article's HTML, the same for every printed edition."""
    return Markup(pandoc.html(doc, settings.pandoc_timeout, file=article.path))


def render_html(body: Markup, article: Article, settings: Settings, edition: str) -> str:
    """The whole page for one edition: the template around the body."""
    template_dir = settings.styles_dir / "templates"
    qr_code = qr_svg(article.url, f"QR code for {article.url}") if article.url else None
    try:
        template = template_environment(template_dir).get_template(TEMPLATE_NAME)
        return template.render(article=article, body=body, paper=settings.paper,
                               edition=edition, qr_code=qr_code,
                               logo_uri=article.clinic.logo.as_uri()
                               if article.clinic and article.clinic.logo else None)
    except jinja2.TemplateSyntaxError as error:
        raise StyleError(f"the template has a syntax error: {error.message}",
                         file=error.filename or template_dir / TEMPLATE_NAME, line=error.lineno,
                         hint="fix the {{ }} or {% %} tag on that line") from None
    except jinja2.TemplateNotFound as error:
        raise StyleError(f"the template '{error.name}' is missing", file=template_dir / error.name,
                         hint="restore it from the project (git checkout styles/)") from None
    except jinja2.UndefinedError as error:
        raise StyleError(f"the template uses something that does not exist: {error.message}",
                         file=template_dir / TEMPLATE_NAME,
                         hint="check the names used in the template against the README") from None


@functools.lru_cache(maxsize=8)
def template_environment(folder: Path) -> jinja2.Environment:
    """One environment per templates folder and process, so a library or the live preview
    compiles each template once; Jinja2 reloads a template whose file has changed."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    environment.filters["long_date"] = long_date
    environment.filters["in_words"] = in_words
    return environment


def long_date(value: dt.date | None) -> str:
    """25 November 2026: unambiguous wherever the leaflet is read."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def in_words(items: list[str] | tuple[str, ...]) -> str:
    """large print, an A5 booklet or an EPUB e-book: a list as a sentence says it."""
    *rest, last = items or [""]
    return f"{', '.join(rest)} or {last}" if rest else last

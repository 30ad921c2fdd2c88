"""The print HTML. pandoc writes the body, a Jinja2 template from
``styles/templates/`` wraps it with the title block and the metadata that
WeasyPrint turns into PDF metadata. A right-to-left leaflet's page carries
``dir="rtl"``, and its Latin runs are marked left to right (``pandoc/bidi.py``)."""
from __future__ import annotations

import jinja2
from markupsafe import Markup, escape

from ..article.translations import translated_from, translation_languages
from ..errors import StyleError
from ..leaflet import LeafletBuild
from ..pandoc.bidi import is_right_to_left, keeps_own_direction, with_latin_runs_isolated
from ..pandoc.run import PANDOC, Pandoc
from ..theme.strings import DIGIT_ZEROS, Strings
from .easy_read import with_easy_read_rows
from .editions import EDITIONS
from .figures import with_figures_readable
from .footnotes import with_footnotes_in_place
from .qr import qr_svg

TEMPLATE_NAME = "leaflet.html"
# What the strings file's optional 'digits' may name: CSS counter styles of the digits
# languages write numbers in (the page numbers, numbered lists); absent, 0-9.
DIGIT_STYLES = frozenset(DIGIT_ZEROS)


def html_body(leaflet: LeafletBuild, pandoc: Pandoc = PANDOC) -> Markup:
    """The article's HTML, the same for every printed edition: footnotes stand at their
    marks, for the page to float them to its foot (``footnotes.py``); an easy read
    leaflet's pictures stand beside their words (``easy_read.py``); in a right-to-left
    leaflet, Latin runs keep their own direction (``pandoc/bidi.py``)."""
    article = leaflet.article
    printed = with_footnotes_in_place(leaflet.doc)
    if article.easy_read:
        printed = with_easy_read_rows(printed, article.lang)
    if is_right_to_left(article.lang):
        printed = {**printed, "blocks": with_latin_runs_isolated(printed["blocks"])}
    return Markup(pandoc.html(printed, leaflet.settings.pandoc_timeout, file=article.path))


def render_html(body: Markup, leaflet: LeafletBuild, edition: str) -> str:
    """The whole page for one edition: the template around the body, whose SVG figures
    are made wide enough for the edition's smallest text size (``figures.py``)."""
    article, settings, words = leaflet.article, leaflet.settings, leaflet.words
    template_dir = leaflet.theme.template_folder()
    page = settings.paper if EDITIONS[edition].uses_paper_size else "a5"
    body = Markup(with_figures_readable(str(body), article.folder, EDITIONS[edition].min_text_pt, page))
    qr_code = qr_svg(article.url, words.word("qr-code", url=article.url)) if article.url else None
    right_to_left = is_right_to_left(article.lang)
    try:
        template = leaflet.theme.templates().get_template(TEMPLATE_NAME)
        return template.render(article=article, body=body, paper=settings.paper,
                               edition=edition, qr_code=qr_code, words=words,
                               right_to_left=right_to_left, digits=digit_style(words),
                               own_direction=own_direction if right_to_left else escape,
                               other_languages=other_languages_line(leaflet),
                               translated_from=translated_from(article, words, leaflet.theme),
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
                         hint="compare the template with the project's copy: "
                              "git diff styles/templates/ shows what was changed") from None


def digit_style(words: Strings) -> str | None:
    """The counter style of the strings file's ``digits``, or None to keep 0-9."""
    digits = words.words.get("digits")
    if digits is None or digits in DIGIT_STYLES:
        return digits
    raise StyleError(f"'digits: {digits}' is not a style of digits",
                     file=words.file,
                     hint=f"use one of {', '.join(sorted(DIGIT_STYLES))}, or remove the line for 0-9")


def own_direction(text: str) -> Markup:
    """``text`` for a right-to-left page: marked left to right if it is Latin or a number
    (a name, an address, a URL, a phone number), so that it reads in its own order."""
    if keeps_own_direction(text):
        return Markup('<span dir="ltr">{0}</span>').format(text)
    return escape(text)


def other_languages_line(leaflet: LeafletBuild) -> Markup | None:
    """"This leaflet is also available in: Polski · العربية", each language's name in its
    own script and marked as that language, so it is set in a font that has its letters."""
    names = [Markup('<span lang="{0}" dir="auto">{1}</span>').format(lang, name)
             for lang, name in translation_languages(leaflet.article, leaflet.theme)]
    if not names:
        return None
    before, _, after = leaflet.words.word("also-available-in").partition("{languages}")
    return escape(before) + Markup(" · ").join(names) + escape(after)

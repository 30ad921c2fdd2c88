"""Stage 5a: the print PDF, laid out by WeasyPrint.

Stylesheets come from ``styles/`` (each edition names its own, see
``editions.py``). The PDF is tagged (PDF/UA-1), its fonts embedded and
subset, its metadata taken from the HTML head.
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .config import Settings
from .fonts import font_dirs, font_face_css
from .outputs import fixed_source_date
from .source import Article
from .stylesheets import check_stylesheet

log = logging.getLogger(__name__)


class NotActionableForAuthors(logging.Filter):
    """Drops two kinds of WeasyPrint messages: the advice to install HarfBuzz-Subset
    (for system administrators: fontTools subsets fonts without it, only more
    slowly), and "Failed to load" for files our fetcher refused on purpose, which
    it has already explained in a warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return "HarfBuzz-Subset" not in message and REFUSED not in message


logging.getLogger("weasyprint").addFilter(NotActionableForAuthors())

PDF_VARIANT = "pdf/ua-1"
REFUSED = "refused by the leaflet pipeline"


def write_pdf(html: str, target: Path, article: Article, settings: Settings,
              stylesheet_files: list[Path]) -> None:
    import weasyprint  # imported here: it takes a third of a second, and EPUB-only builds skip it
    from weasyprint.text.fonts import FontConfiguration

    fetcher = local_fetcher(weasyprint.URLFetcher, allowed_roots(article, settings),
                            settings.allow_remote, article.path)
    font_config = FontConfiguration()
    stylesheets = [
        weasyprint.CSS(string=font_face_css(settings.styles_dir), font_config=font_config,
                       url_fetcher=fetcher),
        *(weasyprint.CSS(filename=path, font_config=font_config, url_fetcher=fetcher)
          for path in checked(stylesheet_files)),
    ]
    document = weasyprint.HTML(string=html, base_url=str(article.folder) + "/",
                               url_fetcher=fetcher)
    with fixed_source_date(article.date):
        document.write_pdf(
            target, stylesheets=stylesheets, font_config=font_config,
            pdf_variant=PDF_VARIANT, pdf_identifier=stable_identifier(html),
            uncompressed_pdf=False)


def checked(paths: list[Path]) -> list[Path]:
    for path in paths:
        check_stylesheet(path)
    return paths


def stable_identifier(html: str) -> bytes:
    """The PDF /ID: the same for the same leaflet, so builds are byte-identical."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")


def allowed_roots(article: Article, settings: Settings) -> tuple[Path, ...]:
    return (article.folder.resolve(), settings.styles_dir.resolve(), *font_dirs())


def local_fetcher(base: type, roots: tuple[Path, ...], allow_remote: bool, source: Path):
    """A WeasyPrint URL fetcher that reads only the article's folder, styles/ and
    the packaged fonts, and goes on the network only when the user allowed it."""

    class LocalFetcher(base):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
                log.warning("%s: not reading %s: only files in the article's folder and "
                            "styles/ are used", source, path)
                raise ValueError(f"{path}: {REFUSED}")
            if allow_remote:
                return super().fetch(url, headers)
            log.warning("%s: not fetching %s: the build does not use the network "
                        "(save the file next to the article, or pass --allow-remote)", source, url)
            raise ValueError(f"{url}: {REFUSED}")

    return LocalFetcher(timeout=10)

"""The clinic's published site: ``DIR/site/``, where patients and e-readers find the
released leaflets.

``write_site`` writes, from the released leaflets and the release folder:

- ``index.html``: every released leaflet (title, summary, topics, languages, next
  review), with a search box (``search.js``, the site's only script) that filters
  the list in the reader's browser; without the script the list is complete;
- ``<stem>.html`` per leaflet, in the leaflet's own language and direction (its
  headings, buttons, dates and download names from ``styles/strings/<lang>.yaml``,
  ``site-*`` and ``site-formats``: "Braille (BRF, for a braille display or
  embosser)"): a picture of its first page, every format (and each translation's) to
  download, its QR code when the leaflet has a ``url:`` (no QR code when it has
  none: there is no address for one to hold), and a link to its easy read version
  (``easy-read-of:``) and back;
- ``index.<lang>.html`` per language: that language's leaflets, in that language,
  which the index offers as its way in by language. Every language is named in
  itself ("Polski", "اردو", its strings file's ``language-name``) and marked with
  its ``lang`` and ``dir``, wherever the site names it;
- ``opds.xml``: the e-reader catalogue (``opds.py``): an entry for each released
  EPUB, and one more for its narrated EPUB, titled with the site's
  ``narrated_entry_label``;
- ``site.css`` (from ``styles/site.css``), ``search.js`` and ``files/``: a copy of
  each released file the pages link to, so the site folder stands on its own and
  every link in it is relative (it can be served from anywhere, or copied to any
  web host). The only address that leaves the site is a leaflet's own ``url:``,
  shown under its QR code.

The words and the look are the clinic's, in ``styles/templates/site/``,
``styles/strings/`` and ``styles/site.css``; the clinic's name, logo and brand colour come
from its profile (``clinic:``, the one most of the released leaflets name): its name and
logo head every page, and its colour is the site's (``clinic.css``, a stylesheet of the
site's own, since the Content-Security-Policy allows no inline style). Jinja2 escapes
everything an article says, and each page's Content-Security-Policy allows no script but
the site's own, so nothing from an article runs on the site.

Every file is written atomically. A leaflet that is no longer released loses its
page and its files in ``files/``: the site keeps a list of what it wrote
(``.site-files``) and removes what it wrote last time and not this time, and
nothing else (``status.html`` and other files of the release stay).
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup
from PIL import Image

from ..article.model import ClinicProfile
from ..article.translations import own_name
from ..config import THEME_DIR
from ..errors import PipelineError, StyleError
from ..files import atomic_output
from ..outputs import output_files
from ..pandoc.bidi import is_right_to_left
from ..printed.qr import qr_svg
from ..theme.folder import Theme
from ..theme.strings import STRINGS_FOLDER, Strings, own_strings_file
from .catalogue import RELEASED, ReleasedLeaflet
from .epub_gate import epub_kinds
from .opds import FEED_NAME, FeedEntry, opds_feed

TEMPLATE_FOLDER = "site"  # in styles/templates/
WORDS_TEMPLATE = "site/_words.html"
INDEX_TEMPLATE = "site/index.html"
LEAFLET_TEMPLATE = "site/leaflet.html"
LANGUAGE_TEMPLATE = "site/language.html"
LANGUAGE_PAGE = "index.{lang}.html"  # a language's leaflets, beside index.html
CLINIC_STYLESHEET = "clinic.css"  # the clinic's colour, after site.css
CLINIC_LOGO = "clinic-logo{suffix}"  # in files/
BRAND_COLOUR = re.compile(r"#[0-9a-f]{6}")  # as the profile gives it: nothing else goes into CSS
SEARCH_SCRIPT = "search.js"  # copied as it is from styles/templates/site/
STYLESHEET = "site.css"  # styles/site.css
FILES_FOLDER = "files"
MANIFEST = ".site-files"

# Leaflet pages sit beside these; a leaflet of the same name would replace one.
RESERVED_PAGES = ("index", "status")


class SiteError(PipelineError):
    """The released leaflets cannot be published as they are; exit code 1."""


@dataclass(frozen=True)
class Language:
    """A language as the site names it: in itself, with its tag and direction."""

    lang: str
    name: str  # its strings file's language-name ("Polski"); its tag without one
    dir: str  # "ltr" or "rtl"

    @property
    def page(self) -> str:
        return href(LANGUAGE_PAGE.format(lang=self.lang))

    def __html__(self) -> str:
        """In a template, ``{{ language }}``: its name marked as its language."""
        return str(Markup('<span lang="{0}" dir="{1}">{2}</span>').format(self.lang, self.dir,
                                                                         self.name))


@dataclass(frozen=True)
class SiteClinic:
    """What the site shows of the clinic's profile."""

    name: str
    logo: str | None = None  # href of its copy in files/
    stylesheet: str | None = None  # href of clinic.css, when the profile has a colour


@dataclass(frozen=True)
class SiteFile:
    """A released file as a page links to it."""

    kind: str  # a file's kind (outputs.OutputFile.kind)
    name: str
    href: str  # relative to the site folder
    media_type: str
    size: int  # bytes


@dataclass(frozen=True)
class Cover:
    href: str
    width: int
    height: int


@dataclass
class Page:
    """One leaflet on the site: its page, its files and the other languages it is in."""

    leaflet: ReleasedLeaflet
    page: str  # href of its page, relative to the site folder
    files: list[SiteFile]
    cover: Cover | None
    other_languages: list[Page] = field(default_factory=list)
    easy_read: Page | None = None  # the easy read version of this leaflet, when released
    full_version: Page | None = None  # for an easy read leaflet: the leaflet it is the easy read of

    def file(self, kind: str) -> SiteFile | None:
        return next((file for file in self.files if file.kind == kind), None)


def write_site(leaflets: list[ReleasedLeaflet], site_dir: Path, release_dir: Path, *,
               today: dt.date, theme_dir: Path = THEME_DIR,
               clinic: ClinicProfile | None = None) -> list[Path]:
    """Write the site for the released ones of ``leaflets`` into ``site_dir``, headed by
    ``clinic`` (``library_clinic``) when there is one; the paths written, in a stable order."""
    published = sorted((leaflet for leaflet in leaflets if leaflet.state == RELEASED),
                       key=lambda leaflet: (leaflet.title.casefold(), leaflet.stem))
    check_page_names(published)
    site_dir.mkdir(parents=True, exist_ok=True)
    written = copy_released_files(published, release_dir, site_dir / FILES_FOLDER)
    pages = site_pages(published, site_dir)
    theme = Theme(theme_dir)
    templates = theme.template_folder()
    environment = theme.templates()
    words = template_module(environment, templates, WORDS_TEMPLATE)
    shown_clinic, clinic_files = site_clinic(clinic, site_dir)
    written += clinic_files
    languages = languages_of(pages, theme)

    def page_text(name: str, lang: str, **context) -> str:
        return render(environment, templates, name, today=today, clinic=shown_clinic,
                      site_name=shown_clinic.name if shown_clinic else str(words.library_title),
                      page_lang=lang, page_dir="rtl" if is_right_to_left(lang) else "ltr",
                      words=theme.words(lang), languages=languages, **context)

    site_lang = str(words.site_lang)
    written.append(write_text(site_dir / "index.html",
                              page_text(INDEX_TEMPLATE, site_lang, leaflets=pages)))
    for language in dict.fromkeys(languages.values()):
        written.append(write_text(site_dir / LANGUAGE_PAGE.format(lang=language.lang),
                                  page_text(LANGUAGE_TEMPLATE, language.lang, language=language,
                                            leaflets=[page for page in pages
                                                      if languages[page.leaflet.lang] == language])))
    for page in pages:
        written.append(write_text(site_dir / f"{page.leaflet.stem}.html",
                                  page_text(LEAFLET_TEMPLATE, page.leaflet.lang, item=page,
                                            qr_code=qr_code(page.leaflet, theme.words(page.leaflet.lang)))))
    written.append(copy_file(templates / TEMPLATE_FOLDER / SEARCH_SCRIPT, site_dir / SEARCH_SCRIPT))
    written.append(copy_file(theme.checked_stylesheet(STYLESHEET), site_dir / STYLESHEET))
    feed = opds_feed(feed_entries(pages, str(words.narrated_entry_label)),
                     title=str(words.library_title),
                     author=str(words.library_author), today=today)
    written.append(write_bytes(site_dir / FEED_NAME, feed))
    remove_unpublished(site_dir, written)
    return written


def check_page_names(published: list[ReleasedLeaflet]) -> None:
    for leaflet in published:
        if leaflet.stem.casefold() in RESERVED_PAGES or leaflet.stem.casefold().startswith("index."):
            raise SiteError(f"a leaflet named {leaflet.stem!r} would replace the site's own "
                            f"{leaflet.stem}.html", file=leaflet.source or f"{leaflet.stem}.md",
                            hint="rename the article (e.g. to "
                                 f"'{leaflet.stem}-leaflet.md') and release again")


# --- the released files, copied into site/files/ ----------------------------------------------

def copy_released_files(published: list[ReleasedLeaflet], release_dir: Path,
                        files_dir: Path) -> list[Path]:
    written = []
    for leaflet in published:
        for kind, name in sorted(leaflet.files.items()):
            source = release_dir / checked_file_name(leaflet, kind, name)
            if not source.is_file():
                raise SiteError(f"the release folder has no {name} ({kind}) for the leaflet "
                                f"{leaflet.stem!r}, so the site cannot offer it", file=source,
                                hint="run the release again: it writes every file it publishes")
            written.append(copy_file(source, files_dir / name))
    return written


def checked_file_name(leaflet: ReleasedLeaflet, kind: str, name: str) -> str:
    """A file of the release folder, by its bare name: never a path out of it."""
    if not name or name != Path(name).name or name.startswith("."):
        raise SiteError(f"the file name {name!r} ({kind}) of the leaflet {leaflet.stem!r} is not "
                        "a file in the release folder", file=leaflet.source or None,
                        hint="this is a bug in the release; report it with this message")
    return name


def site_pages(published: list[ReleasedLeaflet], site_dir: Path) -> list[Page]:
    pages = [Page(leaflet, href(f"{leaflet.stem}.html"), site_files(leaflet, site_dir),
                  cover(leaflet, site_dir)) for leaflet in published]
    by_stem = {page.leaflet.stem: page for page in pages}
    for page in pages:
        page.other_languages = [by_stem[stem] for stem in language_group(page.leaflet, by_stem)
                                if stem != page.leaflet.stem]
        full = by_stem.get(page.leaflet.easy_read_of or "")
        if full is not None and full is not page:
            page.full_version, full.easy_read = full, page
    return pages


def site_files(leaflet: ReleasedLeaflet, site_dir: Path) -> list[SiteFile]:
    """What a leaflet page offers to download: the files of its formats, in the order the
    registry ranks them for the site (print, reading, listening, braille)."""
    offered = sorted(output_files(), key=lambda pair: pair[0].site_rank)  # stable: a format's files in order
    files = []
    for _, file in offered:
        name = leaflet.files.get(file.kind)
        if name is None:
            continue
        path = site_dir / FILES_FOLDER / name
        files.append(SiteFile(file.kind, name, href(f"{FILES_FOLDER}/{name}"), file.media_type,
                              path.stat().st_size))
    return files


def cover(leaflet: ReleasedLeaflet, site_dir: Path) -> Cover | None:
    name = leaflet.files.get("cover")
    if name is None:
        return None
    with Image.open(site_dir / FILES_FOLDER / name) as picture:
        width, height = picture.size
    return Cover(href(f"{FILES_FOLDER}/{name}"), width, height)


def language_group(leaflet: ReleasedLeaflet, by_stem: dict[str, Page]) -> list[str]:
    """The released stems of the same leaflet in every language: the original, then its
    translations in the order it lists them, then any other leaflet that says it
    translates the original."""
    original = leaflet.translation_of if leaflet.translation_of in by_stem else leaflet.stem
    stems = [original]
    stems += [stem for _, stem in by_stem[original].leaflet.translations]
    stems += [stem for stem, page in by_stem.items() if page.leaflet.translation_of == original]
    return [stem for stem in dict.fromkeys(stems) if stem in by_stem]


def languages_of(pages: list[Page], theme: Theme) -> dict[str, Language]:
    """The language of each tag a released leaflet has, in the order of their names. Tags
    that share a strings file are one language (en-GB and en-US are English); those with
    their own are not (zh-CN and zh-TW)."""
    by_tag = {}
    for lang in sorted({page.leaflet.lang for page in pages}):
        own = own_strings_file(lang, theme.folder / STRINGS_FOLDER)
        key = own.stem if own is not None else lang
        by_tag[lang] = Language(key, own_name(key, theme), "rtl" if is_right_to_left(key) else "ltr")
    return dict(sorted(by_tag.items(), key=lambda item: (item[1].name.casefold(), item[1].lang, item[0])))


def library_clinic(profiles: list[ClinicProfile | None]) -> ClinicProfile | None:
    """The clinic the site is of: the profile most of the leaflets name (the first of
    those named as often), or None when no leaflet has one."""
    named = [profile for profile in profiles if profile is not None]
    if not named:
        return None
    return max(named, key=lambda profile: sum(other == profile for other in named))


def site_clinic(clinic: ClinicProfile | None, site_dir: Path) -> tuple[SiteClinic | None, list[Path]]:
    """What the pages show of the clinic, and the files that takes: its logo, copied into
    files/, and clinic.css with its colour (checked by the profile as a #rrggbb colour
    with enough contrast on white)."""
    if clinic is None:
        return None, []
    written, logo, stylesheet = [], None, None
    if clinic.logo is not None:
        name = CLINIC_LOGO.format(suffix=clinic.logo.suffix.lower())
        written.append(copy_file(clinic.logo, site_dir / FILES_FOLDER / name))
        logo = href(f"{FILES_FOLDER}/{name}")
    if clinic.colour is not None and BRAND_COLOUR.fullmatch(clinic.colour):
        written.append(write_text(site_dir / CLINIC_STYLESHEET,
                                  f":root {{ --brand: {clinic.colour}; }}\n"))
        stylesheet = href(CLINIC_STYLESHEET)
    return SiteClinic(clinic.name, logo, stylesheet), written


def href(relative: str) -> str:
    """A relative link to a file of the site: any character a URL cannot hold as it is
    (spaces, '#', '?', accents) percent-encoded."""
    return quote(relative, safe="/")


def qr_code(leaflet: ReleasedLeaflet, words: Strings) -> Markup | None:
    return qr_svg(leaflet.url, words.word("qr-code", url=leaflet.url)) if leaflet.url else None


def feed_entries(pages: list[Page], narrated_label: str) -> list[FeedEntry]:
    """An entry for each released EPUB, the narrated one after its leaflet's own: an entry
    of its own, because e-readers (KOReader, Thorium) label an entry's downloads by their
    media type, which is the same for both."""
    entries = []
    for page in pages:
        picture = page.cover.href if page.cover is not None else None
        for epub in (file for file in page.files if file.kind in epub_kinds()):
            entries.append(FeedEntry(page.leaflet, epub.href, picture, page_href=page.page,
                                     variant=None if epub.kind == "epub" else epub.kind,
                                     variant_words=narrated_label))
    return entries


# --- templates and writing ------------------------------------------------------------------

def render(environment: jinja2.Environment, templates: Path, name: str, **context) -> str:
    try:
        return environment.get_template(name).render(**context)
    except jinja2.TemplateError as error:
        raise template_error(error, templates, name) from None


def template_module(environment: jinja2.Environment, templates: Path, name: str):
    """The words a template sets (``{% set library_title = ... %}``), for the feed."""
    try:
        return environment.get_template(name).module
    except jinja2.TemplateError as error:
        raise template_error(error, templates, name) from None


def template_error(error: jinja2.TemplateError, templates: Path, name: str) -> StyleError:
    if isinstance(error, jinja2.TemplateSyntaxError):
        return StyleError(f"the template has a syntax error: {error.message}",
                          file=error.filename or templates / name, line=error.lineno,
                          hint="fix the {{ }} or {% %} tag on that line")
    if isinstance(error, jinja2.TemplateNotFound):
        return StyleError(f"the template '{error.name}' is missing", file=templates / error.name,
                          hint="restore it from the project (git checkout styles/)")
    return StyleError(f"the template cannot be written out: {error.message}",
                      file=templates / name,
                      hint="compare the template with the project's copy: "
                           "git diff styles/templates/ shows what was changed")


def write_text(target: Path, text: str) -> Path:
    return write_bytes(target, text.encode("utf-8"))


def write_bytes(target: Path, data: bytes) -> Path:
    with atomic_output(target) as temporary:
        temporary.write_bytes(data)
    return target


def copy_file(source: Path, target: Path) -> Path:
    if not source.is_file():
        raise StyleError("a file of the site is missing", file=source,
                         hint="restore it from the project (git checkout styles/)")
    with atomic_output(target) as temporary:
        shutil.copyfile(source, temporary)
    return target


def remove_unpublished(site_dir: Path, written: list[Path]) -> None:
    """Remove what the last run wrote and this one did not (a leaflet no longer
    released), then record what this run wrote."""
    names = sorted({path.relative_to(site_dir).as_posix() for path in written})
    manifest = site_dir / MANIFEST
    try:
        before = manifest.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        before = []
    for name in set(before) - set(names):
        if name and not Path(name).is_absolute() and ".." not in Path(name).parts:
            (site_dir / name).unlink(missing_ok=True)
    write_text(manifest, "".join(f"{name}\n" for name in names))

